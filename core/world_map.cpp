#include "core/world_map.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/diagnostics.h"
#include "core/tsv.h"

namespace passerelle {

namespace {

constexpr double k_pi = 3.14159265358979323846;

std::string xml_text(const std::string& s) {
    std::string out;
    for (const char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

std::string fixed(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", v);
    std::string s = b;
    if (s == "-0.0") s = "0.0";
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
    return s;
}

struct Frame {
    double west, east, south, north;
};

struct Projection {
    double west, north, k, kx;  // x = (lon - west) * kx, y = (north - lat) * k
    double x(double lon) const { return (lon - west) * kx; }
    double y(double lat) const { return (north - lat) * k; }
};

// Douglas–Peucker over projected points, keeping both ends.
std::vector<std::pair<double, double>> simplify(const std::vector<std::pair<double, double>>& p, double tolerance) {
    if (p.size() < 4) return p;
    std::vector<bool> keep(p.size(), false);
    keep.front() = keep.back() = true;
    std::vector<std::pair<std::size_t, std::size_t>> stack = {{0, p.size() - 1}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        const double len = std::hypot(p[b].first - p[a].first, p[b].second - p[a].second);
        double best = 0;
        std::size_t far = 0;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = len == 0 ? std::hypot(p[i].first - p[a].first, p[i].second - p[a].second)
                                      : std::abs((p[b].first - p[a].first) * (p[a].second - p[i].second) -
                                                 (p[a].first - p[i].first) * (p[b].second - p[a].second)) / len;
            if (d > best) best = d, far = i;
        }
        if (far && best > tolerance) {
            keep[far] = true;
            stack.emplace_back(a, far);
            stack.emplace_back(far, b);
        }
    }
    std::vector<std::pair<double, double>> out;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (keep[i]) out.push_back(p[i]);
    return out;
}

}  // namespace

WorldMap::WorldMap(const std::string& tsv, const std::string& where) {
    const TsvTable t = parse_tsv(where, tsv);
    const std::size_t code = t.column("code"), rings = t.column("rings");
    for (const TsvRow& row : t.rows) {
        Country c{row.cells[code], {}, 0};
        const std::string& text = row.cells[rings];
        std::size_t at = 0;
        while (at <= text.size()) {
            const std::size_t bar = std::min(text.find('|', at), text.size());
            Ring r{{}, 180, -180, 90, -90, 0};
            const char* p = text.data() + at;
            const char* end = text.data() + bar;
            while (p < end) {
                float lon = 0, lat = 0;
                auto [q, ec] = std::from_chars(p, end, lon);
                if (ec != std::errc() || q >= end || *q != ',') throw Error(where + ":" + std::to_string(row.line) + ": bad point in the outline of " + c.code);
                auto [q2, ec2] = std::from_chars(q + 1, end, lat);
                if (ec2 != std::errc()) throw Error(where + ":" + std::to_string(row.line) + ": bad point in the outline of " + c.code);
                r.points.emplace_back(lon, lat);
                r.min_lon = std::min(r.min_lon, lon), r.max_lon = std::max(r.max_lon, lon);
                r.min_lat = std::min(r.min_lat, lat), r.max_lat = std::max(r.max_lat, lat);
                p = q2 < end && *q2 == ' ' ? q2 + 1 : q2;
            }
            for (std::size_t i = 0; i + 1 < r.points.size(); ++i)  // shoelace, in square degrees
                r.area += static_cast<double>(r.points[i].first) * r.points[i + 1].second -
                          static_cast<double>(r.points[i + 1].first) * r.points[i].second;
            r.area = std::abs(r.area) / 2;
            if (r.points.size() >= 3) c.rings.push_back(std::move(r));
            at = bar + 1;
        }
        if (c.rings.empty()) continue;
        for (std::size_t i = 1; i < c.rings.size(); ++i)
            if (c.rings[i].area > c.rings[c.main].area) c.main = i;
        m_countries.push_back(std::move(c));
    }
    std::sort(m_countries.begin(), m_countries.end(), [](const Country& a, const Country& b) { return a.code < b.code; });
}

const WorldMap& WorldMap::bundled() {
    static const WorldMap map = [] {
        try {
            return WorldMap(read_file(PASSERELLE_MAP_FILE), PASSERELLE_MAP_FILE);
        } catch (const Error& e) {  // pages go on without maps
            std::fprintf(stderr, "passerelle: no maps: %s\n", e.what());
            return WorldMap("code\trings\n", PASSERELLE_MAP_FILE);
        }
    }();
    return map;
}

const WorldMap::Country* WorldMap::find(const std::string& code) const {
    const auto it = std::lower_bound(m_countries.begin(), m_countries.end(), code,
                                     [](const Country& c, const std::string& k) { return c.code < k; });
    return it != m_countries.end() && it->code == code ? &*it : nullptr;
}

bool WorldMap::has(const std::string& code) const { return find(code) != nullptr; }

WorldMap::Drawing WorldMap::draw(const std::vector<MapArea>& areas, const std::vector<MapPlace>& places, double width) const {
    Drawing out;
    // The frame: the shown countries' main land and the places, with a margin.
    Frame f{180, -180, 90, -90};
    bool any = false;
    for (const MapArea& a : areas)
        if (const Country* c = find(a.code)) {
            const Ring& r = c->rings[c->main];
            f = {std::min<double>(f.west, r.min_lon), std::max<double>(f.east, r.max_lon), std::min<double>(f.south, r.min_lat),
                 std::max<double>(f.north, r.max_lat)};
            any = true;
        }
    for (const MapPlace& p : places) {
        f = {std::min(f.west, p.lon), std::max(f.east, p.lon), std::min(f.south, p.lat), std::max(f.north, p.lat)};
        any = true;
    }
    if (!any) return out;
    const double span_lon = std::max(8.0, f.east - f.west), span_lat = std::max(6.0, f.north - f.south);
    const double mid_lon = (f.west + f.east) / 2, mid_lat = (f.south + f.north) / 2;
    f = {mid_lon - span_lon * 0.65, mid_lon + span_lon * 0.65, mid_lat - span_lat * 0.6, mid_lat + span_lat * 0.6};
    f.south = std::max(f.south, -85.0), f.north = std::min(f.north, 85.0);
    f.west = std::max(f.west, -180.0), f.east = std::min(f.east, 180.0);
    const double cos_lat = std::max(0.2, std::cos((f.south + f.north) / 2 * k_pi / 180));
    // At most 3:4 tall: a tall frame is widened (around its middle) rather than drawn tall.
    double k = width / ((f.east - f.west) * cos_lat);
    double height = (f.north - f.south) * k;
    if (height > width * 0.75) {
        const double lon_span = (f.north - f.south) / 0.75 / cos_lat, mid = (f.west + f.east) / 2;
        f.west = std::max(-180.0, mid - lon_span / 2), f.east = std::min(180.0, mid + lon_span / 2);
        k = width / ((f.east - f.west) * cos_lat);
        height = (f.north - f.south) * k;
    }
    out.width = width;
    out.height = height;
    const Projection pr{f.west, f.north, k, k * cos_lat};
    const auto inside = [&](const Ring& r) { return r.max_lon >= f.west && r.min_lon <= f.east && r.max_lat >= f.south && r.min_lat <= f.north; };
    const auto rings = [&](const Country& c) {
        std::vector<Polygon> shapes;
        for (const Ring& r : c.rings) {
            if (!inside(r) || ((r.max_lon - r.min_lon) * pr.kx < 1.5 && (r.max_lat - r.min_lat) * pr.k < 1.5)) continue;
            std::vector<std::pair<double, double>> pts;
            pts.reserve(r.points.size());
            for (const auto& [lon, lat] : r.points) pts.emplace_back(pr.x(lon), pr.y(lat));
            pts = simplify(pts, 0.8);
            if (pts.size() >= 3) shapes.push_back(std::move(pts));
        }
        return shapes;
    };
    std::vector<const Country*> shown;
    for (const MapArea& a : areas)
        if (const Country* c = find(a.code)) shown.push_back(c);
    for (const Country& c : m_countries) {
        if (std::find(shown.begin(), shown.end(), &c) != shown.end()) continue;
        for (Polygon& p : rings(c)) out.land.push_back(std::move(p));
    }
    for (std::size_t i = 0; i < areas.size(); ++i)
        if (const Country* c = find(areas[i].code)) out.areas.push_back({i, rings(*c)});
    for (const MapPlace& p : places) out.places.emplace_back(pr.x(p.lon), pr.y(p.lat));
    return out;
}

std::string WorldMap::svg(const std::vector<MapArea>& areas, const std::vector<MapPlace>& places, const std::string& title,
                          double width) const {
    const Drawing drawing = draw(areas, places, width);
    if (drawing.width == 0) return "";
    const double height = drawing.height;
    const auto path = [](const std::vector<Polygon>& shapes) {
        std::string d;
        for (const Polygon& pts : shapes) {
            // Whole pixels, each point relative to the one before: a third of the bytes.
            long px = std::lround(pts[0].first), py = std::lround(pts[0].second);
            d += "M" + std::to_string(px) + " " + std::to_string(py) + "l";
            std::size_t drawn = 0;
            for (std::size_t i = 1; i < pts.size(); ++i) {
                const long x = std::lround(pts[i].first), y = std::lround(pts[i].second);
                if (x == px && y == py) continue;
                d += (drawn++ ? (x - px < 0 ? "" : " ") : "") + std::to_string(x - px) + (y - py < 0 ? "" : " ") + std::to_string(y - py);
                px = x, py = y;
            }
            d += "z";
        }
        return d;
    };
    std::string out = "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + fixed(width) + " " + fixed(height) +
                      "\" role=\"group\" aria-label=\"" + xml_text(title) + "\">";
    out += "<rect width=\"" + fixed(width) + "\" height=\"" + fixed(height) + "\" fill=\"#eef4fa\"/>";
    const std::string land = path(drawing.land);  // the neighbours, plain
    if (!land.empty()) out += "<path d=\"" + land + "\" fill=\"#ffffff\" stroke=\"#b8c2cc\" stroke-width=\"0.8\"/>";
    for (const auto& [index, shapes] : drawing.areas) {
        const MapArea& a = areas[index];
        const std::string d = path(shapes);
        if (d.empty()) continue;
        out += "<a href=\"" + xml_text(a.url) + "\" aria-label=\"" + xml_text(a.label) + "\"><title>" + xml_text(a.label) +
               "</title><path d=\"" + d + "\" fill=\"#9dbbd8\" stroke=\"#0b4f8a\" stroke-width=\"1\"/></a>";
    }
    // The dots (each a link), then the names above every dot; a name that would cover another
    // is left out (its dot keeps its link and title).
    std::vector<std::array<double, 4>> labels;
    std::string names;
    for (std::size_t i = 0; i < places.size(); ++i) {
        const MapPlace& p = places[i];
        const double x = drawing.places[i].first, y = drawing.places[i].second;
        out += "<a href=\"" + xml_text(p.url) + "\" aria-label=\"" + xml_text(p.label) + "\"><title>" + xml_text(p.label) + "</title>";
        out += "<circle cx=\"" + fixed(x) + "\" cy=\"" + fixed(y) + "\" r=\"15\" fill=\"#ffffff\" fill-opacity=\"0\"/>";
        out += "<circle cx=\"" + fixed(x) + "\" cy=\"" + fixed(y) + "\" r=\"4.5\" fill=\"#b35900\" stroke=\"#ffffff\" stroke-width=\"1.5\"/></a>";
        const bool left = x > width * 0.7;  // the name on the side with room
        const double w = 8 * static_cast<double>(p.name.size()), x0 = left ? x - 8 - w : x + 8;
        const std::array<double, 4> box = {x0 - 2, y - 8, x0 + w + 2, y + 8};
        if (std::any_of(labels.begin(), labels.end(), [&](const auto& b) { return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]; }))
            continue;
        labels.push_back(box);
        names += "<text x=\"" + fixed(left ? x - 8 : x + 8) + "\" y=\"" + fixed(y + 4.5) + "\"" + (left ? " text-anchor=\"end\"" : "") + ">" +
                 xml_text(p.name) + "</text>";
    }
    if (!names.empty())
        out += "<g aria-hidden=\"true\" pointer-events=\"none\" font-size=\"14\" fill=\"#1a1a1a\" stroke=\"#ffffff\" stroke-width=\"3\" "
               "paint-order=\"stroke\">" + names + "</g>";
    return out + "</svg>";
}

}  // namespace passerelle
