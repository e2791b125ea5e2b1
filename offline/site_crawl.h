// The site as a visitor of one role reaches it, rendered in-process by the server's own
// handlers (http::Api::handle_as) and made to work offline (offline/offline_links.h). It starts
// at both homes and the static files and follows every link the copy holds, on several threads;
// each page or file is handed to a sink once, whole, from one thread at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "server/api.h"

namespace passerelle::offline {

struct OfflinePage {
    std::string path;   // offline path (offline_path())
    std::string mime;   // as the server sent it
    std::string title;  // of an HTML page; "" for files
    std::string body;
    // The text for the full-text index (searchable_text()), "" for what is not searched: each
    // document once, in its own language's interface; project and guides pages.
    std::string index_text;
    std::string lang;  // of the interface, for pages
};

struct CrawlOptions {
    std::string role = "public";  // public, partners or internal
    unsigned threads = 2;
    std::string site_url;  // the configured base_url ("" for none)
    // Called for each page and file (never two at once). Throwing stops the crawl.
    std::function<void(OfflinePage&&)> sink;
};

struct CrawlReport {
    std::size_t pages = 0, files = 0, bytes = 0;
    // Addresses the site linked but did not answer with 200, with the status: the page the
    // server gave (an error page, in the page's language) is written there, so no link is dead.
    std::vector<std::string> failed;
};

CrawlReport crawl_site(http::Api& api, const CrawlOptions& options);

}  // namespace passerelle::offline
