// The vocabularies as files give them: regions.tsv came later than the others, so an index
// built before it (its catalogue keeps the files it was built with) and a vocabulary folder of
// that time still load, with no region.
#include "core/vocabulary.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/diagnostics.h"
#include "support/temp_dir.h"
#include "support/vocab.h"

namespace passerelle {
namespace {

TEST(VocabularyTest, RegionsAreReadFromTheirFile) {
    const Vocabularies& v = test::bundled_vocabularies();
    ASSERT_NE(v.regions.find("289"), nullptr);
    EXPECT_EQ(v.regions.find("289")->label("fr"), "Sud du Sahara, régional");
    EXPECT_EQ(v.regions.find("998")->label("en"), "Developing countries, unspecified");
    EXPECT_EQ(v.regions.find("SN"), nullptr);
}

TEST(VocabularyTest, VocabulariesWithoutRegionsStillLoad) {
    auto files = Vocabularies::read_files(Vocabularies::default_dir());
    ASSERT_EQ(files.erase("regions.tsv"), 1u);
    const Vocabularies from_an_older_index = Vocabularies::from_files(files);
    EXPECT_TRUE(from_an_older_index.regions.terms().empty());
    EXPECT_TRUE(from_an_older_index.countries.contains("SN"));

    test::TempDir dir;
    for (const auto& [name, content] : files) dir.write(name, content);
    const Vocabularies from_an_older_folder = Vocabularies::load(dir.path());
    EXPECT_TRUE(from_an_older_folder.regions.terms().empty());
    // The other files stay required.
    std::filesystem::remove(dir / "countries.tsv");
    EXPECT_THROW(Vocabularies::load(dir.path()), Error);
}

}  // namespace
}  // namespace passerelle
