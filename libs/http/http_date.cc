#include "libs/http/http_date.h"

#include <cstdio>

namespace bitcontent::http {

std::string FormatHttpDate(std::time_t seconds) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const int size = std::snprintf(text, sizeof(text), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                 kDays[utc.tm_wday % 7], utc.tm_mday, kMonths[utc.tm_mon % 12],
                                 utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return std::string(text, size > 0 ? static_cast<size_t>(size) : 0);
}

std::string_view CurrentHttpDate() {
  // Per thread, so I/O threads never contend for it.
  thread_local std::time_t cached_seconds = -1;
  thread_local std::string cached_text;
  const std::time_t now = std::time(nullptr);
  if (now != cached_seconds) {
    cached_text = FormatHttpDate(now);
    cached_seconds = now;
  }
  return cached_text;
}

}  // namespace bitcontent::http
