#include "core/stored_fields.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace passerelle {

std::string snippet_source(const std::string& summary, const std::string& plain_body) {
    std::string text = summary;
    if (!text.empty() && !plain_body.empty()) text += '\n';
    text += plain_body;
    if (text.size() > k_max_snippet_source) {
        std::size_t cut = k_max_snippet_source;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text.resize(cut);
        text += "…";
    }
    return text;
}

std::string encode_stored_fields(const Document& doc) {
    nlohmann::json j = {
        {"id", doc.id},           {"lang", doc.lang},
        {"kind", doc.kind},       {"title", doc.title},
        {"date", doc.date},       {"year", doc.year},
        {"countries", doc.countries}, {"themes", doc.all_themes},
        {"visibility", doc.effective_visibility()},
    };
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Reads the display fields straight into a StoredFields, without building a JSON tree (a hit
// is decoded on every search). Unknown keys and nested values are skipped.
class FieldsReader : public nlohmann::json_sax<nlohmann::json> {
  public:
    explicit FieldsReader(StoredFields& f) : m_f(f) {}

    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t n) override { return number(static_cast<long long>(n)); }
    bool number_unsigned(number_unsigned_t n) override { return number(static_cast<long long>(n)); }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool string(string_t& v) override {
        if (m_depth == 1) {
            if (m_key == "id") m_f.id = std::move(v);
            else if (m_key == "lang") m_f.lang = std::move(v);
            else if (m_key == "kind") m_f.kind = std::move(v);
            else if (m_key == "title") m_f.title = std::move(v);
            else if (m_key == "date") m_f.date = std::move(v);
            else if (m_key == "visibility") m_f.visibility = std::move(v);
        } else if (m_depth == 2 && m_list) {
            m_list->push_back(std::move(v));
        }
        return true;
    }
    bool start_object(std::size_t) override {
        ++m_depth;
        return true;
    }
    bool end_object() override {
        --m_depth;
        return true;
    }
    bool start_array(std::size_t) override {
        ++m_depth;
        m_list = m_depth == 2 && m_key == "countries" ? &m_f.countries : m_depth == 2 && m_key == "themes" ? &m_f.themes : nullptr;
        return true;
    }
    bool end_array() override {
        if (m_depth == 2) m_list = nullptr;
        --m_depth;
        return true;
    }
    bool key(string_t& k) override {
        if (m_depth == 1) m_key = std::move(k);
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

  private:
    bool number(long long n) {
        if (m_depth == 1 && m_key == "year") m_f.year = static_cast<int>(n);
        return true;
    }
    StoredFields& m_f;
    int m_depth = 0;
    std::string m_key;
    std::vector<std::string>* m_list = nullptr;
};

}  // namespace

StoredFields decode_stored_fields(std::string_view data) {
    StoredFields f;
    FieldsReader reader(f);
    if (!nlohmann::json::sax_parse(data.begin(), data.end(), &reader)) return StoredFields{};
    return f;
}

std::string encode_hit_value(const Document& doc, const std::string& plain_body) {
    return encode_stored_fields(doc) + '\n' + snippet_source(doc.summary, plain_body);
}

std::pair<StoredFields, std::string_view> decode_hit_value(std::string_view value) {
    const auto nl = value.find('\n');
    if (nl == std::string_view::npos) return {decode_stored_fields(value), {}};
    return {decode_stored_fields(value.substr(0, nl)), value.substr(nl + 1)};
}

std::string pack_facets(const Document& doc) {
    std::string out;
    auto add = [&](char code, const std::string& value) {
        if (value.empty()) return;
        out += code;
        out += ':';
        out += value;
        out += '\n';
    };
    add(facet::k_kind, doc.kind);
    add(facet::k_lang, doc.lang);
    for (const auto& c : doc.countries) add(facet::k_country, c);
    for (const auto& t : doc.all_themes) add(facet::k_theme, t);
    for (const auto& p : doc.places) add(facet::k_place, p);
    if (doc.year) add(facet::k_year, std::to_string(doc.year));
    add(facet::k_phase, doc.phase);
    add(facet::k_visibility, doc.effective_visibility());
    return out;
}

std::vector<std::pair<char, std::string>> unpack_facets(std::string_view packed) {
    std::vector<std::pair<char, std::string>> out;
    std::size_t at = 0;
    while (at + 2 <= packed.size()) {
        const auto nl = packed.find('\n', at);
        const std::size_t end = nl == std::string_view::npos ? packed.size() : nl;
        if (end > at + 2 && packed[at + 1] == ':') out.emplace_back(packed[at], std::string(packed.substr(at + 2, end - at - 2)));
        at = end + 1;
    }
    return out;
}

std::string encode_attachment_pages(const Document& doc) {
    std::string out;
    for (const Attachment& a : doc.attachments) {
        if (a.pages.empty()) continue;
        if (!out.empty()) out += '\x1d';
        out += a.file;
        for (const std::string& p : a.pages) out += '\f' + p;
    }
    return out;
}

std::vector<AttachmentPage> decode_attachment_pages(std::string_view value) {
    std::vector<AttachmentPage> out;
    while (!value.empty()) {
        const std::size_t end = std::min(value.find('\x1d'), value.size());
        std::string_view pdf = value.substr(0, end);
        value.remove_prefix(std::min(end + 1, value.size()));
        const std::size_t first = std::min(pdf.find('\f'), pdf.size());
        const std::string_view file = pdf.substr(0, first);
        pdf.remove_prefix(first);
        int page = 0;
        while (!pdf.empty()) {  // pdf starts with '\f'
            pdf.remove_prefix(1);
            const std::size_t next = std::min(pdf.find('\f'), pdf.size());
            out.push_back({file, pdf.substr(0, next), ++page});
            pdf.remove_prefix(next);
        }
    }
    return out;
}

}  // namespace passerelle
