// The sign-in page of both browser clients: login and password bound to their labels, the
// server's message on failure (focus back on the password), no double submit.
import { h, type Attrs } from "./dom";
import { errorText } from "./errors";
import { notice } from "./widgets";
import { mount } from "./dom";

export interface SignInOptions {
  title: string;
  subtitle: string;
  /** Shown above the form (e.g. «Вы вышли из системы.»). */
  message?: string;
  /** Above the heading (the app's logo). */
  logo?: Node;
  formClass: string;
  buttonClass: string;
  /** Extra attributes of the login input (phone keyboards). */
  loginAttrs?: Attrs;
  /** A reason not to try now (e.g. offline), shown as a warning; null to go on. */
  refuse?: () => string | null;
  /** Signs in and shows what comes next; a failure is shown under the fields. */
  submit: (login: string, password: string) => Promise<void>;
}

/** The page (a <main>) and its login input, for focusing. */
export function signInPage(o: SignInOptions): { page: HTMLElement; login: HTMLInputElement } {
  const login = h("input", { type: "email", name: "login", autocomplete: "username", required: true, id: "login", ...o.loginAttrs });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, id: "password" });
  const status = h("div", { "aria-live": "assertive" });
  if (o.message) mount(status, notice("info", o.message));
  const button = h("button", { type: "submit", class: o.buttonClass }, "Войти");
  const form = h(
    "form",
    {
      class: o.formClass,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const refused = o.refuse?.();
        if (refused) {
          mount(status, notice("warn", refused));
          return;
        }
        button.disabled = true;
        mount(status, h("p", { class: "loading", role: "status" }, "Вход…"));
        try {
          await o.submit(login.value.trim(), password.value);
        } catch (e) {
          mount(status, notice("error", errorText(e)));
          password.focus();
        } finally {
          button.disabled = false;
        }
      },
    },
    o.logo,
    h("h1", {}, o.title),
    h("p", { class: "subtitle" }, o.subtitle),
    h("div", { class: "field" }, h("label", { for: "login" }, "Логин (e-mail)"), login),
    h("div", { class: "field" }, h("label", { for: "password" }, "Пароль"), password),
    status,
    button,
  );
  return { page: h("main", { class: "signin-page" }, form), login };
}
