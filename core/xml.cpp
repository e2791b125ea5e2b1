#include "core/xml.h"

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

#include <cstdio>
#include <exception>
#include <memory>

#include "core/limits.h"

namespace passerelle {

// --- reading --------------------------------------------------------------------------------

const std::string* XmlElement::attribute(std::string_view attribute_name) const {
    for (const auto& [k, v] : attributes)
        if (k == attribute_name) return &v;
    return nullptr;
}

std::string XmlElement::attribute_or(std::string_view attribute_name, const std::string& fallback) const {
    const std::string* v = attribute(attribute_name);
    return v ? *v : fallback;
}

const XmlElement* XmlElement::child(std::string_view child_name) const {
    for (const XmlElement& c : children)
        if (c.name == child_name) return &c;
    return nullptr;
}

std::vector<const XmlElement*> XmlElement::children_named(std::string_view child_name) const {
    std::vector<const XmlElement*> out;
    for (const XmlElement& c : children)
        if (c.name == child_name) out.push_back(&c);
    return out;
}

namespace {

std::string str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

std::string qualified_name(const xmlChar* prefix, const xmlChar* name) {
    return prefix ? str(prefix) + ":" + str(name) : str(name);
}

[[noreturn]] void too_deep(int line) {
    throw XmlError(line, "elements nested deeper than " + std::to_string(limits::k_xml_depth) + " levels");
}

// The element at `node` with its attributes, text and (when `deep`) its children.
XmlElement convert(xmlNodePtr node, bool deep, int depth = 1) {
    if (depth > limits::k_xml_depth) too_deep(static_cast<int>(xmlGetLineNo(node)));
    XmlElement e;
    e.name = qualified_name(node->ns ? node->ns->prefix : nullptr, node->name);
    e.line = static_cast<int>(xmlGetLineNo(node));
    for (xmlNsPtr ns = node->nsDef; ns; ns = ns->next)  // namespace declarations, as written
        e.attributes.emplace_back(ns->prefix ? "xmlns:" + str(ns->prefix) : "xmlns", str(ns->href));
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        xmlChar* v = xmlNodeListGetString(node->doc, a->children, 1);
        e.attributes.emplace_back(qualified_name(a->ns ? a->ns->prefix : nullptr, a->name), str(v));
        xmlFree(v);
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) e.text += str(c->content);
        else if (deep && c->type == XML_ELEMENT_NODE) e.children.push_back(convert(c, true, depth + 1));
    }
    return e;
}

// The first error libxml2 reports, with its line.
struct ErrorCatcher {
    int line = 0;
    std::string message;
    static void on_error(void* data, xmlErrorPtr error) {
        auto* self = static_cast<ErrorCatcher*>(data);
        if (!error || error->level < XML_ERR_ERROR || !self->message.empty()) return;
        self->line = error->line;
        self->message = str(reinterpret_cast<const xmlChar*>(error->message));
        while (!self->message.empty() && (self->message.back() == '\n' || self->message.back() == ' ')) self->message.pop_back();
    }
};

// No network, no external entities or DTDs (libxml2 loads none unless asked), long text nodes
// allowed (some IATI descriptions are long).
constexpr int k_options = XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOBLANKS;

struct ReaderDeleter {
    void operator()(xmlTextReaderPtr r) const { xmlFreeTextReader(r); }
};

}  // namespace

namespace {

// The push parser's events, turned into the root and whole records. libxml2 calls back as it
// parses, so every record that ends before a fault has been delivered when the fault is met.
struct RecordBuilder {
    xmlParserCtxtPtr ctxt = nullptr;
    std::string_view record_name;
    const std::function<void(const XmlElement&)>* on_root = nullptr;
    const std::function<void(XmlElement&&)>* on_record = nullptr;
    int depth = 0;
    bool root_seen = false;
    std::vector<XmlElement> open;  // the record being read and its open descendants
    ErrorCatcher errors;
    std::exception_ptr failure;  // thrown by a callback: parsing stops, and it is rethrown

    static RecordBuilder& of(void* data) { return *static_cast<RecordBuilder*>(data); }

    static void start(void* data, const xmlChar* localname, const xmlChar* prefix, const xmlChar*, int nb_namespaces,
                      const xmlChar** namespaces, int nb_attributes, int, const xmlChar** attributes) {
        RecordBuilder& b = of(data);
        ++b.depth;
        if (b.failure) return;
        const bool is_record = b.depth == 2 && b.record_name == str(localname) && !prefix;
        if (b.depth == 1 || is_record || !b.open.empty()) {
            if (static_cast<int>(b.open.size()) >= limits::k_xml_depth) {  // a record is held whole: its depth is bounded
                b.call([&] { too_deep(xmlSAX2GetLineNumber(b.ctxt)); });
                return;
            }
            XmlElement e;
            e.name = qualified_name(prefix, localname);
            e.line = xmlSAX2GetLineNumber(b.ctxt);
            for (std::ptrdiff_t i = 0; i < nb_namespaces; ++i)  // prefix, URI
                e.attributes.emplace_back(namespaces[2 * i] ? "xmlns:" + str(namespaces[2 * i]) : "xmlns", str(namespaces[2 * i + 1]));
            for (std::ptrdiff_t i = 0; i < nb_attributes; ++i) {
                const xmlChar** a = attributes + 5 * i;  // localname, prefix, URI, value, end
                e.attributes.emplace_back(qualified_name(a[1], a[0]),
                                          std::string(reinterpret_cast<const char*>(a[3]), static_cast<std::size_t>(a[4] - a[3])));
            }
            if (b.depth == 1) {
                b.root_seen = true;
                b.call([&] { (*b.on_root)(e); });
            } else {
                b.open.push_back(std::move(e));
            }
        }
    }

    static void end(void* data, const xmlChar*, const xmlChar*, const xmlChar*) {
        RecordBuilder& b = of(data);
        --b.depth;
        if (b.failure || b.open.empty() || b.depth + 1 < 2) return;
        XmlElement e = std::move(b.open.back());
        b.open.pop_back();
        if (b.open.empty()) b.call([&] { (*b.on_record)(std::move(e)); });
        else b.open.back().children.push_back(std::move(e));
    }

    static void characters(void* data, const xmlChar* text, int len) {
        RecordBuilder& b = of(data);
        if (!b.open.empty()) b.open.back().text.append(reinterpret_cast<const char*>(text), static_cast<std::size_t>(len));
    }

    static void error(void* data, xmlErrorPtr e) { ErrorCatcher::on_error(&of(data).errors, e); }

    template <class F>
    void call(F&& f) {
        try {
            f();
        } catch (...) {
            failure = std::current_exception();
            xmlStopParser(ctxt);
        }
    }
};

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
struct ContextFreer {
    void operator()(xmlParserCtxtPtr c) const {
        if (c->myDoc) xmlFreeDoc(c->myDoc);
        xmlFreeParserCtxt(c);
    }
};

}  // namespace

void stream_xml_records(const std::filesystem::path& path, std::string_view record_name,
                        const std::function<void(const XmlElement&)>& on_root,
                        const std::function<void(XmlElement&&)>& on_record) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) throw Error(path.string() + ": cannot be opened");
    RecordBuilder b;
    b.record_name = record_name;
    b.on_root = &on_root;
    b.on_record = &on_record;
    xmlSAXHandler sax{};
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &RecordBuilder::start;
    sax.endElementNs = &RecordBuilder::end;
    sax.characters = &RecordBuilder::characters;
    sax.cdataBlock = &RecordBuilder::characters;
    sax.serror = &RecordBuilder::error;
    // No entity handlers: character references and the predefined entities are read, and
    // nothing declared in a DTD (let alone outside the file) is ever expanded.
    std::unique_ptr<xmlParserCtxt, ContextFreer> ctxt(xmlCreatePushParserCtxt(&sax, &b, nullptr, 0, path.c_str()));
    if (!ctxt) throw Error("XML: out of memory");
    b.ctxt = ctxt.get();
    xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_HUGE);
    std::vector<char> buffer(1 << 16);
    const auto stop_if_failed = [&] {
        if (b.failure) std::rethrow_exception(b.failure);
        if (!b.errors.message.empty()) throw XmlError(b.errors.line, b.errors.message);
    };
    for (;;) {
        const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get());
        if (std::ferror(file.get())) throw Error(path.string() + ": read error");
        const bool last = n < buffer.size();
        const int rc = xmlParseChunk(ctxt.get(), buffer.data(), static_cast<int>(n), last ? 1 : 0);
        stop_if_failed();
        if (rc != 0) throw XmlError(xmlSAX2GetLineNumber(ctxt.get()), "malformed XML");
        if (last) break;
    }
    if (!b.root_seen) throw XmlError(1, "no root element");
}

XmlElement parse_xml(std::string_view text) {
    std::unique_ptr<xmlTextReader, ReaderDeleter> reader(
        xmlReaderForMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr, k_options));
    if (!reader) throw Error("XML: out of memory");
    ErrorCatcher errors;
    xmlTextReaderSetStructuredErrorHandler(reader.get(), &ErrorCatcher::on_error, &errors);
    const auto fail = [&](const char* fallback) {
        const int line = errors.line ? errors.line : xmlTextReaderGetParserLineNumber(reader.get());
        throw XmlError(line, errors.message.empty() ? fallback : errors.message);
    };
    int ret = 0;
    while ((ret = xmlTextReaderRead(reader.get())) == 1 && xmlTextReaderNodeType(reader.get()) != XML_READER_TYPE_ELEMENT) {
    }
    if (ret != 1) fail("no root element");
    xmlNodePtr root = xmlTextReaderExpand(reader.get());
    if (!root) fail("malformed XML");
    XmlElement out = convert(root, true);
    while ((ret = xmlTextReaderNext(reader.get())) == 1) {  // whatever follows must be well-formed too
    }
    if (ret == -1 || !errors.message.empty()) fail("malformed XML");
    return out;
}

// --- writing --------------------------------------------------------------------------------

std::string xml_safe(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    static const char replacement[] = "\xEF\xBF\xBD";
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') out += replacement;
            else out += static_cast<char>(b);
            ++i;
            continue;
        }
        const std::size_t n = b >= 0xF0 && b < 0xF5 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
        char32_t cp = n == 4 ? b & 0x07 : n == 3 ? b & 0x0F : b & 0x1F;
        bool ok = n != 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            ok = (c & 0xC0) == 0x80;
            cp = (cp << 6) | (c & 0x3F);
        }
        ok = ok && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) && !(cp >= 0xD800 && cp <= 0xDFFF) &&
             cp != 0xFFFE && cp != 0xFFFF;
        if (ok) {
            out.append(s.substr(i, n));
            i += n;
        } else {
            out += replacement;
            ++i;
        }
    }
    return out;
}

struct XmlWriter::Impl {
    xmlBufferPtr buffer = nullptr;
    xmlTextWriterPtr writer = nullptr;
    bool finished = false;
};

namespace {
const xmlChar* x(const std::string& s) { return reinterpret_cast<const xmlChar*>(s.c_str()); }
}  // namespace

XmlWriter::XmlWriter(bool indent) : m_impl(new Impl) {
    m_impl->buffer = xmlBufferCreate();
    m_impl->writer = m_impl->buffer ? xmlNewTextWriterMemory(m_impl->buffer, 0) : nullptr;
    if (!m_impl->writer) {
        if (m_impl->buffer) xmlBufferFree(m_impl->buffer);
        delete m_impl;
        throw Error("XML: cannot create a writer");
    }
    if (indent) {
        xmlTextWriterSetIndent(m_impl->writer, 1);
        xmlTextWriterSetIndentString(m_impl->writer, reinterpret_cast<const xmlChar*>("  "));
    }
    xmlTextWriterStartDocument(m_impl->writer, "1.0", "UTF-8", nullptr);
}

XmlWriter::~XmlWriter() {
    if (m_impl->writer) xmlFreeTextWriter(m_impl->writer);
    if (m_impl->buffer) xmlBufferFree(m_impl->buffer);
    delete m_impl;
}

XmlWriter& XmlWriter::start(std::string_view name) {
    xmlTextWriterStartElement(m_impl->writer, x(std::string(name)));
    return *this;
}

XmlWriter& XmlWriter::attribute(std::string_view name, std::string_view value) {
    xmlTextWriterWriteAttribute(m_impl->writer, x(std::string(name)), x(xml_safe(value)));
    return *this;
}

XmlWriter& XmlWriter::text(std::string_view value) {
    xmlTextWriterWriteString(m_impl->writer, x(xml_safe(value)));
    return *this;
}

XmlWriter& XmlWriter::end() {
    xmlTextWriterEndElement(m_impl->writer);
    return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view value) { return start(name).text(value).end(); }

XmlWriter& XmlWriter::comment(std::string_view value) {
    std::string v = xml_safe(value);
    for (std::size_t at = 0; (at = v.find("--", at)) != std::string::npos;) v.replace(at, 2, "- -");
    if (!v.empty() && v.back() == '-') v += ' ';
    xmlTextWriterWriteComment(m_impl->writer, x(v));
    return *this;
}

std::string XmlWriter::finish() {
    if (!m_impl->finished) {
        xmlTextWriterEndDocument(m_impl->writer);
        xmlTextWriterFlush(m_impl->writer);
        m_impl->finished = true;
    }
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(m_impl->buffer)), static_cast<std::size_t>(xmlBufferLength(m_impl->buffer)));
}

}  // namespace passerelle
