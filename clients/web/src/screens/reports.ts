// Diagnostic reports: levels overall and per competency area, the most frequent deficits and a
// breakdown by the next territorial level (click a row to drill down, breadcrumbs to go back),
// with CSV export of the results behind the figures.
import { api } from "../api";
import { mainScope } from "../app";
import { CampaignState, type GetAggregateReportResponse } from "../gen/nms/v1/diagnostics_pb";
import { act, downloadLink, errorNotice, field, fmt, h, loading, mount, table } from "../ui";
import { shareBars, stackedShares } from "../charts";
import { areaTitle, campaignStateTitle, diagnosticsTabs, levelColor, levelTitle } from "./diagnostics";

const LEVELS = [1, 2, 3, 4]; // недостаточный … высокий

interface Crumb {
  scope: string;
  title: string;
}

/** Renders the report of `campaign` (empty = latest result per teacher) for the last crumb. */
export async function reportView(el: HTMLElement, campaign: string, trail: Crumb[] = [{ scope: mainScope().scope, title: mainScope().title }]) {
  const here = trail[trail.length - 1];
  mount(el, loading("Формирование отчёта…"));
  try {
    const r = await api.diagnostics.getAggregateReport({ scope: here.scope, campaign, topDeficits: 10, includeChildren: true });
    renderReport(el, r, campaign, trail);
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

function renderReport(el: HTMLElement, r: GetAggregateReportResponse, campaign: string, trail: Crumb[]) {
  const crumbs = h(
    "nav",
    { class: "crumbs", "aria-label": "Уровень отчёта" },
    trail.map((c, i) =>
      i === trail.length - 1
        ? h("span", { "aria-current": "page" }, r.title || c.title)
        : h("span", {}, h("a", { href: "#", onclick: (ev: Event) => { ev.preventDefault(); void reportView(el, campaign, trail.slice(0, i + 1)); } }, c.title), " › "),
    ),
  );
  const exportOut = h("span", { "aria-live": "polite" });
  const exportBtn = h("button", {
    type: "button",
    onclick: () =>
      void act(exportBtn, exportOut, async () => {
        const x = await api.diagnostics.exportResultsCsv({ scope: r.scope, campaign });
        mount(exportOut, downloadLink(x.content, x.filename || "results.csv", "text/csv", `Результаты: ${fmt(Number(x.rowCount))} строк`));
      }, "Выгрузка…"),
  }, "Выгрузить результаты (CSV)");
  const diagnosed = Number(r.diagnosedCount);
  if (!diagnosed) {
    return mount(
      el,
      crumbs,
      h("p", {}, `Охват: ${fmt(Number(r.populationCount))} педагогов; результатов пока нет.`),
      childrenTable(el, r, campaign, trail),
    );
  }
  const overall = r.overallLevels.map((l) => ({ label: levelTitle[l.level] ?? "—", value: l.sharePercent, color: levelColor[l.level] }));
  const areaMeans = r.areas.map((a) => ({ label: areaTitle[a.area] ?? "—", value: a.meanScorePercent }));
  const areaLevels = r.areas.map((a) => ({
    label: areaTitle[a.area] ?? "—",
    parts: LEVELS.map((l) => ({ name: levelTitle[l], value: a.levels.find((x) => x.level === l)?.sharePercent ?? 0, color: levelColor[l] })),
  }));
  const deficits = r.topDeficits.map((d) => ({ label: `${d.indicatorCode} ${d.title}`, value: d.sharePercent, color: "#b3261e" }));
  mount(
    el,
    crumbs,
    h(
      "p",
      { class: "report-summary" },
      `Прошли диагностику ${fmt(diagnosed)} из ${fmt(Number(r.populationCount))} (${fmt(r.diagnosedSharePercent)} %). `,
      exportBtn,
      " ",
      exportOut,
    ),
    h(
      "div",
      { class: "charts" },
      shareBars("Общий уровень (доля педагогов)", overall),
      stackedShares("Уровни по областям компетенций (доля педагогов, %)", areaLevels),
      shareBars("Средний результат по областям", areaMeans),
      deficits.length ? shareBars("Самые частые дефициты (доля педагогов)", deficits) : null,
    ),
    table(
      ["Область", ...LEVELS.map((l) => levelTitle[l]), "Средний результат"],
      r.areas.map((a) => [areaTitle[a.area] ?? "—", ...LEVELS.map((l) => fmt(Number(a.levels.find((x) => x.level === l)?.count ?? 0n))), `${fmt(a.meanScorePercent)} %`]),
      "Уровни по областям (человек)",
    ),
    r.topDeficits.length
      ? table(["Индикатор", "Область", "Человек", "Доля"], r.topDeficits.map((d) => [`${d.indicatorCode} ${d.title}`, areaTitle[d.area] ?? "—", fmt(Number(d.count)), `${fmt(d.sharePercent)} %`]), "Самые частые дефициты")
      : null,
    childrenTable(el, r, campaign, trail),
  );
}

function childrenTable(el: HTMLElement, r: GetAggregateReportResponse, campaign: string, trail: Crumb[]): HTMLElement | null {
  // A campaign's report lists only the units it covers.
  const children = campaign ? r.children.filter((c) => Number(c.populationCount) > 0) : r.children;
  if (!children.length) return null;
  const insufficient = (c: (typeof r.children)[number]) => c.overallLevels.find((l) => l.level === 1)?.sharePercent ?? 0;
  return table(
    ["Подразделение", "Охват", "Прошли", "Доля", "Недостаточный уровень"],
    children.map((c) => [
      h("a", { href: "#", onclick: (ev: Event) => { ev.preventDefault(); void reportView(el, campaign, [...trail, { scope: c.scope, title: c.title }]); } }, c.title),
      fmt(Number(c.populationCount)),
      fmt(Number(c.diagnosedCount)),
      `${fmt(c.diagnosedSharePercent)} %`,
      Number(c.diagnosedCount) ? `${fmt(insufficient(c))} %` : "—",
    ]),
    "По подразделениям (нажмите название, чтобы открыть)",
  );
}

/** #/diagnostics/report: the report of the caller's scope over one campaign or the latest results. */
export async function summaryReportScreen(main: HTMLElement) {
  document.title = "Сводный отчёт диагностики — НМС";
  const campaign = h("select", {}, h("option", { value: "" }, "последний результат каждого педагога"));
  const body = h("div", {});
  mount(main, h("h1", {}, "Сводный отчёт диагностики"), diagnosticsTabs("#/diagnostics/report"), h("div", { class: "filters" }, field("Кампания", campaign)), body);
  campaign.addEventListener("change", () => void reportView(body, campaign.value));
  api.diagnostics
    .listCampaigns({ pageSize: 200 })
    .then((r) =>
      campaign.append(
        ...r.campaigns
          .filter((c) => c.state === CampaignState.LAUNCHED || c.state === CampaignState.CLOSED)
          .map((c) => h("option", { value: c.name }, `${c.title} (${campaignStateTitle[c.state]})`)),
      ),
    )
    .catch(() => undefined); // The report over the latest results still works.
  await reportView(body, "");
}
