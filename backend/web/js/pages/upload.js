// Upload: drop or pick statements; they go up in batches (POST /batches, as many files
// each as the API takes), and each file gets a live bar fed by one poll of its batch (a
// stream per file would take every connection the browser has for the API), then its
// result or its error in plain words. Uploads go on while other pages are open.

import { ApiError, api, backoff, isFinal, retryCanHelp, uploadFile, uploadFiles, watchBatch, watchTask } from "../api.js";
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
// The most files one POST /batches takes (GET /auth/me's max_batch_files): a larger
// selection goes up as several batches, one after another.
let maxBatchFiles = null;
// The most tasks a user may have waiting or running (max_active_tasks): a batch is sent
// once the page's own unfinished files leave room for it, or it would be refused (429).
let maxActiveTasks = null;
// Batches waiting for the one before them to be sent.
const toSend = [];
let sending = false;

function isPdf(file) {
  return file.type === "application/pdf" || /\.pdf$/i.test(file.name);
}

function addFiles(files) {
  let skipped = 0;
  const added = [];
  const accepted = [];
  for (const file of files) {
    if (!isPdf(file)) { skipped += 1; continue; }
    const item = { id: nextId++, file, status: "queued", percent: 0, message: "Waiting to upload", taskId: null, task: null, statements: null, refused: false };
    if (maxUploadBytes && file.size > maxUploadBytes) {
      Object.assign(item, { status: "error", refused: true, message: `Not sent: larger than the ${formatBytes(maxUploadBytes)} limit for one file.` });
    } else {
      accepted.push(item);
    }
    added.push(item);
  }
  if (skipped) toast(`${plural(skipped, "file")} skipped: only PDF statements can be uploaded.`, "error");
  items.push(...added);
  const size = Math.min(maxBatchFiles || accepted.length, maxActiveTasks || accepted.length);
  for (let first = 0; first < accepted.length; first += size) toSend.push(accepted.slice(first, first + size));
  sendBatches();
  redraw();
}

/** Send the waiting batches one after another: each upload holds a connection, and the
 * next one's files would only wait behind it. */
async function sendBatches() {
  if (sending) return;
  sending = true;
  try {
    while (toSend.length) {
      const next = toSend[0].filter((item) => item.status === "queued");  // not cancelled meanwhile
      if (next.length && maxActiveTasks && running() + next.length > maxActiveTasks) {
        for (const item of next) update(item, { message: "Waiting: it goes up once earlier files have been read" });
        await sleep(1000);
        continue;
      }
      toSend.shift();
      if (next.length) await sendBatch(next);
    }
  } finally {
    sending = false;
  }
}

/** An upload that failed before any task ran: refused for good (4xx about the file), or
 * worth sending again (the connection, a busy server). */
function uploadFailed(item, error) {
  if (error.name === "AbortError") update(item, { status: "cancelled", message: "Upload cancelled" });
  else update(item, { status: "error", refused: PERMANENT.has(error.status), message: error.message });
}

/** How many of the page's files have a task not yet final. */
function running() {
  return items.filter((item) => item.taskId && !finished(item)).length;
}

/** Send new files as one batch, then follow each item's task. Refused because the user
 * has too many tasks under way already (429: other uploads, elsewhere), it is sent again
 * later, less and less often. */
async function sendBatch(batchItems) {
  for (const item of batchItems) update(item, { status: "uploading", message: "Uploading…" });
  const upload = uploadFiles("/batches", batchItems.map((item) => item.file), "files", (share) => {
    for (const item of batchItems) update(item, { message: `Uploading… ${Math.round(share * 100)} %` });
  });
  for (const item of batchItems) item.abortUpload = upload.abort;
  try {
    const { batch_id: batchId } = await upload.promise;
    for (const item of batchItems) { item.abortUpload = null; item.batchId = batchId; }
    followBatch(batchId, batchItems);
  } catch (error) {
    for (const item of batchItems) item.abortUpload = null;
    if (error.status === 429) {
      const again = batchItems.filter((item) => item.status === "uploading");
      for (const item of again) update(item, { status: "queued", message: "Waiting: it goes up once earlier files have been read" });
      busyFailures += 1;
      await sleep(backoff(busyFailures, 5000));
      if (again.length) toSend.unshift(again);
      return;
    }
    for (const item of batchItems) uploadFailed(item, error);
  }
  busyFailures = 0;
}

// 429s in a row: the wait before sending again grows with them.
let busyFailures = 0;

/** Follow a batch's items (in upload order) with one poll of the batch until each is
 * final (api.watchBatch): its state and progress on every file's row; a final one's
 * record and result are read once. While one of the app's few event streams is free, a
 * running item takes it too, for progress as it happens. An item retried on its own
 * (POST /tasks/{id}/retry) runs a task outside the batch: its row follows that task. */
function followBatch(batchId, batchItems) {
  const watching = batchWatches.get(batchId);
  if (watching) watching();
  batchWatches.set(batchId, watchBatch(batchId, (batch) => {
    batch.items.forEach((remote, index) => {
      const item = batchItems[index];
      if (!item) return;
      if (!remote.task_id) {  // refused at upload: not a PDF, empty, too large
        update(item, { status: "error", refused: true, message: remote.error_message || "This file was refused." });
        return;
      }
      if (remote.task_id !== item.taskId) {
        if (item.ownTask) return;  // retried on its own: this is its old task
        if (item.stopWatch) item.stopWatch();
        item.stopWatch = null;
        update(item, { status: "PENDING", taskId: remote.task_id, task: null, percent: 0, statements: null, message: "Waiting for a worker" });
      }
      if (item.shownFinal === item.taskId) return;  // its end is shown (or being read)
      if (isFinal(remote.status)) {
        if (item.stopWatch) item.stopWatch();
        item.stopWatch = null;
        item.shownFinal = item.taskId;
        finish(item);
        return;
      }
      if (!item.stopWatch) streamItem(item);
      // A streamed row takes the poll's word only when it is ahead (the stream stalled).
      if (!item.stopWatch || remote.progress_percent > item.percent) {
        update(item, {
          status: remote.status, percent: Math.max(item.percent, remote.progress_percent),
          message: remote.progress_message || statusWords(remote.status),
        });
      }
    });
  }));
}

/** A batch item's task on one of the app's event streams, if one is free (it gives the
 * stream back when it ends, and the batch's poll takes the row again). */
function streamItem(item) {
  const taskId = item.taskId;
  item.stopWatch = watchTask(taskId, (task) => {
    if (item.taskId !== taskId || item.shownFinal === taskId) return;
    if (isFinal(task.status)) { item.stopWatch = null; item.shownFinal = taskId; }
    show(item, task);
  }, { onlyStream: true });
}

// Each followed batch's stop function, by batch id.
const batchWatches = new Map();

/** A batch item that ended: its task's record (whether another run can help) and then
 * its result or its error, as a task followed on its own shows them. */
async function finish(item) {
  const taskId = item.taskId;
  for (let failures = 1; ; failures += 1) {
    try {
      const task = await api(`/tasks/${encodeURIComponent(taskId)}/status`);
      if (item.taskId === taskId) show(item, task);
      return;
    } catch (error) {
      if (item.taskId !== taskId) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
        // Its record was deleted: the batch's word is all there is.
        update(item, { status: "FAILED", task: null, message: error.message });
        return;
      }
      await sleep(backoff(failures));
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
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

/** Follow a task on its own (a single upload, or a retry): api.watchTask. */
function follow(item) {
  item.stopWatch = watchTask(item.taskId, (task) => show(item, task));
}

/** A task's state on its row; a final one with its result or its error. */
function show(item, task) {
  const changes = { status: task.status, task, percent: Math.max(item.percent, task.progress_percent), message: task.progress_message || statusWords(task.status) };
  if (task.status === "SUCCESS") {
    changes.percent = 100;
    changes.message = "Done, reading its result…";
  } else if (task.status === "FAILED") {
    changes.message = task.error_message || "The statement could not be read.";
  } else if (task.status === "REVOKED") {
    changes.message = "Cancelled";
  }
  update(item, changes);
  if (task.status === "SUCCESS") readResult(item);
}

/** Read a finished task's result, and try again until it can be read (the server
 * restarting, the network away): less and less often, and at once when the user presses
 * Retry. Only a task that is gone (404) or a session that ended stops it. */
async function readResult(item) {
  const taskId = item.taskId;
  for (let failures = 1; item.taskId === taskId; failures += 1) {
    try {
      const statements = await statementsOf((await api(`/tasks/${encodeURIComponent(taskId)}/result`)).result);
      if (item.taskId !== taskId) return;
      item.readAgain = null;
      update(item, { statements, message: doneWords(statements) });
      return;
    } catch (error) {
      if (item.taskId !== taskId) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
        item.readAgain = null;
        update(item, { message: `Done, but its result could not be read: ${error.message}` });
        return;
      }
      const wait = backoff(failures, 2000);
      // Retry (or the wait) ends the pause; whichever comes first.
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, wait);
        item.readAgain = () => { clearTimeout(timer); resolve(); };
        update(item, { message: `Done, but its result could not be read yet: ${error.message} Trying again in ${Math.round(wait / 1000)} s.` });
      });
      item.readAgain = null;
      update(item, { message: "Done, reading its result…" });
    }
  }
}

/** "Done", and whether the file added nothing: every statement it prints was imported
 * before (the same file, or the same statement downloaded again). */
function doneWords(statements) {
  const known = statements.filter((statement) => statement.alreadyImported).length;
  if (!known) return "Done";
  if (known === statements.length) return "Done · already imported, nothing added";
  return `Done · ${known} of ${statements.length} statements already imported, nothing added for them`;
}

/** Every statement a parse imported, in document order: the task result describes the
 * first and lists them all in `statement_ids` (a PDF may print several); the others are
 * read from /statements/{id}. One that cannot be read now keeps its link. Those in
 * `already_imported` were there before: nothing was added for them. */
async function statementsOf(result) {
  const ids = result.statement_ids || [result.statement_id];
  const known = new Set(result.already_imported || []);
  const rest = await Promise.all(ids.slice(1).map((id) => api(`/statements/${id}`).catch(() => ({ id }))));
  return [{ ...result, id: result.statement_id }, ...rest].map((statement) => ({ ...statement, alreadyImported: known.has(statement.id) }));
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
  if (item.readAgain) return true;  // done, its result not read yet: read it now
  if (item.task && isFinal(item.task.status)) return retryCanHelp(item.task);
  if (item.status === "cancelled") return true;
  return item.status === "error" && !item.refused;
}

async function retry(item) {
  if (item.readAgain) { item.readAgain(); return; }
  if (item.taskId && (item.status === "FAILED" || item.status === "REVOKED")) {
    try {
      const answer = await api(`/tasks/${item.taskId}/retry`, { method: "POST" });
      // A task of its own now, outside its batch: its row follows that task.
      item.ownTask = true;
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
  const inBatch = (item) => item.batchId && !item.ownTask && item.status === "FAILED";
  for (const item of items.filter((one) => inBatch(one) && retryable(one))) {
    if (!byBatch.has(item.batchId)) byBatch.set(item.batchId, []);
    byBatch.get(item.batchId).push(item);
  }
  for (const item of items.filter(retryable)) {
    if (!inBatch(item)) retry(item);
  }
  for (const [batchId] of byBatch) {
    try {
      await api(`/batches/${encodeURIComponent(batchId)}/retry_failed`, { method: "POST" });
      followBatch(batchId, items.filter((item) => item.batchId === batchId));
    } catch (error) {
      toast(error.message, "error");
    }
  }
}

/** "Cancel all": every unfinished file. Those waiting to be sent are not sent, uploads
 * under way stop, each unfinished batch is cancelled (DELETE /batches/{id}) and so is each
 * task running on its own (DELETE /tasks/{id}); the rows follow their tasks to REVOKED. */
async function cancelAll() {
  const open = items.filter((item) => !finished(item));
  const inBatch = (item) => item.batchId && item.taskId && !item.ownTask;
  const batchesOpen = new Set(open.filter(inBatch).map((item) => item.batchId));
  for (const item of open) {
    if (!inBatch(item)) cancel(item);
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
    return h("div.result", { "data-testid": "upload-statement" },
      h("span", {}, statement.alreadyImported ? `Already imported as ${which}, nothing added` : `Imported as ${which}`), link);
  }
  return h("div.result", { "data-testid": "upload-statement" },
    statement.alreadyImported ? h("span", { "data-testid": "already-imported" }, h("b", {}, "Already imported, nothing added")) : null,
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
  maxBatchFiles = (context.user && context.user.max_batch_files) || null;
  maxActiveTasks = (context.user && context.user.max_active_tasks) || null;
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
