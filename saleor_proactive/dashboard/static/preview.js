/* The live preview: the real storefront snippet, in a frame of this app (preview mode), shown
   the bar or bubble the editor describes, in the shop's colours, one language at a time, at a
   computer's and a phone's width. The snippet draws it, so the preview cannot drift from it. */
import { el } from "./dom.js";
import { money, t } from "./i18n.js";

const SAMPLE = { remaining: 12, threshold: 50, cartValue: 38 };  // a cart for the notice's placeholders
let theme = null;
let current = null;

function frames() { return Array.from(document.querySelectorAll("#preview-frames iframe")); }

/** The shop's theme as the storefront API sends it to the snippet (settings.snippetTheme). */
export function useTheme(snippetTheme) { theme = snippetTheme; }

function fillPlaceholders(text, currency) {
  return text.replace(/\{(remaining|threshold|cartValue)\}/g, function (_, name) { return money(SAMPLE[name], currency); });
}

function action(doc, language, currency) {
  const show = doc.show || {};
  const message = (show.message || {})[language] || "";
  const bar = show.type === "free_shipping_notice";
  const result = { id: "preview", triggerId: "preview", type: show.type, slot: bar ? "bar" : "bubble", showAfterMs: 0,
    message: bar ? fillPlaceholders(message, currency) : message };
  const cta = (show.cta || {})[language];
  if (!bar && cta) result.cta = cta;
  return result;
}

function send() {
  if (!current) return;
  const answer = { actions: current.message ? [current] : [], theme: theme || {} };
  frames().forEach(function (frame) {
    if (frame.dataset.ready) frame.contentWindow.postMessage(answer, location.origin);
  });
}

/** Shows `doc` in the chosen language (the select lists every language entered). */
export function update(doc, currency) {
  const select = document.getElementById("preview-language");
  const languages = Object.keys((doc.show && doc.show.message) || {});
  const chosen = languages.indexOf(select.value) >= 0 ? select.value : languages[0];
  select.replaceChildren.apply(select, languages.map(function (lang) { return el("option", { value: lang, text: lang }); }));
  if (chosen) select.value = chosen;
  frames().forEach(function (frame) {
    if (!frame.getAttribute("src")) {
      frame.addEventListener("load", function () { frame.dataset.ready = "1"; send(); });
      frame.setAttribute("src", frame.dataset.src);
    }
  });
  current = chosen ? action(doc, chosen, currency) : null;
  send();
}

export function setup(onLanguage) {
  document.getElementById("preview-language").addEventListener("change", function (event) {
    event.stopPropagation();  // choosing what to look at does not change the trigger
    onLanguage();
  });
  document.getElementById("preview-title").textContent = t("preview");
}
