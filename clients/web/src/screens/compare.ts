// Campaign comparison for a territory (Диагностика → Сравнение кампаний): the methodist picks a
// territory of their scope (region, municipality, organisation) and campaigns; per campaign the
// shares of teachers at each level and with deficits per area (GetAggregateReport), and the
// effect of the ИОМ built from each campaign measured by re-diagnosis (GetRouteEffect of each
// route). Charts on 0–100 % with the same figures in tables, and the CSV of it all.
import { api } from "../api";
import { mainScope } from "../app";
import { CampaignState, type Campaign } from "../gen/nms/v1/diagnostics_pb";
import type { GetRouteEffectResponse } from "../gen/nms/v1/route_pb";
import { RouteStatus } from "../gen/nms/v1/route_pb";
import { scopeSelect } from "../scope";
import { act, checkbox, downloadLink, errorNotice, field, fmt, h, mount, notice, select, table } from "../ui";
import { beforeAfterBars, shareLines, stackedShares } from "../charts";
import { AREAS, byStart, campaignPeriod, closedShare, compareCsv, compareRows, effectSummary, type CompareRow, type EffectSummary } from "../campaign_compare";
import { areaTitle, LEVELS, levelTitle } from "../../../shared/titles";
import { plural } from "../../../shared/plural";
import { diagnosticsTabs, levelColor } from "./diagnostics";

const AREA_COLORS = ["#1f5fa0", "#b36200", "#6a3d9a", "#1e7b3a", "#b3261e"];
// Table headers with soft hyphens: long area names may wrap, so the table fits beside its chart.
const AREA_HEADS = ["Пред\u00adметные", "Методи\u00adческие", "Психолого-педагоги\u00adческие", "Коммуни\u00adкативные", "Цифро\u00adвые"];
/** Routes of one campaign whose effect is read (each is one GetRouteEffect call). */
const EFFECT_ROUTES = 200;
const PARALLEL = 6;

const filterField: Record<string, string> = { "regions/": "region", "municipalities/": "municipality", "organizations/": "organization" };

/** The ListRoutes filter of the routes of `campaign` in `scope`. */
function routesFilter(campaign: string, scope: string): string {
  const kind = Object.keys(filterField).find((p) => scope.startsWith(p));
  return [`campaign = "${campaign}"`, kind ? `${filterField[kind]} = "${scope}"` : ""].filter(Boolean).join(" AND ");
}

/** Runs `f` over `xs` with at most `n` calls at once, reporting progress. */
async function pooled<T, R>(xs: T[], n: number, f: (x: T) => Promise<R>, progress: (done: number) => void): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0, done = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, xs.length) }, async () => {
      while (next < xs.length) {
        const i = next++;
        out[i] = await f(xs[i]);
        progress(++done);
      }
    }),
  );
  return out;
}

interface CampaignEffect {
  summary: EffectSummary;
  /** Routes of the campaign in the territory (not cancelled), of which summary.routes were read. */
  total: number;
}

async function campaignEffect(c: Campaign, scope: string, tick: (text: string) => void): Promise<CampaignEffect> {
  const r = await api.route.listRoutes({ pageSize: EFFECT_ROUTES, filter: routesFilter(c.name, scope) });
  const routes = r.routes.filter((x) => x.status !== RouteStatus.CANCELLED);
  const effects: GetRouteEffectResponse[] = await pooled(routes, PARALLEL, async (x) => await api.route.getRouteEffect({ name: x.name }), (n) =>
    tick(`«${c.title}»: повторная диагностика по ИОМ — ${n} из ${routes.length}…`),
  );
  const cancelled = r.routes.length - routes.length;
  return { summary: effectSummary(effects), total: Math.max(routes.length, Number(r.totalSize) - cancelled) };
}

export async function compareScreen(main: HTMLElement) {
  document.title = "Сравнение кампаний — НМС";
  const scopeBox = scopeSelect(false, true);
  const orgBox = select([["", "все организации"]]);
  const orgField = field("Организация", orgBox, "в выбранном муниципалитете");
  orgField.hidden = true;
  // A region's methodist narrows to one organisation of a municipality in a second step.
  scopeBox.addEventListener("change", async () => {
    orgBox.replaceChildren(h("option", { value: "" }, "все организации"));
    const m = scopeBox.value;
    orgField.hidden = !(m.startsWith("municipalities/") && mainScope().scope.startsWith("regions/"));
    if (orgField.hidden) return;
    try {
      const r = await api.directory.listOrganizations({ parent: m, pageSize: 500 });
      if (scopeBox.value !== m) return; // another territory was chosen meanwhile
      orgBox.append(...r.organizations.map((o) => h("option", { value: o.name }, o.shortName || o.displayName)));
    } catch {
      orgField.hidden = true; // the municipality as a whole stays available
    }
  });
  const campaignsBox = h("fieldset", { class: "checks campaign-picks" }, h("legend", {}, "Кампании (по времени)"), h("p", { class: "muted" }, "Загрузка кампаний…"));
  const run = h("button", { type: "button", class: "primary" }, "Сравнить");
  const out = h("div", { "aria-live": "polite" });
  mount(
    main,
    h("h1", {}, "Диагностика"),
    diagnosticsTabs("#/diagnostics/compare"),
    h("h2", {}, "Сравнение кампаний по территории"),
    h("p", { class: "muted" }, "Доли педагогов по уровням и с дефицитами по областям в каждой кампании, и результат ИОМ по повторной диагностике."),
    h("div", { class: "filters" }, field("Территория", scopeBox), orgField),
    campaignsBox,
    h("div", { class: "row-actions" }, run),
    out,
  );

  let campaigns: Campaign[] = [];
  const picks = new Map<string, HTMLInputElement>();
  try {
    const r = await api.diagnostics.listCampaigns({ pageSize: 200 });
    campaigns = byStart(r.campaigns.filter((c) => c.state === CampaignState.LAUNCHED || c.state === CampaignState.CLOSED));
  } catch (e) {
    mount(campaignsBox, h("legend", {}, "Кампании"), errorNotice(e));
    run.setAttribute("disabled", "");
    return;
  }
  if (!campaigns.length) {
    mount(campaignsBox, h("legend", {}, "Кампании"), h("p", {}, "Запущенных или завершённых кампаний пока нет — сравнивать нечего."));
    run.setAttribute("disabled", "");
    return;
  }
  mount(
    campaignsBox,
    h("legend", {}, "Кампании (по времени)"),
    campaigns.map((c) => {
      const [label, input] = checkbox(`${c.title} · ${campaignPeriod(c)}`, true);
      picks.set(c.name, input);
      return label;
    }),
  );

  run.addEventListener("click", () =>
    void act(run, out, async () => {
      const chosen = campaigns.filter((c) => picks.get(c.name)?.checked);
      if (!chosen.length) {
        mount(out, notice("warn", "Отметьте хотя бы одну кампанию."));
        return;
      }
      const scope = orgBox.value || scopeBox.value;
      const territory = orgBox.value ? orgBox.selectedOptions[0].text : scopeBox.selectedOptions[0]?.text.replace(/ \(всё\)$/, "") ?? "";
      const status = h("p", { class: "loading", role: "status" }, "Отчёты по кампаниям…");
      mount(out, status);
      const reports = await Promise.all(chosen.map((c) => api.diagnostics.getAggregateReport({ scope, campaign: c.name, topDeficits: 1 })));
      const rows = compareRows(chosen, reports);
      const effects = new Map<string, CampaignEffect>();
      for (const c of chosen) effects.set(c.name, await campaignEffect(c, scope, (t) => (status.textContent = t)));
      render(out, reports[0]?.title || territory, rows, chosen, effects);
    }, "Отчёты по кампаниям…"),
  );
}

/** "Весенняя диагностика (03.2026)" — the campaign, shortened for an axis, and the month it opened. */
function shortLabel(r: CompareRow): string {
  const m = r.period.match(/^(?:с )?\d\d\.(\d\d)\.(\d{4})/);
  const title = r.title.length > 19 ? `${r.title.slice(0, 18)}…` : r.title; // with the month, within the axis's 30
  return m ? `${title} (${m[1]}.${m[2]})` : title;
}

function render(out: HTMLElement, territory: string, rows: CompareRow[], campaigns: Campaign[], effects: Map<string, CampaignEffect>) {
  const labels = rows.map(shortLabel);
  const withResults = rows.filter((r) => r.diagnosed > 0);
  const csv = compareCsv(territory, rows, new Map([...effects].map(([k, v]) => [k, v.summary])));
  const levelsChart = stackedShares(
    `Уровни педагогов по кампаниям — ${territory}`,
    withResults.map((r) => ({ label: shortLabel(r), parts: LEVELS.map((l, k) => ({ name: levelTitle[l], value: r.levels[k], color: levelColor[l] })) })),
    true,
  );
  const deficitChart = shareLines(
    `Доля педагогов с дефицитом по областям — ${territory}`,
    labels,
    AREAS.map((a, k) => ({ name: areaTitle[a], values: rows.map((r) => (r.diagnosed ? r.deficits[k] : null)), color: AREA_COLORS[k] })),
  );
  const pctCell = (v: number) => `${fmt(v)} %`;
  const who = (r: CompareRow) => h("span", {}, h("strong", {}, r.title), h("br", {}), h("small", { class: "muted" }, r.period));
  const levelsTable = table(
    ["Кампания", "Прошли", ...LEVELS.map((l) => levelTitle[l])],
    rows.map((r) => [who(r), `${fmt(r.diagnosed)} из ${fmt(r.population)}`, ...(r.diagnosed ? r.levels.map(pctCell) : LEVELS.map(() => "—"))]),
    "Доли прошедших диагностику по общему уровню",
  );
  const deficitsTable = table(
    ["Кампания", ...AREA_HEADS],
    rows.map((r) => [who(r), ...(r.diagnosed ? r.deficits.map(pctCell) : AREAS.map(() => "—"))]),
    "Доли с дефицитом (уровень ниже базового) по областям",
  );

  // The ИОМ built from each campaign's results, measured by the teachers' next diagnosis.
  const merged = campaigns.map((c) => effects.get(c.name)!.summary);
  const rediagnosed = merged.reduce((s, e) => s + e.rediagnosed, 0);
  // Weighted by the re-diagnosed of each campaign: the mean over all of them.
  const areaMean = (k: number, side: "before" | "after") => {
    let sum = 0, n = 0;
    for (const e of merged) {
      const v = e[side][k];
      if (v !== null) {
        sum += v * e.rediagnosed;
        n += e.rediagnosed;
      }
    }
    return n ? sum / n : null;
  };
  // Areas the instrument did not measure have no before/after: left out of the drawing.
  const measured = AREAS.map((_, k) => k).filter((k) => areaMean(k, "before") !== null);
  const effectTable = table(
    ["ИОМ по результатам кампании", "ИОМ", "Повторно продиагностированы", "Общий уровень: вырос / тот же / снизился", "Дефицитов закрыто"],
    campaigns.map((c) => {
      const { summary: e, total: n } = effects.get(c.name)!;
      const share = closedShare(e);
      return [
        h("strong", {}, c.title),
        e.routes < n ? `${fmt(n)} (прочитаны первые ${fmt(e.routes)})` : fmt(n),
        e.routes ? `${fmt(e.rediagnosed)} (${fmt((e.rediagnosed * 100) / e.routes)} %)` : "—",
        e.rediagnosed ? `${fmt(e.up)} / ${fmt(e.same)} / ${fmt(e.down)}` : "—",
        share === null ? "—" : `${fmt(e.closed)} из ${fmt(e.closed + e.remaining)} (${fmt(share)} %)${e.appeared ? `, новых ${fmt(e.appeared)}` : ""}`,
      ];
    }),
    "Эффект ИОМ по повторной диагностике",
  );
  const effectChart = rediagnosed
    ? beforeAfterBars(
        `Средний результат по областям до и после ИОМ — ${plural(rediagnosed, "педагог", "педагога", "педагогов")} с повторной диагностикой`,
        measured.map((k) => areaTitle[AREAS[k]]),
        measured.map((k) => areaMean(k, "before")!),
        measured.map((k) => areaMean(k, "after") ?? 0),
        ["до ИОМ", "после ИОМ"],
      )
    : h("p", { class: "notice notice-info" }, merged.some((e) => e.routes) ? "Повторной диагностики после начала ИОМ пока не было — эффект появится после следующей кампании." : "ИОМ по выбранным кампаниям на этой территории нет.");

  mount(
    out,
    h("p", {}, `Территория: ${territory} · ${plural(rows.length, "кампания", "кампании", "кампаний")}, ${plural(rows.reduce((s, r) => s + r.diagnosed, 0), "результат", "результата", "результатов")}.`,
      " ", downloadLink(csv, `сравнение_кампаний_${territory.replace(/[^\p{L}\p{N}]+/gu, "_")}.csv`, "text/csv;charset=utf-8", "Скачать CSV")),
    withResults.length ? null : notice("info", "В выбранных кампаниях на этой территории результатов нет."),
    h("section", { class: "compare-block", "aria-label": "Уровни" }, withResults.length ? levelsChart : null, levelsTable),
    h("section", { class: "compare-block", "aria-label": "Дефициты по областям" }, withResults.length ? deficitChart : null, deficitsTable),
    h("h2", {}, "Эффект ИОМ"),
    h("section", { class: "compare-block", "aria-label": "Эффект ИОМ" }, effectChart, effectTable),
  );
}
