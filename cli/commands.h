// The subcommands of `passerelle`, each registered on the CLI11 application. A command sets
// `exit_code` when it has run.
#pragma once

namespace CLI {
class App;
}

namespace passerelle::cli {

void add_index_commands(CLI::App& app, int& exit_code);  // index, check, compact
void add_search_command(CLI::App& app, int& exit_code);
void add_serve_commands(CLI::App& app, int& exit_code);  // serve, token
void add_guide_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);  // export iati, zim, html
void add_user_command(CLI::App& app, int& exit_code);    // user add|list|disable|passwd

}  // namespace passerelle::cli
