#ifndef HOST_SCRIPT_DOM_PRELUDE_H_
#define HOST_SCRIPT_DOM_PRELUDE_H_

namespace prewarm {

// The JavaScript that builds, on top of the native `__host` object that
// ScriptContext installs, the DOM subset page scripts get: document
// (createElement, head/body.appendChild, querySelector, getElementById,
// addEventListener), Image, fetch() and Response, setTimeout/clearTimeout,
// location, console, window events, and React DOM's resource-hint API
// (ReactDOM.preconnect/prefetchDNS/preload, with React's dedup keys and its
// rule that invalid input is ignored). It ends by defining the functions
// the host calls back: __hostDispatch(target, type), __hostClick(selector),
// __hostFetchDone(...), __hostTimer(id) and __hostAddMarkupElement(tag,
// attributes). Evaluated once per fresh context, before any page script.
const char* ScriptDomPrelude();

}  // namespace prewarm

#endif  // HOST_SCRIPT_DOM_PRELUDE_H_
