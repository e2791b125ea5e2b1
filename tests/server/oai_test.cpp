// The OAI-PMH provider on a real loopback server: every verb's response is well-formed and has
// the protocol's structure, every error code comes where the protocol says, lists page through
// resumption tokens, selective harvesting works, withdrawn documents are deleted records, and
// an independent harvester (Debian's libhttp-oai-perl) harvests exactly the public archive.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "core/catalogue.h"
#include "core/url.h"
#include "core/xml.h"
#include "server/pistache_server.h"
#include "support/command.h"
#include "support/fixture_index.h"
#include "support/http_client.h"

namespace passerelle {
namespace {

using test::note;

constexpr int k_page = 4;

std::string fm(const std::string& visibility, const std::string& extra = "") {
    return "visibility: " + visibility + "\ndate: 2021-05\n" + extra;
}

class OaiTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_fx = new test::FixtureIndex();
        for (int i = 0; i < 9; ++i) {  // bilingual public reports: 9 records over 3 pages
            const std::string id = "rp-" + std::to_string(i);
            const std::string extra = std::string("countries: [") + (i % 2 ? "SN" : "GN") + "]\nthemes: [water]\nauthors: [Le Partenariat]\n";
            s_fx->add("r/" + id + ".fr.md", note(id, "fr", "report", "Rapport « eau » n°" + std::to_string(i), "Texte.", fm("public", extra + "summary: Résumé.\n")));
            s_fx->add("r/" + id + ".en.md", note(id, "en", "report", "Water report no. " + std::to_string(i), "Text.", fm("public", extra)));
        }
        s_fx->add("p/gp-1.fr.md", note("gp-1", "fr", "good_practice", "Bonne pratique & compagnie", "x", fm("public", "countries: [MA]\n")));
        s_fx->add("p/gp-1.en.md", note("gp-1", "en", "good_practice", "CANARYPARTNERS title", "x", fm("partners")));
        s_fx->add("p/in-1.fr.md", note("in-1", "fr", "lesson", "CANARYINTERNAL", "x", fm("internal")));
        s_fx->add("p/dr-1.fr.md", note("dr-1", "fr", "lesson", "CANARYDRAFT", "x", fm("public", "status: draft\n")));
        s_fx->add("p/gone.fr.md", note("gone", "fr", "lesson", "Bientôt retiré", "x", fm("public")));
        s_fx->add("p/hidden-later.fr.md", note("hidden-later", "fr", "lesson", "Bientôt interne", "x", fm("public")));
        s_fx->add("p/XM-odd:1#2.fr.md", note("XM-odd:1#2", "fr", "project", "Identifiant IATI", "x", fm("public")));
        ASSERT_EQ(s_fx->index().errors, 0u);
        s_first_generation = s_fx->report.generation;
        // A second run withdraws two documents: one file removed, one made internal.
        std::filesystem::remove(s_fx->content() / "p/gone.fr.md");
        s_fx->add("p/hidden-later.fr.md", note("hidden-later", "fr", "lesson", "CANARYLATER", "x", fm("internal")));
        ASSERT_EQ(s_fx->index().errors, 0u);

        ServerConfig c;
        c.db = s_fx->db().string();
        c.port = 0;
        c.access_log = "";
        c.oai_page_size = k_page;
        c.oai_repository_id = "archive.test";
        s_config = c;
        s_server = new HttpServer(s_config);
        s_server->start();
        s_port = s_server->port();
    }
    static void TearDownTestSuite() {
        delete s_server;
        delete s_fx;
    }

    static std::string base() { return "http://127.0.0.1:" + std::to_string(s_port) + "/oai"; }

    static test::HttpReply get(const std::string& query) {
        return test::http_get(s_port, "/oai?" + query);
    }

    // The response, checked for what every OAI-PMH response has, parsed.
    static XmlElement oai(const std::string& query, const std::map<std::string, std::string>& echoed = {}) {
        const test::HttpReply r = get(query);
        EXPECT_EQ(r.status, 200) << query;
        EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "", "text/xml; charset=utf-8");
        XmlElement root;
        try {
            root = parse_xml(r.body);
        } catch (const XmlError& e) {
            ADD_FAILURE() << query << ": not well-formed at line " << e.line() << ": " << e.what();
            return root;
        }
        EXPECT_EQ(root.name, "OAI-PMH") << query;
        EXPECT_EQ(root.attribute_or("xmlns", ""), "http://www.openarchives.org/OAI/2.0/");
        EXPECT_NE(root.attribute_or("xsi:schemaLocation", "").find("http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"), std::string::npos);
        if (root.children.size() < 3) {
            ADD_FAILURE() << query << ": " << r.body;
            return root;
        }
        EXPECT_EQ(root.children[0].name, "responseDate");
        EXPECT_TRUE(std::regex_match(root.children[0].text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"))) << root.children[0].text;
        EXPECT_EQ(root.children[1].name, "request");
        EXPECT_EQ(root.children[1].text, base());
        for (const auto& [k, v] : echoed) EXPECT_EQ(root.children[1].attribute_or(k, "(none)"), v) << query;
        if (echoed.empty()) {
            EXPECT_TRUE(root.children[1].attributes.empty()) << query;
        }
        return root;
    }

    static std::string error_code(const XmlElement& root) {
        const XmlElement* e = root.child("error");
        return e ? e->attribute_or("code", "") : "";
    }

    // Every header of a list, through its resumption tokens, checking the paging as it goes.
    static std::vector<XmlElement> list_all(const std::string& verb, const std::string& args, std::size_t* pages = nullptr) {
        std::vector<XmlElement> headers;
        std::string query = "verb=" + verb + "&" + args;
        std::size_t page = 0, expected_cursor = 0;
        for (int guard = 0; guard < 100; ++guard) {
            const XmlElement root = oai(query, {{"verb", verb}});
            const XmlElement* list = root.child(verb);
            if (!list) {
                ADD_FAILURE() << query << ": no " << verb << " (error '" << error_code(root) << "')";
                break;
            }
            ++page;
            std::size_t here = 0;
            for (const XmlElement& c : list->children) {
                if (c.name == "header") headers.push_back(c), ++here;
                if (c.name == "record") headers.push_back(*c.child("header")), ++here;
            }
            EXPECT_LE(here, static_cast<std::size_t>(k_page));
            const XmlElement* token = list->child("resumptionToken");
            if (!token) break;
            EXPECT_EQ(token->attribute_or("cursor", ""), std::to_string(expected_cursor));
            expected_cursor += here;
            if (token->text.empty()) {
                EXPECT_EQ(token->attribute_or("completeListSize", ""), std::to_string(headers.size()));
                break;
            }
            query = "verb=" + verb + "&resumptionToken=" + http::percent_encode(token->text);
        }
        if (pages) *pages = page;
        return headers;
    }

    static std::set<std::string> public_ids() {
        Catalogue cat(s_fx->db() / "catalogue.sqlite", Catalogue::Mode::read_only);
        std::set<std::string> ids;
        cat.for_each_public_entry(s_fx->report.generation, [&](std::string_view id, std::string_view, int, std::string_view) {
            ids.insert("oai:archive.test:" + http::percent_encode(id));
        });
        return ids;
    }

    static test::FixtureIndex* s_fx;
    static ServerConfig s_config;
    static HttpServer* s_server;
    static int s_port;
    static int s_first_generation;
};

test::FixtureIndex* OaiTest::s_fx = nullptr;
ServerConfig OaiTest::s_config;
HttpServer* OaiTest::s_server = nullptr;
int OaiTest::s_port = 0;
int OaiTest::s_first_generation = 0;

TEST_F(OaiTest, IdentifyDescribesTheRepository) {
    const XmlElement root = oai("verb=Identify", {{"verb", "Identify"}});
    const XmlElement* id = root.child("Identify");
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(id->child("baseURL")->text, base());
    EXPECT_EQ(id->child("protocolVersion")->text, "2.0");
    EXPECT_EQ(id->child("granularity")->text, "YYYY-MM-DDThh:mm:ssZ");
    EXPECT_EQ(id->child("deletedRecord")->text, "transient");
    EXPECT_FALSE(id->child("adminEmail")->text.empty());
    EXPECT_TRUE(std::regex_match(id->child("earliestDatestamp")->text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    const XmlElement* desc = id->child("description");
    ASSERT_NE(desc, nullptr);
    EXPECT_EQ(desc->child("oai-identifier")->child("repositoryIdentifier")->text, "archive.test");
}

TEST_F(OaiTest, MetadataFormatsAndSets) {
    const XmlElement formats = oai("verb=ListMetadataFormats", {{"verb", "ListMetadataFormats"}});
    const XmlElement* f = formats.child("ListMetadataFormats")->child("metadataFormat");
    EXPECT_EQ(f->child("metadataPrefix")->text, "oai_dc");
    EXPECT_EQ(f->child("metadataNamespace")->text, "http://www.openarchives.org/OAI/2.0/oai_dc/");
    EXPECT_EQ(f->child("schema")->text, "http://www.openarchives.org/OAI/2.0/oai_dc.xsd");
    const XmlElement sets = oai("verb=ListSets", {{"verb", "ListSets"}});
    std::set<std::string> specs;
    for (const XmlElement* s : sets.child("ListSets")->children_named("set")) {
        specs.insert(s->child("setSpec")->text);
        EXPECT_FALSE(s->child("setName")->text.empty());
    }
    for (const char* s : {"kind", "theme", "country", "kind:report", "kind:good_practice", "theme:water", "country:SN", "country:GN", "country:MA"})
        EXPECT_TRUE(specs.count(s)) << s;
    EXPECT_FALSE(specs.count("kind:guide"));  // no record: not offered
}

TEST_F(OaiTest, ListsPageThroughTokensAndGiveEveryPublicDocumentOnce) {
    std::size_t pages = 0;
    const auto headers = list_all("ListIdentifiers", "metadataPrefix=oai_dc", &pages);
    std::set<std::string> live, deleted;
    for (const XmlElement& h : headers) {
        const std::string id = h.child("identifier")->text;
        EXPECT_TRUE((h.attribute_or("status", "") == "deleted" ? deleted : live).insert(id).second) << "twice: " << id;
        EXPECT_TRUE(std::regex_match(h.child("datestamp")->text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    }
    EXPECT_EQ(live, public_ids());
    EXPECT_EQ(live.size(), 11u);  // 9 reports, the good practice, the IATI-like id
    EXPECT_EQ(deleted, (std::set<std::string>{"oai:archive.test:gone", "oai:archive.test:hidden-later"}));
    EXPECT_EQ(pages, 4u);  // 13 headers, 4 a page
    EXPECT_TRUE(live.count("oai:archive.test:XM-odd%3A1%232"));

    const auto records = list_all("ListRecords", "metadataPrefix=oai_dc");
    EXPECT_EQ(records.size(), headers.size());
}

TEST_F(OaiTest, NothingButPublicVersionsIsEverShown) {
    std::string all;
    std::string query = "verb=ListRecords&metadataPrefix=oai_dc";
    for (int guard = 0; guard < 20; ++guard) {
        const test::HttpReply r = get(query);
        all += r.body;
        const std::smatch m = [&] {
            std::smatch x;
            std::regex_search(r.body, x, std::regex("<resumptionToken[^>]*>([^<]+)</resumptionToken>"));
            return x;
        }();
        if (m.empty()) break;
        query = "verb=ListRecords&resumptionToken=" + http::percent_encode(m[1].str());
    }
    EXPECT_NE(all.find("Bonne pratique &amp; compagnie"), std::string::npos);
    for (const char* canary : {"CANARYPARTNERS", "CANARYINTERNAL", "CANARYDRAFT", "CANARYLATER", "in-1", "dr-1"})
        EXPECT_EQ(all.find(canary), std::string::npos) << canary;
    EXPECT_EQ(get("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:archive.test:in-1").body.find("CANARY"), std::string::npos);
}

TEST_F(OaiTest, RecordsAreBilingualDublinCore) {
    const XmlElement root = oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:archive.test:rp-3",
                                {{"verb", "GetRecord"}, {"metadataPrefix", "oai_dc"}, {"identifier", "oai:archive.test:rp-3"}});
    const XmlElement* record = root.child("GetRecord")->child("record");
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->child("header")->child("identifier")->text, "oai:archive.test:rp-3");
    const XmlElement* dc = record->child("metadata")->child("oai_dc:dc");
    ASSERT_NE(dc, nullptr);
    EXPECT_EQ(dc->attribute_or("xmlns:oai_dc", ""), "http://www.openarchives.org/OAI/2.0/oai_dc/");
    EXPECT_EQ(dc->attribute_or("xmlns:dc", ""), "http://purl.org/dc/elements/1.1/");
    std::map<std::string, std::string> titles;
    for (const XmlElement* t : dc->children_named("dc:title")) titles[t->attribute_or("xml:lang", "")] = t->text;
    EXPECT_EQ(titles["fr"], "Rapport « eau » n°3");
    EXPECT_EQ(titles["en"], "Water report no. 3");
    std::set<std::string> languages, identifiers, coverage;
    for (const XmlElement* l : dc->children_named("dc:language")) languages.insert(l->text);
    for (const XmlElement* i : dc->children_named("dc:identifier")) identifiers.insert(i->text);
    for (const XmlElement* c : dc->children_named("dc:coverage")) coverage.insert(c->text);
    EXPECT_EQ(languages, (std::set<std::string>{"fr", "en"}));
    EXPECT_TRUE(identifiers.count("http://127.0.0.1:" + std::to_string(s_port) + "/fr/documents/rp-3"));
    EXPECT_TRUE(coverage.count("Senegal"));
    EXPECT_EQ(dc->child("dc:creator")->text, "Le Partenariat");
    EXPECT_EQ(dc->child("dc:date")->text, "2021-05");
    EXPECT_EQ(dc->child("dc:description")->text, "Résumé.");

    // A withdrawn document: a header marked deleted, and no metadata.
    const XmlElement gone = oai("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:archive.test:gone",
                                {{"verb", "GetRecord"}, {"metadataPrefix", "oai_dc"}, {"identifier", "oai:archive.test:gone"}});
    const XmlElement* header = gone.child("GetRecord")->child("record")->child("header");
    EXPECT_EQ(header->attribute_or("status", ""), "deleted");
    EXPECT_EQ(gone.child("GetRecord")->child("record")->child("metadata"), nullptr);
}

TEST_F(OaiTest, SetsAndDatesSelect) {
    EXPECT_EQ(list_all("ListIdentifiers", "metadataPrefix=oai_dc&set=kind:report").size(), 9u);
    EXPECT_EQ(list_all("ListIdentifiers", "metadataPrefix=oai_dc&set=country:SN").size(), 4u);
    EXPECT_EQ(list_all("ListIdentifiers", "metadataPrefix=oai_dc&set=country").size(), 10u);  // a family: all its sets
    // Datestamps: the withdrawn ones changed at the second run, no earlier than the others.
    const auto all = list_all("ListIdentifiers", "metadataPrefix=oai_dc");
    const std::string last = all.back().child("datestamp")->text;
    EXPECT_EQ(list_all("ListIdentifiers", "metadataPrefix=oai_dc&from=" + last).size() >= 2u, true);
    EXPECT_EQ(list_all("ListIdentifiers", "metadataPrefix=oai_dc&until=" + last.substr(0, 10)).size(), all.size());
    EXPECT_EQ(error_code(oai("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2099-01-01",
                             {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}, {"from", "2099-01-01"}})),
              "noRecordsMatch");
}

TEST_F(OaiTest, EveryErrorOfTheProtocol) {
    struct Case {
        std::string query, code;
        bool echoes;  // badVerb and badArgument echo no argument
    };
    const std::vector<Case> cases = {
        {"", "badVerb", false},
        {"verb=Explain", "badVerb", false},
        {"verb=Identify&verb=Identify", "badVerb", false},
        {"verb=Identify&set=x", "badArgument", false},
        {"verb=ListRecords", "badArgument", false},
        {"verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument", false},
        {"verb=ListRecords&metadataPrefix=oai_dc&from=2021-13-01", "badArgument", false},
        {"verb=ListRecords&metadataPrefix=oai_dc&from=2021-01-01&until=2021-12-31T00:00:00Z", "badArgument", false},
        {"verb=ListRecords&metadataPrefix=oai_dc&from=2022-01-01&until=2021-01-01", "badArgument", false},
        {"verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc", "badArgument", false},
        {"verb=GetRecord&identifier=oai:archive.test:rp-1", "badArgument", false},
        {"verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat", true},
        {"verb=GetRecord&metadataPrefix=mods&identifier=oai:archive.test:rp-1", "cannotDisseminateFormat", true},
        {"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:archive.test:nope", "idDoesNotExist", true},
        {"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:archive.test:in-1", "idDoesNotExist", true},
        {"verb=ListMetadataFormats&identifier=oai:elsewhere:rp-1", "idDoesNotExist", true},
        {"verb=ListRecords&resumptionToken=v1!ListRecords!4!garbage", "badResumptionToken", true},
        {"verb=ListIdentifiers&resumptionToken=abc", "badResumptionToken", true},
        {"verb=ListSets&resumptionToken=abc", "badResumptionToken", true},
        {"verb=ListRecords&metadataPrefix=oai_dc&set=theme:energy", "noRecordsMatch", true},
    };
    for (const Case& c : cases) {
        const test::HttpReply r = get(c.query);
        EXPECT_EQ(r.status, 200) << c.query;
        const XmlElement root = parse_xml(r.body);
        EXPECT_EQ(error_code(root), c.code) << c.query;
        ASSERT_GE(root.children.size(), 3u) << c.query;
        EXPECT_EQ(root.children[1].text, base()) << c.query;
        EXPECT_EQ(root.children[1].attributes.empty(), !c.echoes) << c.query;
    }
    // A token from a list for another verb is refused too.
    const XmlElement first = oai("verb=ListIdentifiers&metadataPrefix=oai_dc", {{"verb", "ListIdentifiers"}, {"metadataPrefix", "oai_dc"}});
    const std::string token = first.child("ListIdentifiers")->child("resumptionToken")->text;
    EXPECT_EQ(error_code(parse_xml(get("verb=ListRecords&resumptionToken=" + http::percent_encode(token)).body)), "badResumptionToken");
}

TEST_F(OaiTest, PostIsAnsweredLikeGet) {
    test::HttpConnection c("127.0.0.1", s_port);
    const std::string body = "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Aarchive.test%3Agp-1";
    const test::HttpReply r = c.exchange("POST /oai HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(s_port) +
                                         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                                         std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Bonne pratique &amp; compagnie"), std::string::npos) << r.body;
}

TEST_F(OaiTest, AnIndependentHarvesterGetsTheWholePublicArchive) {
    // Debian's libhttp-oai-perl: it parses and checks every response, and follows the tokens.
    const std::string script = std::string(PASSERELLE_TEST_SOURCE_DIR) + "/tests/oai/harvest.pl";
    const auto run = test::run_command("PERL_UNICODE=SO perl '" + script + "' '" + base() + "' 2>&1");
    ASSERT_EQ(run.status, 0) << run.out;
    const std::string& out = run.out;
    std::set<std::string> live, deleted;
    std::vector<std::size_t> pages;
    std::map<std::string, std::string> titles;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string x; std::getline(fields, x, '\t');) f.push_back(x);
        if (f.size() >= 4 && f[0] == "record") {
            (f[3] == "deleted" ? deleted : live).insert(f[1]);
            if (f.size() > 4) titles[f[1]] = f[4];
        } else if (f.size() == 3 && f[0] == "page") {
            pages.push_back(std::stoul(f[2]));
        }
    }
    EXPECT_EQ(live, public_ids()) << out;
    EXPECT_EQ(deleted.size(), 2u) << out;
    EXPECT_EQ(pages, (std::vector<std::size_t>{4, 4, 4, 1})) << out;  // page by page through the tokens
    EXPECT_EQ(titles["oai:archive.test:rp-2"], "Rapport « eau » n°2|Water report no. 2") << out;
}

}  // namespace
}  // namespace passerelle
