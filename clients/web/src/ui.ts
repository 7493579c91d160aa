// Tiny DOM helpers, readable error messages and shared widgets (notices, tables, bar charts).
import { Code, ConnectError } from "@connectrpc/connect";

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

/** Creates an element: h("button", { class: "x", onclick: f }, "text"). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const codeText: Partial<Record<Code, string>> = {
  [Code.InvalidArgument]: "Неверные данные",
  [Code.NotFound]: "Не найдено",
  [Code.AlreadyExists]: "Уже существует",
  [Code.PermissionDenied]: "Нет доступа",
  [Code.Unauthenticated]: "Требуется вход",
  [Code.FailedPrecondition]: "Действие сейчас невозможно",
  [Code.Aborted]: "Конфликт изменений",
  [Code.ResourceExhausted]: "Слишком большой запрос",
  [Code.Unavailable]: "Сервер недоступен, попробуйте позже",
  [Code.DeadlineExceeded]: "Сервер не ответил вовремя",
  [Code.Internal]: "Внутренняя ошибка сервера",
};

export function isUnimplemented(e: unknown): boolean {
  return ConnectError.from(e).code === Code.Unimplemented;
}

/** A message a person understands: the server's Russian message, prefixed by the kind of failure. */
export function errorText(e: unknown): string {
  const err = ConnectError.from(e);
  if (err.code === Code.Unimplemented) return "Этот раздел ещё не подключён на сервере: служба пока не отвечает.";
  const prefix = codeText[err.code] ?? "Ошибка";
  const msg = err.rawMessage?.trim();
  if (err.code === Code.Unknown && !msg) return "Не удалось связаться с сервером.";
  return msg ? `${prefix}: ${msg}` : prefix;
}

/** A notice box; kind = error | info | success | warn. */
export function notice(kind: "error" | "info" | "success" | "warn", text: string, extra?: Node): HTMLElement {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, h("p", {}, text), extra);
}

/** Notice for a failed call; UNIMPLEMENTED gets the dedicated "not yet available" wording. */
export function errorNotice(e: unknown): HTMLElement {
  if (isUnimplemented(e)) {
    return h(
      "div",
      { class: "notice notice-warn unimplemented", role: "status" },
      h("p", {}, h("strong", {}, "Раздел ещё не подключён. ")),
      h("p", {}, "Сервер отвечает, что эта служба пока не реализована. Данные появятся здесь, как только она заработает; ничего не выдумано."),
    );
  }
  return notice("error", errorText(e));
}

export function loading(text = "Загрузка…"): HTMLElement {
  return h("p", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

/** Replaces the children of el. */
export function mount(el: HTMLElement, ...children: Child[]): void {
  el.replaceChildren(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === "number" ? String(c) : c)));
}

export function table(headers: string[], rows: Child[][], caption?: string): HTMLElement {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
    ),
  );
}

export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", { class: "hint" }, hint) : null);
}

export function select(options: [string, string][], value = ""): HTMLSelectElement {
  const s = h("select", {}, options.map(([v, t]) => h("option", { value: v }, t)));
  s.value = value;
  return s;
}

export interface Bar {
  label: string;
  value: number;
  max?: number;
  color?: string;
  note?: string;
}

/** Horizontal SVG bar chart (accessible: role=img with a text summary, plus a data table). */
export function barChart(title: string, bars: Bar[], unit = ""): HTMLElement {
  const w = 560, rowH = 28, labelW = 200, pad = 8;
  const max = Math.max(1, ...bars.map((b) => b.max ?? b.value));
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${bars.length * rowH + pad * 2}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${title}: ${bars.map((b) => `${b.label} ${fmt(b.value)}${unit}`).join(", ")}`);
  svg.classList.add("chart");
  bars.forEach((b, i) => {
    const y = pad + i * rowH;
    const label = document.createElementNS(svgNS, "text");
    label.setAttribute("x", String(labelW - 6));
    label.setAttribute("y", String(y + rowH / 2 + 4));
    label.setAttribute("text-anchor", "end");
    label.textContent = b.label.length > 28 ? b.label.slice(0, 27) + "…" : b.label;
    const bg = document.createElementNS(svgNS, "rect");
    bg.setAttribute("x", String(labelW));
    bg.setAttribute("y", String(y + 4));
    bg.setAttribute("width", String(w - labelW - 70));
    bg.setAttribute("height", String(rowH - 8));
    bg.setAttribute("class", "bar-bg");
    const rect = document.createElementNS(svgNS, "rect");
    rect.setAttribute("x", String(labelW));
    rect.setAttribute("y", String(y + 4));
    rect.setAttribute("width", String(Math.max(0, ((w - labelW - 70) * b.value) / max)));
    rect.setAttribute("height", String(rowH - 8));
    rect.setAttribute("fill", b.color ?? "#2f6fb2");
    const val = document.createElementNS(svgNS, "text");
    val.setAttribute("x", String(w - 64));
    val.setAttribute("y", String(y + rowH / 2 + 4));
    val.textContent = `${fmt(b.value)}${unit}`;
    svg.append(label, bg, rect, val);
  });
  return h("figure", { class: "chart-box" }, h("figcaption", {}, title), svg);
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("ru-RU") : n.toLocaleString("ru-RU", { maximumFractionDigits: 1 });
}

export function idOf(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

export function dateText(d?: { year: number; month: number; day: number }): string {
  if (!d || !d.year) return "—";
  return `${String(d.day).padStart(2, "0")}.${String(d.month).padStart(2, "0")}.${d.year}`;
}

export function tsText(t?: { seconds: bigint }): string {
  if (!t || !t.seconds) return "—";
  return new Date(Number(t.seconds) * 1000).toLocaleString("ru-RU", { timeZone: "Europe/Moscow" });
}

export function todayDate(): { year: number; month: number; day: number } {
  const d = new Date();
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}
