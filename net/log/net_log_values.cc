#include "net/log/net_log_values.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace net {

namespace {

google::protobuf::Value& FieldOf(google::protobuf::Struct* params,
                                 std::string_view key) {
  return (*params->mutable_fields())[std::string(key)];
}

}  // namespace

void SetNetLogString(google::protobuf::Struct* params,
                     std::string_view key,
                     std::string_view value) {
  FieldOf(params, key).set_string_value(std::string(value));
}

void SetNetLogInt(google::protobuf::Struct* params,
                  std::string_view key,
                  int64_t value) {
  FieldOf(params, key).set_number_value(static_cast<double>(value));
}

void SetNetLogBool(google::protobuf::Struct* params,
                   std::string_view key,
                   bool value) {
  FieldOf(params, key).set_bool_value(value);
}

void SetNetLogStruct(google::protobuf::Struct* params,
                     std::string_view key,
                     google::protobuf::Struct value) {
  *FieldOf(params, key).mutable_struct_value() = std::move(value);
}

google::protobuf::Struct NetLogParamsWithString(std::string_view name,
                                                std::string_view value) {
  google::protobuf::Struct params;
  SetNetLogString(&params, name, value);
  return params;
}

google::protobuf::Struct NetLogParamsWithInt(std::string_view name,
                                             int64_t value) {
  google::protobuf::Struct params;
  SetNetLogInt(&params, name, value);
  return params;
}

google::protobuf::Struct NetLogParamsWithBool(std::string_view name,
                                              bool value) {
  google::protobuf::Struct params;
  SetNetLogBool(&params, name, value);
  return params;
}

std::string NetLogTimeToString(absl::Time time) {
  std::string text = absl::StrFormat(
      "%.3f", absl::ToDoubleMilliseconds(time - absl::UnixEpoch()));
  // Drop a zero fraction the way a whole number would print.
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.')
    text.pop_back();
  return text;
}

std::optional<absl::Time> NetLogTimeFromString(std::string_view text) {
  double milliseconds = 0;
  if (!absl::SimpleAtod(absl::string_view(text.data(), text.size()),
                        &milliseconds) ||
      !std::isfinite(milliseconds))
    return std::nullopt;
  return absl::UnixEpoch() + absl::Milliseconds(milliseconds);
}

}  // namespace net
