// Writing and reviewing notes in the pages, on plain requests (no sockets) over the canary
// index with writing on (`serve --content`): the form's errors at their fields with nothing
// typed lost, drafts and submitted notes visible to their author and reviewers only, return
// with a comment, publishing into search, conflicts, withdrawal, and the forms' tokens.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "core/accounts.h"
#include "core/editorial.h"
#include "core/sessions.h"
#include "core/url.h"
#include "support/canary_api.h"
#include "support/sample_files.h"

namespace passerelle::http {
namespace {

struct Person {
    std::string cookie, csrf;
};

class NotesTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_env = new test::CanaryApi();
        s_config = new ServerConfig(s_env->config);
        s_config->content = s_env->index.content().string();
        s_api = new Api(*s_config, *s_env->readers, s_env->metrics);
        Accounts accounts(s_config->db);
        Sessions sessions(s_config->db, 3600);
        auto person = [&](const std::string& name, const std::string& role, const std::vector<std::string>& rights) {
            const Account a = accounts.add(name, "", role, rights, "a-long-password-" + name);
            const Session s = sessions.open(a.id, std::time(nullptr));
            return Person{"passerelle_session=" + s.id, s.csrf};
        };
        s_awa = person("awa", "partners", {"author"});
        s_moussa = person("moussa", "partners", {"author"});
        s_reader = person("lecteur", "internal", {});
        s_rev = person("rev", "internal", {"reviewer"});
    }
    static void TearDownTestSuite() {
        delete s_api;
        delete s_config;
        delete s_env;
    }

    static Response send(Api& api, const std::string& method, const std::string& path, const Person* who, const std::string& body = "",
                         std::vector<std::pair<std::string, std::string>> query = {}) {
        Request r;
        r.method = method;
        r.path = path;
        r.query = std::move(query);
        r.headers["host"] = "archive.example.org";
        if (who) r.headers["cookie"] = who->cookie;
        if (method == "POST") r.headers["content-type"] = "application/x-www-form-urlencoded";
        r.body = body;
        std::string route;
        return api.handle(r, route);
    }
    static Response get(const std::string& path, const Person* who, std::vector<std::pair<std::string, std::string>> query = {}) {
        return send(*s_api, "GET", path, who, "", std::move(query));
    }
    static Response post(const std::string& path, const Person* who, const std::vector<std::pair<std::string, std::string>>& fields,
                         bool with_token = true) {
        std::string body = with_token && who ? "csrf=" + who->csrf : "";
        for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + k + "=" + percent_encode(v);
        return send(*s_api, "POST", path, who, body);
    }
    // A reviewer's decision on the version the review page shows.
    static Response decide(const Person* who, const std::string& id, const std::string& action, const std::string& comment = "",
                           const std::string& lang = "fr") {
        const auto e = Editorial(s_config->db).note(id, lang);
        return post("/" + lang + "/review/note", who, {{"id", id}, {"lang", lang}, {"action", action}, {"comment", comment},
                                                       {"version", e ? std::to_string(e->version) : "0"}});
    }
    static std::string header(const Response& r, const std::string& name) {
        const std::string* h = r.header(name);
        return h ? *h : "";
    }
    static std::vector<std::pair<std::string, std::string>> note_fields(const std::string& title, const std::string& body,
                                                                        const std::string& date, const std::string& action,
                                                                        const std::string& id = "", int base = 0) {
        return {{"id", id}, {"base", std::to_string(base)}, {"lang", "fr"}, {"kind", "lesson"}, {"title", title},
                {"summary", "Un comité de gestion dès le départ."}, {"date", date}, {"countries", "SN"}, {"themes", "water"},
                {"visibility", "partners"}, {"ind_name_1", "Puits"}, {"ind_value_1", "12"}, {"body", body}, {"action", action}};
    }
    // The API's hits for `q` as the internal token: what staff would find.
    static std::string staff_search(const std::string& q) {
        Request r;
        r.path = "/api/search";
        r.query = {{"q", q}};
        r.headers["authorization"] = "Bearer tok-i";
        std::string route;
        return s_api->handle(r, route).body;
    }

    static test::CanaryApi* s_env;
    static ServerConfig* s_config;
    static Api* s_api;
    static Person s_awa, s_moussa, s_reader, s_rev;
};

test::CanaryApi* NotesTest::s_env = nullptr;
ServerConfig* NotesTest::s_config = nullptr;
Api* NotesTest::s_api = nullptr;
Person NotesTest::s_awa, NotesTest::s_moussa, NotesTest::s_reader, NotesTest::s_rev;

TEST_F(NotesTest, WritingIsOffWithoutAContentFolderAndNeedsAnAuthor) {
    EXPECT_EQ(send(*s_env->api, "GET", "/fr/notes", &s_awa).status, 404);  // serve without --content
    const Response anonymous = get("/fr/notes/new", nullptr);
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_EQ(header(anonymous, "Location"), "/fr/sign-in?next=%2Ffr%2Fnotes%2Fnew");
    EXPECT_EQ(get("/fr/notes/new", &s_reader).status, 403);  // signed in, but no right to write
    EXPECT_EQ(get("/fr/review", &s_awa).status, 403);        // an author is no reviewer
    const Response home = get("/fr/", &s_awa);
    EXPECT_NE(home.body.find("href=\"/fr/notes\""), std::string::npos);
    EXPECT_EQ(get("/fr/", &s_reader).body.find("href=\"/fr/notes\""), std::string::npos);
    // Every field of the content model is in the form.
    const Response form = get("/fr/notes/new", &s_awa);
    ASSERT_EQ(form.status, 200);
    for (const char* field : {"name=\"kind\"", "name=\"title\"", "name=\"summary\"", "name=\"body\"", "name=\"countries\"",
                              "name=\"places\"", "name=\"themes\"", "name=\"phase\"", "name=\"project\"", "name=\"partners\"",
                              "name=\"ind_name_1\"", "name=\"ind_value_1\"", "name=\"ind_unit_1\"", "name=\"ind_year_1\"",
                              "name=\"visibility\"", "name=\"lang\"", "name=\"date\""})
        EXPECT_NE(form.body.find(field), std::string::npos) << field;
}

TEST_F(NotesTest, AnAuthorWritesAReviewerReturnsThenPublishesAndSearchFindsIt) {
    // An error: shown beside its field, in French, with everything typed kept.
    Response r = post("/fr/notes/edit", &s_awa, note_fields("Les puits de Diamaguène", "Les puits zanzibarpuits tombent en panne.", "2020-13", "submit"));
    ASSERT_EQ(r.status, 422);
    const auto date_block = r.body.find("id=\"f-date\"");
    ASSERT_NE(date_block, std::string::npos);
    const auto error_at = r.body.find("Date invalide", date_block);
    EXPECT_LT(error_at, r.body.find("id=\"f-countries\""));
    EXPECT_NE(r.body.find("value=\"Les puits de Diamaguène\""), std::string::npos);
    EXPECT_NE(r.body.find("Les puits zanzibarpuits tombent en panne.</textarea>"), std::string::npos);
    EXPECT_NE(r.body.find("value=\"2020-13\""), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.body, m, std::regex("name=\"id\" value=\"([a-z0-9-]+)\"")));
    const std::string id = m[1];
    // Corrected and submitted.
    r = post("/fr/notes/edit", &s_awa, note_fields("Les puits de Diamaguène", "Les puits zanzibarpuits tombent en panne.", "2020-11", "submit", id));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 3000);
    EXPECT_TRUE(std::filesystem::exists(s_env->index.content() / ".drafts" / (id + ".fr.md")));
    // Unpublished: nobody else sees it, through any route.
    EXPECT_EQ(staff_search("zanzibarpuits").find(id), std::string::npos);
    EXPECT_EQ(get("/fr/documents/" + id, &s_rev).status, 404);
    EXPECT_EQ(get("/fr/notes/edit", &s_moussa, {{"id", id}, {"lang", "fr"}}).status, 404);
    EXPECT_EQ(get("/fr/review/note", &s_moussa, {{"id", id}, {"lang", "fr"}}).status, 404);
    EXPECT_EQ(get("/fr/notes", &s_moussa).body.find("Diamaguène"), std::string::npos);
    // The reviewer's queue has it, its count is on the reviewer's pages, and in the feed.
    EXPECT_NE(get("/fr/review", &s_rev).body.find("Les puits de Diamaguène"), std::string::npos);
    EXPECT_NE(get("/fr/", &s_rev).body.find("Notes à relire (1)"), std::string::npos);
    const Response feed = get("/fr/review.atom", &s_rev);
    EXPECT_EQ(header(feed, "Content-Type"), "application/atom+xml; charset=utf-8");
    EXPECT_NE(feed.body.find("Les puits de Diamaguène"), std::string::npos);
    EXPECT_EQ(get("/fr/review.atom", &s_awa).status, 403);
    // Returned: a comment is needed, and the author sees it.
    r = decide(&s_rev, id, "return", " ");
    EXPECT_EQ(r.status, 303);
    EXPECT_NE(header(r, "Location").find("message="), std::string::npos);
    r = decide(&s_rev, id, "return", "Précisez le nombre de puits.");
    EXPECT_EQ(header(r, "Location"), "/fr/review?done=returned");
    const Response mine = get("/fr/notes", &s_awa);
    EXPECT_NE(mine.body.find("Précisez le nombre de puits."), std::string::npos);
    EXPECT_NE(mine.body.find("renvoyée avec des commentaires"), std::string::npos);
    // Amended from the form as it comes back, and submitted again.
    const Response form = get("/fr/notes/edit", &s_awa, {{"id", id}, {"lang", "fr"}});
    ASSERT_EQ(form.status, 200);
    ASSERT_TRUE(std::regex_search(form.body, m, std::regex("name=\"base\" value=\"([0-9]+)\"")));
    EXPECT_NE(form.body.find("value=\"2020-11\""), std::string::npos);
    r = post("/fr/notes/edit", &s_awa, note_fields("Les puits de Diamaguène", "Les 12 puits zanzibarpuits tombent en panne.", "2020-11", "submit", id, std::stoi(m[1])));
    ASSERT_EQ(r.status, 303);
    // Only reviewers publish.
    EXPECT_EQ(decide(&s_awa, id, "publish").status, 403);
    r = decide(&s_rev, id, "publish");
    EXPECT_EQ(header(r, "Location"), "/fr/review?done=published");
    EXPECT_TRUE(std::filesystem::exists(s_env->index.content() / "lessons" / (id + ".fr.md")));
    EXPECT_FALSE(std::filesystem::exists(s_env->index.content() / ".drafts" / (id + ".fr.md")));
    s_env->readers->poll();
    EXPECT_NE(staff_search("zanzibarpuits").find(id), std::string::npos);
    const Response page = get("/fr/documents/" + id, &s_awa);  // a partners note, for a partner
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Les 12 puits"), std::string::npos);
    EXPECT_EQ(get("/fr/documents/" + id, nullptr).status, 404);  // not public

    // Withdrawn by a reviewer, with a reason: the address says so, search no longer finds it.
    r = decide(&s_rev, id, "withdraw");  // no reason: refused
    EXPECT_NE(header(r, "Location").find("message="), std::string::npos);
    EXPECT_EQ(get("/fr/documents/" + id, &s_awa).status, 200);
    r = decide(&s_rev, id, "withdraw", "Doublon d'une autre leçon.");
    EXPECT_EQ(header(r, "Location"), "/fr/review?done=withdrawn");
    s_env->readers->poll();
    EXPECT_EQ(staff_search("zanzibarpuits").find(id), std::string::npos);
    const Response gone = get("/fr/documents/" + id, &s_awa);
    EXPECT_EQ(gone.status, 410);
    EXPECT_NE(gone.body.find("Ce document a été retiré"), std::string::npos);
    EXPECT_NE(gone.body.find("Doublon d&#39;une autre leçon."), std::string::npos);
}

TEST_F(NotesTest, AnAttachedPdfTravelsWithItsNoteToPublicationAndItsWordsAreFoundAtTheirPage) {
    Response r = post("/fr/notes/edit", &s_awa, note_fields("Le rapport des puits de Ndiaye", "Voir le rapport joint.", "2021", "save"));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    std::smatch m;
    const std::string location = header(r, "Location");
    ASSERT_TRUE(std::regex_search(location, m, std::regex("id=([a-z0-9-]+)")));
    const std::string id = m[1];
    // The upload, as the browser sends the form (multipart).
    Request up;
    up.method = "POST";
    up.path = "/fr/notes/attach";
    up.headers["cookie"] = s_awa.cookie;
    up.headers["content-type"] = "multipart/form-data; boundary=XyZ";
    const std::string pdf = test::sample_pdf({"Sommaire du rapport.", "Les buses en ciment ont tenu: motbusesciment."});
    for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{{"csrf", s_awa.csrf}, {"id", id}, {"lang", "fr"}})
        up.body += "--XyZ\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    up.body += "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Rapport Ndiaye.pdf\"\r\n\r\n" + pdf + "\r\n--XyZ--\r\n";
    std::string route;
    r = s_api->handle(up, route);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(header(r, "Location"), "/fr/notes/edit?id=" + id + "&lang=fr#f-attachments");
    // The note's latest version lists it; the form carries it on.
    const auto entry = Editorial(s_config->db).note(id, "fr");
    ASSERT_TRUE(entry);
    EXPECT_NE(Editorial(s_config->db).version(id, "fr", entry->version)->text.find("attachments:\n  - {file: \"rapport-ndiaye.pdf\"}"), std::string::npos);
    const Response form = get("/fr/notes/edit", &s_awa, {{"id", id}, {"lang", "fr"}});
    EXPECT_NE(form.body.find("name=\"att_file_1\" value=\"rapport-ndiaye.pdf\""), std::string::npos);
    // Submitted by a form that did not carry it (an older page): the upload is kept all the same.
    r = post("/fr/notes/edit", &s_awa, note_fields("Le rapport des puits de Ndiaye", "Voir le rapport joint.", "2021", "submit", id, entry->version));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    r = decide(&s_rev, id, "publish");
    ASSERT_EQ(header(r, "Location"), "/fr/review?done=published");
    // Moved beside the published note, out of the drafts.
    EXPECT_TRUE(std::filesystem::exists(s_env->index.content() / "lessons" / id / "rapport-ndiaye.pdf"));
    EXPECT_FALSE(std::filesystem::exists(s_env->index.content() / ".drafts" / "attachments" / id / "rapport-ndiaye.pdf"));
    s_env->readers->poll();
    const auto hits = nlohmann::json::parse(staff_search("motbusesciment"))["hits"];
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0]["id"], id);
    EXPECT_EQ(hits[0]["in_attachment"]["page"], 2);
    // Downloaded under the note's visibility (partners).
    const Response mine = get("/fr/documents/" + id + "/files/rapport-ndiaye.pdf", &s_awa);
    EXPECT_EQ(mine.status, 200);
    EXPECT_TRUE(mine.body == pdf);
    EXPECT_EQ(get("/fr/documents/" + id + "/files/rapport-ndiaye.pdf", nullptr).status, 404);
    // Another file of the same name for this note later: named apart, never over the published one.
    up.body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + s_awa.csrf + "\r\n--XyZ\r\nContent-Disposition: form-data; "
              "name=\"id\"\r\n\r\n" + id + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nfr\r\n--XyZ\r\n"
              "Content-Disposition: form-data; name=\"file\"; filename=\"Rapport Ndiaye.pdf\"\r\n\r\n" + test::sample_pdf({"Autre version."}) +
              "\r\n--XyZ--\r\n";
    ASSERT_EQ(s_api->handle(up, route).status, 303);
    EXPECT_TRUE(std::filesystem::exists(s_env->index.content() / ".drafts" / "attachments" / id / "rapport-ndiaye-2.pdf"));
    std::ifstream published(s_env->index.content() / "lessons" / id / "rapport-ndiaye.pdf", std::ios::binary);
    EXPECT_TRUE(std::string((std::istreambuf_iterator<char>(published)), {}) == pdf);
}

TEST_F(NotesTest, AReviewerSeesOnlyTheNotesTheirRoleMayRead) {
    Accounts accounts(s_config->db);
    const Account a = accounts.add("relecteur-partenaire", "", "partners", {"reviewer"}, "a-long-password-rp");
    const Session session = Sessions(s_config->db, 3600).open(a.id, std::time(nullptr));
    const Person partner_reviewer{"passerelle_session=" + session.id, session.csrf};
    auto fields = note_fields("Note interne zanzibarrelecture", "Texte interne zanzibarrelecture.", "2022", "submit");
    for (auto& [k, v] : fields)
        if (k == "visibility") v = "internal";
    const Response r = post("/fr/notes/edit", &s_awa, fields);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    std::string id;
    for (const NoteEntry& e : Editorial(s_config->db).in_state("submitted"))
        if (e.title == "Note interne zanzibarrelecture") id = e.id;
    ASSERT_FALSE(id.empty());
    // Staff reviewers have it in their queue; a partners reviewer does not, nor its page.
    EXPECT_NE(get("/fr/review", &s_rev).body.find("zanzibarrelecture"), std::string::npos);
    for (const std::string& page : {"/fr/review", "/fr/review.atom", "/fr/", "/fr/notes"})
        EXPECT_EQ(get(page, &partner_reviewer).body.find("zanzibarrelecture"), std::string::npos) << page;
    EXPECT_EQ(get("/fr/review/note", &partner_reviewer, {{"id", id}, {"lang", "fr"}}).status, 404);
    EXPECT_EQ(get("/fr/notes/edit", &partner_reviewer, {{"id", id}, {"lang", "fr"}}).status, 404);
    EXPECT_EQ(get("/fr/notes/history", &partner_reviewer, {{"id", id}, {"lang", "fr"}}).status, 404);
    EXPECT_EQ(decide(&partner_reviewer, id, "publish").status, 404);
    // Its author still works on it.
    EXPECT_EQ(get("/fr/notes/edit", &s_awa, {{"id", id}, {"lang", "fr"}}).status, 200);
    decide(&s_rev, id, "return", "Pas pour cette fois.");  // out of the other tests' queues
    // Made a partners note later: its internal versions stay closed to the partners reviewer.
    const auto e = Editorial(s_config->db).note(id, "fr");
    ASSERT_TRUE(e);
    auto partners_fields = note_fields("Note interne zanzibarrelecture", "Texte désormais partagé.", "2022", "submit", id, e->version);
    ASSERT_EQ(post("/fr/notes/edit", &s_awa, partners_fields).status, 303);
    const auto now = Editorial(s_config->db).note(id, "fr");
    ASSERT_TRUE(now);
    EXPECT_EQ(get("/fr/review/note", &partner_reviewer, {{"id", id}, {"lang", "fr"}}).status, 200);
    const Response latest = get("/fr/notes/history", &partner_reviewer, {{"id", id}, {"lang", "fr"}, {"n", std::to_string(now->version)}});
    EXPECT_EQ(latest.status, 404);  // its diff would show the internal version before it
    EXPECT_EQ(get("/fr/notes/history", &partner_reviewer, {{"id", id}, {"lang", "fr"}, {"n", "1"}}).status, 404);
    EXPECT_EQ(get("/fr/notes/history", &s_rev, {{"id", id}, {"lang", "fr"}, {"n", "1"}}).status, 200);
    EXPECT_EQ(post("/fr/notes/restore", &partner_reviewer, {{"id", id}, {"lang", "fr"}, {"n", "1"}}).status, 404);
    decide(&s_rev, id, "return", "Toujours pas.");
}

TEST_F(NotesTest, TwoPeopleSavingTheSameVersionSeeTheConflictWithBothTexts) {
    Response r = post("/fr/notes/edit", &s_awa, note_fields("Conflit à Podor", "Premier texte.", "", "save"));
    ASSERT_EQ(r.status, 303);
    const std::string location = header(r, "Location");
    const std::string id = location.substr(location.find("id=") + 3, location.find('&') - location.find("id=") - 3);
    // The author and a reviewer both opened version 1.
    r = post("/fr/notes/edit", &s_rev, note_fields("Conflit à Podor", "Texte du relecteur.", "", "save", id, 1));
    ASSERT_EQ(r.status, 303);
    r = post("/fr/notes/edit", &s_awa, note_fields("Conflit à Podor", "Texte de l'autrice.", "", "save", id, 1));
    EXPECT_EQ(r.status, 409);
    EXPECT_NE(r.body.find("Texte de l&#39;autrice."), std::string::npos);  // hers, still in the form
    EXPECT_NE(r.body.find("Texte du relecteur."), std::string::npos);      // theirs, beside it
    EXPECT_NE(r.body.find("name=\"base\" value=\"2\""), std::string::npos);  // saving again takes both into account
}

TEST_F(NotesTest, FormsWithoutTheirTokenAreRefused) {
    EXPECT_EQ(post("/fr/notes/edit", &s_awa, note_fields("Sans jeton", "x", "", "save"), false).status, 403);
    Person wrong = s_awa;
    wrong.csrf = std::string(64, '0');
    EXPECT_EQ(post("/fr/notes/edit", &wrong, note_fields("Sans jeton", "x", "", "save")).status, 403);
    EXPECT_EQ(post("/fr/review/note", &s_rev, {{"id", "x"}, {"lang", "fr"}, {"action", "publish"}}, false).status, 403);
    EXPECT_EQ(get("/fr/notes", &s_awa).body.find("Sans jeton"), std::string::npos);
}

TEST_F(NotesTest, HostileTextInEveryFieldIsEscapedAndIdsCannotNameFiles) {
    const std::string hostile = "\"><script>alert(1)</script>";
    std::vector<std::pair<std::string, std::string>> fields = note_fields(hostile, hostile, hostile, "preview");
    for (const char* f : {"summary", "countries", "places", "project", "partners", "ind_name_1", "ind_unit_1"}) fields.emplace_back(f, hostile);
    const Response r = post("/fr/notes/edit", &s_awa, fields);
    EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos);
    EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);
    for (const char* id : {"../../etc/passwd", "lessons/x", "..", "/tmp/x"}) {
        const Response s = post("/fr/notes/edit", &s_rev, note_fields("Chemin", "Texte.", "", "save", id));
        EXPECT_EQ(s.status, 422) << id;
    }
    std::size_t outside = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(s_env->index.dir.path()))
        outside += e.path().filename() == "passwd" || e.path().filename() == "x.fr.md";
    EXPECT_EQ(outside, 0u);
}

TEST_F(NotesTest, EveryVersionIsKeptShownAsADiffAndCanBeRestored) {
    Response r = post("/fr/notes/edit", &s_awa, note_fields("Historique à Podor", "Premier texte.", "", "save"));
    ASSERT_EQ(r.status, 303);
    const std::string location = header(r, "Location");
    const std::string id = location.substr(location.find("id=") + 3, location.find('&') - location.find("id=") - 3);
    ASSERT_EQ(post("/fr/notes/edit", &s_awa, note_fields("Historique à Podor", "Second texte.", "", "save", id, 1)).status, 303);
    const Response history = get("/fr/notes/history", &s_awa, {{"id", id}, {"lang", "fr"}, {"n", "2"}});
    ASSERT_EQ(history.status, 200);
    EXPECT_NE(history.body.find("<span class=\"del\">- Premier texte.</span>"), std::string::npos);
    EXPECT_NE(history.body.find("<span class=\"add\">+ Second texte.</span>"), std::string::npos);
    EXPECT_NE(history.body.find("<td>awa</td>"), std::string::npos);
    EXPECT_EQ(get("/fr/notes/history", &s_moussa, {{"id", id}, {"lang", "fr"}}).status, 404);  // someone else's
    EXPECT_EQ(post("/fr/notes/restore", &s_awa, {{"id", id}, {"lang", "fr"}, {"n", "1"}}, false).status, 403);
    r = post("/fr/notes/restore", &s_awa, {{"id", id}, {"lang", "fr"}, {"n", "1"}});
    ASSERT_EQ(r.status, 303);
    EXPECT_NE(header(r, "Location").find("saved=3"), std::string::npos);
    const Response restored = get("/fr/notes/edit", &s_awa, {{"id", id}, {"lang", "fr"}});
    EXPECT_NE(restored.body.find("Premier texte."), std::string::npos);
    EXPECT_EQ(restored.body.find("Second texte."), std::string::npos);
    EXPECT_NE(get("/fr/notes/history", &s_awa, {{"id", id}, {"lang", "fr"}}).body.find("rétablie"), std::string::npos);
}

TEST_F(NotesTest, TheTranslationsPageListsMissingAndOlderVersionsTheRoleMaySee) {
    Response page = get("/fr/translations", &s_awa);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("href=\"/fr/notes/new?translate=ev-eau&amp;from=fr\""), std::string::npos);
    EXPECT_NE(page.body.find("Leçon zanzibarpartner"), std::string::npos);  // partners-only, for a partner
    EXPECT_EQ(page.body.find("zanzibarinterne"), std::string::npos);        // internal: not for a partner
    EXPECT_EQ(page.body.find("Projet eau des écoles"), std::string::npos);  // both versions, same age
    EXPECT_EQ(get("/fr/translations", &s_reader).status, 403);
    // The translation view: the French text beside an English form with the same id.
    const Response form = get("/en/notes/new", &s_awa, {{"translate", "ev-eau"}, {"from", "fr"}});
    ASSERT_EQ(form.status, 200);
    EXPECT_NE(form.body.find("Les latrines sont entretenues."), std::string::npos);
    EXPECT_NE(form.body.find("name=\"id\" value=\"ev-eau\""), std::string::npos);
    // A reviewer edits the French project record, which was never written here: its file comes
    // into the form, and publishing writes over that same file.
    const Response edit = get("/fr/notes/edit", &s_rev, {{"id", "pr-eau"}, {"lang", "fr"}});
    ASSERT_EQ(edit.status, 200);
    EXPECT_NE(edit.body.find("value=\"Projet eau des écoles\""), std::string::npos);
    EXPECT_NE(edit.body.find("Latrines and boreholes in Podor."), std::string::npos);  // the English version beside it
    auto fields = note_fields("Projet eau des écoles", "# Contexte\n\nLatrines, forages et pompes à Podor.", "2015", "submit", "pr-eau");
    for (auto& [k, v] : fields)
        if (k == "kind") v = "project";
        else if (k == "visibility") v = "public";
    ASSERT_EQ(post("/fr/notes/edit", &s_rev, fields).status, 303);
    ASSERT_EQ(header(decide(&s_rev, "pr-eau", "publish"), "Location"),
              "/fr/review?done=published");
    EXPECT_FALSE(std::filesystem::exists(s_env->index.content() / "projects" / "pr-eau.fr.md"));
    std::ifstream in(s_env->index.content() / "p" / "pr-eau.fr.md");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(text.find("pompes à Podor"), std::string::npos);
    s_env->readers->poll();
    page = get("/fr/translations", &s_awa);
    EXPECT_NE(page.body.find("href=\"/fr/notes/edit?id=pr-eau&amp;lang=en\""), std::string::npos);
    EXPECT_NE(page.body.find("traduction plus ancienne que l’original"), std::string::npos);
}

// From the security review: each of these once let something through.
std::string id_from(const Response& r) {
    const std::string* l = r.header("Location");
    if (!l) return "";
    const auto a = l->find("id=") + 3;
    return l->substr(a, l->find('&', a) - a);
}

TEST_F(NotesTest, MessagesAreTheSitesOwnWhateverTheAddressSays) {
    ASSERT_EQ(post("/fr/notes/edit", &s_awa, note_fields("Message à Podor", "Texte.", "", "submit")).status, 303);
    const std::string id = "le-message-podor";
    const Response forged = get("/fr/review/note", &s_rev, {{"id", id}, {"lang", "fr"}, {"message", "Votre compte est suspendu"}});
    ASSERT_EQ(forged.status, 200);
    EXPECT_EQ(forged.body.find("Votre compte est suspendu"), std::string::npos);
    const Response known = get("/fr/review/note", &s_rev, {{"id", id}, {"lang", "fr"}, {"message", "need_comment"}});
    EXPECT_NE(known.body.find("Écrivez un commentaire"), std::string::npos);
    const Response attach = get("/fr/notes/edit", &s_awa, {{"id", id}, {"lang", "fr"}, {"attach_error", "attach_too_large"}});
    EXPECT_NE(attach.body.find("Le fichier dépasse 20 Mio."), std::string::npos);
    EXPECT_EQ(get("/fr/notes/edit", &s_awa, {{"id", id}, {"lang", "fr"}, {"attach_error", "Faux message"}}).body.find("Faux message"),
              std::string::npos);
}

TEST_F(NotesTest, AnyAuthorTranslatesAPublishedNoteButNotSomeoneElsesDraft) {
    ASSERT_EQ(post("/fr/notes/edit", &s_awa, note_fields("Traduire Diourbel", "Texte à traduire.", "", "submit")).status, 303);
    const std::string id = "le-traduire-diourbel";
    auto english = note_fields("Translating Diourbel", "Text to translate.", "", "submit", id);
    for (auto& [k, v] : english)
        if (k == "lang") v = "en";
    EXPECT_EQ(post("/en/notes/edit", &s_moussa, english).status, 403);  // still awa's draft
    ASSERT_EQ(header(decide(&s_rev, id, "publish"), "Location"), "/fr/review?done=published");
    s_env->readers->poll();
    EXPECT_EQ(post("/en/notes/edit", &s_moussa, english).status, 303);
    EXPECT_EQ(Editorial(s_config->db).note(id, "en")->author_name, "moussa");
}

TEST_F(NotesTest, AnotherAuthorCannotReadADraftThroughAConflict) {
    const Response r = post("/fr/notes/edit", &s_awa, note_fields("Brouillon privé d'Awa", "Texte secret zanzibarbrouillon.", "", "save"));
    ASSERT_EQ(r.status, 303);
    const std::string id = id_from(r);
    for (int base : {0, -1, 1, 7}) {
        const Response leak = post("/fr/notes/edit", &s_moussa, note_fields("x", "y", "", "save", id, base));
        EXPECT_TRUE(leak.status == 404 || leak.status == 400) << base << ": " << leak.status;
        EXPECT_EQ(leak.body.find("zanzibarbrouillon"), std::string::npos) << base;
    }
}

TEST_F(NotesTest, APartnerAuthorCannotTakeTheIdOfADocumentTheyCannotSee) {
    auto f = note_fields("Remplacé", "Texte d'Awa zanzibarecrase.", "2020", "submit", "le-secret");
    for (auto& [k, v] : f)
        if (k == "visibility") v = "public";
    EXPECT_EQ(post("/fr/notes/edit", &s_awa, f).status, 404);
    EXPECT_FALSE(Editorial(s_config->db).note("le-secret", "fr"));
    std::ifstream in(s_env->index.content() / "p" / "le-secret.fr.md");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(text.find("zanzibarecrase"), std::string::npos);
}

TEST_F(NotesTest, AReviewerDecidesOnTheVersionTheyRead) {
    ASSERT_EQ(post("/fr/notes/edit", &s_awa, note_fields("Course à la relecture", "Version relue.", "2020", "submit")).status, 303);
    const std::string id = "le-course-la-relecture";
    ASSERT_TRUE(Editorial(s_config->db).note(id, "fr"));
    const std::string read = std::to_string(Editorial(s_config->db).note(id, "fr")->version);
    EXPECT_NE(get("/fr/review/note", &s_rev, {{"id", id}, {"lang", "fr"}}).body.find("name=\"version\" value=\"" + read + "\""), std::string::npos);
    // The author submits a new text after the reviewer opened the page.
    ASSERT_EQ(post("/fr/notes/edit", &s_awa, note_fields("Course à la relecture", "Version jamais relue zanzibarswap.", "2020", "submit", id, std::stoi(read))).status, 303);
    const Response r = post("/fr/review/note", &s_rev, {{"id", id}, {"lang", "fr"}, {"action", "publish"}, {"version", read}});
    EXPECT_NE(header(r, "Location").find("message="), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(s_env->index.content() / "lessons" / (id + ".fr.md")));
    EXPECT_EQ(Editorial(s_config->db).note(id, "fr")->state, "submitted");
}

TEST_F(NotesTest, WithdrawingRemovesTheFileThatWasPublishedWhereverItIs) {
    // gp-pompes.fr lives in content/p/, not content/practices/; a reviewer edits it in place.
    auto f = note_fields("Pompes solaires à Podor", "Des pompes solaires, revu.", "2018", "submit", "gp-pompes");
    for (auto& [k, v] : f)
        if (k == "kind") v = "good_practice";
        else if (k == "visibility") v = "public";
    ASSERT_EQ(post("/fr/notes/edit", &s_rev, f).status, 303);
    ASSERT_EQ(header(decide(&s_rev, "gp-pompes", "publish"), "Location"), "/fr/review?done=published");
    s_env->readers->poll();
    // A newer draft is being written: the published version can still be withdrawn.
    ASSERT_EQ(post("/fr/notes/edit", &s_rev, [&] { auto g = f; for (auto& [k, v] : g) if (k == "action") v = "save"; else if (k == "base") v = std::to_string(Editorial(s_config->db).note("gp-pompes", "fr")->version); return g; }()).status, 303);
    EXPECT_EQ(header(decide(&s_rev, "gp-pompes", "withdraw", "Erreur grave."), "Location"), "/fr/review?done=withdrawn");
    s_env->readers->poll();
    EXPECT_FALSE(std::filesystem::exists(s_env->index.content() / "p" / "gp-pompes.fr.md"));
    EXPECT_EQ(get("/fr/documents/gp-pompes", nullptr, {{"lang", "fr"}}).status, 410);
}

TEST_F(NotesTest, TheWithdrawalNoticeShowsOnlyToThoseWhoCouldReadTheNote) {
    auto f = note_fields("Titre interne zanzibarretrait", "Texte.", "2020", "submit");
    for (auto& [k, v] : f)
        if (k == "visibility") v = "internal";
    ASSERT_EQ(post("/fr/notes/edit", &s_rev, f).status, 303);
    const std::string id = "le-titre-interne-zanzibarretrait";
    ASSERT_EQ(header(decide(&s_rev, id, "publish"), "Location"), "/fr/review?done=published");
    s_env->readers->poll();
    ASSERT_EQ(header(decide(&s_rev, id, "withdraw", "Raison confidentielle zanzibarraison"), "Location"), "/fr/review?done=withdrawn");
    s_env->readers->poll();
    for (const Person* who : std::vector<const Person*>{nullptr, &s_awa}) {
        const Response r = get("/fr/documents/" + id, who);
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.body.find("Titre interne zanzibarretrait"), std::string::npos);  // (the id is in the sign-in link)
        EXPECT_EQ(r.body.find("zanzibarraison"), std::string::npos);
    }
    const Response staff = get("/fr/documents/" + id, &s_reader);
    EXPECT_EQ(staff.status, 410);
    EXPECT_NE(staff.body.find("zanzibarraison"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::http
