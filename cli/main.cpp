// passerelle: one program, with subcommands that call into the libraries.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/commands.h"

namespace {

int run(int argc, char** argv) {
    CLI::App app{"Passerelle: capitalisation knowledge base and guide generator"};
    app.set_version_flag("--version", "passerelle 0.1.0");
    app.require_subcommand(1);
    int exit_code = 0;
    passerelle::cli::add_index_commands(app, exit_code);
    passerelle::cli::add_search_command(app, exit_code);
    passerelle::cli::add_serve_commands(app, exit_code);
    passerelle::cli::add_guide_command(app, exit_code);
    passerelle::cli::add_export_command(app, exit_code);
    passerelle::cli::add_user_command(app, exit_code);
    CLI11_PARSE(app, argc, argv);
    return exit_code;
}

}  // namespace

// The subcommands report their own errors where they happen; what escapes them (an allocation
// that failed, a fault in a library) still ends with a message, not with std::terminate.
int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "passerelle: error: %s\n", e.what());
        return 1;
    }
}
