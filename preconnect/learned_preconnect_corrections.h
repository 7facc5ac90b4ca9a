#ifndef PRECONNECT_LEARNED_PRECONNECT_CORRECTIONS_H_
#define PRECONNECT_LEARNED_PRECONNECT_CORRECTIONS_H_

#include <cstdint>
#include <list>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "net/base/origin.h"
#include "net/base/schemeful_site.h"
#include "preconnect/preconnect_request.h"
#include "privacy/request_partition.h"

namespace prewarm {

// The learned correction of docs/pool-selection.md section 7: per (top-frame
// site of the page, target origin), the group keys (privacy mode + NAK) that
// real requests to that origin used while such a page was shown. A preconnect
// whose purpose was not explicit asks for a correction: if its guessed key is
// one real requests used, it stands; otherwise it moves to the key real
// requests used most often (ties: most recently). Only new preconnects are
// affected; nothing here touches a socket.
//
// Memory is bounded: at most `max_entries` (site, origin) entries, least
// recently observed dropped first, each keeping at most `max_keys_per_entry`
// keys (the least recently seen dropped first). Observations decay: a key not
// seen for `max_age` no longer counts and is dropped on the next observation
// of its entry. Lookups do not refresh an entry: only real requests keep it
// alive. Lives on the network thread; times come from its TickClock.
//
// Page views (section 7 amendment): RecordRequest and RecordHint only note
// what the current page view did; EndPageView (its main-frame document is
// replaced or closed) turns the notes into corrections, so a hint is never
// corrected by requests of its own page view. At most kMaxPendingNotes notes
// are kept per page view (later ones are dropped).
//
// The preconnect budget (section 10) is kept in the same entries: per (site,
// origin), the consecutive ended page views that hinted the origin and never
// requested it; a page view that requested it resets the count. It decays
// like the keys (a count whose last hint is older than `max_age` is 0).
class LearnedPreconnectCorrections {
 public:
  struct Options {
    size_t max_entries = 1024;
    size_t max_keys_per_entry = 4;
    absl::Duration max_age = absl::Hours(24 * 7);
  };

  // What a preconnect should be made as instead of its guess.
  struct Correction {
    PreconnectPurpose purpose = PreconnectPurpose::kSubresource;
    RequestPartition partition;
  };

  LearnedPreconnectCorrections();
  explicit LearnedPreconnectCorrections(Options options);
  LearnedPreconnectCorrections(const LearnedPreconnectCorrections&) = delete;
  LearnedPreconnectCorrections& operator=(const LearnedPreconnectCorrections&) =
      delete;
  ~LearnedPreconnectCorrections();

  static constexpr size_t kMaxPendingNotes = 4096;

  // A real request to `target` used `partition` while a page on
  // `top_frame_site` was shown. `purpose` is kSubresource for requests of the
  // page's documents (subframe navigations included) and kNavigation for the
  // main-frame navigation that left the page. Opaque origins and sites are
  // ignored.
  void RecordRequest(const net::SchemefulSite& top_frame_site,
                     const net::Origin& target,
                     PreconnectPurpose purpose,
                     const RequestPartition& partition,
                     absl::Time now);

  // A preconnect hint to `target` (any purpose) from a page on
  // `top_frame_site`, for the budget.
  void RecordHint(const net::SchemefulSite& top_frame_site,
                  const net::Origin& target);

  // The current page view ended: its requests and hints take effect.
  void EndPageView(absl::Time now);

  // The consecutive ended page views on `top_frame_site` that hinted
  // `target` and never requested it (0 when stale).
  uint32_t UnfollowedHintCount(const net::SchemefulSite& top_frame_site,
                               const net::Origin& target,
                               absl::Time now) const;

  // The correction for a preconnect guessed as `guess`, or nullopt if there is
  // nothing fresh to go on or the guess matches a key real requests used.
  std::optional<Correction> CorrectionFor(
      const net::SchemefulSite& top_frame_site,
      const net::Origin& target,
      const RequestPartition& guess,
      absl::Time now) const;

  size_t size() const { return entries_.size(); }
  size_t pending_count() const {
    return pending_requests_.size() + pending_hints_.size();
  }
  void Clear();

 private:
  struct Key {
    net::SchemefulSite top_frame_site;
    net::Origin target;
    friend bool operator==(const Key&, const Key&) = default;
    template <typename H>
    friend H AbslHashValue(H h, const Key& key) {
      return H::combine(std::move(h), key.top_frame_site, key.target);
    }
  };
  struct Observation {
    PreconnectPurpose purpose;
    RequestPartition partition;
    uint32_t count = 0;
    absl::Time last_seen;
  };
  struct Entry {
    Key key;
    std::vector<Observation> observations;
    // The budget (section 10).
    uint32_t unfollowed_hints = 0;
    absl::Time last_hinted;
  };
  using Lru = std::list<Entry>;
  struct PendingRequest {
    Key key;
    PreconnectPurpose purpose;
    RequestPartition partition;
    absl::Time time;
  };

  // The entry for `key`, made (evicting the least recently observed one) if
  // needed, moved to the front.
  Entry& Touch(const Key& key);
  void Observe(const PendingRequest& request);

  bool IsFresh(const Observation& observation, absl::Time now) const {
    return now - observation.last_seen < options_.max_age;
  }

  const Options options_;
  // Most recently observed first.
  Lru lru_;
  absl::flat_hash_map<Key, Lru::iterator> entries_;
  // The current page view's notes.
  std::vector<PendingRequest> pending_requests_;
  std::vector<Key> pending_hints_;
};

}  // namespace prewarm

#endif  // PRECONNECT_LEARNED_PRECONNECT_CORRECTIONS_H_
