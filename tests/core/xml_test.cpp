#include "core/xml.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace passerelle {
namespace {

std::filesystem::path write(const test::TempDir& dir, const std::string& name, const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

TEST(XmlTest, RecordsStreamInOrderWithTheirAttributesTextAndLines) {
    test::TempDir dir;
    const auto path = write(dir, "a.xml",
                            "<?xml version=\"1.0\"?>\n<root version=\"2.03\" xml:lang=\"fr\">\n"
                            "  <other><r>not a record</r></other>\n"
                            "  <r id=\"1\"><t xml:lang=\"en\">One &amp; <![CDATA[only]]></t></r>\n"
                            "  <r id=\"2\"><t>Deux</t><t>Zwei</t><x:e xmlns:x=\"urn:x\" a=\"b\"/></r>\n"
                            "</root>\n");
    XmlElement root;
    std::vector<XmlElement> records;
    stream_xml_records(path, "r", [&](const XmlElement& r) { root = r; }, [&](XmlElement&& r) { records.push_back(std::move(r)); });
    EXPECT_EQ(root.name, "root");
    EXPECT_EQ(root.attribute_or("version", ""), "2.03");
    EXPECT_EQ(root.attribute_or("xml:lang", ""), "fr");
    EXPECT_TRUE(root.children.empty());
    ASSERT_EQ(records.size(), 2u);  // the <r> inside <other> is not a record
    EXPECT_EQ(records[0].attribute_or("id", ""), "1");
    EXPECT_EQ(records[0].line, 4);
    ASSERT_NE(records[0].child("t"), nullptr);
    EXPECT_EQ(records[0].child("t")->text, "One & only");
    EXPECT_EQ(records[0].child("t")->attribute_or("xml:lang", ""), "en");
    EXPECT_EQ(records[1].children_named("t").size(), 2u);
    ASSERT_NE(records[1].child("x:e"), nullptr);
    EXPECT_EQ(records[1].child("x:e")->attribute_or("a", ""), "b");
    EXPECT_EQ(records[1].line, 5);
}

TEST(XmlTest, AMalformedFileSaysWhereAndKeepsTheRecordsBeforeIt) {
    test::TempDir dir;
    const auto path = write(dir, "bad.xml", "<root>\n<r>1</r>\n<r>2</r>\n<r>3\n</root>\n");
    std::vector<std::string> seen;
    try {
        stream_xml_records(path, "r", [](const XmlElement&) {}, [&](XmlElement&& r) { seen.push_back(r.text); });
        FAIL() << "no error";
    } catch (const XmlError& e) {
        EXPECT_EQ(e.line(), 5);
        EXPECT_NE(std::string(e.what()), "");
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"1", "2"}));
}

TEST(XmlTest, EntitiesFromOutsideAreNeverLoaded) {
    test::TempDir dir;
    const auto secret = write(dir, "secret.txt", "SECRET");
    const auto path = write(dir, "xxe.xml",
                            "<?xml version=\"1.0\"?>\n<!DOCTYPE root [<!ENTITY e SYSTEM \"file://" + secret.string() +
                                "\">]>\n<root><r>&e;</r></root>\n");
    std::string text;
    try {
        stream_xml_records(path, "r", [](const XmlElement&) {}, [&](XmlElement&& r) { text = r.text; });
    } catch (const XmlError&) {
    }
    EXPECT_EQ(text.find("SECRET"), std::string::npos);
}

// Found while bounding every input: three million nested elements in one record crashed the
// importer (its recursion ran out of stack) after taking 880 MB. Records are held whole, so
// their depth is bounded; the records before the deep one are delivered.
TEST(XmlTest, ElementsNestedTooDeeplyAreRefusedAtTheirLine) {
    test::TempDir dir;
    std::string deep;
    for (int i = 0; i < 3000000; ++i) deep += "<a>";
    for (int i = 0; i < 3000000; ++i) deep += "</a>";
    const auto path = write(dir, "deep.xml", "<root>\n<r>one</r>\n<r>\n" + deep + "</r>\n</root>\n");
    std::vector<std::string> seen;
    try {
        stream_xml_records(path, "r", [](const XmlElement&) {}, [&](XmlElement&& r) { seen.push_back(r.text); });
        FAIL() << "no error";
    } catch (const XmlError& e) {
        EXPECT_EQ(e.line(), 4);
        EXPECT_STREQ(e.what(), "elements nested deeper than 64 levels");
    }
    EXPECT_EQ(seen, std::vector<std::string>{"one"});
    std::string limit = "<r>";
    for (int i = 1; i < 64; ++i) limit += "<a>";
    for (int i = 1; i < 64; ++i) limit += "</a>";
    EXPECT_EQ(parse_xml(limit + "</r>").name, "r");  // 64 levels: read
    try {
        parse_xml("<r>\n" + deep + "</r>");
        FAIL() << "no error";
    } catch (const XmlError& e) {
        EXPECT_EQ(e.line(), 2);
    }
}

TEST(XmlTest, AMissingFileIsAnErrorNamingIt) {
    try {
        stream_xml_records("/nonexistent/x.xml", "r", [](const XmlElement&) {}, [](XmlElement&&) {});
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/x.xml"), std::string::npos);
    }
}

TEST(XmlTest, WrittenDocumentsAreWellFormedWhateverTheText) {
    XmlWriter w;
    w.start("root").attribute("q", "a\"b<c>&d");
    w.element("t", "x < y & \"z\" \x01 bell \xFF bad byte, été, \xF0\x9F\x8C\x8D");
    w.comment("a -- comment-");
    w.end();
    const std::string out = w.finish();
    const XmlElement back = parse_xml(out);
    EXPECT_EQ(back.attribute_or("q", ""), "a\"b<c>&d");
    ASSERT_NE(back.child("t"), nullptr);
    EXPECT_EQ(back.child("t")->text, "x < y & \"z\" \xEF\xBF\xBD bell \xEF\xBF\xBD bad byte, été, \xF0\x9F\x8C\x8D");
}

TEST(XmlTest, ParseReportsTheLineOfAFault) {
    try {
        parse_xml("<a>\n<b>\n</a>");
        FAIL() << "no error";
    } catch (const XmlError& e) {
        EXPECT_EQ(e.line(), 3);
    }
    EXPECT_THROW(parse_xml("<a/><b/>"), XmlError);
}

}  // namespace
}  // namespace passerelle
