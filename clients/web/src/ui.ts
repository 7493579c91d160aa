// The web client's widgets (tables, bar charts, pagers, forms' pieces) on top of what both
// browser clients share from clients/shared (DOM helpers, error texts, notices, formatting).
import { Code, ConnectError } from "@connectrpc/connect";
import { h, mount, type Child } from "../../shared/dom";
import { errorNotice, field, loading, notice, select } from "../../shared/widgets";
import { fmt } from "../../shared/format";
export { h, mount };
export type { Child, Attrs } from "../../shared/dom";
export { errorText, isUnimplemented } from "../../shared/errors";
export { notice, errorNotice, loading, field, select } from "../../shared/widgets";
export { fmt, idOf, dateText, tsText, todayDate, dateFromInput, inputFromDate } from "../../shared/format";

/**
 * For a save refused because someone else changed the object first (a stale version): the notice
 * saying so, with a button that loads the current version. Null for any other failure.
 */
export function conflictNotice(e: unknown, changed: string, reload: () => void): HTMLElement | null {
  const err = ConnectError.from(e);
  if (err.code !== Code.FailedPrecondition && err.code !== Code.Aborted) return null;
  return notice(
    "error",
    `${changed} уже изменил другой пользователь — ваши изменения не сохранены. ${err.rawMessage}`,
    h("button", { type: "button", onclick: () => reload() }, "Загрузить актуальную версию"),
  );
}

/** Counts of an import's answer (teachers' CSV, external results) as one notice. */
export function importSummary(r: { createdCount: number; updatedCount: number; unchangedCount: number; rejectedCount: number }, dry: boolean): HTMLElement {
  const text = `${dry ? "Проверка: " : ""}добавлено ${r.createdCount}, обновлено ${r.updatedCount}, без изменений ${r.unchangedCount}, отклонено ${r.rejectedCount}.`;
  return notice(r.rejectedCount ? "warn" : "success", text);
}

const outcomeTitle = ["—", "добавлен", "обновлён", "без изменений", "отклонён"];

/** An imported row's outcome (ImportRowOutcome and ImportRecordOutcome share the numbers 1–4). */
export function importOutcome(outcome: number): HTMLElement {
  return h("span", { class: `outcome outcome-${outcome}` }, outcomeTitle[outcome] ?? "—");
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

export interface Bar {
  label: string;
  value: number;
  max?: number;
  color?: string;
  note?: string;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with attributes and optional text (for charts). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The drawing of a chart: role=img with `label` spelling the data out for screen readers. */
export function chartSvg(width: number, height: number, label: string, ...classes: string[]): SVGSVGElement {
  const el = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label });
  el.classList.add("chart", ...classes);
  return el;
}

const ROW_H = 28, LABEL_W = 200, PAD = 8;

/** The row label left of a bar, shortened to fit. */
function rowLabel(text: string, y: number, rowH: number): SVGTextElement {
  return svg("text", { x: LABEL_W - 6, y: y + rowH / 2 + 4, "text-anchor": "end" }, text.length > 25 ? text.slice(0, 24) + "…" : text);
}

/** Horizontal SVG bar chart (accessible: role=img with a text summary). */
export function barChart(title: string, bars: Bar[], unit = ""): HTMLElement {
  const w = 560, barW = w - LABEL_W - 70;
  // Shares stay on 0–100 (never scaled to the largest bar: 32 % and 78 % must differ).
  const max = unit === "%" ? 100 : Math.max(1, ...bars.map((b) => b.max ?? b.value));
  const el = chartSvg(w, bars.length * ROW_H + PAD * 2, `${title}: ${bars.map((b) => `${b.label} ${fmt(b.value)}${unit}`).join(", ")}`);
  bars.forEach((b, i) => {
    const y = PAD + i * ROW_H;
    el.append(
      rowLabel(b.label, y, ROW_H),
      svg("rect", { x: LABEL_W, y: y + 4, width: barW, height: ROW_H - 8, class: "bar-bg" }),
      svg("rect", { x: LABEL_W, y: y + 4, width: Math.max(0, (barW * b.value) / max), height: ROW_H - 8, fill: b.color ?? "#2f6fb2" }),
      svg("text", { x: w - 64, y: y + ROW_H / 2 + 4 }, `${fmt(b.value)}${unit}`),
    );
  });
  return h("figure", { class: "chart-box" }, h("figcaption", {}, title), el);
}

/** A section's own navigation (links styled as tabs); `current` is the active hash. */
export function subnav(label: string, items: [string, string][], current: string): HTMLElement {
  return h(
    "nav",
    { class: "subnav", "aria-label": label },
    h("ul", {}, items.map(([hash, title]) => h("li", {}, h("a", { href: hash, "aria-current": hash === current ? "page" : null }, title)))),
  );
}

/** A small coloured label, e.g. a status. */
export function badge(text: string, kind: "ok" | "warn" | "err" | "info" | "muted" = "info"): HTMLElement {
  return h("span", { class: `badge badge-${kind}` }, text);
}

/** A progress bar with its text: "done из total (pct %)". */
export function progressBar(done: number, total: number, label = "Выполнено"): HTMLElement {
  const pct = total > 0 ? Math.round((done * 100) / total) : 0;
  return h(
    "span",
    { class: "progress-cell" },
    h("progress", { max: 100, value: pct, "aria-label": `${label}: ${pct}%` }),
    ` ${fmt(done)} из ${fmt(total)} (${pct}%)`,
  );
}

/** Offers bytes as a file download (CSV, HTML, JSON). */
export function downloadLink(content: Uint8Array | string, filename: string, type: string, text = "Скачать файл"): HTMLElement {
  const blob = new Blob([typeof content === "string" ? content : new Uint8Array(content)], { type });
  return h("a", { href: URL.createObjectURL(blob), download: filename, class: "download" }, `${text} (${filename})`);
}

/** Splits "a, b; c" into trimmed non-empty parts. */
export function splitList(v: string): string[] {
  return v.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
}

/** Disables a button for the length of an async action (no double submits). */
export async function busy<T>(button: HTMLElement, f: () => Promise<T>): Promise<T> {
  button.setAttribute("disabled", "");
  button.setAttribute("aria-busy", "true");
  try {
    return await f();
  } finally {
    button.removeAttribute("disabled");
    button.removeAttribute("aria-busy");
  }
}

/**
 * The action buttons of a record's card: `act(button, call, done)` runs the call with its button
 * busy, then reopens the card with `done` on top; a refusal shows in `status` (a version conflict
 * offers to reopen the card, naming what changed: `changed`, e.g. «Мероприятие»).
 */
export function cardActions(main: HTMLElement, status: HTMLElement, reopen: () => Promise<void>, changed: string) {
  return async (button: HTMLElement, call: () => Promise<unknown>, done: string): Promise<void> => {
    await busy(button, async () => {
      try {
        await call();
        await reopen();
        main.prepend(notice("success", done));
      } catch (err) {
        mount(status, conflictNotice(err, changed, () => void reopen()) ?? errorNotice(err));
      }
    });
  };
}

export interface Page<T> {
  items: T[];
  next: string;
  total: bigint | number;
}

/**
 * A list with keyset pagination: fetches pages through `fetch(token)`, renders them with
 * `render(items)` and a pager (← Назад / Вперёд →) that remembers the tokens of earlier pages.
 * Returns a reload function (back to the first page).
 */
export function pagedList<T>(el: HTMLElement, pageSize: number, fetch: (token: string) => Promise<Page<T>>, render: (items: T[]) => Node, empty = "Ничего не найдено."): () => Promise<void> {
  const tokens = [""];
  let page = 0;
  const load = async () => {
    mount(el, loading());
    try {
      const r = await fetch(tokens[page]);
      tokens[page + 1] = r.next;
      const from = page * pageSize + 1;
      const total = Number(r.total);
      const prev = h("button", { type: "button", disabled: page === 0, onclick: () => { page--; void load(); } }, "← Назад");
      const next = h("button", { type: "button", disabled: !r.next, onclick: () => { page++; void load(); } }, "Вперёд →");
      mount(
        el,
        h("p", { class: "muted", role: "status" }, r.items.length ? `Показаны ${fmt(from)}–${fmt(from + r.items.length - 1)}${total ? ` из ${fmt(total)}` : ""}` : empty),
        r.items.length ? render(r.items) : null,
        page > 0 || r.next ? h("div", { class: "pager" }, prev, h("span", {}, `Страница ${page + 1}`), next) : null,
      );
    } catch (e) {
      mount(el, errorNotice(e));
    }
  };
  return async () => {
    tokens.length = 1;
    page = 0;
    await load();
  };
}

/** Polls `get` until `done` says so, calling `tick` with every answer; resolves with the last one. */
export async function poll<T>(get: () => Promise<T>, done: (t: T) => boolean, tick: (t: T) => void, intervalMs = 700, maxMs = 15 * 60_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const t = await get();
    tick(t);
    if (done(t) || Date.now() - start > maxMs) return t;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A labelled group of radio buttons; returns the fieldset and a getter of the chosen value. */
export function radios(legend: string, name: string, options: [string, string][], value: string, onchange?: (v: string) => void): [HTMLElement, () => string] {
  const inputs = options.map(([v]) => h("input", { type: "radio", name, value: v, checked: v === value, onchange: () => onchange?.(v) }));
  const fs = h("fieldset", { class: "radios" }, h("legend", {}, legend), options.map(([, t], i) => h("label", {}, inputs[i], ` ${t}`)));
  return [fs, () => inputs.find((i) => i.checked)?.value ?? value];
}

/** A checkbox with its label text. */
export function checkbox(label: string, checked = false): [HTMLElement, HTMLInputElement] {
  const input = h("input", { type: "checkbox", checked });
  return [h("label", { class: "check" }, input, ` ${label}`), input];
}

export interface StackRow {
  label: string;
  parts: { name: string; value: number; color: string }[];
}

/**
 * Horizontal 100 % stacked bars (e.g. levels per competency area) with a legend; the SVG's
 * aria-label spells every row out for screen readers.
 */
export function stackedChart(title: string, rows: StackRow[], unit = "%"): HTMLElement {
  const w = 560, rowH = 30, barW = w - LABEL_W - 10;
  const el = chartSvg(w, rows.length * rowH + PAD * 2, `${title}: ${rows.map((r) => `${r.label} — ${r.parts.map((p) => `${p.name} ${fmt(p.value)}${unit}`).join(", ")}`).join("; ")}`);
  rows.forEach((r, i) => {
    const y = PAD + i * rowH;
    el.append(rowLabel(r.label, y, rowH));
    const total = r.parts.reduce((s, p) => s + p.value, 0) || 1;
    let x = LABEL_W;
    for (const p of r.parts) {
      const width = (barW * p.value) / total;
      const rect = svg("rect", { x, y: y + 4, width: Math.max(0, width), height: rowH - 8, fill: p.color });
      rect.append(svg("title", {}, `${p.name}: ${fmt(p.value)}${unit}`));
      el.append(rect);
      if (width > 34) el.append(svg("text", { x: x + width / 2, y: y + rowH / 2 + 4, "text-anchor": "middle", class: "on-bar" }, `${Math.round(p.value)}`));
      x += width;
    }
  });
  const names = rows[0]?.parts ?? [];
  return h(
    "figure",
    { class: "chart-box" },
    h("figcaption", {}, title),
    el,
    h("p", { class: "legend" }, names.map((p) => h("span", {}, h("span", { class: "swatch", style: `background:${p.color}`, "aria-hidden": "true" }), p.name))),
  );
}

/**
 * Runs a button's action: the button is busy meanwhile (no double submits), `pending` (if any)
 * shows in `out` while it works, and a failure shows there as a readable notice.
 */
export async function act(button: HTMLElement, out: HTMLElement, run: () => Promise<unknown>, pending?: string): Promise<void> {
  await busy(button, async () => {
    if (pending !== undefined) mount(out, loading(pending || "Загрузка…"));
    try {
      await run();
    } catch (e) {
      mount(out, errorNotice(e));
    }
  });
}

/**
 * A paged list under one select filter (e.g. a status): the labelled filter box, the list and
 * its reload; changing the filter reloads from the first page. `fetch` gets the select's value.
 */
export function filteredList<T>(
  label: string,
  options: [string, string][],
  initial: string,
  pageSize: number,
  fetch: (value: string, token: string) => Promise<Page<T>>,
  render: (items: T[]) => Node,
  empty: string,
): { filters: HTMLElement; list: HTMLElement; reload: () => Promise<void> } {
  const choice = select(options, initial);
  const list = h("div", {});
  const reload = pagedList(list, pageSize, (token) => fetch(choice.value, token), render, empty);
  choice.addEventListener("change", () => void reload());
  return { filters: h("div", { class: "filters" }, field(label, choice)), list, reload };
}

export interface DetailsRow {
  cells: Child[];
  /** Unfolded under the row across the whole table by a button placed in cells[toggleAt]. */
  details?: Child;
  toggleAt?: number;
  toggleText?: string;
}

/**
 * A table whose rows may carry a details row (long texts such as a matching explanation) that
 * stays folded until its button is pressed, so the table fits a laptop screen.
 */
export function detailsTable(headers: string[], rows: DetailsRow[], caption?: string): HTMLElement {
  const body = h("tbody", {});
  for (const r of rows) {
    const cells = r.cells.map((c) => h("td", {}, c));
    body.append(h("tr", {}, cells));
    if (r.details === undefined || r.details === null || r.details === false) continue;
    const id = `d-${Math.random().toString(36).slice(2, 9)}`;
    const more = h("tr", { class: "details-row", id, hidden: true }, h("td", { colspan: headers.length }, r.details));
    const text = r.toggleText ?? "Подробнее";
    const toggle = h("button", { type: "button", class: "disclose", "aria-expanded": "false", "aria-controls": id }, text);
    toggle.addEventListener("click", () => {
      const open = more.hidden;
      more.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
    });
    cells[Math.min(r.toggleAt ?? 0, cells.length - 1)].append(h("br", {}), toggle);
    body.append(more);
  }
  return h(
    "div",
    { class: "table-wrap" },
    h("table", { class: "details-table" }, caption ? h("caption", {}, caption) : null, h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))), body),
  );
}
