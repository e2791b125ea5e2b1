// The notes' history and states (DIR/editorial.sqlite): versions kept whole with who and when,
// a save over a newer version refused (nothing written), states and comments, queues.
#include "core/editorial.h"

#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "support/temp_dir.h"

namespace passerelle {
namespace {

NoteEntry entry(const std::string& id, const std::string& state) {
    NoteEntry e;
    e.id = id, e.lang = "fr", e.kind = "lesson", e.title = "Titre " + id, e.state = state;
    return e;
}

TEST(EditorialTest, EveryVersionIsKeptAndASaveOverANewerOneIsRefused) {
    test::TempDir dir;
    Editorial ed(dir.path());
    EXPECT_EQ(ed.save(entry("le-a", "draft"), "v1", 0, 7, "awa", "saved"), 1);
    EXPECT_EQ(ed.save(entry("le-a", "draft"), "v2", 1, 8, "rev", "saved"), 2);
    // Two forms opened on version 2: the first save wins, the second is refused, untouched.
    EXPECT_EQ(ed.save(entry("le-a", "draft"), "v3 by awa", 2, 7, "awa", "saved"), 3);
    EXPECT_FALSE(ed.save(entry("le-a", "draft"), "v3 by rev", 2, 8, "rev", "saved"));
    EXPECT_FALSE(ed.save(entry("le-a", "draft"), "again", 0, 8, "rev", "saved"));  // "new" over an existing note
    const auto v = ed.versions("le-a", "fr");
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[1].text, "v2");
    EXPECT_EQ(v[1].account_name, "rev");
    EXPECT_EQ(v[2].text, "v3 by awa");
    EXPECT_EQ(ed.note("le-a", "fr")->author, 7);  // whoever saved the first version
    EXPECT_EQ(ed.note("le-a", "fr")->author_name, "awa");
    EXPECT_TRUE(ed.id_taken("le-a"));
    EXPECT_FALSE(ed.id_taken("le-b"));
    EXPECT_FALSE(ed.note("le-a", "en"));
}

TEST(EditorialTest, StatesCommentsAndQueues) {
    test::TempDir dir;
    {
        Editorial ed(dir.path());
        ed.save(entry("le-a", "submitted"), "text a", 0, 7, "awa", "submitted");
        ed.save(entry("le-b", "draft"), "text b", 0, 7, "awa", "saved");
        ed.save(entry("le-c", "submitted"), "text c", 0, 9, "moussa", "submitted");
        ed.comment("le-a", "fr", "rev", "Précisez le nombre de puits.");
        ed.set_state("le-a", "fr", "returned", 8, "rev");
        EXPECT_THROW(ed.set_state("le-z", "fr", "published", 8, "rev"), Error);
    }
    Editorial ed(dir.path());  // all of it is on disk
    EXPECT_EQ(ed.note("le-a", "fr")->state, "returned");
    EXPECT_EQ(ed.note("le-a", "fr")->version, 2);
    EXPECT_EQ(ed.version("le-a", "fr", 2)->text, "text a");  // a change of state keeps the text
    EXPECT_EQ(ed.version("le-a", "fr", 2)->action, "returned");
    ASSERT_EQ(ed.comments("le-a", "fr").size(), 1u);
    EXPECT_EQ(ed.comments("le-a", "fr")[0].text, "Précisez le nombre de puits.");
    EXPECT_EQ(ed.comments("le-a", "fr")[0].version, 1);
    EXPECT_EQ(ed.by_author(7).size(), 2u);
    ASSERT_EQ(ed.in_state("submitted").size(), 1u);
    EXPECT_EQ(ed.in_state("submitted")[0].id, "le-c");
    ed.set_state("le-c", "fr", "withdrawn", 8, "rev", "doublon");
    EXPECT_EQ(ed.note("le-c", "fr")->reason, "doublon");
}

}  // namespace
}  // namespace passerelle
