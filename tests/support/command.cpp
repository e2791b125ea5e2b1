#include "support/command.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace passerelle::test {

CommandOutput run_command(const std::string& command) {
    CommandOutput o;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return o;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) o.out.append(buf.data(), n);
    const int raw = pclose(p);
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return o;
}

}  // namespace passerelle::test
