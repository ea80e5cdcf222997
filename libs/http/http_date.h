// HTTP dates (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") for the Date header.
//
// The server stamps every response with CurrentHttpDate(), which formats at most once a
// second per thread; FormatHttpDate is the pure function behind it.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace bitcontent::http {

// Formats `seconds` since the Unix epoch, independent of the process locale.
std::string FormatHttpDate(std::time_t seconds);

// Returns the current time formatted; the view stays valid until the same thread calls
// CurrentHttpDate again.
std::string_view CurrentHttpDate();

}  // namespace bitcontent::http
