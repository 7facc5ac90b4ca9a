// prewarm_shell: the command-line front end. `prewarm_shell COMMAND ARGS...`
// runs one subcommand; `prewarm_shell help` lists them.

#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shell/classify_command.h"
#include "shell/demo_command.h"
#include "shell/fetch_command.h"
#include "shell/load_command.h"
#include "shell/replay_command.h"
#include "shell/shell_command.h"

namespace prewarm {
namespace {

std::vector<std::unique_ptr<ShellCommand>> MakeCommands() {
  std::vector<std::unique_ptr<ShellCommand>> commands;
  commands.push_back(std::make_unique<ClassifyCommand>());
  commands.push_back(std::make_unique<DemoCommand>());
  commands.push_back(std::make_unique<FetchCommand>());
  commands.push_back(std::make_unique<LoadCommand>());
  commands.push_back(std::make_unique<ReplayCommand>());
  return commands;
}

void PrintUsage(const std::vector<std::unique_ptr<ShellCommand>>& commands,
                std::ostream& out) {
  out << "usage: prewarm_shell COMMAND [ARGS...]\n\ncommands:\n";
  for (const auto& command : commands)
    out << "  " << command->name() << " " << command->summary() << "\n";
  out << "  help  this list\n";
}

int Main(int argc, char** argv) {
  const std::vector<std::unique_ptr<ShellCommand>> commands = MakeCommands();
  if (argc < 2) {
    PrintUsage(commands, std::cerr);
    return 2;
  }
  const std::string_view name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    PrintUsage(commands, std::cout);
    return 0;
  }
  for (const auto& command : commands) {
    if (command->name() == name) {
      const std::vector<std::string> args(argv + 2, argv + argc);
      return command->Run(args, std::cout, std::cerr);
    }
  }
  std::cerr << "prewarm_shell: unknown command '" << name << "'\n";
  PrintUsage(commands, std::cerr);
  return 2;
}

}  // namespace
}  // namespace prewarm

int main(int argc, char** argv) {
  // Every command may write to a socket whose peer has gone (a client, a test
  // server, the service): that must be an error code, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  return prewarm::Main(argc, argv);
}
