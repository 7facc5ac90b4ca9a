// --host-resolver-rules and --connect-to parsing (net/dns) on arbitrary text,
// and applying what parsed. Invariants: an error comes with a message and
// leaves the output untouched; a mapping never yields an empty host or port
// 0; applying is deterministic.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/dns/connect_to_overrides.h"
#include "net/dns/host_resolver_rules.h"

namespace {

const net::HostPortPair kProbes[] = {
    net::HostPortPair("news.example", 443),
    net::HostPortPair("cdn.news.example", 80),
    net::HostPortPair("127.0.0.1", 8080),
    net::HostPortPair("::1", 443),
};

void FuzzRules(std::string_view text) {
  net::HostResolverRules rules;
  std::string error;
  if (net::HostResolverRules::Parse(text, &rules, &error) != net::OK) {
    FUZZ_CHECK(!error.empty(), "rules error without a message");
    FUZZ_CHECK(rules.empty(), "failed parse changed the rules");
    return;
  }
  for (const net::HostPortPair& probe : kProbes) {
    net::HostPortPair first = probe;
    net::HostPortPair second = probe;
    const auto outcome = rules.Apply(&first);
    FUZZ_CHECK(outcome == rules.Apply(&second) && first == second,
               "Apply is not deterministic");
    if (outcome == net::HostResolverRules::Outcome::kMapped) {
      FUZZ_CHECK(!first.host().empty(), "mapped to an empty host");
      FUZZ_CHECK(first.port() != 0, "mapped to port 0");
    }
  }
}

void FuzzConnectTo(std::string_view text) {
  net::ConnectToOverrides overrides;
  std::string error;
  if (net::ConnectToOverrides::Parse(text, &overrides, &error) != net::OK) {
    FUZZ_CHECK(!error.empty(), "connect-to error without a message");
    FUZZ_CHECK(overrides.empty(), "failed parse changed the overrides");
    return;
  }
  for (const net::HostPortPair& probe : kProbes) {
    const std::optional<net::HostPortPair> target = overrides.Apply(probe);
    if (target) {
      FUZZ_CHECK(!target->host().empty(), "connect-to an empty host");
      FUZZ_CHECK(target->port() != 0, "connect-to port 0");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  FuzzRules(text);
  FuzzConnectTo(text);
  return 0;
}
