// Runs a shell command for a test (poppler, xmllint, python3, perl) and captures its standard
// output; the caller's command line redirects standard error where it wants it.
#pragma once

#include <string>

namespace passerelle::test {

struct CommandOutput {
    int status = -1;  // exit status, -1 when it did not exit normally
    std::string out;
};

CommandOutput run_command(const std::string& command);

}  // namespace passerelle::test
