// Reads the JSON Lines file `bitcontent-admin import` sends: one legacy account per
// line, as an object
//
//   {"email": "ada@example.com", "legacy_id": "18342", "created": "2014-05-01T12:00:00Z"}
//
// `legacy_id` may also be a non-negative integer; `created` is an RFC 3339 time or a
// YYYY-MM-DD date (midnight UTC) and may be left out; other keys are ignored. Blank lines
// are skipped. A line that is not such an object becomes an UnparsedLine with its line
// number and why, so the server's results cover it and the rest of the file goes on.
// Whether an email or legacy id is acceptable is the server's call, not the reader's.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <istream>
#include <string>

#include "absl/status/status.h"
#include "bitcontent/accounts/v1/accounts_admin_service.pb.h"

namespace bitcontent::client {

// Longer lines are reported as unparsable (a legacy account is a few hundred bytes).
inline constexpr size_t kImportLineBytesMax = 64 * 1024;

class LegacyImportReader {
 public:
  // `input` must outlive the reader.
  explicit LegacyImportReader(std::istream* input) : input_(input) {}

  // Clears `batch` and fills it with the next `lines_max` non-blank lines (accounts and
  // unparsed lines together). False when the input had no more lines; check status().
  bool NextBatch(size_t lines_max, accounts::v1::ImportLegacyAccountsRequest* batch);

  // Lines read so far, blank ones included (the last line number handed out).
  uint64_t lines_read() const { return line_number_; }
  // Not OK when reading the input failed (as opposed to reaching its end).
  absl::Status status() const;

 private:
  // Parses `line` into an account of `batch`, or an unparsed line.
  void ParseLine(const std::string& line, accounts::v1::ImportLegacyAccountsRequest* batch);

  std::istream* const input_;
  uint64_t line_number_ = 0;
  std::string line_;
  simdjson::dom::parser parser_;
};

}  // namespace bitcontent::client
