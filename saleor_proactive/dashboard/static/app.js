/* The app page: waits for the Dashboard's token, then lists, edits and tests triggers. */
import * as api from "./api.js";
import * as editor from "./editor.js";
import * as i18n from "./i18n.js";
import { mountInbox } from "./inbox.js";
import * as panels from "./panels.js";
import * as preview from "./preview.js";
import { QUERIES as Q } from "./queries.js";
import * as reminders from "./reminders.js";
import * as results from "./results.js";

const el = editor.el;
const t = i18n.t;
const $ = function (id) { return document.getElementById(id); };
const SHOW_LABELS = {
  chat_prompt: "chatPrompt", free_shipping_notice: "freeShippingNotice", product_comparison: "productComparison",
  offer: "offerShort",
};
const state = { triggers: [], stats: null, editing: null, base: null, armed: null, canWrite: false, validateTimer: null, channels: [], warned: null };

function flash(text, ok) {
  const node = $("flash");
  node.textContent = text;
  node.className = "flash " + (ok ? "ok" : "bad");
}

function showErrors(list, errors) {
  list.replaceChildren();
  (errors || []).forEach(function (error) {
    list.appendChild(el("li", { text: (error.field ? error.field + ": " : "") + error.message }));
  });
}

/* The editor's inputs by the rule document's paths, so an error names the field the merchant
   sees (its label), marks it invalid and is linked to it. */
const EDITOR_FIELDS = {
  name: "name", priority: "priority", enabled: "enabled", channels: "channels",
  holdoutPercent: "holdoutPercent", "frequency.maxPerVisitor": "maxPerVisitor",
  "frequency.per": "per", "frequency.cooldownMinutes": "cooldownMinutes",
  "schedule.timezone": "timezone", "schedule.from": "from", "schedule.to": "to",
};

function editorInput(form, path) {
  if (EDITOR_FIELDS[path]) return form.elements[EDITOR_FIELDS[path]] || null;
  const text = /^show\.(message|cta|reachedMessage)\.(.+)$/.exec(path || "");
  if (!text) return null;
  const row = Array.from(form.querySelectorAll("#messages .message")).find(function (candidate) {
    return candidate.querySelector("[name=lang]").value.trim() === text[2];
  });
  return row ? row.querySelector(text[1] === "message" ? "[name=text]" : "[name=extra]") : null;
}

function labelOf(input) {
  const label = input.closest("label");
  const caption = label && label.querySelector("span");
  return caption ? caption.textContent : "";
}

/** Lists the editor's errors by their fields' visible labels and marks those fields; with
    `focus`, takes the merchant to the first one (after a save, not while typing). */
function showEditorErrors(errors, focus) {
  const form = $("editor");
  const list = $("editor-errors");
  form.querySelectorAll("[aria-invalid]").forEach(function (input) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  });
  list.replaceChildren();
  let first = null;
  (errors || []).forEach(function (error, index) {
    const input = editorInput(form, error.field);
    const id = "editor-error-" + index;
    const name = input ? labelOf(input) : error.field;
    list.appendChild(el("li", { id: id, text: (name ? name + ": " : "") + error.message }));
    if (input && !input.hasAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      first = first || input;
    }
  });
  if (focus && errors && errors.length) (first || list).focus();
}

async function call(query, variables) {
  try {
    return (await api.graphql(query, variables)).data;
  } catch (error) {
    flash(t("error") + " " + error.message, false);
    throw error;
  }
}

/* ---- theme and language ---- */
function setTheme(theme) {
  document.documentElement.dataset.theme = theme === "dark" ? "dark" : "light";
}


/* ---- tabs (arrow keys move between them, as the ARIA pattern asks) ---- */
function setupTabs() {
  const tabs = Array.from(document.querySelectorAll("[role=tab]"));
  function select(tab, quietly) {
    tabs.forEach(function (other) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      $(other.getAttribute("aria-controls")).hidden = !on;
    });
    if (!quietly) tab.focus();
    const loaders = { "tab-results": function () { results.load(triggerNames()); }, "tab-settings": panels.loadSettings, "tab-shipping": panels.loadThresholds, "tab-reminders": reminders.load, "tab-install": panels.loadSnippet };
    if (loaders[tab.id]) loaders[tab.id]();
  }
  tabs.forEach(function (tab, index) {
    tab.addEventListener("click", function () { select(tab); });
    tab.addEventListener("keydown", function (event) {
      const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
      if (step) select(tabs[(index + step + tabs.length) % tabs.length]);
    });
  });
  // Opened from the Dashboard's navigation (the manifest's extension): the inbox first.
  if (/\/chat\/?$/.test(location.pathname)) select($("tab-chat"), true);
}

/* ---- triggers ---- */
function triggerNames() {
  const names = {};
  state.triggers.forEach(function (trigger) { names[trigger.id] = trigger.name; });
  return names;
}

async function loadTriggers() {
  const data = await call(Q.triggers);
  state.triggers = data.triggers.items;
  renderTriggers();
  loadStats();
}

async function loadStats() {
  const to = new Date();
  const from = new Date(to.getTime() - 6 * 86400000);
  try {
    const body = await api.graphql(Q.stats, { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) });
    const stats = {};
    ((body.data && body.data.stats) || []).forEach(function (row) { stats[row.triggerId] = row; });
    state.stats = body.data ? stats : null;
  } catch (error) {
    state.stats = null;  // shown as "—": unknown, not zero
  }
  renderTriggers();
}

/* Re-rendering the list (after the 7-day figures arrive, say) must not drop the merchant's
   focus: it comes back to the same control of the same trigger. */
function focusedControl() {
  const active = document.activeElement;
  const row = active && active.closest ? active.closest("#trigger-rows tr") : null;
  if (!row) return null;
  return { id: row.dataset.triggerId, index: Array.from(row.querySelectorAll("button, input")).indexOf(active) };
}

function restoreFocus(kept) {
  const row = kept && document.querySelector('#trigger-rows tr[data-trigger-id="' + kept.id + '"]');
  const control = row && row.querySelectorAll("button, input")[kept.index];
  if (control) control.focus();
}

function renderTriggers() {
  const rows = $("trigger-rows");
  if (!rows) return;
  const kept = focusedControl();
  rows.replaceChildren();
  $("no-triggers").hidden = state.triggers.length > 0;
  state.triggers.forEach(function (trigger) {
    const stats = state.stats ? state.stats[trigger.id] || { impressions: 0, clicks: 0 } : null;
    const toggle = el("input", { type: "checkbox", "aria-label": t("colEnabled") + ": " + trigger.name });
    toggle.checked = trigger.enabled;
    toggle.disabled = !state.canWrite;
    toggle.addEventListener("change", function () { setEnabled(trigger, toggle.checked); });
    const edit = el("button", { type: "button", class: "link", text: t("edit") });
    edit.addEventListener("click", function () { openEditor(trigger); });
    const remove = el("button", { type: "button", class: "link danger", text: t("delete") });
    remove.disabled = !state.canWrite;
    // Two clicks instead of window.confirm (the Dashboard's iframe sandbox may block
    // dialogs); the armed state lives in `state` so a re-render in between keeps it.
    if (state.armed === trigger.id) remove.textContent = t("confirmDelete");
    remove.addEventListener("click", function () {
      if (state.armed === trigger.id) { state.armed = null; deleteTrigger(trigger); return; }
      state.armed = trigger.id;
      remove.textContent = t("confirmDelete");
      window.setTimeout(function () {
        if (state.armed === trigger.id) { state.armed = null; renderTriggers(); }
      }, 5000);
    });
    rows.appendChild(el("tr", { "data-trigger-id": trigger.id }, [
      el("td", { text: trigger.name }),
      el("td", {}, [el("span", { class: "pill", text: SHOW_LABELS[trigger.showType] ? t(SHOW_LABELS[trigger.showType]) : trigger.showType })]),
      el("td", {}, [toggle]),
      el("td", { class: "num", text: String(trigger.priority) }),
      el("td", { class: "num", text: stats ? String(stats.impressions) : "—" }),
      el("td", { class: "num", text: stats ? String(stats.clicks) : "—" }),
      el("td", {}, [edit, remove]),
    ]));
  });
  restoreFocus(kept);
}

async function setEnabled(trigger, enabled) {
  const document_ = Object.assign({}, trigger.document, { enabled: enabled });
  const data = await call(Q.update, { id: trigger.id, input: { document: document_ } });
  const payload = data.updateTrigger;
  if (payload.errors.length) { flash(payload.errors[0].message, false); return; }
  flash(t("saved"), true);
  await loadTriggers();
}

async function deleteTrigger(trigger) {
  const rows = state.triggers.map(function (item) { return item.id; });
  const next = rows[rows.indexOf(trigger.id) + 1] || rows[rows.indexOf(trigger.id) - 1];
  const data = await call(Q.remove, { id: trigger.id });
  if (data.deleteTrigger.errors.length) { flash(data.deleteTrigger.errors[0].message, false); return; }
  flash(t("deleted"), true);
  await loadTriggers();
  focusRow(next);  // the row that took its place, else "New trigger": focus is never lost
}

function openEditor(trigger) {
  const form = $("editor");
  state.editing = trigger;
  state.base = trigger ? trigger.document : editor.blank();
  $("editor-title").textContent = trigger ? trigger.name : t("newTriggerTitle");
  editor.fill(form, state.base, state.channels);
  syncJson();
  showEditorErrors([], false);
  showWarnings([]);
  form.hidden = false;
  form.elements.name.focus();
}

function currentDocument() {
  return editor.read($("editor"), state.base);
}

function syncJson() {
  const doc = currentDocument();
  $("json").value = JSON.stringify(doc, null, 2);
  preview.update(doc, currency());
}

function scheduleValidation() {
  syncJson();
  refreshCurrencies();
  window.clearTimeout(state.validateTimer);
  state.validateTimer = window.setTimeout(async function () {
    try {
      const body = await api.graphql(Q.validate, { input: { document: currentDocument() } });
      showEditorErrors(body.data ? body.data.validateTrigger : body.errors, false);
      showWarnings(await fetchWarnings());
    } catch (error) { /* the save shows it */ }
  }, 350);
}

/* ---- warnings: shown before saving; the merchant may save anyway ---- */
async function fetchWarnings() {
  const variables = { input: { document: currentDocument() }, id: state.editing ? state.editing.id : null };
  const body = await api.graphql(Q.warnings, variables);
  return (body.data && body.data.triggerWarnings) || [];
}

/* The live region stays in place; only its content comes and goes, so it is announced. */
function showWarnings(warnings) {
  const box = $("warnings-box");
  const list = el("ul", { id: "editor-warnings", tabindex: "-1", "aria-labelledby": "warnings-title" });
  warnings.forEach(function (warning) {
    list.appendChild(el("li", { "data-code": warning.code, "data-trigger-id": warning.triggerId, text: warning.message }));
  });
  box.replaceChildren.apply(box, warnings.length ? [el("h3", { id: "warnings-title", text: t("warningsTitle") }), list] : []);
  const submit = $("editor").querySelector("button[type=submit]");
  const anyway = warnings.length > 0 && state.warned === JSON.stringify(currentDocument());
  submit.textContent = t(anyway ? "saveAnyway" : "save");
}

/* The amounts' currency: the one all the trigger's channels (or all the shop's) share. */
function currency() {
  const chosen = editor.chosenChannels($("editor"));
  const pool = state.channels.filter(function (c) { return !chosen.length || chosen.indexOf(c.slug) >= 0; });
  const codes = pool.map(function (c) { return c.currency; }).filter(function (code, i, all) { return all.indexOf(code) === i; });
  return codes.length === 1 ? codes[0] : t("channelCurrency");
}

function refreshCurrencies() {
  document.querySelectorAll("#editor [data-currency-of]").forEach(function (caption) {
    caption.textContent = caption.dataset.currencyOf + " (" + currency() + ")";
  });
}

async function catalogueLookUp(products, variables) {
  const body = await api.graphql(products ? Q.products : Q.categories, variables);
  return (body.data && body.data[products ? "catalogProducts" : "catalogCategories"]) || [];
}

async function saveTrigger(event) {
  event.preventDefault();
  window.clearTimeout(state.validateTimer);  // the save's own answer is the one to show
  const input = { document: currentDocument() };
  const fingerprint = JSON.stringify(input.document);
  if (state.warned !== fingerprint) {
    const warnings = await fetchWarnings().catch(function () { return []; });
    if (warnings.length) {
      // Shown first; saving the same document again means "save anyway".
      state.warned = fingerprint;
      showWarnings(warnings);
      $("editor-warnings").focus();
      return;
    }
  }
  const data = state.editing
    ? (await call(Q.update, { id: state.editing.id, input: input })).updateTrigger
    : (await call(Q.create, { input: input })).createTrigger;
  showEditorErrors(data.errors, true);
  if (data.errors.length) return;
  $("editor").hidden = true;
  state.editing = null;
  flash(t("saved"), true);
  await loadTriggers();
  focusRow(data.trigger.id);  // the merchant lands on what they saved
}

function focusRow(triggerId) {
  const row = document.querySelector('#trigger-rows tr[data-trigger-id="' + triggerId + '"]');
  const edit = row && row.querySelector("button.link");
  (edit || $("new-trigger")).focus();
}

function applyJson() {
  let parsed;
  try { parsed = JSON.parse($("json").value); } catch (error) {
    showEditorErrors([{ field: "", message: t("invalidJson") }], true);
    return;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    showEditorErrors([{ field: "", message: t("invalidJson") }], true);
    return;
  }
  state.base = parsed;
  editor.fill($("editor"), parsed);
  scheduleValidation();
}

function setupEditor() {
  const form = $("editor");
  editor.setup(form);
  preview.setup(syncJson);
  form.addEventListener("input", scheduleValidation);
  form.addEventListener("change", scheduleValidation);
  form.addEventListener("submit", saveTrigger);
  $("new-trigger").addEventListener("click", function () { openEditor(null); });
  $("cancel-edit").addEventListener("click", function () { form.hidden = true; state.editing = null; $("new-trigger").focus(); });
  $("apply-json").addEventListener("click", applyJson);
  // The JSON view is applied on request; typing in it must not re-sync it from the form.
  ["input", "change"].forEach(function (type) {
    $("json").addEventListener(type, function (event) { event.stopPropagation(); });
  });
}

// Offers need MANAGE_DISCOUNTS: say so up front rather than failing at the first save.
function showOffersNote() {
  call(Q.offersNote).then(function (data) {
    const note = data.installation.offersUnavailable;
    $("offers-note").textContent = note || "";
    $("offers-note").hidden = !note;
  }).catch(function () { /* the save still says why */ });
}

/* ---- boot ---- */
async function boot() {
  const me = (await call(Q.me)).installation;
  state.canWrite = me.canWrite;
  $("who").textContent = me.userEmail || "";
  if (!me.canWrite) {
    // Without MANAGE_APPS every write would be refused (403): say so and offer none.
    flash(t("readOnly"), false);
    document.querySelectorAll("#new-trigger, #mail-clear, #reminders-send-test, form button[type=submit]:not(#simulator-form button)").forEach(function (button) {
      button.disabled = true;
    });
  }
  state.channels = (await call(Q.channels)).catalogChannels;
  preview.useTheme((await call(Q.theme)).settings.snippetTheme);
  editor.configure({
    channels: state.channels, currency: currency,
    catalogue: {
      search: function (products, text) { return catalogueLookUp(products, { search: text, ids: null }); },
      names: function (products, ids) { return catalogueLookUp(products, { search: "", ids: ids }); },
    },
  });
  $("waiting").hidden = true;
  $("main").hidden = false;
  document.body.dataset.ready = "1";
  mountInbox(api.graphql);
  showOffersNote();  // asks Saleor: not worth holding the page for
  await loadTriggers();
}

document.addEventListener("DOMContentLoaded", function () {
  setTheme(api.params.get("theme") || "light");
  i18n.setLocale(api.params.get("locale") || navigator.language || "en");
  i18n.onChange(renderTriggers);
  setupTabs();
  setupEditor();
  panels.setup(call, flash, showErrors);
  results.setup(call);
  reminders.setup(call);
  if (!api.framed) {  // opened on its own: no Dashboard will ever send a token
    $("waiting").hidden = true;
    $("outside").hidden = false;
    return;
  }
  api.on("ready", function () { boot(); });
  api.on("theme", setTheme);
  api.on("locale", i18n.setLocale);
  api.start();
});

