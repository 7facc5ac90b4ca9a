#ifndef PROTO_SCENARIO_LOADER_H_
#define PROTO_SCENARIO_LOADER_H_

#include <string>
#include <string_view>

#include "proto/scenario.pb.h"

namespace prewarm {

// Reads a page-load scenario (../shared/scenarios/FORMAT.md) from protobuf text
// format
// (.textproto) or proto3 JSON (.json) and checks what the schema cannot: every
// step has an action, steps are in time order, document ids are committed
// before they are used and committed once, navigation and fetch URLs are valid
// http(s) URLs, enum values are known. A preconnect's or DNS prefetch's URL is
// not checked: a bad hint is something the replay must report, not a broken
// scenario. Loading never crashes on any input; every failure is an error code
// and a message that names the source, and the line and column or the step
// (numbered from 1 in file order) at fault. Stateless.
class ScenarioLoader {
 public:
  struct Result {
    // OK, ERR_FILE_NOT_FOUND (unreadable file) or ERR_INVALID_SCENARIO.
    int error = 0;
    std::string error_message;
    // Valid only when error is OK.
    scenario::Scenario scenario;

    bool ok() const { return error == 0; }
  };

  // Picks the syntax from the extension: .textproto/.txtpb/.pbtxt or .json. An
  // empty scenario name becomes the file's stem.
  static Result LoadFile(const std::string& path);

  // `source_name` prefixes messages and becomes the name of an unnamed
  // scenario.
  static Result ParseTextProto(std::string_view text,
                               std::string_view source_name);
  static Result ParseJson(std::string_view json, std::string_view source_name);

  // The semantic checks alone: OK, or ERR_INVALID_SCENARIO with `*message` set.
  static int Validate(const scenario::Scenario& scenario, std::string* message);
};

}  // namespace prewarm

#endif  // PROTO_SCENARIO_LOADER_H_
