// Webhooks: URLs told when tasks or batches finish, and what was delivered to them.

import { api } from "../api.js";
import { fill, h, pageHead, plural, toast } from "../ui.js";

const EVENTS = [
  ["task.succeeded", "A task succeeded"],
  ["task.failed", "A task failed"],
  ["batch.finished", "A batch finished"],
];
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const STATUS_BADGE = { delivered: "badge-ok", pending: "badge-muted", failed: "badge-danger" };

export async function webhooksPage(context) {
  const hooks = await api("/webhooks");
  const error = h("div.form-error", { role: "alert" });
  const secretBox = h("div", { "aria-live": "polite" });
  const url = h("input", { type: "url", name: "url", required: true, placeholder: "https://example.com/ledgerflow-hook", id: "webhook-url", "data-testid": "webhook-url" });
  const boxes = EVENTS.map(([value, text], index) => {
    const box = h("input", { type: "checkbox", value, id: `event-${index}`, checked: "checked" });
    return { box, label: h("label.check", { for: box.id }, box, text) };
  });
  const form = h("form", {},
    error,
    h("div.field", {}, h("label", { for: "webhook-url" }, "URL"), url, h("div.hint", {}, "A public https address. Each delivery is signed with the secret shown once below.")),
    h("fieldset", { style: "border:0;padding:0;margin:0 0 1rem" }, h("legend.label", {}, "Events"), h("div.row", {}, boxes.map((item) => item.label))),
    h("button.btn", { type: "submit", "data-testid": "webhook-save" }, "Add webhook"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    const events = boxes.filter((item) => item.box.checked).map((item) => item.box.value);
    if (!events.length) { fill(error, "Pick at least one event."); return; }
    try {
      const created = await api("/webhooks", { method: "POST", json: { url: url.value.trim(), events } });
      form.reset();
      fill(secretBox, h("div.card", { style: "border-color:#f5d08a;background:var(--warn-soft)" },
        h("h2", {}, "Keep this signing secret"),
        h("p", {}, "It is shown only now. Check each delivery's X-Ledgerflow-Signature with it."),
        h("code", { style: "overflow-wrap:anywhere", "data-testid": "webhook-secret" }, created.secret)));
      fill(list, renderList([...hooks, created]));
    } catch (err) {
      fill(error, err.message);
    }
  });

  const list = h("div");
  const count = h("h2");
  function renderList(items) {
    hooks.splice(0, hooks.length, ...items);
    count.textContent = plural(hooks.length, "webhook");
    if (!items.length) return h("p.empty", {}, "No webhooks yet.");
    return h("ul.rules", {}, items.map((hook) => {
      const deliveries = h("div");
      const show = async () => {
        const rows = await api(`/webhooks/${hook.id}/deliveries`);
        fill(deliveries, rows.length ? h("div.table-wrap", {}, h("table.stack-sm", {},
          h("thead", {}, h("tr", {}, ["Event", "Status", "Answer", "Tries", "When"].map((title) => h("th", { scope: "col" }, title)))),
          h("tbody", {}, rows.slice(0, 20).map((row) => h("tr", {},
            h("td", {}, row.event),
            h("td", {}, h(`span.badge.${STATUS_BADGE[row.status] || "badge-muted"}`, {}, row.status)),
            h("td", {}, row.status_code ? String(row.status_code) : (row.error || "—")),
            h("td.num", {}, String(row.attempts)),
            h("td", {}, when.format(new Date(row.updated_at))))))))
          : h("p.muted.small", {}, "Nothing delivered yet."));
      };
      const remove = async () => {
        if (!window.confirm(`Stop sending events to ${hook.url}?`)) return;
        try {
          await api(`/webhooks/${hook.id}`, { method: "DELETE" });
          fill(list, renderList(hooks.filter((other) => other.id !== hook.id)));
        } catch (err) { toast(err.message, "error"); }
      };
      return h("li.rule", { style: "flex-wrap:wrap", "data-testid": "webhook-row" },
        h("div.rule-main", {}, h("div", {}, h("code", {}, hook.url)), h("div.muted.small", {}, hook.events.join(", "))),
        h("div.rule-tools", {},
          h("button.btn.btn-secondary.btn-small", { type: "button", onclick: show }, "Deliveries"),
          h("button.btn.btn-danger.btn-small", { type: "button", onclick: remove, "aria-label": `Delete webhook ${hook.url}` }, "Delete")),
        h("div", { style: "flex-basis:100%" }, deliveries));
    }));
  }
  fill(list, renderList(hooks));
  return h("div", {},
    pageHead("Webhooks", "Tell your own systems when a statement is imported, a task fails or a batch finishes."),
    secretBox,
    h("div.card", {}, count, list),
    h("div.card", {}, h("h2", {}, "Add a webhook"), form));
}
