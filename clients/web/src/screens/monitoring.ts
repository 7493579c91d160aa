// Monitoring: indicator dashboard with targets, drill-down into child scopes, trend charts.
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { PresetApplyMode, IndicatorStatus, IndicatorValueKind, type IndicatorValue } from "../gen/nms/v1/monitoring_pb";
import { indicatorDownloads } from "./indicators";
import { chartSvg, errorNotice, fmt, h, loading, mount, notice, svg, table, todayDate } from "../ui";

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
  mount(main, h("h1", {}, "Мониторинг показателей эффективности"), h("p", { class: "muted" }, title), indicatorDownloads(scope), body, trend);
  try {
    const r = await api.monitoring.computeIndicators({ scope, referenceDate: todayDate(), includeChildren: true });
    const vals = r.scopeValues?.values ?? [];
    if (!vals.length) return mount(body, notice("info", "Для региона не настроены показатели эффективности."), presetPanel(() => void monitoringScreen(main, scope, title)));
    mount(
      body,
      h(
        "div",
        { class: "cards" },
        vals.map((v) =>
          h(
            "button",
            { type: "button", class: `indicator ind-${v.status}`, onclick: () => void showTrend(trend, scope, v.code, v.title) },
            h("span", { class: "ind-title" }, h("span", { class: "ind-code" }, v.code), " ", v.title),
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
    // The chart sits under the breakdown table: bring it into view.
    requestAnimationFrame(() => el.scrollIntoView({ behavior: "smooth", block: "start" }));
    mount(el, h("h2", {}, `Динамика: ${title}`), lineChart(s.points.map((p) => ({ label: `${p.quarter}кв ${String(p.year).slice(2)}`, value: p.value?.value ?? 0, target: p.value?.targetValue ?? 0 })), s.points[0]?.value?.valueKind === IndicatorValueKind.PERCENT));
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

function lineChart(points: { label: string; value: number; target: number }[], percent: boolean): HTMLElement {
  const w = 640, hgt = 240, left = 48, right = 28, top = 16, bottom = 40;
  const max = Math.max(1, ...points.map((p) => Math.max(p.value, p.target))) * 1.1;
  const x = (i: number) => left + (i * (w - left - right)) / Math.max(1, points.length - 1);
  const y = (v: number) => top + (hgt - top - bottom) * (1 - v / max);
  const el = chartSvg(w, hgt, points.map((p) => `${p.label}: ${fmt(p.value)}`).join(", "), "trend");
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    el.append(
      svg("line", { x1: left, x2: w - right, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, percent ? `${fmt(Math.round(v))}%` : fmt(Math.round(v))),
    );
  }
  const line = (vals: number[], cls: string) => svg("polyline", { points: vals.map((v, i) => `${x(i)},${y(v)}`).join(" "), class: cls });
  el.append(line(points.map((p) => p.target), "line-target"), line(points.map((p) => p.value), "line-value"));
  const step = Math.ceil(points.length / 8);
  points.forEach((p, i) => {
    el.append(svg("circle", { cx: x(i), cy: y(p.value), r: 3.5, class: "dot" }));
    if (i % step === 0) el.append(svg("text", { x: x(i), y: hgt - 14, "text-anchor": "middle" }, p.label));
  });
  return h("figure", { class: "chart-box trend-box" }, el,
    h("figcaption", { class: "legend" }, h("span", { class: "lg-value" }, "значение"), h("span", { class: "lg-target" }, "цель")));
}

/** Regional admins can enable a shipped set of indicators (a preset of the regulations). */
function presetPanel(onApplied: () => void): HTMLElement | null {
  const region = mainScope().scope;
  if (!hasAny(Role.REGIONAL_ADMIN) || !region.startsWith("regions/")) {
    return h("p", { class: "muted" }, "Набор показателей включает администратор региона.");
  }
  const el = h("div", { class: "card" }, loading());
  api.monitoring
    .listIndicatorPresets({})
    .then((r) => {
      const status = h("div", { "aria-live": "polite" });
      mount(
        el,
        h("h2", {}, "Включить набор показателей"),
        h("div", { class: "row-actions" },
          r.presets.map((p) =>
            h("button", {
              type: "button",
              onclick: async () => {
                mount(status, loading("Применение…"));
                try {
                  await api.monitoring.applyIndicatorPreset({ region, preset: p.preset, mode: PresetApplyMode.MERGE, requestId: requestId() });
                  onApplied();
                } catch (e) {
                  mount(status, errorNotice(e));
                }
              },
            }, p.title),
          )),
        status,
      );
    })
    .catch((e) => mount(el, errorNotice(e)));
  return el;
}
