// The organisation's own knowledge base in content/: valid, bilingual, and with restricted
// documents, as the knowledge-base issue requires.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/document_reader.h"
#include "core/tsv.h"
#include "support/vocab.h"

namespace passerelle {
namespace {

struct Content {
    std::vector<Document> docs;
    std::vector<std::string> messages;
};

const Content& bundled() {
    static const Content c = [] {
        Content out;
        DiagnosticSink sink;
        for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() / "content")) {
            if (e.path().extension() != ".md") continue;
            const std::string text = read_file(e.path());
            if (auto d = read_markdown_document(text, e.path().string(), test::bundled_vocabularies(), sink))
                out.docs.push_back(std::move(*d));
        }
        for (const auto& d : sink.take()) out.messages.push_back(d.str());
        return out;
    }();
    return c;
}

TEST(ContentTest, EveryFileIsValidWithoutWarnings) {
    EXPECT_TRUE(bundled().messages.empty()) << bundled().messages.front();
}

TEST(ContentTest, AtLeastThirtyDocumentsEachInFrenchAndEnglish) {
    std::map<std::string, std::set<std::string>> langs;
    for (const Document& d : bundled().docs) langs[d.id].insert(d.lang);
    EXPECT_GE(langs.size(), 30u);
    for (const auto& [id, l] : langs) EXPECT_EQ(l, (std::set<std::string>{"en", "fr"})) << id;
}

TEST(ContentTest, KindsAndVisibilityLevelsAreAllRepresented) {
    std::map<std::string, int> kinds, visibility;
    for (const Document& d : bundled().docs) {
        ++kinds[d.kind];
        ++visibility[d.effective_visibility()];
    }
    for (const char* k : {"project", "good_practice", "lesson", "evaluation", "guide", "report"}) EXPECT_GT(kinds[k], 0) << k;
    EXPECT_GE(kinds["project"], 12);  // six projects, two languages
    EXPECT_GT(visibility["partners"], 0);
    EXPECT_GT(visibility["internal"], 0);
    EXPECT_GT(visibility["public"], visibility["partners"] + visibility["internal"]);
}

TEST(ContentTest, ProjectReferencesPointAtProjectRecords) {
    std::set<std::string> projects;
    for (const Document& d : bundled().docs)
        if (d.kind == "project") projects.insert(d.id);
    EXPECT_EQ(projects.size(), 6u);
    for (const Document& d : bundled().docs) {
        if (!d.project.empty()) {
            EXPECT_TRUE(projects.count(d.project)) << d.id << " -> " << d.project;
        }
    }
}

TEST(ContentTest, LanguageVersionsAgreeOnTheirMetadata) {
    std::map<std::string, const Document*> first;
    for (const Document& d : bundled().docs) {
        auto [it, inserted] = first.emplace(d.id, &d);
        if (inserted) continue;
        const Document& o = *it->second;
        EXPECT_EQ(d.kind, o.kind) << d.id;
        EXPECT_EQ(d.visibility, o.visibility) << d.id;
        EXPECT_EQ(d.countries, o.countries) << d.id;
        EXPECT_EQ(d.all_themes, o.all_themes) << d.id;
        EXPECT_EQ(d.project, o.project) << d.id;
        EXPECT_EQ(d.date, o.date) << d.id;
        EXPECT_EQ(d.indicators.size(), o.indicators.size()) << d.id;
    }
}

// Bad practices are published too (issue 20): the public lessons give the guides their
// "what to avoid" part.
TEST(ContentTest, SomeLessonsArePublic) {
    std::set<std::string> lessons;
    for (const Document& d : bundled().docs)
        if (d.kind == "lesson" && d.effective_visibility() == "public") lessons.insert(d.id);
    EXPECT_GE(lessons.size(), 3u);
}

// Every practice says how to repeat it: its steps make the guides' replication checklist.
TEST(ContentTest, EveryPracticeCarriesItsSteps) {
    int practices = 0;
    for (const Document& d : bundled().docs) {
        if (d.kind != "good_practice") continue;
        ++practices;
        EXPECT_GE(d.steps.size(), 2u) << d.id << "." << d.lang;
    }
    EXPECT_GT(practices, 10);
}

}  // namespace
}  // namespace passerelle
