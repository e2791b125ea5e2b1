#include "server/multipart.h"

#include "core/fold.h"

namespace passerelle::http {

namespace {

constexpr std::size_t k_max_parts = 64;

// The value of `key="..."` (or key=token) in a header value; "" when absent.
std::string parameter(std::string_view header, std::string_view key) {
    const std::string lower = lower_ascii(std::string(header));
    std::size_t at = 0;
    while ((at = lower.find(std::string(key) + "=", at)) != std::string::npos) {
        if (at > 0 && lower[at - 1] != ' ' && lower[at - 1] != ';') {
            ++at;
            continue;
        }
        std::size_t from = at + key.size() + 1;
        if (from < header.size() && header[from] == '"') {
            const std::size_t end = header.find('"', from + 1);
            return end == std::string_view::npos ? "" : std::string(header.substr(from + 1, end - from - 1));
        }
        const std::size_t end = header.find(';', from);
        std::string v(header.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from));
        while (!v.empty() && v.back() == ' ') v.pop_back();
        return v;
    }
    return "";
}

}  // namespace

std::string multipart_boundary(const std::string& content_type) {
    if (lower_ascii(content_type.substr(0, 19)) != "multipart/form-data") return "";
    const std::string b = parameter(content_type, "boundary");
    return b.size() <= 70 ? b : "";
}

std::optional<std::vector<FormPart>> parse_multipart(std::string_view body, const std::string& boundary) {
    if (boundary.empty()) return std::nullopt;
    const std::string delimiter = "--" + boundary;
    std::size_t at = body.find(delimiter);
    if (at == std::string_view::npos) return std::nullopt;
    std::vector<FormPart> parts;
    while (true) {
        at += delimiter.size();
        if (body.substr(at, 2) == "--") return parts;  // the closing boundary
        if (body.substr(at, 2) != "\r\n") return std::nullopt;
        at += 2;
        const std::size_t head_end = body.find("\r\n\r\n", at);
        if (head_end == std::string_view::npos) return std::nullopt;
        FormPart part;
        bool disposition = false;
        for (std::size_t line = at; line < head_end;) {
            const std::size_t eol = std::min(body.find("\r\n", line), head_end);
            const std::string_view h = body.substr(line, eol - line);
            if (lower_ascii(std::string(h.substr(0, 20))) == "content-disposition:") {
                disposition = true;
                part.name = parameter(h, "name");
                part.filename = parameter(h, "filename");
            }
            line = eol + 2;
        }
        if (!disposition) return std::nullopt;
        const std::size_t data_at = head_end + 4;
        const std::size_t next = body.find("\r\n" + delimiter, data_at);
        if (next == std::string_view::npos) return std::nullopt;
        part.data = body.substr(data_at, next - data_at);
        parts.push_back(std::move(part));
        if (parts.size() > k_max_parts) return std::nullopt;
        at = next + 2;
    }
}

}  // namespace passerelle::http
