/* The built-in chat's own settings on the Settings tab: the launcher button, the address told
   of a new conversation while nobody is online, and the hours someone answers. */
import { el } from "./editor.js";
import * as i18n from "./i18n.js";
import { DAYS } from "./vocabulary.js";

const t = i18n.t;

function caption(key) { return el("span", { "data-i18n": key, text: t(key) }); }

function labelled(key, control) { return el("label", {}, [caption(key), control]); }

function ticked(name, key, checked) {
  const box = el("input", { type: "checkbox", name: name });
  box.checked = Boolean(checked);
  return el("label", { class: "check" }, [box, caption(key)]);
}

/** The controls, filled from the stored `chat` section: one group across the form. */
export function chatFields(chat) {
  const hours = chat.hours;
  const days = el("div", { class: "days" }, DAYS.map(function (day) {
    return ticked("chat-day-" + day, "day_" + day, hours && (hours.days || []).indexOf(day) >= 0);
  }));
  return el("fieldset", { class: "grid" }, [
    el("legend", { "data-i18n": "sBuiltinChat", text: t("sBuiltinChat") }),
    ticked("launcher", "sLauncher", chat.launcher),
    labelled("sNotifyEmail", el("input", { type: "email", name: "notifyEmail", autocomplete: "email", value: chat.notifyEmail || "" })),
    ticked("chatHours", "sHoursOn", Boolean(hours)),
    labelled("fTimezone", el("input", { name: "chatTimezone", placeholder: "Europe/Madrid", value: (hours && hours.timezone) || "" })),
    labelled("fFrom", el("input", { name: "chatFrom", type: "time", value: (hours && hours.from) || "" })),
    labelled("fTo", el("input", { name: "chatTo", type: "time", value: (hours && hours.to) || "" })),
    days,
  ]);
}

/** The `chat` section as the form now says, keeping what the form does not show. */
export function readChat(form, before) {
  const f = form.elements;
  const chat = Object.assign({}, before, { provider: f.provider.value, launcher: f.launcher.checked });
  if (chat.provider === "whatsapp") chat.number = f.number.value.trim(); else delete chat.number;
  chat.notifyEmail = f.notifyEmail.value.trim() || null;
  chat.hours = f.chatHours.checked ? {
    timezone: f.chatTimezone.value.trim() || "UTC",
    days: DAYS.filter(function (day) { return f["chat-day-" + day].checked; }),
    from: f.chatFrom.value || "00:00", to: f.chatTo.value || "23:59",
  } : null;
  return chat;
}
