#include "indexer/note_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/document_reader.h"
#include "core/fold.h"
#include "core/hash.h"

namespace passerelle {

namespace {

// A YAML double-quoted scalar (JSON's escapes are YAML's).
std::string quoted(const std::string& s) { return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string::npos) end = text.size();
        if (std::string line = trim(text.substr(at, end - at)); !line.empty()) out.push_back(std::move(line));
        at = end + 1;
    }
    return out;
}

std::vector<std::string> codes_of(const std::string& text) {
    std::vector<std::string> out;
    std::string code;
    for (const char c : text + ",") {
        if (c == ',' || c == ' ' || c == ';' || c == '\n' || c == '\r' || c == '\t') {
            if (!code.empty()) out.push_back(std::exchange(code, std::string()));
        } else {
            code += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;  // codes are upper case
        }
    }
    return out;
}

bool is_number(const std::string& s) {
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// A number as YAML reads it, else the text quoted (the reader then says it is no number).
std::string number_or_text(const std::string& s) { return is_number(s) ? s : quoted(s); }

bool empty_row(const IndicatorRow& r) { return trim(r.name).empty() && trim(r.value).empty() && trim(r.unit).empty() && trim(r.year).empty(); }

// The text and, for each line of the front matter, the field it holds (lines from 1).
struct Rendered {
    std::string text;
    std::vector<std::string> field_of_line;  // [line - 1]; the body's lines are not in it
};

Rendered render(const NoteForm& f) {
    Rendered r;
    auto line = [&](const std::string& field, const std::string& text) {
        r.text += text + "\n";
        r.field_of_line.push_back(field);
    };
    line("", "---");
    line("id", "id: " + quoted(f.id));
    line("lang", "lang: " + quoted(f.lang));
    line("kind", "kind: " + quoted(f.kind));
    line("title", "title: " + quoted(f.title));
    if (!trim(f.summary).empty()) line("summary", "summary: " + quoted(trim(f.summary)));
    if (!trim(f.date).empty()) line("date", "date: " + quoted(trim(f.date)));
    line("visibility", "visibility: " + quoted(f.visibility));
    auto list = [&](const std::string& field, const std::vector<std::string>& items) {
        if (items.empty()) return;
        std::string out;
        for (const std::string& i : items) out += (out.empty() ? "" : ", ") + quoted(i);
        line(field, field + ": [" + out + "]");
    };
    list("countries", codes_of(f.countries));
    list("places", lines_of(f.places));
    list("themes", f.themes);
    if (!trim(f.phase).empty()) line("phase", "phase: " + quoted(trim(f.phase)));
    if (!trim(f.project).empty()) line("project", "project: " + quoted(trim(f.project)));
    const auto partners = lines_of(f.partners);
    if (!partners.empty()) {
        line("partners", "partners:");
        for (const std::string& p : partners) {
            const auto open = p.rfind(" (");
            if (open != std::string::npos && p.back() == ')')
                line("partners", "  - {name: " + quoted(trim(p.substr(0, open))) + ", role: " + quoted(p.substr(open + 2, p.size() - open - 3)) + "}");
            else
                line("partners", "  - {name: " + quoted(p) + "}");
        }
    }
    bool any = false;
    for (const IndicatorRow& i : f.indicators) any |= !empty_row(i);
    if (any) {
        line("indicators", "indicators:");
        for (const IndicatorRow& i : f.indicators) {
            if (empty_row(i)) continue;
            std::string row = "  - {name: " + quoted(trim(i.name)) + ", value: " + number_or_text(trim(i.value));
            if (!trim(i.unit).empty()) row += ", unit: " + quoted(trim(i.unit));
            if (!trim(i.year).empty()) row += ", year: " + number_or_text(trim(i.year));
            line("indicators", row + "}");
        }
    }
    if (!f.attachments.empty()) {
        line("attachments", "attachments:");
        for (const AttachmentRow& a : f.attachments) {
            std::string row = "  - {file: " + quoted(a.file);
            for (const auto& [key, value] : {std::pair{"title", &a.title}, {"alt", &a.alt}, {"credit", &a.credit}})
                if (!trim(*value).empty()) row += std::string(", ") + key + ": " + quoted(trim(*value));
            line("attachments", row + "}");
        }
    }
    line("", "---");
    std::string body = f.body;
    for (std::size_t at; (at = body.find("\r\n")) != std::string::npos;) body.erase(at, 1);
    r.text += body;
    if (!body.empty() && body.back() != '\n') r.text += '\n';
    return r;
}

}  // namespace

std::string note_text(const NoteForm& form) { return render(form).text; }

NoteForm note_form_of(const Document& d) {
    NoteForm f;
    f.id = d.id, f.lang = d.lang, f.kind = d.kind, f.title = d.title, f.summary = d.summary, f.date = d.date;
    f.visibility = d.visibility, f.phase = d.phase, f.project = d.project, f.body = d.body, f.themes = d.themes;
    for (const std::string& c : d.countries) f.countries += (f.countries.empty() ? "" : ", ") + c;
    for (const std::string& p : d.places) f.places += p + "\n";
    for (const Party& p : d.partners) f.partners += p.name + (p.role.empty() ? "" : " (" + p.role + ")") + "\n";
    for (const Indicator& i : d.indicators) {
        const bool whole = i.value == std::floor(i.value) && std::fabs(i.value) < 1e15;
        const std::string value = whole ? std::to_string(static_cast<long long>(i.value)) : nlohmann::json(i.value).dump();
        f.indicators.push_back({i.name, value, i.unit, i.year ? std::to_string(i.year) : ""});
    }
    for (const Attachment& a : d.attachments) f.attachments.push_back({a.file, a.title, a.alt, a.credit});
    return f;
}

bool writable_note_id(const std::string& id) {
    if (id.size() < 3 || id.size() > 80 || id.front() == '-' || id.back() == '-') return false;
    return id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

FieldErrors check_note(const NoteForm& form, const Vocabularies& vocab, Document* doc) {
    FieldErrors errors;
    if (!writable_note_id(form.id))
        errors["id"].push_back("an id is 3 to 80 lower-case letters, digits and '-'");
    if (form.lang != "fr" && form.lang != "en") errors["lang"].push_back("the language is fr or en");
    if (trim(form.title).empty()) errors["title"].push_back("a title is needed");
    if (trim(form.body).empty()) errors["body"].push_back("the note has no text");
    const Rendered r = render(form);
    const std::string path = (errors.count("id") || errors.count("lang") ? std::string("note.xx") : form.id + "." + form.lang) + ".md";
    DiagnosticSink sink;
    auto read = read_markdown_document(r.text, path, vocab, sink);
    for (const Diagnostic& d : sink.take()) {
        std::string field = d.where.line >= 1 && static_cast<std::size_t>(d.where.line) <= r.field_of_line.size()
                                ? r.field_of_line[static_cast<std::size_t>(d.where.line) - 1]
                                : "body";
        if (field.empty()) field = "body";
        if (d.message.find("file name") != std::string::npos && (errors.count("id") || errors.count("lang"))) continue;
        // Warnings count too: a note from the form has no field the reader does not know.
        auto& list = errors[field];
        if (std::find(list.begin(), list.end(), d.message) == list.end()) list.push_back(d.message);
    }
    if (errors.empty() && !read) errors["body"].push_back("the note cannot be read");
    if (errors.empty() && doc) *doc = std::move(*read);
    return errors;
}

std::string new_note_id(const std::string& kind, const std::string& title, const std::function<bool(const std::string&)>& taken) {
    static const std::map<std::string, std::string> prefixes = {{"project", "pr"}, {"report", "rp"}, {"good_practice", "gp"},
                                                                {"lesson", "le"},  {"evaluation", "ev"}, {"guide", "gd"}};
    const auto p = prefixes.find(kind);
    std::string id = p == prefixes.end() ? "nt" : p->second;
    std::size_t words = 0;
    for (const std::string& w : fold_words(title)) {
        std::string clean;
        for (const char c : w)
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) clean += c;
        if (clean.size() < 2 || words == 6 || id.size() + clean.size() > 60) continue;
        id += "-" + clean;
        ++words;
    }
    if (words == 0) id += "-note";
    std::string out = id;
    for (int n = 2; taken(out) && n < 10000; ++n) out = id + "-" + std::to_string(n);
    return out;
}

namespace {

// content/relative, as the indexer names its sources (absolute, normalised), once sure that it
// stays inside `content` even through symbolic links.
std::filesystem::path inside(const std::filesystem::path& content, const std::filesystem::path& relative) {
    const auto base = std::filesystem::weakly_canonical(content);
    const auto rel = std::filesystem::weakly_canonical(base / relative).lexically_relative(base);
    if (rel.empty() || *rel.begin() == ".." || rel.is_absolute()) throw Error(relative.string() + ": outside the content folder");
    return (std::filesystem::absolute(content) / relative).lexically_normal();
}

void check_names(const std::string& id, const std::string& lang) {
    if (!writable_note_id(id)) throw Error("'" + id + "' cannot be the id of a written note");
    if (lang != "fr" && lang != "en") throw Error("'" + lang + "' cannot be the language of a written note");
}

}  // namespace

std::filesystem::path published_note_path(const std::filesystem::path& content, const std::string& kind, const std::string& id,
                                          const std::string& lang) {
    static const std::map<std::string, std::string> folders = {{"project", "projects"}, {"report", "reports"},
                                                               {"good_practice", "practices"}, {"lesson", "lessons"},
                                                               {"evaluation", "evaluations"}, {"guide", "guides"}};
    check_names(id, lang);
    const auto f = folders.find(kind);
    return inside(content, std::filesystem::path(f == folders.end() ? "notes" : f->second) / (id + "." + lang + ".md"));
}

std::filesystem::path draft_note_path(const std::filesystem::path& content, const std::string& id, const std::string& lang) {
    check_names(id, lang);
    return inside(content, std::filesystem::path(".drafts") / (id + "." + lang + ".md"));
}

void write_file_atomically(const std::filesystem::path& path, const std::string& bytes) {
    std::filesystem::create_directories(path.parent_path());
    const std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + "." + random_hex(6) + ".tmp");
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(tmp.string() + ": cannot create: " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(tmp.string() + ": cannot write: " + std::strerror(e));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw Error(tmp.string() + ": cannot flush to disk");
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw Error(path.string() + ": cannot replace: " + std::strerror(e));
    }
    if (const int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);  // the rename itself reaches the disk
        ::close(dir);
    }
}

std::string attachment_type(std::string_view b) {
    if (b.substr(0, 5) == "%PDF-") return "application/pdf";
    if (b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "image/png";
    if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
        static_cast<unsigned char>(b[2]) == 0xFF)
        return "image/jpeg";
    return "";
}

std::string attachment_name(const std::string& name, const std::string& type) {
    static const std::map<std::string, std::string> extensions = {
        {"application/pdf", ".pdf"}, {"image/png", ".png"}, {"image/jpeg", ".jpg"}};
    std::string base = name.substr(0, name.rfind('.'));
    if (const auto slash = base.find_last_of("/\\"); slash != std::string::npos) base = base.substr(slash + 1);
    std::string out;
    for (const std::string& w : fold_words(base)) {
        std::string clean;
        for (const char c : w)
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) clean += c;
        if (!clean.empty() && out.size() + clean.size() < 70) out += (out.empty() ? "" : "-") + clean;
    }
    if (out.empty()) out = "piece-jointe";
    const auto ext = extensions.find(type);
    return out + (ext == extensions.end() ? ".bin" : ext->second);
}

bool writable_attachment_name(const std::string& file) {
    return !file.empty() && file.size() <= 100 && file.front() != '.' && file.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string::npos;
}

std::filesystem::path draft_attachment_path(const std::filesystem::path& content, const std::string& id, const std::string& file) {
    check_names(id, "fr");
    if (!writable_attachment_name(file)) throw Error("'" + file + "' cannot be the name of an attachment");
    return inside(content, std::filesystem::path(".drafts") / "attachments" / id / file);
}

}  // namespace passerelle
