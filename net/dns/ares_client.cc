#include "net/dns/ares_client.h"

#include <ares.h>
#include <netdb.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"

namespace net {

namespace {

void InitializeAresLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    CHECK(ares_library_init(ARES_LIB_INIT_ALL) == ARES_SUCCESS);
  });
}

AresClient::Result MakeFailure(int ares_status, const std::string& hostname) {
  AresClient::Result result;
  result.error = ERR_NAME_NOT_RESOLVED;
  result.message = absl::StrCat("resolving \"", hostname,
                                "\": ", ares_strerror(ares_status));
  switch (ares_status) {
    case ARES_ENOTFOUND:
    case ARES_ENODATA:
    case ARES_ENONAME:
      result.detail_error = ERR_NAME_NOT_RESOLVED;
      result.is_negative_answer = true;
      break;
    case ARES_EBADNAME:
      result.detail_error = ERR_NAME_NOT_RESOLVED;
      break;
    case ARES_ETIMEOUT:
      result.detail_error = ERR_DNS_TIMED_OUT;
      break;
    case ARES_EBADRESP:
      result.detail_error = ERR_DNS_MALFORMED_RESPONSE;
      break;
    case ARES_EFORMERR:
    case ARES_ESERVFAIL:
    case ARES_EREFUSED:
    case ARES_ENOTIMP:
    case ARES_ECONNREFUSED:
      result.detail_error = ERR_DNS_SERVER_FAILED;
      break;
    case ARES_ENOMEM:
      result.error = ERR_OUT_OF_MEMORY;
      result.detail_error = ERR_OUT_OF_MEMORY;
      break;
    default:
      result.detail_error = ERR_FAILED;
      break;
  }
  return result;
}

}  // namespace

// The c-ares callback argument for one ares_getaddrinfo call.
struct AresClient::PendingLookup {
  AresClient* client;
  std::string hostname;
  LookupCallback callback;
};

// What c-ares wants watched on one of its sockets.
struct AresClient::SocketState {
  explicit SocketState(int fd) : watcher(fd) {}
  FdWatcher watcher;
  bool wants_read = false;
  bool wants_write = false;
};

AresClient::AresClient() = default;

// static
std::unique_ptr<AresClient> AresClient::Create(const Config& config,
                                               int* error,
                                               std::string* error_message) {
  CHECK(EventLoop::Current());
  if (config.attempts < 1 || config.attempt_timeout <= absl::ZeroDuration()) {
    *error = ERR_INVALID_ARGUMENT;
    *error_message = absl::StrCat(
        "DNS attempts must be >= 1 and the attempt timeout positive (got ",
        config.attempts, " attempts, timeout ",
        absl::FormatDuration(config.attempt_timeout), ")");
    return nullptr;
  }
  InitializeAresLibraryOnce();
  std::unique_ptr<AresClient> client(new AresClient());

  ares_options options = {};
  int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
             ARES_OPT_LOOKUPS | ARES_OPT_FLAGS;
  options.sock_state_cb = &AresClient::OnSocketStateChange;
  options.sock_state_cb_data = client.get();
  options.timeout = static_cast<int>(
      std::max<int64_t>(1, absl::ToInt64Milliseconds(config.attempt_timeout)));
  options.tries = config.attempts;
  // "f" = the hosts file, "b" = DNS ("bind"). Files first, as the system
  // resolver does.
  std::string lookups = config.use_hosts_file ? "fb" : "b";
  options.lookups = lookups.data();
  // Origins carry fully qualified hostnames: no search-domain expansion, whose
  // extra queries would leak the name to more suffixes and muddle
  // de-duplication.
  options.flags = ARES_FLAG_NOSEARCH;

  ares_channel channel = nullptr;
  int status = ares_init_options(&channel, &options, mask);
  if (status != ARES_SUCCESS) {
    *error = ERR_FAILED;
    *error_message =
        absl::StrCat("c-ares initialisation failed: ", ares_strerror(status));
    return nullptr;
  }
  client->channel_ = channel;
  if (!config.servers.empty()) {
    status = ares_set_servers_ports_csv(channel, config.servers.c_str());
    if (status != ARES_SUCCESS) {
      *error = ERR_INVALID_ARGUMENT;
      *error_message =
          absl::StrCat("invalid DNS server list \"", config.servers,
                       "\": ", ares_strerror(status));
      return nullptr;
    }
  }
  *error = OK;
  return client;
}

AresClient::~AresClient() {
  if (channel_) {
    // Runs every outstanding callback with ARES_EDESTRUCTION (dropped in
    // OnAddrInfo) and closes c-ares' sockets through OnSocketStateChange.
    ares_destroy(channel_);
  }
}

void AresClient::Lookup(const std::string& hostname, LookupCallback callback) {
  ++lookups_started_;
  ares_addrinfo_hints hints = {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  // c-ares reads /etc/hosts unless told to honour its CARES_HOSTS override
  // (which tests use for a hosts file of their own); the flag is only valid
  // when it is set.
  if (getenv("CARES_HOSTS"))
    hints.ai_flags |= ARES_AI_ENVHOSTS;
  auto* pending = new PendingLookup{this, hostname, std::move(callback)};
  // May call OnAddrInfo before returning (hosts file, bad name); OnAddrInfo
  // posts.
  ares_getaddrinfo(channel_, hostname.c_str(), nullptr, &hints,
                   &AresClient::OnAddrInfo, pending);
  UpdateTimer();
}

// static
void AresClient::OnAddrInfo(void* arg,
                            int status,
                            int timeouts,
                            ares_addrinfo* addrinfo) {
  std::unique_ptr<PendingLookup> pending(static_cast<PendingLookup*>(arg));
  if (status == ARES_EDESTRUCTION) {
    if (addrinfo)
      ares_freeaddrinfo(addrinfo);
    return;
  }
  Result result;
  if (status == ARES_SUCCESS && addrinfo) {
    int min_ttl = -1;
    for (ares_addrinfo_node* node = addrinfo->nodes; node;
         node = node->ai_next) {
      IPEndPoint endpoint;
      if (!endpoint.FromSockAddr(node->ai_addr, node->ai_addrlen))
        continue;
      if (std::find(result.addresses.begin(), result.addresses.end(),
                    endpoint.address()) == result.addresses.end()) {
        result.addresses.push_back(endpoint.address());
      }
      min_ttl = min_ttl < 0 ? node->ai_ttl : std::min(min_ttl, node->ai_ttl);
    }
    for (ares_addrinfo_cname* cname = addrinfo->cnames; cname;
         cname = cname->next) {
      min_ttl = min_ttl < 0 ? cname->ttl : std::min(min_ttl, cname->ttl);
    }
    result.ttl = absl::Seconds(std::max(0, min_ttl));
  }
  if (addrinfo)
    ares_freeaddrinfo(addrinfo);
  if (status == ARES_SUCCESS && result.addresses.empty())
    status = ARES_ENODATA;
  if (status != ARES_SUCCESS)
    result = MakeFailure(status, pending->hostname);

  EventLoop::Current()->PostTask(
      [weak_client = pending->client->weak_factory_.GetWeakPtr(),
       callback = std::move(pending->callback),
       result = std::move(result)]() mutable {
        if (weak_client)
          std::move(callback)(std::move(result));
      });
}

// static
void AresClient::OnSocketStateChange(void* data,
                                     int fd,
                                     int readable,
                                     int writable) {
  auto* client = static_cast<AresClient*>(data);
  if (!readable && !writable) {
    // c-ares is about to close the socket: stop watching while the fd is still
    // open.
    client->sockets_.erase(fd);
    return;
  }
  std::unique_ptr<SocketState>& state = client->sockets_[fd];
  if (!state)
    state = std::make_unique<SocketState>(fd);
  state->wants_read = readable;
  state->wants_write = writable;
  client->ArmWatchers(fd);
}

void AresClient::ArmWatchers(int fd) {
  auto it = sockets_.find(fd);
  if (it == sockets_.end())
    return;
  SocketState& state = *it->second;
  if (state.wants_read && !state.watcher.is_watching_readable()) {
    state.watcher.WatchReadable([this, fd] { OnSocketReady(fd, true); });
  } else if (!state.wants_read && state.watcher.is_watching_readable()) {
    state.watcher.StopWatchingReadable();
  }
  if (state.wants_write && !state.watcher.is_watching_writable()) {
    state.watcher.WatchWritable([this, fd] { OnSocketReady(fd, false); });
  } else if (!state.wants_write && state.watcher.is_watching_writable()) {
    state.watcher.StopWatchingWritable();
  }
}

void AresClient::OnSocketReady(int fd, bool readable) {
  // Processing may close this socket (erasing its watcher) or open others.
  ares_process_fd(channel_, readable ? fd : ARES_SOCKET_BAD,
                  readable ? ARES_SOCKET_BAD : fd);
  ArmWatchers(fd);
  UpdateTimer();
}

void AresClient::UpdateTimer() {
  timeval storage;
  timeval* next = ares_timeout(channel_, nullptr, &storage);
  if (!next) {
    timeout_timer_.Stop();
    return;
  }
  absl::Duration delay =
      absl::Seconds(next->tv_sec) + absl::Microseconds(next->tv_usec);
  // Every socket event lands here; restarting for an unchanged deadline would
  // only pile up orphaned delayed tasks in the loop.
  const absl::Time deadline = EventLoop::Current()->NowTicks() + delay;
  if (timeout_timer_.IsRunning() &&
      absl::AbsDuration(timeout_timer_.desired_run_time() - deadline) <
          absl::Milliseconds(1)) {
    return;
  }
  timeout_timer_.Start(delay, [this] { OnTimeout(); });
}

void AresClient::OnTimeout() {
  ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  UpdateTimer();
}

}  // namespace net
