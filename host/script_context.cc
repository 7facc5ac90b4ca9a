#include "host/script_context.h"

#include <unistd.h>

#include <fstream>
#include <regex>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "host/script_dom_prelude.h"
#include "net/event/event_loop.h"

// JavaScriptCore exports its watchdog from the shared library, but declares
// it only in JSContextRefPrivate.h, which Debian does not ship. These are
// that header's declarations; the symbols are checked at link time.
extern "C" {
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void* context);
JS_EXPORT void JSContextGroupSetExecutionTimeLimit(
    JSContextGroupRef group,
    double limit,
    JSShouldTerminateCallback callback,
    void* context);
}

namespace prewarm {

namespace {

// How often the watchdog looks at a running script.
constexpr double kWatchdogPeriodSeconds = 0.02;

// The process's resident set, in bytes.
size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

struct JsString {
  explicit JsString(const std::string& text)
      : ref(JSStringCreateWithUTF8CString(text.c_str())) {}
  ~JsString() { JSStringRelease(ref); }
  JsString(const JsString&) = delete;
  JsString& operator=(const JsString&) = delete;
  JSStringRef ref;
};

std::string FromJsString(JSStringRef string) {
  size_t size = JSStringGetMaximumUTF8CStringSize(string);
  std::string out(size, '\0');
  size_t written = JSStringGetUTF8CString(string, out.data(), size);
  out.resize(written > 0 ? written - 1 : 0);
  return out;
}

ScriptContext* Self(JSObjectRef self) {
  return static_cast<ScriptContext*>(JSObjectGetPrivate(self));
}

// `import {a, b} from 'react-dom'` is the one module the host has: the
// names bind to ReactDOM's. Any other static import cannot be loaded.
bool RewriteImports(const std::string& source,
                    std::string* rewritten,
                    std::string* problem) {
  static const std::regex kImport(
      R"(^\s*import\s+(?:\{([^}]*)\}\s+from\s+)?['"]([^'"]+)['"]\s*;?)");
  std::string out;
  size_t start = 0;
  while (start <= source.size()) {
    size_t end = source.find('\n', start);
    if (end == std::string::npos)
      end = source.size();
    std::string line = source.substr(start, end - start);
    std::smatch match;
    if (std::regex_search(line, match, kImport)) {
      if (match[2] != "react-dom") {
        *problem = absl::StrCat("static import of '", match[2].str(),
                                "' is not supported by this host (JSC's C "
                                "API has no module loader)");
        return false;
      }
      // The original line count is kept, so line numbers stay right.
      line = match[1].matched
                 ? absl::StrCat("const {", match[1].str(), "} = ReactDOM;")
                 : std::string();
    }
    absl::StrAppend(&out, line, end < source.size() ? "\n" : "");
    start = end + 1;
  }
  *rewritten = std::move(out);
  return true;
}

}  // namespace

ScriptContext::ScriptContext(Delegate* delegate, std::string document_url)
    : delegate_(delegate), document_url_(std::move(document_url)) {
  group_ = JSContextGroupCreate();
  context_ = JSGlobalContextCreateInGroup(group_, nullptr);
  JSContextGroupSetExecutionTimeLimit(group_, kWatchdogPeriodSeconds,
                                      &ScriptContext::ShouldTerminate, this);
  JSClassDefinition definition = kJSClassDefinitionEmpty;
  definition.className = "Host";
  JSClassRef host_class = JSClassCreate(&definition);
  JSObjectRef host = JSObjectMake(context_, host_class, this);
  JSClassRelease(host_class);
  struct Native {
    const char* name;
    JSObjectCallAsFunctionCallback callback;
  };
  const Native natives[] = {
      {"insert", &ScriptContext::HostInsert},
      {"fetch", &ScriptContext::HostFetch},
      {"navigate", &ScriptContext::HostNavigate},
      {"console", &ScriptContext::HostConsole},
      {"error", &ScriptContext::HostError},
      {"url", &ScriptContext::HostUrl},
      {"setTimeout", &ScriptContext::HostSetTimeout},
      {"clearTimeout", &ScriptContext::HostClearTimeout},
  };
  for (const Native& native : natives) {
    JsString name(native.name);
    JSObjectSetProperty(
        context_, host, name.ref,
        JSObjectMakeFunctionWithCallback(context_, name.ref, native.callback),
        kJSPropertyAttributeNone, nullptr);
  }
  JsString host_name("__host");
  JSObjectSetProperty(context_, JSContextGetGlobalObject(context_),
                      host_name.ref, host, kJSPropertyAttributeNone, nullptr);
  if (!Run(ScriptDomPrelude(), "prewarm:dom-prelude", 1))
    closed_ = true;
}

ScriptContext::~ScriptContext() {
  timers_.clear();
  JSGlobalContextRelease(context_);
  JSContextGroupRelease(group_);
}

// static
bool ScriptContext::ShouldTerminate(JSContextRef ctx, void* context) {
  auto* self = static_cast<ScriptContext*>(context);
  if (absl::Now() - self->run_start_ > kRunLimit) {
    self->terminated_ = absl::StrCat(
        "ran longer than ", absl::FormatDuration(kRunLimit), ": stopped");
    return true;
  }
  size_t resident = ResidentBytes();
  if (resident > self->run_start_rss_ + kMemoryLimit) {
    self->terminated_ = absl::StrCat("allocated more than ", kMemoryLimit >> 20,
                                     " MiB: stopped");
    return true;
  }
  // JSC's watchdog stays idle after a "go on" unless it is armed again.
  JSContextGroupSetExecutionTimeLimit(JSContextGetGroup(ctx),
                                      kWatchdogPeriodSeconds,
                                      &ScriptContext::ShouldTerminate, self);
  return false;
}

void ScriptContext::BeginRun() {
  terminated_.clear();
  // Real time: the loop's clock stands still while a script runs.
  run_start_ = absl::Now();
  run_start_rss_ = ResidentBytes();
}

bool ScriptContext::Run(const std::string& source,
                        const std::string& url,
                        int line,
                        JSValueRef* result) {
  if (closed_)
    return false;
  BeginRun();
  JsString script(source);
  JsString source_url(url);
  JSValueRef exception = nullptr;
  JSValueRef value = JSEvaluateScript(context_, script.ref, nullptr,
                                      source_url.ref, line, &exception);
  if (exception || !terminated_.empty()) {
    ReportException(exception, url, line);
    return false;
  }
  if (result)
    *result = value;
  return true;
}

bool ScriptContext::CallGlobal(const char* name,
                               std::vector<JSValueRef> args,
                               JSValueRef* result) {
  if (closed_)
    return false;
  JsString function_name(name);
  JSValueRef function = JSObjectGetProperty(
      context_, JSContextGetGlobalObject(context_), function_name.ref, nullptr);
  if (!function || !JSValueIsObject(context_, function))
    return false;
  BeginRun();
  JSValueRef exception = nullptr;
  JSValueRef value = JSObjectCallAsFunction(
      context_, JSValueToObject(context_, function, nullptr), nullptr,
      args.size(), args.data(), &exception);
  if (exception || !terminated_.empty()) {
    ReportException(exception, document_url_, 0);
    return false;
  }
  if (result)
    *result = value;
  return true;
}

void ScriptContext::ReportException(JSValueRef exception,
                                    const std::string& url,
                                    int line) {
  std::string where = absl::StrCat(url, ":", line);
  if (exception && JSValueIsObject(context_, exception)) {
    JSObjectRef object = JSValueToObject(context_, exception, nullptr);
    JsString line_name("line");
    JsString url_name("sourceURL");
    JSValueRef line_value =
        JSObjectGetProperty(context_, object, line_name.ref, nullptr);
    JSValueRef url_value =
        JSObjectGetProperty(context_, object, url_name.ref, nullptr);
    if (JSValueIsNumber(context_, line_value)) {
      where = absl::StrCat(
          JSValueIsString(context_, url_value) ? ToString(url_value) : url, ":",
          static_cast<int>(JSValueToNumber(context_, line_value, nullptr)));
    }
  }
  if (!terminated_.empty()) {
    // A terminated VM is not trusted to run the document's later scripts.
    closed_ = true;
    timers_.clear();
    delegate_->OnScriptError(
        absl::StrCat(where, ": script ", terminated_,
                     "; the document's later scripts do not run"));
    return;
  }
  // A message can be as long as the script; the start says what it is.
  constexpr size_t kMaxMessage = 300;
  std::string message = ToString(exception);
  if (message.size() > kMaxMessage)
    message = absl::StrCat(message.substr(0, kMaxMessage), "...");
  delegate_->OnScriptError(absl::StrCat(where, ": ", message));
}

std::string ScriptContext::ToString(JSValueRef value) const {
  if (!value)
    return "(no value)";
  JSStringRef string = JSValueToStringCopy(context_, value, nullptr);
  if (!string)
    return "(unprintable value)";
  std::string out = FromJsString(string);
  JSStringRelease(string);
  return out;
}

void ScriptContext::AddMarkupElement(const MarkupElement& element) {
  if (closed_)
    return;
  static const char* const kTags[] = {"link",   "script", "img",
                                      "iframe", "style",  ""};
  JSObjectRef attributes = JSObjectMake(context_, nullptr, nullptr);
  for (const auto& [name, value] : element.attributes) {
    JsString key(name);
    JsString text(value);
    JSObjectSetProperty(context_, attributes, key.ref,
                        JSValueMakeString(context_, text.ref),
                        kJSPropertyAttributeNone, nullptr);
  }
  std::string tag = element.tag == MarkupElement::Tag::kOther
                        ? element.name
                        : kTags[static_cast<int>(element.tag)];
  JsString tag_string(tag);
  CallGlobal("__hostAddMarkupElement",
             {JSValueMakeString(context_, tag_string.ref), attributes});
}

void ScriptContext::Evaluate(const std::string& source,
                             const std::string& url,
                             int line,
                             bool module) {
  if (closed_) {
    delegate_->OnScriptError(
        absl::StrCat(url, ":", line,
                     ": not run: an earlier script of this document was "
                     "stopped"));
    return;
  }
  if (!module) {
    Run(source, url, line);
    return;
  }
  std::string body;
  std::string problem;
  if (!RewriteImports(source, &body, &problem)) {
    delegate_->OnScriptError(absl::StrCat(url, ":", line, ": ", problem));
    return;
  }
  // Module semantics the C API can give: strict, its own scope, top-level
  // await; errors, also asynchronous ones, are reported.
  Run(absl::StrCat("(async () => { 'use strict';\n", body,
                   "\n})().catch((e) => __hostReportError(e));"),
      url, line - 1);
}

void ScriptContext::DispatchDocumentEvent(const std::string& type) {
  if (closed_)
    return;
  JsString target(type == "load" ? "window" : "document");
  JsString event(type);
  CallGlobal("__hostDispatch", {JSValueMakeString(context_, target.ref),
                                JSValueMakeString(context_, event.ref)});
}

bool ScriptContext::Click(const std::string& selector) {
  if (closed_)
    return false;
  JsString text(selector);
  JSValueRef found = nullptr;
  if (!CallGlobal("__hostClick", {JSValueMakeString(context_, text.ref)},
                  &found)) {
    return false;
  }
  return JSValueToBoolean(context_, found);
}

void ScriptContext::OnFetchDone(
    int id,
    const std::string& url,
    int status,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body,
    const std::string& error) {
  --pending_fetches_;
  if (closed_)
    return;
  std::vector<JSValueRef> pairs;
  for (const auto& [name, value] : headers) {
    JsString key(name);
    JsString text(value);
    JSValueRef pair[] = {JSValueMakeString(context_, key.ref),
                         JSValueMakeString(context_, text.ref)};
    pairs.push_back(JSObjectMakeArray(context_, 2, pair, nullptr));
  }
  JsString url_string(url);
  JsString body_string(body);
  JsString error_string(error);
  CallGlobal("__hostFetchDone",
             {JSValueMakeNumber(context_, id),
              JSValueMakeString(context_, url_string.ref),
              JSValueMakeNumber(context_, status),
              JSObjectMakeArray(context_, pairs.size(), pairs.data(), nullptr),
              JSValueMakeString(context_, body_string.ref),
              JSValueMakeString(context_, error_string.ref)});
}

void ScriptContext::FireTimer(int id) {
  timers_.erase(id);
  ++timers_fired_;
  CallGlobal("__hostTimer", {JSValueMakeNumber(context_, id)});
}

// static
JSValueRef ScriptContext::HostInsert(JSContextRef ctx,
                                     JSObjectRef function,
                                     JSObjectRef self,
                                     size_t argc,
                                     const JSValueRef argv[],
                                     JSValueRef* exception) {
  ScriptContext* context = Self(self);
  if (argc < 2 || !JSValueIsObject(ctx, argv[1]))
    return JSValueMakeUndefined(ctx);
  MarkupElement element;
  std::string tag = context->ToString(argv[0]);
  if (tag == "link") {
    element.tag = MarkupElement::Tag::kLink;
  } else if (tag == "script") {
    element.tag = MarkupElement::Tag::kScript;
  } else if (tag == "img") {
    element.tag = MarkupElement::Tag::kImage;
  } else if (tag == "iframe") {
    element.tag = MarkupElement::Tag::kIframe;
  } else {
    return JSValueMakeUndefined(ctx);
  }
  JSObjectRef attributes = JSValueToObject(ctx, argv[1], nullptr);
  JSPropertyNameArrayRef names = JSObjectCopyPropertyNames(ctx, attributes);
  for (size_t i = 0; i < JSPropertyNameArrayGetCount(names); ++i) {
    JSStringRef name = JSPropertyNameArrayGetNameAtIndex(names, i);
    element.attributes.emplace_back(
        FromJsString(name),
        context->ToString(JSObjectGetProperty(ctx, attributes, name, nullptr)));
  }
  JSPropertyNameArrayRelease(names);
  if (argc > 2 && JSValueIsString(ctx, argv[2]))
    element.text = context->ToString(argv[2]);
  element.created_by_script = true;
  context->delegate_->OnScriptElement(element);
  return JSValueMakeUndefined(ctx);
}

// static
JSValueRef ScriptContext::HostFetch(JSContextRef ctx,
                                    JSObjectRef function,
                                    JSObjectRef self,
                                    size_t argc,
                                    const JSValueRef argv[],
                                    JSValueRef* exception) {
  ScriptContext* context = Self(self);
  if (argc < 4)
    return JSValueMakeUndefined(ctx);
  ++context->pending_fetches_;
  context->delegate_->OnScriptFetch(
      static_cast<int>(JSValueToNumber(ctx, argv[0], nullptr)),
      context->ToString(argv[1]), context->ToString(argv[2]),
      context->ToString(argv[3]));
  return JSValueMakeUndefined(ctx);
}

// static
JSValueRef ScriptContext::HostNavigate(JSContextRef ctx,
                                       JSObjectRef function,
                                       JSObjectRef self,
                                       size_t argc,
                                       const JSValueRef argv[],
                                       JSValueRef* exception) {
  if (argc >= 1)
    Self(self)->delegate_->OnScriptNavigate(Self(self)->ToString(argv[0]));
  return JSValueMakeUndefined(ctx);
}

// static
JSValueRef ScriptContext::HostConsole(JSContextRef ctx,
                                      JSObjectRef function,
                                      JSObjectRef self,
                                      size_t argc,
                                      const JSValueRef argv[],
                                      JSValueRef* exception) {
  if (argc >= 2) {
    Self(self)->delegate_->OnScriptConsole(Self(self)->ToString(argv[0]),
                                           Self(self)->ToString(argv[1]));
  }
  return JSValueMakeUndefined(ctx);
}

// static
JSValueRef ScriptContext::HostError(JSContextRef ctx,
                                    JSObjectRef function,
                                    JSObjectRef self,
                                    size_t argc,
                                    const JSValueRef argv[],
                                    JSValueRef* exception) {
  ScriptContext* context = Self(self);
  context->ReportException(argc >= 1 ? argv[0] : nullptr,
                           context->document_url_, 0);
  return JSValueMakeUndefined(ctx);
}

// static
JSValueRef ScriptContext::HostUrl(JSContextRef ctx,
                                  JSObjectRef function,
                                  JSObjectRef self,
                                  size_t argc,
                                  const JSValueRef argv[],
                                  JSValueRef* exception) {
  JsString url(Self(self)->document_url_);
  return JSValueMakeString(ctx, url.ref);
}

// static
JSValueRef ScriptContext::HostSetTimeout(JSContextRef ctx,
                                         JSObjectRef function,
                                         JSObjectRef self,
                                         size_t argc,
                                         const JSValueRef argv[],
                                         JSValueRef* exception) {
  ScriptContext* context = Self(self);
  double ms = argc >= 1 ? JSValueToNumber(ctx, argv[0], nullptr) : 0;
  if (!(ms >= 0))
    ms = 0;
  const absl::Duration delay = absl::Milliseconds(ms);
  if (delay > kMaxTimerDelay ||
      context->timers_fired_ + static_cast<int>(context->timers_.size()) >=
          kMaxTimers) {
    context->delegate_->OnScriptError(absl::StrCat(
        context->document_url_, ": setTimeout(", ms,
        " ms) not scheduled: timers are bounded to ", kMaxTimers,
        " per document, each within ", absl::FormatDuration(kMaxTimerDelay)));
    return JSValueMakeNumber(ctx, 0);
  }
  const int id = context->next_timer_++;
  auto timer = std::make_unique<net::OneShotTimer>();
  timer->Start(delay, [context, id] { context->FireTimer(id); });
  context->timers_[id] = std::move(timer);
  return JSValueMakeNumber(ctx, id);
}

// static
JSValueRef ScriptContext::HostClearTimeout(JSContextRef ctx,
                                           JSObjectRef function,
                                           JSObjectRef self,
                                           size_t argc,
                                           const JSValueRef argv[],
                                           JSValueRef* exception) {
  if (argc >= 1) {
    Self(self)->timers_.erase(
        static_cast<int>(JSValueToNumber(ctx, argv[0], nullptr)));
  }
  return JSValueMakeUndefined(ctx);
}

}  // namespace prewarm
