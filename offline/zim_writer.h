// The one libzim adapter: an offline copy written as a ZIM file (openZIM, libzim 8.1.1), with
// its metadata, its illustration, and Kiwix's full-text and title indexes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "offline/site_crawl.h"

namespace passerelle::offline {

struct ZimMetadata {
    std::string name;         // "passerelle_mul_public": the same for every update of one archive
    std::string title;        // at most 30 characters
    std::string description;  // at most 80 characters
    std::string long_description;
    std::string language = "fra,eng";
    std::string creator, publisher, date;  // date: YYYY-MM-DD
    std::string tags;         // ";"-separated
    std::string flavour;      // the role, for a copy that is not public
    std::string illustration_png;  // 48x48
};

class ZimWriter {
  public:
    // Starts writing `file`: libzim writes FILE.tmp and renames it once the ZIM is finished, so
    // an earlier FILE stays whole until then; a ZimWriter never finished removes FILE.tmp.
    // `index_language` is the ISO 639-3 code whose rules the full-text index follows.
    ZimWriter(const std::filesystem::path& file, const ZimMetadata& metadata, unsigned workers, const std::string& index_language);
    ~ZimWriter();
    ZimWriter(const ZimWriter&) = delete;
    ZimWriter& operator=(const ZimWriter&) = delete;

    void add(OfflinePage&& page);
    // Writes the indexes and the directory, with `main_path` as the main page; throws Error.
    void finish(const std::string& main_path);

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace passerelle::offline
