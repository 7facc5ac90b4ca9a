#ifndef SHELL_LOAD_COMMAND_H_
#define SHELL_LOAD_COMMAND_H_

#include "shell/shell_command.h"

namespace prewarm {

// `load URL|FILE.html [--block-third-party-cookies]
// [--policy=prewarm|seed|chromium|single-pool] [--then URL]...
// [--waterfall=FILE.svg] [--netlog=FILE.json] [--har=FILE.har] [--base-url=URL]
// [--demo-site] [--in-process]`: loads a page like a browser through the
// network service (PageLoader; prewarm_service over IPC, as `demo` does, unless
// --in-process or it cannot start) and prints, per page, its hints and requests
// as a table (group key, socket PRECONNECTED/REUSED/NEW, phase timings,
// stranded sockets with their diagnostics); --waterfall, --netlog (Chrome's
// NetLog format) and --har (HAR 1.2, HarLog) write the same load to files. A
// URL is a main-frame navigation; a file is read from disk and committed at
// --base-url (default https://local.test/ + the file name) without a request.
// --demo-site serves the demo's news origins (DemoSite) on loopback, so their
// URLs load with no network. Exit status 0 when the pages committed, 1 when the
// input was bad or a page failed (unreadable file, malformed URL, a navigation
// error, an unwritable output file), 2 for a usage error.
class LoadCommand : public ShellCommand {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  int Run(const std::vector<std::string>& args,
          std::ostream& out,
          std::ostream& err) override;
};

}  // namespace prewarm

#endif  // SHELL_LOAD_COMMAND_H_
