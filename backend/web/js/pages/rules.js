// Categorization rules: list, add, edit, delete, reorder (priority), preview what a rule
// would match before saving it, and "categorize now" with a progress bar.

import { api, watchTask } from "../api.js";
import { field, fill, formatDate, formatMoney, formValues, h, pageHead, plural, progressBar, toast } from "../ui.js";

const MATCH_WORDS = { contains: "contains", exact: "is exactly", regex: "matches the pattern" };

function ruleBody(values) {
  const number = (text) => (text === "" || text === undefined ? null : text);
  return {
    pattern: values.pattern,
    match_type: values.match_type,
    category: values.category,
    direction: values.direction || null,
    amount_min: number(values.amount_min),
    amount_max: number(values.amount_max),
    priority: values.priority === "" ? 0 : Number(values.priority),
  };
}

function describeRule(rule) {
  const parts = [];
  if (rule.direction === "debit") parts.push("money out");
  if (rule.direction === "credit") parts.push("money in");
  if (rule.amount_min !== null && rule.amount_max !== null) parts.push(`${formatMoney(rule.amount_min)} to ${formatMoney(rule.amount_max)}`);
  else if (rule.amount_min !== null) parts.push(`at least ${formatMoney(rule.amount_min)}`);
  else if (rule.amount_max !== null) parts.push(`at most ${formatMoney(rule.amount_max)}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

export async function rulesPage(context) {
  const [rulePage, categories] = await Promise.all([api("/rules"), api("/transactions/categories")]);
  const rules = rulePage.items;
  let editing = null;

  // The form: add, or edit the rule being edited.
  const error = h("div.form-error", { role: "alert" });
  const formTitle = h("h2", {}, "Add a rule");
  const controls = {
    pattern: h("input", { type: "text", name: "pattern", required: true, maxLength: 500, placeholder: "e.g. TESCO", "data-testid": "rule-pattern" }),
    match_type: h("select", { name: "match_type" }, Object.entries({ contains: "Description contains", exact: "Description is exactly", regex: "Regular expression" }).map(([value, text]) => h("option", { value }, text))),
    category: h("input", { type: "text", name: "category", required: true, maxLength: 100, list: "rule-categories", placeholder: "e.g. Groceries", "data-testid": "rule-category" }),
    direction: h("select", { name: "direction" }, h("option", { value: "" }, "In or out"), h("option", { value: "debit" }, "Money out"), h("option", { value: "credit" }, "Money in")),
    amount_min: h("input", { type: "number", name: "amount_min", min: "0", step: "0.001", inputMode: "decimal" }),
    amount_max: h("input", { type: "number", name: "amount_max", min: "0", step: "0.001", inputMode: "decimal" }),
    priority: h("input", { type: "number", name: "priority", step: "1", value: "0" }),
  };
  const previewBox = h("div", { "aria-live": "polite" });
  const saveButton = h("button.btn", { type: "submit", "data-testid": "rule-save" }, "Add rule");
  const cancelEdit = h("button.btn.btn-ghost", { type: "button", hidden: true, onclick: () => startEdit(null) }, "Cancel");
  const previewButton = h("button.btn.btn-secondary", { type: "button", "data-testid": "rule-preview", onclick: preview }, "Preview matches");
  const form = h("form", {},
    error,
    h("div.fields", {},
      field("Match", controls.match_type),
      field("Text", controls.pattern),
      field("Category", controls.category)),
    h("div.fields", { style: "margin-top:.9rem" },
      field("Direction", controls.direction),
      field("Amount at least", controls.amount_min),
      field("Amount at most", controls.amount_max),
      field("Priority", controls.priority, "Higher runs first")),
    h("div.row", { style: "margin-top:1rem" }, saveButton, previewButton, cancelEdit),
    previewBox,
    h("datalist", { id: "rule-categories" }, categories.map((name) => h("option", { value: name }))));

  function startEdit(rule) {
    editing = rule;
    fill(error);
    fill(previewBox);
    formTitle.textContent = rule ? "Edit rule" : "Add a rule";
    saveButton.textContent = rule ? "Save changes" : "Add rule";
    cancelEdit.hidden = !rule;
    for (const [name, control] of Object.entries(controls)) {
      control.value = rule ? (rule[name] ?? "") : (name === "priority" ? "0" : name === "match_type" ? "contains" : "");
    }
    if (rule) controls.pattern.focus();
  }

  async function preview() {
    fill(error);
    if (!form.reportValidity()) return;
    fill(previewBox, h("div.preview.muted", {}, "Looking through your transactions…"));
    try {
      const result = await api("/rules/preview", { method: "POST", json: ruleBody(formValues(form)) });
      fill(previewBox, h("div.preview", { "data-testid": "rule-preview-result" },
        h("b", {}, result.matched ? `Matches ${plural(result.matched, "transaction")}` : "Matches no transaction"),
        ` of ${result.scanned.toLocaleString()}`,
        result.already_categorized ? h("span.muted", {}, ` · ${result.already_categorized} already have a category`) : null,
        result.set_by_hand ? h("span.muted", {}, ` · ${result.set_by_hand} set by hand (kept)`) : null,
        result.examples.length ? h("ul", {}, result.examples.map((tx) => h("li", {},
          h("span.muted", {}, formatDate(tx.date), " · "), tx.description, " · ", h("b", {}, formatMoney(tx.amount, tx.currency)),
          tx.category ? h("span.muted", {}, ` (now ${tx.category})`) : null))) : null));
    } catch (err) {
      fill(previewBox);
      fill(error, err.message);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    const body = ruleBody(formValues(form));
    try {
      if (editing) await api(`/rules/${editing.id}`, { method: "PUT", json: body });
      else await api("/rules", { method: "POST", json: body });
      toast(editing ? "Rule saved" : `Rule added: ${body.pattern} → ${body.category}`);
      context.go("rules");
    } catch (err) {
      fill(error, err.message);
    }
  });

  // Reordering rewrites the priorities as 10, 20, 30… from the bottom up.
  async function move(index, delta) {
    const order = [...rules];
    const [moved] = order.splice(index, 1);
    order.splice(index + delta, 0, moved);
    try {
      await Promise.all(order.map((rule, position) => {
        const priority = (order.length - position) * 10;
        if (rule.priority === priority) return null;
        const { id, created_at: _created, ...fields } = rule;
        return api(`/rules/${id}`, { method: "PUT", json: { ...fields, priority } });
      }));
      context.go("rules");
    } catch (err) {
      toast(err.message, "error");
    }
  }

  async function remove(rule) {
    if (!window.confirm(`Delete the rule "${rule.pattern}" → ${rule.category}?`)) return;
    try {
      await api(`/rules/${rule.id}`, { method: "DELETE" });
      toast("Rule deleted");
      context.go("rules");
    } catch (err) {
      toast(err.message, "error");
    }
  }

  const list = rules.length ? h("ol.rules", { "aria-label": "Rules, first applied first" }, rules.map((rule, index) => h("li.rule", { "data-testid": "rule-row" },
    h("span.rule-prio", { title: "Priority" }, String(rule.priority)),
    h("div.rule-main", {},
      h("div", {}, "If the description ", MATCH_WORDS[rule.match_type], " ", h("code", {}, rule.pattern), describeRule(rule)),
      h("div.small", {}, "→ ", h("b", {}, rule.category))),
    h("div.rule-tools", {},
      h("button.btn.btn-ghost.btn-icon", { type: "button", disabled: index === 0, "aria-label": `Move ${rule.pattern} up`, onclick: () => move(index, -1) }, "↑"),
      h("button.btn.btn-ghost.btn-icon", { type: "button", disabled: index === rules.length - 1, "aria-label": `Move ${rule.pattern} down`, onclick: () => move(index, 1) }, "↓"),
      h("button.btn.btn-secondary.btn-small", { type: "button", onclick: () => startEdit(rule), "aria-label": `Edit ${rule.pattern}` }, "Edit"),
      h("button.btn.btn-danger.btn-small", { type: "button", onclick: () => remove(rule), "aria-label": `Delete ${rule.pattern}` }, "Delete")))))
    : h("p.empty", {}, "No rules yet. Add one below: for example, descriptions containing “TESCO” go to Groceries.");

  // Categorize now.
  const overwrite = h("input", { type: "checkbox", id: "overwrite" });
  const runBar = progressBar("Categorization progress", { "data-testid": "categorize-progress" });
  runBar.el.hidden = true;
  const runMessage = h("p.muted.small", { "aria-live": "polite" });
  const runButton = h("button.btn", { type: "button", disabled: !rules.length, "data-testid": "categorize-now" }, "Categorize now");
  runButton.addEventListener("click", async () => {
    runButton.disabled = true;
    runBar.el.hidden = false;
    runBar.set(0);
    runMessage.textContent = "Starting…";
    try {
      const { task_id: taskId } = await api("/bulk_categorize_async", { method: "POST", json: { overwrite: overwrite.checked } });
      const stop = watchTask(taskId, async (task) => {
        runBar.set(task.progress_percent, task.status === "SUCCESS" ? "done" : task.status === "FAILED" ? "failed" : "");
        runMessage.textContent = task.progress_message || "Working…";
        if (task.status === "SUCCESS") {
          runBar.set(100, "done");
          const { result } = await api(`/tasks/${taskId}/result`);
          const kept = result.manual_kept ? ` ${plural(result.manual_kept, "category", "categories")} set by hand kept.` : "";
          runMessage.textContent = `Done: ${plural(result.categorized, "transaction")} categorized, ${result.uncategorized.toLocaleString()} left without a category.${kept}`;
          runButton.disabled = false;
        } else if (task.status === "FAILED" || task.status === "REVOKED") {
          runMessage.textContent = task.error_message || "Categorization stopped.";
          runButton.disabled = false;
        }
      });
      context.onLeave(stop);
    } catch (err) {
      runMessage.textContent = err.message;
      runButton.disabled = false;
    }
  });

  return h("div", {},
    pageHead("Rules", "Rules give transactions a category. The first rule that matches wins."),
    h("div.card", {}, h("h2", {}, plural(rules.length, "rule")), list),
    h("div.card", {}, formTitle, form),
    h("div.card", {}, h("h2", {}, "Categorize now"),
      h("p.muted", {}, "Apply your rules to your transactions. Transactions you categorized yourself are kept unless you tick the box."),
      h("div.row", {}, runButton, h("label.check", { for: "overwrite" }, overwrite, "Also replace categories set by rules (those set by hand are kept)")),
      h("div", { style: "margin-top:.9rem" }, runBar.el), runMessage));
}
