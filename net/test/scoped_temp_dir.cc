#include "net/test/scoped_temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"

namespace net {

ScopedTempDir::ScopedTempDir() = default;

ScopedTempDir::~ScopedTempDir() {
  Delete();
}

bool ScopedTempDir::Create(std::string_view prefix, std::string* error) {
  if (IsValid()) {
    *error = absl::StrCat("already holds ", path_);
    return false;
  }
  std::string path_template = "/tmp/";
  path_template.append(prefix);
  path_template.append("XXXXXX");
  if (!mkdtemp(path_template.data())) {
    *error = absl::StrCat("mkdtemp failed: ", std::strerror(errno));
    return false;
  }
  path_ = std::move(path_template);
  return true;
}

void ScopedTempDir::Delete() {
  if (!IsValid())
    return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  path_.clear();
}

std::string ScopedTempDir::Append(std::string_view relative_path) const {
  std::string path = path_;
  path.push_back('/');
  path.append(relative_path);
  return path;
}

std::string ScopedTempDir::ReadFile(std::string_view relative_path) const {
  if (!IsValid())
    return std::string();
  std::ifstream file(Append(relative_path), std::ios::binary);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

bool ScopedTempDir::WriteFile(std::string_view relative_path,
                              std::string_view contents,
                              std::string* error) const {
  const std::string path = Append(relative_path);
  if (!IsValid()) {
    *error = absl::StrCat("no directory to write ", std::string(relative_path),
                          " in");
    return false;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  file.close();
  if (!file) {
    *error = absl::StrCat("cannot write ", path);
    return false;
  }
  return true;
}

}  // namespace net
