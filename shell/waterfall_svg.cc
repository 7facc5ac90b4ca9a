#include "shell/waterfall_svg.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "shell/page_load_table.h"

namespace prewarm {

namespace {

constexpr int kWidth = 1280;
constexpr int kLabelWidth = 430;
constexpr int kChartLeft = kLabelWidth + 10;
constexpr int kChartWidth = kWidth - kChartLeft - 90;
constexpr int kRowHeight = 20;
constexpr int kBarHeight = 12;
constexpr int kTop = 92;

struct Phase {
  const char* name;
  const char* colour;
};
constexpr Phase kQueued = {"queued", "#c8ccd2"};
constexpr Phase kDns = {"dns", "#1b9e77"};
constexpr Phase kConnect = {"connect", "#e6a100"};
constexpr Phase kTls = {"tls", "#7b4fd0"};
constexpr Phase kWaiting = {"waiting (ttfb)", "#3fa34d"};
constexpr Phase kDownload = {"download", "#2b7bd6"};
constexpr const char* kIdleColour = "#7d8590";
constexpr const char* kStrandedColour = "#d7191c";

// A row: a label, bar segments, an optional idle line and notes.
struct Segment {
  absl::Time from;
  absl::Time to;
  const Phase* phase;
};
struct Row {
  absl::Time sort_time;
  std::string label;
  std::string tooltip;
  std::vector<Segment> segments;
  // The thin line of a preconnected socket waiting for its request.
  absl::Time idle_from = absl::InfinitePast();
  absl::Time idle_to = absl::InfinitePast();
  bool stranded = false;
  bool failed = false;
  // On the page's critical path (see CriticalPath()).
  bool critical = false;
  // The handshakes a request paid for while a preconnect to its origin sat
  // stranded: outlined, with `note` saying what they cost.
  absl::Time stranded_cost_from = absl::InfinitePast();
  absl::Time stranded_cost_to = absl::InfinitePast();
  std::string note;
};

bool Happened(absl::Time t) {
  return t != absl::InfinitePast();
}

void AddSegment(Row* row, absl::Time from, absl::Time to, const Phase& phase) {
  if (Happened(from) && Happened(to) && to >= from)
    row->segments.push_back({from, to, &phase});
}

// "fonts.gstatic.example/s/newsreader/...woff2", at most `width` chars.
std::string HostAndPath(const std::string& spec, size_t width) {
  net::Url url = net::Url::Parse(spec);
  std::string text =
      url.is_valid() ? absl::StrCat(url.host(), url.path()) : spec;
  if (text.size() > width)
    text = absl::StrCat(text.substr(0, width - 3), "...");
  return text;
}

// Whether another request of the load was in flight on the same HTTP/2
// connection at the same time as `requests[index]`.
bool IsMultiplexed(const std::vector<LoadedRequest>& requests, size_t index) {
  const LoadedRequest& request = requests[index];
  const FetchResult& fetch = request.result;
  if (fetch.protocol != "h2" || fetch.connection_id == 0)
    return false;
  for (size_t i = 0; i < requests.size(); ++i) {
    const LoadedRequest& other = requests[i];
    if (i != index && other.result.connection_id == fetch.connection_id &&
        other.issued < request.finished && request.issued < other.finished) {
      return true;
    }
  }
  return false;
}

Row RequestRow(const LoadedRequest& request, size_t index, bool multiplexed) {
  const FetchResult& fetch = request.result;
  const net::LoadTimingInfo& timing = fetch.load_timing;
  const auto& connect = timing.connect_timing;
  Row row;
  row.sort_time = request.issued;
  std::string socket =
      fetch.error == net::OK || !fetch.group_id.scheme().empty()
          ? SocketReuseToString(fetch.socket_reuse)
          : "-";
  row.label = absl::StrFormat("#%d %s %s", index + 1, request.destination,
                              HostAndPath(request.url, 44));
  row.note = socket;
  if (fetch.preconnect_id != 0)
    absl::StrAppend(&row.note, " #", fetch.preconnect_id);
  if (!fetch.protocol.empty())
    absl::StrAppend(&row.note, " ", fetch.protocol);
  // Streams sharing one HTTP/2 connection at once.
  if (multiplexed)
    absl::StrAppend(&row.note, " multiplexed");
  row.tooltip = absl::StrCat(
      request.url, "\ngroup ",
      fetch.group_id.scheme().empty() ? "-" : fetch.group_id.ToString(),
      "\nsocket ", row.note);
  if (fetch.error != net::OK) {
    row.failed = true;
    row.note = net::ErrorToShortString(fetch.error);
    absl::StrAppend(&row.tooltip, "\n", net::ErrorToShortString(fetch.error),
                    ": ", fetch.error_message);
    AddSegment(&row, request.issued, request.finished, kQueued);
    return row;
  }
  absl::Time first_phase =
      Happened(connect.domain_lookup_start)
          ? connect.domain_lookup_start
          : (Happened(connect.connect_start) ? connect.connect_start
                                             : timing.send_start);
  AddSegment(&row, request.issued, first_phase, kQueued);
  AddSegment(&row, connect.domain_lookup_start, connect.domain_lookup_end,
             kDns);
  absl::Time tcp_end =
      Happened(connect.ssl_start) ? connect.ssl_start : connect.connect_end;
  AddSegment(&row, connect.connect_start, tcp_end, kConnect);
  AddSegment(&row, connect.ssl_start, connect.ssl_end, kTls);
  AddSegment(&row, timing.send_start, timing.receive_headers_end, kWaiting);
  AddSegment(&row, timing.receive_headers_end, timing.response_end, kDownload);
  return row;
}

// Which requests lie on each page's critical path: the request that finished
// last by the load event, then, going back, the request that finished last
// before that one was issued (most likely what its discovery waited for),
// and so on.
std::vector<bool> CriticalPath(const PageLoadResult& result) {
  std::vector<bool> critical(result.requests.size(), false);
  for (size_t page = 0; page < result.pages.size(); ++page) {
    const absl::Time load_event = result.pages[page].load_event;
    if (!Happened(load_event))
      continue;
    // The request of `page` that finished last by `by`, or -1.
    auto last_finished_by = [&](absl::Time by) {
      int last = -1;
      for (size_t i = 0; i < result.requests.size(); ++i) {
        const LoadedRequest& request = result.requests[i];
        if (request.page == page && Happened(request.finished) &&
            request.finished <= by &&
            (last < 0 || request.finished > result.requests[last].finished)) {
          last = static_cast<int>(i);
        }
      }
      return last;
    };
    for (int i = last_finished_by(load_event); i >= 0 && !critical[i];
         i = last_finished_by(result.requests[i].issued)) {
      critical[i] = true;
    }
  }
  return critical;
}

// The stranded socket of a preconnect to the origin of `request`, which
// paid for a connection of its own; null if none.
const LoadedSocket* StrandedSocketFor(const PageLoadResult& result,
                                      const LoadedRequest& request) {
  if (request.result.socket_reuse != SocketReuse::kNew ||
      request.result.group_id.scheme().empty()) {
    return nullptr;
  }
  for (const LoadedHint& hint : result.hints) {
    if (hint.page != request.page || !(hint.result.group_id.destination() ==
                                       request.result.group_id.destination())) {
      continue;
    }
    for (const LoadedSocket& socket : hint.sockets) {
      if (socket.stranded && hint.issued <= request.issued)
        return &socket;
    }
  }
  return nullptr;
}

// Marks the handshakes `request` paid for itself that `stranded`, idle in
// another group, would have spared it: from when the request needed a
// socket (its connect start) or when the stranded socket was ready, whichever
// is later, to when its own handshakes ended. Nothing when the stranded
// socket would not have been ready sooner (a hint parsed with its request).
void MarkStrandedCost(const LoadedRequest& request,
                      const LoadedSocket& stranded,
                      Row* row) {
  const auto& connect = request.result.load_timing.connect_timing;
  if (!Happened(connect.connect_start) || !stranded.phases ||
      !Happened(stranded.phases->end) || stranded.phases->error != 0) {
    return;
  }
  const absl::Time own_end =
      Happened(connect.ssl_end) ? connect.ssl_end : connect.connect_end;
  const absl::Time from = std::max(connect.connect_start, stranded.phases->end);
  if (own_end - from < absl::Milliseconds(1))
    return;
  // TCP costs a round trip, and so does a TLS 1.3 handshake.
  const int round_trips = 1 + (Happened(connect.ssl_end) ? 1 : 0);
  row->stranded_cost_from = from;
  row->stranded_cost_to = own_end;
  absl::StrAppendFormat(
      &row->note,
      ": %s cost %d round trips (%.0f ms), %.0f ms of them spared had it used "
      "stranded preconnect #%u%s",
      round_trips == 1 ? "TCP" : "TCP + TLS", round_trips,
      absl::ToDoubleMilliseconds(own_end - connect.connect_start),
      absl::ToDoubleMilliseconds(own_end - from), stranded.id,
      row->critical ? ", on the critical path" : "");
  absl::StrAppend(&row->tooltip, "\n", row->note);
}

Row SocketRow(const PageLoadResult& result,
              const LoadedHint& hint,
              const LoadedSocket& socket) {
  Row row;
  row.sort_time = hint.issued;
  row.label =
      absl::StrFormat("preconnect #%u %s %s", socket.id,
                      hint.result.group_id.destination().host(),
                      ShortPrivacyMode(hint.result.group_id.privacy_mode()));
  row.stranded = socket.stranded;
  row.tooltip =
      absl::StrCat("<link rel=preconnect href=", hint.hint.url,
                   hint.hint.crossorigin ? " crossorigin" : "", ">\ngroup ",
                   hint.result.group_id.ToString(), "\noutcome ",
                   std::string(net::PreconnectOutcomeToString(socket.outcome)));
  // The hint's own resolution (the connect job starts when it is done; the
  // hint's callback may run later), then the connect job.
  absl::Time ready = hint.answered;
  if (!socket.phases) {
    AddSegment(&row, hint.issued, hint.answered, kDns);
  } else {
    const ConnectPhases& phases = *socket.phases;
    AddSegment(&row, hint.issued, phases.start, kDns);
    AddSegment(&row, phases.dns_start, phases.dns_end, kDns);
    absl::Time tcp_end =
        Happened(phases.ssl_start) ? phases.ssl_start : phases.connect_end;
    AddSegment(&row, phases.connect_start, tcp_end, kConnect);
    AddSegment(&row, phases.ssl_start, phases.ssl_end, kTls);
    if (Happened(phases.end))
      ready = phases.end;
  }
  row.idle_from = ready;
  if (socket.used_by >= 0) {
    const LoadedRequest& user = result.requests[socket.used_by];
    row.idle_to = Happened(user.result.load_timing.request_start)
                      ? user.result.load_timing.request_start
                      : user.issued;
    row.note = absl::StrCat("used by #", socket.used_by + 1);
  } else {
    row.idle_to = Happened(socket.ended) ? socket.ended : result.end;
    row.note = std::string(net::PreconnectOutcomeToString(socket.outcome));
  }
  if (socket.stranded) {
    row.note = absl::StrCat(
        "STRANDED (",
        hint.result.group_id.DifferenceFrom(socket.strand_request_group)
            .ToString(),
        " differs from the request's group)");
    absl::StrAppend(&row.tooltip, "\nSTRANDED: ", hint.diagnostic);
  }
  return row;
}

// Appends `text` wrapped at word boundaries to the picture's width, then an
// empty line.
void WrapInto(std::string text, std::vector<std::string>* lines) {
  constexpr size_t kLine = 200;
  while (!text.empty()) {
    size_t cut = text.size();
    if (cut > kLine) {
      cut = text.rfind(' ', kLine);
      if (cut == std::string::npos || cut == 0)
        cut = kLine;
    }
    lines->push_back(text.substr(0, cut));
    text = text.size() > cut ? text.substr(cut + 1) : "";
  }
  lines->emplace_back();
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderWaterfallSvg(const PageLoadResult& result,
                               std::string_view title) {
  std::vector<Row> rows;
  const std::vector<bool> critical = CriticalPath(result);
  for (size_t i = 0; i < result.requests.size(); ++i) {
    Row row =
        RequestRow(result.requests[i], i, IsMultiplexed(result.requests, i));
    row.critical = critical[i];
    if (const LoadedSocket* stranded =
            StrandedSocketFor(result, result.requests[i])) {
      MarkStrandedCost(result.requests[i], *stranded, &row);
    }
    rows.push_back(std::move(row));
  }
  for (const LoadedHint& hint : result.hints) {
    for (const LoadedSocket& socket : hint.sockets)
      rows.push_back(SocketRow(result, hint, socket));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.sort_time < b.sort_time;
  });

  const absl::Time start = result.start;
  absl::Time end = Happened(result.end) ? result.end : start;
  for (const Row& row : rows) {
    for (const Segment& segment : row.segments)
      end = std::max(end, segment.to);
  }
  for (const LoadedPage& page : result.pages)
    end = std::max(end, page.load_event);
  const double total_ms =
      std::max(1.0, absl::ToDoubleMilliseconds(end - start));
  auto x = [&](absl::Time t) {
    double ms =
        std::clamp(absl::ToDoubleMilliseconds(t - start), 0.0, total_ms);
    return kChartLeft + ms / total_ms * kChartWidth;
  };

  // The diagnostics in full under the chart, so a static image shows them;
  // an empty line separates two hints.
  std::vector<std::string> footer;
  for (const LoadedHint& hint : result.hints) {
    if (hint.stranded)
      WrapInto(absl::StrCat(hint.hint.url, ": ", hint.diagnostic), &footer);
  }
  int footer_height = 0;
  for (const std::string& line : footer)
    footer_height += line.empty() ? 4 : 14;

  const int height =
      kTop + static_cast<int>(rows.size()) * kRowHeight + 50 + footer_height;
  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
      "font-size=\"11\">\n"
      "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
      "<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>"
      "\n",
      kWidth, height, kWidth, height, EscapeXml(title));
  absl::StrAppendFormat(
      &svg,
      "<text x=\"10\" y=\"38\">policy %s - %d sockets warmed, %d used, "
      "%d stranded</text>\n",
      PreconnectPolicyToString(result.policy), result.warmed_sockets,
      result.used_sockets, result.stranded_sockets);

  // Legend.
  int legend_x = 10;
  for (const Phase* phase :
       {&kQueued, &kDns, &kConnect, &kTls, &kWaiting, &kDownload}) {
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%d\" y=\"50\" width=\"14\" height=\"10\" fill=\"%s\"/>"
        "<text x=\"%d\" y=\"59\">%s</text>\n",
        legend_x, phase->colour, legend_x + 18, phase->name);
    legend_x += 30 + static_cast<int>(std::string_view(phase->name).size()) * 6;
  }
  absl::StrAppendFormat(
      &svg,
      "<line x1=\"%d\" y1=\"55\" x2=\"%d\" y2=\"55\" stroke=\"%s\" "
      "stroke-width=\"2\"/><text x=\"%d\" y=\"59\">preconnected, idle</text>\n",
      legend_x, legend_x + 20, kIdleColour, legend_x + 24);
  legend_x += 130;
  absl::StrAppendFormat(
      &svg,
      "<rect x=\"%d\" y=\"50\" width=\"14\" height=\"10\" fill=\"none\" "
      "stroke=\"%s\" stroke-width=\"2\"/><text x=\"%d\" y=\"59\" "
      "fill=\"%s\">stranded socket</text>\n",
      legend_x, kStrandedColour, legend_x + 18, kStrandedColour);
  legend_x += 110;
  absl::StrAppendFormat(
      &svg,
      "<rect x=\"%d\" y=\"50\" width=\"14\" height=\"10\" fill=\"none\" "
      "stroke=\"%s\" stroke-dasharray=\"2,1\"/><text x=\"%d\" y=\"59\" "
      "fill=\"%s\">what a stranded socket would have spared</text>\n"
      "<text x=\"%d\" y=\"59\" font-weight=\"bold\">bold: critical "
      "path</text>\n",
      legend_x, kStrandedColour, legend_x + 18, kStrandedColour,
      legend_x + 290);
  legend_x += 420;
  absl::StrAppendFormat(&svg,
                        "<line x1=\"%d\" y1=\"48\" x2=\"%d\" y2=\"62\" "
                        "stroke=\"#000\" stroke-dasharray=\"3,2\"/>"
                        "<text x=\"%d\" y=\"59\">load event</text>\n",
                        legend_x + 7, legend_x + 7, legend_x + 14);

  // Time axis: about ten ticks at a round step.
  const double raw_step = total_ms / 10;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  double step = magnitude;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw_step)
      break;
  }
  const int chart_bottom = kTop + static_cast<int>(rows.size()) * kRowHeight;
  for (double ms = 0; ms <= total_ms + 1e-9; ms += step) {
    double tick = kChartLeft + ms / total_ms * kChartWidth;
    absl::StrAppendFormat(
        &svg,
        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e6e8eb\"/>"
        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%g "
        "ms</text>\n",
        tick, kTop - 8, tick, chart_bottom, tick, kTop - 12, ms);
  }

  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const int y = kTop + static_cast<int>(i) * kRowHeight;
    const int bar_y = y + (kRowHeight - kBarHeight) / 2;
    const char* text_colour =
        row.stranded ? kStrandedColour : (row.failed ? "#a0522d" : "#111");
    absl::StrAppendFormat(&svg, "<g><title>%s</title>\n",
                          EscapeXml(row.tooltip));
    if (i % 2 == 1) {
      absl::StrAppendFormat(
          &svg,
          "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f7f9\"/>"
          "\n",
          y, kWidth, kRowHeight);
    }
    absl::StrAppendFormat(
        &svg, "<text x=\"10\" y=\"%d\" fill=\"%s\"%s>%s</text>\n", y + 14,
        text_colour, row.critical ? " font-weight=\"bold\"" : "",
        EscapeXml(row.label));
    double right = kChartLeft;
    if (Happened(row.idle_from) && Happened(row.idle_to) &&
        row.idle_to > row.idle_from) {
      absl::StrAppendFormat(
          &svg,
          "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
          "stroke-width=\"2\"%s/>\n",
          x(row.idle_from), y + kRowHeight / 2, x(row.idle_to),
          y + kRowHeight / 2, row.stranded ? kStrandedColour : kIdleColour,
          row.stranded ? " stroke-dasharray=\"4,3\"" : "");
      right = std::max(right, x(row.idle_to));
    }
    for (const Segment& segment : row.segments) {
      double from = x(segment.from);
      double width = std::max(1.0, x(segment.to) - from);
      absl::StrAppendFormat(
          &svg,
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
          "fill=\"%s\"%s/>\n",
          from, bar_y, width, kBarHeight, segment.phase->colour,
          row.stranded ? absl::StrCat(" stroke=\"", kStrandedColour,
                                      "\" stroke-width=\"1.5\"")
                       : "");
      right = std::max(right, from + width);
    }
    const bool costly = Happened(row.stranded_cost_from);
    if (costly) {
      absl::StrAppendFormat(
          &svg,
          "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
          "fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
          "stroke-dasharray=\"2,1\"/>\n",
          x(row.stranded_cost_from) - 1, bar_y - 2,
          x(row.stranded_cost_to) - x(row.stranded_cost_from) + 2,
          kBarHeight + 4, kStrandedColour);
    }
    // The note goes right of the bar, or left of it near the chart's end.
    std::string note = row.note;
    if (note.size() > 110)
      note = absl::StrCat(note.substr(0, 107), "...");
    const bool left = right > kChartLeft + kChartWidth * 0.55;
    double note_x =
        left ? (row.segments.empty() ? right : x(row.segments[0].from)) - 4
             : right + 4;
    absl::StrAppendFormat(
        &svg, "<text x=\"%.1f\" y=\"%d\" fill=\"%s\"%s%s>%s</text>\n", note_x,
        y + 14, row.stranded || costly ? kStrandedColour : "#555",
        left ? " text-anchor=\"end\"" : "",
        row.stranded ? " font-weight=\"bold\"" : "", EscapeXml(note));
    svg += "</g>\n";
  }

  int footer_y = chart_bottom + 44;
  for (const std::string& line : footer) {
    if (!line.empty()) {
      absl::StrAppendFormat(&svg,
                            "<text x=\"10\" y=\"%d\" fill=\"%s\">%s</text>\n",
                            footer_y, kStrandedColour, EscapeXml(line));
    }
    footer_y += line.empty() ? 4 : 14;
  }

  for (size_t page = 0; page < result.pages.size(); ++page) {
    const LoadedPage& loaded = result.pages[page];
    if (!Happened(loaded.load_event))
      continue;
    double lx = x(loaded.load_event);
    absl::StrAppendFormat(
        &svg,
        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" "
        "stroke-dasharray=\"3,2\"/>\n<text x=\"%.1f\" y=\"%d\" "
        "text-anchor=\"middle\">load event, page %d: %.1f ms</text>\n",
        lx, kTop - 4, lx, chart_bottom + 6, lx, chart_bottom + 20, page + 1,
        absl::ToDoubleMilliseconds(loaded.load_event - start));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace prewarm
