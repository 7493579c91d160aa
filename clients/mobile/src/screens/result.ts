// A diagnostic result: overall level, levels per competency area, deficits (most severe first),
// the comparison with the previous diagnosis, and the ИОМ built from it. Right after a submit
// (?new=1) the app asks the server to generate the draft ИОМ for the teacher.
import { Code, ConnectError } from "@connectrpc/connect";
import { api, isNetworkError, me } from "../api";
import { fresh } from "../cache";
import { myRoutes } from "../data";
import { pickRoute } from "../route_pick";
import { DiagnosticResultSchema, DiagnosticResultStatus, GetIndividualReportResponseSchema, type DiagnosticResult } from "../gen/nms/v1/diagnostics_pb";
import { RouteSection, type Route } from "../gen/nms/v1/route_pb";
import { areaTitle, chip, dateText, errorNotice, errorText, fmt, h, levelClass, levelTitle, loading, mount, must, notice, plural, staleNote } from "../ui";
import { sectionTitle } from "./route";

const genKey = (result: string) => `nms.m.generate.${result}`;

function areaRows(r: DiagnosticResult): HTMLElement {
  return h(
    "ul",
    { class: "areas" },
    r.areaScores.map((a) =>
      h(
        "li",
        { class: "area" },
        h("div", { class: "area-head" }, h("span", {}, areaTitle[a.area] ?? "Область"), chip(levelTitle[a.level] ?? "—", levelClass[a.level] ?? "")),
        h(
          "div",
          { class: "bar", role: "img", "aria-label": `${areaTitle[a.area] ?? ""}: ${fmt(a.scorePercent)} %` },
          h("div", { class: `bar-fill ${levelClass[a.level] ?? ""}`, style: `width:${Math.max(0, Math.min(100, a.scorePercent))}%` }),
        ),
        h("small", {}, `${fmt(a.scorePercent)} %`),
      ),
    ),
  );
}

function deficits(r: DiagnosticResult): HTMLElement {
  if (!r.deficits.length) return notice("success", "Профессиональных дефицитов не выявлено.");
  return h(
    "ol",
    { class: "deficits" },
    r.deficits.map((d) =>
      h(
        "li",
        {},
        h("strong", {}, d.title || d.indicatorCode),
        h("span", { class: "muted" }, ` · ${areaTitle[d.area] ?? ""}`),
        h("div", { class: "small" }, `${fmt(d.scorePercent)} % при пороге ${fmt(d.thresholdPercent)} % (не хватает ${fmt(d.gapPercent)} п.)`),
      ),
    ),
  );
}

function routeCard(route: Route): HTMLElement {
  const bySection = new Map<number, number>();
  for (const it of route.items) bySection.set(it.section, (bySection.get(it.section) ?? 0) + 1);
  return h(
    "article",
    { class: "card route-summary" },
    h("h3", {}, "Ваш индивидуальный образовательный маршрут"),
    h("p", {}, `Черновик ИОМ: ${plural(route.items.length, "мероприятие", "мероприятия", "мероприятий")} по выявленным дефицитам.`),
    h(
      "ul",
      { class: "plain" },
      [...bySection.entries()].sort(([a], [b]) => a - b).map(([s, n]) => h("li", {}, `${sectionTitle[s as RouteSection] ?? "Раздел"}: ${n}`)),
    ),
    h("a", { class: "button primary wide", href: `#/route?name=${encodeURIComponent(route.name)}` }, "Открыть ИОМ"),
  );
}

export async function resultScreen(main: HTMLElement, id?: string): Promise<void> {
  const name = `results/${id ?? ""}`;
  const isNew = location.hash.includes("new=1");
  mount(main, h("h1", {}, "Результат диагностики"), loading());
  let r: DiagnosticResult;
  let stale = false, savedAt = 0;
  try {
    const got = await fresh(DiagnosticResultSchema, `result:${name}`, async () => must((await api.diagnostics.getDiagnosticResult({ name })).result), isNetworkError);
    r = got.msg;
    stale = got.stale;
    savedAt = got.savedAt;
  } catch (e) {
    mount(main, h("h1", {}, "Результат диагностики"), errorNotice(e, () => void resultScreen(main, id)));
    return;
  }
  const compare = h("div", {});
  const routeBox = h("div", { "aria-live": "polite" }, loading("Формируем ИОМ…"));
  mount(
    main,
    h("h1", {}, "Результат диагностики"),
    stale ? staleNote(savedAt) : null,
    isNew ? notice("success", "Работа отправлена. Спасибо! Ниже — ваш профиль компетенций.") : null,
    r.status === DiagnosticResultStatus.PRELIMINARY ? notice("info", "Результат предварительный: часть работы оценивают эксперты.") : null,
    h(
      "section",
      { class: "card overall" },
      h("p", { class: "muted" }, `Дата диагностики: ${dateText(r.diagnosisDate)}`),
      h("p", { class: "overall-level" }, "Общий уровень: ", chip(levelTitle[r.overallLevel] ?? "—", levelClass[r.overallLevel] ?? ""), h("span", { class: "muted" }, ` ${fmt(r.overallScorePercent)} %`)),
    ),
    h("section", { "aria-labelledby": "areas-h" }, h("h2", { id: "areas-h" }, "Уровни по областям компетенций"), areaRows(r)),
    h("section", { "aria-labelledby": "def-h" }, h("h2", { id: "def-h" }, `Дефициты (${r.deficits.length})`), deficits(r)),
    compare,
    h("section", { "aria-labelledby": "route-h" }, h("h2", { id: "route-h" }, "Маршрут развития"), routeBox),
  );
  void fresh(GetIndividualReportResponseSchema, `report:${name}`, () => api.diagnostics.getIndividualReport({ result: name }), isNetworkError)
    .then(({ msg }) => {
      if (!msg.comparisons.length) return;
      mount(
        compare,
        h("h2", {}, "По сравнению с прошлой диагностикой"),
        h(
          "ul",
          { class: "plain" },
          msg.comparisons.map((c) => h("li", {}, `${areaTitle[c.area] ?? ""}: ${c.deltaPercent >= 0 ? "+" : ""}${fmt(c.deltaPercent)} п. (${levelTitle[c.previousLevel]} → ${levelTitle[c.currentLevel]})`)),
        ),
        msg.closedDeficitCodes.length ? h("p", {}, `Закрыто дефицитов: ${msg.closedDeficitCodes.length}.`) : null,
      );
    })
    .catch(() => {});
  await showRoute(routeBox, r, isNew);
}

/** Finds the route built from this result; right after a submit, generates it first. */
async function showRoute(box: HTMLElement, r: DiagnosticResult, generate: boolean): Promise<void> {
  try {
    if (generate && r.status === DiagnosticResultStatus.FINAL && r.deficits.length) {
      let key = localStorage.getItem(genKey(r.name));
      if (!key) {
        key = crypto.randomUUID();
        localStorage.setItem(genKey(r.name), key);
      }
      try {
        const g = await api.route.generateRoute({ person: r.person || me(), diagnosticResult: r.name, requestId: key });
        if (g.route) {
          mount(box, routeCard(g.route), g.uncoveredIndicatorCodes.length ? h("p", { class: "muted" }, `Для ${plural(g.uncoveredIndicatorCodes.length, "дефицита", "дефицитов", "дефицитов")} в каталоге пока нет мероприятий — методист дополнит маршрут.`) : null);
          return;
        }
      } catch (e) {
        // A route already built from this result (another device, a methodist) is shown below.
        if (ConnectError.from(e).code !== Code.AlreadyExists) throw e;
      }
    }
    const routes = (await myRoutes()).msg.routes;
    const own = routes.find((x) => x.diagnosticResult === r.name) ?? pickRoute(routes, me());
    if (own) {
      const full = (await api.route.getRoute({ name: own.name }).catch(() => null))?.route ?? own;
      mount(box, routeCard(full));
    } else if (!r.deficits.length) mount(box, h("p", { class: "muted" }, "Дефицитов нет — маршрут не требуется. Вы можете стать наставником для коллег."));
    else mount(box, h("p", { class: "muted" }, "Маршрут по этому результату ещё не сформирован."));
  } catch (e) {
    mount(box, notice(isNetworkError(e) ? "warn" : "error", `ИОМ пока не сформирован. ${errorText(e)}`));
  }
}
