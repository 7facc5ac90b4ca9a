#include "host/origin_references.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "host/page_scanner.h"
#include "net/base/origin.h"

namespace prewarm {

namespace {

// The origin a URL is keyed by, or "" when it is no http(s) URL.
std::string OriginKey(const std::string& url) {
  net::Url parsed = net::Url::Parse(url);
  if (!parsed.is_valid() || !parsed.SchemeIsHttpOrHttps())
    return std::string();
  return net::Origin::Create(parsed).Serialize();
}

bool IsModuleScript(const MarkupElement& element) {
  std::optional<std::string> type = element.Attribute("type");
  return type &&
         absl::AsciiStrToLower(absl::StripAsciiWhitespace(*type)) == "module";
}

}  // namespace

OriginReferences::OriginReferences() = default;
OriginReferences::OriginReferences(const OriginReferences&) = default;
OriginReferences& OriginReferences::operator=(const OriginReferences&) =
    default;
OriginReferences::~OriginReferences() = default;

void OriginReferences::Add(const MarkupElement& element, const net::Url& base) {
  std::optional<std::string> reference;
  const char* name = "";
  switch (element.tag) {
    case MarkupElement::Tag::kIframe:
      if ((reference = element.Attribute("src"))) {
        AddReference(PageScanner::ResolveUrl(base, *reference), Kind::kSubframe,
                     "<iframe>");
      }
      return;
    case MarkupElement::Tag::kScript:
      name = "<script>";
      reference = element.Attribute("src");
      break;
    case MarkupElement::Tag::kImage:
      name = "<img>";
      reference = element.Attribute("src");
      break;
    case MarkupElement::Tag::kLink:
      if (element.RelHas("stylesheet")) {
        name = "<link rel=stylesheet>";
      } else if (element.RelHas("preload") || element.RelHas("modulepreload")) {
        name = "<link rel=preload>";
      } else {
        return;
      }
      reference = element.Attribute("href");
      break;
    case MarkupElement::Tag::kStyle:
    case MarkupElement::Tag::kOther:
      return;
  }
  if (!reference)
    return;
  std::optional<std::string> crossorigin = element.Attribute("crossorigin");
  bool anonymous =
      crossorigin && CrossOriginAttributeFromString(*crossorigin) ==
                         CrossOriginAttribute::kAnonymous;
  // A module script is a CORS request with credentials "same-origin" unless
  // crossorigin says otherwise; so is a font preload.
  if (!crossorigin &&
      ((element.tag == MarkupElement::Tag::kScript &&
        IsModuleScript(element)) ||
       element.RelHas("modulepreload") ||
       absl::AsciiStrToLower(element.Attribute("as").value_or("")) == "font")) {
    anonymous = true;
  }
  AddReference(PageScanner::ResolveUrl(base, *reference),
               anonymous ? Kind::kAnonymous : Kind::kCredentialed, name);
}

void OriginReferences::AddFont(const std::string& url) {
  AddReference(url, Kind::kAnonymous, "font");
}

void OriginReferences::AddReference(const std::string& url,
                                    Kind kind,
                                    const char* element) {
  std::string origin = OriginKey(url);
  if (origin.empty())
    return;
  Seen& seen = origins_[origin];
  ++seen.kinds[kind];
  ++seen.elements[element];
}

std::optional<OriginReferences::Informed> OriginReferences::InformHint(
    const std::string& hint_url) const {
  auto it = origins_.find(OriginKey(hint_url));
  if (it == origins_.end() || it->second.kinds.size() != 1)
    return std::nullopt;
  const Seen& seen = it->second;
  Informed informed;
  for (const auto& [element, count] : seen.elements) {
    absl::StrAppend(&informed.reason, informed.reason.empty() ? "" : ", ",
                    count, " ", element);
  }
  switch (seen.kinds.begin()->first) {
    case Kind::kSubframe:
      informed.subframe_navigation = true;
      absl::StrAppend(&informed.reason, ": subframe navigation");
      break;
    case Kind::kCredentialed:
      informed.purpose = PreconnectPurpose::kSubresource;
      informed.crossorigin = CrossOriginAttribute::kAbsent;
      absl::StrAppend(&informed.reason, ": credentialed subresource");
      break;
    case Kind::kAnonymous:
      informed.purpose = PreconnectPurpose::kSubresource;
      informed.crossorigin = CrossOriginAttribute::kAnonymous;
      absl::StrAppend(&informed.reason, ": anonymous subresource");
      break;
  }
  return informed;
}

}  // namespace prewarm
