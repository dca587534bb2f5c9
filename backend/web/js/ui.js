// Small DOM helpers shared by the pages: an element builder, formatting, progress bars,
// toasts and the balance-check badge.

/** h("button.btn", {onclick}, "Save") — an element with attributes and children. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const node = document.createElement(tag || "div");
  if (classes.length) node.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = [node.className, value].filter(Boolean).join(" ");
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    // Through the CSSOM: the Content-Security-Policy refuses style attributes.
    else if (key === "style") node.style.cssText = value;
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// Two decimals, three where the amount has them (dinars count thousandths: 1,142.553).
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
// One formatter per currency code met: the currency's own decimals (yen none), up to three.
const moneyIn = new Map();
function currencyFormat(code) {
  if (!moneyIn.has(code)) {
    let format = null;
    try {
      const own = new Intl.NumberFormat(undefined, { style: "currency", currency: code }).resolvedOptions();
      format = new Intl.NumberFormat(undefined, { style: "currency", currency: code, maximumFractionDigits: Math.max(3, own.maximumFractionDigits) });
    } catch {
      format = null;  // not a code Intl knows: the number, then the code as it came
    }
    moneyIn.set(code, format);
  }
  return moneyIn.get(code);
}

/** An amount in its currency ("€1,234.50", "CA$4.00"): `currency` an ISO 4217 code; none
 * (the statement does not show it) gives the plain number, with no symbol. A second
 * argument that is not a string (an index, when mapped) counts as none. */
export function formatMoney(value, currency = null) {
  if (value === null || value === undefined) return "—";
  if (typeof currency !== "string" || !currency) return money.format(Number(value));
  const format = currencyFormat(currency);
  return format ? format.format(Number(value)) : `${money.format(Number(value))} ${currency}`;
}

/** A currency as a page names it: its code, or words when it is not known. */
export function currencyName(currency) {
  return currency || "Currency not shown";
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
export function formatDate(iso) {
  if (!iso) return "—";
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  return dayFormat.format(new Date(year, month - 1, day));
}

export function formatPeriod(start, end) {
  if (!start && !end) return "Period not printed";
  return `${formatDate(start)} – ${formatDate(end)}`;
}

// A four-digit year: "Aug 15" reads as the 15th of August.
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric" });
const monthOnly = new Intl.DateTimeFormat(undefined, { month: "short" });
function monthDate(text) {
  const [year, month] = text.split("-").map(Number);
  return new Date(year, month - 1, 1);
}
/** "2015-08" → "Aug 2015". */
export function formatMonth(text) {
  return monthFormat.format(monthDate(text));
}
/** "2015-08" → ["Aug", "2015"]: a chart's tick, on two lines. */
export function monthTick(text) {
  const date = monthDate(text);
  return [monthOnly.format(date), String(date.getFullYear())];
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`;  // "20 MB", "1.4 MB"
}

export function plural(count, one, many = `${one}s`) {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/**
 * A labelled progress bar (role=progressbar with aria-valuenow).
 * Returns { el, set(percent, state) } where state is "", "done", "partial" (done, some
 * parts failed), "failed" or "cancelled".
 */
export function progressBar(label, attrs = {}) {
  const fillBar = h("span");
  const bar = h("div.progress", {
    role: "progressbar", "aria-label": label, "aria-valuemin": "0", "aria-valuemax": "100",
    "aria-valuenow": "0", ...attrs,
  }, fillBar);
  const pct = h("span.pct", {}, "0 %");
  const el = h("div.progress-line", {}, bar, pct);
  return {
    el,
    bar,
    set(percent, state = "") {
      const value = Math.max(0, Math.min(100, Math.round(percent)));
      fillBar.style.width = `${value}%`;
      bar.setAttribute("aria-valuenow", String(value));
      bar.className = `progress ${state}`.trim();
      pct.textContent = { failed: "Failed", cancelled: "Cancelled" }[state] || `${value} %`;
    },
  };
}

/** The balance check of a statement as a coloured badge in words. */
export function balanceBadge(check, mismatchRows = 0) {
  if (check === "ok") return h("span.badge.badge-ok", { title: "Opening balance plus transactions equals the closing balance" }, "Balances add up");
  if (check === "mismatch") {
    return h("span.badge.badge-warn", { title: "Some printed balances do not follow from the transactions" },
      mismatchRows ? `${plural(mismatchRows, "row")} off` : "Balances off");
  }
  return h("span.badge.badge-muted", { title: "The statement prints no balances to check against" }, "Not checkable");
}

/** What the parser had to guess about a statement, in plain view (a tooltip is missed,
 * and unreachable by touch and keyboard); nothing when it guessed nothing. */
export function statementWarnings(warnings) {
  if (!warnings || !warnings.length) return null;
  return h("div.warnings", { "data-testid": "statement-warnings" },
    h("b", {}, warnings.length === 1 ? "Worth checking: " : `${warnings.length} things worth checking: `),
    warnings.map((warning, index) => [index ? "; " : "", warning]));
}

export function bankName(item) {
  return item.bank_name || (item.bank_source ? item.bank_source.replace(/_/g, " ") : "Unknown bank");
}

export function accountText(last4) {
  return last4 ? `••${last4}` : "Account not printed";
}

export function toast(message, kind = "") {
  const box = document.getElementById("toasts");
  const note = h(`div.toast${kind ? `.${kind}` : ""}`, { dataset: { at: String(Date.now()) } }, message);
  box.append(note);
  setTimeout(() => note.remove(), kind === "error" ? 7000 : 4000);
}

/** On a new page, notes older than a moment go (one just written, before the page
 * changed, stays for its few seconds). */
export function clearOldToasts() {
  for (const note of document.querySelectorAll("#toasts .toast")) {
    if (Date.now() - Number(note.dataset.at) > 1500) note.remove();
  }
}

/** Read a form's fields into an object of trimmed strings. */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) values[key] = typeof value === "string" ? value.trim() : value;
  return values;
}

export function pageHead(title, subtitle, ...actions) {
  return h("div.page-head", {},
    h("div", {}, h("h1", {}, title), subtitle ? h("p.muted", {}, subtitle) : null),
    actions.length ? h("div.row", {}, ...actions) : null);
}

/** A field: a label, the control, and an optional hint, tied together by ids. */
let fieldCounter = 0;
export function field(labelText, control, hint) {
  const id = control.id || `f${++fieldCounter}`;
  control.id = id;
  const hintNode = hint ? h("div.hint", { id: `${id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return h("div.field", {}, h("label", { for: id }, labelText), control, hintNode);
}

/** Give each cell of a table the text of its column's heading (data-label), which a
 * phone shows before the value once the table is stacked into rows. */
export function labelCells(table) {
  // A heading with data-label="" puts no label on its cells (a name, a row of buttons).
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.dataset.label ?? th.textContent.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, index) => { if (headings[index]) cell.dataset.label = headings[index]; });
  }
  return table;
}
