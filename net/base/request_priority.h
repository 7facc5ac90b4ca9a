#ifndef NET_BASE_REQUEST_PRIORITY_H_
#define NET_BASE_REQUEST_PRIORITY_H_

namespace net {

// Request priorities, lowest first, as in Chromium. Preconnects run at IDLE.
enum RequestPriority {
  THROTTLED = 0,
  IDLE = 1,
  LOWEST = 2,
  LOW = 3,
  MEDIUM = 4,
  HIGHEST = 5,
  MINIMUM_PRIORITY = THROTTLED,
  MAXIMUM_PRIORITY = HIGHEST,
  DEFAULT_PRIORITY = IDLE,
};

const char* RequestPriorityToString(RequestPriority priority);

}  // namespace net

#endif  // NET_BASE_REQUEST_PRIORITY_H_
