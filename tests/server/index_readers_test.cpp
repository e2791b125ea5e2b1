#include "server/index_readers.h"

#include <gtest/gtest.h>

#include "indexer/compact.h"
#include "support/fixture_index.h"

namespace passerelle {
namespace {

using test::note;

TEST(IndexReadersTest, NewGenerationsAndCompactedDatabasesAreReopened) {
    test::FixtureIndex f;
    f.add("a.fr.md", note("a", "fr", "report", "Forage", "Forage du village.", "visibility: public\n"));
    f.index();
    IndexReaders readers(f.db());
    EXPECT_FALSE(readers.poll());  // nothing changed
    IndexReaders::Reader* first = &readers.current();
    const Searcher* opened = first->searcher.get();
    EXPECT_EQ(readers.current().searcher.get(), opened);  // kept while nothing changes

    f.add("b.fr.md", note("b", "fr", "report", "Digue", "Digue anti-sel.", "visibility: public\n"));
    f.index();
    EXPECT_TRUE(readers.poll());
    EXPECT_EQ(readers.generation(), 2);
    EXPECT_NE(readers.current().searcher.get(), opened);
    EXPECT_EQ(readers.current().searcher->generation(), 2);
    opened = readers.current().searcher.get();

    compact_index(f.db());  // same generation, another database: the old one's files are gone
    EXPECT_TRUE(readers.poll());
    EXPECT_EQ(readers.generation(), 2);
    EXPECT_NE(readers.current().searcher.get(), opened);
    SearchRequest r;
    r.query = "digue";
    EXPECT_EQ(readers.current().searcher->search(r).total, 1u);
    EXPECT_FALSE(readers.poll());
}

}  // namespace
}  // namespace passerelle
