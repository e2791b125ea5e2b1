// Diagnostics that say where: file, line, column, severity and message,
// printed compiler-style ("path:7:3: error: unknown theme 'watr'").
#pragma once

#include <cstddef>
#include <iosfwd>
#include <stdexcept>
#include <mutex>
#include <string>
#include <vector>

namespace passerelle {

enum class Severity { warning, error };

struct SourcePos {
    std::string file;
    int line = 0;    // 1-based; 0 when unknown
    int column = 0;  // 1-based; 0 when unknown
};

struct Diagnostic {
    SourcePos where;
    Severity severity = Severity::error;
    std::string message;

    // "file:line:col: error: message" (line and column left out when unknown).
    std::string str() const;
};

// Collects diagnostics; thread-safe so that parallel parsing can report into one sink.
class DiagnosticSink {
  public:
    void report(Diagnostic d);
    void error(const SourcePos& where, std::string message);
    void warning(const SourcePos& where, std::string message);

    std::size_t error_count() const;
    std::size_t warning_count() const;
    std::vector<Diagnostic> take();  // moves the collected diagnostics out, in report order

  private:
    mutable std::mutex m_mutex;
    std::vector<Diagnostic> m_items;
    std::size_t m_errors = 0;
    std::size_t m_warnings = 0;
};

// A fatal failure that stops a whole command (a database that cannot be opened, ...).
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace passerelle
