#include "socket_pool/http2_session_pool.h"

#include <vector>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "socket_pool/http2_origin_cache.h"
#include "socket_pool/preconnect_outcome.h"
#include "unittests/socket_pool/socket_pool_test_base.h"

namespace net {
namespace {

class Http2OriginCacheTest : public SocketPoolTestBase {};

TEST_F(Http2OriginCacheTest, WhatOnePartitionLearnedStaysInIt) {
  Http2OriginCache cache;
  const GroupId under_a = Key("cdn.test", 443, PrivacyMode::kDisabled, "https",
                              SameSiteNak("https://a.test"));
  cache.OnProtocolNegotiated(under_a, "h2");
  EXPECT_TRUE(cache.SpeaksHttp2(under_a));
  // The same origin under another top-frame site, or in a cross-site frame.
  EXPECT_FALSE(cache.SpeaksHttp2(Key("cdn.test", 443, PrivacyMode::kDisabled,
                                     "https", SameSiteNak("https://b.test"))));
  EXPECT_FALSE(cache.SpeaksHttp2(Key("cdn.test", 443, PrivacyMode::kDisabled,
                                     "https", CrossSiteNak("https://a.test"))));
  // Another port or scheme is another origin.
  EXPECT_FALSE(cache.SpeaksHttp2(Key("cdn.test", 8443, PrivacyMode::kDisabled,
                                     "https", SameSiteNak("https://a.test"))));
  // ALPN is the same handshake in every privacy mode.
  EXPECT_TRUE(cache.SpeaksHttp2(Key("cdn.test", 443, PrivacyMode::kEnabled,
                                    "https", SameSiteNak("https://a.test"))));
}

TEST_F(Http2OriginCacheTest, AnOriginThatNegotiatesHttp11IsForgotten) {
  Http2OriginCache cache;
  const GroupId key = Key("cdn.test");
  cache.OnProtocolNegotiated(key, "h2");
  cache.OnProtocolNegotiated(key, "http/1.1");
  EXPECT_FALSE(cache.SpeaksHttp2(key));
  EXPECT_EQ(0u, cache.size());
}

TEST_F(Http2OriginCacheTest, OldestEntriesGoFirstWhenFull) {
  Http2OriginCache cache(2);
  cache.OnProtocolNegotiated(Key("a.test"), "h2");
  cache.OnProtocolNegotiated(Key("b.test"), "h2");
  cache.OnProtocolNegotiated(Key("a.test"), "h2");  // Now the newest.
  cache.OnProtocolNegotiated(Key("c.test"), "h2");
  EXPECT_TRUE(cache.SpeaksHttp2(Key("a.test")));
  EXPECT_FALSE(cache.SpeaksHttp2(Key("b.test")));
  EXPECT_TRUE(cache.SpeaksHttp2(Key("c.test")));
  EXPECT_EQ(2u, cache.size());
}

// The pool's HTTP/2-aware preconnect, with real loopback sockets that play
// the ALPN result.
class Http2PreconnectTest : public SocketPoolTestBase {
 protected:
  Http2PreconnectTest() {
    SocketPoolConfig config;
    config.max_sockets_per_group = 6;
    config.max_sockets_total = 32;
    CreateManager(config);
    factory_.set_negotiated_protocol("h2");
  }

  int CountOutcomes(PreconnectOutcome outcome) const {
    int n = 0;
    for (const auto& entry : observer_.outcomes)
      n += entry.outcome == outcome;
    return n;
  }
};

TEST_F(Http2PreconnectTest, FirstH2ConnectionCancelsTheGroupsOtherPreconnects) {
  const GroupId key = Key("cdn.test");
  ASSERT_EQ(4u, Preconnect(key, 4).preconnect_ids.size());
  EXPECT_EQ(4, manager_->ConnectingSocketCountInGroup(key));
  ASSERT_TRUE(factory_.ReleaseNext());
  RunUntilIdle();
  EXPECT_EQ(0, manager_->ConnectingSocketCountInGroup(key));
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(key));
  EXPECT_EQ(3, CountOutcomes(PreconnectOutcome::kFlushed));
}

TEST_F(Http2PreconnectTest, JobsThatWaitingRequestsNeedAreKept) {
  const GroupId key = Key("cdn.test");
  ASSERT_EQ(3u, Preconnect(key, 3).preconnect_ids.size());
  TestRequest first, second;
  EXPECT_EQ(ERR_IO_PENDING, Request(key, MEDIUM, &first));
  EXPECT_EQ(ERR_IO_PENDING, Request(key, MEDIUM, &second));
  ASSERT_TRUE(factory_.ReleaseNext());
  RunUntilIdle();
  EXPECT_TRUE(first.callback_ran);
  EXPECT_EQ(OK, first.result);
  // One job still covers the second request; the third was surplus.
  EXPECT_EQ(1, manager_->ConnectingSocketCountInGroup(key));
  EXPECT_EQ(1, CountOutcomes(PreconnectOutcome::kFlushed));
}

TEST_F(Http2PreconnectTest, AnHttp11ConnectionCancelsNothing) {
  factory_.set_negotiated_protocol("http/1.1");
  const GroupId key = Key("cdn.test");
  ASSERT_EQ(3u, Preconnect(key, 3).preconnect_ids.size());
  ASSERT_TRUE(factory_.ReleaseNext());
  RunUntilIdle();
  EXPECT_EQ(2, manager_->ConnectingSocketCountInGroup(key));
  EXPECT_EQ(0, CountOutcomes(PreconnectOutcome::kFlushed));
}

TEST_F(Http2PreconnectTest, KnownH2OriginGetsOneConnectionWhateverTheCount) {
  const GroupId key = Key("cdn.test", 443, PrivacyMode::kDisabled, "https",
                          SameSiteNak("https://a.test"));
  manager_->http2_sessions()->origin_cache().OnProtocolNegotiated(key, "h2");
  EXPECT_EQ(1u, Preconnect(key, 4).preconnect_ids.size());
  // Repeating it tops nothing up: the group already has its one.
  EXPECT_EQ(0u, Preconnect(key, 4).preconnect_ids.size());
  // The same origin in another partition is not known to speak h2.
  const GroupId other = Key("cdn.test", 443, PrivacyMode::kDisabled, "https",
                            SameSiteNak("https://b.test"));
  EXPECT_EQ(4u, Preconnect(other, 4).preconnect_ids.size());
}

}  // namespace
}  // namespace net
