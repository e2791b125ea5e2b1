#include "offline/site_crawl.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "offline/offline_links.h"
#include "offline/search_text.h"
#include "server/templates.h"

namespace passerelle::offline {

namespace {

// Where every crawl starts: the homes, and the static files pages name only from CSS or script.
const char* const k_starts[] = {"/fr/", "/en/", "/static/site.css", "/static/favicon.svg", "/static/offline.js"};

bool ends_with(const std::string& s, std::string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Whether the page at offline `path` goes in the full-text index (see OfflinePage::index_text).
bool searched(const std::string& path) {
    const std::size_t slash = path.find('/');
    if (slash != 2) return false;
    const std::string ui = path.substr(0, 2), rest = path.substr(3);
    const std::size_t kind = rest.find('/');
    const std::string folder = kind == std::string::npos ? "" : rest.substr(0, kind);
    if ((folder == "documents" || folder == "projects") && rest.find('/', kind + 1) == std::string::npos && ends_with(rest, ".html")) {
        const std::string stem = rest.substr(kind + 1, rest.size() - kind - 6);
        const std::size_t tilde = stem.rfind('~');  // "pr-paems~fr"
        if (tilde == std::string::npos) return false;
        const std::string lang = stem.substr(tilde + 1);
        return lang == ui || (lang != "fr" && lang != "en" && ui == "en");
    }
    return ui == "fr" && rest == "guides.html";  // once, in the archive's own language
}

struct Crawl {
    Crawl(http::Api& a, const CrawlOptions& o) : api(a), options(o), site_url(o.site_url) {}

    http::Api& api;
    const CrawlOptions& options;
    http::Templates templates;
    std::string site_url;  // addresses under it are the site's own
    std::mutex mutex;
    std::condition_variable cv;
    // Pages come in pairs, a page and its twin in the other interface language, visited one
    // after the other by one thread: the second finds the API's answers in its cache, and the
    // ZIM's compression finds their common text side by side.
    std::deque<std::vector<SiteAddress>> queue;
    std::unordered_set<std::string> seen;  // offline paths queued or done
    int active = 0;
    bool stopped = false;
    std::exception_ptr error;
    std::atomic<bool> failed{false};
    std::mutex sink_mutex;
    CrawlReport report;

    void add(const SiteAddress& a) {  // under `mutex`
        const auto path = offline_path(a);
        if (!path || !seen.insert(*path).second) return;
        std::vector<SiteAddress> pair{a};
        if (a.path.size() >= 3 && (a.path.compare(0, 3, "/fr") == 0 || a.path.compare(0, 3, "/en") == 0)) {
            SiteAddress twin = a;
            twin.path.replace(1, 2, a.path.compare(0, 3, "/fr") == 0 ? "en" : "fr");
            const auto twin_path = offline_path(twin);
            if (twin_path && seen.insert(*twin_path).second) pair.push_back(std::move(twin));
        }
        queue.push_back(std::move(pair));
    }

    void work() {
        for (;;) {
            std::vector<SiteAddress> next;
            {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] { return stopped || !queue.empty() || active == 0; });
                if (stopped || queue.empty()) {
                    cv.notify_all();
                    return;
                }
                next = std::move(queue.front());
                queue.pop_front();
                ++active;
            }
            std::vector<SiteAddress> found;
            try {
                for (const SiteAddress& a : next) visit(a, found);
            } catch (...) {
                failed = true;  // pages already being rendered go to no sink
                const std::lock_guard lock(mutex);
                if (!error) error = std::current_exception();
                stopped = true;
            }
            const std::lock_guard lock(mutex);
            --active;
            for (const SiteAddress& a : found) add(a);
            cv.notify_all();
        }
    }

    void visit(const SiteAddress& address, std::vector<SiteAddress>& found) {
        http::Request request;
        request.path = address.path;
        request.query = address.query;
        // No Host: pages then give no absolute address but under the configured base_url.
        std::string route;
        http::Response r = api.handle_as(request, options.role, route);
        OfflinePage page;
        page.path = *offline_path(address);
        const std::string* type = r.header("Content-Type");
        page.mime = type ? *type : "application/octet-stream";
        if (r.status != 200) {
            const std::lock_guard lock(sink_mutex);
            report.failed.push_back(address.target() + " (" + std::to_string(r.status) + ")");
        }
        if (page.mime.rfind("text/html", 0) == 0) {
            page.lang = page.path.substr(0, 2);
            page.title = page_title(r.body);
            page.body = rewrite_page(r.body, page.path, site_url, found);
            if (options.role != "public") mark_role(page);
            if (r.status == 200 && searched(page.path)) page.index_text = searchable_text(main_text(page.body));
        } else {
            page.body = std::move(r.body);
        }
        const std::lock_guard lock(sink_mutex);
        if (failed) return;
        (page.title.empty() ? report.files : report.pages) += 1;
        report.bytes += page.body.size();
        options.sink(std::move(page));
    }

    // Every page of a copy made for partners or the team says so, at the top of its content.
    void mark_role(OfflinePage& page) const {
        const std::size_t main = page.body.find("<main id=\"main\">");
        if (main == std::string::npos) return;
        const auto& t = templates.strings(page.lang == "en" ? "en" : "fr");
        const std::string note = t.value("offline_copy_" + options.role, "");
        page.body.insert(main + 16, "\n<p class=\"offline-role\" role=\"note\">" + http::escape_html(note) + "</p>");
    }
};

}  // namespace

CrawlReport crawl_site(http::Api& api, const CrawlOptions& options) {
    Crawl crawl(api, options);
    for (const char* start : k_starts) {
        std::string fragment;
        crawl.add(*site_address(start, "", fragment));
    }
    std::vector<std::jthread> threads;  // (joined however this ends)
    for (unsigned i = 0; i < std::max(1u, options.threads); ++i) threads.emplace_back([&crawl] { crawl.work(); });
    for (auto& t : threads) t.join();
    if (crawl.error) std::rethrow_exception(crawl.error);
    return std::move(crawl.report);
}

}  // namespace passerelle::offline
