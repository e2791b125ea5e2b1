
#include "indexer/indexer.h"

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/catalogue.h"
#include "core/document_reader.h"
#include "core/hash.h"
#include "core/index_schema.h"
#include "core/mapped_file.h"
#include "core/markdown.h"
#include "core/vocabulary.h"
#include "core/xapian_writer.h"
#include "core/xml.h"
#include "indexer/attachments.h"
#include "indexer/glossary_synonyms.h"
#include "indexer/iati_import.h"
#include "indexer/index_layout.h"
#include "indexer/shard_builder.h"
#include "indexer/source_scan.h"

namespace passerelle {

namespace fs = std::filesystem;

fs::path xapian_path(const fs::path& db) { return db / "xapian"; }

namespace {
// What escaped the reading of one source or record, as the message of its error.
std::string unexpected_failure(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) return "out of memory while reading this document";
    return std::string("unexpected failure while reading this document: ") + e.what();
}

// A build from empty uses the parallel shard builder from this many records on.
constexpr std::size_t k_bulk_min_records = 2000;
constexpr std::size_t k_bulk_shards = 2;
}  // namespace
fs::path catalogue_path(const fs::path& db) { return db / "catalogue.sqlite"; }

namespace {

// Who defines a (id, lang) key: the source (interned: see Run::intern) and line, and whether
// this run has seen it there.
struct Owner {
    const std::string* source = nullptr;
    int line = 0;
    bool claimed = false;
};
using Owners = std::unordered_map<std::string, Owner>;  // by uid term

struct SourceInfo {
    std::string hash;
    std::size_t records = 0;  // lines of a JSON Lines file, 1 for Markdown
    // JSON Lines: each line's digest (zero for a blank one), computed while the index is being
    // opened, so that an update finds its unchanged lines without hashing them then.
    std::vector<Digest128> line_digests;
};

// The lines of a JSON Lines file as the indexer reads them: without '\r', with their numbers.
template <class F>
void for_each_line(std::string_view bytes, F&& f) {
    int line_no = 0;
    for (std::size_t pos = 0; pos < bytes.size();) {
        const auto nl = bytes.find('\n', pos);
        std::string_view line = bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        f(line, line_no, line.find_first_not_of(" \t") == std::string_view::npos);
    }
}

class Run {
  public:
    Run(const IndexOptions& o, DiagnosticSink& s, const ProgressCallback& p) : m_opt(o), m_sink(s), m_progress(p) {}
    IndexReport execute();

  private:
    void open_stores();
    void load_vocabularies();
    void plan(const ScanResult& scan);
    void process(const Source& source);
    void process_markdown(const Source& source, std::string_view bytes);
    void process_jsonl(const Source& source, std::string_view bytes);
    void process_iati(const Source& source);
    void accept(Document doc, const Source& source);
    bool unchanged(const std::string& source_key, const std::string& hash) const;
    bool defined_elsewhere(const Owner& o, const std::string& source_key) const;
    const std::string* intern(std::string_view source_key);
    void claim_unchanged(const std::string& source_key);
    void retire_unclaimed(const std::string& source_key);
    void remove_gone(const ScanResult& scan);
    void write(Document doc, bool replacing);
    void start_bulk_if_worthwhile();
    void merge_shards();
    void finish_bulk();
    void remove(const std::string& key);
    void maybe_commit();
    void commit();
    void tick();
    std::string display(const std::string& source_key) const;

    const IndexOptions& m_opt;
    DiagnosticSink& m_sink;
    const ProgressCallback& m_progress;
    IndexReport m_report;
    Vocabularies m_vocab;
    std::map<std::string, std::string> m_vocab_files;
    bool m_vocab_changed = true;
    bool m_schema_outdated = false;               // the index is of an older schema
    std::shared_ptr<const ConceptPhrases> m_concepts;  // the glossary's phrases, for the writers
    std::unique_ptr<XapianWriter> m_xapian;      // the live database, opened for writing
    std::unique_ptr<XapianWriter> m_shard_lock;  // while the live index is sharded: its first shard
    XapianWriter& writer();                      // m_xapian, merging the shards first if needed
    std::unique_ptr<Catalogue> m_catalogue;
    std::unique_ptr<ShardBuilder> m_bulk;  // set when building from empty in parallel
    int m_next = 1;  // generation being written
    std::size_t m_pending = 0;
    std::size_t m_pending_bytes = 0;  // text written since the last commit
    // What the index holds, by key, source and content. With a million documents these are
    // built in a few seconds: sources are interned once, entries refer to the owners' nodes
    // (stable in an unordered_map until erased), and contents are 128-bit digests.
    std::unordered_set<std::string> m_source_names;
    const std::string* m_last_source = nullptr;
    Owners m_owners;
    std::unordered_map<const std::string*, std::vector<Owners::value_type*>> m_keys_by_source;
    std::unordered_map<const std::string*, std::unordered_map<Digest128, Owners::value_type*, Digest128Hash>> m_by_content;
    std::map<std::string, Catalogue::SourceState> m_old_sources;
    std::unordered_map<std::string, SourceInfo> m_info;
    std::unordered_map<std::string, std::string> m_display;  // source key -> path as named
    std::size_t m_done = 0, m_total = 0;
    std::size_t m_source_docs = 0, m_source_errors = 0;
};

const std::string* Run::intern(std::string_view source_key) {
    if (m_last_source && *m_last_source == source_key) return m_last_source;  // rows come by source
    const auto it = m_source_names.find(std::string(source_key));
    m_last_source = it != m_source_names.end() ? &*it : &*m_source_names.emplace(source_key).first;
    return m_last_source;
}

std::string Run::display(const std::string& source_key) const {
    const auto it = m_display.find(source_key);
    if (it != m_display.end()) return it->second;
    std::error_code ec;
    const fs::path rel = fs::proximate(source_key, ec);
    return ec ? source_key : rel.string();
}

void Run::open_stores() {
    if (m_opt.check_only) return;
    // The writer lock on the live database is taken first and held to the end of the run.
    ensure_index_layout(m_opt.db);
    int committed = 0;
    if (index_is_sharded(m_opt.db)) {
        // Shards are merged only if this run writes (see writer()); their first holds the lock.
        const std::vector<fs::path> shards = index_shards(m_opt.db);
        if (shards.empty()) throw Error(m_opt.db.string() + ": the database stub lists no shard");
        m_shard_lock = std::make_unique<XapianWriter>(shards.front());
        committed = m_shard_lock->generation();
        m_schema_outdated = m_shard_lock->schema_outdated();
    } else {
        m_xapian = std::make_unique<XapianWriter>(xapian_path(m_opt.db));
        m_xapian->set_concepts(m_concepts);
        committed = m_xapian->generation();
        m_schema_outdated = m_xapian->schema_outdated();
        m_xapian->begin();
    }
    remove_stale_databases(m_opt.db);
    m_catalogue = std::make_unique<Catalogue>(catalogue_path(m_opt.db), Catalogue::Mode::read_write);
    m_catalogue->recover(committed);
    m_next = committed + 1;
    m_old_sources = m_catalogue->sources(committed);
    const auto documents = static_cast<std::size_t>(m_catalogue->document_count(committed));
    m_owners.reserve(documents);
    std::string key;
    m_catalogue->for_each_entry([&](std::string_view id, std::string_view lang, std::string_view source,
                                               std::string_view hash, int line) {
        key = schema::uid_term(id, lang);
        const std::string* s = intern(source);
        auto [it, added] = m_owners.try_emplace(key, Owner{s, line, false});
        if (!added) it->second = Owner{s, line, false};
        auto& keys = m_keys_by_source[s];
        auto& by_content = m_by_content[s];
        if (keys.empty()) {  // a source first seen: room for what it defined at its last run
            const auto old = m_old_sources.find(*s);
            const std::size_t n = old == m_old_sources.end() ? 0 : static_cast<std::size_t>(std::max(old->second.documents, 0));
            keys.reserve(n);
            by_content.reserve(n);
        }
        keys.push_back(&*it);
        by_content[digest_of_hex(hash)] = &*it;
    });
    const auto stored = m_catalogue->vocabulary_files(committed);
    // An index of an older schema is written again whole, as after a change of vocabularies.
    m_vocab_changed = stored != m_vocab_files || m_schema_outdated;
    m_catalogue->begin();
}

void Run::load_vocabularies() {
    m_vocab_files = Vocabularies::read_files(m_opt.vocabularies);
    m_vocab = Vocabularies::from_files(m_vocab_files);
    m_concepts = std::make_shared<const ConceptPhrases>(m_vocab);
}

void Run::plan(const ScanResult& scan) {
    for (const Source& s : scan.sources) {
        m_display[s.key] = s.display;
        try {
            if (s.type == SourceType::iati) {  // read as a stream, never mapped whole
                m_info[s.key] = SourceInfo{file_hash(s.key), 1, {}};
                m_total += 1;
                continue;
            }
            const MappedFile file(s.key);
            const std::string_view bytes = file.bytes();
            SourceInfo info{content_hash(bytes), 1, {}};
            if (s.type == SourceType::markdown)  // its attachments too: a changed one is read again
                if (const std::string stamp = attachment_folder_stamp(s.key); !stamp.empty())
                    info.hash = content_hash(info.hash + '\n' + stamp);
            if (s.type == SourceType::jsonl) {
                info.records = static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
                if (!bytes.empty() && bytes.back() != '\n') ++info.records;
                info.line_digests.reserve(info.records);
                for_each_line(bytes, [&](std::string_view line, int, bool blank) {
                    info.line_digests.push_back(blank ? Digest128{} : content_digest(line));
                });
            }
            m_total += info.records;
            m_info[s.key] = std::move(info);
        } catch (const Error& e) {
            m_sink.error({s.display, 0, 0}, e.what());
        } catch (const std::exception& e) {
            m_sink.error({s.display, 0, 0}, unexpected_failure(e));
        }
    }
}

void Run::tick() {
    ++m_done;
    if (m_progress && (m_done % 256 == 0 || m_done == m_total)) m_progress(m_done, m_total);
}

void Run::write(Document doc, bool replacing) {
    if (m_opt.check_only) return;
    // The text first: what can fail on the document's own content fails before either store
    // has it, so that the catalogue and the index never disagree about a document.
    const std::string text = m_bulk ? std::string() : markdown_to_text(doc.body);
    m_catalogue->put_document(doc, m_next, replacing);
    if (m_bulk) {
        m_bulk->add(std::move(doc));
        return;
    }
    m_pending_bytes += doc.title.size() + doc.summary.size() + doc.body.size();
    writer().replace(doc, text, replacing);
    ++m_pending;
}

// A parallel build left several shards behind a stub; writing in place needs one database, so
// they are merged into a new folder (same generation, same content) and switched in first,
// while the first shard's lock is held.
void Run::merge_shards() {
    const int generation = m_shard_lock->generation();
    const std::string dir = "xapian-" + std::to_string(generation) + "m";
    std::error_code ec;
    fs::remove_all(m_opt.db / dir, ec);
    merge_databases(index_shards(m_opt.db), m_opt.db / dir);
    switch_index(m_opt.db, dir);
}

XapianWriter& Run::writer() {
    if (!m_xapian) {
        merge_shards();
        m_xapian = std::make_unique<XapianWriter>(xapian_path(m_opt.db));
        m_xapian->set_concepts(m_concepts);
        m_xapian->begin();
        m_shard_lock.reset();
        remove_stale_databases(m_opt.db);
    }
    return *m_xapian;
}

// From an empty index, many documents are built on parallel shards and switched in at the end.
void Run::start_bulk_if_worthwhile() {
    if (m_opt.check_only || !m_xapian || m_xapian->doc_count() != 0 || m_total < k_bulk_min_records ||
        !index_uses_link(m_opt.db))
        return;
    m_bulk = std::make_unique<ShardBuilder>(m_opt.db / ("xapian-" + std::to_string(m_next)), k_bulk_shards, m_opt.flush_every,
                                            m_concepts);
}

// The catalogue commits first; the switch of the link to the new database is the commit point.
void Run::finish_bulk() {
    for (const auto& [name, content] : m_vocab_files) m_catalogue->put_vocabulary_file(name, content, m_next);
    m_catalogue->commit();
    const std::vector<std::string> shards = m_bulk->finish(glossary_synonyms(m_vocab), m_next);
    switch_index(m_opt.db, write_stub(m_opt.db, m_next, shards));
    m_bulk->keep();
    m_bulk.reset();
    m_catalogue->set_generation(m_next);
    m_xapian.reset();  // the empty database it replaced: release its lock, then remove it
    remove_stale_databases(m_opt.db);
    ++m_next;
}

void Run::remove(const std::string& key) {
    const auto at = key.rfind('@');
    const std::string id = key.substr(schema::k_uid.size(), at - schema::k_uid.size()), lang = key.substr(at + 1);
    writer().remove(id, lang);
    m_catalogue->remove_document(id, lang, m_next);
    ++m_report.removed;
    ++m_pending;
}

void Run::maybe_commit() {
    if (!m_opt.check_only && !m_bulk && (m_pending >= m_opt.batch_size || m_pending_bytes >= m_opt.batch_bytes)) commit();
}

void Run::commit() {
    m_catalogue->commit();
    writer().commit(m_next);  // the run's changes take effect here
    m_catalogue->set_generation(m_next);
    ++m_next;
    m_pending = 0;
    m_pending_bytes = 0;
    writer().begin();
    m_catalogue->begin();
}

// A document read from `source`: checked against what this run has already defined, then written.
void Run::accept(Document doc, const Source& source) {
    doc.source_path = source.key;
    const std::string key = schema::uid_term(doc.id, doc.lang);
    const auto it = m_owners.find(key);
    const bool replacing = it != m_owners.end();
    if (replacing) {
        const Owner& o = it->second;
        if (o.claimed || defined_elsewhere(o, source.key)) {
            m_sink.error(doc.origin, "duplicate document '" + doc.id + "' (" + doc.lang + "): already defined at " +
                                         display(*o.source) + ":" + std::to_string(o.line));
            ++m_report.skipped;
            ++m_source_errors;
            return;
        }
        ++m_report.updated;
    } else {
        ++m_report.added;
    }
    m_owners[key] = {intern(source.key), doc.origin.line, true};
    ++m_source_docs;
    write(std::move(doc), replacing);
}

// A source can be skipped when its bytes and the vocabularies are as last time and it had no
// errors then (a source with errors is read again, so that its diagnostics are not forgotten).
bool Run::unchanged(const std::string& source_key, const std::string& hash) const {
    const auto old = m_old_sources.find(source_key);
    return !m_vocab_changed && old != m_old_sources.end() && old->second.hash == hash && old->second.errors == 0;
}

// True when another source, unchanged in this run or not part of it, still defines the key.
bool Run::defined_elsewhere(const Owner& o, const std::string& source_key) const {
    if (*o.source == source_key) return false;
    const auto info = m_info.find(*o.source);
    if (info == m_info.end()) {
        std::error_code ec;
        return fs::exists(*o.source, ec);
    }
    return unchanged(*o.source, info->second.hash);
}

void Run::claim_unchanged(const std::string& source_key) {
    const std::string* source = intern(source_key);
    for (Owners::value_type* entry : m_keys_by_source[source]) {
        Owner& o = entry->second;
        if (o.source == source && !o.claimed) {
            o.claimed = true;
            ++m_report.unchanged;
        }
    }
}

// Removes what a changed source defined before and no longer does.
// Each entry is looked at once, and erased from m_owners only here: its node is still there
// when it is reached.
void Run::retire_unclaimed(const std::string& source_key) {
    const std::string* source = intern(source_key);
    auto listed = m_keys_by_source.find(source);
    if (listed == m_keys_by_source.end()) return;
    std::vector<Owners::value_type*> entries = std::move(listed->second);
    m_keys_by_source.erase(listed);
    m_by_content.erase(source);
    for (Owners::value_type* entry : entries) {
        if (entry->second.source != source || entry->second.claimed) continue;
        const std::string key = entry->first;
        m_owners.erase(key);
        if (!m_opt.check_only) remove(key);
    }
}

void Run::process_markdown(const Source& source, std::string_view bytes) {
    auto doc = read_markdown_document(bytes, source.display, m_vocab, m_sink);
    if (doc && !doc->attachments.empty() &&
        !load_attachments(*doc, source.key, m_opt.check_only ? std::filesystem::path() : m_opt.db / "files", m_sink))
        doc.reset();
    if (doc)
        accept(std::move(*doc), source);
    else
        ++m_report.skipped, ++m_source_errors;
    tick();
}

void Run::process_jsonl(const Source& source, std::string_view bytes) {
    const std::string* source_name = intern(source.key);
    const auto& known = m_by_content[source_name];
    const std::vector<Digest128>& digests = m_info[source.key].line_digests;
    for_each_line(bytes, [&](std::string_view line, int line_no, bool blank) {
        if (blank) {
            tick();
            return;
        }
        if (!m_vocab_changed && !known.empty()) {
            const std::size_t i = static_cast<std::size_t>(line_no - 1);
            const auto k = known.find(i < digests.size() ? digests[i] : content_digest(line));
            if (k != known.end() && k->second->second.source == source_name && !k->second->second.claimed) {
                k->second->second.claimed = true;
                ++m_report.unchanged;
                tick();
                return;
            }
        }
        try {
            if (auto doc = read_jsonl_document(line, source.display, line_no, m_vocab, m_sink))
                accept(std::move(*doc), source);
            else
                ++m_report.skipped, ++m_source_errors;
        } catch (const Error&) {
            throw;  // the stores' own failures stop the source, as before
        } catch (const std::exception& e) {  // std::bad_alloc among them: this record only
            m_sink.error({source.display, line_no, 0}, unexpected_failure(e) + ": the record is skipped");
            ++m_report.skipped, ++m_source_errors;
        }
        tick();
        maybe_commit();
    });
}

// An IATI activity file, activity by activity; each activity's language versions are one
// document. A file that stops being well-formed keeps what it defined before the fault.
void Run::process_iati(const Source& source) {
    // Activities the importer could not read are errors in the sink; accept() counts its own.
    const std::size_t reported_before = m_sink.error_count(), counted_before = m_source_errors;
    const auto count_unread = [&] {
        const std::size_t unread = (m_sink.error_count() - reported_before) - (m_source_errors - counted_before);
        m_source_errors += unread;
        m_report.skipped += unread;
    };
    try {
        read_iati_file(source.key, source.display, m_vocab, m_sink, [&](Document&& doc) {
            doc.hash = content_hash(doc.id + '\n' + doc.lang + '\n' + doc.title + '\n' + doc.body);
            accept(std::move(doc), source);
            maybe_commit();
        });
    } catch (...) {
        count_unread();
        throw;
    }
    count_unread();
    tick();
}

void Run::process(const Source& source) {
    const auto info = m_info.find(source.key);
    if (info == m_info.end()) return;  // could not be read; reported by plan()
    ++m_report.sources;
    if (unchanged(source.key, info->second.hash)) {
        ++m_report.unchanged_sources;
        claim_unchanged(source.key);
        m_done += info->second.records;
        return;
    }
    m_source_docs = m_source_errors = 0;
    try {
        if (source.type == SourceType::iati) {
            process_iati(source);
        } else {
            const MappedFile file(source.key);
            if (source.type == SourceType::jsonl)
                process_jsonl(source, file.bytes());
            else
                process_markdown(source, file.bytes());
        }
    } catch (const XmlError& e) {
        m_sink.error({source.display, e.line(), 0}, std::string("malformed XML: ") + e.what() + " (the activities before it are kept)");
        claim_unchanged(source.key);  // and what it defined before, past the fault
        ++m_source_errors;
        return;
    } catch (const Error& e) {
        m_sink.error({source.display, 0, 0}, e.what());
        claim_unchanged(source.key);  // keep what it defined before
        return;
    } catch (const std::exception& e) {  // std::bad_alloc among them: this source only
        m_sink.error({source.display, 0, 0}, unexpected_failure(e) + " (what it defined before is kept)");
        claim_unchanged(source.key);
        if (source.type == SourceType::markdown) ++m_report.skipped;  // its one document
        ++m_source_errors;
        return;
    }
    retire_unclaimed(source.key);
    if (!m_opt.check_only)
        m_catalogue->put_source(source.key, info->second.hash, static_cast<int>(m_source_docs),
                                static_cast<int>(m_source_errors), m_next);
    maybe_commit();
}

void Run::remove_gone(const ScanResult& scan) {
    if (m_opt.check_only) return;
    std::set<std::string> known;
    for (const auto& [source, keys] : m_keys_by_source) known.insert(*source);
    for (const auto& [source, state] : m_old_sources) known.insert(source);
    for (const std::string& source : known) {
        if (m_info.count(source) || !covered_by(source, scan.roots)) continue;
        std::error_code ec;
        if (fs::exists(source, ec)) continue;  // present but not named this time: keep
        retire_unclaimed(source);
        m_catalogue->remove_source(source, m_next);
        ++m_pending;
    }
}

IndexReport Run::execute() {
    const auto start = std::chrono::steady_clock::now();
    load_vocabularies();
    const ScanResult scan = scan_sources(m_opt.inputs, m_sink);
    // Hashing the sources (plan) and loading what the index holds (open_stores) touch different
    // members: they run side by side.
    auto planned = std::async(std::launch::async, [&] { plan(scan); });
    try {
        open_stores();
    } catch (...) {
        planned.wait();
        throw;
    }
    planned.get();
    start_bulk_if_worthwhile();
    if (m_progress) m_progress(0, m_total);
    for (const Source& s : scan.sources) process(s);
    remove_gone(scan);
    if (m_bulk) {
        finish_bulk();
        m_report.generation = m_next - 1;
        m_report.documents = count_documents(xapian_path(m_opt.db));
    } else if (!m_opt.check_only) {
        if (m_vocab_changed) {
            for (const auto& [name, content] : m_vocab_files) m_catalogue->put_vocabulary_file(name, content, m_next);
            writer().set_synonyms(glossary_synonyms(m_vocab));
            writer().set_schema_current();  // every document was written again
            ++m_pending;
        }
        if (m_pending > 0) commit();
        m_report.generation = m_next - 1;
        m_report.documents = m_xapian ? m_xapian->doc_count() : count_documents(xapian_path(m_opt.db));
    }
    m_report.errors = m_sink.error_count();
    m_report.warnings = m_sink.warning_count();
    m_report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return m_report;
}

}  // namespace

IndexReport run_indexer(const IndexOptions& options, DiagnosticSink& sink, const ProgressCallback& progress) {
    Run run(options, sink, progress);
    return run.execute();
}

}  // namespace passerelle
