// The JSON API, as the web app calls it: the session cookie authenticates, and every
// request that changes state echoes the CSRF cookie in X-CSRF-Token.

const CSRF_COOKIE = "lf_csrf";
const CSRF_HEADER = "X-CSRF-Token";
const FINAL = new Set(["SUCCESS", "FAILED", "REVOKED"]);

export class ApiError extends Error {
  /** `body` is the server's error answer: `{detail, code}`, and for a 422 `errors`. */
  constructor(status, body) {
    const messages = describe(body, status);
    super(messages.join("\n"));
    this.status = status;
    this.detail = body && body.detail;
    this.messages = messages;
  }
}

/** A field's name as words: "amount_min" → "Amount min". */
function fieldWords(name) {
  const words = String(name).replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Pydantic's "Value error, must be …" without the prefix, as a sentence. */
function sentence(message) {
  const text = String(message || "is not valid").replace(/^Value error, /, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What went wrong, as lines a person can read: a 422's `errors` one per line, as
 * "Field: message" (the field is the last name in `loc`: "body", "query" and a union's
 * tag are not the user's words); any other error's `detail` sentence as it is. */
export function describe(body, status) {
  const errors = body && Array.isArray(body.errors) ? body.errors : [];
  if (errors.length) {
    return errors.map((error) => {
      const names = (error.loc || []).filter((part) => typeof part === "string" && !["body", "query", "path"].includes(part));
      const message = sentence(error.msg);
      return names.length ? `${fieldWords(names[names.length - 1])}: ${message}` : message;
    });
  }
  const detail = body && body.detail;
  if (typeof detail === "string" && detail) return [detail];
  if (status === 0) return ["Could not reach the server. Check your connection and try again."];
  return [`The server answered ${status}.`];
}

function csrfToken() {
  const found = document.cookie.split("; ").find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return found ? decodeURIComponent(found.slice(CSRF_COOKIE.length + 1)) : "";
}

/** Whether the browser holds a session: the CSRF cookie is set and expired with the
 * session cookie (which page scripts cannot read). Without it, asking /auth/me is sure to
 * answer 401, which the browser logs as an error: the app does not ask. */
export function hasSession() {
  return csrfToken() !== "";
}

/** Called when the session is gone (401): the app shows the sign-in page. */
let onSignedOut = () => {};
export function whenSignedOut(callback) { onSignedOut = callback; }

/** fetch() a JSON endpoint; resolves to the parsed body, rejects with an ApiError. */
export async function api(path, { method = "GET", json, form, signal } = {}) {
  const headers = { Accept: "application/json" };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form instanceof FormData ? form : new URLSearchParams(form);
  }
  if (method !== "GET" && method !== "HEAD") headers[CSRF_HEADER] = csrfToken();
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal, credentials: "same-origin" });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, null);
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith("/auth/")) onSignedOut(true);
    throw new ApiError(response.status, data);
  }
  return data;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "" && value !== false) search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/**
 * Upload one file (multipart field `file`) with XMLHttpRequest, whose upload events give
 * a byte count. Returns { promise, abort }; the promise resolves to the JSON answer.
 */
export function uploadFile(path, file, onProgress) {
  return uploadFiles(path, [file], "file", onProgress);
}

/** Several files in one multipart request, each in a repeated `field`. */
export function uploadFiles(path, files, field, onProgress) {
  const xhr = new XMLHttpRequest();
  const promise = new Promise((resolve, reject) => {
    xhr.open("POST", path);
    xhr.setRequestHeader(CSRF_HEADER, csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else {
        if (xhr.status === 401) onSignedOut(true);
        reject(new ApiError(xhr.status, data));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    const body = new FormData();
    for (const file of files) body.append(field, file, file.name);
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}

// A browser opens at most 6 HTTP/1.1 connections to one host, and an event stream holds
// one for as long as its task runs: one stream per file of a 40-file upload took them all,
// and every other request of the app (a page's data, a cancel) waited behind them. So at
// most MAX_STREAMS tasks are streamed at once; the others are polled, each poll a short
// request that gives its connection back, and take a stream when one is free.
export const MAX_STREAMS = 2;
const POLL_MS = 1000;
let streamsOpen = 0;
const waitingForStream = [];

function freeStream() {
  streamsOpen -= 1;
  while (waitingForStream.length && streamsOpen < MAX_STREAMS) {
    const next = waitingForStream.shift();
    if (next()) break;  // a watcher closed meanwhile declines, and the next one is asked
  }
}

/** How many event streams the app holds open now (never more than MAX_STREAMS). */
export function openStreams() {
  return streamsOpen;
}

/**
 * Follow a task until it is final: `onStatus(task)` runs for every change (the task's
 * /status record); returns a function that stops watching. Its status is pushed by the
 * server (server-sent events on /tasks/{id}/events, authenticated by the cookie) while
 * fewer than MAX_STREAMS streams are open, else read every second until one is free. If a
 * stream breaks, the browser reconnects by itself; a final state closes it.
 * With `onlyStream`, a task that would be polled is not watched at all (null is returned):
 * for a caller that follows it some other way (a batch's poll) and takes a stream only
 * when one is free, for livelier progress.
 */
export function watchTask(taskId, onStatus, { onlyStream = false } = {}) {
  if (onlyStream && streamsOpen >= MAX_STREAMS) return null;
  const path = `/tasks/${encodeURIComponent(taskId)}`;
  let closed = false;
  let source = null;
  let timer = null;
  let waiting = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    if (source) { source.close(); source = null; freeStream(); }
  };
  const report = (task) => {
    if (closed) return;
    if (FINAL.has(task.status)) close();
    onStatus(task);
  };
  // Whether we may go on after a failed read: not once signed out or the task is gone.
  const gone = (error) => error instanceof ApiError && (error.status === 401 || error.status === 404);

  async function poll() {
    timer = null;
    if (closed || source) return;
    try {
      report(await api(`${path}/status`));
    } catch (error) {
      if (gone(error)) { close(); return; }
    }
    if (!closed && !source) timer = setTimeout(poll, POLL_MS);
  }

  function stream() {
    waiting = false;
    if (closed) return false;
    streamsOpen += 1;
    clearTimeout(timer);
    timer = null;
    source = new EventSource(`${path}/events`);
    source.addEventListener("status", (event) => report(JSON.parse(event.data)));
    source.addEventListener("expired", () => { close(); onSignedOut(true); });
    source.onerror = async () => {
      if (closed) return;
      // The stream ended or broke: one look at the status says whether it is over, and
      // whether we are still signed in (EventSource itself cannot tell a 401 apart).
      try {
        const task = await api(`${path}/status`);
        if (FINAL.has(task.status)) report(task);
      } catch (error) {
        if (gone(error)) close();
      }
    };
    return true;
  }

  if (streamsOpen < MAX_STREAMS) stream();
  else {
    waiting = true;
    waitingForStream.push(stream);
    poll();
  }
  return () => {
    if (waiting) waitingForStream.splice(waitingForStream.indexOf(stream), 1);
    waiting = false;
    close();
  };
}

/**
 * Follow a batch's items (GET /batches/{id}: each item's task, state and progress) with
 * one request a second, whatever the number of files, until every item is final:
 * `onBatch(batch)` runs for each answer. A failed read (the server restarting) is tried
 * again, less often; signed out or the batch gone, it stops. Returns a function that stops.
 */
export function watchBatch(batchId, onBatch) {
  let stopped = false;
  let timer = null;
  let failures = 0;
  async function poll() {
    timer = null;
    if (stopped) return;
    try {
      const batch = await api(`/batches/${encodeURIComponent(batchId)}`);
      failures = 0;
      if (stopped) return;
      if (batch.items.every((item) => FINAL.has(item.status))) stopped = true;
      onBatch(batch);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) stopped = true;
      failures += 1;
    }
    if (!stopped) timer = setTimeout(poll, backoff(failures, POLL_MS));
  }
  poll();
  return () => { stopped = true; clearTimeout(timer); };
}

/** The wait before the next try after `failures` failed ones in a row: `first`, doubled
 * each time, at most 30 s. */
export function backoff(failures, first = 1000) {
  return Math.min(first * 2 ** Math.max(0, failures - 1), 30_000);
}

export const isFinal = (status) => FINAL.has(status);

/**
 * Whether running a finished task again can end differently, as the server says
 * (`retryable`): a cancelled task, or one that FAILED for a reason outside its input (a
 * service away through every retry, storage that lost the file, a bug). A failure of the
 * input itself (not a statement, password protected, no table, a time limit the same file
 * meets again) would end the same way.
 */
export function retryCanHelp(task) {
  return Boolean(task.retryable);
}
