/* The trigger editor: the form and the rule document (CONTRACT section 4) in both directions. */
import { channelCaption, conditionRow, configure, rowFor } from "./conditions.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { DAYS, SECOND_TEXT } from "./vocabulary.js";

export { configure, el };

function labelled(key, control) {
  return el("label", {}, [el("span", { "data-i18n": key, text: t(key) }), control]);
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

function readConditions(form) {
  return Array.from(form.querySelectorAll("#conditions .condition")).map(function (row) { return row.readCondition(); });
}

/* The trigger's channels as ticks (none ticked: every channel); a stored slug the shop no
   longer lists stays, ticked, so saving never drops it silently. */
export function channelTicks(form, chosen, channels) {
  const box = form.querySelector("#channel-ticks");
  box.replaceChildren();
  const slugs = channels.map(function (c) { return c.slug; });
  slugs.concat(chosen.filter(function (slug) { return slugs.indexOf(slug) < 0; })).forEach(function (slug) {
    const input = el("input", { type: "checkbox", name: "channel", value: slug });
    input.checked = chosen.indexOf(slug) >= 0;
    box.appendChild(el("label", { class: "check" }, [input, el("span", { text: channelCaption(slug) })]));
  });
}

export function chosenChannels(form) {
  return Array.from(form.querySelectorAll("#channel-ticks input:checked")).map(function (input) { return input.value; });
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
  const channels = chosenChannels(form);
  if (channels.length) doc.channels = channels; else delete doc.channels;
  if (!form.dataset.advancedWhen) doc.when = { [f.combinator.value]: readConditions(form) };
  const rows = Array.from(form.querySelectorAll("#messages .message"));
  const show = { type: f.showType.value, message: texts(rows, "text") };
  const extra = texts(rows, "extra");
  if (Object.keys(extra).length) show[secondTextKey(form)] = extra;
  // The form has no field for it: a comparison keeps the number of products it had.
  const before = (base || {}).show || {};
  if (show.type === "product_comparison" && before.maxProducts) show.maxProducts = before.maxProducts;
  // An offer's terms are edited in the JSON view; a new one starts at 10 % for an hour.
  if (show.type === "offer") show.offer = before.offer || { discount: { type: "percentage", value: 10 }, validMinutes: 60 };
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
  const rows = Array.isArray(list) ? list.map(function (c) { return c && typeof c === "object" ? rowFor(c) : null; }) : [null];
  if (rows.indexOf(null) >= 0) {
    // Nested combinators: the JSON view edits them; the simple form leaves them untouched.
    form.dataset.advancedWhen = "1";
    box.appendChild(el("p", { class: "muted", text: JSON.stringify(when) }));
    return;
  }
  form.elements.combinator.value = combinator || "all";
  rows.forEach(function (row) { box.appendChild(row); });
}

export function fill(form, doc, channels) {
  const f = form.elements;
  f.name.value = doc.name || "";
  f.enabled.checked = doc.enabled !== false;
  f.status.value = doc.status === "preview" ? "preview" : "published";
  f.priority.value = doc.priority === undefined ? 100 : doc.priority;
  channelTicks(form, doc.channels || [], channels || []);
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
    box.appendChild(conditionRow("pageType", "in", []));
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
