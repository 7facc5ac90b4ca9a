#include "preload/preload_request.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace prewarm {

std::optional<std::string> PreloadDestinationForAs(std::string_view as) {
  if (absl::EqualsIgnoreCase(absl::string_view(as.data(), as.size()),
                             "fetch")) {
    return std::string();
  }
  static constexpr std::array<const char*, 5> kSameName = {
      "font", "image", "script", "style", "track"};
  for (const char* name : kSameName) {
    if (absl::EqualsIgnoreCase(absl::string_view(as.data(), as.size()), name))
      return std::string(name);
  }
  return std::nullopt;
}

FetchSettings FetchSettingsForCrossOrigin(CrossOriginAttribute crossorigin) {
  switch (crossorigin) {
    case CrossOriginAttribute::kAbsent:
      return {RequestMode::kNoCors, CredentialsMode::kInclude};
    case CrossOriginAttribute::kAnonymous:
      return {RequestMode::kCors, CredentialsMode::kSameOrigin};
    case CrossOriginAttribute::kUseCredentials:
      return {RequestMode::kCors, CredentialsMode::kInclude};
  }
  return {};
}

const char* RequestModeToString(RequestMode mode) {
  switch (mode) {
    case RequestMode::kNoCors:
      return "no-cors";
    case RequestMode::kCors:
      return "cors";
    case RequestMode::kSameOrigin:
      return "same-origin";
    case RequestMode::kNavigate:
      return "navigate";
  }
  return "no-cors";
}

const char* CredentialsModeToString(CredentialsMode mode) {
  switch (mode) {
    case CredentialsMode::kSameOrigin:
      return "same-origin";
    case CredentialsMode::kInclude:
      return "include";
    case CredentialsMode::kOmit:
      return "omit";
  }
  return "same-origin";
}

const char* CrossOriginToString(CrossOriginAttribute crossorigin) {
  switch (crossorigin) {
    case CrossOriginAttribute::kAbsent:
      return "none";
    case CrossOriginAttribute::kAnonymous:
      return "anonymous";
    case CrossOriginAttribute::kUseCredentials:
      return "use-credentials";
  }
  return "none";
}

bool SendsCredentials(CredentialsMode credentials, bool same_origin) {
  switch (credentials) {
    case CredentialsMode::kInclude:
      return true;
    case CredentialsMode::kOmit:
      return false;
    case CredentialsMode::kSameOrigin:
      return same_origin;
  }
  return false;
}

std::string AuthorHeadersProblem(const AuthorHeaders& headers) {
  static constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  for (const auto& [name, value] : headers) {
    if (name.empty())
      return "an author header has an empty name";
    for (char c : name) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
          kTokenSymbols.find(c) == std::string_view::npos) {
        return absl::StrCat("author header name \"", absl::CEscape(name),
                            "\" is not a token");
      }
    }
    if (value.find_first_of(std::string_view("\r\n\0", 3)) !=
        std::string::npos) {
      return absl::StrCat("the value of author header ", name,
                          " has a CR, LF or NUL");
    }
    for (const char* own : {"Host", "Content-Length", "Connection",
                            "Transfer-Encoding", "User-Agent"}) {
      if (absl::EqualsIgnoreCase(name, own)) {
        return absl::StrCat("author header ", name,
                            " is set by the network stack, not the page");
      }
    }
  }
  return "";
}

}  // namespace prewarm
