/* The Reminders tab: the settings' `reminders` section, a preview of the email, a test to the
   merchant's own address, and the mail server it goes through. */
import * as api from "./api.js";
import { el } from "./dom.js";
import * as i18n from "./i18n.js";
import { QUERIES as Q } from "./queries.js";

const t = i18n.t;
const $ = function (id) { return document.getElementById(id); };
const BUILT_IN_LANGUAGES = ["en", "es", "de", "fr"];
const TEXT_FIELDS = ["subject", "heading", "intro", "button"];
const state = { call: null, saved: null, mail: null, previews: 0, shown: null };

function labelled(key, control, cls) {
  return el("label", { class: cls || null }, [el("span", { "data-i18n": key, text: t(key) }), control]);
}

/* ---- texts per language: one row each ---- */
function textRow(language, texts) {
  const values = texts || {};
  const row = el("div", { class: "reminder-text" }, [
    labelled("language", el("input", { name: "lang", value: language || "", maxlength: "35", spellcheck: "false" })),
    labelled("remSubject", el("input", { name: "subject", value: values.subject || "", maxlength: "150" })),
    labelled("remHeading", el("input", { name: "heading", value: values.heading || "", maxlength: "150" })),
    labelled("remBody", el("textarea", { name: "intro", rows: "3", value: values.intro || "", maxlength: "1000" }), "body"),
    labelled("remButton", el("input", { name: "button", value: values.button || "", maxlength: "60" }), "button-text"),
  ]);
  const remove = el("button", { type: "button", class: "link danger", "data-i18n": "remove", text: t("remove") });
  remove.addEventListener("click", function () {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    // Focus is never lost: the next language's first field, else "Add language".
    (next ? next.querySelector("input") : $("reminders-add-language")).focus();
  });
  row.appendChild(remove);
  return row;
}

function readTexts(form) {
  const texts = {};
  form.querySelectorAll("#reminder-texts .reminder-text").forEach(function (row) {
    const language = row.querySelector("[name=lang]").value.trim();
    const entry = {};
    TEXT_FIELDS.forEach(function (name) {
      const value = row.querySelector("[name=" + name + "]").value.trim();
      if (value) entry[name] = value;
    });
    // A row left wholly empty is no language; a half-filled one is sent, so its gap is named.
    if (!language && !Object.keys(entry).length) return;
    texts[language] = Object.assign({ subject: "", intro: "" }, entry);
  });
  return texts;
}

/* ---- the form and the settings document, both ways ---- */
function delayParts(minutes) {
  if (minutes === undefined || minutes === null) return { value: "", unit: "60" };
  return minutes % 60 === 0 ? { value: String(minutes / 60), unit: "60" } : { value: String(minutes), unit: "1" };
}

function fill(form, doc) {
  const f = form.elements;
  f.enabled.checked = Boolean(doc.enabled);
  form.querySelectorAll("[name=audience]").forEach(function (radio) { radio.checked = radio.value === doc.audience; });
  f.consentKey.value = doc.consentKey || "";
  const delays = doc.delaysMinutes || [];
  [1, 2].forEach(function (n) {
    const parts = delayParts(delays[n - 1]);
    f["delay" + n].value = parts.value;
    f["delay" + n + "Unit"].value = parts.unit;
  });
  f.checkoutUrl.value = doc.checkoutUrl || "";
  f.holdoutPercent.value = String(doc.holdoutPercent);
  f.webhookUrl.value = doc.webhookUrl || "";
  const box = $("reminder-texts");
  box.replaceChildren();
  Object.keys(doc.texts || {}).forEach(function (language) { box.appendChild(textRow(language, doc.texts[language])); });
  explain();
}

function delayOf(f, n) {
  const raw = f["delay" + n].value.trim();
  return raw === "" ? null : Number(raw) * Number(f["delay" + n + "Unit"].value);
}

function read(form) {
  const f = form.elements;
  const audience = form.querySelector("[name=audience]:checked");
  return {
    enabled: f.enabled.checked,
    audience: audience ? audience.value : "consent",
    consentKey: f.consentKey.value.trim(),
    delaysMinutes: [delayOf(f, 1), delayOf(f, 2)].filter(function (minutes, index) { return index === 0 || minutes !== null; }),
    checkoutUrl: f.checkoutUrl.value.trim() || null,
    holdoutPercent: f.holdoutPercent.value.trim() === "" ? null : Number(f.holdoutPercent.value),
    webhookUrl: f.webhookUrl.value.trim() || null,
    texts: readTexts(form),
  };
}

/* The how-tos name what the merchant typed (the consent key) and where the keys are. */
function explain() {
  const form = $("reminders-form");
  const key = form.elements.consentKey.value.trim() || "proactive_reminders";
  $("reminders-consent-howto").textContent = t("remConsentHowto", { key: key });
  $("reminders-webhook-help").textContent = t("remWebhookHelp", { jwks: document.body.dataset.baseUrl + "/.well-known/jwks.json" });
  $("reminders-preview-frame").title = t("remPreviewFrame");
}

/* ---- errors: by the visible labels, marked, linked, the first one focused ---- */
const FIELDS = {
  "reminders.enabled": "enabled", "reminders.consentKey": "consentKey",
  "reminders.delaysMinutes": "delay1", "reminders.delaysMinutes[0]": "delay1", "reminders.delaysMinutes[1]": "delay2",
  "reminders.checkoutUrl": "checkoutUrl", "reminders.holdoutPercent": "holdoutPercent", "reminders.webhookUrl": "webhookUrl",
};

function inputFor(form, path) {
  if (path === "reminders.audience") return form.querySelector("[name=audience]");
  if (FIELDS[path]) return form.elements[FIELDS[path]];
  const text = /^reminders\.texts\.([^.]*)(?:\.(\w+))?$/.exec(path || "");
  if (!text) return null;
  const row = Array.from(form.querySelectorAll("#reminder-texts .reminder-text")).find(function (candidate) {
    return candidate.querySelector("[name=lang]").value.trim() === text[1];
  });
  if (!row) return null;
  return row.querySelector("[name=" + (TEXT_FIELDS.indexOf(text[2]) >= 0 ? text[2] : "lang") + "]");
}

function nameOf(input) {
  if (input.type === "radio") return input.closest("fieldset").querySelector("legend").textContent;
  const caption = input.closest("label").querySelector("span").textContent;
  const row = input.closest(".reminder-text");
  const language = row && input.name !== "lang" ? row.querySelector("[name=lang]").value.trim() : "";
  return language ? caption + " (" + language + ")" : caption;
}

export function showErrors(form, list, errors, find) {
  form.querySelectorAll("[aria-invalid]").forEach(function (input) {
    input.removeAttribute("aria-invalid");
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id.indexOf("-error-") < 0; });
    if (described.length) input.setAttribute("aria-describedby", described.join(" "));
    else input.removeAttribute("aria-describedby");
  });
  list.replaceChildren();
  let first = null;
  (errors || []).forEach(function (error, index) {
    const input = find(form, error.field);
    const id = list.id + "-error-" + index;
    const name = input ? nameOf(input) : error.field;
    list.appendChild(el("li", { id: id, text: (name ? name + ": " : "") + error.message }));
    if (input && !input.hasAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", "true");
      // Kept beside the field's own help (the consent how-to, the webhook's signing).
      input.setAttribute("aria-describedby", [id].concat(input.getAttribute("aria-describedby") || []).join(" "));
      first = first || input;
    }
  });
  if (errors && errors.length) (first || list).focus();
}

function status(id, text, ok) {
  const node = $(id);
  node.className = "status " + (ok ? "ok" : "bad");
  node.textContent = text;
}

/* Filling the form again redraws the texts' rows: the field that had the focus (Enter in a
   text submits) gets it back, else the first field of its row's place, else Save. */
function keptFocus(form) {
  const active = document.activeElement;
  const row = active && active.closest ? active.closest(".reminder-text") : null;
  if (!row) return function () {};
  const index = Array.from(form.querySelectorAll("#reminder-texts .reminder-text")).indexOf(row);
  return function () {
    const rows = form.querySelectorAll("#reminder-texts .reminder-text");
    const again = rows[Math.min(index, rows.length - 1)];
    const target = again && (again.querySelector("[name=" + active.name + "]") || again.querySelector("input"));
    (target || form.querySelector("button[type=submit]")).focus();
  };
}

/* ---- load and save ---- */
export async function load() {
  const data = await state.call(Q.settings);
  state.saved = data.settings.document.reminders;
  fill($("reminders-form"), state.saved);
  languages();
  await Promise.all([preview(), loadMail()]);
  document.body.dataset.remindersReady = "1";
}

async function save(event) {
  event.preventDefault();
  const form = $("reminders-form");
  $("reminders-status").textContent = "";
  const data = await state.call(Q.saveSettings, { input: { document: { reminders: read(form) } } });
  const result = data.updateSettings;
  showErrors(form, $("reminders-errors"), result.errors, inputFor);
  if (result.errors.length) return;
  state.saved = result.settings.document.reminders;
  const kept = keptFocus(form);
  fill(form, state.saved);  // as stored: trimmed, empty rows gone
  kept();
  languages();
  status("reminders-status", t("saved"), true);
  await preview();  // the preview shows what is saved
}

/* ---- preview and test ---- */
function languages() {
  const select = $("reminders-preview-language");
  const chosen = select.value || i18n.current();
  const all = Object.keys(state.saved.texts || {}).concat(BUILT_IN_LANGUAGES)
    .filter(function (code, index, list) { return list.indexOf(code) === index; });
  select.replaceChildren.apply(select, all.map(function (code) { return el("option", { value: code, text: code }); }));
  select.value = all.indexOf(chosen) >= 0 ? chosen : all[0];
}

/* The email is shown as mailed: in a frame that may run no script. Its styles are inline
   (as email needs) and the page's CSP, which the frame inherits, forbids inline styles;
   so they are applied through the CSSOM, which the CSP does not govern. */
function applyEmailStyles() {
  const doc = $("reminders-preview-frame").contentDocument;
  if (!doc || !state.shown) return;
  doc.querySelectorAll("[style]").forEach(function (node) { node.style.cssText = node.getAttribute("style"); });
  document.body.dataset.reminderPreview = state.shown;
}

async function preview() {
  const locale = $("reminders-preview-language").value || "en";
  const ticket = ++state.previews;  // only the last one asked for is shown
  const found = (await state.call(Q.reminderPreview, { locale: locale })).reminderPreview;
  if (ticket !== state.previews) return;
  $("reminders-preview-subject").textContent = found.subject;
  state.shown = locale;
  $("reminders-preview-frame").srcdoc = found.html;
}

async function sendTest() {
  const button = $("reminders-send-test");
  status("reminders-test-status", t("remSending"), true);
  button.disabled = true;
  try {
    const result = (await state.call(Q.reminderTest, { locale: $("reminders-preview-language").value })).remindersSendTest;
    if (result.errors.length) status("reminders-test-status", t("remTestFailed", { reason: result.errors[0].message }), false);
    else status("reminders-test-status", t("remTestSent", { email: result.sentTo }), true);
  } finally {
    button.disabled = false;
  }
}

/* ---- the mail server ---- */
// What `mailServer.tls` says: TLS from the start (smtps), upgraded (STARTTLS), or none.
const TLS_NAMES = { tls: "TLS", starttls: "STARTTLS" };

async function loadMail() {
  try {
    const body = await api.graphql(Q.mailServer);
    state.mail = body.data.mailServer;
  } catch (error) {
    state.mail = { error: error.message };
  }
  renderMail();
}

function renderMail() {
  const mail = state.mail;
  const text = !mail ? "" : mail.error ? t("remMailUnknown", { reason: mail.error })
    : !mail.configured ? t("remMailNone")
      : t("remMailCurrent", {
        host: mail.host, port: mail.port, sender: mail.sender || "—",
        tls: TLS_NAMES[mail.tls] || t("no"),
        username: mail.username || "—",
      });
  $("mail-current").textContent = text;
}

function mailInput(form) { return form.elements.mailUrl; }

async function saveMail(event) {
  event.preventDefault();
  const form = $("mail-form");
  $("mail-status").textContent = "";
  const result = (await state.call(Q.setMailServer, { url: form.elements.mailUrl.value.trim() })).setMailServer;
  showErrors(form, $("mail-errors"), result.errors, mailInput);
  if (result.errors.length) return;
  form.elements.mailUrl.value = "";  // it holds the password: never left on screen
  await loadMail();
  status("mail-status", t("saved"), true);
}

async function clearMail() {
  const form = $("mail-form");
  const result = (await state.call(Q.clearMailServer)).clearMailServer;
  showErrors(form, $("mail-errors"), result.errors, mailInput);
  if (result.errors.length) return;
  await loadMail();
  status("mail-status", t("remMailCleared"), true);
}

export function setup(call) {
  state.call = call;
  const form = $("reminders-form");
  form.addEventListener("submit", save);
  form.elements.consentKey.addEventListener("input", explain);
  $("reminders-add-language").addEventListener("click", function () {
    const row = textRow("", null);
    $("reminder-texts").appendChild(row);
    row.querySelector("[name=lang]").focus();
  });
  $("reminders-preview-language").addEventListener("change", preview);
  $("reminders-preview-frame").addEventListener("load", applyEmailStyles);
  $("reminders-send-test").addEventListener("click", sendTest);
  $("mail-form").addEventListener("submit", saveMail);
  $("mail-clear").addEventListener("click", clearMail);
  explain();
  i18n.onChange(function () { explain(); renderMail(); });
}
