// Admin (operators only): worker nodes, queue depths, and task throughput.

import { api } from "../api.js";
import { barChart, COLORS } from "../chart.js";
import { h, labelCells, pageHead } from "../ui.js";

const WINDOWS = [["15m", "15 minutes"], ["1h", "hour"], ["24h", "24 hours"], ["7d", "7 days"]];
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

const labelled = labelCells;

function seconds(value) {
  return value === null || value === undefined ? "—" : `${value.toFixed(value < 10 ? 2 : 0)} s`;
}

export async function adminPage(context) {
  if (!context.user.is_admin) {
    return h("div", {}, pageHead("Admin"), h("div.card", {}, h("p", {}, "This page is for administrators.")));
  }
  const span = context.params.get("window") || "1h";
  const [workers, queues, stats] = await Promise.all([
    api("/admin/workers"),
    api("/admin/queues").catch((error) => ({ error })),
    api(`/admin/stats?window=${encodeURIComponent(span)}`),
  ]);
  const windowBox = h("select", { "aria-label": "Statistics window", style: "width:auto" },
    WINDOWS.map(([value, text]) => h("option", { value, selected: value === span }, `Last ${text}`)));
  windowBox.addEventListener("change", () => context.go("admin", { window: windowBox.value }));

  const workerTable = workers.length ? h("div.table-wrap", {}, labelled(h("table.stack-sm.labelled", {},
    h("thead", {}, h("tr", {}, ["Worker", "Status", "Queues", "Running", "Done", "Last heartbeat"].map((title, index) => h("th", { scope: "col", "data-label": index < 3 ? "" : null }, title)))),
    h("tbody", {}, workers.map((worker) => h("tr", { "data-testid": "worker-row" },
      h("td.span-sm", {}, h("code", {}, worker.hostname)),
      h("td", {}, h(`span.badge.${worker.status === "online" ? "badge-ok" : "badge-muted"}`, {}, worker.status)),
      h("td.span-sm.small", {}, worker.queues.join(", ")),
      h("td.num", {}, String(worker.active)),
      h("td.num", {}, worker.processed.toLocaleString()),
      h("td.small", {}, when.format(new Date(worker.last_heartbeat)))))))))
    : h("p.empty", {}, "No worker has reported yet.");

  const queueView = queues.error ? h("p.form-error", {}, queues.error.message) : h("div.table-wrap", {}, h("table", {},
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Queue"), h("th.num", { scope: "col" }, "Waiting"), h("th.num", { scope: "col" }, "Consumers"))),
    h("tbody", {}, queues.map((queue) => h("tr", { "data-testid": "queue-row" },
      h("td", {}, queue.name), h("td.num", {}, queue.depth.toLocaleString()),
      h("td.num", {}, queue.consumers ? String(queue.consumers) : h("span.badge.badge-warn", {}, "none")))))));

  const throughput = stats.tasks.length
    ? h("div.chart", { "data-testid": "throughput-chart" }, barChart(
      stats.tasks.map((row) => ({ label: row.task_name.replace(/_async$/, "").replace(/_/g, " "), value: row.per_minute, color: COLORS.out })),
      { label: "Tasks finished per minute", format: (value) => `${value.toFixed(2)}/min` }))
    : h("p.empty", {}, "No task finished in this window.");
  const statTable = stats.tasks.length ? h("div.table-wrap", {}, labelled(h("table.stack-sm.labelled", {},
    h("thead", {}, h("tr", {}, ["Task", "Submitted", "Succeeded", "Failed", "Retried", "Median", "95th"].map((title, index) => h(index ? "th.num" : "th", { scope: "col", "data-label": index ? null : "" }, title)))),
    h("tbody", {}, stats.tasks.map((row) => h("tr", {},
      h("td.span-sm", {}, row.task_name),
      h("td.num", {}, String(row.submitted)), h("td.num", {}, String(row.succeeded)),
      h("td.num", {}, row.failed ? h("span.badge.badge-danger", {}, String(row.failed)) : "0"),
      h("td.num", {}, String(row.retried)),
      h("td.num", {}, seconds(row.p50_seconds)), h("td.num", {}, seconds(row.p95_seconds)))))))) : null;

  return h("div", {},
    pageHead("Admin", "Workers, queues and throughput of the whole platform.", windowBox),
    h("div.grid-2", {},
      h("section.card", { "aria-labelledby": "workers-title" }, h("h2", { id: "workers-title" }, "Workers"), workerTable),
      h("section.card", { "aria-labelledby": "queues-title" }, h("h2", { id: "queues-title" }, "Queues"), queueView)),
    h("div", { style: "height:1.25rem" }),
    h("section.card", { "aria-labelledby": "throughput-title" }, h("h2", { id: "throughput-title" }, "Throughput"), throughput, statTable));
}
