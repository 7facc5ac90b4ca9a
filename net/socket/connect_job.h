#ifndef NET_SOCKET_CONNECT_JOB_H_
#define NET_SOCKET_CONNECT_JOB_H_

#include <memory>
#include <string>

#include "net/base/host_port_pair.h"
#include "net/base/load_timing_info.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "net/base/request_priority.h"

namespace net {

class StreamSocket;

// What a connect job needs to know to produce a socket for one pool group: the
// destination (scheme decides TLS), and the partition the connection belongs
// to. The privacy mode and NAK select the TLS session cache partition and the
// host cache partition, so nothing learned on one connection leaks into another
// partition.
struct ConnectJobParams {
  std::string scheme;  // "http" or "https" ("ws"/"wss" behave like them)
  HostPortPair destination;
  PrivacyMode privacy_mode = PrivacyMode::kDisabled;
  NetworkAnonymizationKey network_anonymization_key;
  RequestPriority priority = DEFAULT_PRIORITY;
  // A guessed preconnect (docs/pool-selection.md section 9): the socket may be
  // bound to another privacy mode at its first use, so its TLS handshake
  // offers no session and the tickets it receives wait with the socket until
  // StreamSocket::BindToPrivacyMode.
  bool unbound = false;
};

// Produces one connected StreamSocket: resolve, connect, and for https a TLS
// handshake. Connect() returns OK or an error synchronously, or ERR_IO_PENDING
// and later calls Delegate::OnConnectJobComplete exactly once. Destroying the
// job cancels it.
class ConnectJob {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // `job` is still owned by the caller of Connect(); take its socket with
    // PassSocket().
    virtual void OnConnectJobComplete(int result, ConnectJob* job) = 0;
  };

  virtual ~ConnectJob() = default;

  virtual int Connect() = 0;
  // The socket, after a successful Connect(); null otherwise.
  virtual std::unique_ptr<StreamSocket> PassSocket() = 0;
  // DNS, connect and TLS phases of this job (the connect_timing part of
  // LoadTimingInfo).
  virtual const LoadTimingInfo::ConnectTiming& connect_timing() const = 0;
  virtual RequestPriority priority() const = 0;
  virtual void ChangePriority(RequestPriority priority) = 0;
  // After a failure: what went wrong, in words (the certificate problem, the
  // resolver's answer); "" when the job has nothing to add to the error.
  virtual std::string error_message() const { return std::string(); }
};

// Makes connect jobs. The real one builds TransportConnectJob (resolve -> TCP
// -> TLS); benchmarks use one that makes already-connected fake sockets, so the
// pool's own cost can be measured without the network.
class ConnectJobFactory {
 public:
  virtual ~ConnectJobFactory() = default;
  virtual std::unique_ptr<ConnectJob> CreateConnectJob(
      const ConnectJobParams& params,
      ConnectJob::Delegate* delegate) = 0;
};

}  // namespace net

#endif  // NET_SOCKET_CONNECT_JOB_H_
