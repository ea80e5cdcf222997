#include "libs/client/legacy_import_file.h"

#include <google/protobuf/util/time_util.h>

#include <catch2/catch.hpp>
#include <sstream>

namespace bitcontent::client {
namespace {

using accounts::v1::ImportLegacyAccountsRequest;
using google::protobuf::util::TimeUtil;

ImportLegacyAccountsRequest ReadOne(const std::string& text, size_t lines_max = 100) {
  std::istringstream input(text);
  LegacyImportReader reader(&input);
  ImportLegacyAccountsRequest batch;
  REQUIRE(reader.NextBatch(lines_max, &batch));
  return batch;
}

TEST_CASE("import lines become accounts with their line numbers") {
  const ImportLegacyAccountsRequest batch = ReadOne(
      "{\"email\":\"ada@example.com\",\"legacy_id\":\"L-1\",\"created\":\"2014-05-01T12:00:00Z\"}\n"
      "\n"
      "{\"email\":\"bob@example.com\",\"legacy_id\":18342,\"created\":\"2015-02-03\","
      "\"name\":\"ignored\"}\n"
      "{\"email\":\"cy@example.com\",\"legacy_id\":\"L-3\"}");
  REQUIRE(batch.accounts_size() == 3);
  CHECK(batch.unparsed_lines_size() == 0);
  CHECK(batch.accounts(0).line_number() == 1);
  CHECK(batch.accounts(0).email() == "ada@example.com");
  CHECK(batch.accounts(0).legacy_id() == "L-1");
  CHECK(TimeUtil::ToString(batch.accounts(0).legacy_create_time()) == "2014-05-01T12:00:00Z");
  // The blank line 2 is skipped but counted.
  CHECK(batch.accounts(1).line_number() == 3);
  CHECK(batch.accounts(1).legacy_id() == "18342");
  CHECK(TimeUtil::ToString(batch.accounts(1).legacy_create_time()) == "2015-02-03T00:00:00Z");
  CHECK(batch.accounts(2).line_number() == 4);
  CHECK_FALSE(batch.accounts(2).has_legacy_create_time());
}

TEST_CASE("malformed lines are reported with their line number and why") {
  const ImportLegacyAccountsRequest batch = ReadOne(
      "{\"email\":\"ada@example.com\",\"legacy_id\":\"1\"}\n"
      "{\"email\":\"bob@example.com\",\"legacy_id\":\n"
      "[1,2]\n"
      "{\"email\":7,\"legacy_id\":\"3\"}\n"
      "{\"email\":\"d@example.com\",\"legacy_id\":-4}\n"
      "{\"email\":\"e@example.com\",\"legacy_id\":\"5\",\"created\":\"yesterday\"}\n"
      "{\"email\":\"f@example.com\",\"legacy_id\":\"6\"}\n");
  REQUIRE(batch.accounts_size() == 2);
  CHECK(batch.accounts(0).line_number() == 1);
  CHECK(batch.accounts(1).line_number() == 7);
  REQUIRE(batch.unparsed_lines_size() == 5);
  CHECK(batch.unparsed_lines(0).line_number() == 2);
  CHECK_THAT(batch.unparsed_lines(0).error(), Catch::Contains("not valid JSON"));
  CHECK(batch.unparsed_lines(1).line_number() == 3);
  CHECK_THAT(batch.unparsed_lines(1).error(), Catch::Contains("not a JSON object"));
  CHECK(batch.unparsed_lines(2).error() == "email: must be a string");
  CHECK_THAT(batch.unparsed_lines(3).error(), Catch::Contains("non-negative integer"));
  CHECK_THAT(batch.unparsed_lines(4).error(), Catch::Contains("RFC 3339"));
}

TEST_CASE("missing fields are left for the server to reject") {
  const ImportLegacyAccountsRequest batch = ReadOne("{\"legacy_id\":\"1\"}\n{}\n");
  REQUIRE(batch.accounts_size() == 2);
  CHECK(batch.accounts(0).email().empty());
  CHECK(batch.accounts(1).legacy_id().empty());
}

TEST_CASE("an over-long line is reported, not parsed") {
  const std::string padding(kImportLineBytesMax, ' ');
  const ImportLegacyAccountsRequest batch =
      ReadOne("{\"email\":\"a@example.com\",\"legacy_id\":\"1\"" + padding + "}\n");
  REQUIRE(batch.unparsed_lines_size() == 1);
  CHECK_THAT(batch.unparsed_lines(0).error(), Catch::Contains("longer than 65536 bytes"));
}

TEST_CASE("a byte order mark at the start of the file is ignored") {
  const ImportLegacyAccountsRequest batch =
      ReadOne("\xEF\xBB\xBF{\"email\":\"a@example.com\",\"legacy_id\":\"1\"}\n");
  CHECK(batch.accounts_size() == 1);
}

TEST_CASE("batches hold at most the asked number of lines and continue the numbering") {
  std::string text;
  for (int i = 1; i <= 5; ++i) {
    text += "{\"email\":\"m" + std::to_string(i) +
            "@example.com\",\"legacy_id\":" + std::to_string(i) + "}\n";
  }
  std::istringstream input(text);
  LegacyImportReader reader(&input);
  ImportLegacyAccountsRequest batch;
  REQUIRE(reader.NextBatch(2, &batch));
  CHECK(batch.accounts_size() == 2);
  REQUIRE(reader.NextBatch(2, &batch));
  CHECK(batch.accounts(0).line_number() == 3);
  REQUIRE(reader.NextBatch(2, &batch));
  CHECK(batch.accounts_size() == 1);
  CHECK(batch.accounts(0).line_number() == 5);
  CHECK_FALSE(reader.NextBatch(2, &batch));
  CHECK(reader.lines_read() == 5);
  CHECK(reader.status().ok());
}

}  // namespace
}  // namespace bitcontent::client
