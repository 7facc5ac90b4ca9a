#ifndef PRELOAD_PRELOAD_OBSERVER_H_
#define PRELOAD_PRELOAD_OBSERVER_H_

#include <cstdint>
#include <string>

namespace prewarm {

// Something that happened to a preload, for the event stream and the host's
// console: a request consumed it, a request for its URL could not (and why),
// or nothing used it within the unused timeout after the load event. A value
// type.
struct PreloadEvent {
  enum class Kind { kConsumed, kNotConsumed, kUnusedAfterLoad };
  Kind kind = Kind::kConsumed;
  uint64_t preload_id = 0;
  std::string url;
  // "" for kConsumed; the field, the fix, or the unused warning otherwise.
  std::string diagnostic;
};

// Told about PreloadEvents as they happen, on the network thread. An
// observer never calls back into the PreloadManager from inside the call.
class PreloadObserver {
 public:
  virtual void OnPreloadEvent(const PreloadEvent& event) = 0;

 protected:
  virtual ~PreloadObserver() = default;
};

}  // namespace prewarm

#endif  // PRELOAD_PRELOAD_OBSERVER_H_
