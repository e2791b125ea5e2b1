// passerelle: one program, with subcommands that call into the libraries.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
    CLI::App app{"Passerelle: capitalisation knowledge base and guide generator"};
    app.set_version_flag("--version", "passerelle 0.1.0");
    app.require_subcommand(1);
    int exit_code = 0;
    passerelle::cli::add_index_commands(app, exit_code);
    passerelle::cli::add_search_command(app, exit_code);
    passerelle::cli::add_serve_commands(app, exit_code);
    passerelle::cli::add_guide_command(app, exit_code);
    passerelle::cli::add_export_command(app, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}
