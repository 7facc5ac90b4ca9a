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
  Key key{top_frame_site, target};
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    lru_.push_front(Entry{key, {}});
    it = entries_.emplace(key, lru_.begin()).first;
    if (lru_.size() > options_.max_entries) {
      entries_.erase(lru_.back().key);
      lru_.pop_back();
    }
  } else {
    lru_.splice(lru_.begin(), lru_, it->second);
  }

  std::vector<Observation>& observations = it->second->observations;
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
}

}  // namespace prewarm
