#include "server/oai.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdint>
#include <deque>
#include <map>
#include <type_traits>
#include <unordered_map>
#include <optional>
#include <set>

#include "core/catalogue.h"
#include "core/clock.h"
#include "core/document_builder.h"
#include "core/search.h"
#include "core/url.h"
#include "core/vocabulary.h"
#include "core/xml.h"

namespace passerelle::http {

namespace {

using Json = nlohmann::json;
using Args = std::vector<std::pair<std::string, std::string>>;

constexpr const char* k_oai_ns = "http://www.openarchives.org/OAI/2.0/";
constexpr const char* k_xsi_ns = "http://www.w3.org/2001/XMLSchema-instance";
constexpr const char* k_dc_prefix = "oai_dc";
constexpr const char* k_dc_ns = "http://www.openarchives.org/OAI/2.0/oai_dc/";
constexpr const char* k_dc_schema = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
constexpr const char* k_dc_elements = "http://purl.org/dc/elements/1.1/";

// "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ", a real date and time.
enum class Granularity { none, day, second };
Granularity granularity(const std::string& s) {
    if (s.size() == 10) return parse_date(s) ? Granularity::day : Granularity::none;
    if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' || !parse_date(s.substr(0, 10))) return Granularity::none;
    for (int i : {11, 12, 14, 15, 17, 18})
        if (s[i] < '0' || s[i] > '9') return Granularity::none;
    if (std::stoi(s.substr(11, 2)) > 23 || std::stoi(s.substr(14, 2)) > 59 || std::stoi(s.substr(17, 2)) > 59) return Granularity::none;
    return Granularity::second;
}

// One record's header. A million of them stay in memory: the datestamp points into the
// generations' times and the sets are numbers into one table of specs (OaiProvider::Items).
struct Item {
    std::string id;
    std::string_view datestamp;
    std::vector<std::uint16_t> sets;
    bool deleted = false;
};

struct SetInfo {
    std::string spec, name;
};

}  // namespace

struct OaiProvider::Items {
    int generation = 0;
    std::vector<Item> list;  // by datestamp, then id
    std::unordered_map<std::string_view, std::size_t> by_id;  // views of the ids in `list`
    std::vector<std::string> specs;  // what Item::sets number
    std::vector<SetInfo> sets;       // offered by ListSets
    std::deque<std::string> times;   // what Item::datestamp points into
    std::string earliest;
};

namespace {

// The time of generation `g`: when it was committed, else the closest earlier generation's
// time, else the earliest known (a catalogue older than this record of times).
std::string time_of(const std::map<int, std::string>& times, int g, const std::string& fallback) {
    auto it = times.upper_bound(g);
    if (it != times.begin()) return std::prev(it)->second;
    return times.empty() ? fallback : times.begin()->second;
}

// The strings of the array `key` in the JSON object `json`, as the catalogue writes it
// (compact, ids without escapes); nothing when it has none or is not that simple.
std::vector<std::string_view> string_array(std::string_view json, std::string_view key) {
    std::vector<std::string_view> out;
    const std::string pattern = "\"" + std::string(key) + "\":[";
    auto at = json.find(pattern);
    if (at == std::string_view::npos) return out;
    at += pattern.size();
    while (at < json.size() && json[at] == '"') {
        const auto end = json.find('"', at + 1);
        if (end == std::string_view::npos) return {};
        const std::string_view value = json.substr(at + 1, end - at - 1);
        if (value.find('\\') != std::string_view::npos) return {};
        out.push_back(value);
        at = end + 1;
        if (at < json.size() && json[at] == ',') ++at;
    }
    return out;
}

std::shared_ptr<const OaiProvider::Items> build_items(Catalogue& catalogue, const Vocabularies& vocab, int g) {
    auto items = std::make_shared<OaiProvider::Items>();
    items->generation = g;
    const auto times = catalogue.generation_times();
    const std::string now = utc_now();
    std::map<int, std::string_view> time_views;  // by generation: each time made once
    const auto time_view = [&](int gen) -> std::string_view {
        auto it = time_views.find(gen);
        if (it == time_views.end()) it = time_views.emplace(gen, items->times.emplace_back(time_of(times, gen, now))).first;
        return it->second;
    };
    std::unordered_map<std::string, std::uint16_t> spec_ids;
    const auto spec_id = [&](std::string spec) -> std::uint16_t {
        auto it = spec_ids.find(spec);
        if (it == spec_ids.end()) {
            it = spec_ids.emplace(spec, static_cast<std::uint16_t>(items->specs.size())).first;
            items->specs.push_back(std::move(spec));
        }
        return it->second;
    };
    // Public versions come ordered by id: one item per run of the same id.
    catalogue.for_each_public_entry(g, [&](std::string_view id, std::string_view kind, int gen_from, std::string_view metadata) {
        if (items->list.empty() || items->list.back().id != id) items->list.push_back(Item{std::string(id), {}, {}, false});
        Item& item = items->list.back();
        const std::string_view t = time_view(gen_from);
        if (item.datestamp.empty() || t > item.datestamp) item.datestamp = t;
        item.sets.push_back(spec_id("kind:" + std::string(kind)));
        for (std::string_view theme : string_array(metadata, "themes")) item.sets.push_back(spec_id("theme:" + std::string(theme)));
        for (std::string_view c : string_array(metadata, "countries")) item.sets.push_back(spec_id("country:" + std::string(c)));
    });
    std::vector<std::size_t> used(items->specs.size(), 0);  // records per spec
    for (Item& item : items->list) {
        std::sort(item.sets.begin(), item.sets.end(), [&](std::uint16_t a, std::uint16_t b) { return items->specs[a] < items->specs[b]; });
        item.sets.erase(std::unique(item.sets.begin(), item.sets.end()), item.sets.end());
        item.sets.shrink_to_fit();
        for (std::uint16_t s : item.sets) ++used[s];
    }
    const std::size_t live = items->list.size();  // sorted by id, for the withdrawn ones' look-up
    for (const auto& [id, gen] : catalogue.withdrawn(g)) {
        const bool is_live = std::binary_search(items->list.begin(), items->list.begin() + static_cast<std::ptrdiff_t>(live), id,
                                                [](const auto& a, const auto& b) {
                                                    if constexpr (std::is_same_v<std::decay_t<decltype(a)>, Item>) return a.id < b;
                                                    else return a < b.id;
                                                });
        if (!is_live) items->list.push_back(Item{id, time_view(gen), {}, true});
    }
    std::sort(items->list.begin(), items->list.end(),
              [](const Item& a, const Item& b) { return a.datestamp != b.datestamp ? a.datestamp < b.datestamp : a.id < b.id; });
    items->by_id.reserve(items->list.size());
    for (std::size_t i = 0; i < items->list.size(); ++i) items->by_id.emplace(items->list[i].id, i);
    items->earliest = items->list.empty() ? time_of(times, g, now) : std::string(items->list.front().datestamp);
    if (!times.empty()) items->earliest = std::min(items->earliest, times.begin()->second);
    const auto records_in = [&](const std::string& spec) {
        const auto it = spec_ids.find(spec);
        return it == spec_ids.end() ? std::size_t{0} : used[it->second];
    };

    // Sets: the three families, and every kind, theme and country that has a record.
    const auto family = [&](const char* prefix, const char* name, const TermList& terms) {
        items->sets.push_back({prefix, name});
        for (const Term& t : terms.terms()) {
            const std::string spec = std::string(prefix) + ":" + t.id;
            if (records_in(spec)) items->sets.push_back({spec, t.en == t.fr ? t.en : t.en + " / " + t.fr});
        }
    };
    family("kind", "Kinds of document / Types de document", vocab.kinds);
    family("theme", "Themes / Thèmes", vocab.themes);
    family("country", "Countries / Pays", vocab.countries);
    return items;
}

class Writer {
  public:
    Writer(const std::string& base_url, const Args& args, bool echo_args) {
        w.start("OAI-PMH").attribute("xmlns", k_oai_ns).attribute("xmlns:xsi", k_xsi_ns);
        w.attribute("xsi:schemaLocation", std::string(k_oai_ns) + " http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd");
        w.element("responseDate", utc_now());
        w.start("request");
        if (echo_args)
            for (const auto& [k, v] : args) w.attribute(k, v);
        w.text(base_url).end();
    }
    XmlWriter w;
    Response done() {
        w.end();
        Response r;
        r.body = w.finish();
        r.set_header("Content-Type", "text/xml; charset=utf-8");
        return r;
    }
};

Response error(const std::string& base_url, const Args& args, const std::string& code, const std::string& message) {
    // badVerb and badArgument echo the base URL only: the request's arguments were not valid.
    Writer out(base_url, args, code != "badVerb" && code != "badArgument");
    out.w.start("error").attribute("code", code).text(message).end();
    return out.done();
}

struct Token {
    std::string verb, prefix, set, from, until, last_datestamp, last_id;
    std::size_t cursor = 0;
};

std::string make_token(const Token& t) {
    return "v1!" + t.verb + "!" + std::to_string(t.cursor) + "!" + t.last_datestamp + "!" + percent_encode(t.last_id) + "!" + t.prefix +
           "!" + percent_encode(t.set) + "!" + t.from + "!" + t.until;
}

std::optional<Token> read_token(const std::string& s, const std::string& verb) {
    std::vector<std::string> parts;
    std::size_t at = 0;
    for (;;) {
        const auto bang = s.find('!', at);
        parts.push_back(s.substr(at, bang == std::string::npos ? std::string::npos : bang - at));
        if (bang == std::string::npos) break;
        at = bang + 1;
    }
    if (parts.size() != 9 || parts[0] != "v1" || parts[1] != verb) return std::nullopt;
    Token t;
    t.verb = parts[1];
    if (parts[2].empty() || parts[2].size() > 9 || parts[2].find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    t.cursor = std::stoul(parts[2]);
    t.last_datestamp = parts[3];
    auto id = percent_decode(parts[4], false);
    auto set = percent_decode(parts[6], false);
    if (!id || !set || granularity(t.last_datestamp) != Granularity::second || parts[5] != k_dc_prefix) return std::nullopt;
    t.last_id = *id;
    t.prefix = parts[5];
    t.set = *set;
    t.from = parts[7];
    t.until = parts[8];
    if ((!t.from.empty() && granularity(t.from) == Granularity::none) || (!t.until.empty() && granularity(t.until) == Granularity::none))
        return std::nullopt;
    return t;
}

}  // namespace

OaiProvider::OaiProvider(const ServerConfig& config) : m_config(config) {}
OaiProvider::~OaiProvider() = default;

std::shared_ptr<const OaiProvider::Items> OaiProvider::items(IndexReaders::Reader& reader) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_items || m_items->generation != reader.generation)
        m_items = build_items(*reader.catalogue, reader.searcher->vocabularies(), reader.generation);
    return m_items;
}

Response OaiProvider::handle(const Args& args, const std::string& base_url, IndexReaders::Reader& reader) {
    // Arguments: each at most once, none unknown to the verb.
    std::map<std::string, std::string> a;
    std::vector<std::string> verbs;
    for (const auto& [k, v] : args) {
        if (k == "verb") verbs.push_back(v);
        else if (a.count(k)) return error(base_url, args, "badArgument", "the argument '" + k + "' is repeated");
        else a[k] = v;
    }
    if (verbs.size() != 1) return error(base_url, args, "badVerb", verbs.empty() ? "no verb" : "the verb is repeated");
    const std::string verb = verbs[0];
    static const std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> k_verbs = {
        // verb -> (required, optional) arguments
        {"Identify", {{}, {}}},
        {"ListMetadataFormats", {{}, {"identifier"}}},
        {"ListSets", {{}, {"resumptionToken"}}},
        {"ListIdentifiers", {{"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}}},
        {"ListRecords", {{"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}}},
        {"GetRecord", {{"identifier", "metadataPrefix"}, {}}},
    };
    const auto spec = k_verbs.find(verb);
    if (spec == k_verbs.end()) return error(base_url, args, "badVerb", "'" + verb + "' is not an OAI-PMH verb");
    const bool token_given = a.count("resumptionToken") > 0;
    for (const auto& [k, v] : a) {
        if (!spec->second.first.count(k) && !spec->second.second.count(k))
            return error(base_url, args, "badArgument", "'" + k + "' is not an argument of " + verb);
        if (token_given && k != "resumptionToken")
            return error(base_url, args, "badArgument", "resumptionToken is an exclusive argument");
    }
    if (!token_given)
        for (const std::string& k : spec->second.first)
            if (!a.count(k)) return error(base_url, args, "badArgument", verb + " needs the argument '" + k + "'");

    const auto items = this->items(reader);
    const std::string prefix = "oai:" + m_config.oai_repository_id + ":";
    const std::string pages = m_config.base_url.empty() ? base_url.substr(0, base_url.size() - 4) : m_config.base_url;
    const auto item_of = [&](const std::string& identifier) -> const Item* {
        if (identifier.compare(0, prefix.size(), prefix) != 0) return nullptr;
        const auto id = percent_decode(identifier.substr(prefix.size()), false);
        if (!id) return nullptr;
        const auto it = items->by_id.find(std::string_view(*id));
        return it == items->by_id.end() ? nullptr : &items->list[it->second];
    };
    const auto header = [&](XmlWriter& w, const Item& item) {
        w.start("header");
        if (item.deleted) w.attribute("status", "deleted");
        w.element("identifier", prefix + percent_encode(item.id));
        w.element("datestamp", item.datestamp);
        for (std::uint16_t s : item.sets) w.element("setSpec", items->specs[s]);
        w.end();
    };
    const Vocabularies& vocab = reader.searcher->vocabularies();
    const auto record = [&](XmlWriter& w, const Item& item) {
        w.start("record");
        header(w, item);
        if (!item.deleted) {
            auto versions = reader.catalogue->versions(item.id, items->generation, {"public"});
            std::stable_sort(versions.begin(), versions.end(), [](const StoredDocument& x, const StoredDocument& y) {
                const auto rank = [](const std::string& l) { return l == "fr" ? 0 : l == "en" ? 1 : 2; };
                return rank(x.lang) < rank(y.lang);  // French, the organisation's language, first
            });
            w.start("metadata");
            w.start("oai_dc:dc").attribute("xmlns:oai_dc", k_dc_ns).attribute("xmlns:dc", k_dc_elements).attribute("xmlns:xsi", k_xsi_ns);
            w.attribute("xsi:schemaLocation", std::string(k_dc_ns) + " " + k_dc_schema);
            std::vector<Json> metas;
            for (const StoredDocument& v : versions) {
                metas.push_back(Json::parse(v.metadata, nullptr, false));
                if (!metas.back().is_object()) metas.back() = Json::object();
            }
            const auto each = [&](const char* field, const char* key, auto&& f) {
                std::set<std::string> seen;
                for (const Json& m : metas)
                    for (const Json& x : m.value(field, Json::array())) {
                        const Json& v = key && x.is_object() ? x.value(key, Json()) : x;
                        if (v.is_string() && seen.insert(v.get<std::string>()).second) f(v.get<std::string>());
                    }
            };
            for (const StoredDocument& v : versions) w.start("dc:title").attribute("xml:lang", v.lang).text(v.title).end();
            each("authors", nullptr, [&](const std::string& s) { w.element("dc:creator", s); });
            each("themes", nullptr, [&](const std::string& s) {
                if (const Term* t = vocab.themes.find(s)) {
                    w.start("dc:subject").attribute("xml:lang", "fr").text(t->fr).end();
                    w.start("dc:subject").attribute("xml:lang", "en").text(t->en).end();
                }
            });
            each("sectors", nullptr, [&](const std::string& s) {
                if (const Term* t = vocab.sectors.find(s)) w.start("dc:subject").attribute("xml:lang", "en").text(s + " " + t->en).end();
            });
            each("tags", nullptr, [&](const std::string& s) { w.element("dc:subject", s); });
            for (const StoredDocument& v : versions)
                if (!v.summary.empty()) w.start("dc:description").attribute("xml:lang", v.lang).text(v.summary).end();
            std::set<std::string> publishers;
            for (const Json& m : metas)
                if (m.value("publisher", Json()).is_string() && publishers.insert(m["publisher"].get<std::string>()).second)
                    w.element("dc:publisher", m["publisher"].get<std::string>());
            each("partners", "name", [&](const std::string& s) { w.element("dc:contributor", s); });
            each("funders", nullptr, [&](const std::string& s) { w.element("dc:contributor", s); });
            if (!versions.empty() && !versions.front().date.empty()) w.element("dc:date", versions.front().date);
            if (!versions.empty())
                if (const Term* k = vocab.kinds.find(versions.front().kind)) {
                    w.start("dc:type").attribute("xml:lang", "en").text(k->en).end();
                    w.start("dc:type").attribute("xml:lang", "fr").text(k->fr).end();
                }
            w.element("dc:type", "Text");
            w.element("dc:format", "text/html");
            for (const StoredDocument& v : versions)
                w.element("dc:identifier", pages + document_page_path(item.id, v.lang));
            for (const StoredDocument& v : versions) w.element("dc:language", v.lang);
            each("countries", nullptr, [&](const std::string& s) {
                const Term* t = vocab.countries.find(s);
                w.element("dc:coverage", t ? t->en : s);
            });
            each("places", nullptr, [&](const std::string& s) { w.element("dc:coverage", s); });
            if (!versions.empty() && !versions.front().project.empty())
                w.element("dc:relation", pages + document_page_path(versions.front().project, "fr"));
            w.end();  // oai_dc:dc
            w.end();  // metadata
        }
        w.end();
    };

    if (verb == "Identify") {
        Writer out(base_url, args, true);
        XmlWriter& w = out.w;
        w.start("Identify");
        w.element("repositoryName", m_config.oai_repository_name);
        w.element("baseURL", base_url);
        w.element("protocolVersion", "2.0");
        w.element("adminEmail", m_config.oai_admin_email);
        w.element("earliestDatestamp", items->earliest);
        w.element("deletedRecord", "transient");  // kept while the catalogue is; a rebuilt index starts afresh
        w.element("granularity", "YYYY-MM-DDThh:mm:ssZ");
        w.start("description");
        w.start("oai-identifier").attribute("xmlns", "http://www.openarchives.org/OAI/2.0/oai-identifier");
        w.attribute("xmlns:xsi", k_xsi_ns);
        w.attribute("xsi:schemaLocation", "http://www.openarchives.org/OAI/2.0/oai-identifier http://www.openarchives.org/OAI/2.0/oai-identifier.xsd");
        w.element("scheme", "oai");
        w.element("repositoryIdentifier", m_config.oai_repository_id);
        w.element("delimiter", ":");
        w.element("sampleIdentifier", prefix + (items->list.empty() ? "pr-paems" : percent_encode(items->list.front().id)));
        w.end().end().end();
        return out.done();
    }
    if (verb == "ListMetadataFormats") {
        if (a.count("identifier") && !item_of(a["identifier"]))
            return error(base_url, args, "idDoesNotExist", "no record has the identifier '" + a["identifier"] + "'");
        Writer out(base_url, args, true);
        out.w.start("ListMetadataFormats").start("metadataFormat");
        out.w.element("metadataPrefix", k_dc_prefix).element("schema", k_dc_schema).element("metadataNamespace", k_dc_ns);
        out.w.end().end();
        return out.done();
    }
    if (verb == "ListSets") {
        if (token_given) return error(base_url, args, "badResumptionToken", "the list of sets comes in one piece: there is no token to resume");
        Writer out(base_url, args, true);
        out.w.start("ListSets");
        for (const SetInfo& s : items->sets) out.w.start("set").element("setSpec", s.spec).element("setName", s.name).end();
        out.w.end();
        return out.done();
    }
    if (verb == "GetRecord") {
        if (a["metadataPrefix"] != k_dc_prefix)
            return error(base_url, args, "cannotDisseminateFormat", "the only metadata format is oai_dc");
        const Item* item = item_of(a["identifier"]);
        if (!item) return error(base_url, args, "idDoesNotExist", "no record has the identifier '" + a["identifier"] + "'");
        Writer out(base_url, args, true);
        out.w.start("GetRecord");
        record(out.w, *item);
        out.w.end();
        return out.done();
    }

    // ListIdentifiers and ListRecords.
    Token t;
    if (token_given) {
        const auto read = read_token(a["resumptionToken"], verb);
        if (!read) return error(base_url, args, "badResumptionToken", "the resumptionToken is not one this repository gave");
        t = *read;
    } else {
        t.verb = verb;
        t.prefix = a["metadataPrefix"];
        t.set = a.count("set") ? a["set"] : "";
        t.from = a.count("from") ? a["from"] : "";
        t.until = a.count("until") ? a["until"] : "";
        const Granularity gf = t.from.empty() ? Granularity::none : granularity(t.from);
        const Granularity gu = t.until.empty() ? Granularity::none : granularity(t.until);
        if ((!t.from.empty() && gf == Granularity::none) || (!t.until.empty() && gu == Granularity::none))
            return error(base_url, args, "badArgument", "from and until are YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ dates");
        if (!t.from.empty() && !t.until.empty() && gf != gu)
            return error(base_url, args, "badArgument", "from and until must have the same granularity");
        if (!t.from.empty() && !t.until.empty() && t.from > t.until) return error(base_url, args, "badArgument", "from is after until");
        if (t.prefix != k_dc_prefix) return error(base_url, args, "cannotDisseminateFormat", "the only metadata format is oai_dc");
    }
    const std::string from = t.from.size() == 10 ? t.from + "T00:00:00Z" : t.from;
    const std::string until = t.until.size() == 10 ? t.until + "T23:59:59Z" : t.until;
    const auto in_set = [&](const Item& item) {
        if (t.set.empty()) return true;
        for (std::uint16_t i : item.sets)
            if (const std::string& s = items->specs[i]; s == t.set || (s.size() > t.set.size() && s.compare(0, t.set.size(), t.set) == 0 && s[t.set.size()] == ':')) return true;
        return false;
    };
    std::vector<const Item*> matching;
    for (const Item& item : items->list)
        if ((from.empty() || item.datestamp >= from) && (until.empty() || item.datestamp <= until) && in_set(item)) matching.push_back(&item);
    if (matching.empty()) return error(base_url, args, "noRecordsMatch", "no record matches these arguments");
    // Resume after the last item given, wherever the list has moved since.
    std::size_t start = 0;
    if (token_given)
        while (start < matching.size() && (matching[start]->datestamp < t.last_datestamp ||
                                           (matching[start]->datestamp == t.last_datestamp && matching[start]->id <= t.last_id)))
            ++start;
    const std::size_t page = static_cast<std::size_t>(std::max(1, m_config.oai_page_size));
    const std::size_t end = std::min(matching.size(), start + page);
    if (token_given && start >= matching.size())
        return error(base_url, args, "badResumptionToken", "the list this resumptionToken continues has ended");

    Writer out(base_url, args, true);
    XmlWriter& w = out.w;
    w.start(verb);
    for (std::size_t i = start; i < end; ++i) {
        if (verb == "ListRecords") record(w, *matching[i]);
        else header(w, *matching[i]);
    }
    if (token_given || end < matching.size()) {
        w.start("resumptionToken").attribute("completeListSize", std::to_string(matching.size())).attribute("cursor", std::to_string(t.cursor));
        if (end < matching.size()) {
            Token next = t;
            next.cursor = t.cursor + (end - start);
            next.last_datestamp = std::string(matching[end - 1]->datestamp);
            next.last_id = matching[end - 1]->id;
            w.text(make_token(next));
        }
        w.end();
    }
    w.end();
    return out.done();
}

}  // namespace passerelle::http
