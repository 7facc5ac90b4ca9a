#ifndef NET_BASE_NET_ERRORS_H_
#define NET_BASE_NET_ERRORS_H_

#include <string>

namespace net {

// Net error codes, negative like Chromium's. OK (0) means success; a positive
// value returned where an int result is expected is a byte count.
// ERR_IO_PENDING means the completion callback will run later with the final
// result.
enum Error {
  OK = 0,
#define NET_ERROR(label, value) ERR_##label = value,
#include "net/base/net_error_list.h"
#undef NET_ERROR
};

// "net::ERR_CONNECTION_REFUSED" for -102; "net::OK" for 0; "net::<unknown -N>"
// otherwise.
std::string ErrorToString(int error);

// The name without the "net::" prefix, e.g. "ERR_CONNECTION_REFUSED".
std::string ErrorToShortString(int error);

// Maps an errno value from a socket call to a net error.
Error MapSystemError(int os_error);

}  // namespace net

#endif  // NET_BASE_NET_ERRORS_H_
