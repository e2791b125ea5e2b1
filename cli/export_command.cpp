#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "indexer/iati_export.h"
#include "offline/offline_export.h"

namespace passerelle::cli {

namespace {

struct ExportArgs {
    std::string db = "data", output, project, base_url = "http://127.0.0.1:8080", generated;
    std::string org_ref = "FR-LEPARTENARIAT", org_name = "Le Partenariat", org_type = "22";
};

int run_iati(const ExportArgs& a) {
    try {
        IatiExportOptions o;
        o.db = a.db;
        o.project = a.project;
        o.org_ref = a.org_ref;
        o.org_name = a.org_name;
        o.org_type = a.org_type;
        o.base_url = a.base_url;
        o.generated = a.generated;
        const IatiExport x = export_iati(o);
        for (const std::string& s : x.skipped) std::cerr << "passerelle: warning: left out " << s << '\n';
        if (a.output.empty() || a.output == "-") {
            std::cout << x.xml;
        } else {
            std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
            out << x.xml;
            out.close();
            if (!out) throw Error(a.output + ": cannot be written");
            std::cerr << "passerelle: " << x.activities << (x.activities == 1 ? " IATI activity in " : " IATI activities in ") << a.output << '\n';
        }
        return 0;
    } catch (const Error& e) {
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
}

int run_offline(const offline::ExportOptions& o, bool zim) {
    try {
        const auto start = std::chrono::steady_clock::now();
        const offline::ExportReport r = zim ? offline::export_zim(o) : offline::export_folder(o);
        for (const std::string& f : r.failed) std::cerr << "passerelle: warning: " << f << " is linked but was not answered; its page says so\n";
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "passerelle: %zu pages and %zu files (%.1f MB before compression) for %s in %s, %.1f s\n", r.pages, r.files,
                     static_cast<double>(r.bytes) / 1e6, o.role.c_str(), o.output.c_str(), seconds);
        return 0;
    } catch (const Error& e) {
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
}

void add_offline_options(CLI::App* cmd, offline::ExportOptions& o, const char* output_help) {
    cmd->add_option("--db", o.db, "Index folder")->capture_default_str();
    cmd->add_option("--role", o.role, "Who may read the copy: public, partners or internal")
        ->check(CLI::IsMember({"public", "partners", "internal"}))
        ->capture_default_str();
    cmd->add_option("-o,--output", o.output, output_help)->required();
    cmd->add_option("--base-url", o.base_url, "The online site, named in citations ('' for none)");
    cmd->add_option("--guides", o.guides_dir, "Guide definitions (default: the bundled ones)");
    cmd->add_option("--date", o.date, "The date the copy is of (YYYY-MM-DD; default: today)");
    cmd->add_option("--threads", o.threads, "Threads that render pages (default: one per core)");
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
    CLI::App* cmd = app.add_subcommand("export", "Write the archive in another format");
    cmd->require_subcommand(1);
    auto a = std::make_shared<ExportArgs>();
    CLI::App* iati = cmd->add_subcommand("iati", "IATI 2.03 activity XML of the organisation's own public projects");
    iati->add_option("--db", a->db, "Index folder")->capture_default_str();
    iati->add_option("--project", a->project, "Only this project (its id)");
    iati->add_option("-o,--output", a->output, "The file to write (default: standard output)");
    iati->add_option("--org-ref", a->org_ref, "The organisation's IATI organisation identifier (prefixes activity identifiers)")
        ->capture_default_str();
    iati->add_option("--org-name", a->org_name, "The organisation's name")->capture_default_str();
    iati->add_option("--org-type", a->org_type, "Its IATI organisation type code (22: national NGO)")->capture_default_str();
    iati->add_option("--base-url", a->base_url, "The server whose document pages are linked ('' for none)")->capture_default_str();
    iati->add_option("--generated", a->generated, "The generated-datetime to write (YYYY-MM-DDThh:mm:ssZ; default: now)");
    iati->callback([a, &exit_code] { exit_code = run_iati(*a); });

    auto o = std::make_shared<offline::ExportOptions>();
    CLI::App* zim = cmd->add_subcommand("zim", "The site as one role sees it, as a ZIM file for Kiwix (docs/offline.md)");
    add_offline_options(zim, *o, "The .zim file to write");
    zim->callback([o, &exit_code] { exit_code = run_offline(*o, true); });
    CLI::App* html = cmd->add_subcommand("html", "The same pages as the ZIM file, as a folder of static files");
    add_offline_options(html, *o, "The folder to write");
    html->callback([o, &exit_code] { exit_code = run_offline(*o, false); });
}

}  // namespace passerelle::cli
