/* The page's texts in the merchant's language. The catalogues (one per language, keyed alike:
   dashboard/messages/<lang>.json) are embedded by the page as JSON; `t` is the one lookup.
   The Dashboard picks the language: the iframe's `locale` parameter, then `localeChanged`. */
const CATALOGUES = JSON.parse(document.getElementById("catalogues").textContent);
const FALLBACK = "en";
const listeners = [];
let language = FALLBACK;

/** The catalogue for a Dashboard locale code ("es", "es-CO", "pt-BR"): its base language,
    else English. */
export function pick(tag) {
  const base = String(tag || "").toLowerCase().split(/[-_]/)[0];
  return Object.prototype.hasOwnProperty.call(CATALOGUES, base) ? base : FALLBACK;
}

/** The text for `key`, with `{name}` placeholders filled from `values`. */
export function t(key, values) {
  const own = CATALOGUES[language][key];
  const text = own !== undefined ? own : CATALOGUES[FALLBACK][key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, function (whole, name) {
    return values && values[name] !== undefined ? String(values[name]) : whole;
  });
}

export function current() { return language; }

/** Fills every `data-i18n` element (its text) and `data-i18n-label` (its aria-label). */
export function apply(root) {
  document.documentElement.lang = language;
  const scope = root || document;
  scope.querySelectorAll("[data-i18n]").forEach(function (node) {
    node.textContent = t(node.getAttribute("data-i18n"));
  });
  scope.querySelectorAll("[data-i18n-label]").forEach(function (node) {
    node.setAttribute("aria-label", t(node.getAttribute("data-i18n-label")));
  });
}

/** Run `render` again whenever the language changes (for text built in code). */
export function onChange(render) { listeners.push(render); }

/** Numbers and amounts as the merchant's language writes them. */
export function number(value) { return new Intl.NumberFormat(language).format(value); }
export function money(amount, currency) {
  try { return new Intl.NumberFormat(language, { style: "currency", currency: currency }).format(amount); }
  catch (e) { return number(amount) + " " + currency; }  // a code Intl does not know
}

export function setLocale(tag) {
  const next = pick(tag);
  const changed = next !== language;
  language = next;
  apply(document);
  if (changed) listeners.forEach(function (render) { render(language); });
  return language;
}
