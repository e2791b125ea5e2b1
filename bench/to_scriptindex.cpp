// Converts a JSON Lines file of the project's bulk format into the record format of Xapian
// Omega's scriptindex, so that both indexers read the same documents in the benchmark.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "guarded_main.h"

namespace {

void field(std::ostream& out, const char* name, const std::string& value) {
    out << name << '=';
    for (char c : value) {
        out << c;
        if (c == '\n') out << '=';  // continuation lines start with '='
    }
    out << '\n';
}

}  // namespace

int run(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: bench_to_scriptindex IN.jsonl OUT.txt\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    std::ofstream out(argv[2]);
    std::string line;
    while (std::getline(in, line)) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object()) continue;
        field(out, "id", j.value("id", "") + "@" + j.value("lang", ""));
        field(out, "lang", j.value("lang", ""));
        field(out, "kind", j.value("kind", ""));
        field(out, "title", j.value("title", ""));
        for (const auto& c : j.value("countries", nlohmann::json::array())) field(out, "country", c.get<std::string>());
        for (const auto& s : j.value("sectors", nlohmann::json::array())) field(out, "sector", s.get<std::string>());
        if (j.contains("year") && j["year"].is_number()) field(out, "year", std::to_string(j["year"].get<int>()));
        field(out, "body", j.value("body", ""));
        out << '\n';
    }
    return 0;
}

int main(int argc, char** argv) { return passerelle::bench::guarded_main(argc, argv, run); }
