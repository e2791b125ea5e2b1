// The API over a small real index whose partners-only and internal documents carry canary
// words ("zanzibarpartner", "zanzibarinterne"), with a partners token "tok-p" and an internal
// token "tok-i": what the API and page tests look for leaks in. Header-only, for the tests
// that link the server.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/hash.h"
#include "server/api.h"
#include "support/fixture_index.h"

namespace passerelle::test {

struct CanaryApi {
    FixtureIndex index;
    ServerConfig config;
    std::unique_ptr<IndexReaders> readers;
    http::Metrics metrics;
    std::unique_ptr<http::Api> api;

    // `more` adds documents of the test's own before indexing.
    explicit CanaryApi(const std::function<void(FixtureIndex&)>& more = {}) {
        auto& f = index;
        const std::string proj = "date: 2015\ncountries: [SN]\nthemes: [water]\n";
        f.add("p/pr-eau.fr.md", note("pr-eau", "fr", "project", "Projet eau des écoles", "# Contexte\n\nLatrines et forages à Podor.",
                                     "visibility: public\n" + proj + "indicators:\n  - {name: Écoles, value: 10, unit: école, year: 2020}\n"));
        f.add("p/pr-eau.en.md", note("pr-eau", "en", "project", "School water project", "Latrines and boreholes in Podor.",
                                     "visibility: public\n" + proj + "indicators:\n  - {name: Schools, value: 10, unit: school, year: 2020}\n"));
        f.add("p/ev-eau.fr.md", note("ev-eau", "fr", "evaluation", "Évaluation du projet eau", "Les latrines sont entretenues.",
                                     "visibility: public\nproject: pr-eau\nphase: evaluation\n" + proj +
                                         "indicators:\n  - {name: Écoles, value: 10, unit: école, year: 2020}\n"));
        f.add("p/gp-pompes.fr.md", note("gp-pompes", "fr", "good_practice", "Pompes solaires à Podor", "Des pompes solaires pour les forages.",
                                        "visibility: public\nproject: pr-eau\ndate: 2018\ncountries: [SN]\n"));
        f.add("p/gp-pompes.en.md", note("gp-pompes", "en", "good_practice", "Solar pumps in Podor zanzibarpartner",
                                        "Solar pumps for boreholes. zanzibarpartner", "visibility: partners\nproject: pr-eau\ndate: 2018\ncountries: [SN]\n"));
        f.add("p/le-secret.fr.md", note("le-secret", "fr", "lesson", "Note zanzibarinterne", "Latrines forages zanzibarinterne à Labé.",
                                        "project: pr-eau\ndate: 2022\ncountries: [GN]\nthemes: [health]\n"
                                        "indicators:\n  - {name: Écoles, value: 99, unit: école, year: 2022}\n"));
        f.add("p/le-part.fr.md", note("le-part", "fr", "lesson", "Leçon zanzibarpartner", "Forages zanzibarpartner au Maroc.",
                                      "visibility: partners\ndate: 2021\ncountries: [MA]\n"));
        if (more) more(f);
        f.index();
        config.db = f.db().string();
        config.tokens = {{"ugb", "partners", content_hash("tok-p")}, {"staff", "internal", content_hash("tok-i")}};
        readers = std::make_unique<IndexReaders>(f.db());
        api = std::make_unique<http::Api>(config, *readers, metrics);
    }
};

}  // namespace passerelle::test
