// Campaign comparison over time for one territory (no DOM, unit-tested): per campaign the share of
// the diagnosed at each overall level and, per competency area, the share with a deficit there
// (the area's level below basic — docs/domain.md §2); and the effect of the territory's ИОМ
// measured by re-diagnosis (GetRouteEffect of each route, summed here), with the CSV of both.
import { CompetencyArea, CompetencyLevel } from "./gen/nms/v1/common_pb";
import type { Campaign, GetAggregateReportResponse } from "./gen/nms/v1/diagnostics_pb";
import type { GetRouteEffectResponse } from "./gen/nms/v1/route_pb";
import { writeCsv } from "../../shared/csv";
import { dateText } from "../../shared/format";
import { areaTitle, LEVELS, levelTitle } from "../../shared/titles";

export const AREAS = [CompetencyArea.SUBJECT, CompetencyArea.METHODOLOGICAL, CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL, CompetencyArea.COMMUNICATIVE, CompetencyArea.DIGITAL];

type Ts = { seconds: bigint } | undefined;
const msOf = (t: Ts) => (t ? Number(t.seconds) * 1000 : 0);

/** The Moscow calendar day of a timestamp. */
function dayOf(t: Ts): { year: number; month: number; day: number } | undefined {
  if (!t || !t.seconds) return undefined;
  const [d, m, y] = new Date(msOf(t)).toLocaleDateString("ru-RU", { timeZone: "Europe/Moscow" }).split(".").map(Number);
  return { year: y, month: m, day: d };
}

/** When a campaign ran: its opening (else launch, else creation) — the order of the comparison. */
export function campaignStart(c: Campaign): number {
  return msOf(c.openTime) || msOf(c.launchTime) || msOf(c.createTime);
}

/** Oldest first, so the comparison reads left to right in time. */
export function byStart(cs: Campaign[]): Campaign[] {
  return [...cs].sort((a, b) => campaignStart(a) - campaignStart(b) || a.title.localeCompare(b.title, "ru"));
}

/** "01.09.2025 — 30.09.2025" (or the one end that is known). */
export function campaignPeriod(c: Campaign): string {
  const from = dayOf(c.openTime) ?? dayOf(c.launchTime), to = dayOf(c.closeTime);
  if (from && to) return `${dateText(from)} — ${dateText(to)}`;
  if (from) return `с ${dateText(from)}`;
  return to ? `по ${dateText(to)}` : "даты не заданы";
}

export interface CompareRow {
  campaign: string;
  title: string;
  period: string;
  population: number;
  diagnosed: number;
  /** Percent of the diagnosed at each of LEVELS (недостаточный … высокий). */
  levels: number[];
  /** Percent of the diagnosed below basic in each of AREAS. */
  deficits: number[];
  /** Mean score, percent, in each of AREAS. */
  means: number[];
}

/** One row per campaign (in the given order) from its aggregate report over the territory. */
export function compareRows(campaigns: Campaign[], reports: GetAggregateReportResponse[]): CompareRow[] {
  return campaigns.map((c, i) => {
    const r = reports[i];
    const area = (a: CompetencyArea) => r.areas.find((x) => x.area === a);
    return {
      campaign: c.name,
      title: c.title,
      period: campaignPeriod(c),
      population: Number(r.populationCount),
      diagnosed: Number(r.diagnosedCount),
      levels: LEVELS.map((l) => r.overallLevels.find((x) => x.level === l)?.sharePercent ?? 0),
      deficits: AREAS.map((a) => area(a)?.levels.find((x) => x.level === CompetencyLevel.INSUFFICIENT)?.sharePercent ?? 0),
      means: AREAS.map((a) => area(a)?.meanScorePercent ?? 0),
    };
  });
}

export interface EffectSummary {
  /** Routes looked at. */
  routes: number;
  /** Of them re-diagnosed after the route started. */
  rediagnosed: number;
  /** Mean area score before and after, percent, over the re-diagnosed (null: no data for the area). */
  before: (number | null)[];
  after: (number | null)[];
  /** Overall level went up, stayed, went down. */
  up: number;
  same: number;
  down: number;
  /** Deficits of the baselines closed and remaining; deficits that appeared. */
  closed: number;
  remaining: number;
  appeared: number;
}

/** Sums the re-diagnosis effects of a territory's routes. */
export function effectSummary(effects: GetRouteEffectResponse[]): EffectSummary {
  const done = effects.filter((e) => e.rediagnosed);
  const mean = (a: CompetencyArea, pick: (d: { beforeScorePercent: number; afterScorePercent: number }) => number) => {
    const ds = done.flatMap((e) => e.areaDeltas.filter((d) => d.area === a));
    return ds.length ? ds.reduce((s, d) => s + pick(d), 0) / ds.length : null;
  };
  const s: EffectSummary = {
    routes: effects.length,
    rediagnosed: done.length,
    before: AREAS.map((a) => mean(a, (d) => d.beforeScorePercent)),
    after: AREAS.map((a) => mean(a, (d) => d.afterScorePercent)),
    up: 0, same: 0, down: 0, closed: 0, remaining: 0, appeared: 0,
  };
  for (const e of done) {
    if (e.afterOverallLevel > e.beforeOverallLevel) s.up++;
    else if (e.afterOverallLevel < e.beforeOverallLevel) s.down++;
    else s.same++;
    s.closed += e.closedDeficitCodes.length;
    s.remaining += e.remainingDeficitCodes.length;
    s.appeared += e.newDeficitCodes.length;
  }
  return s;
}

/** Percent of the baseline deficits closed by re-diagnosis (null without any). */
export function closedShare(s: EffectSummary): number | null {
  const all = s.closed + s.remaining;
  return all ? (s.closed * 100) / all : null;
}

/** The comparison as a CSV Excel opens (Russian headers, names and dates, no resource names). */
export function compareCsv(territory: string, rows: CompareRow[], effects: Map<string, EffectSummary>): string {
  const header = [
    "Территория", "Кампания", "Период", "Участников", "Прошли диагностику",
    ...LEVELS.map((l) => `Уровень «${levelTitle[l]}», %`),
    ...AREAS.map((a) => `${areaTitle[a]}: с дефицитом, %`),
    ...AREAS.map((a) => `${areaTitle[a]}: средний результат, %`),
    "ИОМ по результатам кампании", "Из них с повторной диагностикой", "Уровень вырос", "Уровень не изменился", "Уровень снизился", "Дефицитов закрыто", "Дефицитов осталось", "Новых дефицитов",
  ];
  const out = rows.map((r) => {
    const e = effects.get(r.campaign);
    return [
      territory, r.title, r.period, r.population, r.diagnosed, ...r.levels, ...r.deficits, ...r.means,
      ...(e ? [e.routes, e.rediagnosed, e.up, e.same, e.down, e.closed, e.remaining, e.appeared] : ["", "", "", "", "", "", "", ""]),
    ];
  });
  return writeCsv(header, out);
}
