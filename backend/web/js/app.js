// The web app's shell: who is signed in, the hash router, the navigation.

import { api, hasSession, whenSignedOut } from "./api.js";
import { clearOldToasts, fill, h, toast } from "./ui.js";
import { loginPage, signupPage } from "./pages/auth.js";
import { uploadPage } from "./pages/upload.js";
import { statementsPage } from "./pages/statements.js";
import { transactionsPage } from "./pages/transactions.js";
import { rulesPage } from "./pages/rules.js";
import { reportsPage } from "./pages/reports.js";
import { schedulesPage } from "./pages/schedules.js";
import { webhooksPage } from "./pages/webhooks.js";
import { adminPage } from "./pages/admin.js";

const PAGES = {
  upload: { title: "Upload", render: uploadPage },
  statements: { title: "Statements", render: statementsPage },
  transactions: { title: "Transactions", render: transactionsPage },
  rules: { title: "Rules", render: rulesPage },
  reports: { title: "Reports", render: reportsPage },
  schedules: { title: "Schedules", render: schedulesPage },
  webhooks: { title: "Webhooks", render: webhooksPage },
  admin: { title: "Admin", render: adminPage },
};
const PUBLIC = {
  login: { title: "Sign in", render: loginPage },
  signup: { title: "Create account", render: signupPage },
};

const state = { user: null, leave: null };
const main = document.getElementById("main");

/** "#/transactions?statement=3" → { name: "transactions", params: URLSearchParams } */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [name, search = ""] = raw.split("?");
  return { name: name || "", params: new URLSearchParams(search) };
}

export function go(name, params) {
  const search = params ? `?${new URLSearchParams(params)}` : "";
  const target = `#/${name}${search}`;
  if (location.hash === target) render();
  else location.hash = target;
}

async function render() {
  const { name, params } = parseHash();
  if (state.leave) { state.leave(); state.leave = null; }
  const signedIn = Boolean(state.user);
  const page = signedIn ? PAGES[name] : PUBLIC[name];
  if (!page) { go(signedIn ? "upload" : "login"); return; }
  document.getElementById("topbar").hidden = !signedIn;
  document.title = `${page.title} · Ledgerflow`;
  for (const link of document.querySelectorAll(".mainnav a")) {
    if (link.dataset.route === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  fill(main, h("p.loading", {}, "Loading…"));
  clearOldToasts();
  const context = {
    params, user: state.user, go,
    onLeave(callback) { state.leave = callback; },
    signedIn(user) { setUser(user); go("upload"); },
  };
  try {
    const view = await page.render(context);
    if (view) fill(main, view);
  } catch (error) {
    fill(main, h("div.card", {}, h("h2", {}, "Something went wrong"), h("p", {}, error.message)));
  }
  if (document.activeElement === document.body || !main.contains(document.activeElement)) {
    const first = main.querySelector("[autofocus]");
    const heading = main.querySelector("h1");
    if (first) first.focus();
    else if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
}

function setUser(user) {
  state.user = user;
  document.getElementById("who").textContent = user ? user.email : "";
  document.getElementById("admin-link").hidden = !(user && user.is_admin);
}

whenSignedOut((expired) => {
  if (!state.user) return;
  setUser(null);
  if (expired) toast("Your session ended. Please sign in again.");
  go("login");
});

document.getElementById("sign-out").addEventListener("click", async () => {
  try { await api("/auth/session", { method: "DELETE" }); } catch { /* signed out either way */ }
  setUser(null);
  go("login");
});

window.addEventListener("hashchange", render);

(async function start() {
  try {
    setUser(hasSession() ? await api("/auth/me") : null);
  } catch {
    setUser(null);
  }
  render();
})();
