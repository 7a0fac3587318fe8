/* The built-in chat's inbox on the app page: conversations, their context, replies in real time.
   An ES module: app.js calls `mountInbox(graphql)` once the page has booted, so the inbox's
   first calls never race the page's own token refresh. Everything shown is set as text, in the
   merchant's language (i18n.js), and is drawn again when the Dashboard changes it. */
import { money as formatMoney, onChange, t } from "./i18n.js";

const LIST = `query { chatConversations { id status unread lastMessage lastMessageAt visitorEmail } chatUnread }`;
const ONE = `query One($id: ID!) { chatConversation(id: $id) { id status visitorEmail
  messages { id author authorEmail body createdAt }
  context { triggerName openingMessage channel locale device country pageUrl
    productsViewed { id name }
    cart { email value { amount currency } remainingToFreeShipping { amount currency }
      lines { productName productId quantity total { amount currency } } } } } }`;
const WAIT = `query Wait($after: Int!) { chatWait(after: $after) }`;
const REPLY = `mutation Reply($id: ID!, $body: String!) { chatReply(conversationId: $id, body: $body) {
  message { id } errors { field message } } }`;
const READ = `mutation Read($id: ID!, $upTo: Int!) { chatMarkRead(conversationId: $id, upTo: $upTo) { errors { message } } }`;
const STATUS = {
  closed: `mutation Close($id: ID!) { chatClose(conversationId: $id) { errors { message } } }`,
  open: `mutation Reopen($id: ID!) { chatReopen(conversationId: $id) { errors { message } } }`,
};
const RETRY_MS = 3000;
const SOUND_KEY = "saleorProactive.inboxSound";  // per browser: each staff member decides

function remembered() {
  try { return window.localStorage.getItem(SOUND_KEY) === "1"; } catch (error) { return false; }
}

function remember(on) {
  try { window.localStorage.setItem(SOUND_KEY, on ? "1" : "0"); } catch (error) { /* blocked: this page only */ }
}

// A short two-note chime, made on the spot: no audio file to load or to block.
function chime() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  const context = new Context();
  [660, 880].forEach((frequency, index) => {
    const tone = context.createOscillator();
    const volume = context.createGain();
    const at = context.currentTime + index * 0.15;
    tone.frequency.value = frequency;
    volume.gain.setValueAtTime(0.15, at);
    volume.gain.exponentialRampToValueAtTime(0.001, at + 0.14);
    tone.connect(volume).connect(context.destination);
    tone.start(at);
    tone.stop(at + 0.15);
  });
  setTimeout(() => context.close(), 600);
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function money(value) {
  return value ? formatMoney(value.amount, value.currency) : "";
}

export function mountInbox(graphql) {
  const panel = document.getElementById("panel-chat");
  const tab = document.getElementById("tab-chat");
  if (!panel || !tab || panel.dataset.mounted) return;
  panel.dataset.mounted = "1";
  const state = { selected: null, latest: 0, known: null, sending: false };

  const list = element("ul", { class: "chat-list", "aria-label": t("conversations"), "data-i18n-label": "conversations" });
  const view = element("div", { class: "chat-view" });
  const empty = element("p", { class: "muted", "data-i18n": "noConversations" }, t("noConversations"));
  const status = element("p", { class: "sr-only", role: "status", "aria-live": "polite" });
  const layout = element("div", { class: "card chat-inbox" });
  const sound = element("input", { type: "checkbox", id: "chat-sound" });
  const soundLabel = element("label", { for: "chat-sound" }, " " + t("playSound"));
  sound.checked = remembered();
  sound.addEventListener("change", () => remember(sound.checked));
  soundLabel.prepend(sound);
  layout.append(element("h2", { "data-i18n": "conversations" }, t("conversations")), soundLabel, empty, list, view, status);
  panel.append(layout);

  async function refreshList() {
    const data = (await graphql(LIST)).data;
    const conversations = data.chatConversations;
    empty.hidden = conversations.length > 0;
    tab.textContent = data.chatUnread ? t("tabChatUnread", { n: data.chatUnread }) : t("tabChat");
    const fresh = state.known && conversations.filter((c) => !state.known.has(c.id));
    state.known = new Set(conversations.map((c) => c.id));
    if (fresh && fresh.length) announce(t("newConversation", { text: fresh[0].lastMessage || "" }));
    list.replaceChildren(...conversations.map((c) => {
      const item = element("li");
      const button = element("button", { type: "button", class: "link", "aria-current": String(c.id === state.selected) });
      button.append(element("span", {}, c.lastMessage || "…"));
      if (c.unread) button.append(element("span", { class: "badge", "aria-label": t("unread", { n: c.unread }) }, c.unread));
      if (c.status === "closed") button.append(element("span", { class: "muted" }, t("closedMark")));
      button.addEventListener("click", () => select(c.id));
      item.append(button);
      return item;
    }));
  }

  function announce(text) {
    status.textContent = text;
    if (sound.checked) {
      panel.dataset.chimes = String(Number(panel.dataset.chimes || 0) + 1);  // what a test can see
      chime();
    }
    if (document.hidden && window.Notification && Notification.permission === "granted") {
      new Notification("Saleor Proactive", { body: text });
    }
  }

  async function select(id) {
    state.selected = id;
    await showConversation();
    await refreshList();
  }

  async function showConversation() {
    if (!state.selected) return;
    const conversation = (await graphql(ONE, { id: state.selected })).data.chatConversation;
    if (!conversation) { view.replaceChildren(); return; }
    const log = element("div", { class: "chat-log", role: "log", "aria-live": "polite", "aria-label": t("messages"), tabindex: "0" });
    const lines = element("ol");
    log.append(lines);
    conversation.messages.forEach((m) => {
      const who = m.author === "agent" ? (m.authorEmail || t("staff")) : m.author === "shop" ? t("promptAuthor") : t("visitor");
      const line = element("li", { class: `chat-${m.author}` });
      line.append(element("strong", {}, `${who}: `), element("span", {}, m.body));
      lines.append(line);
    });
    const form = element("form", { class: "chat-reply" });
    const input = element("textarea", { rows: "2", maxlength: "2000", "aria-label": t("reply") });
    const send = element("button", { type: "submit", class: "primary" }, t("send"));
    const problem = element("p", { class: "error", role: "alert" });
    form.append(input, send, problem);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = (await graphql(REPLY, { id: conversation.id, body: input.value })).data.chatReply;
      if (result.errors.length) { problem.textContent = result.errors[0].message; return; }
      input.value = "";
      await showConversation();
      view.querySelector("textarea").focus();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
    });
    const next = conversation.status === "open" ? "closed" : "open";
    const toggle = element("button", { type: "button" }, next === "closed" ? t("closeConversation") : t("reopenConversation"));
    toggle.addEventListener("click", async () => { await graphql(STATUS[next], { id: conversation.id }); await select(conversation.id); });
    view.replaceChildren(log, form, toggle, contextOf(conversation));
    log.scrollTop = log.scrollHeight;
    const last = conversation.messages[conversation.messages.length - 1];
    if (last) await graphql(READ, { id: conversation.id, upTo: last.id });
  }

  function contextOf(conversation) {
    const c = conversation.context;
    const box = element("aside", { class: "chat-context", "aria-label": t("context") });
    const facts = element("dl");
    const add = (label, value) => { if (value) facts.append(element("dt", {}, label), element("dd", {}, value)); };
    add(t("cTrigger"), c.triggerName);
    add(t("cPrompt"), c.openingMessage);
    add(t("cChannel"), c.channel);
    add(t("cLocale"), c.locale);
    add(t("cDevice"), c.device);
    add(t("cCountry"), c.country);
    add(t("cPage"), c.pageUrl);
    add(t("cEmail"), conversation.visitorEmail);
    add(t("cViewed"), c.productsViewed.map((p) => p.name || p.id).join(", "));
    if (c.cart) {
      add(t("cCheckoutEmail"), c.cart.email);
      add(t("cCart"), money(c.cart.value));
      add(t("cToFreeShipping"), money(c.cart.remainingToFreeShipping));
      add(t("cLines"), c.cart.lines.map((l) => `${l.quantity} × ${l.productName || l.productId} (${money(l.total)})`).join("; "));
    }
    box.append(element("h3", {}, t("context")), facts);
    return box;
  }

  async function listen() {
    for (;;) {
      try {
        const latest = (await graphql(WAIT, { after: state.latest })).data.chatWait;
        if (latest !== state.latest) {
          state.latest = latest;
          if (state.selected) await showConversation();  // marks it read: then the list's counts
          await refreshList();
        }
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  tab.addEventListener("click", () => {
    if (window.Notification && Notification.permission === "default") Notification.requestPermission();
    refreshList();
  });
  onChange(() => { refreshList(); showConversation(); });
  refreshList().then(listen, listen);
}

