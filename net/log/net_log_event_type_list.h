// Every NetLog event type, one EVENT_TYPE(label) each, with what its params
// hold. Included by net_log_event_type.h/.cc with EVENT_TYPE defined; no
// include guard on purpose. Other layers add their events here, grouped by
// layer. An event that means what a Chromium event means carries Chromium's
// name, so NetLog tools read it as they read Chrome's; the JSON numbers are
// positions in this list (constants.logEventTypes maps names to them).

// clang-format off

// ---- Generic ----
// The lifetime of a source: BEGIN when it is created, END when it is destroyed.
EVENT_TYPE(REQUEST_ALIVE)
// Something was cancelled before it completed. Params: {"reason"} when known.
EVENT_TYPE(CANCELLED)
// A failure with no more specific event. Params: {"net_error"}.
EVENT_TYPE(FAILED)

// ---- net/dns ----
// A host resolution request from a caller, BEGIN..END. Params at BEGIN: {"host",
// "network_anonymization_key"}; at END: {"net_error"} on failure, else {"addresses"}.
EVENT_TYPE(HOST_RESOLVER_MANAGER_REQUEST)
// The job that actually asks DNS (shared by requests for the same key).
EVENT_TYPE(HOST_RESOLVER_MANAGER_JOB)
// The answer came from the host cache. Params: {"host", "network_anonymization_key"}.
EVENT_TYPE(HOST_RESOLVER_MANAGER_CACHE_HIT)
// The host cache had no usable entry.
EVENT_TYPE(HOST_RESOLVER_CACHE_MISS)
// A host-resolver rule or connect-to override changed the target. Params: {"from", "to"}.
EVENT_TYPE(HOST_RESOLVER_RULE_APPLIED)
// A request joined a job already running for the same key. Params: {"source_dependency"}.
EVENT_TYPE(HOST_RESOLVER_MANAGER_JOB_ATTACH)

// ---- net/socket ----
// A ConnectJob's lifetime. Params at BEGIN: {"group_id"}; END: {"net_error"} on failure.
EVENT_TYPE(CONNECT_JOB)
// The whole resolve -> TCP -> TLS sequence of a TransportConnectJob.
EVENT_TYPE(TRANSPORT_CONNECT_JOB_CONNECT)
// The host-resolution phase of a TransportConnectJob.
EVENT_TYPE(TRANSPORT_CONNECT_JOB_RESOLVE_HOST)
// A ConnectJob gave up on its timeout.
EVENT_TYPE(CONNECT_JOB_TIMED_OUT)
// A ConnectJob handed its connected socket over. Params: {"source_dependency"}.
EVENT_TYPE(CONNECT_JOB_SET_SOCKET)
// A socket's lifetime.
EVENT_TYPE(SOCKET_ALIVE)
// TCP connect over all candidate addresses. Params at BEGIN: {"address_list"}; END:
// {"net_error"} on failure, else {"local_address", "remote_address"}.
EVENT_TYPE(TCP_CONNECT)
// One connect() attempt. Params at BEGIN: {"address"}; END: {"net_error"} on failure.
EVENT_TYPE(TCP_CONNECT_ATTEMPT)
// Params: {"byte_count"}.
EVENT_TYPE(SOCKET_BYTES_SENT)
EVENT_TYPE(SOCKET_BYTES_RECEIVED)
// Params: {"net_error"}.
EVENT_TYPE(SOCKET_READ_ERROR)
EVENT_TYPE(SOCKET_WRITE_ERROR)
// The peer closed the connection (a read returned 0).
EVENT_TYPE(SOCKET_CLOSED_BY_PEER)

// ---- net/ssl ----
// The TLS handshake. Params at END: {"net_error"} on failure, else {"version", "cipher",
// "alpn", "resumed"}.
EVENT_TYPE(SSL_CONNECT)
// The handshake resumed a cached session. Params: {"session_cache_key"}.
EVENT_TYPE(SSL_SESSION_RESUMED)
// A session was offered from the session cache. Params: {"session_cache_key"}.
EVENT_TYPE(SSL_SESSION_CACHE_HIT)
// A new session ticket arrived and was cached. Params: {"session_cache_key"}.
EVENT_TYPE(SSL_SESSION_CACHED)
// Certificate verification. Params at END: {"net_error"} on failure.
EVENT_TYPE(SSL_CERT_VERIFY)

// ---- socket_pool ----
// A request for a socket from a pool, BEGIN..END. Params at BEGIN: {"group_id",
// "priority"}.
EVENT_TYPE(SOCKET_POOL)
// RequestSockets() (a preconnect) asked a group for sockets. Params:
// {"group_id", "num_sockets", "started"}, and {"net_error", "message"} if it
// failed.
EVENT_TYPE(SOCKET_POOL_CONNECTING_N_SOCKETS)
// A new ConnectJob was started for a request. Params: {"source_dependency"}.
EVENT_TYPE(SOCKET_POOL_CONNECT_JOB_CREATED)
// The request was bound to a ConnectJob (including a preconnect's). Params:
// {"source_dependency"}.
EVENT_TYPE(SOCKET_POOL_BOUND_TO_CONNECT_JOB)
// The request got a socket. Params: {"source_dependency"}.
EVENT_TYPE(SOCKET_POOL_BOUND_TO_SOCKET)
// An idle socket was handed out. Params: {"idle_ms", "was_preconnected", "was_used"}.
EVENT_TYPE(SOCKET_POOL_REUSED_AN_EXISTING_SOCKET)
// Late privacy binding: the request took an unbound preconnected socket (idle, or
// its connect job) of a group that differs only in privacy mode. Params:
// {"preconnect_id", "from_group_id", "connecting"}.
EVENT_TYPE(SOCKET_POOL_LATE_BOUND)
// The request waits for the per-group or per-pool limit.
EVENT_TYPE(SOCKET_POOL_STALLED_MAX_SOCKETS)
EVENT_TYPE(SOCKET_POOL_STALLED_MAX_SOCKETS_PER_GROUP)
// An idle socket was closed. Params: {"group_id", "reason"}.
EVENT_TYPE(SOCKET_POOL_CLOSING_SOCKET)
// Every socket was closed. Params: {"reason"}.
EVENT_TYPE(SOCKET_POOL_FLUSHED)
// A socket is handed out to a request, BEGIN..END (on the socket's source).
EVENT_TYPE(SOCKET_IN_USE)

// ---- preconnect ----
// A preconnect request, BEGIN..END. Params at BEGIN: {"url", "purpose", "crossorigin",
// "num_sockets"}; at END: {"group_id"} or {"net_error", "message"}.
EVENT_TYPE(PRECONNECT)
// Why this group key was chosen. Params: {"group_id", "purpose", "purpose_source",
// "privacy_mode", "network_anonymization_key"}.
EVENT_TYPE(PRECONNECT_GROUP_CHOSEN)
// The learned correction changed the key. Params: {"from", "to"}.
EVENT_TYPE(PRECONNECT_LEARNED_CORRECTION)
// A preconnected socket reached its final outcome. Params: {"group_id", "outcome"}.
EVENT_TYPE(PRECONNECT_OUTCOME)
// A preconnected socket was stranded. Params: {"group_id", "used_group_id",
// "differing_fields", "suggested_fix"}.
EVENT_TYPE(SOCKET_STRANDED)
// An unbound preconnected socket was bound to another group at its first use (on
// the manager's source). Params: {"preconnect_id", "group_id", "bound_group_id"}.
EVENT_TYPE(PRECONNECT_LATE_BOUND)
// A dns-prefetch hint. Params: {"host", "network_anonymization_key"}.
EVENT_TYPE(DNS_PREFETCH)

// ---- net/http ----
// Getting a stream for a request, BEGIN..END. Params at BEGIN: {"url", "group_id"}.
EVENT_TYPE(HTTP_STREAM_REQUEST)
// The request was bound to a stream on a pool socket. Params: {"source_dependency"}.
EVENT_TYPE(HTTP_STREAM_REQUEST_BOUND_TO_STREAM)
// Writing the request. Params at BEGIN: {"line", "headers"}.
EVENT_TYPE(HTTP_TRANSACTION_SEND_REQUEST)
// Reading the response headers. Params at END: {"status", "headers"} or {"net_error"}.
EVENT_TYPE(HTTP_STREAM_PARSER_READ_HEADERS)
// Reading the body. Params at END: {"byte_count"} or {"net_error"}.
EVENT_TYPE(HTTP_TRANSACTION_READ_BODY)

// ---- net/spdy ----
// An HTTP/2 session's lifetime on one connection. Params at BEGIN: {"source_dependency"}
// (the socket); END: {"net_error"} when it ended on an error.
EVENT_TYPE(HTTP2_SESSION)
// The session sent or received a frame that changes its state. Params: {"frame" (GOAWAY,
// RST_STREAM, SETTINGS, PING), "stream_id", "error_code", "last_stream_id" when they apply}.
EVENT_TYPE(HTTP2_SESSION_SEND_FRAME)
EVENT_TYPE(HTTP2_SESSION_RECV_FRAME)
// A stream of the session, BEGIN at HEADERS, END at close. Params at BEGIN: {"stream_id",
// "url"}; END: {"net_error"} when it failed.
EVENT_TYPE(HTTP2_STREAM)
// The session pool gave a request a session. Params: {"group_id", "session_id",
// "coalesced_from" (the group of the session it joined by IP pooling)}.
EVENT_TYPE(HTTP2_SESSION_POOL_FOUND_SESSION)

// ---- page loads (replay, shell) ----
// A page load, BEGIN..END. Params at BEGIN: {"url"}.
EVENT_TYPE(PAGE_LOAD)
// A document committed. Params: {"document_id", "url", "top_frame_site"}.
EVENT_TYPE(DOCUMENT_COMMITTED)
// The embedder reported the load event.
EVENT_TYPE(DOCUMENT_LOAD_EVENT)

// ---- service ----
// An IPC message from a client. Params: {"type", "byte_count"}; {"net_error"} if bad.
EVENT_TYPE(NETWORK_SERVICE_IPC_MESSAGE)

// clang-format on
