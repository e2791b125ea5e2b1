#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace passerelle::cli {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(bool enabled)
    : m_enabled(enabled), m_start(std::chrono::steady_clock::now()), m_last(m_start) {}

void ProgressBar::update(std::size_t done, std::size_t total) {
    if (!m_enabled) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - m_last < std::chrono::milliseconds(100)) return;
    m_last = now;
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    const double rate = elapsed > 0 ? done / elapsed : 0;
    const double left = rate > 0 && total > done ? (total - done) / rate : 0;
    constexpr int k_width = 30;
    const int filled = total ? static_cast<int>(k_width * done / total) : k_width;
    std::string bar(filled, '#');
    bar.resize(k_width, '.');
    std::fprintf(stderr, "\r  %zu/%zu [%s] %.0f docs/s, %.1fs left  ", done, total, bar.c_str(), rate, left);
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish() {
    if (m_drawn) std::fprintf(stderr, "\r%80s\r", "");
    m_drawn = false;
}

}  // namespace passerelle::cli
