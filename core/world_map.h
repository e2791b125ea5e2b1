// Maps of countries and places as inline SVG: Natural Earth outlines (templates/map/
// countries.tsv, made by scripts/make-map), framed on what is shown, with no tiles and no
// request. Every shown country and place is a link; countries around them are drawn plain.
// The pages and, later, the guides draw their maps here.
#pragma once

#include <string>
#include <vector>

namespace passerelle {

struct MapArea {  // a country shown: filled, linked
    std::string code;   // ISO 3166-1 alpha-2
    std::string label;  // its name, and what the link leads to ("Sénégal: 12 documents")
    std::string url;
};

struct MapPlace {  // a place shown: a dot with its name, linked
    std::string name, label, url;
    double lat = 0, lon = 0;
};

class WorldMap {
  public:
    // Parses the outlines table; throws Error naming `where` and the line of a bad row.
    WorldMap(const std::string& tsv, const std::string& where);
    // The bundled outlines (templates/map/countries.tsv of the source tree), read once.
    static const WorldMap& bundled();

    bool has(const std::string& code) const;
    // An SVG about `width` wide, framed on `areas` (their main land) and `places`, with a margin;
    // "" when none of them can be drawn. `title` names the map for assistive technology.
    std::string svg(const std::vector<MapArea>& areas, const std::vector<MapPlace>& places, const std::string& title,
                    double width = 420) const;

    // The same map as shapes, for other outputs (the guides' PDF): points in units from the top
    // left, y downwards; width 0 when nothing can be drawn.
    using Polygon = std::vector<std::pair<double, double>>;
    struct Drawing {
        double width = 0, height = 0;
        std::vector<Polygon> land;                                           // the countries around, plain
        std::vector<std::pair<std::size_t, std::vector<Polygon>>> areas;     // each shown area (its index), its shapes
        std::vector<std::pair<double, double>> places;                       // each place's point, in order
    };
    Drawing draw(const std::vector<MapArea>& areas, const std::vector<MapPlace>& places, double width) const;

  private:
    struct Ring {
        std::vector<std::pair<float, float>> points;  // lon, lat
        float min_lon, max_lon, min_lat, max_lat;
        double area = 0;
    };
    struct Country {
        std::string code;
        std::vector<Ring> rings;
        std::size_t main = 0;  // the largest ring: what a frame is made to show
    };
    const Country* find(const std::string& code) const;
    std::vector<Country> m_countries;  // by code
};

}  // namespace passerelle
