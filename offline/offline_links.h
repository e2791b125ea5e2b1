// Where each page of the site goes in an offline copy (a ZIM file or a folder), and its links
// rewritten to match: relative, so that they work under any prefix (kiwix-serve's /BOOK/, a
// phone's reader, a folder opened from a USB stick). A link to something the copy does not hold
// (sign-in, exports, feeds, a search with more than one filter) loses its address and stays as
// text; a form that needs the server goes away. docs/offline.md lists what goes in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace passerelle::offline {

// A page or file of the site as the server answers it: path and decoded query.
struct SiteAddress {
    std::string path;
    std::vector<std::pair<std::string, std::string>> query;
    std::string target() const;  // "/fr/documents/x?lang=fr", to ask the server's handlers
};

// The facets that become static pages, one per value: /fr/search?country=SN -> fr/country/SN.html,
// its page 2 fr/country/SN/2.html; a year is the range of one year (year_from=Y&year_to=Y). (A
// project's documents are listed on its own page.)
inline constexpr const char* k_static_facets[] = {"country", "place", "theme", "kind", "year"};

// The offline path of `address` ("fr/documents/x.fr.html", "static/site.css"), or nothing when
// the copy leaves it out. Paths hold no '%': characters outside [A-Za-z0-9._-] and UTF-8 are
// written ~XX, so that the same path serves as a file name and as a ZIM path.
std::optional<std::string> offline_path(const SiteAddress& address);

// `href` as written in a page (entities decoded): the address it names on this site, when it is
// one (root-relative, or absolute under `site_url`). `fragment` gets its "#..." part.
std::optional<SiteAddress> site_address(std::string_view href, std::string_view site_url, std::string& fragment);

// `to` (an offline path) relative to the page at offline path `from`.
std::string relative_link(std::string_view from, std::string_view to);

// The HTML of the page at offline path `self`, with every href, src and action rewritten:
// addresses the copy holds become relative links and are added to `found`; the others lose
// their address (links), or go with their element (<link>, forms). The search form is kept for
// the reader's own search (static/offline.js shows it where the reader has one).
std::string rewrite_page(std::string_view html, std::string_view self, std::string_view site_url, std::vector<SiteAddress>& found);

}  // namespace passerelle::offline
