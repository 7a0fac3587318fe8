/* The trigger editor: the form and the rule document (CONTRACT section 4) in both directions. */
import { t } from "./i18n.js";
import { DAYS, PAGE_TYPES, SECOND_TEXT } from "./vocabulary.js";

const NUMBER_OPS = ["gte", "gt", "lte", "lt", "eq", "between"];
const LEAVES = {
  pageType: "set", url: "pattern", timeOnPage: "number", timeOnSite: "number",
  pagesViewed: "number", productsViewed: "number", categoriesViewed: "number",
  maxViewedProductPrice: "number", cartValue: "number", cartItems: "number",
  remainingToFreeShipping: "number", visitCount: "number", returning: "bool",
  device: "set", locale: "set", country: "set", exitIntent: "bool", channel: "set",
};
const OPS = { number: NUMBER_OPS, set: ["in"], pattern: ["matches"], bool: ["is"] };

export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) {
    if (name === "text") node.textContent = attrs[name];
    else if (name === "value") node.value = attrs[name];
    else node.setAttribute(name, attrs[name]);
  });
  (children || []).forEach(function (child) { node.appendChild(child); });
  return node;
}

function options(select, values, selected) {
  select.replaceChildren();
  values.forEach(function (value) {
    const option = el("option", { value: value, text: value });
    if (value === selected) option.selected = true;
    select.appendChild(option);
  });
}

function labelled(key, control) {
  return el("label", {}, [el("span", { "data-i18n": key, text: t(key) }), control]);
}

function conditionRow(leaf, op, value) {
  const leafSelect = el("select", { name: "leaf" });
  options(leafSelect, Object.keys(LEAVES), leaf);
  const opSelect = el("select", { name: "op" });
  const input = el("input", { name: "value", value: value === undefined ? "" : String(value) });
  function refreshOps() {
    const kind = LEAVES[leafSelect.value];
    options(opSelect, OPS[kind], OPS[kind].indexOf(opSelect.value) >= 0 ? opSelect.value : op);
    input.placeholder = kind === "set" ? (leafSelect.value === "pageType" ? PAGE_TYPES.slice(0, 3).join(", ") : "a, b")
      : kind === "bool" ? "true / false" : kind === "pattern" ? "*/checkout*" : "0";
  }
  leafSelect.addEventListener("change", refreshOps);
  refreshOps();
  const remove = el("button", { type: "button", class: "link danger", "data-i18n": "remove", text: t("remove") });
  const row = el("div", { class: "condition" }, [
    labelled("leaf", leafSelect), labelled("operator", opSelect), labelled("value", input), remove,
  ]);
  remove.addEventListener("click", function () { row.remove(); row.dispatchEvent(new Event("input", { bubbles: true })); });
  return row;
}

// The second text is the button (chat prompt) or the message once reached (free-shipping notice).
function secondTextKey(form) { return SECOND_TEXT[form.elements.showType.value] || "cta"; }

function messageRow(language, message, extra, key) {
  const row = el("div", { class: "message" }, [
    labelled("language", el("input", { name: "lang", value: language || "", maxlength: "35" })),
    labelled("message", el("input", { name: "text", value: message || "" })),
    labelled(key, el("input", { name: "extra", value: extra || "" })),
  ]);
  const remove = el("button", { type: "button", class: "link danger", "data-i18n": "remove", text: t("remove") });
  remove.addEventListener("click", function () { row.remove(); });
  row.appendChild(remove);
  return row;
}

function leafToRow(condition) {
  const leaf = Object.keys(condition)[0];
  const spec = condition[leaf];
  if (!(leaf in LEAVES)) return null;
  if (LEAVES[leaf] === "bool") return conditionRow(leaf, "is", String(spec === true || (spec && spec.eq === true)));
  if (!spec || typeof spec !== "object") return null;
  const op = Object.keys(spec)[0];
  const value = spec[op];
  return conditionRow(leaf, op, Array.isArray(value) ? value.join(", ") : value);
}

function parseValue(kind, op, raw) {
  const text = raw.trim();
  if (kind === "set") return text.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  if (kind === "pattern") return text;
  if (kind === "bool") return text === "true" || text === "yes" || text === "1";
  if (op === "between") return text.split(",").map(function (s) { return Number(s.trim()); });
  return text === "" ? null : Number(text);
}

function readConditions(form) {
  return Array.from(form.querySelectorAll("#conditions .condition")).map(function (row) {
    const leaf = row.querySelector("[name=leaf]").value;
    const op = row.querySelector("[name=op]").value;
    const kind = LEAVES[leaf];
    const value = parseValue(kind, op, row.querySelector("[name=value]").value);
    const condition = {};
    condition[leaf] = kind === "bool" ? value : { [op]: value };
    return condition;
  });
}

function texts(rows, field) {
  const result = {};
  rows.forEach(function (row) {
    const lang = row.querySelector("[name=lang]").value.trim();
    const text = row.querySelector("[name=" + field + "]").value;
    if (lang && text) result[lang] = text;
  });
  return result;
}

function intOr(value, fallback) {
  return value === "" || value === undefined ? fallback : Number(value);
}

export function read(form, base) {
  const f = form.elements;
  const doc = Object.assign({}, base || {});
  doc.name = f.name.value;
  doc.enabled = f.enabled.checked;
  if (f.status.value === "preview") doc.status = "preview"; else delete doc.status;
  doc.priority = intOr(f.priority.value, 100);
  const channels = f.channels.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  if (channels.length) doc.channels = channels; else delete doc.channels;
  if (!form.dataset.advancedWhen) doc.when = { [f.combinator.value]: readConditions(form) };
  const rows = Array.from(form.querySelectorAll("#messages .message"));
  const show = { type: f.showType.value, message: texts(rows, "text") };
  const extra = texts(rows, "extra");
  if (Object.keys(extra).length) show[secondTextKey(form)] = extra;
  // The form has no field for it: a comparison keeps the number of products it had.
  const before = (base || {}).show || {};
  if (show.type === "product_comparison" && before.maxProducts) show.maxProducts = before.maxProducts;
  doc.show = show;
  doc.frequency = {
    maxPerVisitor: intOr(f.maxPerVisitor.value, 1), per: f.per.value,
    cooldownMinutes: intOr(f.cooldownMinutes.value, 0),
  };
  doc.holdoutPercent = intOr(f.holdoutPercent.value, 0);
  if (f.scheduled.checked) {
    doc.schedule = {
      timezone: f.timezone.value.trim() || "UTC",
      days: DAYS.filter(function (day) { return f["day-" + day].checked; }),
      from: f.from.value || "00:00", to: f.to.value || "23:59",
    };
  } else {
    delete doc.schedule;
  }
  return doc;
}

function fillConditions(form, when) {
  const box = form.querySelector("#conditions");
  box.replaceChildren();
  delete form.dataset.advancedWhen;
  const combinator = when && (when.all ? "all" : when.any ? "any" : null);
  const list = combinator ? when[combinator] : when ? [when] : [];
  const rows = Array.isArray(list) ? list.map(function (c) { return c && typeof c === "object" ? leafToRow(c) : null; }) : [null];
  if (rows.indexOf(null) >= 0) {
    // Nested combinators: the JSON view edits them; the simple form leaves them untouched.
    form.dataset.advancedWhen = "1";
    box.appendChild(el("p", { class: "muted", text: JSON.stringify(when) }));
    return;
  }
  form.elements.combinator.value = combinator || "all";
  rows.forEach(function (row) { box.appendChild(row); });
}

export function fill(form, doc) {
  const f = form.elements;
  f.name.value = doc.name || "";
  f.enabled.checked = doc.enabled !== false;
  f.status.value = doc.status === "preview" ? "preview" : "published";
  f.priority.value = doc.priority === undefined ? 100 : doc.priority;
  f.channels.value = (doc.channels || []).join(", ");
  fillConditions(form, doc.when);
  const show = doc.show || { type: "chat_prompt", message: { en: "" } };
  const known = Array.from(f.showType.options).some(function (o) { return o.value === show.type; });
  f.showType.value = known ? show.type : "chat_prompt";
  const extra = show[secondTextKey(form)] || {};
  const box = form.querySelector("#messages");
  box.replaceChildren();
  const languages = Object.keys(show.message || {});
  (languages.length ? languages : ["en"]).forEach(function (lang) {
    box.appendChild(messageRow(lang, (show.message || {})[lang], extra[lang], secondTextKey(form)));
  });
  const frequency = doc.frequency || {};
  f.maxPerVisitor.value = frequency.maxPerVisitor === undefined ? 1 : frequency.maxPerVisitor;
  f.per.value = frequency.per || "session";
  f.cooldownMinutes.value = frequency.cooldownMinutes || 0;
  f.holdoutPercent.value = doc.holdoutPercent || 0;
  const schedule = doc.schedule;
  f.scheduled.checked = Boolean(schedule);
  f.timezone.value = (schedule && schedule.timezone) || "";
  f.from.value = (schedule && schedule.from) || "";
  f.to.value = (schedule && schedule.to) || "";
  DAYS.forEach(function (day) { f["day-" + day].checked = Boolean(schedule && (schedule.days || []).indexOf(day) >= 0); });
}

export function setup(form) {
  const days = form.querySelector("#days");
  DAYS.forEach(function (day) {
    const box = el("input", { type: "checkbox", name: "day-" + day });
    days.appendChild(el("label", { class: "check" }, [box, el("span", { "data-i18n": "day_" + day, text: t("day_" + day) })]));
  });
  form.querySelector("#add-condition").addEventListener("click", function () {
    delete form.dataset.advancedWhen;
    const box = form.querySelector("#conditions");
    if (box.querySelector("p")) box.replaceChildren();
    box.appendChild(conditionRow("pageType", "in", ""));
    box.lastChild.querySelector("select").focus();
  });
  form.querySelector("#add-language").addEventListener("click", function () {
    form.querySelector("#messages").appendChild(messageRow("", "", "", secondTextKey(form)));
  });
  form.elements.showType.addEventListener("change", function () {
    const key = secondTextKey(form);
    form.querySelectorAll("#messages [name=extra]").forEach(function (input) {
      const span = input.previousElementSibling;
      span.setAttribute("data-i18n", key);
      span.textContent = t(key);
    });
  });
}

export function blank() {
  return {
    name: "", enabled: true, priority: 100, when: { all: [{ pageType: { in: ["checkout"] } }] },
    show: { type: "chat_prompt", message: { en: "", es: "" } },
    frequency: { maxPerVisitor: 1, per: "session", cooldownMinutes: 0 }, holdoutPercent: 0,
  };
}
