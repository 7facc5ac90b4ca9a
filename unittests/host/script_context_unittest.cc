#include "host/script_context.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/event/event_loop.h"

namespace prewarm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Records what the scripts asked of the host.
class Recorder : public ScriptContext::Delegate {
 public:
  void OnScriptElement(const MarkupElement& element) override {
    std::string text;
    for (const auto& [name, value] : element.attributes)
      text += " " + name + "=" + value;
    static const char* const kTags[] = {"link",   "script", "img",
                                        "iframe", "style",  "other"};
    elements.push_back(kTags[static_cast<int>(element.tag)] + text);
  }
  void OnScriptFetch(int id,
                     const std::string& url,
                     const std::string& mode,
                     const std::string& credentials) override {
    fetches.push_back(std::to_string(id) + " " + url + " " + mode + " " +
                      credentials);
  }
  void OnScriptNavigate(const std::string& url) override {
    navigations.push_back(url);
  }
  void OnScriptConsole(const std::string& level,
                       const std::string& message) override {
    console.push_back(level + ": " + message);
  }
  void OnScriptError(const std::string& message) override {
    errors.push_back(message);
  }

  std::vector<std::string> elements, fetches, navigations, console, errors;
};

class ScriptContextTest : public ::testing::Test {
 protected:
  ScriptContextTest() : context_(&recorder_, "https://page.test/index.html") {}

  void Run(const std::string& source, bool module = false) {
    context_.Evaluate(source, "https://page.test/app.js", 1, module);
  }

  net::EventLoop loop_;
  Recorder recorder_;
  ScriptContext context_;
};

TEST_F(ScriptContextTest, ClassicAndModuleScriptsRunModernJavaScript) {
  Run(R"(
    class Greeter { constructor(name) { this.name = name; }
                    greet() { return `hi ${this.name}`; } }
    const names = ['a', 'b'].map((n) => new Greeter(n).greet());
    let total = 0;
    for (const n of [1, 2, 3]) total += n;
    console.log(names.join(','), total, location.href);
  )");
  Run(R"(
    const value = await Promise.resolve(41);
    console.info('module', value + 1, typeof globalThis.value);
  )",
      /*module=*/true);
  EXPECT_TRUE(recorder_.errors.empty()) << recorder_.errors[0];
  EXPECT_THAT(recorder_.console,
              ElementsAre("log: hi a,hi b 6 https://page.test/index.html",
                          "info: module 42 undefined"));
}

TEST_F(ScriptContextTest, ErrorsNameFileAndLineAndLaterScriptsStillRun) {
  Run("let a = 1;\nlet b = 2;\nnotDefined();\n");
  Run("syntax error here (");
  Run("console.log('still running')");
  ASSERT_EQ(recorder_.errors.size(), 2u);
  EXPECT_THAT(recorder_.errors[0], HasSubstr("https://page.test/app.js:3: "));
  EXPECT_THAT(recorder_.errors[0], HasSubstr("notDefined"));
  EXPECT_THAT(recorder_.errors[1], HasSubstr("https://page.test/app.js:1: "));
  EXPECT_THAT(recorder_.console, ElementsAre("log: still running"));
  // An error thrown by a module, also after an await, is reported too.
  Run("await null;\nthrow new Error('late');", /*module=*/true);
  ASSERT_EQ(recorder_.errors.size(), 3u);
  EXPECT_THAT(recorder_.errors[2], HasSubstr("late"));
}

TEST_F(ScriptContextTest, EndlessLoopIsStoppedAndTheContextCloses) {
  Run("console.log('before');\nwhile (true) {}\n");
  ASSERT_EQ(recorder_.errors.size(), 1u);
  EXPECT_THAT(recorder_.errors[0], HasSubstr("ran longer than"));
  EXPECT_TRUE(context_.closed());
  Run("console.log('after')");
  ASSERT_EQ(recorder_.errors.size(), 2u);
  EXPECT_THAT(recorder_.errors[1], HasSubstr("not run"));
  EXPECT_THAT(recorder_.console, ElementsAre("log: before"));
}

TEST_F(ScriptContextTest, UnboundedAllocationIsStopped) {
  Run("const keep = [];\n"
      "while (true) keep.push(new Array(100000).fill(keep.length));\n");
  ASSERT_EQ(recorder_.errors.size(), 1u);
  EXPECT_THAT(recorder_.errors[0], HasSubstr("stopped"));
  EXPECT_TRUE(context_.closed());
}

TEST_F(ScriptContextTest, DomCallsReachTheHost) {
  Run(R"(
    const link = document.createElement('link');
    link.rel = 'preconnect';
    link.href = 'https://cdn.test';
    link.crossOrigin = 'anonymous';
    document.head.appendChild(link);
    const image = new Image();
    image.src = '/pixel.gif';
    const frame = document.createElement('iframe');
    frame.setAttribute('src', 'https://widget.test/');
    const detached = document.createElement('script');
    detached.src = '/never.js';
    document.body.appendChild(frame);
  )");
  EXPECT_TRUE(recorder_.errors.empty()) << recorder_.errors[0];
  EXPECT_THAT(
      recorder_.elements,
      ElementsAre("link rel=preconnect href=https://cdn.test "
                  "crossorigin=anonymous",
                  "img src=/pixel.gif", "iframe src=https://widget.test/"));
}

TEST_F(ScriptContextTest, ReactResourceHintsDedupAndIgnoreInvalidInput) {
  Run(R"(
    ReactDOM.preconnect('https://a.test');
    ReactDOM.preconnect('https://a.test');
    ReactDOM.preconnect('https://a.test', { crossOrigin: 'anonymous' });
    ReactDOM.preconnect('https://a.test', { crossOrigin: 'whatever' });
    ReactDOM.preconnect('https://a.test', { crossOrigin: 'use-credentials' });
    ReactDOM.preconnect(42);
    ReactDOM.preconnect('');
    ReactDOM.prefetchDNS('https://b.test');
    ReactDOM.prefetchDNS({});
    ReactDOM.preload('https://c.test/f.woff2', { as: 'font' });
    ReactDOM.preload('https://c.test/f.woff2', { as: 'font' });
    ReactDOM.preload('https://c.test/s.js');
    ReactDOM.preload('https://c.test/s.js', { as: 'script', integrity: 'sha384-x' });
  )");
  EXPECT_TRUE(recorder_.errors.empty()) << recorder_.errors[0];
  EXPECT_THAT(
      recorder_.elements,
      ElementsAre(
          "link rel=preconnect href=https://a.test",
          // Every string other than use-credentials is "".
          "link rel=preconnect crossorigin= href=https://a.test",
          "link rel=preconnect crossorigin=use-credentials href=https://a.test",
          "link rel=dns-prefetch href=https://b.test",
          "link rel=preload as=font crossorigin= href=https://c.test/f.woff2",
          "link rel=preload as=script integrity=sha384-x "
          "href=https://c.test/s.js"));
}

TEST_F(ScriptContextTest, FetchResolvesToAResponse) {
  Run(R"(
    fetch('/api', { credentials: 'include' })
      .then((response) => {
        console.log(response.status, response.ok,
                    response.headers.get('Content-Type'));
        return response.json();
      })
      .then((data) => console.log('answer', data.answer));
    fetch('https://down.test/').catch((e) => console.log('failed', e.message));
  )");
  ASSERT_THAT(recorder_.fetches, ElementsAre("1 /api cors include",
                                             "2 https://down.test/ cors "
                                             "same-origin"));
  EXPECT_TRUE(context_.busy());
  context_.OnFetchDone(1, "https://page.test/api", 200,
                       {{"content-type", "application/json"}},
                       "{\"answer\": 42}", "");
  context_.OnFetchDone(2, "https://down.test/", 0, {}, "",
                       "Failed to fetch: ERR_NAME_NOT_RESOLVED");
  EXPECT_FALSE(context_.busy());
  EXPECT_THAT(
      recorder_.console,
      ElementsAre("log: 200 true application/json", "log: answer 42",
                  "log: failed Failed to fetch: ERR_NAME_NOT_RESOLVED"));
}

TEST_F(ScriptContextTest, TimersRunOnTheLoopAndCanBeCleared) {
  Run(R"(
    setTimeout(() => console.log('second'), 2);
    setTimeout((word) => console.log(word), 0, 'first');
    const cancelled = setTimeout(() => console.log('never'), 1);
    clearTimeout(cancelled);
    setTimeout(() => {}, 60 * 60 * 1000);
  )");
  ASSERT_EQ(recorder_.errors.size(), 1u);
  EXPECT_THAT(recorder_.errors[0], HasSubstr("not scheduled"));
  net::RunLoop run_loop;
  std::function<void()> poll = [&] {
    if (!context_.busy()) {
      run_loop.Quit();
      return;
    }
    net::EventLoop::Current()->PostDelayedTask([&] { poll(); },
                                               absl::Milliseconds(1));
  };
  poll();
  run_loop.Run();
  EXPECT_THAT(recorder_.console, ElementsAre("log: first", "log: second"));
}

TEST_F(ScriptContextTest, EventsAndAClickRunTheirListeners) {
  MarkupElement button;
  button.tag = MarkupElement::Tag::kOther;
  button.name = "button";
  button.attributes = {{"id", "start"}, {"class", "cta big"}};
  context_.AddMarkupElement(button);
  Run(R"(
    import { preconnect } from 'react-dom';
    document.addEventListener('DOMContentLoaded', () => console.log('dcl'));
    window.addEventListener('load', () => console.log('load'));
    document.getElementById('start').addEventListener('click', () => {
      preconnect('https://wizard.test');
      location.href = 'https://wizard.test/step1';
    });
  )",
      /*module=*/true);
  EXPECT_TRUE(recorder_.errors.empty()) << recorder_.errors[0];
  context_.DispatchDocumentEvent("DOMContentLoaded");
  context_.DispatchDocumentEvent("load");
  EXPECT_FALSE(context_.Click("#missing"));
  EXPECT_TRUE(context_.Click("button.cta"));
  EXPECT_THAT(recorder_.console, ElementsAre("log: dcl", "log: load"));
  EXPECT_THAT(recorder_.elements,
              ElementsAre("link rel=preconnect href=https://wizard.test"));
  EXPECT_THAT(recorder_.navigations, ElementsAre("https://wizard.test/step1"));
}

TEST_F(ScriptContextTest, ImportsOtherThanReactDomAreReported) {
  Run("import { x } from './other.js';\nconsole.log(x);", /*module=*/true);
  ASSERT_EQ(recorder_.errors.size(), 1u);
  EXPECT_THAT(recorder_.errors[0], HasSubstr("'./other.js'"));
  EXPECT_TRUE(recorder_.console.empty());
}

}  // namespace
}  // namespace prewarm
