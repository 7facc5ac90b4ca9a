#include "preload/response_cacheability.h"

#include <glib.h>
#include <libsoup/soup.h>

#include <cstdlib>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace prewarm {

namespace {

// Every field line named `name`, joined with ", " (list fields may be split
// across lines); nullopt when there is none.
std::optional<std::string> JoinedField(
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::string_view name) {
  std::optional<std::string> joined;
  for (const auto& [field, value] : headers) {
    if (!absl::EqualsIgnoreCase(field,
                                absl::string_view(name.data(), name.size())))
      continue;
    if (joined)
      absl::StrAppend(&*joined, ", ", value);
    else
      joined = value;
  }
  return joined;
}

// A delta-seconds value (RFC 9111 section 1.2.2): digits only; a value too
// large to hold is the largest one.
std::optional<int64_t> DeltaSeconds(const char* value) {
  if (!value || !*value)
    return std::nullopt;
  int64_t seconds = 0;
  for (const char* c = value; *c; ++c) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(*c)))
      return std::nullopt;
    if (seconds < (int64_t{1} << 31))
      seconds = seconds * 10 + (*c - '0');
  }
  return std::min<int64_t>(seconds, int64_t{1} << 31);
}

std::optional<absl::Time> HttpDate(const std::optional<std::string>& value) {
  if (!value)
    return std::nullopt;
  GDateTime* date = soup_date_time_new_from_http_string(value->c_str());
  if (!date)
    return std::nullopt;
  absl::Time time = absl::FromUnixSeconds(g_date_time_to_unix(date));
  g_date_time_unref(date);
  return time;
}

}  // namespace

bool ResponseCacheability::VariesOn(std::string_view header) const {
  for (const std::string& name : vary) {
    if (name == "*" ||
        absl::EqualsIgnoreCase(name,
                               absl::string_view(header.data(), header.size())))
      return true;
  }
  return false;
}

ResponseCacheability CacheabilityFromHeaders(
    int status_code,
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::Time received) {
  ResponseCacheability result;
  if (std::optional<std::string> vary = JoinedField(headers, "Vary")) {
    GSList* names = soup_header_parse_list(vary->c_str());
    for (GSList* item = names; item; item = item->next)
      result.vary.emplace_back(static_cast<const char*>(item->data));
    soup_header_free_list(names);
  }
  if (status_code < 200) {
    result.reason = absl::StrCat("status ", status_code, " is not final");
    return result;
  }

  std::optional<std::string> cache_control =
      JoinedField(headers, "Cache-Control");
  GHashTable* directives = nullptr;
  if (cache_control) {
    directives = soup_header_parse_param_list_strict(cache_control->c_str());
    if (!directives) {
      // RFC 9111 section 4.2.1: with conflicting duplicates a cache may
      // treat the response as stale; prewarm does, and still stores it.
      result.storable = true;
      result.reason = absl::StrCat("Cache-Control \"", *cache_control,
                                   "\" repeats a directive");
      return result;
    }
  }
  auto has = [&](const char* directive) {
    return directives && g_hash_table_contains(directives, directive);
  };
  auto value = [&](const char* directive) -> const char* {
    return directives ? static_cast<const char*>(
                            g_hash_table_lookup(directives, directive))
                      : nullptr;
  };

  if (has("no-store")) {
    result.reason = "Cache-Control: no-store";
  } else {
    result.storable = true;
    std::optional<absl::Duration> lifetime;
    if (has("max-age")) {
      std::optional<int64_t> seconds = DeltaSeconds(value("max-age"));
      // An invalid max-age makes the response stale (section 5.2.2.1).
      lifetime = absl::Seconds(seconds.value_or(0));
    } else if (std::optional<std::string> expires =
                   JoinedField(headers, "Expires")) {
      // An invalid Expires means already expired (section 5.3).
      std::optional<absl::Time> at = HttpDate(expires);
      std::optional<absl::Time> date = HttpDate(JoinedField(headers, "Date"));
      lifetime = at ? *at - date.value_or(received) : absl::ZeroDuration();
    }
    int64_t age = 0;
    if (std::optional<std::string> age_field = JoinedField(headers, "Age")) {
      age = DeltaSeconds(age_field->c_str()).value_or(0);
    }
    if (has("no-cache")) {
      result.reason = "Cache-Control: no-cache (it must be revalidated)";
    } else if (!lifetime) {
      result.reason = "no max-age or Expires (no explicit freshness)";
    } else if (*lifetime <= absl::Seconds(age)) {
      result.reason = "the response is already stale (max-age or Expires)";
    } else {
      result.fresh = true;
    }
  }
  if (directives)
    soup_header_free_param_list(directives);
  return result;
}

}  // namespace prewarm
