// Local files in the CLI tests: what a test writes for `bitcontent put`, reads back after
// `get`, and scans the services' data directories for (no plaintext may be there).
#pragma once

#include <filesystem>
#include <string>

namespace bitcontent::testing {

// The whole file ("" when it cannot be read).
std::string ReadAll(const std::filesystem::path& path);

// Replaces the file with `bytes`.
void WriteAll(const std::filesystem::path& path, const std::string& bytes);

// Whether any file under `dir` holds `needle`.
bool AnyFileContains(const std::filesystem::path& dir, const std::string& needle);

// `size` random bytes, of any size (RandomBytes gives at most 1 MiB at a time).
std::string RandomContent(size_t size);

}  // namespace bitcontent::testing
