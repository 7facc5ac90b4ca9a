#include "shell/har_log.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <boost/url/parse.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "net/base/net_errors.h"
#include "net/log/net_log.h"

namespace prewarm {

namespace {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

bool Happened(absl::Time time) {
  return time != absl::InfinitePast() && time != absl::InfiniteFuture();
}

// To the microsecond, so that sums and differences of phases print as the
// short decimals they are.
double RoundMs(double ms) {
  return std::round(ms * 1000) / 1000;
}

// Milliseconds from `from` to `to`; -1 unless both happened in that order.
double Ms(absl::Time from, absl::Time to) {
  if (!Happened(from) || !Happened(to) || to < from)
    return -1;
  return RoundMs(absl::ToDoubleMilliseconds(to - from));
}

Value& Field(Struct* object, const char* name) {
  return (*object->mutable_fields())[name];
}
void SetString(Struct* object, const char* name, absl::string_view value) {
  Field(object, name).set_string_value(std::string(value));
}
void SetNumber(Struct* object, const char* name, double value) {
  Field(object, name).set_number_value(value);
}
void SetObject(Struct* object, const char* name, Struct value) {
  *Field(object, name).mutable_struct_value() = std::move(value);
}
void SetList(Struct* object, const char* name, ListValue value) {
  *Field(object, name).mutable_list_value() = std::move(value);
}
void Append(ListValue* list, Struct value) {
  *list->add_values()->mutable_struct_value() = std::move(value);
}

Struct NameValue(absl::string_view name, absl::string_view value) {
  Struct pair;
  SetString(&pair, "name", name);
  SetString(&pair, "value", value);
  return pair;
}

ListValue Headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  ListValue list;
  for (const auto& [name, value] : headers)
    Append(&list, NameValue(name, value));
  return list;
}

// The first value of header `name` (case-insensitive), or "".
std::string HeaderValue(
    const std::vector<std::pair<std::string, std::string>>& headers,
    absl::string_view name) {
  for (const auto& [header, value] : headers) {
    if (absl::EqualsIgnoreCase(header, name))
      return value;
  }
  return std::string();
}

// The URL's query as decoded name/value pairs, through Boost.URL.
ListValue QueryString(const std::string& url) {
  ListValue list;
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed)
    return list;
  for (const auto& param : parsed->params())
    Append(&list, NameValue(param.key, param.has_value ? param.value : ""));
  return list;
}

// Set-Cookie headers as HAR cookies: the name and value of each, before its
// attributes.
ListValue ResponseCookies(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  ListValue list;
  for (const auto& [header, value] : headers) {
    if (!absl::EqualsIgnoreCase(header, "Set-Cookie"))
      continue;
    absl::string_view pair(value);
    pair = pair.substr(0, pair.find(';'));
    const size_t equals = pair.find('=');
    if (equals == absl::string_view::npos)
      continue;
    Append(&list,
           NameValue(absl::StripAsciiWhitespace(pair.substr(0, equals)),
                     absl::StripAsciiWhitespace(pair.substr(equals + 1))));
  }
  return list;
}

// The phases of one request, per HAR: every one but ssl adds up to the time.
struct Timings {
  double blocked = 0;
  double dns = -1;
  double connect = -1;
  double ssl = -1;
  double send = 0;
  double wait = 0;
  double receive = 0;

  double Total() const {
    return RoundMs(blocked + std::max(dns, 0.0) + std::max(connect, 0.0) +
                   send + wait + receive);
  }
};

Timings TimingsOf(const LoadedRequest& request) {
  const net::LoadTimingInfo& timing = request.result.load_timing;
  const net::LoadTimingInfo::ConnectTiming& connect = timing.connect_timing;
  Timings timings;
  timings.dns = Ms(connect.domain_lookup_start, connect.domain_lookup_end);
  // HAR counts the TLS handshake in connect and shows it again as ssl.
  const absl::Time connected =
      Happened(connect.ssl_end) ? std::max(connect.connect_end, connect.ssl_end)
                                : connect.connect_end;
  timings.connect = Ms(connect.connect_start, connected);
  timings.ssl = Ms(connect.ssl_start, connect.ssl_end);
  timings.send = std::max(Ms(timing.send_start, timing.send_end), 0.0);
  timings.wait = std::max(Ms(timing.send_end, timing.receive_headers_end), 0.0);
  timings.receive =
      std::max(Ms(timing.receive_headers_end, timing.response_end), 0.0);
  const absl::Time start =
      Happened(request.issued) ? request.issued : timing.request_start;
  const absl::Time end =
      Happened(timing.response_end) ? timing.response_end : request.finished;
  // The rest of the time from issue to the end: waiting for a socket, and the
  // host's and the IPC's share.
  timings.blocked = RoundMs(std::max(
      std::max(Ms(start, end), 0.0) - (timings.Total() - timings.blocked),
      0.0));
  return timings;
}

Struct TimingsStruct(const Timings& timings) {
  Struct result;
  SetNumber(&result, "blocked", timings.blocked);
  SetNumber(&result, "dns", timings.dns);
  SetNumber(&result, "connect", timings.connect);
  SetNumber(&result, "ssl", timings.ssl);
  SetNumber(&result, "send", timings.send);
  SetNumber(&result, "wait", timings.wait);
  SetNumber(&result, "receive", timings.receive);
  return result;
}

Struct Request(const LoadedRequest& request) {
  Struct result;
  SetString(&result, "method", "GET");
  SetString(&result, "url", request.url);
  const FetchResult& fetch = request.result;
  SetString(&result, "httpVersion",
            fetch.http_version.empty() ? "HTTP/1.1" : fetch.http_version);
  // The loader sends no cookies.
  SetList(&result, "cookies", ListValue());
  SetList(&result, "headers", Headers(fetch.request_headers));
  SetList(&result, "queryString", QueryString(request.url));
  SetNumber(&result, "headersSize", -1);
  SetNumber(&result, "bodySize", 0);
  return result;
}

Struct Response(const FetchResult& fetch) {
  Struct result;
  const bool responded = fetch.error == net::OK;
  SetNumber(&result, "status", responded ? fetch.status_code : 0);
  SetString(&result, "statusText", responded ? fetch.status_text : "");
  SetString(&result, "httpVersion", responded ? fetch.http_version : "");
  SetList(&result, "cookies", ResponseCookies(fetch.headers));
  SetList(&result, "headers", Headers(fetch.headers));
  Struct content;
  SetNumber(&content, "size", static_cast<double>(fetch.body.size()));
  const std::string mime_type = HeaderValue(fetch.headers, "Content-Type");
  SetString(&content, "mimeType", mime_type.empty() ? "x-unknown" : mime_type);
  SetObject(&result, "content", std::move(content));
  SetString(&result, "redirectURL", HeaderValue(fetch.headers, "Location"));
  SetNumber(&result, "headersSize", -1);
  SetNumber(&result, "bodySize",
            responded ? static_cast<double>(fetch.body.size()) : -1);
  return result;
}

Struct Hint(const LoadedHint& hint) {
  Struct result;
  SetString(&result, "url", hint.hint.url);
  SetString(&result, "rel",
            hint.hint.kind == PageHint::Kind::kPreconnect ? "preconnect"
                                                          : "dns-prefetch");
  if (hint.error != net::OK)
    SetString(&result, "error", net::ErrorToShortString(hint.error));
  if (!hint.result.group_id.ToString().empty() && hint.error == net::OK)
    SetString(&result, "groupKey", hint.result.group_id.ToString());
  Field(&result, "stranded").set_bool_value(hint.stranded);
  if (!hint.diagnostic.empty())
    SetString(&result, "diagnostic", hint.diagnostic);
  ListValue sockets;
  for (const LoadedSocket& socket : hint.sockets) {
    Struct entry;
    SetNumber(&entry, "preconnectId", static_cast<double>(socket.id));
    SetString(&entry, "outcome",
              std::string(net::PreconnectOutcomeToString(socket.outcome)));
    Append(&sockets, std::move(entry));
  }
  SetList(&result, "sockets", std::move(sockets));
  return result;
}

}  // namespace

HarLog::HarLog(absl::Duration wall_minus_ticks)
    : wall_minus_ticks_(wall_minus_ticks) {}

// static
absl::Duration HarLog::WallMinusTicksNow() {
  return (absl::Now() - absl::UnixEpoch()) -
         (net::NetLog::NowTicks() - absl::UnixEpoch());
}

std::string HarLog::DateTime(absl::Time ticks) const {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", ticks + wall_minus_ticks_,
                          absl::UTCTimeZone());
}

void HarLog::AddPageLoad(const PageLoadResult& result, std::string_view label) {
  const int first_page = pages_.values_size();
  for (size_t i = 0; i < result.pages.size(); ++i) {
    const LoadedPage& loaded = result.pages[i];
    const std::string id = absl::StrCat("page_", first_page + i + 1);
    Struct page;
    const absl::Time start = Happened(loaded.navigation_start)
                                 ? loaded.navigation_start
                                 : result.start;
    SetString(&page, "startedDateTime", DateTime(start));
    SetString(&page, "id", id);
    SetString(&page, "title",
              label.empty()
                  ? loaded.url
                  : absl::StrCat(std::string(label), ": ", loaded.url));
    Struct page_timings;
    // The host does not report DOMContentLoaded.
    SetNumber(&page_timings, "onContentLoad", -1);
    SetNumber(&page_timings, "onLoad", Ms(start, loaded.load_event));
    SetObject(&page, "pageTimings", std::move(page_timings));
    SetString(&page, "_policy", PreconnectPolicyToString(result.policy));
    if (loaded.error != net::OK) {
      SetString(&page, "_error",
                absl::StrCat(net::ErrorToShortString(loaded.error), ": ",
                             loaded.error_message));
    }
    ListValue hints;
    for (const LoadedHint& hint : result.hints) {
      if (hint.page == i)
        Append(&hints, Hint(hint));
    }
    SetList(&page, "_hints", std::move(hints));
    Append(&pages_, std::move(page));
  }
  // The sockets are counted over the whole load, so they go on its first page.
  if (!result.pages.empty()) {
    Struct sockets;
    SetNumber(&sockets, "warmed", result.warmed_sockets);
    SetNumber(&sockets, "used", result.used_sockets);
    SetNumber(&sockets, "stranded", result.stranded_sockets);
    SetObject(pages_.mutable_values(first_page)->mutable_struct_value(),
              "_sockets", std::move(sockets));
  }
  for (const LoadedRequest& request : result.requests) {
    Append(
        &entries_,
        Entry(request, absl::StrCat("page_", first_page + request.page + 1)));
  }
}

Struct HarLog::Entry(const LoadedRequest& request,
                     const std::string& page_id) const {
  const FetchResult& fetch = request.result;
  Struct entry;
  SetString(&entry, "pageref", page_id);
  const absl::Time start = Happened(request.issued)
                               ? request.issued
                               : fetch.load_timing.request_start;
  SetString(&entry, "startedDateTime", DateTime(start));
  const Timings timings = TimingsOf(request);
  SetNumber(&entry, "time", timings.Total());
  SetObject(&entry, "request", Request(request));
  SetObject(&entry, "response", Response(fetch));
  SetObject(&entry, "cache", Struct());
  SetObject(&entry, "timings", TimingsStruct(timings));
  if (!fetch.server_ip.empty())
    SetString(&entry, "serverIPAddress", fetch.server_ip);
  // The socket's NetLog source id, so an entry leads to its SOCKET in the
  // NetLog of the same load.
  if (fetch.socket_log_id != 0)
    SetString(&entry, "connection", absl::StrCat(fetch.socket_log_id));
  SetString(&entry, "_destination", request.destination);
  SetString(&entry, "_groupKey", fetch.group_id.ToString());
  SetString(&entry, "_socket", SocketReuseToString(fetch.socket_reuse));
  if (fetch.preconnect_id != 0)
    SetNumber(&entry, "_preconnectId",
              static_cast<double>(fetch.preconnect_id));
  if (fetch.error != net::OK) {
    SetString(&entry, "_error",
              absl::StrCat(net::ErrorToShortString(fetch.error), ": ",
                           fetch.error_message));
  }
  // The preload outcome: the preload it consumed, or the one it could not
  // and why; null when no preload of its URL was there.
  if (fetch.from_preload_id != 0 || fetch.skipped_preload_id != 0) {
    Struct preload;
    SetNumber(&preload, "preloadId",
              static_cast<double>(fetch.from_preload_id != 0
                                      ? fetch.from_preload_id
                                      : fetch.skipped_preload_id));
    SetString(&preload, "outcome",
              fetch.from_preload_id != 0 ? "REUSED" : "NOT_REUSED");
    SetString(&preload, "diagnostic", fetch.preload_diagnostic);
    SetObject(&entry, "_preload", preload);
  } else {
    Field(&entry, "_preload").set_null_value(google::protobuf::NULL_VALUE);
  }
  return entry;
}

Struct HarLog::ToStruct() const {
  Struct log;
  SetString(&log, "version", "1.2");
  Struct creator;
  SetString(&creator, "name", "prewarm_shell");
  SetString(&creator, "version", "1");
  SetObject(&log, "creator", std::move(creator));
  *Field(&log, "pages").mutable_list_value() = pages_;
  *Field(&log, "entries").mutable_list_value() = entries_;
  Struct har;
  SetObject(&har, "log", std::move(log));
  return har;
}

std::string HarLog::ToJson() const {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  // Printing a Struct cannot fail.
  google::protobuf::util::MessageToJsonString(ToStruct(), &json, options);
  return json;
}

}  // namespace prewarm
