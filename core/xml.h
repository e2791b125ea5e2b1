// XML through libxml2 (the only file that includes it): files read as a stream of records
// (IATI activity files of any size hold one activity in memory at a time), small documents
// parsed whole, and a writer whose output is always well-formed.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"

namespace passerelle {

struct XmlElement {
    std::string name;  // as written, with its prefix: "narrative", "usg:tec1"
    // Attributes and namespace declarations as written: "xml:lang", "code", "xmlns:dc", ...
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string text;  // the element's own text (and CDATA), not its children's
    std::vector<XmlElement> children;
    int line = 0;

    // The attribute's value, or nullptr.
    const std::string* attribute(std::string_view attribute_name) const;
    std::string attribute_or(std::string_view attribute_name, const std::string& fallback) const;
    // The first child with this name, or nullptr; every child with this name.
    const XmlElement* child(std::string_view child_name) const;
    std::vector<const XmlElement*> children_named(std::string_view child_name) const;
};

// A file or text that is not well-formed XML; `line` is where the parser stopped (1-based).
class XmlError : public Error {
  public:
    XmlError(int line, const std::string& message) : Error(message), m_line(line) {}
    int line() const { return m_line; }

  private:
    int m_line;
};

// Reads `path` as a stream. `on_root` gets the root element (attributes only, no children)
// before anything else; `on_record` gets each child of the root named `record_name`, whole,
// in document order, and every other child of the root is skipped. Only one record is held in
// memory at a time. Throws XmlError when the file is not well-formed, after the records before
// the fault were delivered; Error when it cannot be opened.
void stream_xml_records(const std::filesystem::path& path, std::string_view record_name,
                        const std::function<void(const XmlElement&)>& on_root,
                        const std::function<void(XmlElement&&)>& on_record);

// A whole document in memory. Throws XmlError.
XmlElement parse_xml(std::string_view text);

// Builds a document. Names are written as given; text and attribute values are escaped, and
// characters XML 1.0 does not allow (control characters, invalid UTF-8) become U+FFFD.
class XmlWriter {
  public:
    explicit XmlWriter(bool indent = true);
    ~XmlWriter();
    XmlWriter(const XmlWriter&) = delete;
    XmlWriter& operator=(const XmlWriter&) = delete;

    XmlWriter& start(std::string_view name);
    XmlWriter& attribute(std::string_view name, std::string_view value);
    XmlWriter& text(std::string_view value);
    XmlWriter& end();
    // start(name), text(value), end().
    XmlWriter& element(std::string_view name, std::string_view value);
    // An XML comment; "--" inside it is broken up.
    XmlWriter& comment(std::string_view value);

    std::string finish();  // closes what is open; the writer cannot be used after

  private:
    struct Impl;
    Impl* m_impl;
};

// `text` with what XML 1.0 does not allow replaced by U+FFFD (see XmlWriter).
std::string xml_safe(std::string_view text);

}  // namespace passerelle
