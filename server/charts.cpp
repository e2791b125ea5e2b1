#include "server/charts.h"

#include <algorithm>
#include <cstdio>

#include "core/locale_format.h"
#include "server/templates.h"

namespace passerelle::http {

namespace {

constexpr double k_width = 400, k_label = 76, k_bar_max = 170, k_row = 30, k_bar = 18;

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    return b;
}

}  // namespace

std::string bar_chart_svg(const std::vector<ChartBar>& bars, const std::string& unit, const std::string& lang) {
    if (bars.empty()) return "";
    double largest = 0;
    for (const ChartBar& b : bars) largest = std::max(largest, b.value);
    const double height = k_row * static_cast<double>(bars.size()) + 4;
    std::string out = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + num(k_width) + " " + num(height) +
                      "\" width=\"" + num(k_width) + "\" height=\"" + num(height) + "\" aria-hidden=\"true\" focusable=\"false\">";
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const ChartBar& b = bars[i];
        const double y = k_row * static_cast<double>(i) + 4;
        const double w = largest > 0 ? std::max(b.value > 0 ? 2.0 : 0.0, k_bar_max * b.value / largest) : 0;
        out += "<text x=\"" + num(k_label - 6) + "\" y=\"" + num(y + 13.5) + "\" text-anchor=\"end\" font-size=\"13\" fill=\"#1a1a1a\">" +
               escape_html(b.label) + "</text>";
        out += "<rect x=\"" + num(k_label) + "\" y=\"" + num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(k_bar) + "\" " +
               (b.target ? "fill=\"#ffffff\" stroke=\"#0b4f8a\" stroke-width=\"2\" stroke-dasharray=\"4 3\"" : "fill=\"#0b4f8a\"") + "/>";
        out += "<text x=\"" + num(k_label + w + 6) + "\" y=\"" + num(y + 13.5) + "\" font-size=\"13\" fill=\"#1a1a1a\">" +
               escape_html(quantity(b.value, unit, lang)) + "</text>";
    }
    return out + "</svg>";
}

}  // namespace passerelle::http
