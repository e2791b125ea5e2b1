#include "indexer/lexicon.h"

#include <xapian.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "core/index_schema.h"
#include "indexer/index_layout.h"

namespace passerelle {

LexiconReport build_lexicon(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& out) {
    const auto start = std::chrono::steady_clock::now();
    if (sources.empty()) throw Error("--db: no index folder to take a lexicon from");
    LexiconReport report;
    std::map<std::string, Xapian::termcount> words;
    std::map<std::string, std::set<std::string>> synonyms;
    std::map<std::string, std::string> vocabulary;
    for (const auto& source : sources) {
        Xapian::Database db;
        try {
            db = Xapian::Database((source / "xapian").string());
            for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) words[*w] += w.get_termfreq();
            for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k)
                synonyms[*k].insert(db.synonyms_begin(*k), db.synonyms_end(*k));
        } catch (const Xapian::Error& e) {
            throw Error(source.string() + ": cannot read the index: " + e.get_description());
        }
        if (vocabulary.empty()) {
            Catalogue catalogue(source / "catalogue.sqlite", Catalogue::Mode::read_only);
            vocabulary = catalogue.vocabulary_files(schema::generation_of(db));
        }
        ++report.sources;
    }

    std::filesystem::create_directories(out);
    ensure_index_layout(out);
    Catalogue catalogue(out / "catalogue.sqlite", Catalogue::Mode::read_write);
    int generation = 1;
    try {
        generation = schema::generation_of(Xapian::Database((out / "xapian").string())) + 1;
    } catch (const Xapian::DatabaseNotFoundError&) {  // an index folder of an older version, its link naming an empty folder
    } catch (const Xapian::Error& e) {
        throw Error(out.string() + ": cannot read the lexicon it holds: " + e.get_description());
    }
    const std::string name = "xapian-" + std::to_string(generation);
    try {
        std::filesystem::remove_all(out / name);
        Xapian::WritableDatabase w((out / name).string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
        for (const auto& [word, n] : words) w.add_spelling(word, n);
        for (const auto& [key, expansions] : synonyms)
            for (const std::string& e : expansions) w.add_synonym(key, e);
        w.set_metadata(std::string(schema::k_meta_generation), std::to_string(generation));
        w.set_metadata(std::string(schema::k_meta_schema), std::to_string(schema::k_schema_version));
        w.commit();
    } catch (const Xapian::Error& e) {
        throw Error(out.string() + ": cannot write the lexicon: " + e.get_description());
    }
    catalogue.begin();
    for (const auto& [file, content] : vocabulary) catalogue.put_vocabulary_file(file, content, generation);
    catalogue.commit();
    catalogue.set_generation(generation);
    switch_index(out, name);
    remove_stale_databases(out);
    report.words = words.size();
    report.synonym_keys = synonyms.size();
    report.generation = generation;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace passerelle
