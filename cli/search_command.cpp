#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace passerelle::cli {

void add_search_command(CLI::App&, int&) {}

}  // namespace passerelle::cli
