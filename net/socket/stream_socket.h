#ifndef NET_SOCKET_STREAM_SOCKET_H_
#define NET_SOCKET_STREAM_SOCKET_H_

#include <string>

#include "net/base/completion_once_callback.h"
#include "net/base/net_errors.h"
#include "net/base/privacy_mode.h"

namespace net {

class IPEndPoint;
class NetLogWithSource;

// A connected (or connecting) byte stream: a TCP socket, or TLS over one.
// Everything a socket pool hands out is a StreamSocket. Reads and writes follow
// the completion style: they return a byte count, 0 for end of stream (Read), a
// net error, or ERR_IO_PENDING and run the callback later. The caller keeps
// `buf` alive until the callback runs or the socket is destroyed. At most one
// Read and one Write may be pending at a time. Destroying the socket closes it
// and drops pending callbacks.
class StreamSocket {
 public:
  virtual ~StreamSocket() = default;

  virtual int Connect(CompletionOnceCallback callback) = 0;
  virtual void Disconnect() = 0;

  // True if the connection is established and the peer has not closed it. Peeks
  // the socket (unread data alone does not make it false).
  virtual bool IsConnected() const = 0;
  // IsConnected() and no unread data: safe to hand to a new request.
  virtual bool IsConnectedAndIdle() const = 0;

  virtual int Read(char* buf, int len, CompletionOnceCallback callback) = 0;
  // Like Read() when data (or end of stream, or an error) is available now.
  // Otherwise returns ERR_IO_PENDING without keeping `buf`, and later runs
  // `callback` with OK when the socket became readable (call ReadIfReady
  // again), or with an error. Lets a layer above wait for data without holding
  // a buffer (TLS over an idle pooled socket). Sockets that cannot do this
  // return ERR_NOT_IMPLEMENTED; use Read() then.
  virtual int ReadIfReady(char* buf, int len, CompletionOnceCallback callback) {
    return ERR_NOT_IMPLEMENTED;
  }
  // Drops a pending ReadIfReady() callback, so the caller can check again now.
  virtual int CancelReadIfReady() { return ERR_NOT_IMPLEMENTED; }
  virtual int Write(const char* buf,
                    int len,
                    CompletionOnceCallback callback) = 0;

  // True once any application data was read or written. A preconnected socket
  // that was never handed to a request has WasEverUsed() == false.
  virtual bool WasEverUsed() const = 0;

  // Late privacy binding (docs/pool-selection.md section 9). True while the
  // socket holds nothing that could link two requests: it never carried
  // application data, offered no TLS session and was not asked for a client
  // certificate. Only then may a pool hand it to a group of another privacy
  // mode.
  virtual bool CanBindToOtherPrivacyMode() const { return !WasEverUsed(); }
  // The pool tells a socket warmed unbound that it now belongs to a group of
  // `privacy_mode` (at its first use). A TLS socket files the session tickets
  // it held back under that mode; plain TCP has nothing to do.
  virtual void BindToPrivacyMode(PrivacyMode privacy_mode) {}

  virtual int GetPeerAddress(IPEndPoint* address) const = 0;
  virtual int GetLocalAddress(IPEndPoint* address) const = 0;

  // The ALPN protocol negotiated ("http/1.1", "h2"), or "" when none (plain
  // TCP).
  virtual std::string GetNegotiatedProtocol() const { return std::string(); }

  // TLS: whether the certificate the server presented (and the handshake
  // verified) is also valid for `host`, so that a connection may carry
  // requests for another name (HTTP/2 connection coalescing). False for plain
  // TCP.
  virtual bool IsCertificateValidForHost(const std::string& host) const {
    return false;
  }

  virtual const NetLogWithSource& NetLog() const = 0;
};

}  // namespace net

#endif  // NET_SOCKET_STREAM_SOCKET_H_
