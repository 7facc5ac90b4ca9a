#ifndef SHELL_SHELL_COMMAND_H_
#define SHELL_SHELL_COMMAND_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace prewarm {

// One prewarm_shell subcommand. The dispatcher owns the commands and runs at
// most one per process. A command writes its results to `out` and problems to
// `err`, and returns the process exit status: 0 success, 1 the command ran but
// some input was bad, 2 a usage error.
class ShellCommand {
 public:
  virtual ~ShellCommand() = default;

  // The word that selects the command, e.g. "classify".
  virtual std::string_view name() const = 0;
  // One line: arguments and what the command does.
  virtual std::string_view summary() const = 0;

  // `args` excludes the command name.
  virtual int Run(const std::vector<std::string>& args,
                  std::ostream& out,
                  std::ostream& err) = 0;
};

}  // namespace prewarm

#endif  // SHELL_SHELL_COMMAND_H_
