// Reports: generate an Excel report (progress bar), download it; and two charts of the
// same selection: spending by category and money in/out by month.

import { api, ApiError, query, watchTask } from "../api.js";
import { barChart, columnChart, COLORS } from "../chart.js";
import { accountText, bankName, field, fill, formatDate, formatMoney, formatMonth, h, monthTick, pageHead, plural, progressBar } from "../ui.js";

const TOP_CATEGORIES = 8;

export async function reportsPage(context) {
  const params = context.params;
  const selection = { statement_id: params.get("statement") || "", date_from: params.get("from") || "", date_to: params.get("to") || "" };
  // A selection the API refuses (a From date after the To date) is said next to the
  // form, which stays to be corrected; anything else is the page's error.
  let refused = null;
  const [statements, summary, recent] = await Promise.all([
    api("/statements?limit=200"),
    api(`/transactions/summary${query(selection)}`).catch((error) => {
      if (!(error instanceof ApiError) || error.status !== 422) throw error;
      refused = error.message;
      return null;
    }),
    api("/tasks?task_name=generate_report_async&limit=5"),
  ]);

  const statementBox = h("select", { name: "statement" },
    h("option", { value: "" }, "All statements"),
    statements.items.map((s) => h("option", { value: s.id, selected: String(s.id) === selection.statement_id },
      `${bankName(s)} ${accountText(s.account_last4)} · ${formatDate(s.period_start)}`)));
  const fromBox = h("input", { type: "date", value: selection.date_from });
  const toBox = h("input", { type: "date", value: selection.date_to });
  const formError = h("div.form-error", { role: "alert", "data-testid": "filter-error" }, refused);
  const form = h("form.fields", { "aria-label": "What to report on" },
    field("Statement", statementBox), field("From", fromBox), field("To", toBox),
    h("div.field", {}, h("span.label", { "aria-hidden": "true" }, "\u00a0"), h("button.btn.btn-secondary", { type: "submit" }, "Update charts")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    context.go("reports", Object.fromEntries(Object.entries({ statement: statementBox.value, from: fromBox.value, to: toBox.value }).filter(([, v]) => v)));
  });

  // Generate and download.
  const bar = progressBar("Report progress", { "data-testid": "report-progress" });
  bar.el.hidden = true;
  const message = h("p.muted.small", { "aria-live": "polite" });
  const download = h("div");
  const generate = h("button.btn", { type: "button", "data-testid": "report-generate" }, "Generate Excel report");
  generate.addEventListener("click", async () => {
    generate.disabled = true;
    fill(download);
    bar.el.hidden = false;
    bar.set(0);
    message.textContent = "Queued…";
    const body = {
      statement_id: statementBox.value ? Number(statementBox.value) : null,
      date_from: fromBox.value || null,
      date_to: toBox.value || null,
    };
    try {
      const { task_id: taskId } = await api("/reports/generate_async", { method: "POST", json: body });
      context.onLeave(watchTask(taskId, (task) => {
        bar.set(task.progress_percent, task.status === "SUCCESS" ? "done" : task.status === "FAILED" ? "failed" : "");
        message.textContent = task.progress_message || "Working…";
        if (task.status === "SUCCESS") {
          bar.set(100, "done");
          message.textContent = "Your report is ready.";
          fill(download, downloadLink(taskId, "Download report (.xlsx)"));
          generate.disabled = false;
        } else if (task.status === "FAILED" || task.status === "REVOKED") {
          message.textContent = task.error_message || "The report could not be made.";
          generate.disabled = false;
        }
      }));
    } catch (err) {
      message.textContent = err.message;
      generate.disabled = false;
    }
  });

  const earlier = recent.items.filter((task) => task.status === "SUCCESS");
  const recentList = earlier.length ? h("div", { style: "margin-top:1rem" },
    h("div.label", {}, "Earlier reports"),
    h("ul", { style: "margin:.25rem 0 0;padding-left:1.1rem" }, earlier.map((task) => h("li", {},
      h("a", { href: `/reports/${task.task_id}/download`, download: "" }, `Report of ${formatDate(task.created_at)}`))))) : null;

  return h("div", {},
    pageHead("Reports", "Charts of your spending, and an Excel workbook of the transactions to keep or share."),
    h("div.card", {}, formError, form),
    // Statements do not record their currency: totals over several add their amounts as
    // printed, which is only meaningful when they share one. Said where the totals are.
    summary && !selection.statement_id && statements.total > 1 ? h("p.note", { "data-testid": "currency-note" },
      "Amounts are added up as printed: Ledgerflow does not record which currency a statement is in, ",
      "so totals over statements in different currencies mix them. Pick one statement above for figures in a single currency.") : null,
    summary ? h("div.grid-2", {},
      h("section.card", { "aria-labelledby": "spend-title" }, h("h2", { id: "spend-title" }, "Spending by category"), spendingChart(summary.spending)),
      h("section.card", { "aria-labelledby": "months-title" }, h("h2", { id: "months-title" }, "Money in and out by month"), monthsChart(summary.months))) : null,
    h("div", { style: "height:1.25rem" }),
    h("section.card", { "aria-labelledby": "report-title" },
      h("h2", { id: "report-title" }, "Excel report"),
      h("p.muted", {}, "One workbook with the transactions of the selection above, their categories and totals."),
      h("div.row", {}, generate, download),
      h("div", { style: "margin-top:.9rem" }, bar.el), message, recentList));
}

function downloadLink(taskId, text) {
  return h("a.btn.btn-secondary", { href: `/reports/${taskId}/download`, download: "", "data-testid": "report-download" }, text);
}

function spendingChart(spending) {
  if (!spending.length) return h("p.empty", {}, "No money out in this selection.");
  const rows = spending.slice(0, TOP_CATEGORIES).map((row) => ({ label: row.category || "Uncategorized", value: Number(row.amount), color: row.category ? COLORS.out : COLORS.muted }));
  const rest = spending.slice(TOP_CATEGORIES);
  if (rest.length) rows.push({ label: `${plural(rest.length, "other")}`, value: rest.reduce((sum, row) => sum + Number(row.amount), 0), color: COLORS.muted });
  return h("div.chart", { "data-testid": "spending-chart" }, barChart(rows, { label: "Spending by category", format: formatMoney }));
}

/** Every month of the selection: when they do not all fit, the chart scrolls sideways,
 * opens at the newest, and says so. */
function monthsChart(months) {
  if (!months.length) return h("p.empty", {}, "No transactions in this selection.");
  const data = months.map((month) => ({ label: formatMonth(month.month), tick: monthTick(month.month), in: Number(month.money_in), out: Number(month.money_out) }));
  const drawing = columnChart(data, { label: "Money in and out by month", format: formatMoney });
  const box = h("div.chart-scroll", { "data-testid": "months-scroll", tabindex: drawing.dataset.wide ? "0" : null, "aria-label": drawing.dataset.wide ? "Months, scrollable" : null }, drawing);
  if (drawing.dataset.wide) requestAnimationFrame(() => { box.scrollLeft = box.scrollWidth; });
  const span = months.length > 1 ? `${formatMonth(months[0].month)} – ${formatMonth(months[months.length - 1].month)}` : formatMonth(months[0].month);
  return h("div.chart", { "data-testid": "months-chart" },
    h("div.legend", {}, h("span", {}, h("i", { style: `background:${COLORS.in}` }), "Money in"), h("span", {}, h("i", { style: `background:${COLORS.out}` }), "Money out")),
    box,
    h("p.muted.small", { "data-testid": "months-span" }, `${plural(months.length, "month")}: ${span}`,
      drawing.dataset.wide ? " · scroll sideways for the earlier ones" : ""));
}
