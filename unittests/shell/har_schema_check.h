#ifndef UNITTESTS_SHELL_HAR_SCHEMA_CHECK_H_
#define UNITTESTS_SHELL_HAR_SCHEMA_CHECK_H_

#include <string>

namespace prewarm {

// Runs tools/har/validate_har.js (Ajv with the har-schema package's HAR 1.2
// schema) on the HAR file at `path`. Returns true when it could run, with
// *valid and its report in *output; false, with the reason in *output, when
// node or the npm packages (build/install-build-deps.sh installs them) are
// missing, so that the caller can skip.
bool CheckHarSchema(const std::string& path, bool* valid, std::string* output);

}  // namespace prewarm

#endif  // UNITTESTS_SHELL_HAR_SCHEMA_CHECK_H_
