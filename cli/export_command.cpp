#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "indexer/iati_export.h"

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
}

}  // namespace passerelle::cli
