/* Settings, free-shipping thresholds, the simulator and the snippet tag. */
import { el } from "./editor.js";
import { t } from "./i18n.js";
import { QUERIES as Q } from "./queries.js";
import { BAR_POSITIONS, CHAT_PROVIDERS, DEVICES, PAGE_TYPES, THEME_POSITIONS } from "./vocabulary.js";

const $ = function (id) { return document.getElementById(id); };
let call = null; let flash = null; let showErrors = null;
let settingsDocument = null;

function field(key, control) {
  return el("label", {}, [el("span", { "data-i18n": key, text: t(key) }), control]);
}

function select(name, values, selected) {
  const node = el("select", { name: name });
  values.forEach(function (value) {
    const option = el("option", { value: value, text: value || "—" });
    if (value === selected) option.selected = true;
    node.appendChild(option);
  });
  return node;
}

function check(name, label, checked) {
  const box = el("input", { type: "checkbox", name: name });
  box.checked = Boolean(checked);
  return el("label", { class: "check" }, [box, el("span", { "data-i18n": label, text: t(label) })]);
}

/* ---- settings ---- */
export async function loadSettings() {
  const data = await call(Q.settings);
  settingsDocument = data.settings.document;
  renderSettings(settingsDocument);
}

function renderSettings(doc) {
  const box = $("settings-fields");
  const patterns = (doc.pagePatterns || []).map(function (p) { return p.pattern + " " + p.pageType; });
  box.replaceChildren(
    field("sChat", select("provider", CHAT_PROVIDERS, doc.chat.provider)),
    field("sWhatsapp", el("input", { name: "number", value: doc.chat.number || "", placeholder: "+34600000000" })),
    field("sOrigins", el("textarea", { name: "origins", rows: "3", value: (doc.storefrontOrigins || []).join("\n") })),
    field("sPatterns", el("textarea", { name: "patterns", rows: "6", value: patterns.join("\n") })),
    check("consent", "sConsent", doc.consentRequired),
    field("sColour", el("input", { type: "color", name: "primaryColor", value: doc.theme.primaryColor })),
    field("sTextColour", el("input", { type: "color", name: "textColor", value: doc.theme.textColor })),
    field("sPosition", select("position", THEME_POSITIONS, doc.theme.position)),
    field("sBarPosition", select("barPosition", BAR_POSITIONS, doc.theme.barPosition || BAR_POSITIONS[0])),
    field("sQuiet", el("input", { type: "number", name: "quiet", min: "0", value: String(doc.quietPeriodMinutes) })),
    field("sWindow", el("input", { type: "number", name: "window", min: "1", max: "30", value: String(doc.attributionWindowDays) })),
    field("sRetention", el("input", { type: "number", name: "retention", min: "1", max: "3650", value: String(doc.retentionDays) })),
  );
}

function lines(text) { return text.split("\n").map(function (s) { return s.trim(); }).filter(Boolean); }

function readSettings(form) {
  const f = form.elements;
  const chat = { provider: f.provider.value };
  if (f.provider.value === "whatsapp") chat.number = f.number.value.trim();
  return {
    chat: chat,
    storefrontOrigins: lines(f.origins.value),
    pagePatterns: lines(f.patterns.value).map(function (line) {
      const parts = line.split(/\s+/);
      return { pattern: parts.slice(0, -1).join(" ") || parts[0], pageType: parts.length > 1 ? parts[parts.length - 1] : "" };
    }),
    consentRequired: f.consent.checked,
    theme: { primaryColor: f.primaryColor.value, textColor: f.textColor.value, position: f.position.value, barPosition: f.barPosition.value },
    quietPeriodMinutes: Number(f.quiet.value),
    attributionWindowDays: Number(f.window.value),
    retentionDays: Number(f.retention.value),
  };
}

async function saveSettings(event) {
  event.preventDefault();
  const data = await call(Q.saveSettings, { input: { document: readSettings($("settings-form")) } });
  const result = data.updateSettings;
  showErrors($("settings-errors"), result.errors);
  if (result.errors.length) return;
  settingsDocument = result.settings.document;
  flash(t("saved"), true);
}

/* ---- free shipping ---- */
function money(value) { return value ? value.amount.toFixed(2) + " " + value.currency : "—"; }

export async function loadThresholds() {
  const rows = (await call(Q.thresholds)).freeShippingThresholds;
  const body = $("threshold-rows");
  body.replaceChildren();
  $("no-thresholds").hidden = rows.length > 0;
  rows.forEach(function (row) {
    const input = el("input", {
      type: "number", min: "0", step: "0.01", "aria-label": t("override") + " " + row.channel,
      value: row.override ? String(row.override.amount) : "", placeholder: money(row.fromSaleor),
    });
    const off = el("input", { type: "checkbox", "aria-label": t("off") + " " + row.channel });
    off.checked = row.disabled;
    const save = el("button", { type: "button", text: t("save") });
    save.addEventListener("click", function () { saveOverride(row.channel, input.value, off.checked); });
    body.appendChild(el("tr", {}, [
      el("td", { text: row.channelName + " (" + row.channel + ")" }),
      el("td", { text: row.country || "—" }),
      el("td", { class: "num", text: row.disabled ? t("off") : money(row.effective) }),
      el("td", {}, [el("div", { class: "row" }, [input, el("label", { class: "check" }, [off, el("span", { "data-i18n": "off", text: t("off") })]), save])]),
    ]));
  });
}

async function saveOverride(channel, amount, off) {
  if (settingsDocument === null) settingsDocument = (await call(Q.settings)).settings.document;
  const overrides = Object.assign({}, settingsDocument.freeShippingOverrides || {});
  if (off) overrides[channel] = null;
  else if (amount === "") delete overrides[channel];
  else overrides[channel] = amount;
  const result = (await call(Q.saveSettings, { input: { freeShippingOverrides: overrides } })).updateSettings;
  if (result.errors.length) { flash(result.errors[0].field + ": " + result.errors[0].message, false); return; }
  settingsDocument = result.settings.document;
  flash(t("saved"), true);
  await loadThresholds();
}

/* ---- simulator ---- */
// [VisitorInput field, kind, default, label key]
const VISITOR_FIELDS = [
  ["channel", "text", "default-channel", "vChannel"], ["visitorId", "text", "", "vVisitorId"], ["pageType", "select", "checkout", "vPageType"],
  ["url", "text", "", "vUrl"], ["timeOnPage", "number", "0", "vTimeOnPage"],
  ["timeOnSite", "number", "0", "vTimeOnSite"], ["pagesViewed", "number", "1", "vPagesViewed"],
  ["productsViewed", "number", "0", "vProductsViewed"], ["maxViewedProductPrice", "number", "", "vMaxPrice"],
  ["cartValue", "number", "", "vCartValue"], ["cartItems", "number", "", "vCartItems"],
  ["checkoutId", "text", "", "vCheckoutId"], ["locale", "text", "en", "vLocale"],
  ["device", "device", "", "vDevice"], ["country", "text", "", "vCountry"],
  ["visitCount", "number", "1", "vVisitCount"], ["returning", "bool", "", "vReturning"],
  ["exitIntent", "bool", "", "vExitIntent"],
];

function renderSimulator() {
  const box = $("simulator-fields");
  VISITOR_FIELDS.forEach(function (spec) {
    const name = spec[0]; const kind = spec[1]; const value = spec[2];
    if (kind === "bool") { box.appendChild(check(name, spec[3], false)); return; }
    const control = kind === "select" ? select(name, [""].concat(PAGE_TYPES), value)
      : kind === "device" ? select(name, [""].concat(DEVICES), value)
      : el("input", { name: name, type: kind, value: value, min: kind === "number" ? "0" : null, step: "any" });
    if (kind !== "number") control.removeAttribute("min");
    box.appendChild(field(spec[3], control));
  });
}

function readVisitor(form) {
  const visitor = {};
  VISITOR_FIELDS.forEach(function (spec) {
    const input = form.elements[spec[0]];
    if (spec[1] === "bool") { visitor[spec[0]] = input.checked; return; }
    const raw = input.value.trim();
    if (raw === "") return;
    visitor[spec[0]] = spec[1] === "number" ? Number(raw) : raw;
  });
  ["pagesViewed", "productsViewed", "cartItems", "visitCount"].forEach(function (key) {
    if (key in visitor) visitor[key] = Math.round(visitor[key]);
  });
  return visitor;
}

async function simulate(event) {
  event.preventDefault();
  const result = (await call(Q.simulate, { visitor: readVisitor($("simulator-form")) })).simulate;
  showErrors($("simulator-errors"), result.errors);
  const box = $("simulation");
  box.replaceChildren();
  if (!result.errors.length && !result.actions.length) box.appendChild(el("p", { class: "muted", text: t("nothingShown") }));
  result.actions.forEach(function (action) {
    const when = action.showAfterMs ? " (" + t("showAfter") + " " + action.showAfterMs / 1000 + t("seconds") + ")" : "";
    box.appendChild(el("div", { class: "outcome shown", "data-action-trigger": action.triggerId }, [
      el("strong", { text: action.slot + ": " + action.message + when }),
    ]));
  });
  result.outcomes.forEach(function (outcome) {
    const status = outcome.shown ? t("shown") : outcome.holdout ? t("holdout") : outcome.fired ? t("fired") : t("notFired");
    box.appendChild(el("div", { class: "outcome" + (outcome.shown ? " shown" : "") }, [
      el("div", { text: outcome.name + " — " + status }),
      el("div", { class: "muted", text: outcome.reasons.join("; ") }),
    ]));
  });
}

/* ---- snippet ---- */
export async function loadSnippet() {
  const data = await call(Q.snippet, { channel: $("snippet-channel").value.trim() || "default-channel" });
  $("snippet").textContent = data.installation.snippet;
}

async function copySnippet() {
  const text = $("snippet").textContent;
  try { await navigator.clipboard.writeText(text); } catch (error) {
    const range = document.createRange();
    range.selectNodeContents($("snippet"));
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
  }
  flash(t("copied"), true);
}

export function setup(callFn, flashFn, showErrorsFn) {
  call = callFn; flash = flashFn; showErrors = showErrorsFn;
  $("settings-form").addEventListener("submit", saveSettings);
  $("simulator-form").addEventListener("submit", simulate);
  $("snippet-channel").addEventListener("change", loadSnippet);
  $("copy-snippet").addEventListener("click", copySnippet);
  renderSimulator();
}
