/* A searchable picker over the app's catalogue (ARIA combobox with a listbox): the merchant
   types, picks names, and the document stores Saleor ids. Arrow keys move the active option
   (aria-activedescendant), Enter picks, Escape closes; chosen items are removable buttons. */
import { el, uid } from "./dom.js";
import { t } from "./i18n.js";

const SEARCH_DELAY_MS = 200;

/** `search(text)` and `names(ids)` resolve to [{id, name}]; returns {node, read()}. */
export function picker(label, ids, search, names) {
  const listId = uid("picker-list");
  const chosen = [];  // [{id, name}]
  const chips = el("ul", { class: "chips", "aria-label": t("chosen") + ": " + label });
  const input = el("input", {
    role: "combobox", "aria-expanded": "false", "aria-controls": listId,
    "aria-autocomplete": "list", autocomplete: "off", name: "pickerSearch",
  });
  const list = el("ul", { role: "listbox", id: listId, class: "options", "aria-label": label, hidden: "" });
  const status = el("span", { class: "sr-only", role: "status" });
  const node = el("div", { class: "picker" }, [
    chips, el("label", {}, [el("span", { text: t("search") + " — " + label }), input]), list, status,
  ]);
  let options = []; let active = -1; let timer = null; let asked = 0;

  function renderChips() {
    chips.replaceChildren();
    chosen.forEach(function (item, index) {
      const drop = el("button", { type: "button", class: "chip", "aria-label": t("remove") + " " + item.name, text: item.name + " ×" });
      drop.addEventListener("click", function () {
        chosen.splice(index, 1);
        renderChips();
        input.focus();
        node.dispatchEvent(new Event("change", { bubbles: true }));
      });
      chips.appendChild(el("li", { "data-id": item.id }, [drop]));
    });
  }

  function close() {
    list.hidden = true; input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant"); active = -1;
  }

  function setActive(index) {
    active = index;
    Array.from(list.children).forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
    if (index >= 0) { input.setAttribute("aria-activedescendant", list.children[index].id); list.children[index].scrollIntoView({ block: "nearest" }); }
    else input.removeAttribute("aria-activedescendant");
  }

  function pick(index) {
    const item = options[index];
    if (!item) return;
    if (!chosen.some(function (c) { return c.id === item.id; })) chosen.push(item);
    renderChips();
    input.value = "";
    close();
    status.textContent = t("picked") + " " + item.name;
    node.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function show(found) {
    options = found;
    list.replaceChildren();
    found.forEach(function (item, index) {
      const option = el("li", { role: "option", id: listId + "-" + index, "aria-selected": "false", "data-id": item.id, text: item.name });
      option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(index); });
      list.appendChild(option);
    });
    list.hidden = false; input.setAttribute("aria-expanded", "true");
    setActive(found.length ? 0 : -1);
    status.textContent = found.length ? t("resultsFound").replace("{n}", found.length) : t("noMatches");
  }

  async function lookUp() {
    const ticket = ++asked;
    const found = await search(input.value.trim());
    if (ticket === asked) show(found);  // an older answer arriving late is dropped
  }

  input.addEventListener("input", function (event) {
    event.stopPropagation();  // the document changes when something is picked, not typed
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, SEARCH_DELAY_MS);
  });
  input.addEventListener("focus", function () { if (list.hidden) lookUp(); });
  input.addEventListener("blur", close);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (list.hidden) { lookUp(); return; }
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (options.length) setActive((active + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      event.preventDefault();  // picking, not submitting the form
      if (!list.hidden && active >= 0) pick(active);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); event.stopPropagation(); close();
    }
  });

  // Stored ids are shown by name; an id the catalogue no longer knows is shown as is.
  (ids || []).forEach(function (id) { chosen.push({ id: id, name: id }); });
  renderChips();
  if (chosen.length) {
    names(ids).then(function (found) {
      const byId = {};
      found.forEach(function (item) { byId[item.id] = item.name; });
      chosen.forEach(function (item) { item.name = byId[item.id] || item.id; });
      renderChips();
    });
  }
  return { node: node, read: function () { return chosen.map(function (c) { return c.id; }); } };
}
