/*! Saleor Proactive storefront widgets v1. Loaded by snippet.js before its first widget shows. */
// What only a shown widget needs, kept out of the first-load snippet: the styles, the readable
// text colour, the free-shipping progress bar and the third-party chat adapters. The snippet
// fetches this once per page, when an answer first plans an action, and calls it from guard().
(function (window) {
  'use strict';

  var Z_INDEX = 2147483000;
  var COLOR_PATTERN = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

  var CSS =
    // Inner !important beats the page's !important on the host: nothing outside can move or hide it.
    ':host{all:initial!important;display:block!important;position:fixed!important;top:0!important;' +
    'left:0!important;width:0!important;height:0!important;z-index:' + Z_INDEX + '!important}' +
    '*{box-sizing:border-box;margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;' +
    'letter-spacing:normal;text-transform:none;text-align:left}' +
    '.bar,.bubble{position:fixed;pointer-events:auto;animation:spx-in .25s ease-out}' +
    '.bar{left:0;right:0;bottom:0;display:flex;align-items:center;justify-content:center;min-height:40px;' +
    'padding:8px 52px;background:var(--a);color:var(--t);box-shadow:0 0 6px rgba(0,0,0,.25)}' +
    '.bar.top{bottom:auto;top:0}.bar p{text-align:center;font-weight:600}' +
    // The progress bar lies along the bar's bottom edge, absolutely placed: the bar keeps its
    // size whether or not a threshold is known, so nothing moves when it fills.
    '.meter{position:absolute;left:0;right:0;bottom:0;height:5px;background:rgba(127,127,127,.45)}' +
    '.meter i{display:block;height:100%;background:var(--t);transition:width .4s ease-out}' +
    '.bubble{right:16px;bottom:16px;width:min(340px,calc(100vw - 32px));padding:16px 48px 16px 16px;' +
    'background:#fff;color:#1b1b1b;border-radius:12px;box-shadow:0 6px 28px rgba(0,0,0,.28)}' +
    '.bubble.left{right:auto;left:16px}.bar:not(.top)~.bubble{bottom:72px}' +
    'button{cursor:pointer;border:0;color:inherit;background:transparent}' +
    '.cta{margin-top:12px;padding:9px 16px;border-radius:8px;background:var(--a);color:var(--t);font-weight:600}' +
    '.x{position:absolute;top:6px;right:6px;width:36px;height:36px;border-radius:8px;font-size:22px;line-height:1}' +
    '.bar .x{top:calc(50% - 18px)}.away{visibility:hidden}' +
    'button:focus-visible{outline:3px solid #1b1b1b;outline-offset:1px;box-shadow:0 0 0 5px #fff}' +
    '@keyframes spx-in{from{opacity:0;transform:translateY(6px)}}' +
    '@media (prefers-reduced-motion:reduce){.bar,.bubble{animation:none}.meter i{transition:none}}';

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
  function textColorOn(theme, background) {
    var color = theme.textColor;
    if (typeof color === 'string' && COLOR_PATTERN.test(color) && contrast(color, background) >= 4.5) return color;
    return contrast('#fff', background) >= contrast('#000', background) ? '#fff' : '#000';
  }

  // A free-shipping notice's progress (cart value of threshold, from the action's data), made or
  // brought up to date in `meter`; null for any other action. Its accessible name is the message
  // and its value text the share reached, so a screen reader hears both.
  function progress(action, meter) {
    var data = action.data || {}, threshold = data.threshold || {}, cart = data.cartValue || {};
    var max = +threshold.amount, value = Math.min(max, Math.max(0, +cart.amount || 0));
    if (action.slot !== 'bar' || !(max > 0)) return null;
    if (data.reached === true) value = max;
    if (!meter) {
      meter = document.createElement('div');
      meter.className = 'meter';
      meter.setAttribute('role', 'progressbar');
      meter.appendChild(document.createElement('i'));
    }
    var percent = Math.floor(100 * value / max);
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', String(max));
    meter.setAttribute('aria-valuenow', String(value));
    meter.setAttribute('aria-valuetext', percent + ' %');
    meter.setAttribute('aria-label', action.message);
    meter.firstChild.style.width = percent + '%';  // CSSOM: allowed by a strict style CSP
    return meter;
  }

  // Chat providers: each call throws when the provider's script is missing, which means fallback.
  var OPENERS = {
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

  window.saleorProactiveWidgets = { css: CSS, textColorOn: textColorOn, progress: progress, openers: OPENERS };
})(window);
