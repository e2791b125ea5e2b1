#include "offline/zim_writer.h"

#include <zim/writer/contentProvider.h>
#include <zim/writer/creator.h>
#include <zim/writer/item.h>

#include <iostream>
#include <sstream>

#include "core/diagnostics.h"

namespace passerelle::offline {

namespace {

// What the full-text index reads of a page: the text the crawl made for it (search_text.h),
// rather than libzim's own reading of the HTML, which keeps accents and elisions as typed.
class PageIndex : public zim::writer::IndexData {
  public:
    PageIndex(std::string title, std::string text) : m_title(std::move(title)), m_text(std::move(text)) {}
    bool hasIndexData() const override { return true; }
    std::string getTitle() const override { return m_title; }
    std::string getContent() const override { return m_text; }
    std::string getKeywords() const override { return ""; }
    std::uint32_t getWordCount() const override {
        std::uint32_t n = 0;
        bool in_word = false;
        for (const char c : m_text) {
            const bool space = c == ' ' || c == '\n';
            n += !space && !in_word ? 1 : 0;
            in_word = !space;
        }
        return n;
    }
    GeoPosition getGeoPosition() const override { return {false, 0, 0}; }

  private:
    std::string m_title, m_text;
};

class PageItem : public zim::writer::Item {
  public:
    explicit PageItem(OfflinePage page) : m_page(std::move(page)) {}
    std::string getPath() const override { return m_page.path; }
    std::string getTitle() const override { return m_page.title; }
    std::string getMimeType() const override { return m_page.mime; }
    std::unique_ptr<zim::writer::ContentProvider> getContentProvider() const override {
        return std::make_unique<zim::writer::SharedStringProvider>(m_body);
    }
    std::shared_ptr<zim::writer::IndexData> getIndexData() const override {
        if (m_page.index_text.empty()) return nullptr;  // (HTML libzim would index otherwise)
        return std::make_shared<PageIndex>(m_page.title, m_page.index_text);
    }
    zim::writer::Hints getHints() const override {
        // Searched pages are the articles: Kiwix's title suggestions and random page take them.
        return {{zim::writer::FRONT_ARTICLE, m_page.index_text.empty() ? 0 : 1},
                {zim::writer::COMPRESS, m_page.mime.rfind("application/pdf", 0) == 0 || m_page.mime.rfind("image/png", 0) == 0 ? 0 : 1}};
    }

  private:
    OfflinePage m_page;
    std::shared_ptr<const std::string> m_body = std::make_shared<const std::string>(std::move(m_page.body));
};

// libzim 8.1.1 prints progress words on standard output, which is the program's own output.
class QuietStdout {
  public:
    QuietStdout() : m_saved(std::cout.rdbuf(m_sink.rdbuf())) {}
    ~QuietStdout() { std::cout.rdbuf(m_saved); }
    QuietStdout(const QuietStdout&) = delete;
    QuietStdout& operator=(const QuietStdout&) = delete;

  private:
    std::ostringstream m_sink;
    std::streambuf* m_saved;
};

}  // namespace

struct ZimWriter::Impl {
    std::filesystem::path file;
    std::filesystem::path temporary;  // where libzim writes until finishZimCreation() renames it
    zim::writer::Creator creator;
    bool started = false, finished = false;
};

ZimWriter::ZimWriter(const std::filesystem::path& file, const ZimMetadata& m, unsigned workers, const std::string& index_language)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->file = file;
    m_impl->temporary = file;
    m_impl->temporary += ".tmp";  // (libzim 8's own choice of name)
    try {
        m_impl->creator.configIndexing(true, index_language).configNbWorkers(std::max(1u, workers)).configClusterSize(2 << 20);
        m_impl->creator.startZimCreation(m_impl->file.string());
        m_impl->started = true;
        auto& c = m_impl->creator;
        c.addMetadata("Name", m.name);
        c.addMetadata("Title", m.title);
        c.addMetadata("Description", m.description);
        if (!m.long_description.empty()) c.addMetadata("LongDescription", m.long_description);
        c.addMetadata("Language", m.language);
        c.addMetadata("Creator", m.creator);
        c.addMetadata("Publisher", m.publisher);
        c.addMetadata("Date", m.date);
        c.addMetadata("Tags", m.tags);
        if (!m.flavour.empty()) c.addMetadata("Flavour", m.flavour);
        c.addMetadata("Scraper", "passerelle export zim");
        c.addIllustration(48, m.illustration_png);
    } catch (const std::exception& e) {
        throw Error(file.string() + ": cannot write the ZIM file: " + e.what());
    }
}

ZimWriter::~ZimWriter() {
    if (m_impl->started && !m_impl->finished) {  // what libzim 8 leaves of an unfinished file
        std::error_code ignored;
        std::filesystem::remove(m_impl->temporary, ignored);
        for (const char* index : {"_fulltext.idx.tmp", "_title.idx.tmp"}) {
            std::filesystem::path folder = m_impl->file;
            folder += index;
            std::filesystem::remove_all(folder, ignored);
        }
    }
}

void ZimWriter::add(OfflinePage&& page) {
    const std::string path = page.path;
    try {
        m_impl->creator.addItem(std::make_shared<PageItem>(std::move(page)));
    } catch (const std::exception& e) {
        throw Error(m_impl->file.string() + ": " + path + ": " + e.what());
    }
}

void ZimWriter::finish(const std::string& main_path) {
    try {
        m_impl->creator.setMainPath(main_path);
        const QuietStdout quiet;
        m_impl->creator.finishZimCreation();
    } catch (const std::exception& e) {
        throw Error(m_impl->file.string() + ": cannot finish the ZIM file: " + e.what());
    }
    m_impl->finished = true;
}

}  // namespace passerelle::offline
