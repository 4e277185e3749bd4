// Translated UI text handed over by the template (JSON block #editor-text) and formatting helpers.

const node = document.getElementById("editor-text");
export const T = node ? JSON.parse(node.textContent) : {};

/** "%(name)s" placeholders → values. */
export function fmt(template, values = {}) {
  return String(template || "").replace(/%\((\w+)\)s/g, (_, key) => (key in values ? String(values[key]) : ""));
}

const LANG = document.documentElement.lang || "en";

export function money(cents, currency) {
  if (cents === null || cents === undefined) return "–";
  try {
    return new Intl.NumberFormat(LANG, { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

export function mm(value) {
  return new Intl.NumberFormat(LANG, { maximumFractionDigits: 1 }).format(value);
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    // through the CSSOM: the content security policy refuses style attributes, not element.style
    else if (key === "style") el.style.cssText = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}
