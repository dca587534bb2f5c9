// The user's statements: bank, the file they came from, account, currency, period,
// transaction count, balance check; exports, and Delete (after a confirmation) for a wrong upload.

import { api, query } from "../api.js";
import { accountText, balanceBadge, bankName, formatDate, formatPeriod, h, pageHead, plural, statementWarnings, toast } from "../ui.js";

const PAGE_SIZE = 50;
const FORMATS = [["csv", "CSV"], ["ofx", "OFX"], ["qif", "QIF"], ["json", "JSON"]];

export async function statementsPage(context) {
  const offset = Math.max(0, Number(context.params.get("offset")) || 0);
  const page = await api(`/statements${query({ limit: PAGE_SIZE, offset })}`);
  const head = pageHead("Statements", page.total ? `${plural(page.total, "statement")} imported` : "Nothing imported yet",
    h("a.btn", { href: "#/upload" }, "Upload statements"));
  if (!page.total) {
    return h("div", {}, head, h("div.card.empty", {},
      h("p", {}, "Your imported statements will be listed here."),
      h("a.btn", { href: "#/upload" }, "Upload your first statement")));
  }
  const open = (statement) => context.go("transactions", { statement: statement.id });
  const remove = async (statement, button) => {
    const name = statement.filename ? `"${statement.filename}"` : `${bankName(statement)} ${accountText(statement.account_last4)}`;
    if (!window.confirm(`Delete the statement ${name} and its ${plural(statement.transaction_count, "transaction")}? This cannot be undone.`)) return;
    button.disabled = true;
    try {
      await api(`/statements/${statement.id}`, { method: "DELETE" });
      toast(`Deleted ${name}`);
      // The last row of a later page gone: the page before it.
      const next = page.items.length === 1 && offset > 0 ? Math.max(0, offset - PAGE_SIZE) : offset;
      context.go("statements", next ? { offset: next } : undefined);
    } catch (err) {
      button.disabled = false;
      toast(err.message, "error");
    }
  };
  const rows = page.items.map((statement) => {
    const label = `${bankName(statement)} ${accountText(statement.account_last4)}${statement.filename ? ` (${statement.filename})` : ""}`;
    const deleteButton = h("button.btn.btn-danger.btn-small", { type: "button", "aria-label": `Delete ${label}`, "data-testid": "statement-delete" }, "Delete");
    deleteButton.addEventListener("click", () => remove(statement, deleteButton));
    const row = h("tr.clickable", { "data-testid": "statement-row", onclick: (event) => { if (!event.target.closest("a, button")) open(statement); } },
      h("td", {},
        h("div", {}, h("a", { href: `#/transactions?statement=${statement.id}`, "aria-label": `Transactions of ${label}` }, bankName(statement))),
        statement.filename ? h("div.small.filename", { "data-testid": "statement-filename", title: "The file it was uploaded as" }, statement.filename) : null,
        h("div.muted.small", {}, `Imported ${formatDate(statement.created_at)}`),
        statementWarnings(statement.warnings)),
      h("td.nowrap", {}, accountText(statement.account_last4)),
      // The currency the statement prints; a dash when it shows none (a bare "$" alone).
      h("td.nowrap", { "data-testid": "statement-currency", title: statement.currency ? null : "The statement does not show its currency" },
        statement.currency || h("span.muted", {}, "Not shown")),
      h("td.span-sm", {}, formatPeriod(statement.period_start, statement.period_end)),
      h("td.num", {}, plural(statement.transaction_count, "transaction")),
      h("td", {}, balanceBadge(statement.balance_check, statement.balance_mismatch_rows)),
      h("td.span-sm", {},
        FORMATS.map(([format, label], index) => [index ? " · " : "",
          h("a.small", { href: `/statements/${statement.id}/export?format=${format}`, download: "" , "aria-label": `Export as ${label}` }, label)])),
      h("td", {}, deleteButton));
    return row;
  });
  const pager = h("div.pager", {},
    h("span.muted.small", {}, `${offset + 1}–${offset + page.items.length} of ${page.total}`),
    h("div.row", {},
      h("button.btn.btn-secondary.btn-small", { type: "button", disabled: offset === 0, onclick: () => context.go("statements", { offset: Math.max(0, offset - PAGE_SIZE) }) }, "← Newer"),
      h("button.btn.btn-secondary.btn-small", { type: "button", disabled: offset + PAGE_SIZE >= page.total, onclick: () => context.go("statements", { offset: offset + PAGE_SIZE }) }, "Older →")));
  return h("div", {}, head,
    h("div.card", {},
      h("div.table-wrap", {},
        h("table.stack-sm", {},
          h("caption.visually-hidden", {}, "Imported statements"),
          h("thead", {}, h("tr", {}, ["Bank", "Account", "Currency", "Period", "Transactions", "Balance check", "Export", ""].map((title, index) =>
            h(index === 4 ? "th.num" : "th", { scope: "col" }, title || h("span.visually-hidden", {}, "Actions"))))),
          h("tbody", {}, rows))),
      page.total > PAGE_SIZE ? pager : null));
}
