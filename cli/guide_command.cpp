#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "core/diagnostics.h"
#include "core/search.h"
#include "generator/guide.h"

namespace passerelle::cli {

namespace {

struct GuideArgs {
    std::string guide, db, output, layout = "parallel", role = "public", date, base_url;
    std::string guides_dir = (std::filesystem::path(PASSERELLE_SOURCE_DIR) / "templates" / "guides").string();
    std::string images = (std::filesystem::path(PASSERELLE_SOURCE_DIR) / "content").string();
    std::string theme = (std::filesystem::path(PASSERELLE_SOURCE_DIR) / "templates" / "theme.yaml").string();
    std::string licence_name, licence_url;
    bool strict = false;
};

int run(const GuideArgs& a) {
    try {
        const auto file = find_guide(a.guide, a.guides_dir);
        GuideOptions o;
        o.db = a.db;
        o.layout = a.layout;
        o.role = a.role;
        o.date = a.date;
        o.strict = a.strict;
        o.base_url = a.base_url;
        o.images = a.images;
        o.theme = a.theme;
        o.licence_name = a.licence_name;
        o.licence_url = a.licence_url;
        std::string name;
        const GuideResult r = build_guide_file(file, o, &name);
        std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
        out << r.pdf;
        out.close();
        if (!out) throw Error(a.output + ": cannot write the PDF");
        for (const auto& m : r.report.missing) std::cerr << "passerelle: warning: " << m << '\n';
        for (const auto& m : r.report.outdated) std::cerr << "passerelle: warning: " << m << '\n';
        std::printf("guide '%s' (%s): %zu sections, %d pages, %zu bytes in %s; %zu missing and %zu outdated translations\n",
                    name.c_str(), a.layout.c_str(), r.report.sections, r.report.pages, r.pdf.size(), a.output.c_str(),
                    r.report.missing.size(), r.report.outdated.size());
        return 0;
    } catch (const SearchError& e) {
        std::cerr << "passerelle: error: --" << e.parameter() << ": " << e.what() << '\n';
        return 2;
    } catch (const Error& e) {
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
}

}  // namespace

void add_guide_command(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<GuideArgs>();
    CLI::App* cmd = app.add_subcommand("guide", "Build a bilingual practice guide as PDF");
    cmd->add_option("guide", a->guide, "A guide name (templates/guides/NAME.yaml) or a .yaml file")->required();
    cmd->add_option("--db", a->db, "Index folder")->required();
    cmd->add_option("-o,--output", a->output, "The PDF to write")->required();
    cmd->add_option("--layout", a->layout, "parallel (side by side) or sequential (French, then English)")
        ->check(CLI::IsMember({"parallel", "sequential"}))
        ->capture_default_str();
    cmd->add_option("--role", a->role, "Whose documents: public, partners or internal")
        ->check(CLI::IsMember({"public", "partners", "internal"}))
        ->capture_default_str();
    cmd->add_option("--date", a->date, "The edition date (YYYY-MM-DD): same inputs and date give the same bytes");
    cmd->add_option("--base-url", a->base_url, "The site's public address (https://archive.example.org): each section links back to its document there; without it, sections name their document without a link");
    cmd->add_option("--guides", a->guides_dir, "Folder of guide definitions")->capture_default_str();
    cmd->add_option("--images", a->images, "Folder that images' relative addresses in the Markdown are read from")->capture_default_str();
    cmd->add_option("--theme", a->theme, "The theme file: cover colours and logo")->capture_default_str();
    cmd->add_option("--licence-name", a->licence_name, "The licence the guide is published under, named in its colophon");
    cmd->add_option("--licence-url", a->licence_url, "The licence's address");
    cmd->add_flag("--strict", a->strict, "Missing or outdated translations are an error");
    cmd->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace passerelle::cli
