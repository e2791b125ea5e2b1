#include "core/diagnostics.h"

#include <gtest/gtest.h>

namespace passerelle {
namespace {

TEST(DiagnosticsTest, PrintsCompilerStyle) {
    Diagnostic d{{"content/practices/x.fr.md", 7, 3}, Severity::error, "unknown theme 'watr'"};
    EXPECT_EQ(d.str(), "content/practices/x.fr.md:7:3: error: unknown theme 'watr'");
    d.severity = Severity::warning;
    d.where.column = 0;
    EXPECT_EQ(d.str(), "content/practices/x.fr.md:7: warning: unknown theme 'watr'");
    d.where.line = 0;
    EXPECT_EQ(d.str(), "content/practices/x.fr.md: warning: unknown theme 'watr'");
}

TEST(DiagnosticsTest, SinkCountsBySeverity) {
    DiagnosticSink sink;
    sink.error({"a", 1, 1}, "e1");
    sink.warning({"a", 2, 1}, "w1");
    sink.error({"b", 3, 1}, "e2");
    EXPECT_EQ(sink.error_count(), 2u);
    EXPECT_EQ(sink.warning_count(), 1u);
    const auto items = sink.take();
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[1].message, "w1");
}

}  // namespace
}  // namespace passerelle
