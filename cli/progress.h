// A progress bar on a terminal (count, rate, time left); silent otherwise.
#pragma once

#include <chrono>
#include <cstddef>

namespace passerelle::cli {

class ProgressBar {
  public:
    explicit ProgressBar(bool enabled);
    void update(std::size_t done, std::size_t total);
    void finish();  // clears the bar's line

  private:
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_start, m_last;
};

// True when standard error is a terminal.
bool stderr_is_terminal();

}  // namespace passerelle::cli
