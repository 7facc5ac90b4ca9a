#ifndef SHELL_DEMO_COMMAND_H_
#define SHELL_DEMO_COMMAND_H_

#include "shell/shell_command.h"

namespace prewarm {

// `demo`: what `./prewarm demo` runs. For now it classifies a built-in list of
// URLs (IDNA, PSL private registries, IP literals, malformed input) as
// navigations and as subresources of one page, to show how prewarm partitions
// connections.
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
