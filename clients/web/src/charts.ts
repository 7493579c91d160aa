// Charts drawn by Chart.js (canvas; no inline <style> or script, so it runs under the proxy's
// CSP). Shares always sit on a 0–100 % axis — never scaled to the largest value, so 32 % and
// 78 % look different. Each canvas is role=img with the data spelled out for screen readers and
// carries its axis maximum in data-y-max (the browser tests read it).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from "chart.js";
import { fmt, h } from "./ui";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
Chart.defaults.animation = false; // Screens re-render often; no motion needed to read a figure.

const pct = (v: number | string) => `${fmt(Number(v))} %`;

// Long row labels are shortened on the axis (Chart.js clips them otherwise); the full text is in
// the tooltip and the canvas's aria-label.
const shortLabels = {
  ticks: {
    callback(this: { getLabelForValue(v: number): string }, v: number | string) {
      const l = this.getLabelForValue(Number(v));
      return l.length > 30 ? `${l.slice(0, 29)}…` : l;
    },
  },
};

function figure(title: string, label: string, config: ChartConfiguration, height: number, cls = ""): HTMLElement {
  const canvas = h("canvas", { role: "img", "aria-label": `${title}: ${label}` });
  const box = h("div", { class: "chart-canvas" }, canvas);
  box.style.height = `${height}px`;
  const fig = h("figure", { class: `chart-box ${cls}`.trim() }, h("figcaption", {}, title), box);
  // Chart.js measures its parent: draw once the figure is in the document.
  requestAnimationFrame(() => {
    const chart = new Chart(canvas, config);
    const axis = (chart.options.scales as Record<string, { max?: number }> | undefined)?.[config.type === "bar" && (config.options as { indexAxis?: string })?.indexAxis === "y" ? "x" : "y"];
    canvas.dataset.yMax = String(axis?.max ?? "");
  });
  return fig;
}

export interface ShareBar {
  label: string;
  value: number;
  color?: string;
}

/** Horizontal bars of shares (percent) on a fixed 0–100 axis. */
export function shareBars(title: string, bars: ShareBar[]): HTMLElement {
  return figure(
    title,
    bars.map((b) => `${b.label} ${pct(b.value)}`).join(", "),
    {
      type: "bar",
      data: { labels: bars.map((b) => b.label), datasets: [{ label: title, data: bars.map((b) => b.value), backgroundColor: bars.map((b) => b.color ?? "#2f6fb2") }] },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: (v) => pct(v) } }, y: shortLabels },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => pct(c.parsed.x ?? 0) } } },
      },
    },
    40 + bars.length * 30,
  );
}

/** Area scores before and after (e.g. the previous and the latest diagnosis), 0–100 %. */
export function beforeAfterBars(title: string, labels: string[], before: number[], after: number[], names: [string, string] = ["было", "стало"]): HTMLElement {
  return figure(
    title,
    labels.map((l, i) => `${l}: ${names[0]} ${pct(before[i])}, ${names[1]} ${pct(after[i])}`).join("; "),
    {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: names[0], data: before, backgroundColor: "#9aa5b1" },
          { label: names[1], data: after, backgroundColor: "#1f5fa0" },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: (v) => pct(v) } }, y: shortLabels },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${pct(c.parsed.x ?? 0)}` } } },
      },
    },
    60 + labels.length * 44,
    "before-after",
  );
}

export interface TrendPoint {
  label: string;
  /** null: the indicator did not apply then (no point is drawn). */
  value: number | null;
  target: number;
}

/** An indicator's values over time with its target; percent indicators on 0–100 %. */
export function trendChart(title: string, points: TrendPoint[], percent: boolean): HTMLElement {
  const unit = (v: number | string) => (percent ? pct(v) : fmt(Number(v)));
  return figure(
    title,
    points.map((p) => `${p.label}: ${p.value === null ? "не применяется" : unit(p.value)}`).join(", "),
    {
      type: "line",
      data: {
        labels: points.map((p) => p.label),
        datasets: [
          { label: "значение", data: points.map((p) => p.value), borderColor: "#1f5fa0", backgroundColor: "#1f5fa0", spanGaps: false },
          { label: "цель", data: points.map((p) => p.target), borderColor: "#8a5300", backgroundColor: "#8a5300", borderDash: [6, 4], pointRadius: 0 },
        ],
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: percent ? { min: 0, max: 100, ticks: { callback: (v) => pct(v) } } : { min: 0, ticks: { callback: (v) => unit(v) } } },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${unit(c.parsed.y ?? 0)}` } } },
      },
    },
    260,
    "trend-box",
  );
}

export interface StackedShareRow {
  label: string;
  parts: { name: string; value: number; color: string }[];
}

/**
 * Rows of shares that add up to 100 % (e.g. levels per area), stacked on a 0–100 axis: horizontal
 * bars, or columns left to right when the rows are successive moments (`overTime`).
 */
export function stackedShares(title: string, rows: StackedShareRow[], overTime = false): HTMLElement {
  const names = rows[0]?.parts ?? [];
  const [value, label] = overTime ? (["y", "x"] as const) : (["x", "y"] as const);
  return figure(
    title,
    rows.map((r) => `${r.label} — ${r.parts.map((p) => `${p.name} ${pct(p.value)}`).join(", ")}`).join("; "),
    {
      type: "bar",
      data: {
        labels: rows.map((r) => r.label),
        datasets: names.map((n, k) => ({ label: n.name, data: rows.map((r) => r.parts[k]?.value ?? 0), backgroundColor: n.color })),
      },
      options: {
        indexAxis: label,
        maintainAspectRatio: false,
        scales: { [value]: { stacked: true, min: 0, max: 100, ticks: { callback: (v: number | string) => pct(v) } }, [label]: { stacked: true, ...shortLabels } },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${pct(c.parsed[value] ?? 0)}` } } },
      },
    },
    overTime ? 360 : 70 + rows.length * 34,
    overTime ? "trend-box" : "",
  );
}

export interface Series {
  name: string;
  /** One value per label, percent; null where there is none (no point drawn). */
  values: (number | null)[];
  color: string;
}

/** Shares over successive moments (e.g. campaigns), one line per series, on a 0–100 % axis. */
export function shareLines(title: string, labels: string[], series: Series[]): HTMLElement {
  return figure(
    title,
    series.map((s) => `${s.name}: ${labels.map((l, i) => `${l} ${s.values[i] === null ? "нет данных" : pct(s.values[i]!)}`).join(", ")}`).join("; "),
    {
      type: "line",
      data: {
        labels,
        datasets: series.map((s) => ({ label: s.name, data: s.values, borderColor: s.color, backgroundColor: s.color, spanGaps: false })),
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, ticks: { callback: (v) => pct(v) } }, x: shortLabels },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${pct(c.parsed.y ?? 0)}` } } },
      },
    },
    360,
    "trend-box",
  );
}
