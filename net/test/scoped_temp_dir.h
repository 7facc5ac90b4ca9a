#ifndef NET_TEST_SCOPED_TEMP_DIR_H_
#define NET_TEST_SCOPED_TEMP_DIR_H_

#include <string>
#include <string_view>

namespace net {

// A fresh directory under /tmp that a test fixture keeps its files in (configs,
// logs, a server's working state). Delete() or the destructor removes it with
// everything in it. Paths given to the file helpers are relative to it.
class ScopedTempDir {
 public:
  ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  // Creates /tmp/<prefix>XXXXXX. Returns false and fills `error` if mkdtemp
  // fails or a directory is already held.
  bool Create(std::string_view prefix, std::string* error);
  void Delete();

  bool IsValid() const { return !path_.empty(); }
  // Empty when not IsValid().
  const std::string& path() const { return path_; }
  // path() + "/" + relative_path.
  std::string Append(std::string_view relative_path) const;

  // The file's contents; "" if it is missing, unreadable or !IsValid().
  std::string ReadFile(std::string_view relative_path) const;
  // Creates or truncates the file. Returns false and fills `error` on failure.
  bool WriteFile(std::string_view relative_path,
                 std::string_view contents,
                 std::string* error) const;

 private:
  std::string path_;
};

}  // namespace net

#endif  // NET_TEST_SCOPED_TEMP_DIR_H_
