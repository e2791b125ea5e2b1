// Numbers, dates and plurals as each interface language writes them, from ICU (the one ICU
// adapter for formatting; core/fold.cpp uses ICU for folding). `lang` is a language code
// ("fr", "en"); English follows British usage for dates ("4 December 2026"). Thread-safe.
#pragma once

#include <string>

namespace passerelle {

// "10 000" (with a narrow no-break space) in French, "10,000" in English.
std::string format_number(double value, const std::string& lang, int max_fraction_digits = 0);
// The plural category ICU gives `n` in `lang`: "one", "other" (or "few", "many"... elsewhere).
// French counts 0 and 1 as "one".
std::string plural_category(double n, const std::string& lang);
// "2026-12-04" → "4 décembre 2026" / "4 December 2026"; "2026-12" → "décembre 2026" /
// "December 2026"; "2026" → "2026". Anything else comes back unchanged.
std::string format_date(const std::string& iso, const std::string& lang);
// A unit of measure agreeing with `n`: "120 écoles", "1 école", "0 école" (French), "2 young
// people", "10 ha". Symbols and abbreviations (3 letters or fewer, or with a digit or a sign)
// never change.
std::string unit_for(double n, const std::string& unit, const std::string& lang);
// "120 écoles", "10 000 élèves", "10,000 pupils": the number as `lang` writes it, then the unit.
std::string quantity(double n, const std::string& unit, const std::string& lang);
// A file size: "850 Ko" / "850 KB", "1,2 Mo" / "1.2 MB" (decimal units, as browsers show).
std::string format_bytes(double bytes, const std::string& lang);

}  // namespace passerelle
