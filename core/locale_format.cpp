#include "core/locale_format.h"

#include <unicode/datefmt.h>
#include <unicode/dtptngen.h>
#include <unicode/gregocal.h>
#include <unicode/numberformatter.h>
#include <unicode/plurrule.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

namespace passerelle {

namespace {

icu::Locale locale_of(const std::string& lang) { return lang == "en" ? icu::Locale("en", "GB") : icu::Locale(lang.c_str()); }

std::string utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

// One PluralRules per language, made once (select() is const and thread-safe).
const icu::PluralRules* rules_for(const std::string& lang) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<icu::PluralRules>> rules;
    const std::lock_guard<std::mutex> lock(mutex);
    auto& r = rules[lang];
    if (!r) {
        UErrorCode status = U_ZERO_ERROR;
        r.reset(icu::PluralRules::forLocale(locale_of(lang), status));
        if (U_FAILURE(status)) r.reset();
    }
    return r.get();
}

bool digits(const std::string& s, std::size_t from, std::size_t n) {
    if (s.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

}  // namespace

std::string format_number(double value, const std::string& lang, int max_fraction_digits) {
    UErrorCode status = U_ZERO_ERROR;
    const auto f = icu::number::NumberFormatter::withLocale(locale_of(lang))
                       .precision(icu::number::Precision::minMaxFraction(0, max_fraction_digits));
    const icu::UnicodeString s = f.formatDouble(value, status).toString(status);
    if (U_FAILURE(status)) return std::isfinite(value) ? std::to_string(static_cast<long long>(value)) : "";
    return utf8(s);
}

std::string plural_category(double n, const std::string& lang) {
    const icu::PluralRules* r = rules_for(lang);
    return r ? utf8(r->select(n)) : (n == 1 ? "one" : "other");
}

std::string format_date(const std::string& iso, const std::string& lang) {
    const bool year = digits(iso, 0, 4), month = year && iso.size() >= 7 && iso[4] == '-' && digits(iso, 5, 2),
               day = month && iso.size() == 10 && iso[7] == '-' && digits(iso, 8, 2);
    if (!year || (iso.size() != 4 && !month) || (iso.size() > 7 && !day)) return iso;
    if (iso.size() == 4) return iso;
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale locale = locale_of(lang);
    icu::GregorianCalendar calendar(icu::TimeZone::getGMT()->clone(), locale, status);
    calendar.clear();
    calendar.set(std::stoi(iso.substr(0, 4)), std::stoi(iso.substr(5, 2)) - 1, day ? std::stoi(iso.substr(8, 2)) : 1);
    const UDate when = calendar.getTime(status);
    std::unique_ptr<icu::DateTimePatternGenerator> generator(icu::DateTimePatternGenerator::createInstance(locale, status));
    if (U_FAILURE(status)) return iso;
    const icu::UnicodeString pattern = generator->getBestPattern(day ? "dMMMMy" : "MMMMy", status);
    icu::SimpleDateFormat format(pattern, locale, status);
    format.setTimeZone(*icu::TimeZone::getGMT());
    icu::UnicodeString out;
    format.format(when, out);
    return U_FAILURE(status) ? iso : utf8(out);
}

namespace {

bool ends_with(const std::string& s, const std::string& end) {
    return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
}

// The plural of one word or phrase (its last word), by the regular rules and the common exceptions.
std::string plural_of(const std::string& unit, const std::string& lang) {
    // A unit with a complement agrees by its head: "litre d’eau", "litre of water".
    for (const char* joint : {" d’", " d'", " de ", " du ", " des ", " of "})
        if (const auto at = unit.find(joint); at != std::string::npos && at > 0)
            return plural_of(unit.substr(0, at), lang) + unit.substr(at);
    if (lang == "fr") {
        if (ends_with(unit, "s") || ends_with(unit, "x") || ends_with(unit, "z")) return unit;
        if (ends_with(unit, "pneu") || ends_with(unit, "bleu")) return unit + "s";
        if (ends_with(unit, "eau") || ends_with(unit, "eu")) return unit + "x";
        if (ends_with(unit, "al") && !ends_with(unit, "festival")) return unit.substr(0, unit.size() - 2) + "aux";
        return unit + "s";
    }
    if (ends_with(unit, "person")) return unit.substr(0, unit.size() - 6) + "people";
    if (ends_with(unit, "man") && !ends_with(unit, "human")) return unit.substr(0, unit.size() - 3) + "men";
    if (ends_with(unit, "child")) return unit + "ren";
    if (ends_with(unit, "s") || ends_with(unit, "x") || ends_with(unit, "z") || ends_with(unit, "ch") || ends_with(unit, "sh"))
        return unit + "es";
    if (unit.size() >= 2 && unit.back() == 'y' && std::string("aeiou").find(unit[unit.size() - 2]) == std::string::npos)
        return unit.substr(0, unit.size() - 1) + "ies";
    return unit + "s";
}

}  // namespace

std::string unit_for(double n, const std::string& unit, const std::string& lang) {
    std::size_t letters = 0;
    for (const unsigned char c : unit) {
        if (std::isdigit(c) || c == '%' || c == '/' || c == '^') return unit;  // km/h, m2, %
        if (std::isalpha(c) || c >= 0xC0) ++letters;
    }
    if (letters <= 3 || plural_category(n, lang) == "one") return unit;
    return plural_of(unit, lang);
}

std::string quantity(double n, const std::string& unit, const std::string& lang) {
    const double whole = std::floor(n);
    std::string out = format_number(n, lang, n == whole ? 0 : 2);
    if (!unit.empty()) out += "\u00a0" + unit_for(n, unit, lang);
    return out;
}

std::string format_bytes(double bytes, const std::string& lang) {
    const bool fr = lang == "fr";
    if (bytes < 1000) return format_number(bytes, lang) + (fr ? "\u00a0o" : "\u00a0B");
    if (std::round(bytes / 1000) < 1000) return format_number(std::round(bytes / 1000), lang) + (fr ? "\u00a0Ko" : "\u00a0KB");
    return format_number(bytes / (1000 * 1000), lang, 1) + (fr ? "\u00a0Mo" : "\u00a0MB");
}

}  // namespace passerelle
