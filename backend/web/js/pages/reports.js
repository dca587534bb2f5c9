// Reports: generate an Excel report (progress bar), download it; and two charts of the
// same selection: spending by category and money in/out by month, in one currency at a
// time (the statements' own; amounts of different currencies are never added up).

import { api, ApiError, query, watchTask } from "../api.js";
import { barChart, columnChart, COLORS } from "../chart.js";
import { accountText, bankName, currencyName, field, fill, formatDate, formatMoney, formatMonth, h, monthTick, pageHead, plural, progressBar } from "../ui.js";

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
    summary ? currencyCharts(summary, params.get("currency")) : null,
    h("div", { style: "height:1.25rem" }),
    h("section.card", { "aria-labelledby": "report-title" },
      h("h2", { id: "report-title" }, "Excel report"),
      h("p.muted", {}, "One workbook with the transactions of the selection above, their categories and currency, and totals per currency."),
      h("div.row", {}, generate, download),
      h("div", { style: "margin-top:.9rem" }, bar.el), message, recentList));
}

function downloadLink(taskId, text) {
  return h("a.btn.btn-secondary", { href: `/reports/${taskId}/download`, download: "", "data-testid": "report-download" }, text);
}

/** The charts of one currency at a time: statements keep their own currency, and figures
 * of two are never added up. Several in the selection: a menu picks one (at first the
 * one with the most transactions, or `asked`: a code, or "none" for the unknown one). */
function currencyCharts(summary, asked) {
  const currencies = summary.currencies || [];
  const counts = new Map(currencies.map((currency) => [currency, 0]));
  for (const month of summary.months) counts.set(month.currency, (counts.get(month.currency) || 0) + (month.count || 0));
  const valueOf = (currency) => currency ?? "none";
  const busiest = currencies.reduce((best, currency) => (counts.get(currency) > counts.get(best) ? currency : best), currencies[0] ?? null);
  const first = currencies.find((currency) => valueOf(currency) === asked) ?? busiest;
  const charts = h("div", { "data-testid": "currency-charts" });
  const show = (currency) => fill(charts, chartsIn(summary, currency, currencies.length > 0));
  show(first);
  if (currencies.length < 2) return charts;
  const menu = h("select", { name: "currency", "data-testid": "currency-select", style: "width:auto;min-width:14rem;max-width:100%" },
    currencies.map((currency) => h("option", { value: valueOf(currency), selected: currency === first },
      `${currencyName(currency)} · ${plural(counts.get(currency), "transaction")}`)));
  menu.addEventListener("change", () => show(currencies.find((currency) => valueOf(currency) === menu.value) ?? null));
  return h("div", {},
    h("div.card", { "data-testid": "currency-pick" },
      field("Currency", menu, `This selection holds ${currencies.length} currencies: the charts show one at a time, as the statements print them (never converted or added together).`)),
    charts);
}

function chartsIn(summary, currency, any) {
  const label = any ? currencyName(currency) : null;
  const title = (text, id) => h("h2", { id }, text, label ? h("span.muted", { "data-testid": "chart-currency" }, ` · ${label}`) : null);
  const format = (value) => formatMoney(value, currency);
  return [
    any && !currency ? h("p.note", { "data-testid": "currency-unknown" },
      "These statements do not show which currency they are in: their amounts are shown as printed, without a currency sign.") : null,
    h("div.grid-2", {},
      h("section.card", { "aria-labelledby": "spend-title" }, title("Spending by category", "spend-title"),
        spendingChart(summary.spending.filter((row) => row.currency === currency), format)),
      h("section.card", { "aria-labelledby": "months-title" }, title("Money in and out by month", "months-title"),
        monthsChart(summary.months.filter((month) => month.currency === currency), format))),
  ];
}

function spendingChart(spending, format) {
  if (!spending.length) return h("p.empty", {}, "No money out in this selection.");
  const rows = spending.slice(0, TOP_CATEGORIES).map((row) => ({ label: row.category || "Uncategorized", value: Number(row.amount), color: row.category ? COLORS.out : COLORS.muted }));
  const rest = spending.slice(TOP_CATEGORIES);
  if (rest.length) rows.push({ label: `${plural(rest.length, "other")}`, value: rest.reduce((sum, row) => sum + Number(row.amount), 0), color: COLORS.muted });
  return h("div.chart", { "data-testid": "spending-chart" }, barChart(rows, { label: "Spending by category", format }));
}

/** Every month of the selection: when they do not all fit, the chart scrolls sideways,
 * opens at the newest, and says so. */
function monthsChart(months, format) {
  if (!months.length) return h("p.empty", {}, "No transactions in this selection.");
  const data = months.map((month) => ({ label: formatMonth(month.month), tick: monthTick(month.month), in: Number(month.money_in), out: Number(month.money_out) }));
  const drawing = columnChart(data, { label: "Money in and out by month", format });
  const box = h("div.chart-scroll", { "data-testid": "months-scroll", tabindex: drawing.dataset.wide ? "0" : null, "aria-label": drawing.dataset.wide ? "Months, scrollable" : null }, drawing);
  if (drawing.dataset.wide) requestAnimationFrame(() => { box.scrollLeft = box.scrollWidth; });
  const span = months.length > 1 ? `${formatMonth(months[0].month)} – ${formatMonth(months[months.length - 1].month)}` : formatMonth(months[0].month);
  return h("div.chart", { "data-testid": "months-chart" },
    h("div.legend", {}, h("span", {}, h("i", { style: `background:${COLORS.in}` }), "Money in"), h("span", {}, h("i", { style: `background:${COLORS.out}` }), "Money out")),
    box,
    h("p.muted.small", { "data-testid": "months-span" }, `${plural(months.length, "month")}: ${span}`,
      drawing.dataset.wide ? " · scroll sideways for the earlier ones" : ""));
}
