// The pages' translated text and its one message format. The template hands the page its strings,
// already in the page's language, as a JSON block (#page-text); messages carry gettext's named
// placeholders, "%(name)s" (and "%%" for a percent sign), which Babel checks between English and the
// translations (python-format).

const node = typeof document !== "undefined" ? document.getElementById("page-text") : null;
export const T = node ? JSON.parse(node.textContent) : {};

/**
 * Python's "%" formatting of gettext messages: "%(name)s" placeholders → values, "%%" → "%". A
 * placeholder without a value stays as it is.
 */
export function fmt(template, values = {}) {
  return String(template ?? "").replace(/%%|%\((\w+)\)s/g, (whole, key) => {
    if (whole === "%%") return "%";
    return key in values ? String(values[key]) : whole;
  });
}

const LANG = (typeof document !== "undefined" && document.documentElement.lang) || "en";

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

/** A DOM element: h("button", {class, text, onclick, …}, …children). */
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
