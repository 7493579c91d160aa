// The app's own widgets (chips, progress, the offline notes) on top of what both browser clients
// share from clients/shared (DOM helpers, error texts, notices, formatting, enum titles).
import { CompetencyLevel } from "./gen/nms/v1/common_pb";
import { h, mount } from "../../shared/dom";
import { errorNotice, notice } from "../../shared/widgets";
export { plural } from "../../shared/plural";
export { h, mount };
export type { Child, Attrs } from "../../shared/dom";
export { errorText, isUnimplemented } from "../../shared/errors";
export { notice, errorNotice, loading, field, select } from "../../shared/widgets";
// The phone says times in words ("7 декабря, 14:30").
export { fmt, idOf, dateText, tsWords as tsText, tsMillis, todayDate } from "../../shared/format";
export { areaTitle, levelTitle } from "../../shared/titles";

export function staleNote(savedAt: number): HTMLElement {
  const n = notice("warn", `Нет сети: показаны данные, сохранённые на телефоне ${new Date(savedAt).toLocaleString("ru-RU", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })}.`);
  n.classList.add("stale-note"); // removed once the network is back (main.ts)
  return n;
}

/** A progress bar with its text (role=progressbar for screen readers). */
export function progressBar(value: number, max: number, label: string): HTMLElement {
  const pct = max > 0 ? Math.round((value / max) * 100) : 0;
  return h(
    "div",
    { class: "progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": max, "aria-valuenow": value, "aria-label": label },
    h("div", { class: "progress-fill", style: `width:${pct}%` }),
  );
}

export function chip(text: string, kind = ""): HTMLElement {
  return h("span", { class: `chip ${kind}` }, text);
}

/** False (and says why in `out`) when an action that needs the server is tried offline. */
export function requireOnline(out: HTMLElement): boolean {
  if (navigator.onLine) return true;
  mount(out, notice("warn", "Нет сети: действие будет доступно, когда появится подключение."));
  return false;
}

/** Wraps an async action of a button: disables it, shows errors in `status`, re-enables. */
export function action(button: HTMLButtonElement, status: HTMLElement, run: () => Promise<void>): void {
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    mount(status);
    try {
      await run();
    } catch (e) {
      mount(status, errorNotice(e));
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  });
}

export const levelClass: Record<number, string> = {
  [CompetencyLevel.INSUFFICIENT]: "lvl-insufficient",
  [CompetencyLevel.BASIC]: "lvl-basic",
  [CompetencyLevel.ADVANCED]: "lvl-advanced",
  [CompetencyLevel.HIGH]: "lvl-high",
};

/** Moves focus to the screen's heading (screen readers announce the new screen). */
export function focusHeading(root: HTMLElement): void {
  const h1 = root.querySelector("h1");
  if (h1) {
    h1.setAttribute("tabindex", "-1");
    h1.focus({ preventScroll: true });
  }
}

/** The message a response must carry; a missing one is a server fault, said in Russian. */
export function must<T>(x: T | undefined): T {
  if (x === undefined) throw new Error("Сервер вернул неполный ответ");
  return x;
}
