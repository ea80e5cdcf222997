#include "tests/integration/local_files.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "libs/crypto/random.h"

namespace bitcontent::testing {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

void WriteAll(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

bool AnyFileContains(const fs::path& dir, const std::string& needle) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && ReadAll(entry.path()).find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string RandomContent(size_t size) {
  constexpr size_t kPieceMax = size_t{1} << 20;
  std::string content;
  while (content.size() < size) {
    content += crypto::RandomBytes(std::min(size - content.size(), kPieceMax));
  }
  return content;
}

}  // namespace bitcontent::testing
