#include "core/yaml.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <vector>

#include "core/limits.h"

namespace passerelle {

namespace {

struct KindNames {
    const char* noun;  // "front matter nested deeper than ..."
    const char* in;    // "... are not allowed in front matter"
};

KindNames names(YamlKind kind) {
    switch (kind) {
        case YamlKind::front_matter: return {"front matter", "in front matter"};
        case YamlKind::guide_definition: return {"the guide definition", "in guide definitions"};
        case YamlKind::configuration: return {"the configuration file", "in the configuration file"};
    }
    return {"YAML", "here"};
}

// A parser mark as a file position: lines counted from `first_line`, columns from 1.
SourcePos position(const YAML::Mark& mark, const std::string& path, int first_line) {
    return {path, mark.line + first_line, mark.column + 1};
}

std::string too_deep(const KindNames& names) {
    return std::string(names.noun) + " nested deeper than " + std::to_string(limits::k_yaml_depth) + " levels";
}

// A bound passed, or a construct refused: parsing stops at the first one.
struct Refusal {
    SourcePos pos;
    std::string message;
};

// "tag:yaml.org,2002:binary" as written: "!!binary".
std::string written_tag(const std::string& tag) {
    const std::string core = "tag:yaml.org,2002:";
    return tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
}

// Builds the record tree from the parser's events. Containers being built are on a stack; a
// finished value goes into the container below it (a map alternates keys and values).
class TreeBuilder : public YAML::EventHandler {
  public:
    TreeBuilder(const std::string& path, int first_line, YamlKind kind, DiagnosticSink& sink)
        : m_path(path), m_first_line(first_line), m_names(names(kind)), m_sink(sink) {}

    bool ok() const { return m_ok; }
    bool has_root() const { return m_root.has_value(); }
    // The document's value; for a text with none, a null value at the start of the text.
    FieldValue take_root() {
        if (m_root) return std::move(*m_root);
        FieldValue empty;
        empty.pos = {m_path, m_first_line, 1};
        return empty;
    }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
        FieldValue v = start(mark, "");
        add(std::move(v));
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
        throw Refusal{at(mark), std::string("YAML aliases are not allowed ") + m_names.in};
    }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, const std::string& value) override {
        FieldValue v = start(mark, tag);
        v.type = FieldValue::Type::scalar;
        v.scalar = value;
        add(std::move(v));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, YAML::EmitterStyle::value) override {
        open(mark, tag, FieldValue::Type::list);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t, YAML::EmitterStyle::value) override {
        open(mark, tag, FieldValue::Type::map);
    }
    void OnMapEnd() override { close(); }

  private:
    struct Frame {
        FieldValue value;
        bool has_key = false;    // a map's key was read, its value is next
        bool skip_value = false;  // that key was refused: its value is dropped
        std::string key;
        SourcePos key_pos;
    };

    SourcePos at(const YAML::Mark& mark) const { return position(mark, m_path, m_first_line); }

    // A new value at `mark`: counted against the budget, and refused when it carries a tag.
    FieldValue start(const YAML::Mark& mark, const std::string& tag) {
        FieldValue v;
        v.pos = at(mark);
        if (!tag.empty() && tag != "?" && tag != "!")
            throw Refusal{v.pos, "YAML tags ('" + written_tag(tag) + "') are not allowed " + m_names.in};
        if (++m_nodes > limits::k_yaml_values)
            throw Refusal{v.pos, std::string(m_names.noun) + " holds more than " + std::to_string(limits::k_yaml_values) +
                                     " values"};
        return v;
    }

    void open(const YAML::Mark& mark, const std::string& tag, FieldValue::Type type) {
        FieldValue v = start(mark, tag);
        if (static_cast<int>(m_stack.size()) >= limits::k_yaml_depth)
            throw Refusal{v.pos, too_deep(m_names)};
        v.type = type;
        m_stack.push_back(Frame{std::move(v), false, false, {}, {}});
    }

    void close() {
        FieldValue v = std::move(m_stack.back().value);
        m_stack.pop_back();
        add(std::move(v));
    }

    void error(const SourcePos& pos, std::string message) {
        m_sink.error(pos, std::move(message));
        m_ok = false;
    }

    void add(FieldValue v) {
        if (m_stack.empty()) {
            m_root = std::move(v);
            return;
        }
        Frame& f = m_stack.back();
        if (f.value.type == FieldValue::Type::list) {
            f.value.items.push_back(std::move(v));
        } else if (!f.has_key) {
            f.has_key = true;
            f.skip_value = true;
            f.key_pos = v.pos;
            if (v.type != FieldValue::Type::scalar) return error(v.pos, "field names must be plain text");
            if (v.scalar == "<<") throw Refusal{v.pos, std::string("YAML merge keys ('<<') are not allowed ") + m_names.in};
            if (f.value.get(v.scalar)) return error(v.pos, "duplicate field '" + v.scalar + "'");
            f.key = std::move(v.scalar);
            f.skip_value = false;
        } else {
            f.has_key = false;
            if (f.skip_value) return;
            if (v.type == FieldValue::Type::null) v.pos = f.key_pos;
            f.value.fields.emplace_back(std::move(f.key), std::move(v));
        }
    }

    const std::string& m_path;
    int m_first_line;
    KindNames m_names;
    DiagnosticSink& m_sink;
    std::vector<Frame> m_stack;
    std::optional<FieldValue> m_root;
    std::size_t m_nodes = 0;
    bool m_ok = true;
};

// Refuses a second document after the first, at its start.
class DocumentSpotter : public YAML::EventHandler {
  public:
    DocumentSpotter(const std::string& path, int first_line) : m_path(path), m_first_line(first_line) {}
    void OnDocumentStart(const YAML::Mark& mark) override {
        throw Refusal{position(mark, m_path, m_first_line), "only one YAML document is allowed"};
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

  private:
    const std::string& m_path;
    int m_first_line;
};

}  // namespace

std::optional<FieldValue> parse_yaml_text(std::string_view text, const std::string& path, int first_line, YamlKind kind,
                                          DiagnosticSink& sink) {
    if (text.size() > limits::k_yaml_bytes) {
        sink.error({path, first_line, 1}, std::string(names(kind).noun) + " is over the " +
                                              std::to_string(limits::k_yaml_bytes >> 10) + " KiB limit");
        return std::nullopt;
    }
    std::istringstream in{std::string(text)};
    TreeBuilder builder(path, first_line, kind, sink);
    try {
        YAML::Parser parser(in);
        parser.HandleNextDocument(builder);
        if (!builder.ok()) return std::nullopt;
        DocumentSpotter spotter(path, first_line);
        parser.HandleNextDocument(spotter);
    } catch (const Refusal& r) {
        sink.error(r.pos, r.message);
        return std::nullopt;
    } catch (const YAML::DeepRecursion& e) {
        sink.error(position(e.mark, path, first_line), too_deep(names(kind)));
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        sink.error(position(e.mark, path, first_line), "invalid YAML: " + e.msg);
        return std::nullopt;
    }
    return builder.take_root();
}

}  // namespace passerelle
