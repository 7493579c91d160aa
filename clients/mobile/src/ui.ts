// DOM helpers, readable Russian error texts, the vocabulary of the domain (levels, areas,
// statuses) and small widgets shared by the screens.
import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import { CompetencyArea, CompetencyLevel, DateSchema, type Date as PDate } from "./gen/nms/v1/common_pb";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { isNetworkError } from "./api";
export { plural } from "../../shared/plural";
import { h, mount, type Child } from "../../shared/dom";
export { h, mount };
export type { Child, Attrs } from "../../shared/dom";

const codeText: Partial<Record<Code, string>> = {
  [Code.InvalidArgument]: "Неверные данные",
  [Code.NotFound]: "Не найдено",
  [Code.AlreadyExists]: "Уже существует",
  [Code.PermissionDenied]: "Нет доступа",
  [Code.Unauthenticated]: "Требуется вход",
  [Code.FailedPrecondition]: "Сейчас это действие невозможно",
  [Code.Aborted]: "Данные изменились, обновите экран",
  [Code.ResourceExhausted]: "Слишком большой запрос",
  [Code.Internal]: "Внутренняя ошибка сервера",
};

export function isUnimplemented(e: unknown): boolean {
  return ConnectError.from(e).code === Code.Unimplemented;
}

/** A message a person understands: the server's Russian message, prefixed by the kind of failure. */
export function errorText(e: unknown): string {
  if (isNetworkError(e)) return "Нет связи с сервером. Проверьте подключение к интернету и повторите.";
  const err = ConnectError.from(e);
  if (err.code === Code.Unimplemented) return "Этот раздел ещё не подключён на сервере.";
  const prefix = codeText[err.code] ?? "Ошибка";
  const msg = err.rawMessage?.trim();
  return msg ? `${prefix}: ${msg}` : prefix;
}

export function notice(kind: "error" | "info" | "success" | "warn", text: string | Node, extra?: Node | null): HTMLElement {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, h("p", {}, text), extra);
}

/** Notice for a failed call; UNIMPLEMENTED gets the dedicated "not yet available" wording. */
export function errorNotice(e: unknown, retry?: () => void): HTMLElement {
  const again = retry ? h("button", { class: "secondary", onclick: () => retry() }, "Повторить") : null;
  if (isUnimplemented(e)) {
    return h("div", { class: "notice notice-warn unimplemented", role: "status" }, h("p", {}, h("strong", {}, "Раздел пока недоступен. "), "Служба на сервере ещё не подключена; данные появятся здесь, как только она заработает."));
  }
  return notice(isNetworkError(e) ? "warn" : "error", errorText(e), again);
}

export function loading(text = "Загрузка…"): HTMLElement {
  return h("p", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

export function staleNote(savedAt: number): HTMLElement {
  const n = notice("warn", `Нет сети: показаны данные, сохранённые на телефоне ${new Date(savedAt).toLocaleString("ru-RU", { day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })}.`);
  n.classList.add("stale-note"); // removed once the network is back (main.ts)
  return n;
}

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

export function select(options: [string, string][], value = ""): HTMLSelectElement {
  const s = h("select", {}, options.map(([v, t]) => h("option", { value: v }, t)));
  s.value = value;
  return s;
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

export const levelTitle: Record<number, string> = {
  [CompetencyLevel.UNSPECIFIED]: "не оценён",
  [CompetencyLevel.INSUFFICIENT]: "недостаточный",
  [CompetencyLevel.BASIC]: "базовый",
  [CompetencyLevel.ADVANCED]: "повышенный",
  [CompetencyLevel.HIGH]: "высокий",
};

export const levelClass: Record<number, string> = {
  [CompetencyLevel.INSUFFICIENT]: "lvl-insufficient",
  [CompetencyLevel.BASIC]: "lvl-basic",
  [CompetencyLevel.ADVANCED]: "lvl-advanced",
  [CompetencyLevel.HIGH]: "lvl-high",
};

export const areaTitle: Record<number, string> = {
  [CompetencyArea.SUBJECT]: "Предметные",
  [CompetencyArea.METHODOLOGICAL]: "Методические",
  [CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL]: "Психолого-педагогические",
  [CompetencyArea.COMMUNICATIVE]: "Коммуникативные",
  [CompetencyArea.DIGITAL]: "Цифровые (ИКТ)",
};

export function fmt(n: number): string {
  return n.toLocaleString("ru-RU", { maximumFractionDigits: 1 });
}

export function idOf(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

export function dateText(d?: PDate): string {
  if (!d || !d.year) return "—";
  return `${String(d.day).padStart(2, "0")}.${String(d.month).padStart(2, "0")}.${d.year}`;
}

export function tsText(t?: Timestamp): string {
  if (!t || !t.seconds) return "—";
  return new Date(Number(t.seconds) * 1000).toLocaleString("ru-RU", { timeZone: "Europe/Moscow", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}

export function tsMillis(t?: Timestamp): number {
  return t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : 0;
}

export function todayDate(): PDate {
  const d = new Date();
  return create(DateSchema, { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() });
}

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
