/* The Results tab: what each trigger earned over a date range, against its hold-out group.
   Every figure the chart draws is also in a table, so no reader depends on the picture. */
import * as api from "./api.js";
import { el } from "./editor.js";
import * as i18n from "./i18n.js";
import { QUERIES as Q } from "./queries.js";

const t = i18n.t;
const DAY_MS = 86400000;
const PRESET_DAYS = { "7": 7, "30": 30, "90": 90 };
const state = { call: null, names: {}, rows: [], days: [], range: null, reminders: null };
const $ = function (id) { return document.getElementById(id); };

function isoDay(date) { return date.toISOString().slice(0, 10); }

/** The range the form asks for: a preset ending today, or the custom dates (UTC days). */
export function rangeOf(form, today) {
  const preset = form.elements.preset.value;
  if (preset !== "custom") {
    const days = PRESET_DAYS[preset] || 7;
    return { from: isoDay(new Date(today.getTime() - (days - 1) * DAY_MS)), to: isoDay(today) };
  }
  return { from: form.elements.from.value, to: form.elements.to.value };
}

function money(items) {
  if (!items.length) return "—";
  return items.map(function (m) { return i18n.money(m.amount, m.currency); }).join(", ");
}

function addMoney(into, items) {
  items.forEach(function (m) { into[m.currency] = (into[m.currency] || 0) + m.amount; });
}

function points(value) {  // a difference of two rates, in percentage points
  const figure = (value * 100).toFixed(1);
  return (value > 0 ? "+" : "") + figure + " " + t("pp");
}

/** The verdict in words; `more` and `moreKey` say what more is needed (visitors, by default). */
export function verdictText(row, more, moreKey) {
  const needed = more === undefined ? row.moreVisitorsNeeded : more;
  if (row.verdict === "LIKELY_HELPS") return t("likelyHelps");
  if (row.verdict === "LIKELY_HURTS") return t("likelyHurts");
  if (needed === null || needed === undefined) return t("notEnoughData");
  return t(moreKey || "needMoreVisitors", { n: i18n.number(needed) });
}

function upliftText(row) {
  if (!row.uplift) return "—";
  return points(row.uplift.absolute) + " (" + points(row.uplift.low) + " … " + points(row.uplift.high) + ")";
}

// An offer's cost beside what it earned: the discount its codes gave on the orders credited.
function revenueText(row) {
  const given = row.discountGiven || [];
  return money(row.revenue) + (given.length ? " (" + t("discountGiven") + " " + money(given) + ")" : "");
}

function renderTable() {
  const body = $("results-rows");
  body.replaceChildren();
  const total = { impressions: 0, clicks: 0, chats: 0, chatOrders: 0, dismissals: 0, conversions: 0, revenue: {}, heldOut: 0 };
  state.rows.forEach(function (row) {
    ["impressions", "clicks", "chats", "chatOrders", "dismissals", "conversions"].forEach(function (k) { total[k] += row[k]; });
    addMoney(total.revenue, row.revenue);
    total.heldOut += row.control.visitors;
    body.appendChild(el("tr", { "data-trigger-id": row.triggerId }, [
      el("th", { scope: "row", text: state.names[row.triggerId] || row.triggerId }),
      el("td", { class: "num", text: i18n.number(row.impressions) }),
      el("td", { class: "num", text: i18n.number(row.clicks) }),
      el("td", { class: "num", text: i18n.number(row.chats) }),
      el("td", { class: "num", text: i18n.number(row.chatOrders) }),
      el("td", { class: "num", text: i18n.number(row.dismissals) }),
      el("td", { class: "num", text: i18n.number(row.conversions) }),
      el("td", { class: "num", text: revenueText(row) }),
      el("td", { class: "num", text: upliftText(row) }),
      el("td", { "data-verdict": row.verdict, text: verdictText(row) }),
    ]));
  });
  const revenue = Object.keys(total.revenue).sort().map(function (c) { return { amount: total.revenue[c], currency: c }; });
  $("results-total").replaceChildren(
    el("th", { scope: "row", text: t("total") }),
    el("td", { class: "num", text: i18n.number(total.impressions) }),
    el("td", { class: "num", text: i18n.number(total.clicks) }),
    el("td", { class: "num", text: i18n.number(total.chats) }),
    el("td", { class: "num", text: i18n.number(total.chatOrders) }),
    el("td", { class: "num", text: i18n.number(total.dismissals) }),
    el("td", { class: "num", text: i18n.number(total.conversions) }),
    el("td", { class: "num", text: money(revenue) }),
    el("td", { text: "" }),
    el("td", { text: "" }),
  );
  $("no-results").hidden = state.rows.length > 0;
  $("holdout-note").textContent = t("holdoutNote", { n: i18n.number(total.heldOut) });
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, children) {
  const node = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
  (children || []).forEach(function (c) { node.appendChild(c); });
  return node;
}

/* Impressions and clicks as lines, conversions as bars, per day; the table below holds the
   same numbers, so the picture is described by its title and hidden from the reading order. */
function renderChart() {
  const width = 640, height = 200, pad = 28;
  const days = state.days;
  const peak = Math.max(1, ...days.map(function (d) { return Math.max(d.impressions, d.clicks, d.conversions); }));
  const x = function (i) { return pad + (days.length > 1 ? i * (width - 2 * pad) / (days.length - 1) : (width - 2 * pad) / 2); };
  const y = function (v) { return height - pad - v * (height - 2 * pad) / peak; };
  const line = function (key, cls) {
    return svg("polyline", { class: cls, fill: "none", points: days.map(function (d, i) { return x(i) + "," + y(d[key]); }).join(" ") });
  };
  const bars = days.map(function (d, i) {
    return svg("rect", { class: "bar", x: x(i) - 3, y: y(d.conversions), width: 6, height: height - pad - y(d.conversions) });
  });
  const title = svg("title", {});
  title.textContent = t("chartTitle");
  const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-labelledby": "results-chart-title", class: "chart" }, [
    title,
    svg("line", { class: "axis", x1: pad, x2: width - pad, y1: height - pad, y2: height - pad }),
    ...bars, line("impressions", "impressions"), line("clicks", "clicks"),
  ]);
  title.setAttribute("id", "results-chart-title");
  $("results-chart").replaceChildren(chart);
  const rows = $("results-days");
  rows.replaceChildren();
  days.forEach(function (d) {
    rows.appendChild(el("tr", {}, [
      el("th", { scope: "row", text: d.day }),
      el("td", { class: "num", text: i18n.number(d.impressions) }),
      el("td", { class: "num", text: i18n.number(d.clicks) }),
      el("td", { class: "num", text: i18n.number(d.conversions) }),
      el("td", { class: "num", text: i18n.number(d.heldOut) }),
    ]));
  });
}

/* Abandoned-cart reminders: per step what was sent, clicked and recovered, then the reminded
   against the hold-out with the uplift and its verdict. */
function renderReminders() {
  const found = state.reminders;
  if (!found) return;
  const body = $("reminder-results-rows");
  const total = { sent: 0, clicked: 0, recoveredOrders: 0, revenue: {} };
  body.replaceChildren.apply(body, found.steps.map(function (step) {
    ["sent", "clicked", "recoveredOrders"].forEach(function (k) { total[k] += step[k]; });
    addMoney(total.revenue, step.revenue);
    return el("tr", { "data-step": String(step.step) }, [
      el("th", { scope: "row", text: t("remStep", { n: step.step }) }),
      el("td", { class: "num", text: i18n.number(step.sent) }),
      el("td", { class: "num", text: i18n.number(step.clicked) }),
      el("td", { class: "num", text: i18n.number(step.recoveredOrders) }),
      el("td", { class: "num", text: money(step.revenue) }),
    ]);
  }));
  const revenue = Object.keys(total.revenue).sort().map(function (c) { return { amount: total.revenue[c], currency: c }; });
  $("reminder-results-total").replaceChildren(
    el("th", { scope: "row", text: t("total") }),
    el("td", { class: "num", text: i18n.number(total.sent) }),
    el("td", { class: "num", text: i18n.number(total.clicked) }),
    el("td", { class: "num", text: i18n.number(total.recoveredOrders) }),
    el("td", { class: "num", text: money(revenue) }),
  );
  $("reminder-holdout-rows").replaceChildren(
    el("tr", { "data-group": "reminded" }, [
      el("th", { scope: "row", text: t("remReminded") }),
      el("td", { class: "num", text: i18n.number(found.remindedCheckouts) }),
      el("td", { class: "num", text: i18n.number(found.remindedRecovered) }),
      el("td", { class: "num", text: upliftText(found) }),
      el("td", { "data-verdict": found.verdict, text: verdictText(found, found.moreCheckoutsNeeded, "needMoreCheckouts") }),
    ]),
    el("tr", { "data-group": "control" }, [
      el("th", { scope: "row", text: t("remHeldOut") }),
      el("td", { class: "num", text: i18n.number(found.controlCheckouts) }),
      el("td", { class: "num", text: i18n.number(found.controlRecovered) }),
      el("td", { text: "" }),
      el("td", { text: "" }),
    ]),
  );
  $("no-reminder-results").hidden = found.remindedCheckouts + found.controlCheckouts > 0;
}

export async function load(names) {
  state.names = names || state.names;
  const form = $("results-form");
  const range = rangeOf(form, new Date());
  const errors = $("results-errors");
  errors.replaceChildren();
  if (!range.from || !range.to || range.to < range.from) {
    form.elements.to.setAttribute("aria-invalid", "true");
    errors.appendChild(el("li", { id: "results-range-error", text: t("badRange") }));
    form.elements.to.setAttribute("aria-describedby", "results-range-error");
    form.elements.to.focus();
    return;
  }
  form.elements.to.removeAttribute("aria-invalid");
  form.elements.to.removeAttribute("aria-describedby");
  const data = await state.call(Q.results, range);
  state.range = range;
  state.rows = data.stats;
  state.days = data.dailyStats;
  state.reminders = null;
  render();
  // The reminders' figures after the triggers', so either failing leaves the other shown.
  state.reminders = (await state.call(Q.reminderResults, range)).reminderResults;
  renderReminders();
  document.body.dataset.resultsReady = range.from + ".." + range.to;
}

/* Everything the tab writes from the figures, in the current language. */
function render() {
  if (!state.range) return;
  $("results-range").textContent = t("rangeShown", state.range);
  renderTable();
  renderChart();
  renderReminders();
}

/* The CSV of the range shown, through a short-lived link the Dashboard opens in a new tab. */
async function download() {
  if (!state.range) return;
  const data = await state.call(Q.csvLink, state.range);
  api.openInNewTab(data.statsCsvLink);
}

export function setup(call) {
  state.call = call;
  const form = $("results-form");
  const custom = function () {
    const on = form.elements.preset.value === "custom";
    $("results-custom").hidden = !on;
  };
  form.elements.preset.addEventListener("change", function () { custom(); if (form.elements.preset.value !== "custom") load(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  $("results-csv").addEventListener("click", download);
  i18n.onChange(render);
  custom();
}
