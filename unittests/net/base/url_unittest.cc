#include "net/base/url.h"

#include <string>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"

namespace net {
namespace {

struct ValidUrlCase {
  const char* input;
  const char* spec;
  const char* scheme;
  const char* host;
  uint16_t port;
  bool has_explicit_port;
  const char* path;
  const char* query;
};

class UrlValidTest : public testing::TestWithParam<ValidUrlCase> {};

TEST_P(UrlValidTest, ParsesToCanonicalForm) {
  const ValidUrlCase& c = GetParam();
  const Url url = Url::Parse(c.input);
  ASSERT_TRUE(url.is_valid()) << c.input << ": " << url.error_message();
  EXPECT_EQ(url.error(), OK);
  EXPECT_EQ(url.error_message(), "");
  EXPECT_EQ(url.spec(), c.spec);
  EXPECT_EQ(url.scheme(), c.scheme);
  EXPECT_EQ(url.host(), c.host);
  EXPECT_EQ(url.port(), c.port);
  EXPECT_EQ(url.has_explicit_port(), c.has_explicit_port);
  EXPECT_EQ(url.path(), c.path);
  EXPECT_EQ(url.query(), c.query);
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    UrlValidTest,
    testing::Values(
        ValidUrlCase{"https://example.com/", "https://example.com/", "https",
                     "example.com", 443, false, "/", ""},
        ValidUrlCase{"http://example.com", "http://example.com/", "http",
                     "example.com", 80, false, "/", ""},
        ValidUrlCase{"HTTPS://WWW.Example.COM/Path",
                     "https://www.example.com/Path", "https", "www.example.com",
                     443, false, "/Path", ""},
        ValidUrlCase{"https://example.com:443/a", "https://example.com/a",
                     "https", "example.com", 443, false, "/a", ""},
        ValidUrlCase{"http://example.com:80/", "http://example.com/", "http",
                     "example.com", 80, false, "/", ""},
        ValidUrlCase{"https://example.com:8443/x", "https://example.com:8443/x",
                     "https", "example.com", 8443, true, "/x", ""},
        ValidUrlCase{"http://example.com:65535/", "http://example.com:65535/",
                     "http", "example.com", 65535, true, "/", ""},
        ValidUrlCase{"http://example.com:/", "http://example.com/", "http",
                     "example.com", 80, false, "/", ""},
        ValidUrlCase{"http://example.com:0080/", "http://example.com/", "http",
                     "example.com", 80, false, "/", ""},
        ValidUrlCase{"https://example.com/a?b=1&c#frag",
                     "https://example.com/a?b=1&c", "https", "example.com", 443,
                     false, "/a", "b=1&c"},
        ValidUrlCase{"https://example.com/#only-fragment",
                     "https://example.com/", "https", "example.com", 443, false,
                     "/", ""},
        ValidUrlCase{"https://example.com?", "https://example.com/?", "https",
                     "example.com", 443, false, "/", ""},
        ValidUrlCase{"https://example.com/a/b/../c/./d",
                     "https://example.com/a/c/d", "https", "example.com", 443,
                     false, "/a/c/d", ""},
        ValidUrlCase{"ws://example.com/chat", "ws://example.com/chat", "ws",
                     "example.com", 80, false, "/chat", ""},
        ValidUrlCase{"wss://example.com:443/chat", "wss://example.com/chat",
                     "wss", "example.com", 443, false, "/chat", ""},
        ValidUrlCase{"https://user:secret@example.com/", "https://example.com/",
                     "https", "example.com", 443, false, "/", ""},
        ValidUrlCase{"https://b\xC3\xBC"
                     "cher.example/",
                     "https://xn--bcher-kva.example/", "https",
                     "xn--bcher-kva.example", 443, false, "/", ""},
        ValidUrlCase{"https://B\xC3\x9C"
                     "CHER.example/",
                     "https://xn--bcher-kva.example/", "https",
                     "xn--bcher-kva.example", 443, false, "/", ""},
        ValidUrlCase{"https://fa\xC3\x9F.de/", "https://xn--fa-hia.de/",
                     "https", "xn--fa-hia.de", 443, false, "/", ""},
        ValidUrlCase{"https://xn--bcher-kva.example/",
                     "https://xn--bcher-kva.example/", "https",
                     "xn--bcher-kva.example", 443, false, "/", ""},
        ValidUrlCase{"https://example.com/caf\xC3\xA9",
                     "https://example.com/caf%C3%A9", "https", "example.com",
                     443, false, "/caf%C3%A9", ""},
        ValidUrlCase{"https://WWW.XN--BCHER-KVA.EXAMPLE/",
                     "https://www.xn--bcher-kva.example/", "https",
                     "www.xn--bcher-kva.example", 443, false, "/", ""},
        ValidUrlCase{"https://b%C3%BCcher.example/",
                     "https://xn--bcher-kva.example/", "https",
                     "xn--bcher-kva.example", 443, false, "/", ""},
        ValidUrlCase{"http://ex%41mple.com/", "http://example.com/", "http",
                     "example.com", 80, false, "/", ""},
        ValidUrlCase{"http://192.0.2.1/", "http://192.0.2.1/", "http",
                     "192.0.2.1", 80, false, "/", ""},
        ValidUrlCase{"http://127.1:8080/", "http://127.0.0.1:8080/", "http",
                     "127.0.0.1", 8080, true, "/", ""},
        ValidUrlCase{"http://0x7f.0.0.1/", "http://127.0.0.1/", "http",
                     "127.0.0.1", 80, false, "/", ""},
        ValidUrlCase{"http://[::1]:8080/x", "http://[::1]:8080/x", "http",
                     "::1", 8080, true, "/x", ""},
        ValidUrlCase{"https://[2001:DB8:0:0:0:0:0:1]/",
                     "https://[2001:db8::1]/", "https", "2001:db8::1", 443,
                     false, "/", ""},
        ValidUrlCase{"http://localhost/", "http://localhost/", "http",
                     "localhost", 80, false, "/", ""},
        ValidUrlCase{"http://example.com./", "http://example.com./", "http",
                     "example.com.", 80, false, "/", ""},
        // WHATWG preprocessing: what browsers strip or read as a slash.
        ValidUrlCase{" \x01http://example.com/\x1F ", "http://example.com/",
                     "http", "example.com", 80, false, "/", ""},
        ValidUrlCase{"ht\ttp://exa\nmple.com/a\rb", "http://example.com/ab",
                     "http", "example.com", 80, false, "/ab", ""},
        ValidUrlCase{"http:\\\\example.com\\a\\b", "http://example.com/a/b",
                     "http", "example.com", 80, false, "/a/b", ""},
        ValidUrlCase{"http:example.com", "http://example.com/", "http",
                     "example.com", 80, false, "/", ""},
        ValidUrlCase{"https:///example.com/x", "https://example.com/x", "https",
                     "example.com", 443, false, "/x", ""},
        ValidUrlCase{"http://\xE2\x98\x83.com/", "http://xn--n3h.com/", "http",
                     "xn--n3h.com", 80, false, "/", ""},
        ValidUrlCase{"http://a\xC2\xAD"
                     "b/",
                     "http://ab/", "http", "ab", 80, false, "/", ""},
        ValidUrlCase{"http://0300.0250.0.1/", "http://192.168.0.1/", "http",
                     "192.168.0.1", 80, false, "/", ""},
        ValidUrlCase{"http://4294967295/", "http://255.255.255.255/", "http",
                     "255.255.255.255", 80, false, "/", ""},
        ValidUrlCase{"http://[::ffff:1.2.3.4]/", "http://[::ffff:102:304]/",
                     "http", "::ffff:102:304", 80, false, "/", ""},
        ValidUrlCase{"http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/",
                     "http", "1:0:0:2::3", 80, false, "/", ""},
        ValidUrlCase{"http://h/a/%2e%2E/b/./c/%2e", "http://h/b/c/", "http",
                     "h", 80, false, "/b/c/", ""},
        ValidUrlCase{"http://h/ {}`^|?q={}|^ '\"",
                     "http://h/%20%7B%7D%60%5E|?q={}|^%20%27%22", "http", "h",
                     80, false, "/%20%7B%7D%60%5E|", "q={}|^%20%27%22"},
        ValidUrlCase{"http://h/%zz%", "http://h/%zz%", "http", "h", 80, false,
                     "/%zz%", ""}));

struct InvalidUrlCase {
  const char* input;
  int error;
  // A substring the message must contain, so a wrong reason fails the test.
  const char* message_part;
};

class UrlInvalidTest : public testing::TestWithParam<InvalidUrlCase> {};

TEST_P(UrlInvalidTest, RejectsWithErrorAndMessage) {
  const InvalidUrlCase& c = GetParam();
  const Url url = Url::Parse(c.input);
  EXPECT_FALSE(url.is_valid()) << c.input << " parsed as " << url.spec();
  EXPECT_EQ(url.error(), c.error)
      << c.input << ": " << ErrorToString(url.error());
  EXPECT_NE(url.error_message().find(c.message_part), std::string::npos)
      << c.input << ": message was '" << url.error_message() << "'";
  // An invalid URL exposes nothing half-parsed.
  EXPECT_EQ(url.spec(), "");
  EXPECT_EQ(url.host(), "");
  EXPECT_EQ(url.port(), 0);
  EXPECT_FALSE(url.HostIsIPAddress());
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    UrlInvalidTest,
    testing::Values(
        InvalidUrlCase{"", ERR_INVALID_URL, "empty URL"},
        InvalidUrlCase{"example.com", ERR_INVALID_URL, "no scheme"},
        InvalidUrlCase{"/relative/path", ERR_INVALID_URL, "no scheme"},
        InvalidUrlCase{"ftp://example.com/", ERR_UNKNOWN_URL_SCHEME, "'ftp'"},
        InvalidUrlCase{"file:///etc/passwd", ERR_UNKNOWN_URL_SCHEME, "'file'"},
        InvalidUrlCase{"javascript:alert(1)", ERR_UNKNOWN_URL_SCHEME,
                       "'javascript'"},
        InvalidUrlCase{"data:text/plain,hi", ERR_UNKNOWN_URL_SCHEME, "'data'"},
        InvalidUrlCase{"http://", ERR_INVALID_URL, "no host"},
        InvalidUrlCase{"http://:80/", ERR_INVALID_URL, "no host"},
        InvalidUrlCase{"http://exa mple.com/", ERR_INVALID_URL, "space"},
        InvalidUrlCase{"http://exa%20mple.com/", ERR_INVALID_URL,
                       "forbidden space"},
        InvalidUrlCase{"http://exa%3Cmple.com/", ERR_INVALID_URL,
                       "forbidden '<'"},
        InvalidUrlCase{"http://a%00b.com/", ERR_INVALID_URL,
                       "forbidden control character 0x00"},
        InvalidUrlCase{"http://example.com:65536/", ERR_INVALID_URL,
                       "out of range"},
        InvalidUrlCase{"http://example.com:99999999999999999999/",
                       ERR_INVALID_URL, "out of range"},
        InvalidUrlCase{"http://example.com:0/", ERR_UNSAFE_PORT, "port 0"},
        InvalidUrlCase{"http://example.com:abc/", ERR_INVALID_URL,
                       "port is not a number"},
        InvalidUrlCase{"http://example.com:12ab/", ERR_INVALID_URL,
                       "port is not a number"},
        InvalidUrlCase{"http://example.com:-1/", ERR_INVALID_URL,
                       "port is not a number"},
        InvalidUrlCase{"1http://example.com/", ERR_INVALID_URL, "no scheme"},
        InvalidUrlCase{"http://user:pass@/", ERR_INVALID_URL,
                       "credentials but no host"},
        InvalidUrlCase{"http://[::1/", ERR_INVALID_URL, "invalid IPv6"},
        InvalidUrlCase{"http://[fe80::1%25eth0]/", ERR_INVALID_URL,
                       "invalid IPv6"},
        InvalidUrlCase{"http://[v1.abc]/", ERR_INVALID_URL, "invalid IPv6"},
        InvalidUrlCase{"http://[::1]x/", ERR_INVALID_URL, "invalid IPv6"},
        InvalidUrlCase{"http://1.2.3.4.5/", ERR_INVALID_URL,
                       "not a valid IPv4"},
        InvalidUrlCase{"http://0x100000000/", ERR_INVALID_URL,
                       "not a valid IPv4"},
        InvalidUrlCase{"http://1.256.0.0/", ERR_INVALID_URL,
                       "not a valid IPv4"},
        InvalidUrlCase{"http://09.1/", ERR_INVALID_URL, "not a valid IPv4"},
        InvalidUrlCase{"http://a%25b/", ERR_INVALID_URL, "forbidden '%'"},
        InvalidUrlCase{"http://a%7Cb/", ERR_INVALID_URL, "forbidden '|'"},
        InvalidUrlCase{"http://xn--/", ERR_INVALID_URL,
                       "internationalized host"},
        InvalidUrlCase{"http://\xE2\x80\x8D.example/", ERR_INVALID_URL,
                       "joiner"},
        InvalidUrlCase{"http://\xD9\x8A"
                       "a/",
                       ERR_INVALID_URL, "bidi"},
        // F8: hosts that UTS #46 maps to nothing; the empty-host check runs
        // after IDNA, so none of them becomes the empty site "http://".
        InvalidUrlCase{"http://\xC2\xAD/", ERR_INVALID_URL, "empty after IDNA"},
        InvalidUrlCase{"http://%C2%AD/", ERR_INVALID_URL, "empty after IDNA"},
        InvalidUrlCase{"https://\xE2\x81\xA0\xC2\xAD/", ERR_INVALID_URL,
                       "empty after IDNA"},
        InvalidUrlCase{"http://example.256/", ERR_INVALID_URL,
                       "not a valid IPv4"},
        InvalidUrlCase{"http://xn--zz.example/", ERR_INVALID_URL,
                       "internationalized host"},
        InvalidUrlCase{"http://a\xFF.com/", ERR_INVALID_URL,
                       "internationalized host"},
        InvalidUrlCase{"http://a\xEF\xBC\x8F"
                       "b.com/",
                       ERR_INVALID_URL, "forbidden '/'"}));

// WHATWG runs UTS #46 with VerifyDnsLength false: DNS's length limits are the
// resolver's business, not the parser's.
TEST(UrlTest, LongHostsAndLabelsParseAsBrowsersDo) {
  const std::string label(64, 'a');
  std::string host;
  while (host.size() < 300)
    host += label + ".";
  host += "com";
  const Url url = Url::Parse("https://" + host + "/");
  EXPECT_TRUE(url.is_valid()) << url.error_message();
  EXPECT_EQ(url.host(), host);
}

// F7: percent-decoded '"', '`', '{' and '}' are allowed in a WHATWG host, so
// the canonical spec carries them and must parse back to the same URL.
TEST(UrlTest, PercentDecodedPunctuationInHostRoundTrips) {
  for (const char* input :
       {"http://a%22b/", "http://a%60b/", "http://a%7Bb%7D/", "http://a\"b/"}) {
    const Url url = Url::Parse(input);
    ASSERT_TRUE(url.is_valid()) << input << ": " << url.error_message();
    const Url reparsed = Url::Parse(url.spec());
    ASSERT_TRUE(reparsed.is_valid()) << url.spec();
    EXPECT_EQ(reparsed.spec(), url.spec());
    EXPECT_EQ(reparsed.host(), url.host());
  }
  EXPECT_EQ(Url::Parse("http://a%22b/").host(), "a\"b");
}

TEST(UrlTest, ResolvesReferencesAgainstABase) {
  const Url base = Url::Parse("https://example.org:8443/a/b?q");
  EXPECT_EQ(Url::Resolve(base, "c").spec(), "https://example.org:8443/a/c");
  EXPECT_EQ(Url::Resolve(base, "../c?d").spec(),
            "https://example.org:8443/c?d");
  EXPECT_EQ(Url::Resolve(base, "/x").spec(), "https://example.org:8443/x");
  EXPECT_EQ(Url::Resolve(base, "\\x").spec(), "https://example.org:8443/x");
  EXPECT_EQ(Url::Resolve(base, "?z").spec(), "https://example.org:8443/a/b?z");
  EXPECT_EQ(Url::Resolve(base, "#f").spec(), base.spec());
  EXPECT_EQ(Url::Resolve(base, "//other.test/y").spec(),
            "https://other.test/y");
  EXPECT_EQ(Url::Resolve(base, "\\\\other.test").spec(), "https://other.test/");
  // Base's scheme without "//" is relative; another scheme is absolute.
  EXPECT_EQ(Url::Resolve(base, "https:c").spec(),
            "https://example.org:8443/a/c");
  EXPECT_EQ(Url::Resolve(base, "http:c").spec(), "http://c/");
  EXPECT_EQ(Url::Resolve(Url(), "https://a.test/").spec(), "https://a.test/");
  EXPECT_FALSE(Url::Resolve(Url(), "x").is_valid());
}

TEST(UrlTest, IPLiteralHostsAreFlagged) {
  EXPECT_TRUE(Url::Parse("http://10.0.0.1/").HostIsIPAddress());
  EXPECT_FALSE(Url::Parse("http://10.0.0.1/").HostIsIPv6());
  EXPECT_TRUE(Url::Parse("http://[::1]/").HostIsIPAddress());
  EXPECT_TRUE(Url::Parse("http://[::1]/").HostIsIPv6());
  EXPECT_FALSE(Url::Parse("http://example.com/").HostIsIPAddress());
}

TEST(UrlTest, SchemePredicates) {
  EXPECT_TRUE(Url::Parse("http://a.com/").SchemeIsHttpOrHttps());
  EXPECT_FALSE(Url::Parse("http://a.com/").SchemeIsCryptographic());
  EXPECT_TRUE(Url::Parse("https://a.com/").SchemeIsCryptographic());
  EXPECT_TRUE(Url::Parse("wss://a.com/").SchemeIsCryptographic());
  EXPECT_FALSE(Url::Parse("wss://a.com/").SchemeIsHttpOrHttps());
}

TEST(UrlTest, PathForRequestKeepsQuery) {
  EXPECT_EQ(Url::Parse("https://a.com/p?q=1#f").PathForRequest(), "/p?q=1");
  EXPECT_EQ(Url::Parse("https://a.com").PathForRequest(), "/");
}

TEST(UrlTest, DefaultPortForScheme) {
  EXPECT_EQ(Url::DefaultPortForScheme("http"), 80);
  EXPECT_EQ(Url::DefaultPortForScheme("ws"), 80);
  EXPECT_EQ(Url::DefaultPortForScheme("https"), 443);
  EXPECT_EQ(Url::DefaultPortForScheme("wss"), 443);
  EXPECT_EQ(Url::DefaultPortForScheme("ftp"), 0);
}

TEST(UrlTest, DefaultConstructedUrlIsInvalid) {
  const Url url;
  EXPECT_FALSE(url.is_valid());
  EXPECT_EQ(url.error(), ERR_INVALID_URL);
  EXPECT_EQ(url.error_message(), "empty URL");
}

TEST(UrlTest, EqualityComparesCanonicalSpecs) {
  EXPECT_EQ(Url::Parse("HTTP://A.com:80"), Url::Parse("http://a.com/"));
  EXPECT_FALSE(Url::Parse("http://a.com/") == Url::Parse("https://a.com/"));
}

TEST(UrlTest, NeverCrashesOnArbitraryBytes) {
  // Every single byte value in each position of a small URL: the parser must
  // return a result for each, valid or not, and a message whenever it is
  // invalid.
  const std::string base = "http://a.b:1/c?d";
  for (size_t position = 0; position <= base.size(); ++position) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string input = base;
      input.insert(position, 1, static_cast<char>(byte));
      const Url url = Url::Parse(input);
      if (!url.is_valid()) {
        EXPECT_FALSE(url.error_message().empty()) << position << " " << byte;
        continue;
      }
      // The canonical form parses back to itself, with a host.
      EXPECT_FALSE(url.host().empty()) << position << " " << byte;
      EXPECT_EQ(Url::Parse(url.spec()).spec(), url.spec())
          << position << " " << byte;
    }
  }
}

}  // namespace
}  // namespace net
