#include "proto/scenario_loader.h"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "preload/preload_request.h"
#include "proto/utf8_validator.h"

namespace prewarm {

namespace {

using scenario::Scenario;
using scenario::Step;

// Collects the text parser's errors as "source:line:column: message", 1-based.
class TextErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit TextErrorCollector(std::string_view source) : source_(source) {}

  void AddError(int line,
                google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(
        absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message));
  }

  std::string Joined() const { return absl::StrJoin(errors_, "\n"); }

 private:
  std::string source_;
  std::vector<std::string> errors_;
};

// Validates steps in order, tracking which documents exist. A main-frame
// navigation starts a new generation: documents of older generations have
// ended.
class StepChecker {
 public:
  // Returns "" when the step is fine.
  std::string Check(const Step& step, int number) {
    switch (step.action_case()) {
      case Step::kNavigate:
        return CheckNavigate(step.navigate(), number);
      case Step::kLoadEvent:
        return CheckLoadEvent(step.load_event(), number);
      case Step::kPreconnect:
        return CheckPreconnect(step.preconnect());
      case Step::kDnsPrefetch:
        return CheckCommitted("dns_prefetch.document",
                              step.dns_prefetch().document());
      case Step::kFetch:
        return CheckFetch(step.fetch());
      case Step::kPreload:
        return CheckPreload(step.preload());
      case Step::ACTION_NOT_SET:
        break;
    }
    return "no action (navigate, load_event, preconnect, dns_prefetch, fetch "
           "or preload)";
  }

 private:
  struct DocumentState {
    int committed_at_step = 0;
    int generation = 0;
    int load_event_step = 0;  // 0 until its load event.
  };

  static std::string CheckUrl(const char* field, const std::string& spec) {
    if (spec.empty())
      return absl::StrCat(field, " is missing");
    net::Url url = net::Url::Parse(spec);
    if (!url.is_valid()) {
      return absl::StrCat(field, " \"", spec,
                          "\" is not a valid URL: ", url.error_message());
    }
    if (!url.SchemeIsHttpOrHttps()) {
      return absl::StrCat(field, " \"", spec, "\" is not an http or https URL");
    }
    return "";
  }

  std::string CheckCommitted(const char* field, const std::string& id) {
    if (id.empty())
      return absl::StrCat(field, " is missing");
    if (!documents_.contains(id)) {
      return absl::StrCat(field, " \"", id,
                          "\" is not a document committed by an earlier "
                          "navigate step");
    }
    return "";
  }

  std::string CheckLive(const char* field, const std::string& id) {
    std::string error = CheckCommitted(field, id);
    if (!error.empty())
      return error;
    const DocumentState& state = documents_.at(id);
    if (state.generation != generation_) {
      return absl::StrCat(field, " \"", id, "\" (committed at step ",
                          state.committed_at_step,
                          ") has ended: a later main-frame navigation "
                          "replaced it");
    }
    return "";
  }

  std::string CheckNavigate(const scenario::Navigate& navigate, int number) {
    if (navigate.document().empty())
      return "navigate.document is missing";
    auto it = documents_.find(navigate.document());
    if (it != documents_.end()) {
      return absl::StrCat("navigate.document \"", navigate.document(),
                          "\" was already committed at step ",
                          it->second.committed_at_step,
                          ": document ids are unique");
    }
    std::string error = CheckUrl("navigate.url", navigate.url());
    if (!error.empty())
      return error;
    if (navigate.parent().empty()) {
      ++generation_;
    } else {
      error = CheckLive("navigate.parent", navigate.parent());
      if (!error.empty())
        return error;
    }
    documents_[navigate.document()] = {number, generation_, 0};
    return "";
  }

  std::string CheckLoadEvent(const scenario::LoadEvent& load_event,
                             int number) {
    std::string error = CheckLive("load_event.document", load_event.document());
    if (!error.empty())
      return error;
    DocumentState& state = documents_[load_event.document()];
    if (state.load_event_step != 0) {
      return absl::StrCat("load_event for \"", load_event.document(),
                          "\" already fired at step ", state.load_event_step);
    }
    state.load_event_step = number;
    return "";
  }

  std::string CheckPreconnect(const scenario::Preconnect& preconnect) {
    if (!scenario::CrossOrigin_IsValid(preconnect.crossorigin())) {
      return absl::StrCat("preconnect.crossorigin ", preconnect.crossorigin(),
                          " is not a CrossOrigin value");
    }
    if (!scenario::Purpose_IsValid(preconnect.purpose())) {
      return absl::StrCat("preconnect.purpose ", preconnect.purpose(),
                          " is not a Purpose value");
    }
    return CheckCommitted("preconnect.document", preconnect.document());
  }

  std::string CheckFetch(const scenario::Fetch& fetch) {
    if (!scenario::RequestMode_IsValid(fetch.mode())) {
      return absl::StrCat("fetch.mode ", fetch.mode(),
                          " is not a RequestMode value");
    }
    if (fetch.mode() == scenario::NAVIGATE) {
      return "fetch.mode NAVIGATE belongs to navigations: use a navigate step";
    }
    if (!scenario::CredentialsMode_IsValid(fetch.credentials())) {
      return absl::StrCat("fetch.credentials ", fetch.credentials(),
                          " is not a CredentialsMode value");
    }
    AuthorHeaders headers;
    for (const scenario::Header& header : fetch.headers())
      headers.emplace_back(header.name(), header.value());
    if (std::string problem = AuthorHeadersProblem(headers); !problem.empty())
      return absl::StrCat("fetch.headers: ", problem);
    std::string error = CheckLive("fetch.document", fetch.document());
    if (!error.empty())
      return error;
    return CheckUrl("fetch.url", fetch.url());
  }

  // The URL and `as` are left to the replay, which reports a bad one as an
  // IGNORED preload, as a browser ignores the tag.
  std::string CheckPreload(const scenario::Preload& preload) {
    if (!scenario::CrossOrigin_IsValid(preload.crossorigin())) {
      return absl::StrCat("preload.crossorigin ", preload.crossorigin(),
                          " is not a CrossOrigin value");
    }
    return CheckLive("preload.document", preload.document());
  }

  absl::flat_hash_map<std::string, DocumentState> documents_;
  int generation_ = 0;
};

std::string CheckCookieSettings(const scenario::CookieSettings& settings) {
  for (int i = 0; i < settings.exceptions_size(); ++i) {
    const scenario::CookieException& exception = settings.exceptions(i);
    std::string field = absl::StrCat("cookie_settings.exceptions[", i, "]");
    if (!scenario::CookieException::Kind_IsValid(exception.kind())) {
      return absl::StrCat(field, ".kind ", exception.kind(),
                          " is not a CookieException.Kind value");
    }
    net::Url url = net::Url::Parse(exception.site());
    if (!url.is_valid() || !url.SchemeIsHttpOrHttps()) {
      return absl::StrCat(field, ".site \"", exception.site(),
                          "\" is not an http or https URL such as "
                          "\"https://cdn.example\"");
    }
  }
  return "";
}

std::string CheckPoolConfig(const scenario::PoolConfig& config) {
  if (config.has_max_sockets_per_group() &&
      config.max_sockets_per_group() == 0) {
    return "pool_config.max_sockets_per_group must be at least 1";
  }
  if (config.has_max_sockets_total() && config.max_sockets_total() == 0)
    return "pool_config.max_sockets_total must be at least 1";
  if (config.has_max_sockets_per_group() && config.has_max_sockets_total() &&
      config.max_sockets_per_group() > config.max_sockets_total()) {
    return absl::StrCat(
        "pool_config.max_sockets_per_group (", config.max_sockets_per_group(),
        ") exceeds max_sockets_total (", config.max_sockets_total(), ")");
  }
  return "";
}

// Each resource: an http(s) URL named once, a delay of at most a minute
// (a scenario lasts seconds), and header values that stay one line.
std::string CheckResources(const Scenario& scenario) {
  absl::flat_hash_map<std::string, int> seen;
  for (int i = 0; i < scenario.resources_size(); ++i) {
    const scenario::Resource& resource = scenario.resources(i);
    std::string field = absl::StrCat("resources[", i, "]");
    net::Url url = net::Url::Parse(resource.url());
    if (!url.is_valid() || !url.SchemeIsHttpOrHttps()) {
      return absl::StrCat(field, ".url \"", resource.url(),
                          "\" is not an http or https URL");
    }
    if (auto [it, inserted] = seen.emplace(url.spec(), i); !inserted) {
      return absl::StrCat(field, ".url ", url.spec(), " is already resources[",
                          it->second, "]");
    }
    if (resource.delay_ms() > 60000)
      return absl::StrCat(field, ".delay_ms ", resource.delay_ms(),
                          " is over 60000");
    AuthorHeaders headers = {{"Cache-Control", resource.cache_control()},
                             {"Vary", resource.vary()}};
    if (std::string problem = AuthorHeadersProblem(headers); !problem.empty())
      return absl::StrCat(field, ": ", problem);
  }
  return "";
}

ScenarioLoader::Result Invalid(std::string message) {
  ScenarioLoader::Result result;
  result.error = net::ERR_INVALID_SCENARIO;
  result.error_message = std::move(message);
  return result;
}

// Validates a freshly parsed scenario and names it after its source if unnamed.
ScenarioLoader::Result Finish(Scenario scenario, std::string_view source_name) {
  // Text format and JSON take bytes a proto3 string may not hold; refused
  // here, as the service refuses such a string, so a scenario replays the
  // same in-process and over IPC.
  std::string field = Utf8Validator::FindInvalidField(scenario);
  if (!field.empty()) {
    return Invalid(absl::StrCat(std::string(source_name), ": ", field,
                                " is not valid UTF-8"));
  }
  std::string message;
  if (ScenarioLoader::Validate(scenario, &message) != net::OK)
    return Invalid(absl::StrCat(std::string(source_name), ": ", message));
  if (scenario.name().empty())
    scenario.set_name(std::string(source_name));
  ScenarioLoader::Result result;
  result.scenario = std::move(scenario);
  return result;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

// static
ScenarioLoader::Result ScenarioLoader::LoadFile(const std::string& path) {
  std::string_view stem = path;
  if (size_t slash = stem.rfind('/'); slash != std::string_view::npos)
    stem.remove_prefix(slash + 1);
  bool is_json = EndsWith(stem, ".json");
  bool is_text = EndsWith(stem, ".textproto") || EndsWith(stem, ".txtpb") ||
                 EndsWith(stem, ".pbtxt");
  if (!is_json && !is_text) {
    return Invalid(absl::StrCat(
        path,
        ": unknown scenario file extension (expected .textproto or .json)"));
  }
  stem = stem.substr(0, stem.rfind('.'));

  std::ifstream file(path, std::ios::binary);
  if (!file) {
    Result result;
    result.error = net::ERR_FILE_NOT_FOUND;
    result.error_message = absl::StrCat(path, ": cannot open the file");
    return result;
  }
  std::stringstream contents;
  contents << file.rdbuf();
  Result result = is_json ? ParseJson(contents.str(), path)
                          : ParseTextProto(contents.str(), path);
  if (result.ok() && result.scenario.name() == path)
    result.scenario.set_name(std::string(stem));
  return result;
}

// static
ScenarioLoader::Result ScenarioLoader::ParseTextProto(
    std::string_view text,
    std::string_view source_name) {
  TextErrorCollector errors(source_name);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  Scenario scenario;
  if (!parser.ParseFromString(std::string(text), &scenario))
    return Invalid(errors.Joined());
  return Finish(std::move(scenario), source_name);
}

// static
ScenarioLoader::Result ScenarioLoader::ParseJson(std::string_view json,
                                                 std::string_view source_name) {
  Scenario scenario;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &scenario,
      options);
  if (!status.ok()) {
    return Invalid(absl::StrCat(
        std::string(source_name),
        ": invalid JSON scenario: ", std::string(status.message())));
  }
  return Finish(std::move(scenario), source_name);
}

// static
int ScenarioLoader::Validate(const Scenario& scenario, std::string* message) {
  std::string error = CheckCookieSettings(scenario.cookie_settings());
  if (error.empty())
    error = CheckPoolConfig(scenario.pool_config());
  if (error.empty())
    error = CheckResources(scenario);
  if (error.empty() && scenario.steps_size() == 0)
    error = "the scenario has no steps";
  if (!error.empty()) {
    *message = std::move(error);
    return net::ERR_INVALID_SCENARIO;
  }

  StepChecker checker;
  for (int i = 0; i < scenario.steps_size(); ++i) {
    const Step& step = scenario.steps(i);
    int number = i + 1;
    if (i > 0 && step.at_ms() < scenario.steps(i - 1).at_ms()) {
      error =
          absl::StrCat("at_ms ", step.at_ms(), " is earlier than step ",
                       number - 1, "'s at_ms ", scenario.steps(i - 1).at_ms(),
                       ": steps must be in time order");
    } else {
      error = checker.Check(step, number);
    }
    if (!error.empty()) {
      *message = absl::StrCat("step ", number, ": ", error);
      return net::ERR_INVALID_SCENARIO;
    }
  }
  return net::OK;
}

}  // namespace prewarm
