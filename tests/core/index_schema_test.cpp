#include "core/index_schema.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace passerelle {
namespace {

// The rows of the Markdown table that follows the marker comment `<!-- name: ... -->`.
std::vector<std::vector<std::string>> doc_table(const std::string& name) {
    std::ifstream in(test::source_dir() / "docs" / "index-schema.md");
    std::string line;
    bool inside = false;
    std::vector<std::vector<std::string>> rows;
    while (std::getline(in, line)) {
        if (line.rfind("<!-- " + name + ":", 0) == 0) {
            inside = true;
            continue;
        }
        if (!inside) continue;
        if (line.empty() || line[0] != '|') {
            if (!rows.empty()) break;
            continue;
        }
        if (line.find("---") != std::string::npos) continue;
        std::vector<std::string> cells;
        std::stringstream ss(line.substr(1));
        std::string cell;
        while (std::getline(ss, cell, '|')) {
            const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
            cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
        }
        rows.push_back(cells);
    }
    if (!rows.empty()) rows.erase(rows.begin());  // header
    return rows;
}

const char* how_name(schema::Indexing how) {
    switch (how) {
        case schema::Indexing::free_text: return "free_text";
        case schema::Indexing::boolean_filter: return "boolean_filter";
        case schema::Indexing::sort_value: return "sort_value";
        case schema::Indexing::stored: return "stored";
    }
    return "?";
}

TEST(IndexSchemaTest, DocumentedFieldTableMatchesTheCode) {
    const auto rows = doc_table("fields");
    const auto& rules = schema::field_rules();
    ASSERT_EQ(rows.size(), rules.size()) << "docs/index-schema.md and core/index_schema.cpp list different fields";
    for (std::size_t i = 0; i < rules.size(); ++i) {
        SCOPED_TRACE(std::string(rules[i].field));
        ASSERT_EQ(rows[i].size(), 5u);
        EXPECT_EQ(rows[i][0], rules[i].field);
        EXPECT_EQ(rows[i][1], how_name(rules[i].how));
        EXPECT_EQ(rows[i][2], rules[i].prefix);
        EXPECT_EQ(rows[i][3], std::to_string(rules[i].weight));
        EXPECT_EQ(rows[i][4], rules[i].query_name);
    }
}

TEST(IndexSchemaTest, DocumentedValueSlotsMatchTheCode) {
    const auto rows = doc_table("slots");
    ASSERT_EQ(rows.size(), 6u);
    EXPECT_EQ(rows[0][0], "date");
    EXPECT_EQ(rows[0][1], std::to_string(schema::k_slot_date));
    EXPECT_EQ(rows[1][0], "year");
    EXPECT_EQ(rows[1][1], std::to_string(schema::k_slot_year));
    EXPECT_EQ(rows[2][0], "facets");
    EXPECT_EQ(rows[2][1], std::to_string(schema::k_slot_facets));
    EXPECT_EQ(rows[3][0], "text");
    EXPECT_EQ(rows[3][1], std::to_string(schema::k_slot_text));
    EXPECT_EQ(rows[4][0], "id");
    EXPECT_EQ(rows[4][1], std::to_string(schema::k_slot_id));
    EXPECT_EQ(rows[5][0], "attachments");
    EXPECT_EQ(rows[5][1], std::to_string(schema::k_slot_attachments));
}

TEST(IndexSchemaTest, DateKeysSortChronologically) {
    EXPECT_EQ(schema::date_key("2021"), "20210000");
    EXPECT_EQ(schema::date_key("2021-06"), "20210600");
    EXPECT_EQ(schema::date_key("2021-06-15"), "20210615");
    EXPECT_LT(schema::date_key("2021"), schema::date_key("2021-01"));
    EXPECT_EQ(schema::date_key(""), "");
}

TEST(IndexSchemaTest, UniqueTermJoinsIdAndLang) {
    EXPECT_EQ(schema::uid_term("gp-ecole", "fr"), "Qgp-ecole@fr");
}

}  // namespace
}  // namespace passerelle
