// Transactions across statements: search, filters, sorting, pages, and the category of
// each row edited in place (PATCH /transactions/{id}).

import { api, ApiError, query } from "../api.js";
import { accountText, bankName, field, fill, formatDate, formatMoney, formatPeriod, h, pageHead, toast } from "../ui.js";

const SORTABLE = [["date", "Date"], ["description", "Description"], ["category", "Category"], ["amount", "Amount"]];
const UNCATEGORIZED = "__none__";

export async function transactionsPage(context) {
  const params = context.params;
  const filters = {
    q: params.get("q") || "",
    date_from: params.get("from") || "",
    date_to: params.get("to") || "",
    category: params.get("category") || "",
    direction: params.get("direction") || "",
    statement: params.get("statement") || "",
    sort: params.get("sort") || "-date",
    size: Number(params.get("size")) || 50,
    offset: Math.max(0, Number(params.get("offset")) || 0),
  };
  const apiQuery = {
    q: filters.q, date_from: filters.date_from, date_to: filters.date_to, direction: filters.direction,
    statement_id: filters.statement,
    ...(filters.category === UNCATEGORIZED ? { uncategorized: "true" } : { category: filters.category }),
  };
  // Filters the API refuses (a From date after the To date) are said next to the form,
  // which stays to be corrected; anything else is the page's error.
  let refused = null;
  const [page, categories, statement] = await Promise.all([
    api(`/transactions${query({ ...apiQuery, sort: filters.sort, limit: filters.size, offset: filters.offset })}`).catch((error) => {
      if (!(error instanceof ApiError) || error.status !== 422) throw error;
      refused = error.message;
      return null;
    }),
    api("/transactions/categories"),
    filters.statement ? api(`/statements/${encodeURIComponent(filters.statement)}`).catch(() => null) : null,
  ]);

  const navigate = (changes) => {
    const next = { ...filters, offset: 0, ...changes };
    const params = {
      q: next.q, from: next.date_from, to: next.date_to, category: next.category, direction: next.direction,
      statement: next.statement, sort: next.sort === "-date" ? "" : next.sort, size: next.size === 50 ? "" : next.size,
      offset: next.offset || "",
    };
    context.go("transactions", Object.fromEntries(Object.entries(params).filter(([, value]) => value !== "" && value !== undefined)));
  };

  const datalist = h("datalist", { id: "category-options" }, categories.map((name) => h("option", { value: name })));
  const searchBox = h("input", { type: "search", name: "q", value: filters.q, placeholder: "Payee, reference…" });
  const fromBox = h("input", { type: "date", name: "date_from", value: filters.date_from });
  const toBox = h("input", { type: "date", name: "date_to", value: filters.date_to });
  const categoryBox = h("select", { name: "category" },
    h("option", { value: "" }, "All categories"),
    h("option", { value: UNCATEGORIZED, selected: filters.category === UNCATEGORIZED }, "Uncategorized"),
    categories.map((name) => h("option", { value: name, selected: filters.category === name }, name)));
  const directionBox = h("select", { name: "direction" },
    h("option", { value: "" }, "In and out"),
    h("option", { value: "credit", selected: filters.direction === "credit" }, "Money in"),
    h("option", { value: "debit", selected: filters.direction === "debit" }, "Money out"));
  const formError = h("div.form-error", { role: "alert", "data-testid": "filter-error" }, refused);
  const form = h("form.fields", { role: "search", "aria-label": "Filter transactions" },
    field("Search", searchBox), field("From", fromBox), field("To", toBox), field("Category", categoryBox), field("Direction", directionBox),
    h("div.field", {}, h("span.label", { "aria-hidden": "true" }, "\u00a0"), h("div.row.tight", {},
      h("button.btn", { type: "submit" }, "Apply"),
      h("button.btn.btn-ghost", { type: "button", onclick: () => navigate({ q: "", date_from: "", date_to: "", category: "", direction: "", statement: "" }) }, "Clear"))));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate({ q: searchBox.value.trim(), date_from: fromBox.value, date_to: toBox.value, category: categoryBox.value, direction: directionBox.value });
  });
  for (const select of [categoryBox, directionBox]) select.addEventListener("change", () => form.requestSubmit());

  const statementChip = filters.statement ? h("div.row", { style: "margin-bottom:1rem" },
    h("span.chip", { "data-testid": "statement-chip" }, statement ? [bankName(statement), accountText(statement.account_last4), statement.currency, formatPeriod(statement.period_start, statement.period_end)].filter(Boolean).join(" · ") : `Statement ${filters.statement}`,
      h("button.btn.btn-ghost.btn-icon", { type: "button", "aria-label": "Show all statements", onclick: () => navigate({ statement: "" }) }, "×"))) : null;

  const header = h("tr", {}, SORTABLE.map(([key, label]) => {
    const active = filters.sort.replace("-", "") === key;
    const descending = filters.sort.startsWith("-");
    const next = active && !descending ? `-${key}` : key;
    return h(key === "amount" ? "th.num" : "th", { scope: "col", "aria-sort": active ? (descending ? "descending" : "ascending") : null },
      h("button.sort", { type: "button", onclick: () => navigate({ sort: next }), "aria-label": `Sort by ${label}` }, label, active ? (descending ? " ↓" : " ↑") : ""));
  }));

  if (!page) {
    return h("div", {},
      pageHead("Transactions", "Every transaction from your statements. Click a category to change it."),
      h("div.card", {}, formError, form),
      statementChip,
      datalist);
  }

  const rows = page.items.map((item) => h("tr", { "data-testid": "transaction-row", dataset: { id: item.id } },
    h("td.nowrap", {}, formatDate(item.date)),
    h("td.desc.span-sm", {}, item.description),
    categoryCell(item),
    // In its statement's currency (no sign when the statement does not show it).
    h("td.num", { class: Number(item.amount) > 0 ? "amount-in" : "amount-out", "data-testid": "transaction-amount" },
      Number(item.amount) > 0 ? `+${formatMoney(item.amount, item.currency)}` : formatMoney(item.amount, item.currency))));

  const first = page.total ? filters.offset + 1 : 0;
  const last = filters.offset + page.items.length;
  const sizeBox = h("select", { "aria-label": "Rows per page", style: "width:auto" }, [25, 50, 100, 200].map((size) => h("option", { value: size, selected: size === filters.size }, `${size} per page`)));
  sizeBox.addEventListener("change", () => navigate({ size: Number(sizeBox.value) }));
  const pager = h("div.pager", {},
    h("span.muted.small", { "aria-live": "polite" }, page.total ? `${first.toLocaleString()}–${last.toLocaleString()} of ${page.total.toLocaleString()}` : "No transactions"),
    h("div.row", {}, sizeBox,
      h("button.btn.btn-secondary.btn-small", { type: "button", disabled: filters.offset === 0, onclick: () => navigate({ offset: Math.max(0, filters.offset - filters.size) }) }, "← Previous"),
      h("button.btn.btn-secondary.btn-small", { type: "button", disabled: last >= page.total, onclick: () => navigate({ offset: filters.offset + filters.size }) }, "Next →")));

  const table = page.items.length
    ? h("div.table-wrap", {}, h("table.stack-sm", {}, h("caption.visually-hidden", {}, "Transactions"), h("thead", {}, header), h("tbody", {}, rows)))
    : h("div.empty", {}, h("p", {}, "No transactions match these filters."), h("a.btn.btn-secondary", { href: "#/upload" }, "Upload statements"));

  return h("div", {},
    pageHead("Transactions", "Every transaction from your statements. Click a category to change it."),
    h("div.card", {}, formError, form),
    statementChip,
    h("div.card", {}, table, pager, datalist));
}

/** The category cell: a button showing it; pressing it opens an input (Enter saves, Escape cancels). */
function categoryCell(item) {
  const cell = h("td", { "data-testid": "category-cell" });
  const show = () => {
    const byHand = item.category_source === "manual";
    fill(cell, h("button.cat-btn", { type: "button", "aria-label": `Category of ${item.description}: ${item.category || "none"}${byHand ? ", set by hand" : ""}. Change`, onclick: edit },
      item.category ? h("span", {}, item.category) : h("span.cat-none", {}, byHand ? "None (by hand)" : "Add category"),
      // Rules leave a category set by hand alone: the mark says why a run did not change it.
      byHand && item.category ? h("span.cat-manual", { title: "Set by hand: rules leave it alone", "aria-hidden": "true", "data-testid": "category-manual" }, "by hand") : null,
      h("span.pencil", { "aria-hidden": "true" }, "✎")));
  };
  const edit = () => {
    const input = h("input", { type: "text", value: item.category || "", list: "category-options", maxLength: 100, "aria-label": `Category of ${item.description}`, "data-testid": "category-input" });
    const save = async () => {
      const value = input.value.trim();
      if (value === (item.category || "")) { show(); return; }
      input.disabled = true;
      try {
        const saved = await api(`/transactions/${item.id}`, { method: "PATCH", json: { category: value || null } });
        item.category = saved.category;
        item.category_source = saved.category_source;
        show();
        cell.querySelector("button").focus();
        toast(value ? `Categorized as ${value}` : "Category cleared");
      } catch (error) {
        input.disabled = false;
        toast(error.message, "error");
        input.focus();
      }
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); save(); }
      if (event.key === "Escape") { event.preventDefault(); show(); cell.querySelector("button").focus(); }
    });
    fill(cell, h("div.cat-edit", {}, input,
      h("button.btn.btn-small", { type: "button", onclick: save }, "Save"),
      h("button.btn.btn-ghost.btn-small", { type: "button", onclick: show }, "Cancel")));
    input.focus();
    input.select();
  };
  show();
  return cell;
}
