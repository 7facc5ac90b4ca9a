#ifndef HOST_SCRIPT_CONTEXT_H_
#define HOST_SCRIPT_CONTEXT_H_

#include <JavaScriptCore/JavaScript.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "host/document_parser.h"
#include "net/event/timer.h"

namespace prewarm {

// One document's page scripts on JavaScriptCore: a fresh JSC context group
// and global context per document, with the DOM subset of
// ScriptDomPrelude(). What scripts do that reaches the network - an element
// inserted (link, script, iframe), an image source set, fetch(), a
// navigation - goes to the Delegate, which answers fetches through
// OnFetchDone(). Timers run on the current EventLoop.
//
// Bounds: each entry into JavaScript (a script, an event, a timer, a fetch
// answer) may run for kRunLimit; a script that runs longer, or whose process
// grows by more than kMemoryLimit while it runs, is terminated and the
// context is closed (later scripts of the document are skipped, each
// reported). At most kMaxTimers timers fire per document and none is
// scheduled beyond kMaxTimerDelay. Every failure goes to
// Delegate::OnScriptError() with file:line; the page load goes on.
//
// The Delegate is not owned and must outlive the context. Network thread
// only.
class ScriptContext {
 public:
  static constexpr absl::Duration kRunLimit = absl::Seconds(1);
  static constexpr size_t kMemoryLimit = size_t{256} << 20;
  static constexpr int kMaxTimers = 1000;
  static constexpr absl::Duration kMaxTimerDelay = absl::Seconds(10);

  class Delegate {
   public:
    virtual ~Delegate() = default;
    // A script inserted a <link>, <script> or <iframe> into the document,
    // or gave an <img> a source. `text` is an inline script's.
    virtual void OnScriptElement(const MarkupElement& element) = 0;
    // fetch(url, {mode, credentials}); answer with OnFetchDone(id, ...).
    virtual void OnScriptFetch(int id,
                               const std::string& url,
                               const std::string& mode,
                               const std::string& credentials) = 0;
    virtual void OnScriptNavigate(const std::string& url) = 0;
    virtual void OnScriptConsole(const std::string& level,
                                 const std::string& message) = 0;
    // "file:line: message".
    virtual void OnScriptError(const std::string& message) = 0;
  };

  ScriptContext(Delegate* delegate, std::string document_url);
  ScriptContext(const ScriptContext&) = delete;
  ScriptContext& operator=(const ScriptContext&) = delete;
  ~ScriptContext();

  // A markup element that scripts may find (querySelector, getElementById)
  // and click.
  void AddMarkupElement(const MarkupElement& element);
  // Runs a classic script, or a module script (strict, its own scope,
  // top-level await; a static import is reported as unsupported: JSC's C
  // API has no module loader). `line` is where it starts in `url`.
  void Evaluate(const std::string& source,
                const std::string& url,
                int line,
                bool module);
  // Fires "DOMContentLoaded" at the document or "load" at the window.
  void DispatchDocumentEvent(const std::string& type);
  // Dispatches a click on the first element matching `selector`. False
  // when nothing matches (or the context is closed).
  bool Click(const std::string& selector);
  void OnFetchDone(
      int id,
      const std::string& url,
      int status,
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::string& body,
      const std::string& error);

  // Timers scheduled and not fired, and fetches not answered.
  bool busy() const { return !timers_.empty() || pending_fetches_ > 0; }
  bool closed() const { return closed_; }
  const std::string& document_url() const { return document_url_; }

 private:
  static JSValueRef HostInsert(JSContextRef ctx,
                               JSObjectRef function,
                               JSObjectRef self,
                               size_t argc,
                               const JSValueRef argv[],
                               JSValueRef* exception);
  static JSValueRef HostFetch(JSContextRef,
                              JSObjectRef,
                              JSObjectRef,
                              size_t,
                              const JSValueRef[],
                              JSValueRef*);
  static JSValueRef HostNavigate(JSContextRef,
                                 JSObjectRef,
                                 JSObjectRef,
                                 size_t,
                                 const JSValueRef[],
                                 JSValueRef*);
  static JSValueRef HostConsole(JSContextRef,
                                JSObjectRef,
                                JSObjectRef,
                                size_t,
                                const JSValueRef[],
                                JSValueRef*);
  static JSValueRef HostError(JSContextRef,
                              JSObjectRef,
                              JSObjectRef,
                              size_t,
                              const JSValueRef[],
                              JSValueRef*);
  static JSValueRef HostUrl(JSContextRef,
                            JSObjectRef,
                            JSObjectRef,
                            size_t,
                            const JSValueRef[],
                            JSValueRef*);
  static JSValueRef HostSetTimeout(JSContextRef,
                                   JSObjectRef,
                                   JSObjectRef,
                                   size_t,
                                   const JSValueRef[],
                                   JSValueRef*);
  static JSValueRef HostClearTimeout(JSContextRef,
                                     JSObjectRef,
                                     JSObjectRef,
                                     size_t,
                                     const JSValueRef[],
                                     JSValueRef*);
  static bool ShouldTerminate(JSContextRef ctx, void* context);

  // Calls the global function `name` with `args`; false if it threw.
  bool CallGlobal(const char* name,
                  std::vector<JSValueRef> args,
                  JSValueRef* result = nullptr);
  // Runs `source`; reports an exception at `url`:`line`.
  bool Run(const std::string& source,
           const std::string& url,
           int line,
           JSValueRef* result = nullptr);
  void BeginRun();
  // After a terminated run: the context is closed.
  void ReportException(JSValueRef exception, const std::string& url, int line);
  void FireTimer(int id);
  std::string ToString(JSValueRef value) const;

  Delegate* const delegate_;
  const std::string document_url_;
  JSContextGroupRef group_ = nullptr;
  JSGlobalContextRef context_ = nullptr;
  bool closed_ = false;
  // Why the watchdog stopped the current run ("" when it did not).
  std::string terminated_;
  absl::Time run_start_;
  size_t run_start_rss_ = 0;
  int next_timer_ = 1;
  int timers_fired_ = 0;
  std::map<int, std::unique_ptr<net::OneShotTimer>> timers_;
  int pending_fetches_ = 0;
};

}  // namespace prewarm

#endif  // HOST_SCRIPT_CONTEXT_H_
