// Allocations that fail while one document is read: the document gets an error at its file
// (and line), the run goes on with the others. The failures are injected by this binary's own
// operator new, which refuses any single allocation from a threshold on while it is armed, so
// the indexer meets a real std::bad_alloc exactly where a document's own bytes are copied.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "core/search.h"
#include "indexer/indexer.h"
#include "support/fixture_index.h"

namespace {
std::atomic<std::size_t> g_refuse_from{0};  // 0: every allocation is served

void* allocate(std::size_t n) {
    const std::size_t from = g_refuse_from.load(std::memory_order_relaxed);
    if (from != 0 && n >= from) throw std::bad_alloc();
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
}  // namespace

// Every form that pairs with free(), nothrow ones included (std::stable_sort asks for its buffer
// with nothrow new): AddressSanitizer checks that each block is freed as it was allocated.
void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return allocate(n);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept { return operator new(n, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace passerelle {
namespace {

using test::note;

std::string record(const std::string& id, const std::string& body) {
    return R"({"id": ")" + id + R"(", "lang": "fr", "kind": "report", "title": "Titre", "visibility": "public", "body": ")" +
           body + "\"}\n";
}

// Arms the injection for its lifetime.
struct RefuseAllocationsFrom {
    explicit RefuseAllocationsFrom(std::size_t bytes) { g_refuse_from = bytes; }
    ~RefuseAllocationsFrom() { g_refuse_from = 0; }
};

TEST(IndexerOutOfMemoryTest, ADocumentThatCannotBeAllocatedFailsAloneAtItsFile) {
    test::FixtureIndex f;
    const std::string big(3u << 20, 'x');  // 3 MiB: within the limits, over the injected one
    f.add("puits.fr.md", note("puits", "fr", "report", "Puits", "Le puits de Kédougou.", "visibility: public\n"));
    f.add("gros.fr.md", note("gros", "fr", "report", "Gros", big, "visibility: public\n"));
    f.add("wells.en.md", note("wells", "en", "report", "Wells", "The Tambacounda well.", "visibility: public\n"));
    IndexOptions opt;
    opt.inputs = {f.dir / "content", f.dir.write("bulk.jsonl", record("j-un", "Une latrine à Ziguinchor.") + record("j-gros", big) +
                                                                    record("j-trois", "Un forage à Podor."))};
    opt.db = f.db();
    opt.vocabularies = test::source_dir() / "content" / "vocabularies";
    DiagnosticSink sink;
    IndexReport r;
    {
        const RefuseAllocationsFrom refuse(2u << 20);
        r = run_indexer(opt, sink);
    }
    EXPECT_EQ(r.added, 4u);
    EXPECT_EQ(r.skipped, 2u);
    EXPECT_EQ(r.errors, 2u);
    std::string all;
    for (const auto& d : sink.take()) all += d.str() + "\n";
    EXPECT_NE(all.find("gros.fr.md: error: out of memory while reading this document (what it defined before is kept)"),
              std::string::npos)
        << all;
    EXPECT_NE(all.find("bulk.jsonl:2: error: out of memory while reading this document: the record is skipped"), std::string::npos)
        << all;

    Searcher s(f.db());
    EXPECT_EQ(s.document_count(), 4u);
    SearchRequest q;
    for (const char* word : {"Kédougou", "Tambacounda", "Ziguinchor", "Podor"}) {
        q.query = word;
        EXPECT_EQ(s.search(q).total, 1u) << word;
    }
}

}  // namespace
}  // namespace passerelle
