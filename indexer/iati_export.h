// IATI 2.03 activity XML for the organisation's own project records: each project document
// (not one imported from an IATI file) is one activity, its public French and English versions
// merged into bilingual narratives, its indicators as results. Public versions only.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace passerelle {

struct IatiExportOptions {
    std::filesystem::path db;
    std::string project;          // one project id; empty: every own project
    std::string org_ref;          // the reporting organisation's IATI identifier (prefixes activity ids)
    std::string org_name;         // its name
    std::string org_type = "22";  // IATI OrganisationType (22: national NGO)
    std::string base_url;         // where the documents' pages are ("" leaves the web pages out)
    std::string generated;        // generated-datetime (YYYY-MM-DDThh:mm:ssZ); empty: now
};

struct IatiExport {
    std::string xml;
    std::size_t activities = 0;
    std::vector<std::string> skipped;  // "id: why"
};

// Throws Error for an index that cannot be read, or a --project that is not an own public
// project.
IatiExport export_iati(const IatiExportOptions& options);

}  // namespace passerelle
