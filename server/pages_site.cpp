// What a site offers besides its pages: /robots.txt, /sitemap.xml (the public pages only,
// whoever asks), /favicon.ico and the about page (/{lang}/about: the archive, its licence, the
// contact).
#include <map>

#include "core/url.h"
#include "server/page_text.h"
#include "server/pages.h"
#include "server/templates.h"

namespace passerelle::http {

namespace {

constexpr std::size_t k_sitemap_urls = 40000;  // per file (the protocol allows 50,000)

// Shared caches may keep them only when their addresses come from base_url, not from the Host.
Response text_response(std::string body, const std::string& type, bool from_base_url) {
    Response r;
    r.body = std::move(body);
    r.set_header("Content-Type", type);
    r.set_header("Cache-Control", from_base_url ? "public, max-age=3600" : "no-cache");
    return r;
}

}  // namespace

Response Pages::robots(const Call& c) {
    std::string body = "# Passerelle: every public page may be read; forms, exports, feeds and personal pages are not for crawlers.\n"
                       "User-agent: *\nAllow: /\n";
    for (const char* ui : {"/fr", "/en"})
        for (const char* path : {"/search.", "/sign-in", "/notes", "/review", "/translations", "/documents/*/cite."})
            body += std::string("Disallow: ") + ui + path + "\n";
    body += "Disallow: /api/\nDisallow: /oai\n\nSitemap: " + absolute(c.request, "/sitemap.xml") + "\n";
    return text_response(std::move(body), "text/plain; charset=utf-8", !m_config.base_url.empty());
}

// Public pages only, whatever the caller's session or token: a sitemap is for the world.
Response Pages::sitemap(const Call& c) {
    IndexReaders::Reader& reader = m_api.readers().current();
    const auto entries = reader.catalogue->entries(reader.generation, {"public"});
    const std::map<int, std::string> times = reader.catalogue->generation_times();
    std::vector<std::pair<std::string, std::string>> urls;  // address, last modified (YYYY-MM-DD or "")
    for (const char* ui : {"fr", "en"})
        for (const char* path : {"/", "/browse", "/projects", "/guides", "/about"}) urls.emplace_back(std::string("/") + ui + path, "");
    for (const auto& e : entries) {
        if (e.lang != "fr" && e.lang != "en") continue;  // pages are in the interface languages
        const auto t = times.find(e.written);
        const std::string day = t != times.end() ? t->second.substr(0, 10) : "";
        urls.emplace_back("/" + e.lang + "/documents/" + percent_encode(e.id) + "?lang=" + e.lang, day);
        if (e.kind == "project") urls.emplace_back("/" + e.lang + "/projects/" + percent_encode(e.id) + "?lang=" + e.lang, day);
    }
    const std::size_t files = (urls.size() + k_sitemap_urls - 1) / k_sitemap_urls;
    const std::string page = first(c.request.query, "page");
    std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    if (files > 1 && page.empty()) {  // an index of the files
        body += "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
        for (std::size_t i = 1; i <= files; ++i)
            body += "<sitemap><loc>" + escape_html(absolute(c.request, "/sitemap.xml?page=" + std::to_string(i))) + "</loc></sitemap>\n";
        return text_response(body + "</sitemapindex>\n", "application/xml; charset=utf-8", !m_config.base_url.empty());
    }
    std::size_t n = 1;
    if (!page.empty()) {
        n = page.size() <= 6 && page.find_first_not_of("0123456789") == std::string::npos ? std::stoul(page) : 0;
        if (n < 1 || n > std::max<std::size_t>(files, 1))
            return error_page(c.request, c.context, 404, m_templates.strings(c.context.label_lang).value("not_found_text", ""));
    }
    body += "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (std::size_t i = (n - 1) * k_sitemap_urls; i < std::min(urls.size(), n * k_sitemap_urls); ++i) {
        body += "<url><loc>" + escape_html(absolute(c.request, urls[i].first)) + "</loc>";
        if (!urls[i].second.empty()) body += "<lastmod>" + urls[i].second + "</lastmod>";
        body += "</url>\n";
    }
    return text_response(body + "</urlset>\n", "application/xml; charset=utf-8", !m_config.base_url.empty());
}

// Browsers ask for /favicon.ico whatever the page says; the icon is an SVG.
Response Pages::favicon(const Call& c) {
    Response r;
    r.status = 301;
    r.set_header("Location", "/static/favicon.svg");
    r.set_header("Cache-Control", "public, max-age=86400");
    (void)c;
    return r;
}

Response Pages::about(const Call& c) {
    const std::string& ui = c.context.label_lang;
    const Json& t = m_templates.strings(ui);
    Json d = page_data(c, t.value("about_title", ""));
    // The organisation's history, when the archive holds it (and the caller may read it).
    if (m_api.call("/api/documents/rp-histoire", {{"lang", ui}}, c.context).status == 200)
        d["history_url"] = "/" + ui + "/documents/rp-histoire?lang=" + ui;
    if (!m_config.licence_name.empty())
        d["licence"] = {{"name", m_config.licence_name}, {"url", m_config.licence_url}};
    return render("about", d);
}

}  // namespace passerelle::http
