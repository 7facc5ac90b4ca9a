// HttpResponseParser on arbitrary server bytes. The first input byte picks
// HEAD or not and a split point; the rest is the response, fed once whole and
// once in two pieces at that point, then closed. Invariants: no crash, every
// error has a message, a body is only read after the headers, and the two
// feeds agree on the outcome (whether it fails, the status, the body), since
// how bytes arrive must not change what they mean. The header limit is set
// to 1 KiB so that inputs of libFuzzer's usual sizes reach it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "net/http/http_response_parser.h"

namespace {

constexpr size_t kMaxHeaderBytes = 1024;

struct Outcome {
  int error = 0;
  bool headers_complete = false;
  int status = 0;
  std::string body;
};

Outcome Feed(bool is_head, std::string_view bytes, size_t split) {
  net::HttpResponseParser parser(is_head, kMaxHeaderBytes);
  Outcome outcome;
  auto drain = [&] {
    char buffer[4096];
    while (parser.body_bytes_available() > 0) {
      const int read = parser.ReadBody(buffer, sizeof(buffer));
      FUZZ_CHECK(read > 0, "ReadBody returned %d with bytes available", read);
      FUZZ_CHECK(parser.headers_complete(), "body before the headers");
      outcome.body.append(buffer, static_cast<size_t>(read));
    }
  };
  for (std::string_view piece : {bytes.substr(0, split), bytes.substr(split)}) {
    if (piece.empty() || parser.response_complete())
      continue;
    const int rv = parser.Parse(piece);
    if (rv < 0) {
      outcome.error = rv;
      break;
    }
    drain();
    if (static_cast<size_t>(rv) < piece.size())
      break;  // the response ended; the rest is the next one
  }
  if (outcome.error == 0 && !parser.response_complete()) {
    outcome.error = parser.OnConnectionClosed();
    drain();
  }
  if (outcome.error < 0)
    FUZZ_CHECK(!parser.error_message().empty(), "error %d without a message",
               outcome.error);
  outcome.headers_complete = parser.headers_complete();
  if (outcome.headers_complete)
    outcome.status = parser.headers().response_code();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0)
    return 0;
  const bool is_head = data[0] & 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  const size_t split = bytes.empty() ? 0 : (data[0] >> 1) % bytes.size();
  const Outcome whole = Feed(is_head, bytes, bytes.size());
  const Outcome pieces = Feed(is_head, bytes, split);
  FUZZ_CHECK((whole.error < 0) == (pieces.error < 0),
             "whole feed error %d, split at %zu error %d", whole.error, split,
             pieces.error);
  if (whole.error == 0) {
    FUZZ_CHECK(whole.status == pieces.status && whole.body == pieces.body,
               "split at %zu changes the response (status %d vs %d, body %zu "
               "vs %zu bytes)",
               split, whole.status, pieces.status, whole.body.size(),
               pieces.body.size());
  }
  return 0;
}
