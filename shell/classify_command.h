#ifndef SHELL_CLASSIFY_COMMAND_H_
#define SHELL_CLASSIFY_COMMAND_H_

#include "shell/shell_command.h"

namespace prewarm {

// `classify URL... [--top=URL]`: for each URL, the canonical spec, origin, site
// and the partition it gets as a main-frame navigation or, with --top, as a
// subresource and a subframe of that page; or the parser's error for a
// malformed URL. Exit status 1 if any URL was malformed, 2 for a usage error
// (no URL, unknown flag, bad --top).
class ClassifyCommand : public ShellCommand {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  int Run(const std::vector<std::string>& args,
          std::ostream& out,
          std::ostream& err) override;
};

}  // namespace prewarm

#endif  // SHELL_CLASSIFY_COMMAND_H_
