#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/progress.h"
#include "core/vocabulary.h"
#include "indexer/compact.h"
#include "indexer/indexer.h"
#include "indexer/lexicon.h"

namespace passerelle::cli {

namespace {

struct IndexArgs {
    std::vector<std::string> paths;
    std::string db;
    std::string vocabularies = Vocabularies::default_dir().string();
    std::size_t batch_size = 100000;
    std::size_t flush_every = 4000;
    bool quiet = false;
};

void print_diagnostics(DiagnosticSink& sink) {
    for (const Diagnostic& d : sink.take()) std::cerr << d.str() << '\n';
}

int run(const IndexArgs& a, bool check_only) {
    IndexOptions opt;
    for (const auto& p : a.paths) opt.inputs.emplace_back(p);
    opt.db = a.db;
    opt.vocabularies = a.vocabularies;
    opt.check_only = check_only;
    opt.batch_size = a.batch_size;
    opt.flush_every = a.flush_every;
    DiagnosticSink sink;
    ProgressBar bar(!a.quiet && stderr_is_terminal());
    IndexReport r;
    try {
        r = run_indexer(opt, sink, [&](std::size_t done, std::size_t total) { bar.update(done, total); });
    } catch (const Error& e) {
        bar.finish();
        print_diagnostics(sink);
        std::cerr << "passerelle: error: " << e.what() << '\n';
        return 2;
    }
    bar.finish();
    print_diagnostics(sink);
    if (check_only) {
        std::printf("checked %zu sources: %zu documents valid, %zu skipped, %zu errors, %zu warnings\n", r.sources,
                    r.added + r.updated, r.skipped, r.errors, r.warnings);
    } else {
        std::printf(
            "indexed %zu sources (%zu unchanged) in %.2fs: %zu added, %zu updated, %zu removed, %zu unchanged, "
            "%zu skipped; %zu errors, %zu warnings; %zu documents in %s (generation %d)\n",
            r.sources, r.unchanged_sources, r.seconds, r.added, r.updated, r.removed, r.unchanged, r.skipped,
            r.errors, r.warnings, r.documents, opt.db.string().c_str(), r.generation);
    }
    return r.errors > 0 ? 1 : 0;
}

void add_common(CLI::App* cmd, IndexArgs& a) {
    cmd->add_option("paths", a.paths, "Directories of Markdown files, .md or .jsonl files")->required();
    cmd->add_option("--vocabularies", a.vocabularies, "Folder of the vocabulary files")->capture_default_str();
    cmd->add_flag("-q,--quiet", a.quiet, "No progress bar");
}

}  // namespace

void add_index_commands(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<IndexArgs>();
    CLI::App* index = app.add_subcommand("index", "Validate sources and bring the index up to date with them");
    add_common(index, *args);
    index->add_option("--db", args->db, "Index folder (Xapian database and SQLite catalogue)")->required();
    index->add_option("--batch-size", args->batch_size, "Documents written per commit (bounds memory)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000000}))
        ->capture_default_str();
    index->add_option("--flush-every", args->flush_every,
                      "Building from empty: documents each parallel shard buffers before writing them out (bounds memory)")
        ->check(CLI::Range(std::size_t{100}, std::size_t{10000000}))
        ->capture_default_str();
    index->callback([args, &exit_code] { exit_code = run(*args, false); });

    auto check_args = std::make_shared<IndexArgs>();
    CLI::App* check = app.add_subcommand("check", "Validate sources without writing anything");
    add_common(check, *check_args);
    check->callback([check_args, &exit_code] { exit_code = run(*check_args, true); });

    auto compact_db = std::make_shared<std::string>();
    CLI::App* compact = app.add_subcommand("compact", "Rewrite the index compactly (faster searches); same documents");
    compact->add_option("--db", *compact_db, "Index folder")->required();
    compact->callback([compact_db, &exit_code] {
        try {
            const CompactReport r = compact_index(*compact_db);
            std::printf("compacted %s (generation %d, %zu database%s) in %.2fs: %.1f MB -> %.1f MB\n", compact_db->c_str(),
                        r.generation, r.sources, r.sources == 1 ? "" : "s", r.seconds, r.bytes_before / 1e6,
                        r.bytes_after / 1e6);
            exit_code = 0;
        } catch (const Error& e) {
            std::cerr << "passerelle: error: " << e.what() << '\n';
            exit_code = 2;
        }
    });

    struct LexiconArgs {
        std::vector<std::string> sources;
        std::string out;
    };
    auto lex = std::make_shared<LexiconArgs>();
    CLI::App* lexicon = app.add_subcommand(
        "lexicon", "Merge the spelling dictionaries and synonyms of index folders into a lexicon for remote shards");
    lexicon->add_option("--db", lex->sources, "Index folder or lexicon to take from (repeat for each)")
        ->required()
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    lexicon->add_option("-o,--output", lex->out, "Lexicon folder to write")->required();
    lexicon->callback([lex, &exit_code] {
        try {
            std::vector<std::filesystem::path> sources(lex->sources.begin(), lex->sources.end());
            const LexiconReport r = build_lexicon(sources, lex->out);
            std::printf("lexicon %s (generation %d) from %zu index folder%s in %.2fs: %zu words, %zu synonym keys\n",
                        lex->out.c_str(), r.generation, r.sources, r.sources == 1 ? "" : "s", r.seconds, r.words,
                        r.synonym_keys);
            exit_code = 0;
        } catch (const Error& e) {
            std::cerr << "passerelle: error: " << e.what() << '\n';
            exit_code = 2;
        }
    });
}

}  // namespace passerelle::cli
