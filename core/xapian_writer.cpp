#include "core/xapian_writer.h"

#include <functional>

#include "core/diagnostics.h"
#include "core/fold.h"
#include "core/index_schema.h"
#include "core/stored_fields.h"
#include "core/tokenizer.h"

namespace passerelle {

namespace {

Xapian::WritableDatabase open_writable(const std::filesystem::path& dir) {
    try {
        std::filesystem::create_directories(dir);
        return Xapian::WritableDatabase(dir.string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    } catch (const Xapian::DatabaseLockError&) {
        throw Error(dir.string() + ": the index is being written by another process");
    } catch (const Xapian::Error& e) {
        throw Error(dir.string() + ": cannot open the index: " + e.get_description());
    } catch (const std::filesystem::filesystem_error& e) {
        throw Error(dir.string() + ": cannot create the index folder: " + e.code().message());
    }
}

// Adds "Z" + prefix + stem for each word, as Xapian's TermGenerator does with STEM_ALL_Z; in
// the positional text, also the concept term of each glossary phrase that ends at a word.
class TermSink : public WordSink {
  public:
    TermSink(Xapian::Document& doc, WordStems& stems, ConceptMatcher* concepts)
        : m_doc(doc), m_stems(stems), m_concepts(concepts) {}
    void set(std::string_view prefix, unsigned wdf, bool positional) {
        m_prefix.assign("Z").append(prefix);
        m_wdf = wdf;
        m_positional = positional;
        m_find_concepts = m_concepts && positional && prefix.empty();
        if (m_find_concepts) m_concepts->reset();
    }
    void word(const std::string& w) override {
        const StemmedWord& s = m_stems(w);
        m_term.assign(m_prefix).append(s.stem);
        if (m_positional)
            m_doc.add_posting(m_term, ++m_pos, m_wdf);
        else
            m_doc.add_term(m_term, m_wdf);
        if (m_find_concepts && s.tag >= 0) m_concepts->word(s.tag, m_pos, m_found);
    }
    void gap() { m_pos += 100; }  // between fields, so phrases do not span them

  private:
    Xapian::Document& m_doc;
    WordStems& m_stems;
    ConceptMatcher* m_concepts;
    std::function<void(const std::string&)> m_found = [this](const std::string& term) { m_doc.add_term(term, m_wdf); };
    std::string m_prefix, m_term;
    unsigned m_wdf = 1;
    bool m_positional = true, m_find_concepts = false;
    Xapian::termpos m_pos = 0;
};

}  // namespace

XapianWriter::XapianWriter(const std::filesystem::path& dir)
    : m_db(open_writable(dir)),
      m_schema(m_db.get_doccount() == 0 ? schema::k_schema_version : schema::schema_of(m_db)) {}

XapianWriter::XapianWriter(XapianWriter&&) noexcept = default;

XapianWriter XapianWriter::for_shard(const std::filesystem::path& dir, unsigned shard, unsigned shards) {
    XapianWriter w(dir);
    w.m_transactional = false;
    w.m_next_docid = w.m_db.get_lastdocid() + shard + 1;
    w.m_docid_step = shards;
    return w;
}

XapianWriter::~XapianWriter() {
    if (m_in_transaction) cancel();
}

int XapianWriter::generation() const {
    return schema::generation_of(m_db);
}

void XapianWriter::begin() {
    if (!m_transactional) return;
    m_db.begin_transaction(true);
    m_in_transaction = true;
}

XapianWriter::Language& XapianWriter::language(const std::string& lang) {
    auto it = m_languages.find(lang);
    if (it != m_languages.end()) return it->second;
    Language& l = m_languages[lang];
    WordStems::Tagger tagger;
    if (m_concepts) {
        l.concepts = m_concepts->matcher(lang);
        tagger = [m = l.concepts.get()](const std::string& folded, const std::string& stem) { return m->tag(folded, stem); };
    }
    l.added = std::make_unique<WordStems>(lang, &m_added, std::move(tagger));
    l.removed = std::make_unique<WordStems>(lang, &m_removed);
    return l;
}

void XapianWriter::set_concepts(std::shared_ptr<const ConceptPhrases> concepts) {
    m_concepts = std::move(concepts);
    m_languages.clear();
}

void XapianWriter::replace(const Document& doc, const std::string& plain_body, bool may_exist) {
    const std::string uid = schema::uid_term(doc.id, doc.lang);
    const bool exists = may_exist && m_db.postlist_begin(uid) != m_db.postlist_end(uid);
    if (exists) remove(doc.id, doc.lang);

    Xapian::Document xd;
    Language& language_of_doc = language(doc.lang);
    TermSink terms(xd, *language_of_doc.added, language_of_doc.concepts.get());
    for (const schema::FieldRule& rule : schema::field_rules()) {
        switch (rule.how) {
            case schema::Indexing::free_text: {
                const auto values = rule.field == "body" ? std::vector<std::string>{plain_body} : rule.values(doc);
                // Only title, summary and body feed the spelling dictionary (see remove()).
                const bool spelled = rule.field == "title" || rule.field == "summary" || rule.field == "body";
                for (const std::string& v : values) {
                    if (!rule.prefix.empty()) {
                        m_added.set_enabled(false);
                        terms.set(rule.prefix, rule.weight, false);
                        tokenize(v, terms);
                    }
                    m_added.set_enabled(spelled);
                    terms.set("", rule.weight, true);
                    tokenize(v, terms);
                    terms.gap();
                }
                m_added.set_enabled(true);
                break;
            }
            case schema::Indexing::boolean_filter:
                for (const std::string& v : rule.values(doc)) xd.add_boolean_term(std::string(rule.prefix) + v);
                break;
            case schema::Indexing::sort_value:
                xd.add_value(schema::k_slot_date, schema::order_key(doc.date, doc.id, doc.lang));
                if (!doc.date.empty()) xd.add_value(schema::k_slot_year, Xapian::sortable_serialise(doc.year));
                break;
            case schema::Indexing::stored:
                break;
        }
    }
    xd.add_boolean_term(uid);
    xd.add_value(schema::k_slot_facets, pack_facets(doc));
    xd.add_value(schema::k_slot_id, doc.id);
    xd.add_value(schema::k_slot_text, encode_hit_value(doc, plain_body));  // (no document data: nothing reads it)
    if (std::string pages = encode_attachment_pages(doc); !pages.empty()) xd.add_value(schema::k_slot_attachments, pages);
    if (exists) {
        m_db.replace_document(uid, xd);
    } else if (m_docid_step > 0) {
        m_db.replace_document(m_next_docid, xd);
        m_next_docid += m_docid_step;
    } else {
        m_db.add_document(xd);
    }
}

void XapianWriter::remove(const std::string& id, const std::string& lang) {
    const std::string uid = schema::uid_term(id, lang);
    const Xapian::PostingIterator p = m_db.postlist_begin(uid);
    if (p == m_db.postlist_end(uid)) return;
    // Take the old words out of the spelling dictionary by indexing the stored text again (the
    // title and the first 2 KiB of text: words only further in a long body stay counted, and a
    // suggestion of them is still only offered if a visible document contains them).
    const Xapian::Document old_doc = m_db.get_document(*p);
    const std::string old_value = old_doc.get_value(schema::k_slot_text);
    const auto [old, old_text] = decode_hit_value(old_value);
    Xapian::Document scratch;
    TermSink terms(scratch, *language(old.lang.empty() ? lang : old.lang).removed, nullptr);
    tokenize(old.title, terms);
    tokenize(old_text, terms);
    m_db.delete_document(uid);
}

void XapianWriter::set_synonyms(const std::vector<SynonymSet>& sets) {
    std::vector<std::string> keys(m_db.synonym_keys_begin(), m_db.synonym_keys_end());
    for (const auto& k : keys) m_db.clear_synonyms(k);
    for (const SynonymSet& s : sets)
        for (const std::string& e : s.expansions) m_db.add_synonym(s.key, e);
}

std::unordered_map<std::string, int> XapianWriter::take_spelling() {
    std::unordered_map<std::string, int> net = m_added.words();
    for (const auto& [w, n] : m_removed.words()) net[w] -= n;
    m_added.clear();
    m_removed.clear();
    return net;
}

void XapianWriter::add_spelling(const std::unordered_map<std::string, int>& words) {
    for (const auto& [w, n] : words) {
        if (n == 0) continue;
        const std::string folded = fold(w);
        if (n > 0) {
            m_db.add_spelling(w, static_cast<Xapian::termcount>(n));
            if (folded != w) m_db.add_spelling(folded, static_cast<Xapian::termcount>(n));
        } else {
            m_db.remove_spelling(w, static_cast<Xapian::termcount>(-n));
            if (folded != w) m_db.remove_spelling(folded, static_cast<Xapian::termcount>(-n));
        }
    }
}

void XapianWriter::flush_spelling() { add_spelling(take_spelling()); }

void XapianWriter::flush() {
    if (m_in_transaction) return;
    // The spelling words stay collected until the commit: written at each flush, the same
    // words would be updated in the spelling table hundreds of times over a large build. The
    // collection grows with the vocabulary, not with the documents.
    m_db.commit();
}

void XapianWriter::commit(int generation) {
    flush_spelling();
    m_db.set_metadata(std::string(schema::k_meta_generation), std::to_string(generation));
    m_db.set_metadata(std::string(schema::k_meta_schema), std::to_string(m_schema));
    if (m_in_transaction)
        m_db.commit_transaction();
    else
        m_db.commit();
    m_in_transaction = false;
}

void XapianWriter::cancel() {
    try {
        if (m_in_transaction) m_db.cancel_transaction();
    } catch (const Xapian::Error&) {
    }
    m_in_transaction = false;
    m_added.clear();
    m_removed.clear();
}

std::size_t count_documents(const std::filesystem::path& path) {
    try {
        return Xapian::Database(path.string()).get_doccount();
    } catch (const Xapian::Error& e) {
        throw Error(path.string() + ": cannot open the index: " + e.get_description());
    }
}

void merge_databases(const std::vector<std::filesystem::path>& sources, const std::filesystem::path& dest) {
    try {
        Xapian::Database all;
        for (const auto& s : sources) all.add_database(Xapian::Database(s.string()));
        all.compact(dest.string());
    } catch (const Xapian::Error& e) {
        throw Error(dest.string() + ": cannot merge the index shards: " + e.get_description());
    }
}

}  // namespace passerelle
