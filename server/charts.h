// Inline SVG bar charts for the pages: no script, no external request, no style attribute
// (the pages' Content-Security-Policy forbids inline styles; SVG presentation attributes are
// not styles). A chart is a picture of a table the page also has: it is hidden from assistive
// technology (aria-hidden), and the table is what screen readers and print read.
#pragma once

#include <string>
#include <vector>

namespace passerelle::http {

struct ChartBar {
    std::string label;  // "2021", "Objectif"...
    double value = 0;
    bool target = false;  // drawn as an outline: what was aimed at
};

// One indicator: a bar per row, scaled to the largest value, each labelled on its left and with
// its quantity (number and unit as `lang` writes them) on its right.
std::string bar_chart_svg(const std::vector<ChartBar>& bars, const std::string& unit, const std::string& lang);

}  // namespace passerelle::http
