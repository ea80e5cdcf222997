#include "services/gateway/byte_range.h"

#include <catch2/catch.hpp>

namespace bitcontent::gateway {
namespace {

using Kind = RangeAnswer::Kind;

TEST_CASE("a Range header resolves to the bytes it asks for, or the whole, or 416",
          "[gateway][range]") {
  const auto span = [](std::optional<absl::string_view> header, uint64_t size) {
    const RangeAnswer answer = ResolveRange(header, size);
    return std::make_tuple(answer.kind, answer.span.first, answer.span.length);
  };
  CHECK(span(std::nullopt, 100) == std::make_tuple(Kind::kWhole, 0u, 100u));
  CHECK(span("bytes=10-19", 100) == std::make_tuple(Kind::kPartial, 10u, 10u));
  CHECK(span("bytes=90-", 100) == std::make_tuple(Kind::kPartial, 90u, 10u));
  CHECK(span("bytes=90-500", 100) == std::make_tuple(Kind::kPartial, 90u, 10u));  // Clipped.
  CHECK(span("bytes=-30", 100) == std::make_tuple(Kind::kPartial, 70u, 30u));
  CHECK(span("bytes=-300", 100) == std::make_tuple(Kind::kPartial, 0u, 100u));
  CHECK(std::get<0>(span("bytes=100-", 100)) == Kind::kUnsatisfiable);
  CHECK(std::get<0>(span("bytes=-0", 100)) == Kind::kUnsatisfiable);
  // What a server may ignore: other units, several ranges, nonsense.
  CHECK(std::get<0>(span("items=1-2", 100)) == Kind::kWhole);
  CHECK(std::get<0>(span("bytes=1-2,5-6", 100)) == Kind::kWhole);
  CHECK(std::get<0>(span("bytes=9-3", 100)) == Kind::kWhole);
  CHECK(std::get<0>(span("bytes=x-", 100)) == Kind::kWhole);
}

}  // namespace
}  // namespace bitcontent::gateway
