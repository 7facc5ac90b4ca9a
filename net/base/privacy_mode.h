#ifndef NET_BASE_PRIVACY_MODE_H_
#define NET_BASE_PRIVACY_MODE_H_

#include <optional>
#include <string_view>

namespace net {

// Chromium's four privacy modes. A socket warmed in one mode can never serve a
// request in another: the mode is part of every group key and of the TLS
// session cache key.
enum class PrivacyMode {
  // Cookies and credentials may be sent (Fetch "include").
  kDisabled = 0,
  // No cookies or HTTP auth; a client certificate may still be sent.
  kEnabled = 1,
  // Fetch "omit": no cookies, no HTTP auth, no client certificate.
  kEnabledWithoutClientCerts = 2,
  // Only partitioned cookies may be sent (third-party cookies blocked).
  kEnabledPartitionedStateAllowed = 3,
};

// "DISABLED", "ENABLED", "ENABLED_WITHOUT_CLIENT_CERTS",
// "ENABLED_PARTITIONED_STATE_ALLOWED": the names the replay report uses.
std::string_view PrivacyModeToString(PrivacyMode mode);

// The inverse of PrivacyModeToString; nullopt for anything else.
std::optional<PrivacyMode> PrivacyModeFromString(std::string_view name);

// Chromium's GroupId prefix: "" for kDisabled, then "pm/", "pmwocc/", "pmpsa/".
std::string_view PrivacyModeGroupPrefix(PrivacyMode mode);

}  // namespace net

#endif  // NET_BASE_PRIVACY_MODE_H_
