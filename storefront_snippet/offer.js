/*! Saleor Proactive offer v1: loaded by snippet.js only when a visitor asks for an offer's code. */
(function (window, document) {
  'use strict';

  var CONFIG = {
    GLOBAL: 'saleorProactiveOffer',  // the snippet's queue of claims, then this API
    HOST_TAG: 'saleor-proactive-offer',
    CLAIM_PATH: '/storefront/v1/offers/claim',
    APPLY_EVENT: 'saleor-proactive:apply-code',
    TIMEOUT_MS: 10000,
    Z_INDEX: 2147483000
  };

  var TEXTS = {
    en: { title: 'Your code', copy: 'Copy code', copied: 'Copied', until: 'Valid until', close: 'Close',
      wait: 'Getting your code…', gone: 'This offer has run out for today.', retry: 'Try again',
      failed: 'Your code could not be fetched. Please try again in a moment.' },
    es: { title: 'Tu código', copy: 'Copiar código', copied: 'Copiado', until: 'Válido hasta', close: 'Cerrar',
      wait: 'Obteniendo tu código…', gone: 'Esta oferta se ha agotado por hoy.', retry: 'Reintentar',
      failed: 'No se pudo obtener tu código. Inténtalo de nuevo en un momento.' },
    fr: { title: 'Votre code', copy: 'Copier le code', copied: 'Copié', until: 'Valable jusqu’à', close: 'Fermer',
      wait: 'Récupération de votre code…', gone: 'Cette offre est épuisée pour aujourd’hui.', retry: 'Réessayer',
      failed: 'Votre code n’a pas pu être obtenu. Réessayez dans un instant.' },
    de: { title: 'Ihr Code', copy: 'Code kopieren', copied: 'Kopiert', until: 'Gültig bis', close: 'Schließen',
      wait: 'Ihr Code wird geholt…', gone: 'Dieses Angebot ist für heute vergriffen.', retry: 'Erneut versuchen',
      failed: 'Ihr Code konnte nicht geholt werden. Bitte versuchen Sie es gleich noch einmal.' }
  };

  var CSS =
    ':host{all:initial!important;position:fixed!important;z-index:' + CONFIG.Z_INDEX + '!important;right:16px!important;' +
    'bottom:16px!important;display:block!important}' +
    '*{box-sizing:border-box;margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b}' +
    '.box{position:relative;width:min(340px,calc(100vw - 32px));padding:16px 48px 16px 16px;background:#fff;border-radius:12px;' +
    'box-shadow:0 6px 28px rgba(0,0,0,.28)}h2{font-weight:600;margin-bottom:6px}' +
    '.code{display:block;margin:8px 0;padding:8px 10px;border:2px dashed var(--a,#0b57d0);border-radius:8px;' +
    'font:600 20px/1.3 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.06em;user-select:all;overflow-wrap:anywhere}' +
    'button{cursor:pointer;border:0;border-radius:8px;min-height:44px;padding:0 14px;font-weight:600}' +
    '.go{background:var(--a,#0b57d0);color:var(--t,#fff)}' +
    '.x{position:absolute;top:6px;right:6px;width:36px;height:36px;min-height:0;padding:0;background:transparent;font-size:22px;line-height:1}' +
    'button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}.note{margin-top:6px;font-size:14px;color:#454545}' +
    '@media (prefers-reduced-motion:no-preference){.box{animation:spo-in .2s ease-out}}' +
    '@keyframes spo-in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}';

  var state = { root: null, host: null, box: null, claim: null };

  function texts(locale) {
    var tag = String(locale || '').toLowerCase();
    return TEXTS[tag] || TEXTS[tag.split('-')[0]] || TEXTS.en;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function button(className, text, onClick) {
    var node = element('button', className, text);
    node.type = 'button';
    node.addEventListener('click', function () { try { onClick(); } catch (error) { /* never into the page */ } });
    return node;
  }

  function root() {
    if (state.root && state.host.isConnected) return state.root;
    state.host = document.createElement(CONFIG.HOST_TAG);
    state.root = state.host.attachShadow({ mode: 'open' });
    state.root.appendChild(element('style', '', CSS));
    document.body.appendChild(state.host);
    return state.root;
  }

  // One panel, its content replaced as the claim goes on; it is a live region so each step is read.
  function render(claim, parts, focusTarget) {
    var words = texts(claim.locale);
    if (!state.box) {
      state.box = element('div', 'box');
      state.box.setAttribute('role', 'dialog');
      state.box.setAttribute('aria-modal', 'false');
      state.box.setAttribute('aria-labelledby', 'spo-title');
      if (claim.locale) state.box.setAttribute('lang', claim.locale);
      if (claim.accent) state.box.style.setProperty('--a', claim.accent);
      root().appendChild(state.box);
    }
    state.box.textContent = '';
    var title = element('h2', '', words.title);
    title.id = 'spo-title';
    var live = element('div');
    live.setAttribute('aria-live', 'polite');
    parts.forEach(function (part) { live.appendChild(part); });
    var close = button('x', '\u00d7', hide);
    close.setAttribute('aria-label', words.close);
    close.title = words.close;
    [title, live, close].forEach(function (part) { state.box.appendChild(part); });
    (focusTarget || close).focus();
  }

  function hide() {
    if (state.host && state.host.parentNode) state.host.parentNode.removeChild(state.host);
    state.root = state.host = state.box = null;
  }

  function expiryText(claim, iso) {
    var at = new Date(iso);
    if (isNaN(at.getTime())) return '';
    var options = { hour: '2-digit', minute: '2-digit' };
    if (at - Date.now() > 20 * 3600 * 1000) { options.day = 'numeric'; options.month = 'short'; }
    return texts(claim.locale).until + ' ' + at.toLocaleString(claim.locale || undefined, options);
  }

  function copy(code, done) {
    var fallback = function () {
      var field = element('textarea');
      field.value = code;
      field.setAttribute('readonly', '');
      field.style.cssText = 'position:fixed;opacity:0';
      state.root.appendChild(field);
      field.select();
      try { document.execCommand('copy'); } catch (error) { /* the code stays selectable */ }
      state.root.removeChild(field);
      done();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(code).then(done, fallback);
    else fallback();
  }

  function reveal(claim, answer) {
    var words = texts(claim.locale), code = String(answer.code);
    var shown = element('output', 'code', code), note = element('p', 'note', expiryText(claim, answer.expiresAt));
    var status = element('p', 'note');
    status.setAttribute('role', 'status');
    var copyButton = button('go', words.copy, function () {
      copy(code, function () { status.textContent = words.copied; });
    });
    render(claim, [element('p', '', claim.action.message), shown, copyButton, note, status], copyButton);
    document.dispatchEvent(new CustomEvent(CONFIG.APPLY_EVENT, { bubbles: true, detail: { code: code } }));
  }

  function failed(claim, status) {
    var words = texts(claim.locale);
    if (status === 409) { render(claim, [element('p', '', words.gone)]); return; }
    var retry = button('go', words.retry, function () { start(claim); });
    render(claim, [element('p', '', words.failed), retry], retry);
  }

  function start(claim) {
    state.claim = claim;
    render(claim, [element('p', '', texts(claim.locale).wait)]);
    var aborter = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (aborter) aborter.abort(); }, CONFIG.TIMEOUT_MS);
    fetch(claim.base + CONFIG.CLAIM_PATH, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(claim.body),
      credentials: 'omit', signal: aborter ? aborter.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      if (!response.ok) { failed(claim, response.status); return null; }
      return response.json().then(function (answer) {
        if (answer && answer.code) reveal(claim, answer); else failed(claim, 0);
      });
    })['catch'](function () { clearTimeout(timer); if (state.claim === claim) failed(claim, 0); });
  }

  function onKeyDown(event) {
    if (event.key === 'Escape' && state.box && state.host && state.host.contains(document.activeElement)) hide();
  }

  try {
    var queue = window[CONFIG.GLOBAL] = window[CONFIG.GLOBAL] || [];
    var pending = queue.slice();
    queue.loaded = true;
    queue.push = function (claim) { try { start(claim); } catch (error) { /* never into the page */ } return 0; };
    document.addEventListener('keydown', onKeyDown);
    if (pending.length) start(pending[pending.length - 1]);
  } catch (error) { /* never into the page */ }
})(window, document);
