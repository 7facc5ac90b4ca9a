#include "net/base/net_errors.h"

#include <errno.h>

#include "absl/strings/str_cat.h"

namespace net {

std::string ErrorToShortString(int error) {
  if (error == OK)
    return "OK";
  switch (error) {
#define NET_ERROR(label, value) \
  case ERR_##label:             \
    return "ERR_" #label;
#include "net/base/net_error_list.h"
#undef NET_ERROR
  }
  return absl::StrCat("<unknown ", error, ">");
}

std::string ErrorToString(int error) {
  return "net::" + ErrorToShortString(error);
}

Error MapSystemError(int os_error) {
  switch (os_error) {
    case 0:
      return OK;
    case EAGAIN:
    case EINPROGRESS:
      return ERR_IO_PENDING;
    case EACCES:
    case EPERM:
      return ERR_ACCESS_DENIED;
    case ENETDOWN:
      return ERR_INTERNET_DISCONNECTED;
    case ETIMEDOUT:
      return ERR_CONNECTION_TIMED_OUT;
    case ECONNRESET:
    case ENETRESET:
    case EPIPE:
      return ERR_CONNECTION_RESET;
    case ECONNABORTED:
      return ERR_CONNECTION_ABORTED;
    case ECONNREFUSED:
      return ERR_CONNECTION_REFUSED;
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENETUNREACH:
    case EAFNOSUPPORT:
      return ERR_ADDRESS_UNREACHABLE;
    case EADDRNOTAVAIL:
      return ERR_ADDRESS_INVALID;
    case EADDRINUSE:
      return ERR_ADDRESS_IN_USE;
    case EMSGSIZE:
    case EINVAL:
      return ERR_INVALID_ARGUMENT;
    case EISCONN:
      return ERR_SOCKET_IS_CONNECTED;
    case ENOTCONN:
      return ERR_SOCKET_NOT_CONNECTED;
    case EMFILE:
    case ENFILE:
    case ENOBUFS:
    case ENOMEM:
      return ERR_INSUFFICIENT_RESOURCES;
    default:
      return ERR_FAILED;
  }
}

}  // namespace net
