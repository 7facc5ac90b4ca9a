#include "net/test/latency_lab.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace net {

namespace {

constexpr char kNamePrefix[] = "prewarm-lab-";
constexpr char kNamespaceDir[] = "/run/netns";
constexpr char kDelayerOutput[] = "delayer.out";
constexpr absl::Duration kToolTimeout = absl::Seconds(20);
constexpr absl::Duration kDelayerStartTimeout = absl::Seconds(10);
constexpr absl::Duration kPollInterval = absl::Milliseconds(1);

std::atomic<int> next_lab_number{0};

// `name` in $PATH or the sbin directories (a root shell's PATH may lack
// them); "" if absent.
std::string FindTool(const std::string& name) {
  std::string path = getenv("PATH") ? getenv("PATH") : "";
  absl::StrAppend(&path, ":/usr/sbin:/sbin");
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

// The last non-empty line of `text`, for one-line error messages.
std::string LastLine(absl::string_view text) {
  text = absl::StripTrailingAsciiWhitespace(text);
  size_t newline = text.rfind('\n');
  return std::string(
      newline == absl::string_view::npos ? text : text.substr(newline + 1));
}

// Runs `tool` with `args` to completion in the calling thread's namespace.
// False with *error (the tool's last line of output) unless it exits 0.
bool RunTool(const std::string& tool,
             const std::vector<std::string>& args,
             std::string* error) {
  std::string path = FindTool(tool);
  if (path.empty()) {
    *error = absl::StrCat(tool, " not found");
    return false;
  }
  ScopedTempDir directory;
  if (!directory.Create("prewarm_lab_tool.", error))
    return false;
  std::vector<std::string> argv = {path};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child;
  if (!child.Start(path, argv, directory.Append("out"), error))
    return false;
  int status = 0;
  ChildProcess::WaitResult result = child.WaitUntilReady(
      [] { return false; }, kToolTimeout, kPollInterval, &status);
  if (result == ChildProcess::WaitResult::kExited && WIFEXITED(status) &&
      WEXITSTATUS(status) == 0) {
    return true;
  }
  *error = absl::StrCat(absl::StrJoin(argv, " "), ": ",
                        result == ChildProcess::WaitResult::kTimedOut
                            ? std::string("timed out")
                            : LastLine(directory.ReadFile("out")));
  return false;
}

std::string DefaultDelayerBinary() {
  std::error_code error;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  if (error)
    return "nfqueue_delayer";
  return (self.parent_path() / "nfqueue_delayer").string();
}

}  // namespace

IPAddress LatencyLab::OriginAddress(size_t index) {
  return IPAddress(127, 0, 0, static_cast<uint8_t>(10 + index));
}

std::optional<std::string> LatencyLab::UnsupportedReason() {
  if (geteuid() != 0)
    return std::string("not root: the latency lab needs CAP_NET_ADMIN");
  if (access("/proc/thread-self/ns/net", R_OK) != 0)
    return std::string("no network namespaces on this kernel");
  if (FindTool("ip").empty())
    return std::string("no `ip` (Debian package iproute2)");
  if (FindTool("iptables-legacy").empty())
    return std::string("no iptables-legacy (Debian package iptables)");
  return std::nullopt;
}

LatencyLab::LatencyLab(const Options& options) : options_(options) {}

std::unique_ptr<LatencyLab> LatencyLab::Create(const Options& options,
                                               std::string* error) {
  if (std::optional<std::string> reason = UnsupportedReason()) {
    *error = *reason;
    return nullptr;
  }
  if (options.origins.empty() || options.origins.size() > 200) {
    *error = "a latency lab needs between 1 and 200 origins";
    return nullptr;
  }
  for (const Origin& origin : options.origins) {
    const auto bytes = origin.address.bytes();
    if (!origin.address.IsIPv4() || bytes[0] != 127 ||
        origin.address == IPAddress::IPv4Localhost() ||
        origin.round_trip < absl::ZeroDuration()) {
      *error = absl::StrCat("origin address ", origin.address.ToString(),
                            " is not a loopback address other than "
                            "127.0.0.1, or its round trip is negative");
      return nullptr;
    }
  }
  RemoveLeftovers();
  std::unique_ptr<LatencyLab> lab(new LatencyLab(options));
  if (!lab->Start(error))
    return nullptr;  // The destructor undid what Start() did.
  return lab;
}

bool LatencyLab::Start(std::string* error) {
  name_ = absl::StrCat(kNamePrefix, getpid(), "-", next_lab_number++);
  if (!directory_.Create("prewarm_lab.", error))
    return false;
  original_namespace_fd_ =
      open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (original_namespace_fd_ < 0) {
    *error = absl::StrCat("cannot open this thread's network namespace: ",
                          std::strerror(errno));
    return false;
  }
  std::string tool_error;
  if (!RunTool("ip", {"netns", "add", name_}, &tool_error)) {
    *error = absl::StrCat("cannot create a network namespace: ", tool_error);
    return false;
  }
  namespace_created_ = true;
  const std::string path = absl::StrCat(kNamespaceDir, "/", name_);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    *error = absl::StrCat("cannot enter the network namespace ", name_, ": ",
                          std::strerror(errno));
    if (fd >= 0)
      close(fd);
    return false;
  }
  close(fd);
  entered_ = true;
  if (!RunTool("ip", {"link", "set", "lo", "up"}, &tool_error)) {
    *error = absl::StrCat("cannot bring loopback up: ", tool_error);
    return false;
  }

  // The delayer first: a rule that queues to nobody drops packets.
  std::vector<std::string> argv = {options_.delayer_binary.empty()
                                       ? DefaultDelayerBinary()
                                       : options_.delayer_binary};
  for (size_t i = 0; i < options_.origins.size(); ++i) {
    argv.push_back(absl::StrCat(
        "--queue=", i + 1, ":",
        absl::ToInt64Microseconds(options_.origins[i].round_trip / 2)));
  }
  argv.push_back(absl::StrCat("--max-held=", options_.max_held_per_queue));
  if (access(argv[0].c_str(), X_OK) != 0) {
    *error =
        absl::StrCat("no delayer at ", argv[0], ": ", std::strerror(errno));
    return false;
  }
  if (!delayer_.Start(argv[0], argv, directory_.Append(kDelayerOutput),
                      error)) {
    return false;
  }
  int status = 0;
  ChildProcess::WaitResult started = delayer_.WaitUntilReady(
      [this] {
        return absl::StartsWith(directory_.ReadFile(kDelayerOutput), "ready\n");
      },
      kDelayerStartTimeout, kPollInterval, &status);
  if (started != ChildProcess::WaitResult::kReady) {
    *error = absl::StrCat("the delayer did not start: ",
                          started == ChildProcess::WaitResult::kTimedOut
                              ? std::string("no \"ready\" in time")
                              : LastLine(directory_.ReadFile(kDelayerOutput)));
    return false;
  }
  return AddRules(error);
}

bool LatencyLab::AddRules(std::string* error) {
  for (size_t i = 0; i < options_.origins.size(); ++i) {
    const std::string address = options_.origins[i].address.ToString();
    const std::string queue = absl::StrCat(i + 1);
    for (const char* direction : {"-d", "-s"}) {
      std::string tool_error;
      if (!RunTool("iptables-legacy",
                   {"-w", "-A", "INPUT", "-i", "lo", direction, address, "-j",
                    "NFQUEUE", "--queue-num", queue},
                   &tool_error)) {
        *error = absl::StrCat("cannot add the NFQUEUE rule: ", tool_error);
        return false;
      }
      ++rules_added_;
    }
  }
  return true;
}

void LatencyLab::RemoveRules() {
  if (rules_added_ == 0)
    return;
  // The rules die with the namespace anyway; flushing first stops new
  // packets from reaching a delayer that is about to stop.
  std::string ignored;
  RunTool("iptables-legacy", {"-w", "-F", "INPUT"}, &ignored);
  rules_added_ = 0;
}

std::vector<NfqueueDelayerStats> LatencyLab::ReportedStats() const {
  std::vector<NfqueueDelayerStats> reported;
  for (absl::string_view line :
       absl::StrSplit(directory_.ReadFile(kDelayerOutput), '\n')) {
    if (std::optional<NfqueueDelayerStats> stats = NfqueueDelayerStats::Parse(
            std::string_view(line.data(), line.size()))) {
      reported.push_back(*stats);
    }
  }
  return reported;
}

std::optional<NfqueueDelayerStats> LatencyLab::DelayerStats(
    std::string* error) {
  if (!delayer_.is_running()) {
    *error = "the delayer is not running";
    return std::nullopt;
  }
  const size_t before = ReportedStats().size();
  kill(delayer_.pid(), SIGUSR1);
  int status = 0;
  if (delayer_.WaitUntilReady([&] { return ReportedStats().size() > before; },
                              kDelayerStartTimeout, kPollInterval,
                              &status) != ChildProcess::WaitResult::kReady) {
    *error = "the delayer did not report its counters";
    return std::nullopt;
  }
  return ReportedStats().back();
}

std::optional<NfqueueDelayerStats> LatencyLab::Stop(std::string* error) {
  RemoveRules();
  if (!delayer_.is_running()) {
    *error = "the delayer is not running";
    return std::nullopt;
  }
  const size_t before = ReportedStats().size();
  delayer_.Stop();
  std::vector<NfqueueDelayerStats> reported = ReportedStats();
  if (reported.size() <= before) {
    *error = "the delayer did not report its last counters";
    return std::nullopt;
  }
  return reported.back();
}

LatencyLab::~LatencyLab() {
  RemoveRules();
  delayer_.Stop();
  if (entered_)
    setns(original_namespace_fd_, CLONE_NEWNET);
  if (original_namespace_fd_ >= 0)
    close(original_namespace_fd_);
  if (namespace_created_) {
    std::string ignored;
    RunTool("ip", {"netns", "delete", name_}, &ignored);
  }
}

int LatencyLab::RemoveLeftovers() {
  std::error_code code;
  int removed = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(kNamespaceDir, code)) {
    std::string name = entry.path().filename().string();
    absl::string_view rest = name;
    if (!absl::ConsumePrefix(&rest, kNamePrefix))
      continue;
    int pid = 0;
    if (!absl::SimpleAtoi(rest.substr(0, rest.find('-')), &pid) || pid <= 0)
      continue;
    if (pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
      continue;
    std::string ignored;
    if (RunTool("ip", {"netns", "delete", name}, &ignored))
      ++removed;
  }
  return removed;
}

}  // namespace net
