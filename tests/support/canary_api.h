// The API over a small real index whose partners-only and internal documents carry canary
// words ("zanzibarpartner", "zanzibarinterne"), in their text and in their attached PDFs, with
// a partners token "tok-p" and an internal token "tok-i": what the API and page tests look for
// leaks in. The public project pr-eau has a PDF (rapport.pdf, whose page 2 alone has the word
// "margelle") and an image (puits.png). Header-only, for the tests that link the server.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/hash.h"
#include "server/api.h"
#include "support/fixture_index.h"
#include "support/sample_files.h"

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
                                     "visibility: public\n" + proj + "indicators:\n  - {name: Écoles, value: 10, unit: école, year: 2020}\n" +
                                         "attachments:\n  - {file: rapport.pdf, title: Rapport final}\n"
                                         "  - {file: puits.png, alt: Le puits de l'école, credit: Photo Le Partenariat}\n"));
        f.add("p/pr-eau/rapport.pdf", sample_pdf({"Rapport final du projet.", "La margelle du puits est neuve."}));
        f.add("p/pr-eau/puits.png", sample_png());
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
                                        "indicators:\n  - {name: Écoles, value: 99, unit: école, year: 2022}\n"
                                        "attachments:\n  - {file: secret.pdf}\n"));
        f.add("p/le-secret/secret.pdf", sample_pdf({"Annexe zanzibarinterne: pdfcanaryinterne."}));
        f.add("p/le-part.fr.md", note("le-part", "fr", "lesson", "Leçon zanzibarpartner", "Forages zanzibarpartner au Maroc.",
                                      "visibility: partners\ndate: 2021\ncountries: [MA]\nattachments:\n  - {file: part.pdf}\n"));
        f.add("p/le-part/part.pdf", sample_pdf({"Annexe zanzibarpartner: pdfcanarypartner."}));
        if (more) more(f);
        f.index();
        config.db = f.db().string();
        config.tokens = {{"ugb", "partners", content_hash("tok-p")}, {"staff", "internal", content_hash("tok-i")}};
        readers = std::make_unique<IndexReaders>(f.db());
        api = std::make_unique<http::Api>(config, *readers, metrics);
    }
};

}  // namespace passerelle::test
