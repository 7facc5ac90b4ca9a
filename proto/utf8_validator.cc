#include "proto/utf8_validator.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/unknown_field_set.h"

namespace prewarm {

namespace {

// protobuf's own recursion limit for nested messages.
constexpr int kMaxDepth = 100;

bool IsValidUtf8(const std::string& text) {
  return google::protobuf::internal::IsStructurallyValidUTF8(
      text.data(), static_cast<int>(text.size()));
}

std::string FieldPath(const std::string& prefix,
                      const google::protobuf::FieldDescriptor& field,
                      int index) {
  std::string path =
      prefix.empty() ? field.name() : absl::StrCat(prefix, ".", field.name());
  if (field.is_repeated())
    absl::StrAppend(&path, "[", index, "]");
  return path;
}

bool FindInMessage(const google::protobuf::Message& message,
                   const std::string& prefix,
                   int depth,
                   std::string* found) {
  if (depth > kMaxDepth)
    return false;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    const int count =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection->GetRepeatedStringReference(message, field, i,
                                                         &scratch)
                : reflection->GetStringReference(message, field, &scratch);
        if (!IsValidUtf8(value)) {
          *found = FieldPath(prefix, *field, i);
          return true;
        }
      } else if (field->cpp_type() ==
                 google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        const google::protobuf::Message& child =
            field->is_repeated()
                ? reflection->GetRepeatedMessage(message, field, i)
                : reflection->GetMessage(message, field);
        if (FindInMessage(child, FieldPath(prefix, *field, i), depth + 1,
                          found)) {
          return true;
        }
      }
    }
  }
  return false;
}

bool FindInWire(const google::protobuf::Descriptor& descriptor,
                std::string_view bytes,
                const std::string& prefix,
                int depth,
                std::string* found) {
  if (depth > kMaxDepth)
    return false;
  google::protobuf::UnknownFieldSet wire;
  if (!wire.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return false;
  // Occurrences so far of each repeated field, for the path's index.
  absl::flat_hash_map<int, int> seen;
  for (int i = 0; i < wire.field_count(); ++i) {
    const google::protobuf::UnknownField& entry = wire.field(i);
    if (entry.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED)
      continue;
    const google::protobuf::FieldDescriptor* field =
        descriptor.FindFieldByNumber(entry.number());
    if (!field)
      continue;
    const int index = seen[entry.number()]++;
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      if (!IsValidUtf8(entry.length_delimited())) {
        *found = FieldPath(prefix, *field, index);
        return true;
      }
    } else if (field->type() ==
               google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      if (FindInWire(*field->message_type(), entry.length_delimited(),
                     FieldPath(prefix, *field, index), depth + 1, found)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

// static
std::string Utf8Validator::FindInvalidField(
    const google::protobuf::Message& message) {
  std::string found;
  FindInMessage(message, "", 0, &found);
  return found;
}

// static
std::string Utf8Validator::FindInvalidFieldInWire(
    const google::protobuf::Descriptor& descriptor,
    std::string_view bytes) {
  std::string found;
  FindInWire(descriptor, bytes, "", 0, &found);
  return found;
}

}  // namespace prewarm
