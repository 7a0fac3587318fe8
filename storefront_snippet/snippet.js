/*! Saleor Proactive storefront snippet v1. Plain JavaScript, no dependencies. See README.md. */
(function (window, document) {
  'use strict';

  // Every selector, name and limit in one place.
  var CONFIG = {
    GLOBAL: 'saleorProactive',
    SCRIPT_SELECTOR: 'script[src*="/storefront/v1/snippet.js"]',
    SRC_TAIL: /\/storefront\/v1\/snippet\.js([?#].*)?$/,
    EVENTS_PATH: '/storefront/v1/events',
    PAGE_ATTRIBUTE: 'data-proactive-page',
    JSON_LD: 'script[type="application/ld+json"]',
    HOST_TAG: 'saleor-proactive',
    READY_EVENT: 'saleor-proactive:ready',
    OPEN_CHAT_EVENT: 'saleor-proactive:open-chat',
    DECIDED_EVENT: 'saleor-proactive:decided',
    STORAGE_PREFIX: 'saleorProactive.',
    ID_PATTERN: /^[A-Za-z0-9_-]{1,64}$/,
    LOCALE_PATTERN: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/,
    COLOR_PATTERN: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i,
    PAGE_TYPES: ['home', 'category', 'product', 'search', 'cart', 'checkout', 'contact', 'faq', 'other'],
    ID_CHARACTERS: 22,
    MAX_EVENTS: 50,
    MAX_BODY_CHARACTERS: 32000,
    MAX_URL_CHARACTERS: 2000,
    MAX_DISMISSED: 50,
    MAX_PAGE_PATTERNS: 100,
    REQUEST_TIMEOUT_MS: 8000,
    SPA_SETTLE_MS: 100,  // let a client-side router render before reading the page
    // An empty live region is in the accessibility tree this long before its text arrives:
    // screen readers announce changes to an existing region, not a region born with text.
    LIVE_REGION_SETTLE_MS: 100,
    MOBILE_MAX_PX: 767,
    Z_INDEX: 2147483000,
    ACCENT: '#0b57d0',
    CLOSE_LABELS: { en: 'Close', es: 'Cerrar', fr: 'Fermer', de: 'Schließen', it: 'Chiudi', pt: 'Fechar' }
  };

  var CSS =
    // Inner !important beats the page's !important on the host: nothing outside can move or hide it.
    ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;' +
    'left:0!important;width:0!important;height:0!important;z-index:' + CONFIG.Z_INDEX + '!important}' +
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
    '.bar .x{top:calc(50% - 18px)}.away{visibility:hidden}' +
    'button:focus-visible{outline:3px solid #1b1b1b;outline-offset:1px;box-shadow:0 0 0 5px #fff}' +
    '@keyframes spx-in{from{opacity:0;transform:translateY(6px)}}' +
    '@media (prefers-reduced-motion:reduce){.bar,.bubble{animation:none}}';

  var state = {
    apiBase: '', saleorApiUrl: '', channel: '', debug: false,
    consentRequired: false, consented: false, revoked: false,
    visitorId: '', sessionId: '', checkoutId: '', locale: '', pageType: '',
    url: '', queue: [], flushTimer: 0, navigation: 0, sentRequests: 0, appliedRequest: 0, started: false,
    productsSeen: {}, exitIntentSent: false, chat: {}, theme: {}, pagePatterns: [],
    showTimers: {}, shown: {}, deferred: {}, host: null, root: null, focusOutside: null
  };

  function log() {
    if (state.debug && window.console) console.log.apply(console, ['[saleor-proactive]'].concat([].slice.call(arguments)));
  }

  // Every entry point from the host page goes through guard: nothing ever throws into the page.
  function guard(callback) {
    return function () {
      try { return callback.apply(this, arguments); } catch (error) { log('error', error); }
    };
  }

  function now() { return Date.now(); }

  // Reads (value undefined), removes (null) or writes one key of localStorage or sessionStorage.
  function store(storageName, key, value) {
    try {
      var storage = window[storageName];
      if (value === undefined) return storage.getItem(CONFIG.STORAGE_PREFIX + key);
      if (value === null) storage.removeItem(CONFIG.STORAGE_PREFIX + key);
      else storage.setItem(CONFIG.STORAGE_PREFIX + key, value);
    } catch (error) { /* storage disabled: keep going in memory */ }
    return null;
  }

  function randomId(prefix) {
    var alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', id = prefix, bytes = [], i;
    try { bytes = window.crypto.getRandomValues(new Uint8Array(CONFIG.ID_CHARACTERS)); } catch (error) { /* old browser */ }
    for (i = 0; i < CONFIG.ID_CHARACTERS; i++) {
      id += alphabet[(bytes[i] === undefined ? Math.random() * 256 : bytes[i]) % 62 | 0];
    }
    return id;
  }

  function storedId(storageName, key, prefix) {
    var id = store(storageName, key);
    if (!id || !CONFIG.ID_PATTERN.test(id)) { id = randomId(prefix); store(storageName, key, id); }
    return id;
  }

  function maySend() { return !state.consentRequired || state.consented; }

  function ensureIds() {
    if (!state.visitorId) state.visitorId = storedId('localStorage', 'visitor', 'v_');
    if (!state.sessionId) state.sessionId = storedId('sessionStorage', 'session', 's_');
  }

  function pageUrl() { return location.href.split('#')[0]; }

  function currentLocale() {
    var tag = state.locale || document.documentElement.getAttribute('lang') || navigator.language || '';
    return CONFIG.LOCALE_PATTERN.test(tag) ? tag : '';
  }

  function device() {
    var matchMedia = window.matchMedia, width = window.innerWidth || 1024;
    if (width <= CONFIG.MOBILE_MAX_PX) return 'mobile';
    return matchMedia && matchMedia('(pointer:coarse)').matches ? 'tablet' : 'desktop';
  }

  function matchesGlob(pattern, text) {
    var literalParts = String(pattern).split('*').map(function (part) {
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    });
    return new RegExp('^' + literalParts.join('.*') + '$').test(text);
  }

  function knownPageType(type) { return CONFIG.PAGE_TYPES.indexOf(type) >= 0 ? type : ''; }

  function detectPageType() {
    var attribute = document.documentElement.getAttribute(CONFIG.PAGE_ATTRIBUTE) ||
      (document.body && document.body.getAttribute(CONFIG.PAGE_ATTRIBUTE));
    var type = knownPageType(state.pageType) || knownPageType(attribute), i, rule;
    for (i = 0; !type && i < state.pagePatterns.length; i++) {
      rule = state.pagePatterns[i] || {};
      if (typeof rule.pattern === 'string' && matchesGlob(rule.pattern,
          rule.pattern.charAt(0) === '/' ? location.pathname + location.search : pageUrl())) {
        type = knownPageType(rule.type);
      }
    }
    return type || (jsonLdProduct() ? 'product' : '');
  }

  // The first schema.org Product on the page (JSON-LD, also inside @graph or arrays).
  function jsonLdProduct() {
    var found = null;
    function walk(node, depth) {
      if (found || !node || typeof node !== 'object' || depth > 5) return;
      if (Array.isArray(node)) { node.forEach(function (item) { walk(item, depth + 1); }); return; }
      var types = [].concat(node['@type']), offer = [].concat(node.offers || {})[0] || {};
      var productId = node.productID || node.sku || node['@id'];
      if (types.indexOf('Product') >= 0 && productId) {
        found = {
          id: String(productId), price: offer.price != null ? offer.price : offer.lowPrice,
          currency: offer.priceCurrency, categoryId: node.category
        };
      }
      walk(node['@graph'], depth + 1);
    }
    [].forEach.call(document.querySelectorAll(CONFIG.JSON_LD), function (script) {
      try { walk(JSON.parse(script.textContent), 0); } catch (error) { /* not our JSON */ }
    });
    return found;
  }

  function queueProductView(product) {
    if (!product || product.id == null || state.productsSeen[product.id]) return;
    state.productsSeen[product.id] = 1;
    // Only values the app accepts: one bad field (JSON-LD "€") would make the request a 400.
    var event = { type: 'product_view', productId: String(product.id).slice(0, 128), ts: now() };
    var price = parseFloat(product.price);
    if (price >= 0 && price <= 1e9) event.price = price;
    if (/^[a-z]{3}$/i.test(product.currency)) event.currency = product.currency;
    if (typeof product.categoryId === 'string') event.categoryId = product.categoryId.trim().slice(0, 128);
    state.queue.push(event);
  }

  function scheduleFlush(delayMs) {
    clearTimeout(state.flushTimer);
    state.flushTimer = setTimeout(guard(flush), delayMs || 0);
  }

  function requestBody(events) {
    var body = {
      saleorApiUrl: state.saleorApiUrl, channel: state.channel, visitorId: state.visitorId,
      sessionId: state.sessionId, device: device(), events: events
    }, json;
    if (state.checkoutId) body.checkoutId = state.checkoutId;
    if (state.consented) body.consent = true;
    if (currentLocale()) body.locale = currentLocale();
    // Oldest events go first when the batch is too large.
    for (json = JSON.stringify(body); json.length > CONFIG.MAX_BODY_CHARACTERS && events.length > 1;
      json = JSON.stringify(body)) events.shift();
    return json;
  }

  // Takes the queued events (at most the last MAX_EVENTS), completing the page view first.
  function takeEvents() {
    var i, event, type;
    for (i = 0; i < state.queue.length; i++) {
      event = state.queue[i];
      if (event.type === 'page_view' && !event.completed) {
        event.completed = 1;
        type = detectPageType();
        if (type) event.pageType = type;
        queueProductView(jsonLdProduct());
      }
    }
    var events = state.queue.splice(0).slice(-CONFIG.MAX_EVENTS);
    events.forEach(function (taken) { delete taken.completed; });
    return events;
  }

  function flush() {
    clearTimeout(state.flushTimer);
    if (!state.started || !maySend() || !state.queue.length || !state.apiBase) return;
    ensureIds();
    var events = takeEvents();
    var cartChanged = events.some(function (event) { return event.type === 'cart_updated'; });
    var requestNumber = ++state.sentRequests, navigation = state.navigation, sentAt = now();
    var aborter = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (aborter) aborter.abort(); }, CONFIG.REQUEST_TIMEOUT_MS);
    log('send', events);
    window.fetch(state.apiBase + CONFIG.EVENTS_PATH, {
      method: 'POST', body: requestBody(events), credentials: 'omit', mode: 'cors',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, signal: aborter ? aborter.signal : undefined
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    }).then(guard(function (answer) {
      clearTimeout(timeout);
      // Late answers for a page already left, or older than one already applied, are dropped.
      if (navigation !== state.navigation || requestNumber < state.appliedRequest) {
        announceDecision('stale', 0);
        return;
      }
      state.appliedRequest = requestNumber;
      announceDecision('applied', applyAnswer(answer, sentAt, cartChanged));
    }))['catch'](guard(function (error) {
      clearTimeout(timeout);
      log('request failed', error);
      announceDecision('failed', 0);
    }));
  }

  // One event per request, once its answer is applied, dropped or failed: for the shop's own
  // code (and tests) that want to act after a decision instead of guessing a delay.
  function announceDecision(outcome, actionsPlanned) {
    document.dispatchEvent(new CustomEvent(CONFIG.DECIDED_EVENT, {
      bubbles: true, detail: { outcome: outcome, actions: actionsPlanned }
    }));
  }

  // Page hide: whatever is still queued (action_*, exit_intent...) leaves by beacon.
  function sendBeacon() {
    if (!state.started || !maySend() || !state.queue.length || !state.apiBase) return;
    ensureIds();
    var url = state.apiBase + CONFIG.EVENTS_PATH, body = requestBody(takeEvents());
    if (!(navigator.sendBeacon && navigator.sendBeacon(url, body))) {
      window.fetch(url, {
        method: 'POST', body: body, keepalive: true, credentials: 'omit',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' }
      })['catch'](function () {});
    }
  }

  // Returns how many actions were planned for showing.
  function applyAnswer(answer, sentAt, cartChanged) {
    if (!answer || typeof answer !== 'object') return 0;
    log('received', answer);
    if (answer.consentRequired === true && !state.consented) { state.consentRequired = true; revoke(); return 0; }
    if (answer.chat && typeof answer.chat === 'object') state.chat = answer.chat;
    // An open built-in chat follows the visitor from page to page.
    if (state.chat.provider === 'builtin' && store('sessionStorage', 'chatOpen')) CHAT_OPENERS.builtin(window, {});
    if (answer.theme && typeof answer.theme === 'object') state.theme = answer.theme;
    if (Array.isArray(answer.pageTypes)) {
      state.pagePatterns = answer.pageTypes.slice(0, CONFIG.MAX_PAGE_PATTERNS);
      store('localStorage', 'pageTypes', JSON.stringify(state.pagePatterns));
    }
    var slotsTaken = {}, planned = 0;
    (Array.isArray(answer.actions) ? answer.actions : []).forEach(function (action) {
      if (!action || typeof action.id !== 'string' || typeof action.message !== 'string' ||
          slotsTaken[action.slot] || (action.slot !== 'bar' && action.slot !== 'bubble') ||
          dismissedTriggers().indexOf(action.triggerId) >= 0) return;
      slotsTaken[action.slot] = 1;
      planned++;
      planShow(action, Math.max(0, (+action.showAfterMs || 0) - (now() - sentAt)));
    });
    // After a cart change the answer is the whole truth: a notice that no longer applies goes away.
    if (cartChanged) {
      if (!slotsTaken.bar) hide('bar');
      if (!slotsTaken.bubble) clearTimeout(state.showTimers.bubble);
    }
    return planned;
  }

  function planShow(action, delayMs) {
    var current = state.shown[action.slot];
    // One bubble at a time: a different prompt never replaces the one being read.
    if (current && action.slot === 'bubble' && current.action.triggerId !== action.triggerId) return;
    clearTimeout(state.showTimers[action.slot]);
    if (delayMs > 0) state.showTimers[action.slot] = setTimeout(guard(function () { show(action); }), delayMs);
    else show(action);
  }

  function dismissedTriggers() {
    try { return JSON.parse(store('sessionStorage', 'dismissed') || '[]'); } catch (error) { return []; }
  }

  function queueActionEvent(type, action) { state.queue.push({ type: type, actionId: action.id, ts: now() }); }

  function accentColor() {
    var color = state.theme.accent;
    return typeof color === 'string' && CONFIG.COLOR_PATTERN.test(color) ? color : CONFIG.ACCENT;
  }

  // WCAG relative luminance plus the 0.05 flare term, ready for a contrast ratio.
  function luminance(hex) {
    var digits = hex.slice(1), channels = [], i, value;
    if (digits.length === 3) digits = digits.replace(/./g, '$&$&');
    for (i = 0; i < 3; i++) {
      value = parseInt(digits.substr(i * 2, 2), 16) / 255;
      channels.push(value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4));
    }
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2] + 0.05;
  }

  function contrast(first, second) {
    var a = luminance(first), b = luminance(second);
    return Math.max(a, b) / Math.min(a, b);
  }

  // The merchant's text colour if it reaches WCAG AA (4.5:1) on the accent, else black or white.
  function textColorOn(background) {
    var color = state.theme.textColor;
    if (typeof color === 'string' && CONFIG.COLOR_PATTERN.test(color) && contrast(color, background) >= 4.5) return color;
    return contrast('#fff', background) >= contrast('#000', background) ? '#fff' : '#000';
  }

  // Styles go through the CSSOM (a constructed sheet), which a shop's strict
  // Content-Security-Policy (no 'unsafe-inline' styles) does not block; <style> is the fallback.
  function shadowRoot() {
    if (state.root && state.host.isConnected) return state.root;
    var host = document.createElement(CONFIG.HOST_TAG), root = host.attachShadow({ mode: 'open' }), sheet;
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (error) {
      sheet = document.createElement('style');
      sheet.textContent = CSS;
      root.appendChild(sheet);
    }
    (document.body || document.documentElement).appendChild(host);
    state.host = host;
    return (state.root = root);
  }

  function createElement(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;  // merchant text is never parsed as HTML
    return element;
  }

  function closeLabel(locale) {
    return CONFIG.CLOSE_LABELS[locale.split('-')[0].toLowerCase()] || CONFIG.CLOSE_LABELS.en;
  }

  function show(action) {
    if (document.visibilityState === 'hidden') { state.deferred[action.slot] = action; return; }
    var current = state.shown[action.slot], locale = currentLocale();
    if (current && current.action.triggerId === action.triggerId) {  // same prompt, fresh figures: update in place
      current.text.textContent = action.message;
      current.action = action;
      return;
    }
    hide(action.slot);
    var isBar = action.slot === 'bar', accent = accentColor(), close = closeLabel(locale);
    var text = createElement('p', '', action.message), closeButton = createElement('button', 'x', '\u00d7');
    // The bar sits at the bottom unless asked otherwise (at the top it would cover the shop's
    // menu); it always comes first in the root, so a bubble shown with it moves up above it.
    var boxClass = isBar ? 'bar' + (state.theme.barPosition === 'top' ? ' top' : '') :
      'bubble' + (state.theme.bubblePosition === 'left' ? ' left' : '');
    var shown = { action: action, box: createElement('div'), text: text, filled: false };
    var parts = [text];
    if (!isBar && action.cta) {
      var ctaButton = createElement('button', 'cta', String(action.cta));
      ctaButton.type = 'button';
      ctaButton.addEventListener('click', guard(function () {
        queueActionEvent('action_clicked', action);
        hide('bubble');
        (action.data && action.data.claim ? openOffer : openChat)(action);
      }));
      parts.push(ctaButton);
    }
    closeButton.type = 'button';
    closeButton.setAttribute('aria-label', close);
    closeButton.title = close;
    closeButton.addEventListener('click', guard(function () { dismiss(action); }));
    parts.push(closeButton);
    // First the empty live region, then (once it is known to assistive technology) its content.
    shown.box.setAttribute('role', 'status');
    shown.box.setAttribute('aria-live', 'polite');
    if (locale) shown.box.setAttribute('lang', locale);
    shadowRoot().insertBefore(shown.box, isBar ? shadowRoot().firstChild : null);
    state.shown[action.slot] = shown;
    setTimeout(guard(function () {
      if (state.shown[action.slot] !== shown) return;  // hidden or replaced meanwhile
      shown.box.className = boxClass;
      shown.box.style.setProperty('--a', accent);
      shown.box.style.setProperty('--t', textColorOn(accent));
      parts.forEach(function (part) { shown.box.appendChild(part); });
      shown.filled = true;
      keepFocusVisible();
      queueActionEvent('action_shown', action);
      log('shown', action);
    }), CONFIG.LIVE_REGION_SETTLE_MS);
  }

  function hide(slot) {
    var current = state.shown[slot];
    if (!current) return;
    var hadFocus = current.box.contains(state.root.activeElement);
    if (current.box.parentNode) current.box.parentNode.removeChild(current.box);
    delete state.shown[slot];
    // Focus that was on the removed buttons goes back where the visitor was, not to <body>.
    if (hadFocus && state.focusOutside && state.focusOutside.isConnected) state.focusOutside.focus();
  }

  function onScreen(slot) {
    var current = state.shown[slot];
    return current && current.filled && !current.box.classList.contains('away') ? current : null;
  }

  // Escape closes what is on screen, the bubble first (it was shown for the visitor to read);
  // a bar stepped aside for the focused field is not on screen, so Escape there leaves it be.
  function onKeyDown(event) {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    var current = onScreen('bubble') || onScreen('bar');
    if (current) dismiss(current.action);
  }

  function onFocusIn(event) {
    if (event.target !== state.host) state.focusOutside = event.target;
    keepFocusVisible();
  }

  function overlaps(first, second) {
    var a = first.getBoundingClientRect(), b = second.getBoundingClientRect();
    return a.bottom > b.top && a.top < b.bottom && a.right > b.left && a.left < b.right;
  }

  // The bar never covers the focused element: it moves to the other edge, or steps aside
  // while neither edge is free (WCAG 2.4.11, focus not obscured).
  function keepFocusVisible() {
    var current = state.shown.bar, focused = document.activeElement;
    if (!current || !current.filled) return;
    var box = current.box, atTop = state.theme.barPosition === 'top';
    box.classList.toggle('top', atTop);
    box.classList.remove('away');
    if (!focused || focused === state.host || focused === document.body || !overlaps(focused, box)) return;
    box.classList.toggle('top', !atTop);
    if (overlaps(focused, box)) {
      box.classList.toggle('top', atTop);
      box.classList.add('away');
    }
  }

  function dismiss(action) {
    var dismissed = dismissedTriggers();
    if (action.triggerId && dismissed.indexOf(action.triggerId) < 0) dismissed.push(action.triggerId);
    store('sessionStorage', 'dismissed', JSON.stringify(dismissed.slice(-CONFIG.MAX_DISMISSED)));
    queueActionEvent('action_dismissed', action);
    hide(action.slot);
  }

  function clearAll() {
    ['bar', 'bubble'].forEach(function (slot) { clearTimeout(state.showTimers[slot]); hide(slot); });
    state.deferred = {};
  }

  // Second scripts (chat.js, offer.js) are fetched on first use and read their queue.
  function lazyScript(name, item) {
    var queue = window['saleorProactive' + name] = window['saleorProactive' + name] || [];
    queue.push(item);
    if (!queue.loaded) document.head.appendChild(document.createElement('script')).src = state.apiBase + '/storefront/v1/' + name.toLowerCase() + '.js';
  }

  // An offer's code is claimed and shown by offer.js, with what it needs to claim.
  function openOffer(action) {
    lazyScript('Offer', { action: action, base: state.apiBase, body: { saleorApiUrl: state.saleorApiUrl, channel: state.channel,
      visitorId: state.visitorId, sessionId: state.sessionId, actionId: action.id }, locale: currentLocale(), accent: accentColor() });
  }

  // Chat providers: each call throws when the provider's script is missing, which means fallback.
  var CHAT_OPENERS = {
    // The built-in chat is a second script, fetched on first use; it reads the rest itself.
    builtin: function (window, action) { lazyScript('Chat', action.id); },
    chatwoot: function (window) { window.$chatwoot.toggle('open'); },
    crisp: function (window) { window.$crisp.push(['do', 'chat:open']); },
    tawk: function (window) { window.Tawk_API.maximize(); },
    zendesk: function (window) { window.zE('messenger', 'open'); },
    intercom: function (window) { window.Intercom('show'); },
    whatsapp: function (window, action, chat) {
      var number = String(chat.number || '').replace(/\D/g, '');
      if (!number) throw new Error('no WhatsApp number');
      window.open('https://wa.me/' + number + '?text=' + encodeURIComponent(action.message), '_blank', 'noopener');
    }
  };

  function openChat(action) {
    var chat = state.chat || {}, opener = CHAT_OPENERS[chat.provider];
    try {
      if (opener) { opener(window, action, chat); return; }
    } catch (error) { log('chat provider unavailable', chat.provider, error); }
    document.dispatchEvent(new CustomEvent(CONFIG.OPEN_CHAT_EVENT, {
      bubbles: true,
      detail: { message: action.message, triggerId: action.triggerId, actionId: action.id, provider: chat.provider || 'custom' }
    }));
  }

  function revoke() {
    state.revoked = true;
    state.queue = [];
    state.visitorId = state.sessionId = '';
    ['visitor', 'pageTypes', 'dismissed'].forEach(function (key) { store('localStorage', key, null); });
    ['session', 'dismissed'].forEach(function (key) { store('sessionStorage', key, null); });
    clearAll();
  }

  function startPageView(delayMs) {
    state.navigation++;
    clearAll();
    state.productsSeen = {};
    state.exitIntentSent = false;
    state.url = pageUrl();
    // On the first page, commands queued before load (cart updates...) belong after the view.
    state.queue[state.navigation === 1 ? 'unshift' : 'push'](pageViewEvent());
    scheduleFlush(delayMs);
  }

  function pageViewEvent() { return { type: 'page_view', url: state.url.slice(0, CONFIG.MAX_URL_CHARACTERS), ts: now() }; }

  function onUrlChange() {
    if (pageUrl() === state.url) return;
    state.pageType = '';  // an explicit page type belongs to the page it was set on
    startPageView(CONFIG.SPA_SETTLE_MS);
  }

  var COMMANDS = {
    setCheckout: function (checkoutId) {
      if (typeof checkoutId == 'string' && /^[\w+/=-]{1,128}$/.test(checkoutId)) state.checkoutId = checkoutId;
    },
    setPageType: function (type) { state.pageType = knownPageType(type); },
    trackProductView: function (product) {
      if (product && typeof product === 'object') { queueProductView(product); scheduleFlush(); }
    },
    trackCartUpdated: function () { state.queue.push({ type: 'cart_updated', ts: now() }); scheduleFlush(); },
    setLocale: function (tag) { if (CONFIG.LOCALE_PATTERN.test(tag)) state.locale = tag; },
    consent: function (given) {
      state.consented = given === true;
      if (state.consented) {
        // The page view a consent-requiring answer refused is sent again, now with consent.
        if (state.revoked && state.started) { state.revoked = false; state.queue.push(pageViewEvent()); }
        scheduleFlush();
        return;
      }
      state.consentRequired = true;  // an explicit refusal stops tracking even without the tag flag
      revoke();
    }
  };

  function runCommand(command) {
    if (Array.isArray(command) && COMMANDS.hasOwnProperty(command[0])) {
      COMMANDS[command[0]].apply(null, command.slice(1));
    }
  }

  function onMouseOut(event) {
    if (state.exitIntentSent || event.relatedTarget || event.clientY > 0 || device() !== 'desktop') return;
    state.exitIntentSent = true;  // the pointer left through the top edge: towards tabs or the address bar
    state.queue.push({ type: 'exit_intent', ts: now() });
    scheduleFlush();
  }

  function onVisibilityChange() {
    if (document.visibilityState === 'hidden') { sendBeacon(); return; }
    var deferred = state.deferred;
    state.deferred = {};
    Object.keys(deferred).forEach(function (slot) { show(deferred[slot]); });
  }

  function hookHistory() {
    ['pushState', 'replaceState'].forEach(function (method) {
      var original = history[method];
      if (typeof original !== 'function') return;
      history[method] = function () {
        var result = original.apply(this, arguments);
        guard(onUrlChange)();
        return result;
      };
    });
    window.addEventListener('popstate', guard(onUrlChange));
  }

  function init() {
    var queued = window[CONFIG.GLOBAL];
    if (queued && queued.loaded) return;  // the tag was pasted twice
    var script = document.currentScript || document.querySelector(CONFIG.SCRIPT_SELECTOR);
    if (!script) return;
    var data = function (name) { return script.getAttribute('data-' + name); };
    var src = script.src || '';
    state.apiBase = CONFIG.SRC_TAIL.test(src) ? src.replace(CONFIG.SRC_TAIL, '') : (new URL(src, location.href)).origin;
    state.saleorApiUrl = data('saleor-api-url') || '';
    state.channel = data('channel') || '';
    state.debug = script.hasAttribute('data-debug');
    state.consentRequired = script.hasAttribute('data-consent-required') && data('consent-required') !== 'false';
    try { state.pagePatterns = JSON.parse(store('localStorage', 'pageTypes') || '[]'); } catch (error) { state.pagePatterns = []; }
    if (!Array.isArray(state.pagePatterns)) state.pagePatterns = [];

    window[CONFIG.GLOBAL] = { loaded: true, version: 1, push: guard(function () { [].forEach.call(arguments, runCommand); }) };
    (Array.isArray(queued) ? queued : []).forEach(guard(runCommand));

    hookHistory();
    document.addEventListener('mouseout', guard(onMouseOut));
    document.addEventListener('visibilitychange', guard(onVisibilityChange));
    document.addEventListener('keydown', guard(onKeyDown));
    document.addEventListener('focusin', guard(onFocusIn));
    document.addEventListener('focusout', guard(function () { setTimeout(guard(keepFocusVisible)); }));
    window.addEventListener('scroll', guard(keepFocusVisible), { passive: true });
    window.addEventListener('resize', guard(keepFocusVisible));
    window.addEventListener('pagehide', guard(sendBeacon));

    var start = guard(function () { state.started = true; startPageView(0); });
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
    document.dispatchEvent(new CustomEvent(CONFIG.READY_EVENT, { bubbles: true }));
    log('ready', state.apiBase);
  }

  guard(init)();
})(window, document);
