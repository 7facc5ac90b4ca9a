#include "unittests/shell/har_schema_check.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace prewarm {

bool CheckHarSchema(const std::string& path, bool* valid, std::string* output) {
  const std::string tools = std::string(PREWARM_SOURCE_ROOT) + "/tools/har";
  if (!std::filesystem::is_directory(tools + "/node_modules/har-schema")) {
    *output =
        absl::StrCat("no ", tools,
                     "/node_modules: build/install-build-deps.sh installs "
                     "the validator's npm packages when npm is present");
    return false;
  }
  if (std::system("command -v node >/dev/null 2>&1") != 0) {
    *output = "no node on PATH to run the HAR schema validator";
    return false;
  }
  // Paths come from the test itself (temp dir, source root): no quoting games.
  const std::string command =
      absl::StrCat("node '", tools, "/validate_har.js' '", path, "' 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *output = "cannot run node";
    return false;
  }
  output->clear();
  char buffer[4096];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    output->append(buffer, read);
  const int status = pclose(pipe);
  *valid = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return true;
}

}  // namespace prewarm
