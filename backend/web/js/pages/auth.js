// Sign in and sign up. The session lives in an HttpOnly cookie set by POST /auth/session.

import { api, ApiError } from "../api.js";
import { field, fill, formValues, h } from "../ui.js";

function brand() {
  return h("div.brand", {}, h("img", { src: "/web/img/logo.svg", alt: "", width: 36, height: 36 }), h("span", {}, "Ledgerflow"));
}

/** Sign in, then read who we are as a reload would (/auth/me: the user and their upload
 * limit), so the app knows one shape of the user whichever way it started. */
async function signIn(email, password) {
  await api("/auth/session", { method: "POST", form: { username: email, password } });
  return api("/auth/me");
}

function authForm({ title, lead, submitLabel, passwordHint, autocomplete, onSubmit, switchText, switchLink, switchLabel }) {
  const error = h("div.form-error", { role: "alert" });
  const submit = h("button.btn.btn-block", { type: "submit", "data-testid": "login-submit" }, submitLabel);
  const email = h("input", {
    type: "email", name: "email", required: true, autocomplete: "email", "data-testid": "login-email", autofocus: true,
    placeholder: "you@example.com",
  });
  const password = h("input", {
    type: "password", name: "password", required: true, minLength: 8, autocomplete, "data-testid": "login-password",
  });
  const form = h("form", { novalidate: false },
    error,
    field("Email", email),
    field("Password", password, passwordHint),
    submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    submit.disabled = true;
    submit.textContent = "Please wait…";
    try {
      await onSubmit(formValues(form));
    } catch (err) {
      fill(error, err instanceof ApiError ? err.message : String(err));
      submit.disabled = false;
      submit.textContent = submitLabel;
    }
  });
  return h("section.auth", {},
    brand(),
    h("div.card", {},
      h("h1", {}, title),
      h("p.lead", {}, lead),
      form),
    h("p.switch", {}, switchText, " ", h("a", { href: switchLink }, switchLabel)));
}

export function loginPage(context) {
  return authForm({
    title: "Welcome back",
    lead: "Sign in to see your statements and transactions.",
    submitLabel: "Sign in",
    autocomplete: "current-password",
    switchText: "New to Ledgerflow?",
    switchLink: "#/signup",
    switchLabel: "Create an account",
    async onSubmit({ email, password }) {
      context.signedIn(await signIn(email, password));
    },
  });
}

export function signupPage(context) {
  return authForm({
    title: "Create your account",
    lead: "Turn bank-statement PDFs into transactions you can search, categorize and report on.",
    submitLabel: "Create account",
    passwordHint: "At least 8 characters.",
    autocomplete: "new-password",
    switchText: "Already have an account?",
    switchLink: "#/login",
    switchLabel: "Sign in",
    async onSubmit({ email, password }) {
      await api("/auth/register", { method: "POST", json: { email, password } });
      context.signedIn(await signIn(email, password));
    },
  });
}
