#ifndef SHELL_FETCH_COMMAND_H_
#define SHELL_FETCH_COMMAND_H_

#include "shell/shell_command.h"

namespace prewarm {

// `fetch [URL] [--connect-to=HOST:PORT:HOST2:PORT2] [--ca-file=PEM]`: one GET
// through TransportConnectJob (resolve -> TCP -> TLS) and HttpBasicStream,
// printing the status, body size, negotiated protocol and TLS version, and load
// timing (dns, connect, ssl, ttfb, total in ms). With no URL it starts an HTTPS
// EmbeddedTestServer with a freshly generated test CA and fetches
// https://fetch.test/ from it, the host mapped by a connect-to override, so it
// needs no network. Exit status 1 if the URL is malformed or the fetch fails
// (with the net error and what went wrong), 2 for a usage error.
class FetchCommand : public ShellCommand {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  int Run(const std::vector<std::string>& args,
          std::ostream& out,
          std::ostream& err) override;
};

}  // namespace prewarm

#endif  // SHELL_FETCH_COMMAND_H_
