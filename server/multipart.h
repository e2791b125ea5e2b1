// multipart/form-data bodies (RFC 7578), as browsers send a form with a file: each part's
// field name, file name (when it is a file) and bytes. The parts are views into the body.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace passerelle::http {

struct FormPart {
    std::string name, filename;  // filename: "" for a plain field
    std::string_view data;
};

// The boundary of a `multipart/form-data; boundary=...` Content-Type, or "" when it is not one.
std::string multipart_boundary(const std::string& content_type);

// The parts of `body`; nothing when it is not well formed (no closing boundary, a part without
// its Content-Disposition, more than 64 parts).
std::optional<std::vector<FormPart>> parse_multipart(std::string_view body, const std::string& boundary);

}  // namespace passerelle::http
