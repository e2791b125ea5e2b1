// The lexicon of a federation holds what one index of all its documents would: the same
// spelling words with the same frequencies, the same synonyms, the same vocabularies.
#include "indexer/lexicon.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <map>

#include "core/catalogue.h"
#include "core/diagnostics.h"
#include "support/shard_servers.h"

namespace passerelle {
namespace {

std::map<std::string, Xapian::termcount> spellings(const std::filesystem::path& dir) {
    Xapian::Database db((dir / "xapian").string());
    std::map<std::string, Xapian::termcount> out;
    for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w) out[*w] = w.get_termfreq();
    return out;
}

std::map<std::string, std::vector<std::string>> synonyms(const std::filesystem::path& dir) {
    Xapian::Database db((dir / "xapian").string());
    std::map<std::string, std::vector<std::string>> out;
    for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k)
        out[*k].assign(db.synonyms_begin(*k), db.synonyms_end(*k));
    return out;
}

TEST(LexiconTest, HoldsTheSpellingAndSynonymsOfOneIndexOfEveryShard) {
    test::Federation fed(400);
    const auto one = spellings(fed.one), merged = spellings(fed.lexicon);
    ASSERT_GT(one.size(), 1000u);
    EXPECT_EQ(merged, one);
    EXPECT_EQ(synonyms(fed.lexicon), synonyms(fed.one));
    EXPECT_FALSE(synonyms(fed.lexicon).empty());
    EXPECT_EQ(Xapian::Database((fed.lexicon / "xapian").string()).get_doccount(), 0u);

    // Built again (an office re-indexed): a new generation replaces the old one whole.
    const LexiconReport again = build_lexicon({fed.shards[0]}, fed.lexicon);
    EXPECT_EQ(again.generation, 2);
    EXPECT_EQ(spellings(fed.lexicon), spellings(fed.shards[0]));
    Catalogue catalogue(fed.lexicon / "catalogue.sqlite", Catalogue::Mode::read_only);
    EXPECT_FALSE(catalogue.vocabulary_files(2).empty());
}

TEST(LexiconTest, ASourceThatIsNoIndexIsNamed) {
    test::TempDir dir;
    try {
        build_lexicon({dir / "missing"}, dir / "lexicon");
        ADD_FAILURE() << "built from nothing";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("missing: cannot read the index"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace passerelle
