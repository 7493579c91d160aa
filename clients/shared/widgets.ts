// Small widgets both browser clients build their screens from: notices, the failure notice of a
// call, the loading line, labelled fields and selects. Styled by each client's style.css
// (.notice-*, .loading/.spinner, .field/.hint, .skip, header.top).
import { h, mount, type Child } from "./dom";
import { errorText, isNetworkError, isUnimplemented } from "./errors";

export type NoticeKind = "error" | "info" | "success" | "warn";

/** A notice box; errors are announced at once (role=alert), the rest politely (role=status). */
export function notice(kind: NoticeKind, text: string | Node, extra?: Node | null): HTMLElement {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, h("p", {}, text), extra);
}

/**
 * The notice of a failed call: a network failure is a warning (nothing was wrong with the
 * request), UNIMPLEMENTED gets the "not yet available" wording; `retry` adds «Повторить».
 */
export function errorNotice(e: unknown, retry?: () => void): HTMLElement {
  if (isUnimplemented(e)) {
    return h(
      "div",
      { class: "notice notice-warn unimplemented", role: "status" },
      h("p", {}, h("strong", {}, "Раздел ещё не подключён. "), "Сервер отвечает, что эта служба пока не реализована. Данные появятся здесь, как только она заработает."),
    );
  }
  const again = retry ? h("button", { type: "button", class: "secondary", onclick: () => retry() }, "Повторить") : null;
  return notice(isNetworkError(e) ? "warn" : "error", errorText(e), again);
}

export function loading(text = "Загрузка…"): HTMLElement {
  return h("p", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

/** A labelled input; the hint is bound to it with aria-describedby. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  let hintEl: HTMLElement | null = null;
  if (hint) {
    hintEl = h("small", { class: "hint", id: `${id}-hint` }, hint);
    input.setAttribute("aria-describedby", `${id}-hint`);
  }
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintEl);
}

/** A select of [value, title] options with `value` chosen. */
export function select(options: [string, string][], value = ""): HTMLSelectElement {
  const s = h("select", {}, options.map(([v, t]) => h("option", { value: v }, t)));
  s.value = value;
  return s;
}

/**
 * The frame of a signed-in app in `app`: the skip link to the content, the header, then `before`,
 * the content <main> (returned; the skip link's and navigation's focus target) and `after`.
 */
export function appFrame(app: HTMLElement, header: Child[], before: Child[], after: Child[] = []): HTMLElement {
  const main = h("main", { id: "content", tabindex: "-1" });
  mount(app, h("a", { href: "#content", class: "skip" }, "К содержимому"), h("header", { class: "top" }, header), before, main, after);
  return main;
}
