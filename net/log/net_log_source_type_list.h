// The kinds of object that emit NetLog events, one SOURCE_TYPE(label) each.
// Included by net_log_source_type.h/.cc with SOURCE_TYPE defined; no include
// guard on purpose. Append new types at the end of their group. A kind that is
// what a Chromium source type is carries Chromium's name; the JSON numbers are
// positions in this list (constants.logSourceType maps names to them).

// clang-format off
SOURCE_TYPE(NONE)
// Embedder and page-level activity.
SOURCE_TYPE(NETWORK_SERVICE)
SOURCE_TYPE(PAGE_LOAD)
SOURCE_TYPE(DOCUMENT)
SOURCE_TYPE(URL_REQUEST)
SOURCE_TYPE(PRECONNECT)
// DNS.
SOURCE_TYPE(HOST_RESOLVER_IMPL_JOB)
SOURCE_TYPE(DNS_PREFETCH)
// Connection setup.
SOURCE_TYPE(CONNECT_JOB)
SOURCE_TYPE(TRANSPORT_CONNECT_JOB)
SOURCE_TYPE(SOCKET)
// Pools and HTTP.
SOURCE_TYPE(SOCKET_POOL)
SOURCE_TYPE(HTTP_STREAM)
SOURCE_TYPE(HTTP2_SESSION)
// Test servers and fixtures.
SOURCE_TYPE(TEST_SERVER)
// clang-format on
