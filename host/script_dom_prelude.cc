#include "host/script_dom_prelude.h"

namespace prewarm {

const char* ScriptDomPrelude() {
  return R"JS(
(function (global) {
  'use strict';
  const host = global.__host;
  delete global.__host;

  // Elements: attributes as strings, the reflected properties scripts set.
  const reflected = {
    src: 'src', href: 'href', rel: 'rel', as: 'as', type: 'type', id: 'id',
    crossOrigin: 'crossorigin', integrity: 'integrity', className: 'class',
  };
  class Element {
    constructor(tag) {
      this.tagName = String(tag).toUpperCase();
      this.localName = String(tag).toLowerCase();
      this.attributes = new Map();
      this.listeners = new Map();
      this.connected = false;
      this.children = [];
    }
    setAttribute(name, value) {
      name = String(name).toLowerCase();
      this.attributes.set(name, String(value));
      this._changed(name);
    }
    getAttribute(name) {
      const value = this.attributes.get(String(name).toLowerCase());
      return value === undefined ? null : value;
    }
    hasAttribute(name) { return this.attributes.has(String(name).toLowerCase()); }
    removeAttribute(name) { this.attributes.delete(String(name).toLowerCase()); }
    addEventListener(type, listener) {
      if (typeof listener !== 'function') return;
      if (!this.listeners.has(type)) this.listeners.set(type, []);
      this.listeners.get(type).push(listener);
    }
    removeEventListener(type, listener) {
      const list = this.listeners.get(type);
      if (list) this.listeners.set(type, list.filter((l) => l !== listener));
    }
    appendChild(child) {
      if (!(child instanceof Element)) throw new TypeError('appendChild needs an element');
      this.children.push(child);
      if (this.connected) connect(child);
      return child;
    }
    append(...nodes) { for (const node of nodes) if (node instanceof Element) this.appendChild(node); }
    insertBefore(child) { return this.appendChild(child); }
    click() { dispatch(this, 'click'); }
    _changed(name) {
      // An <img> fetches as soon as it has a source, inserted or not.
      if (this.localName === 'img' && name === 'src') host.insert('img', attributesOf(this));
    }
  }
  for (const [property, attribute] of Object.entries(reflected)) {
    Object.defineProperty(Element.prototype, property, {
      get() { return this.getAttribute(attribute) ?? ''; },
      set(value) {
        if (value === null || value === undefined) { this.removeAttribute(attribute); return; }
        this.setAttribute(attribute, value);
      },
    });
  }
  for (const flag of ['async', 'defer']) {
    Object.defineProperty(Element.prototype, flag, {
      get() { return this.hasAttribute(flag); },
      set(value) { if (value) this.setAttribute(flag, ''); else this.removeAttribute(flag); },
    });
  }
  Object.defineProperty(Element.prototype, 'onclick', {
    get() { return this._onclick ?? null; },
    set(value) { this._onclick = typeof value === 'function' ? value : null; },
  });
  Object.defineProperty(Element.prototype, 'textContent', {
    get() { return this._text ?? ''; },
    set(value) { this._text = String(value); },
  });
  Object.defineProperty(Element.prototype, 'text', {
    get() { return this.textContent; },
    set(value) { this.textContent = value; },
  });

  function attributesOf(element) {
    const out = {};
    for (const [name, value] of element.attributes) out[name] = value;
    return out;
  }

  const elements = [];
  function connect(element) {
    if (element.connected) return;
    element.connected = true;
    elements.push(element);
    const tag = element.localName;
    if (tag === 'link' || tag === 'script' || tag === 'iframe') {
      host.insert(tag, attributesOf(element), element.textContent);
    }
    for (const child of element.children) connect(child);
  }

  // Selectors: tag, #id, .class, tag#id, tag.class, [attr="value"], and
  // those combined, matched against one element.
  function matches(element, selector) {
    let position = 0;
    let tag;
    const checks = [];
    const first = /^[a-zA-Z][\w-]*/.exec(selector);
    if (first) { tag = first[0].toLowerCase(); position = first[0].length; }
    const part = /#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/y;
    while (position < selector.length) {
      part.lastIndex = position;
      const m = part.exec(selector);
      if (!m) throw new SyntaxError(`unsupported selector '${selector}'`);
      checks.push(m);
      position = part.lastIndex;
    }
    if (tag && element.localName !== tag) return false;
    for (const m of checks) {
      if (m[1] !== undefined && element.getAttribute('id') !== m[1]) return false;
      if (m[2] !== undefined && !(element.getAttribute('class') ?? '').split(/\s+/).includes(m[2])) return false;
      if (m[3] !== undefined) {
        const value = element.getAttribute(m[3]);
        if (value === null || (m[4] !== undefined && value !== m[4])) return false;
      }
    }
    return true;
  }

  function dispatch(target, type) {
    const event = { type, target, defaultPrevented: false,
                    preventDefault() { this.defaultPrevented = true; },
                    stopPropagation() {} };
    const list = target.listeners ? (target.listeners.get(type) ?? []) : [];
    for (const listener of list.slice()) {
      try { listener.call(target, event); } catch (e) { host.error(e); }
    }
    if (type === 'click' && target._onclick) {
      try { target._onclick.call(target, event); } catch (e) { host.error(e); }
    }
    if (type === 'click' && !event.defaultPrevented && target.localName === 'a' &&
        target.hasAttribute('href')) {
      host.navigate(target.getAttribute('href'));
    }
  }

  const documentElement = new Element('html');
  documentElement.connected = true;
  const head = new Element('head');
  const body = new Element('body');
  head.connected = body.connected = true;
  const eventTarget = { listeners: new Map(),
    addEventListener: Element.prototype.addEventListener,
    removeEventListener: Element.prototype.removeEventListener };

  const location = {
    get href() { return host.url(); },
    set href(value) { host.navigate(String(value)); },
    assign(value) { host.navigate(String(value)); },
    replace(value) { host.navigate(String(value)); },
    toString() { return host.url(); },
  };
  Object.defineProperty(location, 'origin', { get() { return new URL(host.url()).origin; } });

  const document = Object.assign(Object.create(eventTarget), {
    documentElement, head, body, location,
    createElement(tag) { return new Element(tag); },
    querySelector(selector) {
      return elements.find((e) => matches(e, String(selector))) ?? null;
    },
    querySelectorAll(selector) {
      return elements.filter((e) => matches(e, String(selector)));
    },
    getElementById(id) {
      return elements.find((e) => e.getAttribute('id') === String(id)) ?? null;
    },
  });
  document.listeners = new Map();
  Object.defineProperty(document, 'URL', { get() { return host.url(); } });

  class Image extends Element {
    constructor(width, height) { super('img'); void width; void height; }
  }

  // fetch(): a Promise of a Response, resolved when the network service
  // answers.
  class Headers {
    constructor(pairs) { this.map = new Map(); for (const [k, v] of pairs) this.map.set(k.toLowerCase(), v); }
    get(name) { const v = this.map.get(String(name).toLowerCase()); return v === undefined ? null : v; }
    has(name) { return this.map.has(String(name).toLowerCase()); }
  }
  class Response {
    constructor(url, status, headers, body) {
      this.url = url; this.status = status; this.ok = status >= 200 && status < 300;
      this.headers = new Headers(headers); this._body = body;
    }
    text() { return Promise.resolve(this._body); }
    json() { return new Promise((resolve) => resolve(JSON.parse(this._body))); }
  }
  const pendingFetches = new Map();
  let nextFetch = 1;
  function fetch(input, init) {
    init = init ?? {};
    return new Promise((resolve, reject) => {
      const id = nextFetch++;
      pendingFetches.set(id, { resolve, reject });
      host.fetch(id, String(input), String(init.mode ?? 'cors'),
                 String(init.credentials ?? 'same-origin'));
    });
  }

  const timers = new Map();
  function setTimeout(callback, delay, ...args) {
    if (typeof callback !== 'function') return 0;
    const id = host.setTimeout(Number(delay) || 0);
    timers.set(id, () => callback(...args));
    return id;
  }
  function clearTimeout(id) {
    if (timers.delete(id)) host.clearTimeout(id);
  }

  const format = (args) => args.map((a) => {
    if (typeof a === 'string') return a;
    try { return JSON.stringify(a); } catch (e) { return String(a); }
  }).join(' ');
  const console = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    console[level] = (...args) => host.console(level, format(args));
  }

  // React DOM's resource hints, as the page sees them.
  const reactKeys = new Set();
  const escape = (value) => String(value).replace(/["\\\n]/g, (c) => '\\' + c);
  function crossOriginString(input) {
    if (typeof input !== 'string') return undefined;
    return input === 'use-credentials' ? input : '';
  }
  function hintLink(rel, href, crossOrigin) {
    if (typeof href !== 'string' || !href) return;
    let key = `link[rel="${rel}"][href="${escape(href)}"]`;
    if (typeof crossOrigin === 'string') key += `[crossorigin="${crossOrigin}"]`;
    if (reactKeys.has(key)) return;
    reactKeys.add(key);
    const link = document.createElement('link');
    link.setAttribute('rel', rel);
    if (typeof crossOrigin === 'string') link.setAttribute('crossorigin', crossOrigin);
    link.setAttribute('href', href);
    head.appendChild(link);
  }
  const ReactDOM = {
    preconnect(href, options) {
      if (typeof href !== 'string') return;
      const crossOrigin = options && typeof options === 'object'
          ? crossOriginString(options.crossOrigin) : undefined;
      hintLink('preconnect', href, crossOrigin);
    },
    prefetchDNS(href) {
      if (typeof href !== 'string') return;
      hintLink('dns-prefetch', href, undefined);
    },
    preload(href, options) {
      if (typeof href !== 'string' || !href || !options ||
          typeof options !== 'object' || typeof options.as !== 'string') {
        return;
      }
      const as = options.as;
      const key = `link[rel="preload"][as="${escape(as)}"][href="${escape(href)}"]`;
      if (reactKeys.has(key)) return;
      reactKeys.add(key);
      const link = document.createElement('link');
      link.setAttribute('rel', 'preload');
      link.setAttribute('as', as);
      // Fonts are always fetched anonymously.
      const crossOrigin = as === 'font' ? '' : crossOriginString(options.crossOrigin);
      if (typeof crossOrigin === 'string') link.setAttribute('crossorigin', crossOrigin);
      if (typeof options.integrity === 'string') link.setAttribute('integrity', options.integrity);
      link.setAttribute('href', href);
      head.appendChild(link);
    },
  };

  Object.assign(global, {
    window: global, self: global, document, location, Image, fetch, Response,
    Headers, setTimeout, clearTimeout, console, ReactDOM,
    addEventListener: eventTarget.addEventListener.bind(global),
    removeEventListener: eventTarget.removeEventListener.bind(global),
  });
  global.listeners = new Map();

  // What the host calls.
  global.__hostDispatch = (target, type) => {
    dispatch(target === 'window' ? global : document, type);
  };
  global.__hostClick = (selector) => {
    const target = document.querySelector(selector);
    if (!target) return false;
    dispatch(target, 'click');
    return true;
  };
  global.__hostFetchDone = (id, url, status, headers, body, error) => {
    const pending = pendingFetches.get(id);
    if (!pending) return;
    pendingFetches.delete(id);
    if (error) pending.reject(new TypeError(error));
    else pending.resolve(new Response(url, status, headers, body));
  };
  global.__hostTimer = (id) => {
    const callback = timers.get(id);
    timers.delete(id);
    if (callback) callback();
  };
  global.__hostReportError = (e) => host.error(e);
  global.__hostAddMarkupElement = (tag, attributes) => {
    const element = new Element(tag);
    for (const [name, value] of Object.entries(attributes)) element.attributes.set(name, value);
    element.connected = true;
    elements.push(element);
  };
})(this);
)JS";
}

}  // namespace prewarm
