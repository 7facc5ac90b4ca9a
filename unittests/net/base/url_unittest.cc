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
                     "example.com.", 80, false, "/", ""}));

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
        InvalidUrlCase{"1http://example.com/", ERR_INVALID_URL,
                       "invalid scheme"},
        InvalidUrlCase{"http:example.com", ERR_INVALID_URL, "no host"},
        InvalidUrlCase{"http://", ERR_INVALID_URL, "no host"},
        InvalidUrlCase{"http:///path", ERR_INVALID_URL, "no host"},
        InvalidUrlCase{"http://:80/", ERR_INVALID_URL, "no host"},
        InvalidUrlCase{"http://exa mple.com/", ERR_INVALID_URL, "space"},
        InvalidUrlCase{" http://example.com/", ERR_INVALID_URL, "space"},
        InvalidUrlCase{"http://example.com/\n", ERR_INVALID_URL,
                       "control character 0x0A"},
        InvalidUrlCase{"http://exa\tmple.com/", ERR_INVALID_URL,
                       "control character 0x09"},
        InvalidUrlCase{"http://example.com\\path", ERR_INVALID_URL,
                       "backslash"},
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
        InvalidUrlCase{"http://[::1/", ERR_INVALID_URL, "malformed URL"},
        InvalidUrlCase{"http://[fe80::1%25eth0]/", ERR_INVALID_URL,
                       "malformed URL"},
        InvalidUrlCase{"http://[v1.abc]/", ERR_INVALID_URL, "IPvFuture"},
        InvalidUrlCase{"http://1.2.3.4.5/", ERR_INVALID_URL, "malformed host"},
        InvalidUrlCase{"http://example.256/", ERR_INVALID_URL,
                       "not a valid IPv4"},
        InvalidUrlCase{"http://xn--zz.example/", ERR_INVALID_URL,
                       "internationalized host"},
        InvalidUrlCase{"http://\xE2\x98\x83.com/", ERR_INVALID_URL,
                       "internationalized host"},
        InvalidUrlCase{"http://a\xFF.com/", ERR_INVALID_URL,
                       "internationalized host"},
        InvalidUrlCase{"http://a\xEF\xBC\x8F"
                       "b.com/",
                       ERR_INVALID_URL, "forbidden '/' under IDNA"}));

TEST(UrlTest, RejectsHostLongerThan253Characters) {
  std::string host;
  while (host.size() < 254)
    host += "abcdefghi.";
  host += "com";
  const Url url = Url::Parse("https://" + host + "/");
  EXPECT_EQ(url.error(), ERR_INVALID_URL);
  EXPECT_NE(url.error_message().find("the limit is 253"), std::string::npos)
      << url.error_message();
}

TEST(UrlTest, AcceptsHostOfExactly253Characters) {
  // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253.
  const std::string host = std::string(63, 'a') + "." + std::string(63, 'b') +
                           "." + std::string(63, 'c') + "." +
                           std::string(61, 'd');
  ASSERT_EQ(host.size(), 253u);
  const Url url = Url::Parse("https://" + host + "/");
  EXPECT_TRUE(url.is_valid()) << url.error_message();
  EXPECT_EQ(url.host(), host);
}

TEST(UrlTest, RejectsLabelLongerThan63Characters) {
  const Url url =
      Url::Parse("https://" + std::string(64, 'a') + ".example.com/");
  EXPECT_EQ(url.error(), ERR_INVALID_URL);
  EXPECT_NE(url.error_message().find("64 characters long (the limit is 63)"),
            std::string::npos)
      << url.error_message();
}

TEST(UrlTest, AcceptsLabelOfExactly63Characters) {
  const Url url =
      Url::Parse("https://" + std::string(63, 'a') + ".example.com/");
  EXPECT_TRUE(url.is_valid()) << url.error_message();
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
      }
    }
  }
}

}  // namespace
}  // namespace net
