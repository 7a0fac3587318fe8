/*! Saleor Proactive comparison panel v1: loaded by snippet.js only when a visitor opens a comparison. */
(function (window, document) {
  'use strict';

  var CONFIG = {
    GLOBAL: 'saleorProactiveCompare',  // the snippet's queue of actions to open, then this API
    HOST_TAG: 'saleor-proactive-compare',
    MAX_PRODUCTS: 6,
    Z_INDEX: 2147483002,
    FOCUSABLE: 'button,a[href],[tabindex="0"]'
  };

  var TEXTS = {
    en: { close: 'Close comparison', price: 'Price', products: 'Products compared' },
    es: { close: 'Cerrar comparación', price: 'Precio', products: 'Productos comparados' },
    fr: { close: 'Fermer la comparaison', price: 'Prix', products: 'Produits comparés' },
    de: { close: 'Vergleich schließen', price: 'Preis', products: 'Verglichene Produkte' },
    it: { close: 'Chiudi il confronto', price: 'Prezzo', products: 'Prodotti a confronto' },
    pt: { close: 'Fechar comparação', price: 'Preço', products: 'Produtos comparados' }
  };

  var CSS =
    ':host{all:initial!important;position:fixed!important;top:0!important;left:0!important;width:100vw!important;' +
    'height:100vh!important;z-index:' + CONFIG.Z_INDEX + '!important;display:block!important}' +
    '*{box-sizing:border-box;margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;' +
    'color:#1b1b1b;letter-spacing:normal;text-transform:none}' +
    '.back{position:absolute;inset:0;background:rgba(0,0,0,.5)}' +
    '.panel{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);display:flex;flex-direction:column;' +
    'width:min(960px,calc(100vw - 16px));max-height:calc(100vh - 16px);background:#fff;border-radius:12px;' +
    'box-shadow:0 6px 28px rgba(0,0,0,.28)}' +
    '.head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:8px 8px 8px 16px;' +
    'border-bottom:1px solid #ddd}h2{font-size:17px;font-weight:600}' +
    '.x{flex:none;width:44px;height:44px;border:0;border-radius:8px;background:transparent;font-size:24px;line-height:1;cursor:pointer}' +
    '.scroll{overflow:auto;padding:8px 16px 16px}table{border-collapse:collapse;width:100%}' +
    'th,td{padding:8px;text-align:left;vertical-align:top;border-bottom:1px solid #e0e0e0;min-width:128px;' +
    'overflow-wrap:anywhere;white-space:pre-wrap}th{font-weight:600}tbody th{min-width:96px;color:#333}' +
    'img{display:block;width:96px;height:96px;object-fit:contain;margin-bottom:6px;border-radius:6px;background:#f4f4f4}' +
    'a{color:#0b57d0;text-decoration:underline}' +
    ':focus-visible{outline:3px solid #1b1b1b;outline-offset:2px}' +
    '@media (max-width:767px){.panel{top:auto;bottom:0;left:0;transform:none;width:100vw;max-height:90vh;' +
    'border-radius:12px 12px 0 0}}';

  var current = null;  // {host, root, returnTo}

  function guard(callback) {
    return function () {
      try { return callback.apply(this, arguments); } catch (error) { /* never into the page */ }
    };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);  // names and values are text, never HTML
    return node;
  }

  function localeOf() {
    var tag = document.documentElement.getAttribute('lang') || navigator.language || 'en';
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(tag) ? tag : 'en';
  }

  function formatPrice(price, locale) {
    if (!price || typeof price.amount !== 'number') return '';
    try {
      return new Intl.NumberFormat(locale, { style: 'currency', currency: price.currency }).format(price.amount);
    } catch (error) { return price.amount + ' ' + price.currency; }
  }

  function webAddress(url) { return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : ''; }

  function productHeader(product) {
    var cell = element('th'), image = webAddress(product.thumbnail), link = webAddress(product.url), name;
    cell.scope = 'col';
    if (image) {
      var img = element('img');
      img.alt = '';  // the name follows: the picture adds nothing for a screen reader
      img.width = img.height = 96;
      img.src = image;
      cell.appendChild(img);
    }
    name = element(link ? 'a' : 'span', '', product.name);
    if (link) name.href = link;
    cell.appendChild(name);
    return cell;
  }

  function row(label, values) {
    var tr = element('tr'), th = element('th', '', label);
    th.scope = 'row';
    tr.appendChild(th);
    values.forEach(function (value) { tr.appendChild(element('td', '', value)); });
    return tr;
  }

  function attributeNames(products) {
    var names = [];
    products.forEach(function (product) {
      product.attributes.forEach(function (attribute) {
        if (names.indexOf(attribute.name) < 0) names.push(attribute.name);
      });
    });
    return names;
  }

  function valueOf(product, name) {
    for (var i = 0; i < product.attributes.length; i++) {
      if (product.attributes[i].name === name) return product.attributes[i].value;
    }
    return '\u2014';
  }

  function cleanProducts(action) {
    var products = action && action.data && Array.isArray(action.data.products) ? action.data.products : [];
    return products.filter(function (p) { return p && typeof p.name === 'string'; }).slice(0, CONFIG.MAX_PRODUCTS)
      .map(function (p) {
        var attributes = (Array.isArray(p.attributes) ? p.attributes : []).filter(function (a) {
          return a && typeof a.name === 'string' && typeof a.value === 'string';
        });
        return { name: p.name, url: p.url, thumbnail: p.thumbnail, price: p.price, attributes: attributes };
      });
  }

  function table(products, words, locale) {
    var result = element('table'), head = element('thead'), top = element('tr'), body = element('tbody');
    top.appendChild(element('td'));
    products.forEach(function (product) { top.appendChild(productHeader(product)); });
    head.appendChild(top);
    body.appendChild(row(words.price, products.map(function (p) { return formatPrice(p.price, locale); })));
    attributeNames(products).forEach(function (name) {
      body.appendChild(row(name, products.map(function (p) { return valueOf(p, name); })));
    });
    result.appendChild(head);
    result.appendChild(body);
    return result;
  }

  function styled(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (error) {
      root.appendChild(element('style', '', CSS));
    }
  }

  // Tab and Shift+Tab stay inside the panel; Escape closes it (and not what is behind it).
  function onKeyDown(event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
      return;
    }
    if (event.key !== 'Tab' || !current) return;
    var focusable = current.root.querySelectorAll(CONFIG.FOCUSABLE), active = current.root.activeElement;
    var first = focusable[0], last = focusable[focusable.length - 1];
    if (event.shiftKey && (active === first || !active)) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && active === last) { event.preventDefault(); first.focus(); }
  }

  function open(action) {
    close();
    var products = cleanProducts(action);
    if (!products.length) return;
    var locale = localeOf(), words = TEXTS[locale.split('-')[0].toLowerCase()] || TEXTS.en;
    var host = element(CONFIG.HOST_TAG), root = host.attachShadow({ mode: 'open' });
    var panel = element('div', 'panel'), header = element('div', 'head');
    var title = element('h2', '', action.message || words.products), closeButton = element('button', 'x', '\u00d7');
    var scroller = element('div', 'scroll'), backdrop = element('div', 'back');
    styled(root);
    title.id = 'title';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-modal', 'true');
    panel.setAttribute('aria-labelledby', 'title');
    panel.setAttribute('lang', locale);
    closeButton.type = 'button';
    closeButton.setAttribute('aria-label', words.close);
    closeButton.title = words.close;
    closeButton.addEventListener('click', guard(close));
    backdrop.addEventListener('click', guard(close));
    // The table may be wider than a phone: its scrolling box is reachable by keyboard.
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', words.products);
    scroller.appendChild(table(products, words, locale));
    header.appendChild(title);
    header.appendChild(closeButton);
    panel.appendChild(header);
    panel.appendChild(scroller);
    panel.addEventListener('keydown', guard(onKeyDown));
    root.appendChild(backdrop);
    root.appendChild(panel);
    current = { host: host, root: root, returnTo: document.activeElement };
    (document.body || document.documentElement).appendChild(host);
    closeButton.focus();
  }

  function close() {
    if (!current) return;
    var closing = current;
    current = null;
    if (closing.host.parentNode) closing.host.parentNode.removeChild(closing.host);
    var back = closing.returnTo;
    if (back && back !== document.body && back.isConnected && back.focus) back.focus();
  }

  function init() {
    var queued = window[CONFIG.GLOBAL];
    if (queued && queued.loaded) return;  // loaded twice
    window[CONFIG.GLOBAL] = { loaded: true, push: guard(open), close: guard(close) };
    if (Array.isArray(queued) && queued.length) open(queued[queued.length - 1]);
  }

  guard(init)();
})(window, document);
