#include "offline/offline_export.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include "core/clock.h"
#include "core/diagnostics.h"
#include "offline/site_crawl.h"
#include "offline/zim_writer.h"
#include "server/api.h"
#include "server/config.h"
#include "server/index_readers.h"
#include "server/metrics.h"
#include "server/templates.h"

namespace passerelle::offline {

namespace {

void check(const ExportOptions& o) {
    if (o.role != "public" && o.role != "partners" && o.role != "internal")
        throw Error("--role: '" + o.role + "' is not a role (public, partners or internal)");
    if (o.output.empty()) throw Error("-o: the file or folder to write is missing");
    if (!std::filesystem::is_directory(o.db)) throw Error("--db: '" + o.db + "' is not an index folder");
    if (!o.date.empty() && (o.date.size() != 10 || o.date[4] != '-' || o.date[7] != '-'))
        throw Error("--date: '" + o.date + "' is not a date (YYYY-MM-DD)");
}

unsigned threads_of(const ExportOptions& o) { return o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency()); }

// The server as the export runs it: its handlers over the index, no network.
struct Site {
    ServerConfig config;
    IndexReaders readers;
    http::Metrics metrics;
    http::Api api;

    static ServerConfig config_of(const ExportOptions& o) {
        ServerConfig c;
        c.db = o.db;
        c.base_url = o.base_url;
        c.guides_dir = o.guides_dir;
        c.access_log = "";
        return c;
    }
    explicit Site(const ExportOptions& o) : config(config_of(o)), readers(config.db), api(config, readers, metrics) {}
};

ExportReport crawl(const ExportOptions& o, const std::function<void(OfflinePage&&)>& sink) {
    Site site(o);
    CrawlOptions c;
    c.role = o.role;
    c.threads = threads_of(o);
    c.site_url = o.base_url;
    c.sink = sink;
    const CrawlReport r = crawl_site(site.api, c);
    return ExportReport{r.pages, r.files, r.bytes, r.failed};
}

ZimMetadata metadata(const ExportOptions& o) {
    ZimMetadata m;
    m.name = "passerelle_mul_" + o.role;
    static const std::map<std::string, std::pair<std::string, std::string>> k_titles = {
        {"public", {"Passerelle", "Capitalisation archive of Le Partenariat's projects, French and English"}},
        {"partners", {"Passerelle (partners)", "Le Partenariat's archive for partners only: do not pass it on"}},
        {"internal", {"Passerelle (internal)", "Le Partenariat's internal archive: for the team only"}},
    };
    m.title = k_titles.at(o.role).first;
    m.description = k_titles.at(o.role).second;
    m.long_description =
        "Project reports, good practices, lessons and practice guides of Le Partenariat and its partners "
        "(Senegal, Guinea, Morocco), in French and English, as Passerelle serves them"
        + std::string(o.role == "public" ? "." : o.role == "partners" ? ", with the documents reserved for partners." : ", with internal documents.");
    m.creator = "Le Partenariat";
    m.publisher = "Le Partenariat";
    m.date = o.date.empty() ? utc_now("%Y-%m-%d") : o.date;
    m.tags = "capitalisation;development;_category:other;_pictures:yes;_videos:no;_details:yes;_ftindex:yes";
    if (o.role != "public") m.flavour = o.role;
    m.illustration_png = http::embedded_files().at("zim/illustration-48.png");
    return m;
}

}  // namespace

ExportReport export_zim(const ExportOptions& o) {
    check(o);
    // French rules for the one full-text index: most of the archive is French, and its stemmer
    // also takes the plural -s off English words (docs/offline.md).
    ZimWriter zim(o.output, metadata(o), threads_of(o), "fra");
    ExportReport r = crawl(o, [&zim](OfflinePage&& p) { zim.add(std::move(p)); });
    zim.finish("fr/index.html");
    return r;
}

ExportReport export_folder(const ExportOptions& o) {
    check(o);
    const std::filesystem::path root = o.output;
    // A folder that holds anything (an earlier copy, for another role) is refused: files of the
    // earlier copy would stay beside the new one, readable though no longer linked.
    std::error_code ec;
    if (std::filesystem::exists(root, ec) && !std::filesystem::is_empty(root, ec))
        throw Error("-o: '" + o.output + "' is not empty; give a new folder (an earlier copy's files would stay in it)");
    return crawl(o, [&root](OfflinePage&& p) {
        const std::filesystem::path file = root / p.path;
        std::error_code ec;
        std::filesystem::create_directories(file.parent_path(), ec);
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(p.body.data(), static_cast<std::streamsize>(p.body.size()));
        out.close();
        if (!out) throw Error(file.string() + ": cannot be written");
    });
}

}  // namespace passerelle::offline
