#include "net/log/net_log_entry.h"

#include <utility>

#include "google/protobuf/util/json_util.h"
#include "net/log/net_log_values.h"

namespace net {

namespace {

const google::protobuf::Value* Find(const google::protobuf::Struct& fields,
                                    const char* name) {
  auto it = fields.fields().find(name);
  return it == fields.fields().end() ? nullptr : &it->second;
}

// The enum whose number `value` holds, if it is one of the first `count`.
template <typename Enum>
std::optional<Enum> EnumFrom(const google::protobuf::Value* value, int count) {
  if (value == nullptr || !value->has_number_value())
    return std::nullopt;
  const double number = value->number_value();
  if (!(number >= 0 && number < count) || number != static_cast<int>(number)) {
    return std::nullopt;
  }
  return static_cast<Enum>(static_cast<int>(number));
}

std::optional<absl::Time> TimeFrom(const google::protobuf::Value* value) {
  if (value == nullptr || !value->has_string_value())
    return std::nullopt;
  return NetLogTimeFromString(value->string_value());
}

}  // namespace

NetLogEntry::NetLogEntry(NetLogEventType type,
                         NetLogSource source,
                         NetLogEventPhase phase,
                         absl::Time time,
                         google::protobuf::Struct params)
    : type(type),
      source(source),
      phase(phase),
      time(time),
      params(std::move(params)) {}

google::protobuf::Struct NetLogEntry::ToStruct() const {
  google::protobuf::Struct result;
  // An infinite time cannot be a number of milliseconds; it prints as null.
  google::protobuf::Value& time_value = (*result.mutable_fields())["time"];
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture())
    time_value.set_null_value(google::protobuf::NULL_VALUE);
  else
    time_value.set_string_value(NetLogTimeToString(time));
  SetNetLogInt(&result, "type", static_cast<int>(type));
  SetNetLogStruct(&result, "source", source.ToStruct());
  SetNetLogInt(&result, "phase", static_cast<int>(phase));
  if (params.fields_size() > 0)
    SetNetLogStruct(&result, "params", params);
  return result;
}

// static
std::optional<NetLogEntry> NetLogEntry::FromStruct(
    const google::protobuf::Struct& entry) {
  const google::protobuf::Value* source = Find(entry, "source");
  if (source == nullptr || !source->has_struct_value())
    return std::nullopt;
  const google::protobuf::Struct& source_fields = source->struct_value();
  const auto type = EnumFrom<NetLogEventType>(
      Find(entry, "type"), static_cast<int>(NetLogEventType::COUNT));
  const auto phase = EnumFrom<NetLogEventPhase>(
      Find(entry, "phase"), static_cast<int>(NetLogEventPhase::END) + 1);
  const auto source_type = EnumFrom<NetLogSourceType>(
      Find(source_fields, "type"), static_cast<int>(NetLogSourceType::COUNT));
  const google::protobuf::Value* id = Find(source_fields, "id");
  const std::optional<absl::Time> time = TimeFrom(Find(entry, "time"));
  if (!type || !phase || !source_type || id == nullptr ||
      !id->has_number_value() || !time) {
    return std::nullopt;
  }
  const double id_number = id->number_value();
  if (!(id_number >= 0 && id_number <= UINT32_MAX) ||
      id_number != static_cast<uint32_t>(id_number)) {
    return std::nullopt;
  }
  NetLogSource parsed_source(*source_type, static_cast<uint32_t>(id_number),
                             TimeFrom(Find(source_fields, "start_time"))
                                 .value_or(absl::InfinitePast()));
  const google::protobuf::Value* params = Find(entry, "params");
  return NetLogEntry(*type, parsed_source, *phase, *time,
                     params && params->has_struct_value()
                         ? params->struct_value()
                         : google::protobuf::Struct());
}

std::string NetLogEntry::ToJson() const {
  std::string json;
  // Printing a Struct cannot fail: protobuf prints non-finite numbers as
  // strings.
  google::protobuf::util::MessageToJsonString(ToStruct(), &json);
  return json;
}

}  // namespace net
