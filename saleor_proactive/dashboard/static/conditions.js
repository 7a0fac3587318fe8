/* One condition row per leaf, asked in the merchant's words: the leaf's label, its comparison,
   and the input its kind calls for (lists to tick, seconds or minutes, amounts in the channel's
   currency, catalogue pickers). Labels and kinds come from the vocabulary (one source). */
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { picker } from "./picker.js";
import { DEVICES, LEAVES, PAGE_TYPES } from "./vocabulary.js";

const BY_KEY = {};
LEAVES.forEach(function (leaf) { BY_KEY[leaf.key] = leaf; });
const OP_WORDS = { gte: "opGte", gt: "opGt", lte: "opLte", lt: "opLt", eq: "opEq", between: "opBetween", in: "opIn", matches: "opMatches" };
const NUMERIC = { seconds: true, count: true, amount: true };
const context = { channels: [], catalogue: null, currency: function () { return ""; } };

/** Channels ([{slug, name, currency}]), the catalogue's look-ups and the currency in force. */
export function configure(options) { Object.assign(context, options); }

function labelled(text, control) { return el("label", {}, [el("span", { text: text }), control]); }

function ticks(legend, values, chosen, caption) {
  const box = el("fieldset", { class: "ticks" }, [el("legend", { text: legend })]);
  values.forEach(function (value) {
    const input = el("input", { type: "checkbox", value: value });
    input.checked = chosen.indexOf(value) >= 0;
    box.appendChild(el("label", { class: "check" }, [input, el("span", { text: caption ? caption(value) : value })]));
  });
  return { node: box, read: function () {
    return Array.from(box.querySelectorAll("input:checked")).map(function (input) { return input.value; });
  } };
}

function textList(label, values, hint) {
  const input = el("input", { name: "value", value: (values || []).join(", "), placeholder: hint });
  return { node: labelled(label, input), read: function () {
    return input.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  } };
}

/* Seconds shown in minutes when they are whole minutes; stored in seconds. */
function seconds(label, value) {
  const minutes = value >= 60 && value % 60 === 0;
  const input = el("input", { name: "value", type: "number", min: "0", step: "any", value: value === undefined || value === null ? "" : String(minutes ? value / 60 : value) });
  const unit = el("select", { name: "unit", "aria-label": t("unit") + " — " + label }, [
    el("option", { value: "1", text: t("unitSeconds") }), el("option", { value: "60", text: t("unitMinutes") }),
  ]);
  unit.value = minutes ? "60" : "1";
  return { node: el("span", { class: "row" }, [labelled(label, input), unit]), read: function () {
    return input.value === "" ? null : Number(input.value) * Number(unit.value);
  } };
}

function amountOrCount(label, kind, value) {
  const currency = kind === "amount" ? context.currency() : "";
  const input = el("input", { name: "value", type: "number", min: "0", step: kind === "count" ? "1" : "0.01", value: value === undefined || value === null ? "" : String(value) });
  const caption = el("span", { text: label + (currency ? " (" + currency + ")" : ""), "data-currency-of": kind === "amount" ? label : null });
  return { node: el("label", {}, [caption, input]), read: function () { return input.value === "" ? null : Number(input.value); } };
}

function numberInput(kind, label, value) {
  return kind === "seconds" ? seconds(label, value) : amountOrCount(label, kind, value);
}

function between(kind, value) {
  const pair = Array.isArray(value) ? value : [];
  const low = numberInput(kind, t("fFrom"), pair[0]); const high = numberInput(kind, t("fTo"), pair[1]);
  return { node: el("span", { class: "row" }, [low.node, high.node]), read: function () { return [low.read(), high.read()]; } };
}

function yesNo(label, value) {
  const select = el("select", { name: "value" }, [el("option", { value: "true", text: t("yes") }), el("option", { value: "false", text: t("no") })]);
  select.value = value === false ? "false" : "true";
  return { node: labelled(label, select), read: function () { return select.value === "true"; } };
}

function catalogue(leaf, ids) {
  const products = leaf.input === "productIds";
  const look = context.catalogue || { search: function () { return Promise.resolve([]); }, names: function () { return Promise.resolve([]); } };
  return picker(leaf.label, ids, function (text) { return look.search(products, text); }, function (list) { return look.names(products, list); });
}

function valueInput(leaf, op, value) {
  const label = t("value") + " — " + leaf.label;
  const list = Array.isArray(value) ? value : [];
  switch (leaf.input) {
    case "pageTypes": return ticks(leaf.label, PAGE_TYPES, list, function (v) { return t("page_" + v); });
    case "devices": return ticks(leaf.label, DEVICES, list, function (v) { return t("device_" + v); });
    case "channels": return ticks(leaf.label, context.channels.map(function (c) { return c.slug; }).concat(list.filter(function (v) { return !context.channels.some(function (c) { return c.slug === v; }); })), list, channelCaption);
    case "locales": return textList(label, list, "en, es-MX");
    case "countries": return textList(label, list, "ES, FR");
    case "categoryIds": case "productIds": return catalogue(leaf, list);
    case "bool": return yesNo(label, value);
    case "urlPattern": {
      const input = el("input", { name: "value", value: typeof value === "string" ? value : "", placeholder: "*/checkout*" });
      return { node: labelled(label, input), read: function () { return input.value.trim(); } };
    }
    default: return op === "between" ? between(leaf.input, value) : numberInput(leaf.input, label, value);
  }
}

export function channelCaption(slug) {
  const channel = context.channels.find(function (c) { return c.slug === slug; });
  return channel ? channel.name + " (" + channel.currency + ")" : slug;
}

/** A row for `leaf` (a key of LEAVES) with operator `op` and operand `value`. */
export function conditionRow(key, op, value) {
  const row = el("div", { class: "condition" });
  const leafSelect = el("select", { name: "leaf" });
  LEAVES.forEach(function (leaf) { leafSelect.appendChild(el("option", { value: leaf.key, text: leaf.label })); });
  leafSelect.value = key;
  const opSelect = el("select", { name: "op" });
  const slot = el("div", { class: "value" });
  const remove = el("button", { type: "button", class: "link danger", "data-i18n": "remove", text: t("remove") });
  let input = null;

  function build(keepValue) {
    const leaf = BY_KEY[leafSelect.value];
    const ops = leaf.input === "bool" ? ["eq"] : leaf.ops;
    const wanted = ops.indexOf(opSelect.value) >= 0 ? opSelect.value : ops.indexOf(op) >= 0 ? op : ops[0];
    opSelect.replaceChildren();
    ops.forEach(function (name) { opSelect.appendChild(el("option", { value: name, text: t(leaf.input === "bool" ? "opIs" : OP_WORDS[name]) })); });
    opSelect.value = wanted;
    opSelect.closest("label").hidden = ops.length === 1;  // nothing to choose
    input = valueInput(leaf, wanted, keepValue ? value : undefined);
    slot.replaceChildren(input.node);
    row.dataset.leaf = leaf.key;
  }
  row.append(labelled(t("leaf"), leafSelect), labelled(t("operator"), opSelect), slot, remove);
  leafSelect.addEventListener("change", function () { build(false); });
  let paired = op === "between";
  opSelect.addEventListener("change", function () {
    // a range takes two numbers, the other comparisons one
    if (NUMERIC[BY_KEY[leafSelect.value].input] && (opSelect.value === "between") !== paired) build(false);
    paired = opSelect.value === "between";
  });
  remove.addEventListener("click", function () {
    const form = row.closest("form");
    row.remove();
    if (form) form.dispatchEvent(new Event("input", { bubbles: true }));
  });
  build(true);
  row.readCondition = function () {
    const leaf = BY_KEY[leafSelect.value];
    const operand = input.read();
    return { [leaf.key]: leaf.input === "bool" ? operand : { [opSelect.value]: operand } };
  };
  return row;
}

/** A row for one leaf of a stored document, or null when the form cannot show it. */
export function rowFor(condition) {
  const key = Object.keys(condition)[0];
  const leaf = BY_KEY[key];
  const spec = condition[key];
  if (!leaf || Object.keys(condition).length !== 1) return null;
  if (leaf.input === "bool") return conditionRow(key, "eq", spec === true || (spec && spec.eq === true));
  if (!spec || typeof spec !== "object" || Object.keys(spec).length !== 1) return null;
  const op = Object.keys(spec)[0];
  return conditionRow(key, op, spec[op]);
}
