#ifndef SHELL_REPLAY_COMMAND_H_
#define SHELL_REPLAY_COMMAND_H_

#include "shell/shell_command.h"

namespace prewarm {

// `replay FILE... [--policy=prewarm|seed|chromium|single-pool|all] [--json]
// [--time-scale=X] [--summary]`: loads every scenario first (a bad file is
// reported with its line:column and nothing runs), then replays each under
// the chosen policies with ScenarioReplayer, one after the other on an
// EventLoop of its own (or the current one). Prints a table per scenario
// (side by side with --policy=all), or with --json the FORMAT.md report: one
// object, or an array when there are several. --summary adds the corpus
// totals per policy (preconnected, used, stranded, utilization, strand
// rate) and the replay's wall time against the scripted time.
class ReplayCommand : public ShellCommand {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  int Run(const std::vector<std::string>& args,
          std::ostream& out,
          std::ostream& err) override;
};

}  // namespace prewarm

#endif  // SHELL_REPLAY_COMMAND_H_
