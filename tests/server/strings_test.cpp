// The interface strings (templates/strings.tsv): every message a visitor can see exists in
// French and in English, each in its own typography. The keys are read where they are used:
// the page templates ({{t.key}}) and the page handlers (t.value("key"), count_text(t, "key")),
// and the keys made at run time from a known set of values are listed here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

const std::filesystem::path k_source = PASSERELLE_TEST_SOURCE_DIR;

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Row {
    std::string fr, en;
    int line = 0;
};

std::map<std::string, Row> strings() {
    std::map<std::string, Row> out;
    std::istringstream in(read(k_source / "templates" / "strings.tsv"));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        if (++n == 1 || line.empty()) continue;
        const auto a = line.find('\t'), b = line.find('\t', a + 1);
        EXPECT_TRUE(a != std::string::npos && b != std::string::npos && line.find('\t', b + 1) == std::string::npos)
            << "strings.tsv:" << n << ": key, French and English, separated by tabs";
        if (a == std::string::npos || b == std::string::npos) continue;
        const std::string key = line.substr(0, a);
        EXPECT_FALSE(out.count(key)) << "strings.tsv:" << n << ": '" << key << "' is defined twice";
        out[key] = {line.substr(a + 1, b - a - 1), line.substr(b + 1), n};
    }
    return out;
}

// The keys the templates and page handlers use, with where each is used.
std::map<std::string, std::string> used_keys() {
    std::map<std::string, std::string> used;
    const std::regex in_template(R"(\{\{[#^/]?t\.([a-z0-9_]+)\}\})");
    for (const auto& e : std::filesystem::directory_iterator(k_source / "templates" / "pages")) {
        const std::string text = read(e.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), in_template); it != std::sregex_iterator(); ++it)
            used.emplace((*it)[1].str(), e.path().filename().string());
    }
    const std::regex value(R"((?:\bt|strings\([^)]*\))\.value\(\"([a-z0-9_]*[a-z0-9])\")"), count(R"(count_text\(t, \"([a-z0-9_]+)\")");
    for (const auto& e : std::filesystem::directory_iterator(k_source / "server")) {
        const std::string name = e.path().filename().string();
        if (name.rfind("pages", 0) != 0 || e.path().extension() != ".cpp") continue;
        const std::string text = read(e.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), value); it != std::sregex_iterator(); ++it)
            used.emplace((*it)[1].str(), name);
        for (auto it = std::sregex_iterator(text.begin(), text.end(), count); it != std::sregex_iterator(); ++it) {
            used.emplace((*it)[1].str() + "_one", name);
            used.emplace((*it)[1].str() + "_other", name);
        }
    }
    // Keys made from a value at run time.
    for (const char* k : {"lang_fr", "lang_en", "sort_relevance", "sort_date", "layout_parallel", "layout_sequential",
                          "layout_parallel_hint", "layout_sequential_hint", "sees_public", "sees_partners", "sees_internal",
                          "error_400_text", "error_401_text", "error_404_text", "error_413_text", "error_414_text",
                          "error_429_text", "error_431_text", "error_503_text", "by_kind", "by_lang", "by_country",
                          "by_place", "by_theme", "by_phase", "by_year", "action_saved", "action_submitted", "action_returned",
                          "action_published", "action_withdrawn", "action_restored",
                          // (chosen by a condition, where the pattern above does not see them)
                          "error_query_text", "error_parameter_text", "error_text", "since_year", "until_year", "all_documents",
                          "documents_heading", "all_words_none", "results_one", "results_other", "quote_open", "quote_close"})
        used.emplace(k, "(made at run time)");
    return used;
}

TEST(StringsTest, EveryStringAVisitorCanSeeExistsInBothLanguages) {
    const auto table = strings();
    ASSERT_GT(table.size(), 100u);
    const auto used = used_keys();
    ASSERT_GT(used.size(), 100u);
    for (const auto& [key, where] : used) {
        const auto it = table.find(key);
        ASSERT_NE(it, table.end()) << "'" << key << "' (used in " << where << ") is missing from templates/strings.tsv";
        EXPECT_FALSE(it->second.fr.empty()) << "strings.tsv:" << it->second.line << ": '" << key << "' has no French";
        EXPECT_FALSE(it->second.en.empty()) << "strings.tsv:" << it->second.line << ": '" << key << "' has no English";
    }
    // A key made from a prefix and a value (t.value("state_" + state)): the prefix has its strings.
    const std::regex prefixed(R"(t\.value\(\"([a-z_]+_)\" \+)");
    for (const auto& e : std::filesystem::directory_iterator(k_source / "server")) {
        const std::string text = read(e.path());
        for (auto it = std::sregex_iterator(text.begin(), text.end(), prefixed); it != std::sregex_iterator(); ++it) {
            const std::string prefix = (*it)[1].str();
            const auto at = table.lower_bound(prefix);
            EXPECT_TRUE(at != table.end() && at->first.rfind(prefix, 0) == 0)
                << e.path().filename().string() << " makes keys '" << prefix << "…' and strings.tsv has none";
        }
    }
    for (const auto& [key, row] : table) {
        EXPECT_FALSE(row.fr.empty() || row.en.empty()) << "strings.tsv:" << row.line << ": '" << key << "' needs both languages";
    }
}

// French: a no-break space before « : ; ? ! » and inside « », typographic apostrophes.
// English: no space before those marks, curly quotes, typographic apostrophes.
TEST(StringsTest, EachLanguageFollowsItsOwnTypography) {
    // (Alternatives, not a class: a class would hold the bytes of "»" one by one.)
    const std::regex french_space(R"( :| ;| \?| !| »|« )"), english_space(R"( [:;?!])");
    for (const auto& [key, row] : strings()) {
        EXPECT_FALSE(std::regex_search(row.fr, french_space)) << "strings.tsv:" << row.line << ": '" << key
                                                              << "': a no-break space (U+00A0) goes before : ; ? ! » and after «";
        EXPECT_EQ(row.fr.find('\''), std::string::npos) << "strings.tsv:" << row.line << ": '" << key << "': ’, not '";
        EXPECT_FALSE(std::regex_search(row.en, english_space)) << "strings.tsv:" << row.line << ": '" << key << "': no space before : ; ? !";
        EXPECT_EQ(row.en.find('\''), std::string::npos) << "strings.tsv:" << row.line << ": '" << key << "': ’, not '";
        EXPECT_EQ(row.en.find("«"), std::string::npos) << "strings.tsv:" << row.line << ": '" << key << "': “ ”, not « »";
        EXPECT_EQ(row.en.find('"'), std::string::npos) << "strings.tsv:" << row.line << ": '" << key << "': “ ”, not \"";
    }
}

// Templates write no visible punctuation of one language: the colon and quotes come from the strings.
TEST(StringsTest, TemplatesTakeTheirPunctuationFromTheStrings) {
    for (const auto& e : std::filesystem::directory_iterator(k_source / "templates" / "pages")) {
        const std::string text = read(e.path());
        for (const char* bad : {"}} : ", "> : ", "« ", " »", "} ?<"})
            EXPECT_EQ(text.find(bad), std::string::npos) << e.path().filename().string() << " writes \"" << bad << "\"";
    }
}

}  // namespace
