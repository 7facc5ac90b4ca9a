#include "preconnect/learned_preconnect_corrections.h"

#include <algorithm>
#include <utility>

#include "net/base/check.h"

namespace prewarm {

namespace {

// Only the group-key fields count: two requests that share a group are the
// same observation whatever their cookie decision was.
bool SameGroupKey(const RequestPartition& a, const RequestPartition& b) {
  return a.privacy_mode == b.privacy_mode &&
         a.network_anonymization_key == b.network_anonymization_key;
}

}  // namespace

LearnedPreconnectCorrections::LearnedPreconnectCorrections()
    : LearnedPreconnectCorrections(Options()) {}

LearnedPreconnectCorrections::LearnedPreconnectCorrections(Options options)
    : options_(options) {
  CHECK(options_.max_entries > 0);
  CHECK(options_.max_keys_per_entry > 0);
}

LearnedPreconnectCorrections::~LearnedPreconnectCorrections() = default;

void LearnedPreconnectCorrections::RecordRequest(
    const net::SchemefulSite& top_frame_site,
    const net::Origin& target,
    PreconnectPurpose purpose,
    const RequestPartition& partition,
    absl::Time now) {
  if (top_frame_site.is_empty() || top_frame_site.opaque() || target.opaque())
    return;
  DCHECK(purpose != PreconnectPurpose::kUnknown);
  if (pending_requests_.size() >= kMaxPendingNotes)
    return;
  pending_requests_.push_back(
      PendingRequest{Key{top_frame_site, target}, purpose, partition, now});
}

void LearnedPreconnectCorrections::RecordHint(
    const net::SchemefulSite& top_frame_site,
    const net::Origin& target) {
  if (top_frame_site.is_empty() || top_frame_site.opaque() || target.opaque())
    return;
  Key key{top_frame_site, target};
  if (pending_hints_.size() >= kMaxPendingNotes ||
      std::find(pending_hints_.begin(), pending_hints_.end(), key) !=
          pending_hints_.end()) {
    return;
  }
  pending_hints_.push_back(std::move(key));
}

void LearnedPreconnectCorrections::EndPageView(absl::Time now) {
  std::vector<PendingRequest> requests = std::move(pending_requests_);
  std::vector<Key> hints = std::move(pending_hints_);
  pending_requests_.clear();
  pending_hints_.clear();
  for (const PendingRequest& request : requests)
    Observe(request);
  for (const Key& key : hints) {
    bool requested = std::any_of(
        requests.begin(), requests.end(),
        [&](const PendingRequest& request) { return request.key == key; });
    if (requested)
      continue;
    Entry& entry = Touch(key);
    if (entry.unfollowed_hints > 0 &&
        now - entry.last_hinted >= options_.max_age)
      entry.unfollowed_hints = 0;
    ++entry.unfollowed_hints;
    entry.last_hinted = now;
  }
}

uint32_t LearnedPreconnectCorrections::UnfollowedHintCount(
    const net::SchemefulSite& top_frame_site,
    const net::Origin& target,
    absl::Time now) const {
  auto it = entries_.find(Key{top_frame_site, target});
  if (it == entries_.end() ||
      now - it->second->last_hinted >= options_.max_age) {
    return 0;
  }
  return it->second->unfollowed_hints;
}

LearnedPreconnectCorrections::Entry& LearnedPreconnectCorrections::Touch(
    const Key& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    lru_.push_front(Entry{key, {}, 0, absl::InfinitePast()});
    it = entries_.emplace(key, lru_.begin()).first;
    if (lru_.size() > options_.max_entries) {
      entries_.erase(lru_.back().key);
      lru_.pop_back();
    }
  } else {
    lru_.splice(lru_.begin(), lru_, it->second);
  }
  return *it->second;
}

void LearnedPreconnectCorrections::Observe(const PendingRequest& request) {
  const absl::Time now = request.time;
  const PreconnectPurpose purpose = request.purpose;
  const RequestPartition& partition = request.partition;
  Entry& entry = Touch(request.key);
  // A request to the origin resets the budget's count.
  entry.unfollowed_hints = 0;
  std::vector<Observation>& observations = entry.observations;
  observations.erase(
      std::remove_if(observations.begin(), observations.end(),
                     [&](const Observation& o) { return !IsFresh(o, now); }),
      observations.end());
  auto same = std::find_if(observations.begin(), observations.end(),
                           [&](const Observation& o) {
                             return SameGroupKey(o.partition, partition);
                           });
  if (same != observations.end()) {
    ++same->count;
    same->last_seen = now;
    // The latest request says best what the purpose is.
    same->purpose = purpose;
    same->partition = partition;
    return;
  }
  if (observations.size() >= options_.max_keys_per_entry) {
    observations.erase(
        std::min_element(observations.begin(), observations.end(),
                         [](const Observation& a, const Observation& b) {
                           return a.last_seen < b.last_seen;
                         }));
  }
  observations.push_back(Observation{purpose, partition, 1, now});
}

std::optional<LearnedPreconnectCorrections::Correction>
LearnedPreconnectCorrections::CorrectionFor(
    const net::SchemefulSite& top_frame_site,
    const net::Origin& target,
    const RequestPartition& guess,
    absl::Time now) const {
  auto it = entries_.find(Key{top_frame_site, target});
  if (it == entries_.end())
    return std::nullopt;
  const Observation* best = nullptr;
  for (const Observation& observation : it->second->observations) {
    if (!IsFresh(observation, now))
      continue;
    if (SameGroupKey(observation.partition, guess))
      return std::nullopt;
    if (!best || observation.count > best->count ||
        (observation.count == best->count &&
         observation.last_seen > best->last_seen)) {
      best = &observation;
    }
  }
  if (!best)
    return std::nullopt;
  return Correction{best->purpose, best->partition};
}

void LearnedPreconnectCorrections::Clear() {
  entries_.clear();
  lru_.clear();
  pending_requests_.clear();
  pending_hints_.clear();
}

}  // namespace prewarm
