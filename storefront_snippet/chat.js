/*! Saleor Proactive built-in chat v1: loaded by snippet.js only when a visitor opens the chat. */
(function (window, document) {
  'use strict';

  var CONFIG = {
    GLOBAL: 'saleorProactiveChat',  // the snippet's queue of open requests, then this API
    HOST_TAG: 'saleor-proactive-chat',
    LAUNCHER_TAG: 'saleor-proactive-launcher',
    STORE_KEY: 'saleorProactive.chat',  // localStorage: the conversation follows across tabs
    OPEN_KEY: 'saleorProactive.chatOpen',  // sessionStorage: the panel reopens after a page load
    PATH: '/storefront/v1/chat/conversations',
    SNIPPET_SELECTOR: 'script[src*="/storefront/v1/snippet.js"]',
    SNIPPET_TAIL: /\/storefront\/v1\/snippet\.js([?#].*)?$/,
    VISITOR_KEY: 'saleorProactive.visitor',
    WAIT_SECONDS: 25,
    MAX_CHARS: 2000,
    RETRY_MS: [1000, 2000, 5000, 10000, 30000],
    Z_INDEX: 2147483001,
    // Under the snippet's prompts (2147483000): a prompt shown in the same corner covers the button.
    LAUNCHER_Z_INDEX: 2147482999,
    ACCENT: '#0b57d0',
    COLOR: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i
  };

  var TEXTS = {
    en: { title: 'Chat with us', close: 'Close chat', label: 'Your message', send: 'Send', you: 'You', shop: 'Shop',
      offline: 'Nobody is online right now. Leave your email and we will answer there.', email: 'Your email',
      save: 'Save', saved: 'Thank you. We will answer by email.', failed: 'Could not send. Try again.',
      tooLong: 'The message is too long.', closed: 'This conversation was closed. Write to reopen it.', hours: 'We are closed right now. Leave your email and we will answer when we are back.', newMessage: 'New message' },
    es: { title: 'Chatea con nosotros', close: 'Cerrar chat', label: 'Tu mensaje', send: 'Enviar', you: 'Tú', shop: 'Tienda',
      offline: 'Ahora no hay nadie conectado. Déjanos tu email y te responderemos allí.', email: 'Tu email',
      save: 'Guardar', saved: 'Gracias. Te responderemos por email.', failed: 'No se pudo enviar. Inténtalo de nuevo.',
      tooLong: 'El mensaje es demasiado largo.', closed: 'Esta conversación se cerró. Escribe para reabrirla.', hours: 'Ahora estamos cerrados. Déjanos tu email y te responderemos cuando volvamos.', newMessage: 'Mensaje nuevo' },
    fr: { title: 'Discutez avec nous', close: 'Fermer le chat', label: 'Votre message', send: 'Envoyer', you: 'Vous', shop: 'Boutique',
      offline: 'Personne n’est en ligne. Laissez votre e-mail, nous vous répondrons.', email: 'Votre e-mail',
      save: 'Enregistrer', saved: 'Merci. Nous répondrons par e-mail.', failed: 'Échec de l’envoi. Réessayez.',
      tooLong: 'Le message est trop long.', closed: 'Cette conversation est close. Écrivez pour la rouvrir.', hours: 'Nous sommes fermés pour le moment. Laissez votre e-mail, nous vous répondrons à notre retour.', newMessage: 'Nouveau message' },
    de: { title: 'Chatten Sie mit uns', close: 'Chat schließen', label: 'Ihre Nachricht', send: 'Senden', you: 'Sie', shop: 'Shop',
      offline: 'Gerade ist niemand online. Hinterlassen Sie Ihre E-Mail, wir antworten dort.', email: 'Ihre E-Mail',
      save: 'Speichern', saved: 'Danke. Wir antworten per E-Mail.', failed: 'Senden fehlgeschlagen. Bitte erneut versuchen.',
      tooLong: 'Die Nachricht ist zu lang.', closed: 'Dieses Gespräch wurde beendet. Schreiben Sie, um es fortzusetzen.', hours: 'Wir sind gerade nicht erreichbar. Hinterlassen Sie Ihre E-Mail, wir antworten, sobald wir zurück sind.', newMessage: 'Neue Nachricht' },
    it: { title: 'Chatta con noi', close: 'Chiudi chat', label: 'Il tuo messaggio', send: 'Invia', you: 'Tu', shop: 'Negozio',
      offline: 'Al momento non c’è nessuno online. Lasciaci la tua email e ti risponderemo lì.', email: 'La tua email',
      save: 'Salva', saved: 'Grazie. Ti risponderemo via email.', failed: 'Invio non riuscito. Riprova.',
      tooLong: 'Il messaggio è troppo lungo.', closed: 'La conversazione è chiusa. Scrivi per riaprirla.', hours: 'Al momento siamo chiusi. Lasciaci la tua email e ti risponderemo al nostro ritorno.', newMessage: 'Nuovo messaggio' },
    pt: { title: 'Fale connosco', close: 'Fechar chat', label: 'A sua mensagem', send: 'Enviar', you: 'Você', shop: 'Loja',
      offline: 'Neste momento ninguém está online. Deixe o seu email e responderemos aí.', email: 'O seu email',
      save: 'Guardar', saved: 'Obrigado. Responderemos por email.', failed: 'Não foi possível enviar. Tente novamente.',
      tooLong: 'A mensagem é demasiado longa.', closed: 'Esta conversa foi fechada. Escreva para a reabrir.', hours: 'Neste momento estamos fechados. Deixe o seu email e responderemos quando voltarmos.', newMessage: 'Nova mensagem' }
  };

  var CSS =
    ':host{all:initial!important;position:fixed!important;z-index:' + CONFIG.Z_INDEX + '!important;right:16px!important;' +
    'bottom:16px!important;display:block!important}:host([hidden]){display:none!important}' +
    '*{box-sizing:border-box;margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b}' +
    '.panel{display:flex;flex-direction:column;width:min(360px,calc(100vw - 32px));height:min(520px,calc(100vh - 32px));' +
    'background:#fff;border-radius:12px;box-shadow:0 6px 28px rgba(0,0,0,.28);overflow:hidden}' +
    '.head{display:flex;align-items:center;justify-content:space-between;padding:10px 12px;background:var(--a,#0b57d0)}' +
    '.head h2{font-weight:600;color:var(--t,#fff)}' +
    'button{cursor:pointer;border:0;border-radius:8px;background:transparent}' +
    '.x{width:36px;height:36px;font-size:22px;line-height:1;color:var(--t,#fff)}' +
    '.log{flex:1;overflow-y:auto;padding:12px}.log ol{display:flex;flex-direction:column;gap:8px;list-style:none;padding:0}' +
    '.log li{max-width:85%;padding:8px 10px;border-radius:10px;background:#f0f0f0;white-space:pre-wrap;overflow-wrap:anywhere}' +
    '.log li.visitor{align-self:flex-end;background:var(--a,#0b57d0);color:var(--t,#fff)}' +
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
    '.note{padding:8px 12px;font-size:14px;background:#fff8e1}.note[hidden],form[hidden]{display:none}' +
    'form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #ddd}' +
    'textarea,input{flex:1;min-width:0;padding:8px;border:1px solid #767676;border-radius:8px;resize:none}' +
    '.send{padding:8px 14px;background:var(--a,#0b57d0);color:var(--t,#fff);font-weight:600}' +
    'button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #1b1b1b;outline-offset:1px}' +
    '.error{color:#b00020;padding:0 12px;font-size:14px}';

  var LAUNCHER_CSS =
    ':host{all:initial!important;position:fixed!important;z-index:' + CONFIG.LAUNCHER_Z_INDEX + '!important;right:16px!important;' +
    'bottom:16px!important;display:block!important}:host([hidden]){display:none!important}' +
    ':host(.left){right:auto!important;left:16px!important}' +
    'button{cursor:pointer;border:0;margin:0;padding:12px 18px;border-radius:24px;background:var(--a);color:var(--t);' +
    'font:600 15px/1.2 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25)}' +
    'button:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px;box-shadow:0 0 0 5px #fff}';

  var state = {
    options: null, launcher: null, conversation: null, lastId: 0, seen: {}, polling: false, failures: 0,
    host: null, root: null, returnFocus: null, texts: TEXTS.en, generation: 0
  };

  function storage(kind) {
    try { return window[kind]; } catch (error) { return null; }  // blocked storage: no memory, still works
  }

  function readStored() {
    var store = storage('localStorage'), value;
    try { value = store && JSON.parse(store.getItem(CONFIG.STORE_KEY) || 'null'); } catch (error) { value = null; }
    return value && value.saleorApiUrl === state.options.saleorApiUrl && value.id && value.token ? value : null;
  }

  function writeStored(conversation) {
    var store = storage('localStorage');
    if (!store) return;
    try {
      if (conversation) store.setItem(CONFIG.STORE_KEY, JSON.stringify(conversation));
      else store.removeItem(CONFIG.STORE_KEY);
    } catch (error) { /* full or blocked: the conversation lasts this page */ }
  }

  function rememberOpen(open) {
    var store = storage('sessionStorage');
    try { if (store) { if (open) store.setItem(CONFIG.OPEN_KEY, '1'); else store.removeItem(CONFIG.OPEN_KEY); } } catch (error) { /* ignore */ }
  }

  function textsFor(locale) {
    var language = String(locale || document.documentElement.getAttribute('lang') || navigator.language || 'en');
    return TEXTS[language.split('-')[0].toLowerCase()] || TEXTS.en;
  }

  function request(method, path, body, token) {
    var headers = {};
    if (body) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    return window.fetch(state.options.api + path, {
      method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'omit', mode: 'cors'
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { var error = new Error((data.error && data.error.code) || 'http_' + response.status); error.status = response.status; throw error; }
        return data;
      });
    });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;  // always text: nothing a visitor or agent writes becomes markup
    return node;
  }

  function build() {
    var texts = state.texts, host = element(CONFIG.HOST_TAG), root = host.attachShadow({ mode: 'open' });
    var style = element('style'), panel, head, log, note, form, input, emailForm, email, error, live;
    style.textContent = CSS;
    panel = element('section', { 'class': 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'spx-chat-title', lang: state.options.locale || '' });
    head = element('div', { 'class': 'head' });
    head.appendChild(element('h2', { id: 'spx-chat-title' }, texts.title));
    head.appendChild(element('button', { 'class': 'x', type: 'button', 'aria-label': texts.close }, '×'));
    log = element('div', { 'class': 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0', 'aria-label': texts.title });
    log.appendChild(element('ol'));
    live = element('div', { 'class': 'sr', role: 'status', 'aria-live': 'polite' });
    note = element('p', { 'class': 'note', hidden: '' });
    emailForm = element('form', { 'class': 'email', hidden: '' });
    email = element('input', { type: 'email', autocomplete: 'email', 'aria-label': texts.email, placeholder: texts.email, maxlength: '254' });
    emailForm.appendChild(email);
    emailForm.appendChild(element('button', { 'class': 'send', type: 'submit' }, texts.save));
    error = element('p', { 'class': 'error', role: 'alert' });
    form = element('form', { 'class': 'compose' });
    input = element('textarea', { rows: '2', 'aria-label': texts.label, placeholder: texts.label, maxlength: String(CONFIG.MAX_CHARS) });
    form.appendChild(input);
    form.appendChild(element('button', { 'class': 'send', type: 'submit' }, texts.send));
    [head, log, live, note, emailForm, error, form].forEach(function (part) { panel.appendChild(part); });
    root.appendChild(style);
    root.appendChild(panel);
    head.querySelector('button').addEventListener('click', close);
    panel.addEventListener('keydown', function (event) { if (event.key === 'Escape') { event.stopPropagation(); close(); } });
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
    });
    form.addEventListener('submit', function (event) { event.preventDefault(); send(); });
    emailForm.addEventListener('submit', function (event) { event.preventDefault(); leaveEmail(); });
    state.host = host;
    state.root = root;
    state.parts = { panel: panel, log: log, live: live, note: note, emailForm: emailForm, email: email, error: error, input: input };
    applyTheme();
    document.body.appendChild(host);
  }

  // WCAG relative luminance plus the 0.05 flare term, ready for a contrast ratio.
  function luminance(hex) {
    var digits = hex.slice(1), sum = 0, i, value;
    if (digits.length === 3) digits = digits.replace(/./g, '$&$&');
    for (i = 0; i < 3; i++) {
      value = parseInt(digits.substr(i * 2, 2), 16) / 255;
      sum += [0.2126, 0.7152, 0.0722][i] * (value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4));
    }
    return sum + 0.05;
  }

  function contrast(first, second) {
    var a = luminance(first), b = luminance(second);
    return Math.max(a, b) / Math.min(a, b);
  }

  // The shop's colours as the prompts use them: its accent, and its text colour when that reaches
  // 4.5:1 on the accent, else black or white, whichever contrasts more.
  function colours(theme) {
    var accent = CONFIG.COLOR.test(theme.accent || '') ? theme.accent : CONFIG.ACCENT, text = theme.textColor;
    if (!(CONFIG.COLOR.test(text || '') && contrast(text, accent) >= 4.5)) text = contrast('#fff', accent) >= contrast('#000', accent) ? '#fff' : '#000';
    return { accent: accent, text: text };
  }

  function paint(node, theme) {
    var chosen = colours(theme || {});
    node.style.setProperty('--a', chosen.accent);
    node.style.setProperty('--t', chosen.text);
  }

  function applyTheme() { paint(state.parts.panel, state.options.theme); }

  // The merchant's launcher: a button in the shop's colours that opens the panel. It is fixed in
  // a corner and drawn in its own shadow root, so nothing on the page moves.
  function showLauncher(theme) {
    if (!state.launcher) {
      var host = element(CONFIG.LAUNCHER_TAG), root = host.attachShadow({ mode: 'open' }), style = element('style');
      var button = element('button', { type: 'button', 'aria-haspopup': 'dialog' }, textsFor('').title);
      style.textContent = LAUNCHER_CSS;
      root.appendChild(style);
      root.appendChild(button);
      button.addEventListener('click', function () { open(options(''), button); });
      state.launcher = { host: host, button: button };
      document.body.appendChild(host);
    }
    if (theme && theme.bubblePosition === 'left') state.launcher.host.className = 'left';
    paint(state.launcher.button, theme);
    state.launcher.host.hidden = isOpen();
  }

  function addMessages(messages, announce) {
    var texts = state.texts, log = state.parts.log, list = log.firstChild, last = null;
    messages.forEach(function (message) {
      if (state.seen[message.id]) return;
      state.seen[message.id] = true;
      state.lastId = Math.max(state.lastId, message.id);
      var item = element('li', { 'class': message.author });
      item.appendChild(element('span', { 'class': 'sr' }, (message.author === 'visitor' ? texts.you : texts.shop) + ': '));
      item.appendChild(document.createTextNode(message.body));
      list.appendChild(item);
      if (message.author !== 'visitor') last = message;
    });
    log.scrollTop = log.scrollHeight;
    // The log region announces additions itself; the status line names what arrived for readers
    // that ignore role=log while focus sits in the text box.
    if (announce && last) state.parts.live.textContent = texts.newMessage + ': ' + last.body;
  }

  function showState(conversation) {
    var texts = state.texts, parts = state.parts, offline = !conversation.online && !conversation.emailGiven;
    parts.note.hidden = !(offline || conversation.status === 'closed' || state.emailSaved);
    parts.note.textContent = state.emailSaved ? texts.saved : (conversation.status === 'closed' ? texts.closed :
      (conversation.outsideHours ? texts.hours : texts.offline));
    parts.emailForm.hidden = !offline;
  }

  function apply(data, announce) {
    addMessages(data.messages || [], announce);
    if (data.conversation) showState(data.conversation);
  }

  function start() {
    var options = state.options, stored = readStored();
    if (stored) { state.conversation = stored; return poll(true); }
    return request('POST', CONFIG.PATH, {
      saleorApiUrl: options.saleorApiUrl, channel: options.channel, visitorId: options.visitorId,
      locale: options.locale || undefined, actionId: options.actionId || undefined
    }).then(function (data) {
      state.conversation = { saleorApiUrl: options.saleorApiUrl, id: data.conversation.id, token: data.conversation.token };
      writeStored(state.conversation);
      apply(data, false);
      poll(false);
    }, function () { state.parts.error.textContent = state.texts.failed; });
  }

  function poll(first) {
    var conversation = state.conversation, generation = state.generation;
    if (!conversation || state.polling) return;
    state.polling = true;
    var wait = first ? 0 : CONFIG.WAIT_SECONDS;
    request('GET', CONFIG.PATH + '/' + encodeURIComponent(conversation.id) + '/messages?after=' + state.lastId + '&wait=' + wait, null, conversation.token)
      .then(function (data) {
        state.failures = 0;
        apply(data, !first);
        return 0;
      }, function (error) {
        if (error.status === 404) { writeStored(null); state.conversation = null; return -2; }  // expired or erased
        return CONFIG.RETRY_MS[Math.min(state.failures++, CONFIG.RETRY_MS.length - 1)];
      })
      .then(function (delay) {
        state.polling = false;
        if (generation !== state.generation || !isOpen()) return;
        if (delay === -2) { start(); return; }  // a fresh conversation instead of the lost one
        window.setTimeout(function () { poll(false); }, delay);
      });
  }

  function send() {
    var input = state.parts.input, body = input.value.trim(), conversation = state.conversation;
    state.parts.error.textContent = '';
    if (!body) return;
    if (body.length > CONFIG.MAX_CHARS) { state.parts.error.textContent = state.texts.tooLong; return; }
    if (!conversation) { start(); return; }
    request('POST', CONFIG.PATH + '/' + encodeURIComponent(conversation.id) + '/messages', { body: body }, conversation.token)
      .then(function (data) { input.value = ''; addMessages([data.message], false); },
        function () { state.parts.error.textContent = state.texts.failed; });
  }

  function leaveEmail() {
    var conversation = state.conversation, value = state.parts.email.value.trim();
    if (!conversation || !value) return;
    request('POST', CONFIG.PATH + '/' + encodeURIComponent(conversation.id) + '/email', { email: value }, conversation.token)
      .then(function () { state.emailSaved = true; showState({ online: false, emailGiven: true, status: 'open' }); },
        function () { state.parts.error.textContent = state.texts.failed; });
  }

  function isOpen() { return !!state.host && !state.host.hidden; }

  function open(options, opener) {
    if (!options || !options.api) return;
    var firstTime = !state.options;
    state.options = options;
    state.texts = textsFor(options.locale);
    state.returnFocus = opener || document.activeElement;
    if (!state.host) build();
    state.host.hidden = false;
    if (state.launcher) state.launcher.host.hidden = true;
    rememberOpen(true);
    state.generation++;
    if (firstTime || !state.conversation) start(); else poll(true);
    state.parts.input.focus();
  }

  function close() {
    if (!state.host) return;
    state.host.hidden = true;  // the conversation stays, stored for the next page or tab
    state.generation++;
    rememberOpen(false);
    if (state.launcher) state.launcher.host.hidden = false;
    var back = state.returnFocus;
    if (back && back.focus && back.isConnected) back.focus();  // isConnected: the launcher lives in a shadow root
  }

  // Another tab started or ended the conversation: follow it.
  window.addEventListener('storage', function (event) {
    if (event.key !== CONFIG.STORE_KEY || !state.options) return;
    var stored = readStored();
    if (stored && (!state.conversation || stored.id !== state.conversation.id)) {
      state.conversation = stored;
      state.lastId = 0;
      state.seen = {};
      if (state.parts) state.parts.log.firstChild.textContent = '';
      if (isOpen()) poll(true);
    }
  });

  // What the snippet knows is on its tag and in its storage; the snippet only passes the action id.
  function options(actionId) {
    var tag = document.querySelector(CONFIG.SNIPPET_SELECTOR), store = storage('localStorage'), visitorId = '';
    if (!tag) return null;
    try { visitorId = (store && store.getItem(CONFIG.VISITOR_KEY)) || ''; } catch (error) { visitorId = ''; }
    var src = tag.src || '', api = CONFIG.SNIPPET_TAIL.test(src) ? src.replace(CONFIG.SNIPPET_TAIL, '') : new URL(src, location.href).origin;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(visitorId)) {
      visitorId = 'c_' + Math.random().toString(36).slice(2) + Date.now().toString(36);  // storage off: a visitor for this page
    }
    return {
      api: api, saleorApiUrl: tag.getAttribute('data-saleor-api-url') || '', channel: tag.getAttribute('data-channel') || '',
      visitorId: visitorId, locale: document.documentElement.getAttribute('lang') || navigator.language || '',
      actionId: typeof actionId === 'string' ? actionId : '', theme: (window[CONFIG.GLOBAL] || {}).theme
    };
  }

  // Opened from a reply email's link: the app's own page names the conversation, the link's
  // fragment carries its token.
  function standalone(id) {
    var token = location.hash.slice(1);
    if (!token) return;
    writeStored({ saleorApiUrl: '', id: id, token: token });
    open({ api: location.origin, saleorApiUrl: '', locale: navigator.language || '' });
  }

  var own = document.currentScript, queued = window[CONFIG.GLOBAL];
  if (queued && queued.loaded) return;  // the snippet appended this script twice before it ran
  if (own && own.getAttribute('data-conversation')) standalone(own.getAttribute('data-conversation'));
  // The snippet keeps `theme` and `launcher` on this object up to date with its settings.
  var api = window[CONFIG.GLOBAL] = {
    loaded: true, theme: queued && queued.theme, launcher: queued && queued.launcher,
    push: function (actionId) { open(options(actionId)); }, close: close,
    showLauncher: function () { showLauncher(api.theme); }
  };
  if (api.launcher) showLauncher(api.theme);
  if (queued && queued.length) open(options(queued[queued.length - 1]));
})(window, document);
