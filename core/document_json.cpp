#include "core/document_json.h"

namespace passerelle {

nlohmann::json document_to_json(const Document& doc) {
    nlohmann::json partners = nlohmann::json::array();
    for (const auto& p : doc.partners) partners.push_back({{"name", p.name}, {"role", p.role}});
    nlohmann::json indicators = nlohmann::json::array();
    for (const auto& i : doc.indicators) {
        indicators.push_back({{"name", i.name}, {"value", i.value}, {"unit", i.unit}, {"year", i.year}});
        if (i.target) indicators.back()["target"] = *i.target;
    }
    nlohmann::json attachments = nlohmann::json::array();
    for (const auto& a : doc.attachments) {
        nlohmann::json j = {{"file", a.file}, {"type", a.type}, {"bytes", a.bytes}, {"hash", a.hash}};
        for (const auto& [key, value] : {std::pair{"title", &a.title}, {"alt", &a.alt}, {"credit", &a.credit}})
            if (!value->empty()) j[key] = *value;
        if (a.page_count > 0) j["pages"] = a.page_count;
        attachments.push_back(std::move(j));
    }
    return {
        {"id", doc.id},
        {"lang", doc.lang},
        {"kind", doc.kind},
        {"title", doc.title},
        {"summary", doc.summary},
        {"date", doc.date},
        {"year", doc.year},
        {"visibility", doc.effective_visibility()},
        {"status", doc.status},
        {"countries", doc.countries},
        {"places", doc.places},
        {"themes", doc.all_themes},
        {"declared_themes", doc.themes},
        {"sectors", doc.sectors},
        {"phase", doc.phase},
        {"project", doc.project},
        {"partners", partners},
        {"funders", doc.funders},
        {"authors", doc.authors},
        {"author_types", doc.author_types},
        {"publisher", doc.publisher},
        {"source", doc.source},
        {"indicators", indicators},
        {"tags", doc.tags},
        {"steps", doc.steps},
        {"attachments", attachments},
    };
}

}  // namespace passerelle
