/* Settings, free-shipping thresholds, the simulator and the snippet tag. */
import { chatFields, readChat } from "./chat_settings.js";
import { el } from "./editor.js";
import * as i18n from "./i18n.js";
import { QUERIES as Q } from "./queries.js";
import { BAR_POSITIONS, CHAT_PROVIDERS, DEVICES, PAGE_TYPES, THEME_POSITIONS } from "./vocabulary.js";

const t = i18n.t;
const $ = function (id) { return document.getElementById(id); };
let call = null; let flash = null; let showErrors = null;
let settingsDocument = null;
let lastSimulation = null;

function field(key, control) {
  return el("label", {}, [el("span", { "data-i18n": key, text: t(key) }), control]);
}

function select(name, values, selected) {
  const node = el("select", { name: name });
  values.forEach(function (value) {
    // The stored value stays the vocabulary's; the merchant reads it in their language.
    const option = value ? el("option", { value: value, "data-i18n": "v_" + value, text: t("v_" + value) })
      : el("option", { value: "", text: "—" });
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
    chatFields(doc.chat),
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
  return {
    chat: readChat(form, settingsDocument.chat),
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
// One form per channel (Saleor's default channel first): its shipping countries with what
// Saleor's methods say, the override in the channel's currency, and its own "Saved." line.
function money(value) { return value ? value.amount.toFixed(2) + " " + value.currency : "—"; }

function countryName(code) {
  try { return new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region" }).of(code); }
  catch (error) { return code; }
}

function thresholdForm(row, form) {
  if (!form) {
    const id = "threshold-" + row.channel;
    const input = el("input", { type: "number", min: "0", step: "0.01", name: "override" });
    const off = el("input", { type: "checkbox", name: "off" });
    form = el("form", { class: "threshold card", "data-channel": row.channel, "aria-labelledby": id, novalidate: "" }, [
      el("h3", { id: id }),
      el("table", { class: "list" }, [el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col", "data-i18n": "colCountry", text: t("colCountry") }),
        el("th", { scope: "col", class: "num" }),
        el("th", { scope: "col", class: "num" }),
      ])]), el("tbody")]),
      el("div", { class: "row" }, [
        el("label", {}, [el("span", { class: "override-label" }), input]),
        el("label", { class: "check" }, [off, el("span", { "data-i18n": "off", text: t("off") })]),
        el("button", { type: "submit", text: t("save") }),
        el("p", { class: "status", role: "status" }),
      ]),
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      saveOverride(form, row.channel, input.value, off.checked);
    });
  }
  const currency = " (" + row.currency + ")";
  form.querySelector("h3").textContent = row.channelName + " · " + row.channel + " · " + row.currency;
  const heads = form.querySelectorAll("thead th");
  heads[1].textContent = t("colFromSaleor") + currency;
  heads[2].textContent = t("colThreshold") + currency;
  form.querySelector(".override-label").textContent = t("override") + currency;
  form.elements.override.value = row.override ? String(row.override.amount) : "";
  form.elements.override.placeholder = money(row.fromSaleor);
  form.elements.off.checked = row.disabled;
  form.querySelector("tbody").replaceChildren.apply(form.querySelector("tbody"), row.countries.map(function (country) {
    return el("tr", {}, [
      el("th", { scope: "row", text: country.country + " — " + countryName(country.country) + (country.country === row.country ? " (" + t("defaultCountry") + ")" : "") }),
      el("td", { class: "num", text: money(country.fromSaleor) }),
      el("td", { class: "num", text: row.disabled ? t("off") : money(country.effective) }),
    ]);
  }));
  return form;
}

export async function loadThresholds() {
  const rows = (await call(Q.thresholds)).freeShippingThresholds;
  const box = $("threshold-rows");
  $("no-thresholds").hidden = rows.length > 0;
  const forms = rows.map(function (row) {
    return thresholdForm(row, Array.from(box.children).find(function (f) { return f.dataset.channel === row.channel; }));
  });
  // Forms already in place stay (with focus and their status line); only a changed list is redrawn.
  if (forms.length !== box.children.length || forms.some(function (f, i) { return box.children[i] !== f; })) {
    box.replaceChildren.apply(box, forms);
  }
}

async function saveOverride(form, channel, amount, off) {
  const status = form.querySelector(".status");
  status.textContent = "";
  if (settingsDocument === null) settingsDocument = (await call(Q.settings)).settings.document;
  const overrides = Object.assign({}, settingsDocument.freeShippingOverrides || {});
  if (off) overrides[channel] = null;
  else if (amount === "") delete overrides[channel];
  else overrides[channel] = amount;
  const result = (await call(Q.saveSettings, { input: { freeShippingOverrides: overrides } })).updateSettings;
  if (result.errors.length) {
    status.className = "status bad";
    status.textContent = result.errors[0].field + ": " + result.errors[0].message;
    return;
  }
  settingsDocument = result.settings.document;
  await loadThresholds();
  status.className = "status ok";
  status.textContent = t("saved");
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
  lastSimulation = (await call(Q.simulate, { visitor: readVisitor($("simulator-form")) })).simulate;
  renderSimulation(lastSimulation);
}

function renderSimulation(result) {
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

/* ---- preview ---- */
// A link to the storefront that marks the browser opening it as the merchant's (24 hours).
async function makePreviewLink() {
  const target = $("preview-url").value.trim();
  const box = $("preview-link");
  let url;
  try { url = new URL(target); } catch (error) { box.textContent = t("previewNeedsUrl"); return; }
  const token = (await call(Q.preview)).installation.previewToken;
  url.hash = token.fragment;
  const link = el("a", { href: url.href, target: "_blank", rel: "noopener", text: url.href });
  box.replaceChildren(link, document.createTextNode(" " + t("previewUntil") + " " + new Date(token.expiresAt).toLocaleString()));
}

export function setup(callFn, flashFn, showErrorsFn) {
  call = callFn; flash = flashFn; showErrors = showErrorsFn;
  $("settings-form").addEventListener("submit", saveSettings);
  $("simulator-form").addEventListener("submit", simulate);
  $("snippet-channel").addEventListener("change", loadSnippet);
  $("copy-snippet").addEventListener("click", copySnippet);
  $("make-preview").addEventListener("click", makePreviewLink);
  renderSimulator();
  i18n.onChange(function () {  // what code wrote, written again in the new language
    if (!$("panel-shipping").hidden) loadThresholds();
    if (lastSimulation) renderSimulation(lastSimulation);
  });
}
