#include "net/test/stream_socket_test_util.h"

#include "net/base/net_errors.h"
#include "net/socket/stream_socket.h"
#include "net/test/test_completion_callback.h"

namespace net {

int WriteAll(StreamSocket* socket, std::string_view data) {
  TestCompletionCallback callback;
  size_t written = 0;
  while (written < data.size()) {
    int rv = callback.GetResult(socket->Write(
        data.data() + written, static_cast<int>(data.size() - written),
        callback.callback()));
    if (rv <= 0)
      return rv;
    written += static_cast<size_t>(rv);
  }
  return OK;
}

std::string ReadUpTo(StreamSocket* socket, size_t limit, int* end) {
  std::string data;
  TestCompletionCallback callback;
  char buffer[4096];
  while (data.size() < limit) {
    int rv = callback.GetResult(
        socket->Read(buffer, sizeof(buffer), callback.callback()));
    if (rv <= 0) {
      if (end)
        *end = rv;
      break;
    }
    data.append(buffer, static_cast<size_t>(rv));
  }
  return data;
}

}  // namespace net
