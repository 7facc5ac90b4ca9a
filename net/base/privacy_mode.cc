#include "net/base/privacy_mode.h"

namespace net {

std::string_view PrivacyModeToString(PrivacyMode mode) {
  switch (mode) {
    case PrivacyMode::kDisabled:
      return "DISABLED";
    case PrivacyMode::kEnabled:
      return "ENABLED";
    case PrivacyMode::kEnabledWithoutClientCerts:
      return "ENABLED_WITHOUT_CLIENT_CERTS";
    case PrivacyMode::kEnabledPartitionedStateAllowed:
      return "ENABLED_PARTITIONED_STATE_ALLOWED";
  }
  return "UNKNOWN";
}

std::optional<PrivacyMode> PrivacyModeFromString(std::string_view name) {
  for (PrivacyMode mode : {PrivacyMode::kDisabled, PrivacyMode::kEnabled,
                           PrivacyMode::kEnabledWithoutClientCerts,
                           PrivacyMode::kEnabledPartitionedStateAllowed}) {
    if (PrivacyModeToString(mode) == name)
      return mode;
  }
  return std::nullopt;
}

std::string_view PrivacyModeGroupPrefix(PrivacyMode mode) {
  switch (mode) {
    case PrivacyMode::kDisabled:
      return "";
    case PrivacyMode::kEnabled:
      return "pm/";
    case PrivacyMode::kEnabledWithoutClientCerts:
      return "pmwocc/";
    case PrivacyMode::kEnabledPartitionedStateAllowed:
      return "pmpsa/";
  }
  return "";
}

}  // namespace net
