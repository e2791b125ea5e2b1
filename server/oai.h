// The OAI-PMH 2.0 provider at /oai, for university repositories that harvest the archive: the
// six verbs, Dublin Core (oai_dc) records, sets by kind, theme and country, from/until
// datestamps, resumption tokens and every error code of the protocol. One record per document
// (its public language versions together); public documents only, whoever asks. Documents
// whose public versions are all gone are reported as deleted. docs/oai.md describes it.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server/config.h"
#include "server/http.h"
#include "server/index_readers.h"

namespace passerelle::http {

class OaiProvider {
  public:
    explicit OaiProvider(const ServerConfig& config);
    ~OaiProvider();

    // `args`: the request's parameters (query string or form body), decoded. `base_url`: the
    // absolute address of /oai as the caller reached it. Never throws for a bad request: the
    // protocol's errors are 200 responses.
    Response handle(const std::vector<std::pair<std::string, std::string>>& args, const std::string& base_url,
                    IndexReaders::Reader& reader);

    struct Items;  // the repository's items at one generation, in datestamp order

  private:
    std::shared_ptr<const Items> items(IndexReaders::Reader& reader);

    const ServerConfig& m_config;
    std::mutex m_mutex;
    std::shared_ptr<const Items> m_items;  // for the latest generation asked
};

}  // namespace passerelle::http
