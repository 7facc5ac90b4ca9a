#include "shell/classify_command.h"

#include <memory>
#include <optional>

#include "shell/url_classifier.h"

namespace prewarm {

namespace {

constexpr std::string_view kTopFlag = "--top=";

}  // namespace

std::string_view ClassifyCommand::name() const {
  return "classify";
}

std::string_view ClassifyCommand::summary() const {
  return "URL... [--top=URL]  canonical form, origin, site and partition of "
         "each URL";
}

int ClassifyCommand::Run(const std::vector<std::string>& args,
                         std::ostream& out,
                         std::ostream& err) {
  std::optional<std::string> top;
  std::vector<std::string> urls;
  for (const std::string& arg : args) {
    if (arg.starts_with(kTopFlag)) {
      top = arg.substr(kTopFlag.size());
    } else if (arg.starts_with("--")) {
      err << "classify: unknown flag '" << arg << "'\n";
      return 2;
    } else {
      urls.push_back(arg);
    }
  }
  if (urls.empty()) {
    err << "classify: no URL given\nusage: classify " << summary() << "\n";
    return 2;
  }

  std::unique_ptr<UrlClassifier> classifier;
  if (top) {
    std::string error;
    classifier = UrlClassifier::CreateForTopLevelPage(*top, &error);
    if (!classifier) {
      err << "classify: --top='" << *top
          << "' cannot be a top-level page: " << error << "\n";
      return 2;
    }
    out << "As requests from the top-level page " << classifier->top_spec()
        << ":\n";
  } else {
    classifier = std::make_unique<UrlClassifier>();
    out << "As main-frame navigations:\n";
  }

  int status = 0;
  for (const std::string& url : urls) {
    const UrlClassifier::Result result = classifier->Classify(url);
    out << UrlClassifier::Format(result);
    if (result.error != 0)
      status = 1;
  }
  return status;
}

}  // namespace prewarm
