#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"Passerelle: capitalisation knowledge base and guide generator"};
    app.set_version_flag("--version", "passerelle 0.1.0");
    app.require_subcommand(1);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
