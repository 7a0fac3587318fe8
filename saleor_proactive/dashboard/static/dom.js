/* Building DOM nodes without HTML strings: text is always text. */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (name) {
    if (attrs[name] === null || attrs[name] === undefined) return;
    if (name === "text") node.textContent = attrs[name];
    else if (name === "value") node.value = attrs[name];
    else node.setAttribute(name, attrs[name]);
  });
  (children || []).forEach(function (child) { node.appendChild(child); });
  return node;
}

let counter = 0;
/** A page-unique id for ARIA references. */
export function uid(prefix) { counter += 1; return prefix + "-" + counter; }
