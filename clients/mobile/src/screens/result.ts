// A diagnostic result: overall level, levels per competency area, deficits (most severe first),
// the comparison with the previous diagnosis, and the ИОМ that follows it. Right after a submit
// (?new=1) the app asks the server for the draft ИОМ — or, when a route from an earlier
// diagnosis exists, for its revision (ReviseRoute), so «Открыть ИОМ» opens the revised route.
import { Code, ConnectError } from "@connectrpc/connect";
import { api, isNetworkError, me } from "../api";
import { fresh } from "../cache";
import { myRoutes } from "../data";
import { pickRoute } from "../route_pick";
import { DiagnosticResultSchema, DiagnosticResultStatus, GetIndividualReportResponseSchema, type DiagnosticResult } from "../gen/nms/v1/diagnostics_pb";
import { RouteRevisionKind, RouteSection, RouteStatus, type Route, type RouteRevision } from "../gen/nms/v1/route_pb";
import { action, areaTitle, chip, dateText, errorNotice, errorText, fmt, h, idOf, levelClass, levelTitle, loading, mount, must, notice, plural, requireOnline, staleNote } from "../ui";
import { routeStatusTitle, sectionTitle } from "./route";

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

function routeCard(route: Route, revision?: RouteRevision | null): HTMLElement {
  const bySection = new Map<number, number>();
  const live = route.items.filter((it) => !it.notNeededSinceRevision);
  for (const it of live) bySection.set(it.section, (bySection.get(it.section) ?? 0) + 1);
  const count = plural(live.length, "мероприятие", "мероприятия", "мероприятий");
  const lead =
    revision?.kind === RouteRevisionKind.NEXT_PERIOD
      ? `Новый ИОМ на следующий период (черновик): ${count}.`
      : revision
        ? `ИОМ пересмотрен по новой диагностике (редакция ${revision.revision}, черновик): ${count}.`
        : route.status === RouteStatus.DRAFT
          ? `Черновик ИОМ: ${count} по выявленным дефицитам.`
          : `ИОМ (${routeStatusTitle[route.status] ?? "—"}): ${count}.`;
  return h(
    "article",
    { class: "card route-summary" },
    h("h3", {}, "Ваш индивидуальный образовательный маршрут"),
    h("p", {}, lead),
    revision
      ? h(
          "ul",
          { class: "plain revision-summary" },
          revision.itemsAdded ? h("li", {}, `Добавлено: ${plural(revision.itemsAdded, "мероприятие", "мероприятия", "мероприятий")}`) : null,
          revision.itemsNotNeeded ? h("li", {}, `Больше не нужно: ${plural(revision.itemsNotNeeded, "мероприятие", "мероприятия", "мероприятий")}`) : null,
          revision.itemsKept ? h("li", {}, `Оставлено: ${plural(revision.itemsKept, "мероприятие", "мероприятия", "мероприятий")}`) : null,
          revision.deficitsClosed ? h("li", {}, `Закрыто: ${plural(revision.deficitsClosed, "дефицит", "дефицита", "дефицитов")}`) : null,
          revision.deficitsNew ? h("li", {}, `Новых: ${plural(revision.deficitsNew, "дефицит", "дефицита", "дефицитов")}`) : null,
        )
      : h(
          "ul",
          { class: "plain" },
          [...bySection.entries()].sort(([a], [b]) => a - b).map(([s, n]) => h("li", {}, `${sectionTitle[s as RouteSection] ?? "Раздел"}: ${n}`)),
        ),
    h("a", { class: "button primary wide", href: `#/route?name=${encodeURIComponent(route.name)}` }, "Открыть ИОМ"),
  );
}

/** A stored idempotency key per (action, result): a retried screen repeats the same request. */
function keyFor(kind: string, result: string): string {
  const k = `nms.m.${kind}.${result}`;
  let key = localStorage.getItem(k);
  if (!key) {
    key = crypto.randomUUID();
    localStorage.setItem(k, key);
  }
  return key;
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
    r.status === DiagnosticResultStatus.PRELIMINARY
      ? notice(
          "warn",
          h("span", {}, h("strong", {}, "Предварительный результат — ждёт оценки эксперта. "), "Баллы за задания, которые оценивает эксперт, добавятся после оценки; тогда результат станет окончательным и придёт уведомление."),
          r.session ? h("a", { class: "button secondary wide", href: `#/expert/${idOf(r.session)}` }, "Работы на экспертную оценку") : null,
        )
      : null,
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

/**
 * The route that follows this result. Right after a submit the app builds it: a new draft, or —
 * when the teacher already has a route from an earlier diagnosis — its revision (or a route for
 * the next period after a completed one). Opened later, a result newer than the route offers
 * the revision; a route already built from it is shown with what changed.
 */
async function showRoute(box: HTMLElement, r: DiagnosticResult, submitted: boolean): Promise<void> {
  try {
    const routes = (await myRoutes()).msg.routes;
    const built = routes.find((x) => x.diagnosticResult === r.name && x.status !== RouteStatus.CANCELLED);
    const revisable = routes.find((x) => x.newerResult === r.name);
    if (built) {
      const full = (await api.route.getRoute({ name: built.name }).catch(() => null))?.route ?? built;
      const rev = full.revision > 1 || full.previousRoute ? (await api.route.listRouteRevisions({ parent: full.name, pageSize: 1 }).catch(() => null))?.revisions[0] : null;
      mount(box, routeCard(full, rev?.diagnosticResult === r.name ? rev : null));
      return;
    }
    const final = r.status === DiagnosticResultStatus.FINAL;
    if (revisable && final) {
      const revise = async () => {
        const got = await api.route.reviseRoute({ name: revisable.name, diagnosticResult: r.name, version: revisable.version, requestId: keyFor("revise", r.name) });
        mount(box, routeCard(must(got.route), got.revision ?? null));
      };
      if (submitted) {
        mount(box, loading("Пересматриваем ИОМ по новой диагностике…"));
        await revise();
        return;
      }
      const b = h("button", { class: "primary wide" }, revisable.status === RouteStatus.COMPLETED ? "Построить ИОМ на следующий период" : "Обновить ИОМ по этой диагностике");
      const out = h("div", { "aria-live": "polite" });
      action(b, out, async () => {
        if (!requireOnline(out)) return;
        await revise();
      });
      mount(
        box,
        h(
          "article",
          { class: "card route-summary" },
          h("h3", {}, "Ваш индивидуальный образовательный маршрут"),
          h("p", {}, `Маршрут построен по диагностике от ${dateText(revisable.header?.diagnosisDate)}. Этот результат новее: по нему маршрут пересматривается — выполненное сохранится, добавятся мероприятия по новым дефицитам, закрытые дефициты отметятся.`),
          b,
          out,
          h("a", { class: "button secondary wide", href: `#/route?name=${encodeURIComponent(revisable.name)}` }, "Открыть текущий ИОМ"),
        ),
      );
      return;
    }
    if (submitted && final && r.deficits.length) {
      try {
        const g = await api.route.generateRoute({ person: r.person || me(), diagnosticResult: r.name, requestId: keyFor("generate", r.name) });
        if (g.route) {
          mount(box, routeCard(g.route), g.uncoveredIndicatorCodes.length ? h("p", { class: "muted" }, `Для ${plural(g.uncoveredIndicatorCodes.length, "дефицита", "дефицитов", "дефицитов")} в каталоге пока нет мероприятий — методист дополнит маршрут.`) : null);
          return;
        }
      } catch (e) {
        // A route built meanwhile (another device, a methodist) is shown below.
        if (ConnectError.from(e).code !== Code.AlreadyExists) throw e;
      }
    }
    const own = pickRoute((await myRoutes()).msg.routes, me());
    if (own && !r.deficits.length) mount(box, h("p", { class: "muted" }, "Дефицитов нет — новый маршрут не требуется."), routeCard(own));
    else if (own) mount(box, routeCard(own));
    else if (!r.deficits.length) mount(box, h("p", { class: "muted" }, "Дефицитов нет — маршрут не требуется. Вы можете стать наставником для коллег."));
    else if (!final) mount(box, h("p", { class: "muted" }, "ИОМ строится по окончательному результату: он появится, когда эксперт оценит ваши работы."));
    else mount(box, h("p", { class: "muted" }, "Маршрут по этому результату ещё не сформирован."));
  } catch (e) {
    mount(box, notice(isNetworkError(e) ? "warn" : "error", `ИОМ пока не сформирован. ${errorText(e)}`));
  }
}
