#include "core/diagnostics.h"

#include <utility>

namespace passerelle {

std::string Diagnostic::str() const {
    std::string out = where.file;
    if (where.line > 0) {
        out += ':' + std::to_string(where.line);
        if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    out += severity == Severity::error ? ": error: " : ": warning: ";
    out += message;
    return out;
}

void DiagnosticSink::report(Diagnostic d) {
    std::lock_guard lock(m_mutex);
    (d.severity == Severity::error ? m_errors : m_warnings)++;
    m_items.push_back(std::move(d));
}

void DiagnosticSink::error(const SourcePos& where, std::string message) {
    report({where, Severity::error, std::move(message)});
}

void DiagnosticSink::warning(const SourcePos& where, std::string message) {
    report({where, Severity::warning, std::move(message)});
}

std::size_t DiagnosticSink::error_count() const {
    std::lock_guard lock(m_mutex);
    return m_errors;
}

std::size_t DiagnosticSink::warning_count() const {
    std::lock_guard lock(m_mutex);
    return m_warnings;
}

std::vector<Diagnostic> DiagnosticSink::take() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_items, {});
}

}  // namespace passerelle
