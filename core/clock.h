// The UTC clock, formatted: OAI-PMH datestamps, feeds, IATI generated-datetime, guide dates.
#pragma once

#include <string>

namespace passerelle {

// Now in UTC, formatted by strftime's `format` (by default YYYY-MM-DDThh:mm:ssZ).
std::string utc_now(const char* format = "%Y-%m-%dT%H:%M:%SZ");

}  // namespace passerelle
