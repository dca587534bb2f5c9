// Upload: drop or pick statements; they go up as one batch (POST /batches), and each file
// gets a live bar fed by its task's server-sent events, then its result or its error in
// plain words. Uploads go on while other pages are open.

import { api, isFinal, retryCanHelp, uploadFile, uploadFiles, watchTask } from "../api.js";
import {
  accountText, balanceBadge, bankName, fill, formatBytes, formatPeriod, h, pageHead, plural, progressBar,
  statementWarnings, toast,
} from "../ui.js";

// Upload answers that another try will not change (too big, not a PDF, a bad field).
const PERMANENT = new Set([413, 415, 422]);

const items = [];
let nextId = 1;
let redraw = () => {};
// The largest file the API takes (GET /auth/me's max_upload_bytes): a larger one is refused
// here, before its megabytes go up only to be turned away.
let maxUploadBytes = null;

function isPdf(file) {
  return file.type === "application/pdf" || /\.pdf$/i.test(file.name);
}

function addFiles(files) {
  let skipped = 0;
  const added = [];
  const sending = [];
  for (const file of files) {
    if (!isPdf(file)) { skipped += 1; continue; }
    const item = { id: nextId++, file, status: "queued", percent: 0, message: "Waiting to upload", taskId: null, task: null, statements: null, refused: false };
    if (maxUploadBytes && file.size > maxUploadBytes) {
      Object.assign(item, { status: "error", refused: true, message: `Not sent: larger than the ${formatBytes(maxUploadBytes)} limit for one file.` });
    } else {
      sending.push(item);
    }
    added.push(item);
  }
  if (skipped) toast(`${plural(skipped, "file")} skipped: only PDF statements can be uploaded.`, "error");
  items.push(...added);
  if (sending.length) sendBatch(sending);
  redraw();
}

/** An upload that failed before any task ran: refused for good (4xx about the file), or
 * worth sending again (the connection, a busy server). */
function uploadFailed(item, error) {
  if (error.name === "AbortError") update(item, { status: "cancelled", message: "Upload cancelled" });
  else update(item, { status: "error", refused: PERMANENT.has(error.status), message: error.message });
}

/** Send new files as one batch, then follow each item's task. */
async function sendBatch(batchItems) {
  for (const item of batchItems) update(item, { status: "uploading", message: "Uploading…" });
  const upload = uploadFiles("/batches", batchItems.map((item) => item.file), "files", (share) => {
    for (const item of batchItems) update(item, { message: `Uploading… ${Math.round(share * 100)} %` });
  });
  for (const item of batchItems) item.abortUpload = upload.abort;
  try {
    const { batch_id: batchId } = await upload.promise;
    for (const item of batchItems) { item.abortUpload = null; item.batchId = batchId; }
    await syncBatch(batchId, batchItems);
  } catch (error) {
    for (const item of batchItems) {
      item.abortUpload = null;
      uploadFailed(item, error);
    }
  }
}

/** Read the batch's items (in upload order) and follow each one whose task is new. */
async function syncBatch(batchId, batchItems) {
  const batch = await api(`/batches/${encodeURIComponent(batchId)}`);
  batch.items.forEach((remote, index) => {
    const item = batchItems[index];
    if (!item) return;
    if (!remote.task_id) {  // refused at upload: not a PDF, empty, too large
      update(item, { status: "error", refused: true, message: remote.error_message || "This file was refused." });
    } else if (remote.task_id !== item.taskId) {
      if (item.stopWatch) item.stopWatch();
      update(item, { status: "PENDING", taskId: remote.task_id, task: null, percent: 0, statements: null, message: "Waiting for a worker" });
      follow(item);
    }
  });
}

function update(item, changes) {
  Object.assign(item, changes);
  if (item.draw) item.draw();
  if (redraw.overall) redraw.overall();
}

async function start(item) {
  update(item, { status: "uploading", percent: 0, message: "Uploading…", refused: false });
  const upload = uploadFile("/upload_pdf_async", item.file, (share) => {
    update(item, { message: `Uploading… ${Math.round(share * 100)} %` });
  });
  item.abortUpload = upload.abort;
  try {
    const answer = await upload.promise;
    item.abortUpload = null;
    update(item, { status: "PENDING", taskId: answer.task_id, task: null, message: "Waiting for a worker" });
    follow(item);
  } catch (error) {
    item.abortUpload = null;
    uploadFailed(item, error);
  }
}

function follow(item) {
  item.stopWatch = watchTask(item.taskId, async (task) => {
    const changes = { status: task.status, task, percent: task.progress_percent, message: task.progress_message || statusWords(task.status) };
    if (task.status === "SUCCESS") {
      changes.percent = 100;
      try {
        changes.statements = await statementsOf((await api(`/tasks/${task.task_id}/result`)).result);
        changes.message = "Done";
      } catch (error) {
        changes.message = `Done, but its result could not be read: ${error.message}`;
      }
    } else if (task.status === "FAILED") {
      changes.message = task.error_message || "The statement could not be read.";
    } else if (task.status === "REVOKED") {
      changes.message = "Cancelled";
    }
    update(item, changes);
  });
}

/** Every statement a parse imported, in document order: the task result describes the
 * first and lists them all in `statement_ids` (a PDF may print several); the others are
 * read from /statements/{id}. One that cannot be read now keeps its link. */
async function statementsOf(result) {
  const ids = result.statement_ids || [result.statement_id];
  const rest = await Promise.all(ids.slice(1).map((id) => api(`/statements/${id}`).catch(() => ({ id }))));
  return [{ ...result, id: result.statement_id }, ...rest];
}

function statusWords(status) {
  return { PENDING: "Waiting for a worker", STARTED: "Starting", RUNNING: "Working", RETRY: "Retrying shortly" }[status] || status;
}

async function cancel(item) {
  if (item.status === "queued") { update(item, { status: "cancelled", message: "Cancelled before upload" }); return; }
  if (item.abortUpload) { item.abortUpload(); return; }
  if (!item.taskId || isFinal(item.status)) return;
  update(item, { message: "Cancelling…" });
  try {
    await api(`/tasks/${item.taskId}`, { method: "DELETE" });
  } catch (error) {
    update(item, { message: error.message });
  }
}

/** Whether trying again can end differently: a task that ran, as its record says
 * (retryCanHelp); a cancelled upload; an upload the network or a busy server stopped. A
 * file refused for what it is (too large, not a PDF) would be refused again. */
function retryable(item) {
  if (item.task && isFinal(item.task.status)) return retryCanHelp(item.task);
  if (item.status === "cancelled") return true;
  return item.status === "error" && !item.refused;
}

async function retry(item) {
  if (item.taskId && (item.status === "FAILED" || item.status === "REVOKED")) {
    try {
      const answer = await api(`/tasks/${item.taskId}/retry`, { method: "POST" });
      update(item, { status: "PENDING", taskId: answer.task_id, task: null, percent: 0, statements: null, message: "Waiting for a worker" });
      follow(item);
    } catch (error) {
      update(item, { message: error.message });
    }
    return;
  }
  start(item);  // never reached the server: send it again on its own
}

/** "Retry failed": what can end differently runs again. A batch's FAILED items that can
 * run again as a batch (POST /batches/{id}/retry_failed, which retries only those);
 * cancelled ones and files that never reached the server each go again on their own. */
async function retryFailed() {
  const byBatch = new Map();
  for (const item of items.filter((one) => one.batchId && one.status === "FAILED" && retryable(one))) {
    if (!byBatch.has(item.batchId)) byBatch.set(item.batchId, []);
    byBatch.get(item.batchId).push(item);
  }
  for (const item of items.filter(retryable)) {
    if (!(item.batchId && item.status === "FAILED")) retry(item);
  }
  for (const [batchId] of byBatch) {
    try {
      await api(`/batches/${encodeURIComponent(batchId)}/retry_failed`, { method: "POST" });
      await syncBatch(batchId, items.filter((item) => item.batchId === batchId));
    } catch (error) {
      toast(error.message, "error");
    }
  }
}

/** "Cancel all": each unfinished batch is cancelled (DELETE /batches/{id}). */
async function cancelAll() {
  const open = items.filter((item) => !finished(item));
  const batchesOpen = new Set(open.filter((item) => item.batchId && item.taskId).map((item) => item.batchId));
  for (const item of open) {
    if (!item.batchId || !item.taskId) cancel(item);
    else update(item, { message: "Cancelling…" });
  }
  for (const batchId of batchesOpen) {
    try {
      await api(`/batches/${encodeURIComponent(batchId)}`, { method: "DELETE" });
    } catch (error) {
      toast(error.message, "error");
    }
  }
}

function stateOf(item) {
  if (item.status === "SUCCESS") return "done";
  if (item.status === "FAILED" || item.status === "error") return "failed";
  if (item.status === "REVOKED" || item.status === "cancelled") return "cancelled";
  return "";
}

function finished(item) {
  return stateOf(item) !== "";
}

/** What a file gave: each statement it prints, with its warnings and a link to its
 * transactions. */
function resultView(statements) {
  const many = statements.length > 1;
  return h("div.results", {},
    many ? h("p.small", {}, h("b", {}, `${plural(statements.length, "statement")} in this file`)) : null,
    statements.map((statement, index) => statementResult(statement, many ? `statement ${index + 1} of ${statements.length}` : "this statement")));
}

function statementResult(statement, which) {
  const link = h("a", { href: `#/transactions?statement=${statement.id}`, "aria-label": `View transactions of ${which}` }, "View transactions →");
  if (statement.transaction_count === undefined) {  // not readable just now
    return h("div.result", { "data-testid": "upload-statement" }, h("span", {}, `Imported as ${which}`), link);
  }
  return h("div.result", { "data-testid": "upload-statement" },
    h("span", {}, h("b", {}, bankName(statement)), " · ", accountText(statement.account_last4)),
    h("span", {}, formatPeriod(statement.period_start, statement.period_end)),
    h("span", {}, plural(statement.transaction_count, "transaction")),
    balanceBadge(statement.balance_check, statement.balance_mismatch_rows),
    link,
    statementWarnings(statement.warnings));
}

function fileRow(item) {
  const bar = progressBar(`Progress of ${item.file.name}`, { "data-testid": "upload-progress" });
  const message = h("div.file-msg", { "aria-live": "polite" });
  // The buttons are made once and shown or hidden: redrawn at every progress event, they
  // would be new elements under the pointer, and a click or the keyboard focus on the old
  // one would be lost.
  const cancelButton = h("button.btn.btn-secondary.btn-small", { type: "button", onclick: () => cancel(item), "aria-label": `Cancel ${item.file.name}` }, "Cancel");
  const retryButton = h("button.btn.btn-secondary.btn-small", { type: "button", onclick: () => retry(item), "aria-label": `Retry ${item.file.name}` }, "Retry");
  const actions = h("div.file-actions", {}, cancelButton, retryButton);
  const resultBox = h("div");
  const row = h("li.file", { "data-testid": "upload-item" },
    h("div", {}, h("div.file-name", {}, item.file.name), h("div.muted.small", {}, formatBytes(item.file.size))),
    actions, bar.el, message, resultBox);
  item.draw = () => {
    bar.set(item.percent, stateOf(item));
    row.className = `file ${stateOf(item)}`;
    message.textContent = item.message;
    cancelButton.hidden = finished(item);
    retryButton.hidden = !retryable(item);
    if (resultBox.shown !== item.statements) {  // (the same reason)
      resultBox.shown = item.statements;
      fill(resultBox, item.statements ? resultView(item.statements) : null);
    }
  };
  item.draw();
  return row;
}

export function uploadPage(context) {
  maxUploadBytes = (context.user && context.user.max_upload_bytes) || null;
  const input = h("input", {
    type: "file", id: "upload-input", multiple: true, accept: "application/pdf,.pdf", "data-testid": "upload-input",
    "aria-describedby": "upload-help",
  });
  input.addEventListener("change", () => { addFiles([...input.files]); input.value = ""; });
  const zone = h("label.dropzone", { for: "upload-input" },
    icon(),
    h("span.big", {}, "Drop bank statements here"),
    h("span.muted", { id: "upload-help" }, "or press to choose PDF files", maxUploadBytes ? ` · up to ${formatBytes(maxUploadBytes)} each` : "", " · as many as you like"),
    input);
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    addFiles([...event.dataTransfer.files]);
  });

  const overallBar = progressBar("All uploads", { "data-testid": "upload-overall" });
  const overallText = h("div.muted.small");
  const cancelAllButton = h("button.btn.btn-secondary.btn-small", { type: "button", onclick: cancelAll }, "Cancel all");
  const retryFailedButton = h("button.btn.btn-secondary.btn-small", { type: "button", "data-testid": "retry-failed", onclick: retryFailed }, "Retry failed");
  const clearDone = h("button.btn.btn-ghost.btn-small", { type: "button", onclick: () => { remove(items.filter(finished)); redraw(); } }, "Clear finished");
  const list = h("ul.files", { "aria-label": "Uploaded files" });
  const batch = h("section.card", { "aria-label": "Uploads" },
    h("div.overall", {}, h("div", { style: "flex:1;min-width:200px" }, h("h2", {}, "Your uploads"), overallText), h("div.row", {}, retryFailedButton, cancelAllButton, clearDone)),
    h("div", { style: "margin:.75rem 0 .25rem" }, overallBar.el),
    list);

  redraw = () => {
    batch.hidden = items.length === 0;
    fill(list, items.map(fileRow));
    redraw.overall();
  };
  redraw.overall = () => {
    if (!items.length) return;
    const done = items.filter(finished).length;
    const failed = items.filter((item) => stateOf(item) === "failed").length;
    const percent = items.reduce((sum, item) => sum + (finished(item) ? 100 : item.percent), 0) / items.length;
    overallBar.set(percent, done === items.length ? (failed ? "partial" : "done") : "");
    overallText.textContent = `${done} of ${plural(items.length, "file")} finished${failed ? ` · ${failed} failed` : ""}`;
    retryFailedButton.disabled = !items.some(retryable);
    cancelAllButton.disabled = done === items.length;
  };
  redraw();

  return h("div", {},
    pageHead("Upload statements", "Bank and card statements as PDF. We read every page, find the transactions and check the balances."),
    zone, h("div", { style: "height:1.25rem" }), batch);
}

function remove(gone) {
  for (const item of gone) items.splice(items.indexOf(item), 1);
}

function icon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "40");
  svg.setAttribute("height", "40");
  svg.setAttribute("aria-hidden", "true");
  svg.innerHTML = '<path fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" d="M12 16V4m0 0l-4 4m4-4l4 4M4 16v2a2 2 0 002 2h12a2 2 0 002-2v-2"/>';
  return svg;
}
