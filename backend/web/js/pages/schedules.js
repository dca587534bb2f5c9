// Schedules: a report or a categorization at the times of a cron expression.

import { api } from "../api.js";
import { field, fill, formValues, h, labelCells, pageHead, plural, toast } from "../ui.js";

const PRESETS = [
  ["0 6 * * 1", "Every Monday at 06:00"],
  ["0 7 * * *", "Every day at 07:00"],
  ["0 6 1 * *", "On the 1st of each month at 06:00"],
  ["", "Custom cron expression…"],
];
const TASK_WORDS = { report: "Excel report", categorize: "Categorize with my rules" };
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function moment(iso) {
  return iso ? when.format(new Date(iso)) : "—";
}

export async function schedulesPage(context) {
  const page = await api("/schedules");
  const error = h("div.form-error", { role: "alert" });
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const task = h("select", { name: "task" }, Object.entries(TASK_WORDS).map(([value, text]) => h("option", { value }, text)));
  const preset = h("select", {}, PRESETS.map(([value, text]) => h("option", { value }, text)));
  const cron = h("input", { type: "text", name: "cron", value: PRESETS[0][0], required: true, spellcheck: false, "data-testid": "schedule-cron" });
  preset.addEventListener("change", () => { if (preset.value) cron.value = preset.value; else cron.focus(); });
  // The menu says what the expression is: a preset's words only while it is that preset's.
  cron.addEventListener("input", () => {
    const known = PRESETS.find(([value]) => value && value === cron.value.trim().replace(/\s+/g, " "));
    preset.value = known ? known[0] : "";
  });
  const timezone = h("input", { type: "text", name: "timezone", value: zone, required: true });
  const overwrite = h("input", { type: "checkbox", id: "schedule-overwrite" });
  const overwriteRow = h("label.check", { for: "schedule-overwrite", hidden: true }, overwrite, "Also replace existing categories");
  task.addEventListener("change", () => { overwriteRow.hidden = task.value !== "categorize"; });
  const form = h("form", {},
    error,
    h("div.fields", {},
      field("Run", task),
      field("When", preset),
      field("Cron expression", cron, "minute hour day month weekday"),
      field("Time zone", timezone)),
    h("div.row", { style: "margin-top:1rem" }, h("button.btn", { type: "submit", "data-testid": "schedule-save" }, "Add schedule"), overwriteRow));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    const values = formValues(form);
    const body = { task: values.task, cron: values.cron, timezone: values.timezone, params: values.task === "categorize" ? { overwrite: overwrite.checked } : {} };
    try {
      await api("/schedules", { method: "POST", json: body });
      toast("Schedule added");
      context.go("schedules");
    } catch (err) {
      fill(error, err.message);
    }
  });

  const rows = page.items.map((schedule) => {
    const runs = h("div");
    const toggle = async () => {
      try {
        await api(`/schedules/${schedule.id}`, { method: "PATCH", json: { enabled: !schedule.enabled } });
        context.go("schedules");
      } catch (err) { toast(err.message, "error"); }
    };
    const remove = async () => {
      if (!window.confirm("Delete this schedule? Its past runs stay in your task list.")) return;
      try {
        await api(`/schedules/${schedule.id}`, { method: "DELETE" });
        context.go("schedules");
      } catch (err) { toast(err.message, "error"); }
    };
    const showRuns = async () => {
      const result = await api(`/schedules/${schedule.id}/runs?limit=5`);
      fill(runs, result.items.length
        ? h("ul.small", {}, result.items.map((run) => h("li", {}, `${moment(run.created_at)} · ${run.status.toLowerCase()}`,
          run.task_name === "generate_report_async" && run.status === "SUCCESS" ? [" · ", h("a", { href: `/reports/${run.task_id}/download`, download: "" }, "download")] : null)))
        : h("p.muted.small", {}, "No runs yet."));
    };
    return h("tr", { "data-testid": "schedule-row" },
      h("td", {}, h("b", {}, TASK_WORDS[schedule.task] || schedule.task), runs),
      h("td", {}, h("code", {}, schedule.cron), h("div.muted.small", {}, schedule.timezone)),
      h("td", {}, schedule.enabled ? moment(schedule.next_run_at) : h("span.badge.badge-muted", {}, "Paused")),
      h("td", {}, moment(schedule.last_run_at)),
      h("td.span-sm", {}, h("div.row", {},
        h("button.btn.btn-secondary.btn-small", { type: "button", onclick: showRuns }, "Runs"),
        h("button.btn.btn-secondary.btn-small", { type: "button", onclick: toggle }, schedule.enabled ? "Pause" : "Resume"),
        h("button.btn.btn-danger.btn-small", { type: "button", onclick: remove }, "Delete"))));
  });
  return h("div", {},
    pageHead("Schedules", "Reports and categorization that run by themselves."),
    h("div.card", {}, h("h2", {}, plural(page.total, "schedule")),
      rows.length ? h("div.table-wrap", {}, labelCells(h("table.stack-sm.labelled", {},
        h("thead", {}, h("tr", {}, ["What", "When", "Next run", "Last run", "Actions"].map((title, index) => h("th", { scope: "col", "data-label": index === 0 || index === 4 ? "" : null }, title)))),
        h("tbody", {}, rows)))) : h("p.empty", {}, "Nothing scheduled yet.")),
    h("div.card", {}, h("h2", {}, "Add a schedule"), form),
    h("p.muted.small", {}, `Times are in the zone you pick (yours is ${zone}); next runs are shown in your browser's time.`));
}
