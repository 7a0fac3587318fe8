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
    WIDGETS_GLOBAL: 'saleorProactiveWidgets',
    WIDGETS_PATH: '/storefront/v1/widgets.js',
    // A preview link (app page) ends in #saleor-proactive-preview=<token>; the browser keeps it.
    PREVIEW_HASH: /saleor-proactive-preview=([\w.-]{1,400})/,
    ACCENT: '#0b57d0',
    CLOSE_LABELS: { en: 'Close', es: 'Cerrar', fr: 'Fermer', de: 'Schließen', it: 'Chiudi', pt: 'Fechar' }
  };

  var state = {
    apiBase: '', saleorApiUrl: '', channel: '', debug: false,
    consentRequired: false, consented: false, revoked: false,
    visitorId: '', sessionId: '', checkoutId: '', locale: '', pageType: '', categoryId: '', product: null,
    url: '', queue: [], flushTimer: 0, navigation: 0, sentRequests: 0, appliedRequest: 0, started: false,
    productsSeen: {}, exitIntentSent: false, chat: {}, theme: {}, pagePatterns: [],
    showTimers: {}, shown: {}, deferred: {}, host: null, root: null, focusOutside: null, widgetsWanted: []
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
    state.product = product;
    state.productsSeen[product.id] = 1;
    // Only values the app accepts: one bad field (JSON-LD "€") would make the request a 400.
    var event = { type: 'product_view', productId: String(product.id).slice(0, 128), ts: now() };
    var price = parseFloat(product.price);
    if (price >= 0 && price <= 1e9) event.price = price;
    if (/^[a-z]{3}$/i.test(product.currency)) event.currency = product.currency;
    addCategory(event, product.categoryId);
    state.queue.push(event);
  }

  function addCategory(event, id) {
    if (typeof id === 'string' && id.trim()) event.categoryId = id.trim().slice(0, 128);
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
    if (store('localStorage', 'preview')) body.preview = store('localStorage', 'preview');
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
        // The page's product or category, for rules about the current page's category.
        if (state.product) event.productId = String(state.product.id).slice(0, 128);
        addCategory(event, state.product ? state.product.categoryId : state.categoryId);
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
    if (answer.theme && typeof answer.theme === 'object') state.theme = answer.theme;
    // The merchant's launcher is drawn by chat.js, fetched for it alone.
    if (state.chat.provider === 'builtin' && (state.chat.launcher || store('sessionStorage', 'chatOpen'))) {
      CHAT_OPENERS.builtin(window, store('sessionStorage', 'chatOpen') && {});
    }
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
      withWidgets(function () {});  // fetched while the action waits for its moment
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

  function shadowRoot() {
    if (state.root && state.host.isConnected) return state.root;
    var host = document.createElement(CONFIG.HOST_TAG);
    host.style.position = 'fixed';  // out of the page's flow until its styles arrive
    state.host = host;
    state.root = host.attachShadow({ mode: 'open' });
    (document.body || document.documentElement).appendChild(host);
    return state.root;
  }

  // Styles go through the CSSOM (a constructed sheet), which a shop's strict
  // Content-Security-Policy (no 'unsafe-inline' styles) does not block; <style> is the fallback.
  function styleRoot(css) {
    var root = shadowRoot(), sheet;
    if (root.styled) return;
    root.styled = 1;
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } catch (error) {
      sheet = document.createElement('style');
      sheet.textContent = css;
      root.appendChild(sheet);
    }
  }

  // The widgets script (styles, colours, progress bar, chat adapters), loaded once per page
  // when the first action is planned; callbacks wait for it. A failed load is tried again later.
  function withWidgets(callback) {
    var widgets = window[CONFIG.WIDGETS_GLOBAL];
    if (widgets) { callback(widgets); return; }
    if (state.widgetsWanted.push(callback) > 1) return;
    var script = document.createElement('script');
    script.onload = guard(function () {
      state.widgetsWanted.splice(0).forEach(function (waiting) { if (window[CONFIG.WIDGETS_GLOBAL]) guard(waiting)(window[CONFIG.WIDGETS_GLOBAL]); });
    });
    script.onerror = function () { state.widgetsWanted = []; log('widgets unavailable'); };
    script.src = state.apiBase + CONFIG.WIDGETS_PATH;
    document.head.appendChild(script);
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
      if (current.meter) window[CONFIG.WIDGETS_GLOBAL].progress(action, current.meter);
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
        if (action.type === 'product_comparison') lazy('saleorProactiveCompare', 'compare.js', action);
        else if (action.data && action.data.claim) openOffer(action);
        else openChat(action);
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
    setTimeout(guard(function () { withWidgets(function (widgets) {
      if (state.shown[action.slot] !== shown) return;  // hidden or replaced meanwhile
      styleRoot(widgets.css);
      shown.box.className = boxClass;
      shown.box.style.setProperty('--a', accent);
      shown.box.style.setProperty('--t', widgets.textColorOn(state.theme, accent));
      shown.meter = widgets.progress(shown.action);
      if (shown.meter) parts.splice(1, 0, shown.meter);
      parts.forEach(function (part) { shown.box.appendChild(part); });
      shown.filled = true;
      keepFocusVisible();
      queueActionEvent('action_shown', action);
      log('shown', action);
    }); }), CONFIG.LIVE_REGION_SETTLE_MS);
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

  // A script fetched on first use (the built-in chat, the comparison, the offer): it takes over the queue.
  function lazy(name, file, item) {
    var queue = window[name] = window[name] || [];
    queue.push(item);
    if (!queue.loaded) document.head.appendChild(document.createElement('script')).src = state.apiBase + '/storefront/v1/' + file;
  }

  // An offer's code is claimed and shown by offer.js, with what it needs to claim.
  function openOffer(action) {
    lazy('saleorProactiveOffer', 'offer.js', { action: action, base: state.apiBase, body: { saleorApiUrl: state.saleorApiUrl, channel: state.channel,
      visitorId: state.visitorId, sessionId: state.sessionId, actionId: action.id }, locale: currentLocale(), accent: accentColor() });
  }

  // Chat providers: each call throws when the provider's script is missing, which means fallback.
  // Third-party ones are in the widgets script, loaded before any button that calls them shows.
  var CHAT_OPENERS = {
    // The built-in chat is a second script, fetched on first use; it reads the rest itself.
    builtin: function (window, action) {
      var queue = window.saleorProactiveChat = window.saleorProactiveChat || [];
      queue.theme = state.theme;
      queue.launcher = state.chat.launcher;
      if (action) queue.push(action.id);
      if (queue.showLauncher && queue.launcher) queue.showLauncher();
      if (!queue.loaded) document.head.appendChild(document.createElement('script')).src = state.apiBase + '/storefront/v1/chat.js';
    },
  };

  function openChat(action) {
    var chat = state.chat || {}, widgets = window[CONFIG.WIDGETS_GLOBAL];
    var opener = CHAT_OPENERS[chat.provider] || (widgets && widgets.openers[chat.provider]);
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
    ['visitor', 'pageTypes', 'dismissed', 'preview'].forEach(function (key) { store('localStorage', key, null); });
    ['session', 'dismissed'].forEach(function (key) { store('sessionStorage', key, null); });
    clearAll();
  }

  function startPageView(delayMs) {
    state.navigation++;
    clearAll();
    state.productsSeen = {};
    state.product = null;
    state.exitIntentSent = false;
    state.url = pageUrl();
    // On the first page, commands queued before load (cart updates...) belong after the view.
    state.queue[state.navigation === 1 ? 'unshift' : 'push'](pageViewEvent());
    scheduleFlush(delayMs);
  }

  function pageViewEvent() { return { type: 'page_view', url: state.url.slice(0, CONFIG.MAX_URL_CHARACTERS), ts: now() }; }

  function onUrlChange() {
    if (pageUrl() === state.url) return;
    state.pageType = state.categoryId = '';  // an explicit page type belongs to the page it was set on
    startPageView(CONFIG.SPA_SETTLE_MS);
  }

  var COMMANDS = {
    setCheckout: function (checkoutId) {
      if (typeof checkoutId == 'string' && /^[\w+/=-]{1,128}$/.test(checkoutId)) state.checkoutId = checkoutId;
    },
    setPageType: function (type, details) {
      state.pageType = knownPageType(type);
      state.categoryId = type === 'category' && details && typeof details.categoryId === 'string' ? details.categoryId : '';
    },
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
    var preview = CONFIG.PREVIEW_HASH.exec(location.hash);
    if (preview) store('localStorage', 'preview', preview[1]);
    // The app page's preview frame: answers come from the app page (same origin), nothing is sent.
    if (script.hasAttribute('data-preview')) {
      state.consentRequired = true;
      window.addEventListener('message', guard(function (event) {
        if (event.origin === location.origin) { clearAll(); applyAnswer(event.data, now()); }
      }));
    }
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
