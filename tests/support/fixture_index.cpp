#include "support/fixture_index.h"

namespace passerelle::test {

std::string note(const std::string& id, const std::string& lang, const std::string& kind, const std::string& title,
                 const std::string& body, const std::string& extra) {
    return "---\nid: " + id + "\nlang: " + lang + "\nkind: " + kind + "\ntitle: \"" + title + "\"\n" + extra +
           "---\n" + body + "\n";
}

const IndexReport& FixtureIndex::index(std::size_t batch_size) {
    IndexOptions opt;
    opt.inputs = {content()};
    opt.db = db();
    opt.vocabularies = source_dir() / "content" / "vocabularies";
    opt.batch_size = batch_size;
    DiagnosticSink sink;
    report = run_indexer(opt, sink);
    messages.clear();
    for (const auto& d : sink.take()) messages.push_back(d.str());
    return report;
}

}  // namespace passerelle::test
