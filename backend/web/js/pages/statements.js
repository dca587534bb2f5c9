// The user's statements: bank, account, period, transaction count, balance check.

import { api, query } from "../api.js";
import { accountText, balanceBadge, bankName, formatDate, formatPeriod, h, pageHead, plural, statementWarnings } from "../ui.js";

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
  const rows = page.items.map((statement) => {
    const row = h("tr.clickable", { "data-testid": "statement-row", onclick: (event) => { if (!event.target.closest("a")) open(statement); } },
      h("td", {},
        h("div", {}, h("a", { href: `#/transactions?statement=${statement.id}`, "aria-label": `Transactions of ${bankName(statement)} ${accountText(statement.account_last4)}` }, bankName(statement))),
        h("div.muted.small", {}, `Imported ${formatDate(statement.created_at)}`),
        statementWarnings(statement.warnings)),
      h("td.nowrap", {}, accountText(statement.account_last4)),
      h("td.span-sm", {}, formatPeriod(statement.period_start, statement.period_end)),
      h("td.num", {}, plural(statement.transaction_count, "transaction")),
      h("td", {}, balanceBadge(statement.balance_check, statement.balance_mismatch_rows)),
      h("td.span-sm", {},
        FORMATS.map(([format, label], index) => [index ? " · " : "",
          h("a.small", { href: `/statements/${statement.id}/export?format=${format}`, download: "" , "aria-label": `Export as ${label}` }, label)])));
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
          h("thead", {}, h("tr", {}, ["Bank", "Account", "Period", "Transactions", "Balance check", "Export"].map((title, index) =>
            h(index === 3 ? "th.num" : "th", { scope: "col" }, title)))),
          h("tbody", {}, rows))),
      page.total > PAGE_SIZE ? pager : null));
}
