// Runs web-platform-tests' URL suites (unittests/data/wpt_url/, see the README
// there) against Url::Parse, table-driven:
//  - urltestdata.json: every input whose scheme, once the WHATWG preprocessing
//    steps have run, is http, https, ws or wss, compared on outcome (parses or
//    fails), scheme, host and port. An input with a base of the same scheme
//    and no "//" is relative to that base (WHATWG's "special relative or
//    authority state"), so it goes through Url::Resolve.
//  - toascii.json: "https://" + input + "/x" compared on outcome and host.
// A mismatch is a test failure unless known_failures.txt lists it with a
// reason; a listed entry that now matches fails too, so the list stays true.
// The conformance figures are printed, and each suite must stay above its
// floor.

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/base/url.h"

namespace net {
namespace {

const std::string kDataDir =
    std::string(PREWARM_SOURCE_ROOT) + "/unittests/data/wpt_url/";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

google::protobuf::ListValue ReadJsonArray(const std::string& name) {
  // The JSON parser wants an object at the top; wrap the array in one.
  google::protobuf::Struct document;
  const std::string json = "{\"entries\":" + ReadFile(kDataDir + name) + "}";
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, &document);
  EXPECT_TRUE(status.ok()) << name << ": " << status.ToString();
  return document.fields().at("entries").list_value();
}

// known_failures.txt: "<suite>\t<input, C-escaped>\t<reason>" per line; '#'
// starts a comment. Returns suite + '\t' + input -> reason.
std::map<std::string, std::string> ReadKnownFailures() {
  std::map<std::string, std::string> known;
  std::istringstream lines(ReadFile(kDataDir + "known_failures.txt"));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    const size_t first = line.find('\t');
    const size_t second = line.find('\t', first + 1);
    EXPECT_NE(second, std::string::npos) << "malformed line: " << line;
    if (second == std::string::npos)
      continue;
    EXPECT_GT(line.size(), second + 1) << "no reason given: " << line;
    known[line.substr(0, second)] = line.substr(second + 1);
  }
  return known;
}

// Printable form of an input for the list: backslash, tab and the other
// control and non-ASCII bytes as \xNN.
std::string Escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      static const char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string Field(const google::protobuf::Value& entry, const char* name) {
  const auto& fields = entry.struct_value().fields();
  auto it = fields.find(name);
  if (it == fields.end() ||
      it->second.kind_case() != google::protobuf::Value::kStringValue) {
    return std::string();
  }
  return it->second.string_value();
}

bool IsNull(const google::protobuf::Value& entry, const char* name) {
  const auto& fields = entry.struct_value().fields();
  auto it = fields.find(name);
  return it == fields.end() ||
         it->second.kind_case() == google::protobuf::Value::kNullValue;
}

// The scheme WHATWG would see: leading C0 controls and spaces stripped, tabs
// and newlines removed, lowercased; empty if there is none.
std::string SchemeOf(const std::string& input) {
  std::string scheme;
  size_t i = 0;
  while (i < input.size() && static_cast<unsigned char>(input[i]) <= 0x20)
    ++i;
  for (; i < input.size(); ++i) {
    const char c = input[i];
    if (c == '\t' || c == '\n' || c == '\r')
      continue;
    if (c == ':')
      return scheme;
    if (!isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' &&
        c != '.') {
      return std::string();
    }
    scheme += static_cast<char>(tolower(static_cast<unsigned char>(c)));
  }
  return std::string();
}

bool IsSpecialWebScheme(const std::string& scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" ||
         scheme == "wss";
}

// What the suite expects, reduced to what prewarm keeps.
struct Expectation {
  bool valid = false;
  std::string scheme;
  std::string host;  // IPv6 without brackets, as Url::host() gives it
  uint16_t port = 0;
};

std::string Describe(const Expectation& e) {
  if (!e.valid)
    return "failure";
  return e.scheme + " " + e.host + " " + std::to_string(e.port);
}

Expectation FromUrl(const Url& url) {
  Expectation e;
  e.valid = url.is_valid();
  if (e.valid) {
    e.scheme = url.scheme();
    e.host = url.host();
    e.port = url.port();
  }
  return e;
}

bool operator==(const Expectation& a, const Expectation& b) {
  return a.valid == b.valid && a.scheme == b.scheme && a.host == b.host &&
         a.port == b.port;
}

struct Tally {
  int total = 0;
  int matched = 0;
  int listed = 0;
};

// Compares one entry, records the figures, and reports an unlisted mismatch
// or a listed entry that now matches.
void Check(const std::string& suite,
           const std::string& input,
           const Expectation& expected,
           const Expectation& actual,
           const std::map<std::string, std::string>& known,
           Tally* tally) {
  ++tally->total;
  const bool match = expected == actual;
  const auto listed = known.find(suite + "\t" + Escape(input));
  if (match) {
    ++tally->matched;
    EXPECT_EQ(listed, known.end())
        << suite << ": '" << Escape(input)
        << "' now matches; remove it from known_failures.txt";
    return;
  }
  if (listed != known.end()) {
    ++tally->listed;
    return;
  }
  ADD_FAILURE() << suite << "\t" << Escape(input) << "\texpected "
                << Describe(expected) << ", got " << Describe(actual);
}

TEST(UrlWptTest, UrlTestDataSpecialSchemesMatchBrowsers) {
  const auto known = ReadKnownFailures();
  Tally tally;
  const google::protobuf::ListValue entries = ReadJsonArray("urltestdata.json");
  for (const google::protobuf::Value& entry : entries.values()) {
    if (entry.kind_case() != google::protobuf::Value::kStructValue)
      continue;  // a comment
    const std::string input = Field(entry, "input");
    if (!IsSpecialWebScheme(SchemeOf(input)))
      continue;
    Expectation expected;
    expected.valid = !entry.struct_value().fields().contains("failure");
    if (expected.valid) {
      const std::string protocol = Field(entry, "protocol");
      expected.scheme = protocol.substr(0, protocol.size() - 1);
      expected.host = Field(entry, "hostname");
      if (expected.host.starts_with('['))
        expected.host = expected.host.substr(1, expected.host.size() - 2);
      const std::string port = Field(entry, "port");
      expected.port = port.empty() ? Url::DefaultPortForScheme(expected.scheme)
                                   : static_cast<uint16_t>(std::stoi(port));
    }
    const Url parsed =
        IsNull(entry, "base")
            ? Url::Parse(input)
            : Url::Resolve(Url::Parse(Field(entry, "base")), input);
    Check("urltestdata", input, expected, FromUrl(parsed), known, &tally);
  }
  const double percent = 100.0 * tally.matched / tally.total;
  std::printf(
      "urltestdata (http, https, ws, wss): %d of %d match (%.1f%%), "
      "%d listed in known_failures.txt\n",
      tally.matched, tally.total, percent, tally.listed);
  EXPECT_GT(tally.total, 400);
  EXPECT_GE(percent, 97.0);
}

TEST(UrlWptTest, ToAsciiMatchesBrowsers) {
  const auto known = ReadKnownFailures();
  Tally tally;
  const google::protobuf::ListValue entries = ReadJsonArray("toascii.json");
  for (const google::protobuf::Value& entry : entries.values()) {
    if (entry.kind_case() != google::protobuf::Value::kStructValue)
      continue;
    const std::string input = Field(entry, "input");
    Expectation expected;
    expected.valid = !IsNull(entry, "output");
    if (expected.valid) {
      expected.scheme = "https";
      expected.host = Field(entry, "output");
      expected.port = 443;
    }
    Check("toascii", input, expected,
          FromUrl(Url::Parse("https://" + input + "/x")), known, &tally);
  }
  const double percent = 100.0 * tally.matched / tally.total;
  std::printf(
      "toascii: %d of %d match (%.1f%%), %d listed in "
      "known_failures.txt\n",
      tally.matched, tally.total, percent, tally.listed);
  EXPECT_GT(tally.total, 80);
  EXPECT_GE(percent, 95.0);
}

}  // namespace
}  // namespace net
