#include "net/base/schemeful_site.h"

#include "gtest/gtest.h"
#include "net/base/origin.h"
#include "net/base/url.h"

namespace net {
namespace {

struct SiteCase {
  const char* url;
  const char* site;
};

class SchemefulSiteTableTest : public testing::TestWithParam<SiteCase> {};

TEST_P(SchemefulSiteTableTest, SerializesToSchemeAndRegistrableDomain) {
  const SiteCase& c = GetParam();
  const SchemefulSite site(Url::Parse(c.url));
  EXPECT_FALSE(site.opaque());
  EXPECT_EQ(site.Serialize(), c.site) << c.url;
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    SchemefulSiteTableTest,
    testing::Values(
        SiteCase{"https://www.example.com/", "https://example.com"},
        SiteCase{"https://a.b.c.example.com:8443/", "https://example.com"},
        SiteCase{"http://example.com/", "http://example.com"},
        // ICANN multi-label suffix.
        SiteCase{"https://www.example.co.uk/", "https://example.co.uk"},
        SiteCase{"https://co.uk/", "https://co.uk"},
        // PSL private section.
        SiteCase{"https://a.github.io/", "https://a.github.io"},
        SiteCase{"https://x.a.github.io/", "https://a.github.io"},
        SiteCase{"https://github.io/", "https://github.io"},
        SiteCase{"https://foo.blogspot.com/", "https://foo.blogspot.com"},
        // Unknown TLD: PSL's default "*" rule makes the TLD the suffix.
        SiteCase{"https://news.example/", "https://news.example"},
        SiteCase{"https://cdn.news.example/", "https://news.example"},
        SiteCase{"https://example/", "https://example"},
        // IDNA hosts are looked up in punycode form.
        SiteCase{"https://www.b\xC3\xBC"
                 "cher.example/",
                 "https://xn--bcher-kva.example"},
        // Hosts without a registrable domain stand for themselves.
        SiteCase{"http://localhost:8080/", "http://localhost"},
        SiteCase{"http://127.0.0.1:8080/", "http://127.0.0.1"},
        SiteCase{"http://[2001:db8::1]/", "http://[2001:db8::1]"},
        // WebSockets share the site of their HTTP counterpart.
        SiteCase{"ws://chat.example.com/", "http://example.com"},
        SiteCase{"wss://chat.example.com/", "https://example.com"}));

TEST(SchemefulSiteTest, PrivateRegistrySubdomainsAreDifferentSites) {
  EXPECT_NE(SchemefulSite(Url::Parse("https://a.github.io/")),
            SchemefulSite(Url::Parse("https://b.github.io/")));
  EXPECT_EQ(SchemefulSite(Url::Parse("https://x.a.github.io/")),
            SchemefulSite(Url::Parse("https://a.github.io/")));
}

TEST(SchemefulSiteTest, PortIsIgnoredButSchemeIsNot) {
  EXPECT_EQ(SchemefulSite(Url::Parse("https://a.example.com:1/")),
            SchemefulSite(Url::Parse("https://b.example.com:2/")));
  EXPECT_NE(SchemefulSite(Url::Parse("https://example.com/")),
            SchemefulSite(Url::Parse("http://example.com/")));
}

TEST(SchemefulSiteTest, AccessorsExposeSchemeAndDomain) {
  const SchemefulSite site(Url::Parse("https://www.example.co.uk/"));
  EXPECT_EQ(site.scheme(), "https");
  EXPECT_EQ(site.registrable_domain(), "example.co.uk");
}

TEST(SchemefulSiteTest, DefaultSiteIsEmpty) {
  const SchemefulSite site;
  EXPECT_TRUE(site.is_empty());
  EXPECT_FALSE(site.opaque());
  EXPECT_EQ(site.Serialize(), "");
}

TEST(SchemefulSiteTest, InvalidUrlGivesOpaqueSiteEqualOnlyToItself) {
  const SchemefulSite first(Url::Parse("not a url"));
  const SchemefulSite second(Url::Parse("not a url"));
  EXPECT_TRUE(first.opaque());
  EXPECT_FALSE(first.is_empty());
  EXPECT_EQ(first.Serialize(), "null");
  EXPECT_EQ(first, first);
  EXPECT_NE(first, second);
}

TEST(SchemefulSiteTest, OpaqueOriginKeepsItsIdentityInTheSite) {
  const Origin opaque;
  EXPECT_EQ(SchemefulSite(opaque), SchemefulSite(opaque));
  EXPECT_NE(SchemefulSite(opaque), SchemefulSite(Origin()));
}

TEST(SchemefulSiteTest, SiteFromOriginMatchesSiteFromUrl) {
  const Url url = Url::Parse("https://sub.example.co.uk:8443/p");
  EXPECT_EQ(SchemefulSite(Origin::Create(url)), SchemefulSite(url));
}

}  // namespace
}  // namespace net
