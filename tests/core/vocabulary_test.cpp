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

TEST(VocabularyTest, PlacesHaveTheirCoordinatesAndABadRowSaysWhere) {
    const Vocabularies& v = test::bundled_vocabularies();
    const Place* p = v.find_place("saint-louis");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->country, "SN");
    EXPECT_NEAR(p->lat, 16.03, 0.01);
    EXPECT_NEAR(p->lon, -16.50, 0.01);
    EXPECT_NE(v.find_place("Labe"), nullptr);  // accents aside
    EXPECT_EQ(v.find_place("Atlantis"), nullptr);

    auto files = Vocabularies::read_files(Vocabularies::default_dir());
    files["places.tsv"] = "name\tcountry\tlat\tlon\nPodor\tSN\t16.65\t-14.96\nNulle part\tSN\t95\t0\n";
    try {
        Vocabularies::from_files(files);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "places.tsv:3: '95' is not a latitude (degrees, -90 to 90)");
    }
    files["places.tsv"] = "name\tcountry\tlat\tlon\nPodor\tXX\t16.65\t-14.96\n";
    EXPECT_THROW(Vocabularies::from_files(files), Error);
    files.erase("places.tsv");  // an index made before places.tsv: no place is drawn
    EXPECT_TRUE(Vocabularies::from_files(files).places.empty());
}

}  // namespace
}  // namespace passerelle
