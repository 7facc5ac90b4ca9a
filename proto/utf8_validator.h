#ifndef PROTO_UTF8_VALIDATOR_H_
#define PROTO_UTF8_VALIDATOR_H_

#include <string>
#include <string_view>

namespace google::protobuf {
class Descriptor;
class Message;
}  // namespace google::protobuf

namespace prewarm {

// Finds proto3 string fields that hold invalid UTF-8. protobuf's parser
// refuses a whole serialised message for one such field, while its text
// format and JSON parsers accept it; the scenario loader and the IPC service
// both use this to refuse such a message with the field's name instead. The
// check is protobuf's own (internal::IsStructurallyValidUTF8), so it agrees
// with the parser. Stateless.
class Utf8Validator {
 public:
  // The path of the first string field of `message` (nested messages
  // included) that is not valid UTF-8, such as "steps[3].preconnect.url";
  // empty when every string is valid.
  static std::string FindInvalidField(const google::protobuf::Message& message);

  // The same for the serialised bytes of a `descriptor` message, read with
  // the descriptor from the wire format (for bytes the parser refused).
  // Empty when no string field is invalid, or when the bytes are malformed
  // in some other way before one is found.
  static std::string FindInvalidFieldInWire(
      const google::protobuf::Descriptor& descriptor,
      std::string_view bytes);
};

}  // namespace prewarm

#endif  // PROTO_UTF8_VALIDATOR_H_
