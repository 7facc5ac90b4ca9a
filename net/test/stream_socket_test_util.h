#ifndef NET_TEST_STREAM_SOCKET_TEST_UTIL_H_
#define NET_TEST_STREAM_SOCKET_TEST_UTIL_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace net {

class StreamSocket;

// Blocking I/O on a connected StreamSocket for tests: each call waits on a
// TestCompletionCallback, which runs the current thread's EventLoop (so an
// in-process server on the same loop keeps serving).

// Writes all of `data`. Returns OK, or the first write result <= 0.
int WriteAll(StreamSocket* socket, std::string_view data);

// Reads until `limit` bytes arrived or a read returned <= 0 (end of stream or
// an error), and returns what was read. In the second case the read's result
// goes to `*end` if `end` is given; otherwise `*end` is left as it was.
std::string ReadUpTo(StreamSocket* socket, size_t limit, int* end = nullptr);

}  // namespace net

#endif  // NET_TEST_STREAM_SOCKET_TEST_UTIL_H_
