#include "shell/page_load_table.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/base/net_errors.h"

namespace prewarm {

namespace {

// "12.3", or "-" for a phase that did not happen.
std::string Ms(absl::Time from, absl::Time to) {
  double ms = MillisecondsBetween(from, to);
  return ms < 0 ? "-" : absl::StrFormat("%.1f", ms);
}

// Long URLs keep their start and end, which say the most.
std::string Shorten(const std::string& text, size_t width) {
  if (text.size() <= width)
    return text;
  size_t tail = width / 3;
  return absl::StrCat(text.substr(0, width - tail - 3), "...",
                      text.substr(text.size() - tail));
}

std::string GroupKey(const net::GroupId& group_id) {
  return group_id.scheme().empty() ? "-" : group_id.ToString();
}

std::string SocketOutcome(const LoadedSocket& socket) {
  std::string text(net::PreconnectOutcomeToString(socket.outcome));
  if (socket.used_by >= 0)
    absl::StrAppend(&text, " by #", socket.used_by + 1);
  if (socket.stranded)
    absl::StrAppend(&text, " STRANDED");
  return text;
}

void PrintHints(const PageLoadResult& result, size_t page, std::ostream& out) {
  bool any = false;
  for (const LoadedHint& hint : result.hints) {
    if (hint.page != page)
      continue;
    if (!any) {
      out << absl::StrFormat("  %-12s %-36s %-11s %-66s %s\n", "hint", "url",
                             "crossorigin", "group key", "socket outcome");
      any = true;
    }
    const bool dns_only = hint.hint.kind == PageHint::Kind::kDnsPrefetch;
    std::string outcome;
    if (hint.error != net::OK) {
      outcome = absl::StrCat("ignored: ", net::ErrorToShortString(hint.error));
    } else if (dns_only) {
      outcome =
          absl::StrFormat("resolved in %s ms", Ms(hint.issued, hint.answered));
    } else if (hint.sockets.empty()) {
      outcome = "none started (group already warm)";
    }
    for (const LoadedSocket& socket : hint.sockets) {
      absl::StrAppend(&outcome, outcome.empty() ? "" : ", ", "#", socket.id,
                      " ", SocketOutcome(socket));
    }
    out << absl::StrFormat(
        "  %-12s %-36s %-11s %-66s %s\n",
        dns_only ? "dns-prefetch" : "preconnect", Shorten(hint.hint.url, 36),
        hint.hint.crossorigin
            ? (hint.hint.crossorigin->empty() ? "\"\"" : *hint.hint.crossorigin)
            : "-",
        dns_only ? "-" : GroupKey(hint.result.group_id), outcome);
    for (const LoadedSocket& socket : hint.sockets) {
      if (!socket.phases)
        continue;
      const ConnectPhases& phases = *socket.phases;
      out << absl::StrFormat(
          "  %-12s warmed #%u: hint resolved %s, then dns %s, connect %s, "
          "tls %s ms\n",
          "", socket.id, Ms(hint.issued, phases.start),
          Ms(phases.dns_start, phases.dns_end),
          Ms(phases.connect_start, phases.connect_end),
          Ms(phases.ssl_start, phases.ssl_end));
    }
    if (hint.frame != result.pages[page].document_id) {
      out << "  " << std::string(12, ' ') << " from frame " << hint.frame
          << "\n";
    }
    if (!hint.informed.empty()) {
      out << "  " << std::string(12, ' ')
          << " markup-informed: " << hint.informed << "\n";
    }
    if (!hint.diagnostic.empty())
      out << "  " << std::string(12, ' ') << " ! " << hint.diagnostic << "\n";
  }
  if (!any)
    out << "  (no hints)\n";
}

void PrintRequests(const PageLoadResult& result,
                   size_t page,
                   std::ostream& out) {
  out << absl::StrFormat(
      "  %-3s %-8s %-48s %-66s %-24s %6s %6s %6s %6s %7s  %s\n", "#", "type",
      "url", "group key", "socket", "dns", "conn", "tls", "ttfb", "total",
      "status");
  for (size_t i = 0; i < result.requests.size(); ++i) {
    const LoadedRequest& request = result.requests[i];
    if (request.page != page)
      continue;
    const FetchResult& fetch = request.result;
    const net::LoadTimingInfo& timing = fetch.load_timing;
    const auto& connect = timing.connect_timing;
    std::string socket = SocketReuseToString(fetch.socket_reuse);
    if (fetch.preconnect_id != 0)
      absl::StrAppend(&socket, " #", fetch.preconnect_id);
    if (!fetch.protocol.empty())
      absl::StrAppend(&socket, " ", fetch.protocol);
    std::string status =
        fetch.error == net::OK
            ? absl::StrCat(fetch.status_code)
            : absl::StrCat(net::ErrorToShortString(fetch.error), ": ",
                           fetch.error_message);
    absl::Time tcp_end = connect.ssl_start != absl::InfinitePast()
                             ? connect.ssl_start
                             : connect.connect_end;
    absl::Time start = timing.request_start != absl::InfinitePast()
                           ? timing.request_start
                           : request.issued;
    absl::Time end = timing.response_end != absl::InfinitePast()
                         ? timing.response_end
                         : request.finished;
    out << absl::StrFormat(
        "  %-3d %-8s %-48s %-66s %-24s %6s %6s %6s %6s %7s  %s\n", i + 1,
        request.destination, Shorten(request.url, 48), GroupKey(fetch.group_id),
        fetch.error == net::OK || !fetch.group_id.scheme().empty() ? socket
                                                                   : "-",
        Ms(connect.domain_lookup_start, connect.domain_lookup_end),
        Ms(connect.connect_start, tcp_end),
        Ms(connect.ssl_start, connect.ssl_end),
        Ms(timing.send_start, timing.receive_headers_end), Ms(start, end),
        request.frame.empty() || request.frame == result.pages[page].document_id
            ? status
            : absl::StrCat(status, "  [", request.frame, "]"));
  }
}

}  // namespace

double MillisecondsBetween(absl::Time from, absl::Time to) {
  if (from == absl::InfinitePast() || to == absl::InfinitePast())
    return -1;
  return absl::ToDoubleMilliseconds(to - from);
}

std::string ShortPrivacyMode(net::PrivacyMode mode) {
  switch (mode) {
    case net::PrivacyMode::kDisabled:
      return "DISABLED";
    case net::PrivacyMode::kEnabled:
      return "ENABLED";
    case net::PrivacyMode::kEnabledWithoutClientCerts:
      return "WOCC";
    case net::PrivacyMode::kEnabledPartitionedStateAllowed:
      return "PSA";
  }
  return "?";
}

void PrintPageLoadTable(const PageLoadResult& result, std::ostream& out) {
  for (size_t page = 0; page < result.pages.size(); ++page) {
    const LoadedPage& loaded = result.pages[page];
    if (loaded.navigation_start == absl::InfinitePast())
      continue;  // Never reached: an earlier page failed.
    out << absl::StrFormat("page %d: %s  [policy %s]\n", page + 1, loaded.url,
                           PreconnectPolicyToString(result.policy));
    if (loaded.error != net::OK) {
      out << "  failed: " << net::ErrorToShortString(loaded.error) << ": "
          << loaded.error_message << "\n";
    }
    if (!loaded.scan_cut_off.empty())
      out << "  scan cut off: " << loaded.scan_cut_off << "\n";
    PrintHints(result, page, out);
    PrintRequests(result, page, out);
    for (const LoadedFrame& frame : result.frames) {
      if (frame.page != page || frame.parent < 0)
        continue;
      out << absl::StrFormat(
          "  frame %s (depth %d, in %s): %s, load event %s ms\n",
          frame.document_id, frame.depth,
          result.frames[frame.parent].document_id, frame.url,
          Ms(loaded.navigation_start, frame.load_event));
    }
    if (loaded.load_event != absl::InfinitePast()) {
      out << absl::StrFormat(
          "  load event %s ms after the navigation started\n",
          Ms(loaded.navigation_start, loaded.load_event));
    }
  }
  for (const std::string& note : result.notes)
    out << "note: " << note << "\n";
  out << absl::StrFormat(
      "preconnected sockets: %d warmed, %d used, %d stranded; %d failed "
      "requests; %d script errors\n",
      result.warmed_sockets, result.used_sockets, result.stranded_sockets,
      result.failed_requests, result.script_errors);
}

}  // namespace prewarm
