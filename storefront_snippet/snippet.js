/*! Saleor Proactive storefront snippet v1. Plain JavaScript, no dependencies. See README.md. */
(function (window, document) {
  'use strict';

  // Every selector, name and limit in one place.
  var C = {
    GLOBAL: 'saleorProactive',
    SCRIPT_SELECTOR: 'script[src*="/storefront/v1/snippet.js"]',
    SRC_TAIL: /\/storefront\/v1\/snippet\.js([?#].*)?$/,
    EVENTS_PATH: '/storefront/v1/events',
    PAGE_ATTR: 'data-proactive-page',
    JSON_LD: 'script[type="application/ld+json"]',
    HOST_TAG: 'saleor-proactive',
    READY_EVENT: 'saleor-proactive:ready',
    OPEN_CHAT_EVENT: 'saleor-proactive:open-chat',
    KEY: 'saleorProactive.',  // storage key prefix
    ID_RE: /^[A-Za-z0-9_-]{1,64}$/,
    LOCALE_RE: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/,
    COLOR_RE: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i,
    PAGE_TYPES: ['home', 'category', 'product', 'search', 'cart', 'checkout', 'contact', 'faq', 'other'],
    ID_CHARS: 22,
    MAX_EVENTS: 50,
    MAX_BODY: 32000,
    MAX_URL: 2000,
    MAX_DISMISSED: 50,
    TIMEOUT_MS: 8000,
    SPA_SETTLE_MS: 100,  // let a client-side router render before reading the page
    MOBILE_MAX_PX: 767,
    Z_INDEX: 2147483000,
    ACCENT: '#0b57d0',
    CLOSE: { en: 'Close', es: 'Cerrar', fr: 'Fermer', de: 'Schließen', it: 'Chiudi', pt: 'Fechar' }
  };

  var CSS =
    // Inner !important beats the page's !important on the host: nothing outside can move or hide it.
    ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;' +
    'left:0!important;width:0!important;height:0!important;z-index:' + C.Z_INDEX + '!important}' +
    '*{box-sizing:border-box;margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;' +
    'letter-spacing:normal;text-transform:none;text-align:left}' +
    '.bar,.bubble{position:fixed;pointer-events:auto;animation:spx-in .25s ease-out}' +
    '.bar{left:0;right:0;bottom:0;display:flex;align-items:center;justify-content:center;min-height:40px;' +
    'padding:8px 52px;background:var(--a);color:var(--t);box-shadow:0 0 6px rgba(0,0,0,.25)}' +
    '.bar.top{bottom:auto;top:0}.bar p{text-align:center;font-weight:600}' +
    '.bubble{right:16px;bottom:16px;width:min(340px,calc(100vw - 32px));padding:16px 48px 16px 16px;' +
    'background:#fff;color:#1b1b1b;border-radius:12px;box-shadow:0 6px 28px rgba(0,0,0,.28)}' +
    '.bubble.left{right:auto;left:16px}.bar:not(.top)~.bubble{bottom:72px}' +
    'button{cursor:pointer;border:0;color:inherit;background:transparent}' +
    '.cta{margin-top:12px;padding:9px 16px;border-radius:8px;background:var(--a);color:var(--t);font-weight:600}' +
    '.x{position:absolute;top:6px;right:6px;width:36px;height:36px;border-radius:8px;font-size:22px;line-height:1}' +
    '.bar .x{top:calc(50% - 18px)}' +
    'button:focus-visible{outline:3px solid #1b1b1b;outline-offset:1px;box-shadow:0 0 0 5px #fff}' +
    '@keyframes spx-in{from{opacity:0;transform:translateY(6px)}}' +
    '@media (prefers-reduced-motion:reduce){.bar,.bubble{animation:none}}';

  var S = {
    api: '', saleorApiUrl: '', channel: '', debug: false,
    consentRequired: false, consented: false,
    visitorId: '', sessionId: '', checkoutId: '', locale: '', pageType: '',
    url: '', queue: [], flushTimer: 0, nav: 0, sent: 0, applied: 0, started: false,
    products: {}, exitSent: false, chat: {}, theme: {}, patterns: [],
    timers: {}, shown: {}, deferred: {}, host: null, root: null
  };

  function log() {
    if (S.debug && window.console) console.log.apply(console, ['[saleor-proactive]'].concat([].slice.call(arguments)));
  }

  // Every entry point from the host page goes through guard: nothing ever throws into the page.
  function guard(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (e) { log('error', e); }
    };
  }

  function now() { return Date.now(); }

  function store(kind, key, value) {
    try {
      var s = window[kind];
      if (value === undefined) return s.getItem(C.KEY + key);
      if (value === null) s.removeItem(C.KEY + key); else s.setItem(C.KEY + key, value);
    } catch (e) { /* storage disabled: keep going in memory */ }
    return null;
  }

  function randomId(prefix) {
    var chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', out = prefix, bytes = [], i;
    try { bytes = window.crypto.getRandomValues(new Uint8Array(C.ID_CHARS)); } catch (e) { /* old browser */ }
    for (i = 0; i < C.ID_CHARS; i++) out += chars[(bytes[i] === undefined ? Math.random() * 256 : bytes[i]) % 62 | 0];
    return out;
  }

  function id(kind, key, prefix) {
    var v = store(kind, key);
    if (!v || !C.ID_RE.test(v)) { v = randomId(prefix); store(kind, key, v); }
    return v;
  }

  function canSend() { return !S.consentRequired || S.consented; }

  function ensureIds() {
    if (!S.visitorId) S.visitorId = id('localStorage', 'visitor', 'v_');
    if (!S.sessionId) S.sessionId = id('sessionStorage', 'session', 's_');
  }

  function pageUrl() { return location.href.split('#')[0]; }

  function locale() {
    var tag = S.locale || document.documentElement.getAttribute('lang') || navigator.language || '';
    return C.LOCALE_RE.test(tag) ? tag : '';
  }

  function device() {
    var mm = window.matchMedia, w = window.innerWidth || 1024;
    if (w <= C.MOBILE_MAX_PX) return 'mobile';
    return mm && mm('(pointer:coarse)').matches ? 'tablet' : 'desktop';
  }

  function glob(pattern, text) {
    var re = String(pattern).split('*').map(function (p) { return p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'); });
    return new RegExp('^' + re.join('.*') + '$').test(text);
  }

  function validType(t) { return C.PAGE_TYPES.indexOf(t) >= 0 ? t : ''; }

  function pageType() {
    var attr = document.documentElement.getAttribute(C.PAGE_ATTR) ||
      (document.body && document.body.getAttribute(C.PAGE_ATTR));
    var t = validType(S.pageType) || validType(attr), i, p;
    for (i = 0; !t && i < S.patterns.length; i++) {
      p = S.patterns[i] || {};
      if (typeof p.pattern === 'string' &&
          glob(p.pattern, p.pattern.charAt(0) === '/' ? location.pathname + location.search : pageUrl())) t = validType(p.type);
    }
    return t || (ldProduct() ? 'product' : '');
  }

  // The first schema.org Product on the page (JSON-LD, also inside @graph or arrays).
  function ldProduct() {
    var found = null;
    function walk(n, depth) {
      if (found || !n || typeof n !== 'object' || depth > 5) return;
      if (Array.isArray(n)) { n.forEach(function (x) { walk(x, depth + 1); }); return; }
      var t = [].concat(n['@type']), o = [].concat(n.offers || {})[0] || {}, pid = n.productID || n.sku || n['@id'];
      if (t.indexOf('Product') >= 0 && pid) {
        found = { id: String(pid), price: o.price != null ? o.price : o.lowPrice, currency: o.priceCurrency, categoryId: n.category };
      }
      walk(n['@graph'], depth + 1);
    }
    [].forEach.call(document.querySelectorAll(C.JSON_LD), function (s) {
      try { walk(JSON.parse(s.textContent), 0); } catch (e) { /* not our JSON */ }
    });
    return found;
  }

  function productEvent(p) {
    if (!p || p.id == null || S.products[p.id]) return;
    S.products[p.id] = 1;
    // Only values the app accepts: one bad field (JSON-LD "€") would make the request a 400.
    var e = { type: 'product_view', productId: String(p.id).slice(0, 128), ts: now() }, price = parseFloat(p.price);
    if (price >= 0 && price <= 1e9) e.price = price;
    if (/^[a-z]{3}$/i.test(p.currency)) e.currency = p.currency;
    if (typeof p.categoryId === 'string') e.categoryId = p.categoryId.trim().slice(0, 128);
    S.queue.push(e);
  }

  function schedule(delay) {
    clearTimeout(S.flushTimer);
    S.flushTimer = setTimeout(guard(flush), delay || 0);
  }

  function payload(events) {
    var body = {
      saleorApiUrl: S.saleorApiUrl, channel: S.channel, visitorId: S.visitorId, sessionId: S.sessionId,
      device: device(), events: events
    }, json;
    if (S.checkoutId) body.checkoutId = S.checkoutId;
    if (S.consented) body.consent = true;
    if (locale()) body.locale = locale();
    for (json = JSON.stringify(body); json.length > C.MAX_BODY && events.length > 1; json = JSON.stringify(body)) events.shift();
    return json;
  }

  // Takes the queued events (at most the last MAX_EVENTS), completing the page view first.
  function takeEvents() {
    var i, e, t;
    for (i = 0; i < S.queue.length; i++) {
      e = S.queue[i];
      if (e.type === 'page_view' && !e.done) {
        e.done = 1;
        t = pageType();
        if (t) e.pageType = t;
        productEvent(ldProduct());
      }
    }
    var events = S.queue.splice(0).slice(-C.MAX_EVENTS);
    events.forEach(function (x) { delete x.done; });
    return events;
  }

  function flush() {
    clearTimeout(S.flushTimer);
    if (!S.started || !canSend() || !S.queue.length || !S.api) return;
    ensureIds();
    var events = takeEvents(), cart = events.some(function (e) { return e.type === 'cart_updated'; });
    var seq = ++S.sent, nav = S.nav, sentAt = now(), ctrl = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (ctrl) ctrl.abort(); }, C.TIMEOUT_MS);
    log('send', events);
    window.fetch(S.api + C.EVENTS_PATH, {
      method: 'POST', body: payload(events), credentials: 'omit', mode: 'cors',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, signal: ctrl ? ctrl.signal : undefined
    }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(guard(function (data) {
      clearTimeout(timeout);
      // Late answers for a page already left, or older than one already applied, are dropped.
      if (nav !== S.nav || seq < S.applied) return;
      S.applied = seq;
      apply(data, sentAt, cart);
    }))['catch'](function (e) { clearTimeout(timeout); log('request failed', e); });
  }

  // Page hide: whatever is still queued (action_*, exit_intent...) leaves by beacon.
  function beacon() {
    if (!S.started || !canSend() || !S.queue.length || !S.api) return;
    ensureIds();
    var url = S.api + C.EVENTS_PATH, body = payload(takeEvents());
    if (!(navigator.sendBeacon && navigator.sendBeacon(url, body))) {
      window.fetch(url, { method: 'POST', body: body, keepalive: true, credentials: 'omit',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' } })['catch'](function () {});
    }
  }

  function apply(data, sentAt, cartChanged) {
    if (!data || typeof data !== 'object') return;
    log('received', data);
    if (data.consentRequired === true && !S.consented) { S.consentRequired = true; revoke(); return; }
    if (data.chat && typeof data.chat === 'object') S.chat = data.chat;
    if (S.chat.provider === 'builtin' && store('sessionStorage', 'chatOpen')) CHAT.builtin(window, {});
    if (data.theme && typeof data.theme === 'object') S.theme = data.theme;
    if (Array.isArray(data.pageTypes)) {
      S.patterns = data.pageTypes.slice(0, 100);
      store('localStorage', 'pageTypes', JSON.stringify(S.patterns));
    }
    var seen = {};
    (Array.isArray(data.actions) ? data.actions : []).forEach(function (a) {
      if (!a || typeof a.id !== 'string' || typeof a.message !== 'string' || seen[a.slot] ||
          (a.slot !== 'bar' && a.slot !== 'bubble') || dismissed().indexOf(a.triggerId) >= 0) return;
      seen[a.slot] = 1;
      plan(a, Math.max(0, (+a.showAfterMs || 0) - (now() - sentAt)));
    });
    // After a cart change the answer is the whole truth: a notice that no longer applies goes away.
    if (cartChanged) {
      if (!seen.bar) hide('bar');
      if (!seen.bubble) clearTimeout(S.timers.bubble);
    }
  }

  function plan(a, delay) {
    var cur = S.shown[a.slot];
    if (cur && a.slot === 'bubble' && cur.a.triggerId !== a.triggerId) return;  // one bubble at a time
    clearTimeout(S.timers[a.slot]);
    if (delay > 0) S.timers[a.slot] = setTimeout(guard(function () { show(a); }), delay);
    else show(a);
  }

  function dismissed() {
    try { return JSON.parse(store('sessionStorage', 'dismissed') || '[]'); } catch (e) { return []; }
  }

  function event(type, a) { S.queue.push({ type: type, actionId: a.id, ts: now() }); }

  function accent() {
    var c = S.theme.accent;
    return typeof c === 'string' && C.COLOR_RE.test(c) ? c : C.ACCENT;
  }

  function luminance(hex) {
    var h = hex.slice(1), i, l = [];
    if (h.length === 3) h = h.replace(/./g, '$&$&');
    for (i = 0; i < 3; i++) {
      var c = parseInt(h.substr(i * 2, 2), 16) / 255;
      l.push(c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2] + 0.05;
  }

  function contrast(a, b) { var x = luminance(a), y = luminance(b); return Math.max(x, y) / Math.min(x, y); }

  // The merchant's text colour if it reaches WCAG AA (4.5:1) on the accent, else black or white.
  function textOn(bg) {
    var t = S.theme.textColor;
    if (typeof t === 'string' && C.COLOR_RE.test(t) && contrast(t, bg) >= 4.5) return t;
    return contrast('#fff', bg) >= contrast('#000', bg) ? '#fff' : '#000';
  }

  // Styles go through the CSSOM (a constructed sheet), which a shop's strict
  // Content-Security-Policy (no 'unsafe-inline' styles) does not block; <style> is the fallback.
  function root() {
    if (S.root && S.host.isConnected) return S.root;
    var host = document.createElement(C.HOST_TAG), r = host.attachShadow({ mode: 'open' }), sheet;
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      r.adoptedStyleSheets = [sheet];
    } catch (e) {
      sheet = document.createElement('style');
      sheet.textContent = CSS;
      r.appendChild(sheet);
    }
    (document.body || document.documentElement).appendChild(host);
    S.host = host;
    return (S.root = r);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;  // merchant text is never parsed as HTML
    return e;
  }

  function show(a) {
    if (document.visibilityState === 'hidden') { S.deferred[a.slot] = a; return; }
    var cur = S.shown[a.slot], box, lang = locale(), close = C.CLOSE[lang.split('-')[0].toLowerCase()] || C.CLOSE.en;
    if (cur && cur.a.triggerId === a.triggerId) {  // same prompt, fresh figures: update in place
      cur.p.textContent = a.message;
      cur.a = a;
      return;
    }
    hide(a.slot);
    var bar = a.slot === 'bar', c = accent(), p = el('p', '', a.message), x = el('button', 'x', '\u00d7');
    // The bar sits at the bottom unless asked otherwise (at the top it would cover the shop's
    // menu); it always comes first in the root, so a bubble shown with it moves up above it.
    box = el('div', bar ? 'bar' + (S.theme.barPosition === 'top' ? ' top' : '') :
      'bubble' + (S.theme.bubblePosition === 'left' ? ' left' : ''));
    box.setAttribute('role', 'status');
    box.setAttribute('aria-live', 'polite');
    if (lang) box.setAttribute('lang', lang);
    box.style.setProperty('--a', c);
    box.style.setProperty('--t', textOn(c));
    box.appendChild(p);
    if (!bar && a.cta) {
      var cta = el('button', 'cta', String(a.cta));
      cta.type = 'button';
      cta.addEventListener('click', guard(function () { event('action_clicked', a); hide('bubble'); openChat(a); }));
      box.appendChild(cta);
    }
    x.type = 'button';
    x.setAttribute('aria-label', close);
    x.title = close;
    x.addEventListener('click', guard(function () { dismiss(a); }));
    box.appendChild(x);
    root().insertBefore(box, bar ? root().firstChild : null);
    S.shown[a.slot] = { a: a, box: box, p: p };
    event('action_shown', a);
    log('shown', a);
  }

  function hide(slot) {
    var cur = S.shown[slot];
    if (cur && cur.box.parentNode) cur.box.parentNode.removeChild(cur.box);
    delete S.shown[slot];
  }

  function dismiss(a) {
    var list = dismissed();
    if (a.triggerId && list.indexOf(a.triggerId) < 0) list.push(a.triggerId);
    store('sessionStorage', 'dismissed', JSON.stringify(list.slice(-C.MAX_DISMISSED)));
    event('action_dismissed', a);
    hide(a.slot);
  }

  function clearAll() {
    ['bar', 'bubble'].forEach(function (s) { clearTimeout(S.timers[s]); hide(s); });
    S.deferred = {};
  }

  // Chat providers: each call throws when the provider's script is missing, which means fallback.
  var CHAT = {
    // The built-in chat is a second script, fetched on first use; it reads the rest itself.
    builtin: function (w, a) {
      var q = w.saleorProactiveChat = w.saleorProactiveChat || [];
      q.push(a.id);
      if (!q.loaded) document.head.appendChild(document.createElement('script')).src = S.api + '/storefront/v1/chat.js';
    },
    chatwoot: function (w) { w.$chatwoot.toggle('open'); },
    crisp: function (w) { w.$crisp.push(['do', 'chat:open']); },
    tawk: function (w) { w.Tawk_API.maximize(); },
    zendesk: function (w) { w.zE('messenger', 'open'); },
    intercom: function (w) { w.Intercom('show'); },
    whatsapp: function (w, a, chat) {
      var n = String(chat.number || '').replace(/\D/g, '');
      if (!n) throw new Error('no WhatsApp number');
      w.open('https://wa.me/' + n + '?text=' + encodeURIComponent(a.message), '_blank', 'noopener');
    }
  };

  function openChat(a) {
    var chat = S.chat || {}, adapter = CHAT[chat.provider];
    try {
      if (adapter) { adapter(window, a, chat); return; }
    } catch (e) { log('chat provider unavailable', chat.provider, e); }
    document.dispatchEvent(new CustomEvent(C.OPEN_CHAT_EVENT, {
      bubbles: true, detail: { message: a.message, triggerId: a.triggerId, actionId: a.id, provider: chat.provider || 'custom' }
    }));
  }

  function revoke() {
    S.revoked = true;
    S.queue = [];
    S.visitorId = S.sessionId = '';
    ['visitor', 'pageTypes', 'dismissed'].forEach(function (k) { store('localStorage', k, null); });
    ['session', 'dismissed'].forEach(function (k) { store('sessionStorage', k, null); });
    clearAll();
  }

  function pageView(delay) {
    S.nav++;
    clearAll();
    S.products = {};
    S.exitSent = false;
    S.url = pageUrl();
    // On the first page, commands queued before load (cart updates...) belong after the view.
    S.queue[S.nav === 1 ? 'unshift' : 'push'](view());
    schedule(delay);
  }

  function view() { return { type: 'page_view', url: S.url.slice(0, C.MAX_URL), ts: now() }; }

  function urlChanged() {
    if (pageUrl() === S.url) return;
    S.pageType = '';  // an explicit page type belongs to the page it was set on
    pageView(C.SPA_SETTLE_MS);
  }

  var COMMANDS = {
    setCheckout: function (v) { if (typeof v == 'string' && /^[\w+/=-]{1,128}$/.test(v)) S.checkoutId = v; },
    setPageType: function (t) { S.pageType = validType(t); },
    trackProductView: function (p) {
      if (p && typeof p === 'object') { productEvent(p); schedule(); }
    },
    trackCartUpdated: function () { S.queue.push({ type: 'cart_updated', ts: now() }); schedule(); },
    setLocale: function (tag) { if (C.LOCALE_RE.test(tag)) S.locale = tag; },
    consent: function (yes) {
      S.consented = yes === true;
      if (S.consented) {
        // The page view a consent-requiring answer refused is sent again, now with consent.
        if (S.revoked && S.started) { S.revoked = false; S.queue.push(view()); }
        schedule();
        return;
      }
      S.consentRequired = true;  // an explicit refusal stops tracking even without the tag flag
      revoke();
    }
  };

  function run(cmd) {
    if (Array.isArray(cmd) && COMMANDS.hasOwnProperty(cmd[0])) COMMANDS[cmd[0]].apply(null, cmd.slice(1));
  }

  function onMouseOut(e) {
    if (S.exitSent || e.relatedTarget || e.clientY > 0 || device() !== 'desktop') return;
    S.exitSent = true;  // the pointer left through the top edge: towards tabs or the address bar
    S.queue.push({ type: 'exit_intent', ts: now() });
    schedule();
  }

  function onVisibility() {
    if (document.visibilityState === 'hidden') { beacon(); return; }
    var d = S.deferred;
    S.deferred = {};
    Object.keys(d).forEach(function (s) { show(d[s]); });
  }

  function hookHistory() {
    ['pushState', 'replaceState'].forEach(function (m) {
      var original = history[m];
      if (typeof original !== 'function') return;
      history[m] = function () {
        var result = original.apply(this, arguments);
        guard(urlChanged)();
        return result;
      };
    });
    window.addEventListener('popstate', guard(urlChanged));
  }

  function init() {
    var queued = window[C.GLOBAL];
    if (queued && queued.loaded) return;  // the tag was pasted twice
    var script = document.currentScript || document.querySelector(C.SCRIPT_SELECTOR);
    if (!script) return;
    var attr = function (n) { return script.getAttribute('data-' + n); };
    var src = script.src || '';
    S.api = C.SRC_TAIL.test(src) ? src.replace(C.SRC_TAIL, '') : (new URL(src, location.href)).origin;
    S.saleorApiUrl = attr('saleor-api-url') || '';
    S.channel = attr('channel') || '';
    S.debug = script.hasAttribute('data-debug');
    S.consentRequired = script.hasAttribute('data-consent-required') && attr('consent-required') !== 'false';
    try { S.patterns = JSON.parse(store('localStorage', 'pageTypes') || '[]'); } catch (e) { S.patterns = []; }
    if (!Array.isArray(S.patterns)) S.patterns = [];

    window[C.GLOBAL] = { loaded: true, version: 1, push: guard(function () { [].forEach.call(arguments, run); }) };
    (Array.isArray(queued) ? queued : []).forEach(guard(run));

    hookHistory();
    document.addEventListener('mouseout', guard(onMouseOut));
    document.addEventListener('visibilitychange', guard(onVisibility));
    window.addEventListener('pagehide', guard(beacon));

    var start = guard(function () { S.started = true; pageView(0); });
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
    document.dispatchEvent(new CustomEvent(C.READY_EVENT, { bubbles: true }));
    log('ready', S.api);
  }

  guard(init)();
})(window, document);
