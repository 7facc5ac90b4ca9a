#ifndef SHELL_DEMO_COMMAND_H_
#define SHELL_DEMO_COMMAND_H_

#include "shell/shell_command.h"

namespace prewarm {

// `demo [--out-dir=DIR] [--har=FILE.har] [--in-process]`: what `./prewarm demo`
// runs. It serves a realistic news site from loopback (DemoSite: seven HTTPS
// origins, reached through connect-to overrides, so nothing leaves the
// machine), and under each of the four preconnect policies, with third-party
// cookies blocked, loads the article twice in one browsing profile: a first
// visit, then - with the idle sockets closed, as a day later - a repeat visit,
// where the prewarm policy's learned correction applies. It prints the first
// visit's table under prewarm, a side-by-side comparison (sockets warmed, used,
// stranded; time to the load event), the stranded sockets' diagnostics, and
// where the SVG waterfalls, NetLogs and full tables went (DIR, default
// out/demo); --har also writes every load of the run to one HAR 1.2 file, a
// page per policy and visit.
// The network service is prewarm_service, spawned from the shell's own out
// directory and driven over IPC (NetworkServiceProcess); with --in-process,
// or when it cannot start (the output says why), an in-process
// NetworkContext. Exit status 1 if a server, the network service or an
// output file failed, 2 for a usage error.
class DemoCommand : public ShellCommand {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  int Run(const std::vector<std::string>& args,
          std::ostream& out,
          std::ostream& err) override;
};

}  // namespace prewarm

#endif  // SHELL_DEMO_COMMAND_H_
