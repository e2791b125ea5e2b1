// The controlled vocabularies of the content model (themes, kinds, phases, stages, visibility
// levels, countries, IATI regions, DAC sectors) and the French/English glossary, loaded from the data files
// in content/vocabularies/. Immutable once loaded, so safe to share between threads.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace passerelle {

struct Term {
    std::string id;
    std::string fr;  // French label
    std::string en;  // English label
    std::vector<std::string> aliases;  // other names, either language, used to read queries
    std::vector<std::string> sectors;  // themes only: DAC codes that imply the theme
    std::string group;                 // phases: their stage; sectors: their category
    int rank = 0;                      // visibility: 0 public, 1 partners, 2 internal
    std::vector<std::string> aliases_fr, aliases_en;  // `aliases`, by the column they came from

    const std::string& label(const std::string& lang) const { return lang == "fr" ? fr : en; }
};

// One vocabulary: ordered terms with lookup by id.
class TermList {
  public:
    void add(Term t);
    const Term* find(const std::string& id) const;
    bool contains(const std::string& id) const { return find(id) != nullptr; }
    const std::vector<Term>& terms() const { return m_terms; }
    // The closest id within a small edit distance, for "did you mean" messages.
    std::optional<std::string> nearest(const std::string& id) const;
    // "a, b, c": every id, for messages that list what is allowed.
    std::string ids_joined() const;

  private:
    std::vector<Term> m_terms;
    std::map<std::string, std::size_t> m_index;
};

struct GlossaryEntry {
    int line = 0;
    std::vector<std::string> fr;  // preferred form first
    std::vector<std::string> en;
    std::string category;
};

// A place the documents name, where it is (content/vocabularies/places.tsv).
struct Place {
    std::string name, country;
    double lat = 0, lon = 0;
};

// An office to contact (content/vocabularies/contacts.tsv), as the organisation publishes it.
struct Contact {
    std::string id, name_fr, name_en, country, address, phone, email, web;
    const std::string& name(const std::string& lang) const { return lang == "en" && !name_en.empty() ? name_en : name_fr; }
};

// An acronym the documents use, spelled out in each language (content/vocabularies/acronyms.tsv).
struct Acronym {
    std::string acronym, fr, en;
};

struct Vocabularies {
    TermList themes, kinds, phases, stages, visibility, countries, sectors;
    std::vector<Contact> contacts;   // in the file's order
    std::vector<Acronym> acronyms;   // in the file's order
    std::vector<Place> places;  // by name
    // The place named `name` (case and accents aside), or null.
    const Place* find_place(const std::string& name) const;
    TermList regions;  // IATI Region codes ("289": South of Sahara, regional), for bulk records
    std::vector<GlossaryEntry> glossary;

    // The data files that make up the vocabularies, by file name.
    static const std::vector<std::string>& file_names();
    // Reads every file of `dir` (by file_names()), as from_files() takes them.
    static std::map<std::string, std::string> read_files(const std::filesystem::path& dir);
    // Parses the files' contents; throws Error naming file and line on a malformed one.
    static Vocabularies from_files(const std::map<std::string, std::string>& files);
    static Vocabularies load(const std::filesystem::path& dir) { return from_files(read_files(dir)); }
    // The bundled vocabularies (content/vocabularies/ of the source tree, or
    // $PASSERELLE_VOCABULARIES when set).
    static std::filesystem::path default_dir();

    // Themes implied by DAC codes: a theme listing a 5-digit code matches that code, a theme
    // listing a 3-digit category matches every code in it.
    std::vector<std::string> themes_for_sectors(const std::vector<std::string>& sectors) const;
    // Visibility rank of a level id (0 public ... 2 internal); internal for unknown ids.
    int visibility_rank(const std::string& level) const;
};

// Levenshtein distance in code points, capped: returns `cap` + 1 once it is exceeded.
int edit_distance(const std::string& a, const std::string& b, int cap = 3);

}  // namespace passerelle
