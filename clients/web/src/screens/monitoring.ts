// Monitoring: indicator dashboard with targets, drill-down into child scopes (its own address,
// breadcrumbs), each value marked against its target, the trend beside it and as a chart.
import { api, requestId } from "../api";
import { hasAny, mainScope, routeParams } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { IndicatorPeriod, PresetApplyMode, IndicatorStatus, IndicatorValueKind, type IndicatorValue } from "../gen/nms/v1/monitoring_pb";
import { act, chartSvg, downloadLink, errorNotice, fmt, h, loading, mount, notice, svg, table, todayDate } from "../ui";
import { trendChart } from "../charts";
import { indicatorDownloads } from "./indicators";

const statusTitle: Record<number, string> = {
  [IndicatorStatus.REACHED]: "достигнут",
  [IndicatorStatus.NOT_REACHED]: "не достигнут",
  [IndicatorStatus.NOT_APPLICABLE]: "не применяется",
};

function valueText(v: IndicatorValue): string {
  return v.valueKind === IndicatorValueKind.PERCENT ? `${fmt(v.value)}%` : fmt(v.value);
}

const MARK: Record<number, [string, string]> = {
  [IndicatorStatus.REACHED]: ["✓", "цель достигнута"],
  [IndicatorStatus.NOT_REACHED]: ["✗", "цель не достигнута"],
  [IndicatorStatus.NOT_APPLICABLE]: ["—", "не применяется"],
};

/** The value as read: a not-applicable indicator has none (never "0 %"). */
function shownValue(v: IndicatorValue): string {
  return v.status === IndicatorStatus.NOT_APPLICABLE ? "не применяется" : valueText(v);
}

function targetText(v: IndicatorValue): string {
  return v.valueKind === IndicatorValueKind.PERCENT ? `${fmt(v.targetValue)}%` : fmt(v.targetValue);
}

/** A value with its text mark against the target (colour is never the only sign). */
function markedValue(v: IndicatorValue): HTMLElement {
  const [mark, says] = MARK[v.status] ?? ["", ""];
  return h(
    "span",
    { class: `mark-value st-${v.status}`, title: `${shownValue(v)} — ${says}` },
    h("span", { class: "mark", "aria-hidden": "true" }, mark),
    " ",
    v.status === IndicatorStatus.NOT_APPLICABLE ? h("span", { class: "na" }, "не применяется") : valueText(v),
    v.status === IndicatorStatus.NOT_APPLICABLE ? null : h("span", { class: "sr-only" }, ` (${says})`),
  );
}

// Titles of scopes met while drilling down, for the breadcrumbs of later screens.
const scopeTitles = new Map<string, string>();

async function titleOf(scope: string): Promise<string> {
  const known = scopeTitles.get(scope);
  if (known) return known;
  try {
    const t = scope.startsWith("municipalities/")
      ? (await api.directory.getMunicipality({ name: scope })).displayName
      : scope.startsWith("organizations/")
        ? await api.directory.getOrganization({ name: scope }).then((o) => o.shortName || o.displayName)
        : scope;
    scopeTitles.set(scope, t);
    return t;
  } catch {
    return scope.startsWith("organizations/") ? "Организация" : "Муниципалитет";
  }
}

/** The hash of the dashboard at `trail` (the scopes below the caller's own, outermost first) on report date `on` (kept as chosen). */
function monitoringHash(trail: string[], on = routeParams().get("on") ?? ""): string {
  const q = [trail.length ? `path=${trail.map(encodeURIComponent).join(",")}` : "", /^\d{4}-\d{2}-\d{2}$/.test(on) ? `on=${on}` : ""].filter(Boolean);
  return q.length ? `#/monitoring?${q.join("&")}` : "#/monitoring";
}

type Day = { year: number; month: number; day: number };
const iso = (d: Day) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

/** The report date from the address (`on=YYYY-MM-DD`), else today. */
function reportDate(): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(routeParams().get("on") ?? "");
  return m ? { year: +m[1], month: +m[2], day: +m[3] } : todayDate();
}

/**
 * Report dates the regulation's monitoring period offers: today and the ends of the last four
 * periods — half-years where the region's preset is monitored every half-year (Mordovia), else years.
 */
function periodChoices(halfYear: boolean): [string, string][] {
  const t = todayDate();
  const out: [string, string][] = [["", "на сегодня"]];
  let y = t.year, h2 = t.month > 6;  // the period in progress; its predecessors are complete
  for (let i = 0; i < 4; i++) {
    if (halfYear) {
      if (h2) h2 = false; else { h2 = true; y -= 1; }
      const end = { year: y, month: h2 ? 12 : 6, day: h2 ? 31 : 30 };
      out.push([iso(end), `${h2 ? "2-е" : "1-е"} полугодие ${y} г. (на ${String(end.day).padStart(2, "0")}.${String(end.month).padStart(2, "0")}.${y})`]);
    } else {
      y -= 1;
      out.push([iso({ year: y, month: 12, day: 31 }), `${y} год (на 31.12.${y})`]);
    }
  }
  return out;
}

/** The report-period selector; the options follow the monitoring period of the preset whose indicators are shown. */
function periodPicker(trail: string[], codes: string[]): HTMLElement {
  const sel = h("select", { id: "mon-period" });
  const fill = (halfYear: boolean) => {
    const on = routeParams().get("on") ?? "";
    mount(sel, periodChoices(halfYear).map(([v, label]) => h("option", { value: v, selected: v === on }, label)));
  };
  fill(false);
  api.monitoring
    .listIndicatorPresets({})
    .then((r) => fill(r.presets.some((p) => p.monitoringPeriod === IndicatorPeriod.HALF_YEAR && p.definitions.some((d) => codes.includes(d.code)))))
    .catch(() => undefined);  // yearly choices stand
  sel.addEventListener("change", () => (location.hash = monitoringHash(trail, sel.value)));
  return h("p", { class: "row-actions" }, h("label", { for: "mon-period" }, "Отчётный период: "), sel);
}

/** The drill-down trail from the address: only territorial units, in order. */
function trailFromHash(): string[] {
  return (routeParams().get("path") ?? "")
    .split(",")
    .map((x) => decodeURIComponent(x.trim()))
    .filter((x) => /^(municipalities|organizations)\/\d+$/.test(x));
}

/**
 * #/monitoring[?path=municipalities/5,organizations/7]: the dashboard of the caller's scope or,
 * drilled down, of a unit below it; the address carries the trail (Back works, links can be shared).
 */
export async function monitoringScreen(main: HTMLElement) {
  document.title = "Мониторинг — НМС";
  const root = mainScope();
  const trail = trailFromHash();
  const scope = trail[trail.length - 1] ?? root.scope;
  const body = h("div", {}, loading("Расчёт показателей…"));
  const trend = h("div", {});
  const crumbs = h("nav", { class: "crumbs", "aria-label": "Уровень мониторинга" });
  mount(main, h("h1", {}, "Мониторинг показателей эффективности"), crumbs, indicatorDownloads(scope), body, trend);
  const titles = await Promise.all(trail.map(titleOf));
  const items: [string, string][] = [[monitoringHash([]), root.title], ...trail.map((_, i): [string, string] => [monitoringHash(trail.slice(0, i + 1)), titles[i]])];
  mount(crumbs, items.map(([hash, t], i) => (i === items.length - 1 ? h("span", { "aria-current": "page" }, t) : h("span", {}, h("a", { href: hash }, t), " › "))));
  try {
    const r = await api.monitoring.computeIndicators({ scope, referenceDate: reportDate(), includeChildren: true });
    const vals = r.scopeValues?.values ?? [];
    if (!vals.length) return mount(body, notice("info", "Для региона не настроены показатели эффективности."), presetPanel(() => void monitoringScreen(main)));
    const trends = new Map(vals.map((v) => [v.code, h("span", { class: "ind-trend" })]));
    void fillTrends(scope, trends);
    mount(
      body,
      periodPicker(trail, vals.map((v) => v.code)),
      h(
        "div",
        { class: "cards" },
        vals.map((v) =>
          h(
            "button",
            { type: "button", class: `indicator ind-${v.status}`, onclick: () => void showTrend(trend, scope, v.code, v.title) },
            h("span", { class: "ind-title" }, h("span", { class: "ind-code" }, v.code), " ", v.title),
            h("span", { class: "ind-value-row" }, h("span", { class: `ind-value${v.status === IndicatorStatus.NOT_APPLICABLE ? " ind-na" : ""}` }, shownValue(v)), trends.get(v.code)),
            h("span", { class: "ind-target" }, h("span", { class: "mark", "aria-hidden": "true" }, MARK[v.status]?.[0] ?? ""), ` цель ${targetText(v)} · ${statusTitle[v.status] ?? ""}`),
            h("span", { class: "ind-frac muted" }, v.status === IndicatorStatus.NOT_APPLICABLE ? v.note : `${fmt(Number(v.numerator))} / ${fmt(Number(v.denominator))}`),
          ),
        ),
      ),
      exportPanel(scope),
      r.children.length ? childrenTable(vals, r.children, trail) : null,
    );
  } catch (e) {
    mount(body, errorNotice(e));
  }
}

/** The values of this level and the level below as a CSV file for Excel. */
function exportPanel(scope: string): HTMLElement {
  const out = h("span", { "aria-live": "polite" });
  const b = h("button", { type: "button" }, "Выгрузить в Excel (CSV)");
  b.addEventListener("click", () =>
    void act(b, out, async () => {
      const x = await api.monitoring.exportIndicatorsCsv({ scope, referenceDate: reportDate(), includeChildren: true });
      mount(out, downloadLink(x.content, x.filename || "indicators.csv", "text/csv;charset=utf-8"));
    }, "Выгрузка…"),
  );
  return h("p", { class: "row-actions" }, b, " ", out);
}

/** Units × indicators, every cell marked against its target; unit names lead one level down. */
function childrenTable(vals: IndicatorValue[], children: { scope: string; title: string; values: IndicatorValue[] }[], trail: string[]): HTMLElement {
  for (const c of children) scopeTitles.set(c.scope, c.title);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "indicator-matrix" },
      h("caption", {}, "По подразделениям (нажмите название, чтобы перейти; ✓ — цель достигнута, ✗ — не достигнута)"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Подразделение"), vals.map((v) => h("th", { scope: "col" }, h("span", { class: "ind-code" }, v.code), " ", h("span", { class: "th-title" }, v.title), h("small", { class: "th-target" }, ` цель ${targetText(v)}`))))),
      h(
        "tbody",
        {},
        children.map((c) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, c.scope.startsWith("people/") ? c.title : h("a", { href: monitoringHash([...trail, c.scope]) }, c.title)),
            vals.map((v) => {
              const cv = c.values.find((x) => x.code === v.code);
              return h("td", { class: cv ? `cell-st-${cv.status}` : "" }, cv ? markedValue(cv) : "—");
            }),
          ),
        ),
      ),
    ),
  );
}

/** Next to each card's value: the change since the previous quarter, as an arrow and a number. */
async function fillTrends(scope: string, slots: Map<string, HTMLElement>) {
  try {
    const t = todayDate();
    const r = await api.monitoring.getIndicatorTimeSeries({ scope, codes: [...slots.keys()], fromDate: { year: t.year - 1, month: 1, day: 1 }, toDate: t });
    for (const s of r.series) {
      const slot = slots.get(s.code);
      const pts = s.points.filter((p) => p.value && p.value.status !== IndicatorStatus.NOT_APPLICABLE);
      if (!slot || pts.length < 2) continue;
      const [prev, last] = [pts[pts.length - 2], pts[pts.length - 1]];
      const d = (last.value?.value ?? 0) - (prev.value?.value ?? 0);
      const unit = last.value?.valueKind === IndicatorValueKind.PERCENT ? " п.п." : "";
      const arrow = Math.abs(d) < 0.05 ? "→" : d > 0 ? "↑" : "↓";
      mount(slot, h("span", { "aria-hidden": "true" }, arrow), ` ${d > 0 ? "+" : ""}${fmt(Math.round(d * 10) / 10)}${unit}`, h("small", { class: "muted" }, ` к ${prev.quarter} кв. ${prev.year}`));
      slot.setAttribute("title", `Изменение с ${prev.quarter} кв. ${prev.year}`);
    }
  } catch {
    // The trend is an addition; the values stand without it.
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
    const percent = s.points[0]?.value?.valueKind === IndicatorValueKind.PERCENT;
    mount(
      el,
      trendChart(
        `Динамика: ${code} ${title}`,
        s.points.map((p) => ({
          label: `${p.quarter} кв. ${p.year}`,
          value: !p.value || p.value.status === IndicatorStatus.NOT_APPLICABLE ? null : p.value.value,
          target: p.value?.targetValue ?? 0,
        })),
        percent,
      ),
    );
  } catch (e) {
    mount(el, errorNotice(e));
  }
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
