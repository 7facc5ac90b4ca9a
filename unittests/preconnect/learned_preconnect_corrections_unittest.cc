#include "preconnect/learned_preconnect_corrections.h"

#include <string>

#include "gtest/gtest.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "net/base/url.h"

namespace prewarm {
namespace {

using net::PrivacyMode;

net::SchemefulSite Site(const std::string& spec) {
  return net::SchemefulSite(net::Url::Parse(spec));
}

net::Origin Origin(const std::string& spec) {
  return net::Origin::Create(net::Url::Parse(spec));
}

RequestPartition Partition(PrivacyMode mode, const char* top, bool cross) {
  RequestPartition partition;
  partition.privacy_mode = mode;
  partition.network_anonymization_key =
      net::NetworkAnonymizationKey(Site(top), cross);
  partition.credentials_allowed =
      mode != PrivacyMode::kEnabledWithoutClientCerts;
  return partition;
}

const RequestPartition kSearchPage =
    Partition(PrivacyMode::kDisabled, "https://search.example", false);
const RequestPartition kResultSite =
    Partition(PrivacyMode::kDisabled, "https://result.example", false);
const RequestPartition kAnonymous =
    Partition(PrivacyMode::kEnabledWithoutClientCerts,
              "https://search.example",
              false);

class LearnedPreconnectCorrectionsTest : public ::testing::Test {
 protected:
  // One page view that made one request.
  void Record(LearnedPreconnectCorrections& table,
              const std::string& origin,
              PreconnectPurpose purpose,
              const RequestPartition& partition) {
    table.RecordRequest(Site("https://search.example"), Origin(origin), purpose,
                        partition, now_);
    table.EndPageView(now_);
  }

  // One page view that hinted `origin` and requested `requested` ("" for
  // nothing).
  void HintPageView(LearnedPreconnectCorrections& table,
                    const std::string& origin,
                    const std::string& requested,
                    const RequestPartition& partition) {
    table.RecordHint(Site("https://search.example"), Origin(origin));
    if (!requested.empty()) {
      table.RecordRequest(Site("https://search.example"), Origin(requested),
                          PreconnectPurpose::kSubresource, partition, now_);
    }
    table.EndPageView(now_);
  }

  uint32_t Unfollowed(const LearnedPreconnectCorrections& table,
                      const std::string& origin) {
    return table.UnfollowedHintCount(Site("https://search.example"),
                                     Origin(origin), now_);
  }

  std::optional<LearnedPreconnectCorrections::Correction> Lookup(
      const LearnedPreconnectCorrections& table,
      const std::string& origin,
      const RequestPartition& guess) {
    return table.CorrectionFor(Site("https://search.example"), Origin(origin),
                               guess, now_);
  }

  absl::Time now_ = absl::UnixEpoch() + absl::Hours(100);
};

TEST_F(LearnedPreconnectCorrectionsTest, EmptyTableCorrectsNothing) {
  LearnedPreconnectCorrections table;
  EXPECT_FALSE(Lookup(table, "https://result.example", kSearchPage));
}

TEST_F(LearnedPreconnectCorrectionsTest, WrongGuessMovesToTheObservedKey) {
  LearnedPreconnectCorrections table;
  Record(table, "https://result.example", PreconnectPurpose::kNavigation,
         kResultSite);
  auto correction = Lookup(table, "https://result.example", kSearchPage);
  ASSERT_TRUE(correction);
  EXPECT_EQ(correction->purpose, PreconnectPurpose::kNavigation);
  EXPECT_EQ(correction->partition, kResultSite);
}

TEST_F(LearnedPreconnectCorrectionsTest, RightGuessStands) {
  LearnedPreconnectCorrections table;
  Record(table, "https://result.example", PreconnectPurpose::kNavigation,
         kResultSite);
  EXPECT_FALSE(Lookup(table, "https://result.example", kResultSite));
}

TEST_F(LearnedPreconnectCorrectionsTest, KeyedByTopFrameSiteAndOrigin) {
  LearnedPreconnectCorrections table;
  Record(table, "https://result.example", PreconnectPurpose::kNavigation,
         kResultSite);
  // Another port is another origin.
  EXPECT_FALSE(Lookup(table, "https://result.example:8443", kSearchPage));
  EXPECT_FALSE(table.CorrectionFor(Site("https://other.example"),
                                   Origin("https://result.example"),
                                   kSearchPage, now_));
}

TEST_F(LearnedPreconnectCorrectionsTest, MixedUsesKeepAGuessThatMatchesAny) {
  // A font origin used both by an anonymous font and a credentialed stylesheet:
  // either guess is right for one of them.
  LearnedPreconnectCorrections table;
  Record(table, "https://fonts.example", PreconnectPurpose::kSubresource,
         kSearchPage);
  Record(table, "https://fonts.example", PreconnectPurpose::kSubresource,
         kAnonymous);
  EXPECT_FALSE(Lookup(table, "https://fonts.example", kSearchPage));
  EXPECT_FALSE(Lookup(table, "https://fonts.example", kAnonymous));
  auto correction = Lookup(table, "https://fonts.example", kResultSite);
  ASSERT_TRUE(correction);
}

TEST_F(LearnedPreconnectCorrectionsTest, ConflictingObservationsMostUsedWins) {
  LearnedPreconnectCorrections table;
  for (int i = 0; i < 3; ++i) {
    Record(table, "https://api.example", PreconnectPurpose::kSubresource,
           kSearchPage);
  }
  now_ += absl::Seconds(1);
  Record(table, "https://api.example", PreconnectPurpose::kSubresource,
         kAnonymous);
  RequestPartition guess =
      Partition(PrivacyMode::kEnabled, "https://search.example", false);
  EXPECT_EQ(Lookup(table, "https://api.example", guess)->partition,
            kSearchPage);
  // Once the other key is used more, it takes over.
  for (int i = 0; i < 3; ++i) {
    Record(table, "https://api.example", PreconnectPurpose::kSubresource,
           kAnonymous);
  }
  EXPECT_EQ(Lookup(table, "https://api.example", guess)->partition, kAnonymous);
}

TEST_F(LearnedPreconnectCorrectionsTest, EqualCountsPreferTheMostRecent) {
  LearnedPreconnectCorrections table;
  Record(table, "https://api.example", PreconnectPurpose::kSubresource,
         kSearchPage);
  now_ += absl::Seconds(1);
  Record(table, "https://api.example", PreconnectPurpose::kNavigation,
         kResultSite);
  RequestPartition guess =
      Partition(PrivacyMode::kEnabled, "https://search.example", false);
  auto correction = Lookup(table, "https://api.example", guess);
  ASSERT_TRUE(correction);
  EXPECT_EQ(correction->partition, kResultSite);
  EXPECT_EQ(correction->purpose, PreconnectPurpose::kNavigation);
}

TEST_F(LearnedPreconnectCorrectionsTest, ObservationsDecayAfterMaxAge) {
  LearnedPreconnectCorrections table({.max_age = absl::Hours(1)});
  Record(table, "https://result.example", PreconnectPurpose::kNavigation,
         kResultSite);
  now_ += absl::Minutes(59);
  EXPECT_TRUE(Lookup(table, "https://result.example", kSearchPage));
  now_ += absl::Minutes(1);
  EXPECT_FALSE(Lookup(table, "https://result.example", kSearchPage));
}

TEST_F(LearnedPreconnectCorrectionsTest, StaleKeyNoLongerKeepsAWrongGuess) {
  LearnedPreconnectCorrections table({.max_age = absl::Hours(1)});
  Record(table, "https://api.example", PreconnectPurpose::kSubresource,
         kSearchPage);
  now_ += absl::Minutes(50);
  Record(table, "https://api.example", PreconnectPurpose::kSubresource,
         kAnonymous);
  now_ += absl::Minutes(20);
  // kSearchPage was last seen 70 minutes ago: only kAnonymous counts now.
  auto correction = Lookup(table, "https://api.example", kSearchPage);
  ASSERT_TRUE(correction);
  EXPECT_EQ(correction->partition, kAnonymous);
}

TEST_F(LearnedPreconnectCorrectionsTest, CapDropsTheLeastRecentlyObserved) {
  LearnedPreconnectCorrections table({.max_entries = 2});
  Record(table, "https://a.example", PreconnectPurpose::kNavigation,
         kResultSite);
  Record(table, "https://b.example", PreconnectPurpose::kNavigation,
         kResultSite);
  // Observing a again makes b the least recent.
  Record(table, "https://a.example", PreconnectPurpose::kNavigation,
         kResultSite);
  Record(table, "https://c.example", PreconnectPurpose::kNavigation,
         kResultSite);
  EXPECT_EQ(table.size(), 2u);
  EXPECT_TRUE(Lookup(table, "https://a.example", kSearchPage));
  EXPECT_FALSE(Lookup(table, "https://b.example", kSearchPage));
  EXPECT_TRUE(Lookup(table, "https://c.example", kSearchPage));
}

TEST_F(LearnedPreconnectCorrectionsTest, LookupsDoNotKeepAnEntryAlive) {
  LearnedPreconnectCorrections table({.max_entries = 2});
  Record(table, "https://a.example", PreconnectPurpose::kNavigation,
         kResultSite);
  Record(table, "https://b.example", PreconnectPurpose::kNavigation,
         kResultSite);
  EXPECT_TRUE(Lookup(table, "https://a.example", kSearchPage));
  Record(table, "https://c.example", PreconnectPurpose::kNavigation,
         kResultSite);
  EXPECT_FALSE(Lookup(table, "https://a.example", kSearchPage));
}

TEST_F(LearnedPreconnectCorrectionsTest, KeysPerEntryAreCapped) {
  LearnedPreconnectCorrections table({.max_keys_per_entry = 2});
  Record(table, "https://api.example", PreconnectPurpose::kSubresource,
         kSearchPage);
  now_ += absl::Seconds(1);
  Record(table, "https://api.example", PreconnectPurpose::kSubresource,
         kAnonymous);
  now_ += absl::Seconds(1);
  Record(table, "https://api.example", PreconnectPurpose::kNavigation,
         kResultSite);
  // kSearchPage, the least recently seen, was dropped: guessing it is now
  // corrected.
  EXPECT_TRUE(Lookup(table, "https://api.example", kSearchPage));
  EXPECT_FALSE(Lookup(table, "https://api.example", kAnonymous));
  EXPECT_FALSE(Lookup(table, "https://api.example", kResultSite));
}

TEST_F(LearnedPreconnectCorrectionsTest, OpaqueOriginsAreNotRecorded) {
  LearnedPreconnectCorrections table;
  table.RecordRequest(Site("https://search.example"),
                      net::Origin::CreateOpaque(),
                      PreconnectPurpose::kSubresource, kSearchPage, now_);
  EXPECT_EQ(table.size(), 0u);
}

TEST_F(LearnedPreconnectCorrectionsTest, ClearForgetsEverything) {
  LearnedPreconnectCorrections table;
  Record(table, "https://result.example", PreconnectPurpose::kNavigation,
         kResultSite);
  table.Clear();
  EXPECT_EQ(table.size(), 0u);
  EXPECT_FALSE(Lookup(table, "https://result.example", kSearchPage));
}

// Section 7 amendment: a page view learns only for later page views.
TEST_F(LearnedPreconnectCorrectionsTest,
       RequestsCountOnlyOnceTheirPageViewEnds) {
  LearnedPreconnectCorrections table;
  table.RecordRequest(Site("https://search.example"),
                      Origin("https://result.example"),
                      PreconnectPurpose::kNavigation, kResultSite, now_);
  // The same page view's hint is not corrected by its own request.
  EXPECT_FALSE(Lookup(table, "https://result.example", kSearchPage));
  EXPECT_EQ(0u, table.size());
  EXPECT_EQ(1u, table.pending_count());
  table.EndPageView(now_);
  EXPECT_EQ(0u, table.pending_count());
  EXPECT_TRUE(Lookup(table, "https://result.example", kSearchPage));
}

TEST_F(LearnedPreconnectCorrectionsTest, PendingNotesAreBounded) {
  LearnedPreconnectCorrections table;
  for (size_t i = 0; i < LearnedPreconnectCorrections::kMaxPendingNotes + 10;
       ++i) {
    table.RecordRequest(Site("https://search.example"),
                        Origin("https://result.example"),
                        PreconnectPurpose::kNavigation, kResultSite, now_);
    table.RecordHint(Site("https://search.example"),
                     Origin("https://h" + std::to_string(i) + ".example"));
  }
  EXPECT_EQ(2 * LearnedPreconnectCorrections::kMaxPendingNotes,
            table.pending_count());
}

// Section 10: consecutive page views that hinted an origin and never
// requested it.
TEST_F(LearnedPreconnectCorrectionsTest, UnfollowedHintsCountUpAndResetOnUse) {
  LearnedPreconnectCorrections table;
  EXPECT_EQ(0u, Unfollowed(table, "https://maybe.example"));
  HintPageView(table, "https://maybe.example", "", kSearchPage);
  EXPECT_EQ(1u, Unfollowed(table, "https://maybe.example"));
  // Hinting twice in one page view counts once.
  table.RecordHint(Site("https://search.example"),
                   Origin("https://maybe.example"));
  HintPageView(table, "https://maybe.example", "", kSearchPage);
  EXPECT_EQ(2u, Unfollowed(table, "https://maybe.example"));
  HintPageView(table, "https://maybe.example", "https://maybe.example",
               kSearchPage);
  EXPECT_EQ(0u, Unfollowed(table, "https://maybe.example"));
  // A page view that requests the origin without hinting it resets it too.
  HintPageView(table, "https://maybe.example", "", kSearchPage);
  table.RecordRequest(Site("https://search.example"),
                      Origin("https://maybe.example"),
                      PreconnectPurpose::kSubresource, kSearchPage, now_);
  table.EndPageView(now_);
  EXPECT_EQ(0u, Unfollowed(table, "https://maybe.example"));
  // Other sites are counted apart.
  EXPECT_EQ(0u,
            table.UnfollowedHintCount(Site("https://other.example"),
                                      Origin("https://maybe.example"), now_));
}

TEST_F(LearnedPreconnectCorrectionsTest, UnfollowedHintsDecay) {
  LearnedPreconnectCorrections table;
  HintPageView(table, "https://maybe.example", "", kSearchPage);
  HintPageView(table, "https://maybe.example", "", kSearchPage);
  ASSERT_EQ(2u, Unfollowed(table, "https://maybe.example"));
  now_ += absl::Hours(24 * 7);
  EXPECT_EQ(0u, Unfollowed(table, "https://maybe.example"));
  HintPageView(table, "https://maybe.example", "", kSearchPage);
  EXPECT_EQ(1u, Unfollowed(table, "https://maybe.example"));
}

}  // namespace
}  // namespace prewarm
