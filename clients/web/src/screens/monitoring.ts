// Monitoring: indicator dashboard with targets, drill-down into child scopes, trend charts.
import { api } from "../api";
import { mainScope } from "../app";
import { IndicatorStatus, IndicatorValueKind, type IndicatorValue } from "../gen/nms/v1/monitoring_pb";
import { errorNotice, fmt, h, loading, mount, table, todayDate } from "../ui";

const statusTitle: Record<number, string> = {
  [IndicatorStatus.REACHED]: "достигнут",
  [IndicatorStatus.NOT_REACHED]: "не достигнут",
  [IndicatorStatus.NOT_APPLICABLE]: "не применяется",
};

function valueText(v: IndicatorValue): string {
  return v.valueKind === IndicatorValueKind.PERCENT ? `${fmt(v.value)}%` : fmt(v.value);
}

export async function monitoringScreen(main: HTMLElement, scope = mainScope().scope, title = mainScope().title) {
  document.title = "Мониторинг — НМС";
  const body = h("div", {}, loading("Расчёт показателей…"));
  const trend = h("div", {});
  mount(main, h("h1", {}, "Мониторинг показателей эффективности"), h("p", { class: "muted" }, title), body, trend);
  try {
    const r = await api.monitoring.computeIndicators({ scope, referenceDate: todayDate(), includeChildren: true });
    const vals = r.scopeValues?.values ?? [];
    mount(
      body,
      h(
        "div",
        { class: "cards" },
        vals.map((v) =>
          h(
            "button",
            { type: "button", class: `indicator ind-${v.status}`, onclick: () => void showTrend(trend, scope, v.code, v.title) },
            h("span", { class: "ind-title" }, v.title),
            h("span", { class: "ind-value" }, valueText(v)),
            h("span", { class: "ind-target" }, `цель ${v.valueKind === IndicatorValueKind.PERCENT ? fmt(v.targetValue) + "%" : fmt(v.targetValue)} · ${statusTitle[v.status] ?? ""}`),
            h("span", { class: "ind-frac muted" }, `${fmt(Number(v.numerator))} / ${fmt(Number(v.denominator))}`),
          ),
        ),
      ),
      r.children.length
        ? table(
            ["Подразделение", ...vals.map((v) => v.code)],
            r.children.map((c) => [
              h("a", { href: "#", onclick: (ev: Event) => { ev.preventDefault(); void monitoringScreen(main, c.scope, c.title); } }, c.title),
              ...vals.map((v) => {
                const cv = c.values.find((x) => x.code === v.code);
                return cv ? valueText(cv) : "—";
              }),
            ]),
            "По подразделениям (нажмите, чтобы перейти)",
          )
        : null,
    );
  } catch (e) {
    mount(body, errorNotice(e));
  }
}

async function showTrend(el: HTMLElement, scope: string, code: string, title: string) {
  mount(el, loading());
  try {
    const t = todayDate();
    const r = await api.monitoring.getIndicatorTimeSeries({ scope, codes: [code], fromDate: { year: t.year - 2, month: 1, day: 1 }, toDate: t });
    const s = r.series[0];
    if (!s || !s.points.length) return mount(el, h("p", { class: "muted" }, "Нет данных для графика."));
    mount(el, h("h2", {}, `Динамика: ${title}`), lineChart(s.points.map((p) => ({ label: `${p.quarter} кв. ${p.year}`, value: p.value?.value ?? 0, target: p.value?.targetValue ?? 0 }))));
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

function lineChart(points: { label: string; value: number; target: number }[]): SVGSVGElement {
  const w = 600, hgt = 220, pad = 36;
  const max = Math.max(1, ...points.map((p) => Math.max(p.value, p.target)));
  const x = (i: number) => pad + (i * (w - 2 * pad)) / Math.max(1, points.length - 1);
  const y = (v: number) => hgt - pad - (v * (hgt - 2 * pad)) / max;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${hgt}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", points.map((p) => `${p.label}: ${fmt(p.value)}`).join(", "));
  svg.classList.add("chart");
  const line = (vals: number[], cls: string) => {
    const pl = document.createElementNS(ns, "polyline");
    pl.setAttribute("points", vals.map((v, i) => `${x(i)},${y(v)}`).join(" "));
    pl.setAttribute("class", cls);
    svg.append(pl);
  };
  line(points.map((p) => p.target), "line-target");
  line(points.map((p) => p.value), "line-value");
  points.forEach((p, i) => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", String(x(i)));
    t.setAttribute("y", String(hgt - 10));
    t.setAttribute("text-anchor", "middle");
    t.textContent = p.label;
    svg.append(t);
  });
  return svg;
}
