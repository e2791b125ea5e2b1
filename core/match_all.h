// A query that matches every document, made anew for each search.
//
// Xapian::Query::MatchAll is one object for the whole process, and copying a Xapian::Query
// changes its reference count without a lock: threads that each search their own database but
// copy that one object corrupt its count, and Xapian frees it while in use (seen: crashes in
// Enquire::set_query when two threads browse at once; SearchTest.BrowsingOnSeveralThreads...).
// Never use Xapian::Query::MatchAll; use match_all().
#pragma once

#include <xapian.h>

#include <string>

namespace passerelle {

inline Xapian::Query match_all() { return Xapian::Query(std::string()); }

}  // namespace passerelle
