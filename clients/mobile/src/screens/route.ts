// My ИОМ: the route by the template's sections (the ИОМ template, docs/domain.md §3), its status and signatures, agreeing
// (the teacher's signature), starting and completing it, progress and deadlines (upcoming ones
// highlighted); and one item: status, evidence (certificate number, link), reflective report,
// ДПП enrolment.
import { create } from "@bufbuild/protobuf";
import { api, isNetworkError, requestId } from "../api";
import { fresh, remember } from "../cache";
import { currentRoute } from "../data";
import { defaultSteps, nextItem, nextStep, teacherOffers, type ActionKind, type Steps } from "../route_rules";
import { deadlineState, daysUntil, itemHref } from "../notifications";
import {
  EnrolmentStatus,
  ListRouteRevisionsResponseSchema,
  RouteChangeKind,
  RouteRevisionKind,
  RouteSettingsSchema,
  type RouteRevision,
  RouteItemEvidenceKind,
  RouteItemEvidenceSchema,
  RouteItemSchema,
  RouteItemStatus,
  RouteSchema,
  RouteSection,
  RouteSignatureKind,
  RouteStatus,
  type Route,
  type RouteItem,
} from "../gen/nms/v1/route_pb";
import { action, requireOnline, areaTitle, chip, dateText, errorNotice, field, fmt, h, levelTitle, loading, mount, must, notice, plural, progressBar, select, staleNote, todayDate, tsText } from "../ui";
// The offline queue of the item's writes (kept apart from the imports above for easy merges).
import { clone } from "@bufbuild/protobuf";
import { recall } from "../cache";
import { RouteItemEnrolmentSchema } from "../gen/nms/v1/route_pb";
import { write } from "../queue";
import { outcomeNotice, pendingMarks } from "../outbox_ui";
import { routeStatusTitle } from "../../../shared/titles";
export { routeStatusTitle };

export const sectionTitle: Record<number, string> = {
  [RouteSection.FURTHER_TRAINING]: "1.1 Повышение квалификации (ДПП ПК)",
  [RouteSection.INTERNSHIP]: "1.2 Стажировка",
  [RouteSection.EVENTS]: "1.3 Мероприятия",
  [RouteSection.COMMUNITIES]: "1.4 Профессиональные сообщества",
  [RouteSection.EXPERIENCE_PRESENTATION]: "2.1 Представление собственного опыта",
  [RouteSection.METHODOLOGICAL_MATERIALS]: "2.2 Методические материалы",
  [RouteSection.MENTORING]: "3 Наставничество",
};


const itemStatusTitle: Record<number, string> = {
  [RouteItemStatus.PLANNED]: "запланировано",
  [RouteItemStatus.IN_PROGRESS]: "в работе",
  [RouteItemStatus.DONE]: "выполнено",
  [RouteItemStatus.SKIPPED]: "пропущено",
};

const enrolmentTitle: Record<number, string> = {
  [EnrolmentStatus.UNSPECIFIED]: "заявка не подана",
  [EnrolmentStatus.APPLIED]: "заявка подана, ждёт решения руководителя",
  [EnrolmentStatus.APPROVED]: "заявка одобрена, ждёт зачисления",
  [EnrolmentStatus.ENROLLED]: "вы зачислены",
  [EnrolmentStatus.WITHDRAWN]: "заявка отозвана",
  [EnrolmentStatus.REJECTED]: "заявка отклонена",
};

const signatureTitle: Record<number, string> = {
  [RouteSignatureKind.TEACHER]: "Педагог",
  [RouteSignatureKind.SCHOOL_REPRESENTATIVE]: "Представитель организации",
  [RouteSignatureKind.APPROVER]: "Утверждено",
};

function closed(it: RouteItem): boolean {
  return it.status === RouteItemStatus.DONE || it.status === RouteItemStatus.SKIPPED;
}

export function deadlineChip(it: RouteItem): HTMLElement | null {
  if (!it.deadline?.year) return null;
  if (closed(it)) return chip(`срок ${dateText(it.deadline)}`, "muted-chip");
  const st = deadlineState(it.deadline, todayDate());
  const n = daysUntil(it.deadline, todayDate());
  if (st === "overdue") return chip(`просрочено: ${dateText(it.deadline)}`, "overdue");
  if (st === "soon") return chip(n === 0 ? "срок сегодня" : `срок через ${plural(n, "день", "дня", "дней")}`, "soon");
  return chip(`срок ${dateText(it.deadline)}`, "");
}

function itemCard(it: RouteItem): HTMLElement {
  return h(
    "li",
    {},
    h(
      "a",
      { class: `card item-card status-${it.status}`, href: itemHref(it.name), "data-item": it.name },
      h("span", { class: "item-title" }, it.title),
      h("span", { class: "item-meta" }, [it.form, it.hours && !it.form.includes(`${it.hours} ч`) ? `${it.hours} ч` : ""].filter(Boolean).join(" · ")),
      h(
        "span",
        { class: "chips" },
        chip(it.notNeededSinceRevision ? "больше не нужно" : itemStatusTitle[it.status] ?? "—", `st-${it.status}`),
        it.addedInRevision > 1 && !it.notNeededSinceRevision ? chip("новое", "new-chip") : null,
        deadlineChip(it),
      ),
    ),
  );
}

export async function routeScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Мой ИОМ"), loading());
  let data: Awaited<ReturnType<typeof currentRoute>>;
  try {
    data = await currentRoute(new URLSearchParams(location.hash.split("?")[1] ?? "").get("name") ?? undefined);
  } catch (e) {
    mount(main, h("h1", {}, "Мой ИОМ"), errorNotice(e, () => void routeScreen(main)));
    return;
  }
  const route = data.route;
  if (!route) {
    mount(
      main,
      h("h1", {}, "Мой ИОМ"),
      notice("info", "У вас пока нет индивидуального образовательного маршрута. Он строится по результатам диагностики профессиональных дефицитов."),
      h("a", { class: "button primary wide", href: "#/tests" }, "К диагностике"),
    );
    return;
  }
  const [steps, revisions] = await Promise.all([routeSteps(route), routeRevisions(route)]);
  renderRoute(main, route, data.stale ? data.savedAt : 0, data.routes, steps, revisions);
}

/** The region's signature steps (RouteSettings); the strictest when unknown. */
async function routeSteps(route: Route): Promise<Steps> {
  if (!route.region) return defaultSteps;
  try {
    const name = `${route.region}/routeSettings`;
    return (await fresh(RouteSettingsSchema, `settings:${name}`, async () => must((await api.route.getRouteSettings({ name })).settings), isNetworkError)).msg;
  } catch {
    return defaultSteps;
  }
}

/** The route's revisions, newest first (none for a route never revised). */
async function routeRevisions(route: Route): Promise<RouteRevision[]> {
  if (route.revision <= 1 && !route.previousRoute) return [];
  try {
    return (await fresh(ListRouteRevisionsResponseSchema, `revisions:${route.name}`, () => api.route.listRouteRevisions({ parent: route.name, pageSize: 20 }), isNetworkError)).msg.revisions;
  } catch {
    return [];
  }
}

const changeTitle: Record<number, string> = {
  [RouteChangeKind.ITEM_ADDED]: "Добавлено",
  [RouteChangeKind.ITEM_NOT_NEEDED]: "Больше не нужно",
  [RouteChangeKind.ITEM_KEPT]: "Оставлено",
  [RouteChangeKind.DEFICIT_CLOSED]: "Дефициты закрыты",
  [RouteChangeKind.DEFICIT_NEW]: "Новые дефициты",
  [RouteChangeKind.DEFICIT_REMAINING]: "Дефициты сохраняются",
};

/** "What changed" of one revision: grouped lists, each line with its reason. */
export function revisionCard(rev: RouteRevision, open: boolean): HTMLElement {
  const groups = [RouteChangeKind.ITEM_ADDED, RouteChangeKind.ITEM_NOT_NEEDED, RouteChangeKind.ITEM_KEPT, RouteChangeKind.DEFICIT_CLOSED, RouteChangeKind.DEFICIT_NEW, RouteChangeKind.DEFICIT_REMAINING];
  const head =
    rev.kind === RouteRevisionKind.NEXT_PERIOD
      ? `Маршрут на следующий период по диагностике от ${dateText(rev.diagnosisDate)}`
      : `Редакция ${rev.revision}: пересмотр по диагностике от ${dateText(rev.diagnosisDate)}`;
  const summary = [
    rev.itemsAdded ? plural(rev.itemsAdded, "мероприятие добавлено", "мероприятия добавлены", "мероприятий добавлено") : "",
    rev.itemsNotNeeded ? plural(rev.itemsNotNeeded, "больше не нужно", "больше не нужны", "больше не нужны") : "",
    rev.deficitsClosed ? plural(rev.deficitsClosed, "дефицит закрыт", "дефицита закрыто", "дефицитов закрыто") : "",
    rev.deficitsNew ? plural(rev.deficitsNew, "новый дефицит", "новых дефицита", "новых дефицитов") : "",
  ].filter(Boolean);
  return h(
    "details",
    { class: "card revision", open, "data-revision": String(rev.revision) },
    h("summary", {}, h("span", {}, h("strong", {}, "Что изменилось"), h("span", { class: "muted" }, ` · ${head}`))),
    summary.length ? h("p", { class: "revision-summary" }, `${summary.join(", ")}.`) : null,
    rev.comment ? h("p", { class: "muted" }, `Причина: ${rev.comment}${rev.actorFullName ? ` (${rev.actorFullName}, ${tsText(rev.createTime)})` : ""}`) : null,
    groups.map((g) => {
      const list = rev.changes.filter((c) => c.kind === g);
      if (!list.length) return null;
      return h(
        "section",
        { class: `changes changes-${g}` },
        h("h3", {}, `${changeTitle[g]} (${list.length})`),
        h(
          "ul",
          { class: "plain" },
          list.map((c) => h("li", {}, c.item ? h("a", { href: itemHref(c.item) }, c.title) : h("strong", {}, c.title), h("div", { class: "small muted" }, c.reason))),
        ),
      );
    }),
  );
}

function renderRoute(main: HTMLElement, route: Route, staleAt: number, all: Route[], steps: Steps, revisions: RouteRevision[]): void {
  const out = h("div", { "aria-live": "polite" });
  const set = (r: Route, revs = revisions) => {
    void remember(RouteSchema, `route:${r.name}`, r);
    renderRoute(main, r, 0, all, steps, revs);
  };
  const run: Record<ActionKind, () => Promise<void>> = {
    sign: async () => set(must((await api.route.agreeRoute({ name: route.name, signatureKind: RouteSignatureKind.TEACHER, version: route.version, requestId: requestId() })).route)),
    start: async () => set(must((await api.route.startRoute({ name: route.name, version: route.version, requestId: requestId() })).route)),
    complete: async () => set(must((await api.route.completeRoute({ name: route.name, version: route.version, requestId: requestId() })).route)),
    revise: async () => {
      const r = await api.route.reviseRoute({ name: route.name, diagnosticResult: route.newerResult, version: route.version, requestId: requestId() });
      const next = must(r.route);
      if (next.name !== route.name) {
        location.hash = `#/route?name=${encodeURIComponent(next.name)}`;
        return;
      }
      set(next, r.revision ? [r.revision, ...revisions] : revisions);
    },
  };
  const offers = teacherOffers(route, steps);
  const actions = offers.map((o) => {
    const b = h("button", { class: `${o.enabled && (o.kind !== "start" || route.status === RouteStatus.APPROVED || route.status === RouteStatus.AGREED) ? "primary" : "secondary"} wide`, "data-action": o.kind }, o.label);
    const why = h("p", { class: "muted small", id: `why-${o.kind}` }, o.reason);
    b.setAttribute("aria-describedby", why.id);
    if (!o.enabled) b.disabled = true;
    else
      action(b, out, async () => {
        if (!requireOnline(out)) return;
        await run[o.kind]();
      });
    return h("div", { class: "offer" }, b, why);
  });

  const p = route.progress;
  // Items a revision found no longer needed stay in the list but not in the count.
  const needed = route.items.filter((i) => !i.notNeededSinceRevision);
  const total = needed.length;
  const done = needed.filter((i) => i.status === RouteItemStatus.DONE).length;
  const dropped = route.items.length - needed.length;
  const open = route.items.filter((i) => !closed(i));
  const overdue = open.filter((i) => deadlineState(i.deadline, todayDate()) === "overdue").length;
  const soon = open.filter((i) => deadlineState(i.deadline, todayDate()) === "soon").length;
  const sections = [...new Set(route.items.map((i) => i.section))].sort((a, b) => a - b);
  const hd = route.header;
  const next = route.status === RouteStatus.IN_PROGRESS ? nextItem(route) : null;
  mount(
    main,
    h("h1", {}, "Мой ИОМ"),
    staleAt ? staleNote(staleAt) : null,
    h(
      "section",
      { class: "card route-head", "aria-labelledby": "progress-h" },
      h(
        "p",
        { class: "status-line" },
        "Статус: ",
        chip(routeStatusTitle[route.status] ?? "—", `rs-${route.status}`),
        route.revision > 1 ? chip(`редакция ${route.revision}`, "revision-chip") : null,
      ),
      h("h2", { id: "progress-h", class: "sr-only" }, "Прогресс"),
      h("p", { class: "progress-text" }, h("span", {}, `Выполнено ${done} из ${total}`), h("span", {}, `${total ? Math.round((done * 100) / total) : 0} %`)),
      progressBar(done, total, `Выполнено ${done} из ${total}`),
      dropped ? h("p", { class: "muted small" }, `Ещё ${plural(dropped, "мероприятие больше не нужно", "мероприятия больше не нужны", "мероприятий больше не нужны")}: их дефициты закрыты.`) : null,
      h("p", { class: "next-step" }, h("strong", {}, "Дальше: "), next ? h("a", { href: itemHref(next.name) }, nextStep(route, steps)) : nextStep(route, steps)),
      overdue ? notice("error", `Просрочено: ${plural(overdue, "мероприятие", "мероприятия", "мероприятий")}.`) : null,
      soon ? notice("warn", `Скоро срок: ${plural(soon, "мероприятие", "мероприятия", "мероприятий")} в ближайшие 14 дней.`) : null,
      route.revisionComment
        ? notice(
            "warn",
            route.revision > 1 && revisions[0]?.comment === route.revisionComment
              ? `Редакция ${route.revision} ждёт согласования («${route.revisionComment}»): маршрут снова подписывают вы, организация и ЦНППМ.`
              : `Возвращён на доработку: ${route.revisionComment}`,
          )
        : null,
      ...actions,
      out,
    ),
    revisions.map((r, i) => revisionCard(r, i === 0 && route.status !== RouteStatus.IN_PROGRESS && route.status !== RouteStatus.COMPLETED)),
    h(
      "details",
      { class: "card route-about" },
      h("summary", {}, "Цель, сроки и подписи"),
      route.goal ? h("p", { class: "goal" }, route.goal) : null,
      hd
        ? h(
            "dl",
            { class: "facts" },
            hd.organizationTitle ? [h("dt", {}, "Организация"), h("dd", {}, hd.organizationTitle)] : null,
            hd.position ? [h("dt", {}, "Должность"), h("dd", {}, [hd.position, hd.subject].filter(Boolean).join(", "))] : null,
            [h("dt", {}, "Диагностика"), h("dd", {}, `${dateText(hd.diagnosisDate)}, уровень ${levelTitle[hd.overallLevel] ?? "—"}`)],
            route.plannedStartDate?.year || route.plannedEndDate?.year ? [h("dt", {}, "Сроки"), h("dd", {}, `${dateText(route.plannedStartDate)} — ${dateText(route.plannedEndDate)}`)] : null,
            p ? [h("dt", {}, "Часы"), h("dd", {}, `${p.hoursDone} из ${p.hoursPlanned}`)] : null,
            p ? [h("dt", {}, "Дефициты"), h("dd", {}, `закрываются мероприятиями: ${p.deficitsCovered} из ${p.deficitsTotal}`)] : null,
          )
        : null,
      route.signatures.length
        ? h("ul", { class: "plain signatures" }, route.signatures.map((s) => h("li", {}, `✓ ${signatureTitle[s.kind] ?? ""}: ${s.fullName}${s.positionTitle ? `, ${s.positionTitle}` : ""}${s.signTime ? ` — ${tsText(s.signTime)}` : ""}`)))
        : h("p", { class: "muted" }, "Подписей пока нет."),
    ),
    sections.map((s) =>
      h(
        "section",
        { class: "route-section", "aria-labelledby": `sec-${s}` },
        h("h2", { id: `sec-${s}` }, sectionTitle[s] ?? "Раздел"),
        h("ul", { class: "items" }, route.items.filter((i) => i.section === s).sort((a, b) => a.position - b.position).map(itemCard)),
      ),
    ),
    route.deficits.length
      ? h(
          "details",
          { class: "card" },
          h("summary", {}, `Дефициты маршрута (${route.deficits.length})`),
          h("ul", { class: "plain" }, route.deficits.map((d) => h("li", {}, `${d.title || d.indicatorCode} (${areaTitle[d.area] ?? ""}) — ${d.coveredByItems.length ? "закрывается мероприятиями" : d.uncoveredReason || "не покрыт"}`))),
        )
      : null,
    all.length > 1
      ? h(
          "details",
          { class: "card" },
          h("summary", {}, `Все мои маршруты (${all.length})`),
          h(
            "ul",
            { class: "plain" },
            [...all]
              .sort((a, b) => Number((b.createTime?.seconds ?? 0n) - (a.createTime?.seconds ?? 0n)))
              .map((r) => h("li", {}, r.name === route.name ? h("strong", {}, `${tsText(r.createTime)} — ${routeStatusTitle[r.status] ?? ""} (открыт)`) : h("a", { href: `#/route?name=${encodeURIComponent(r.name)}` }, `${tsText(r.createTime)} — ${routeStatusTitle[r.status] ?? ""}`))),
          ),
        )
      : null,
  );
}

export async function routeItemScreen(main: HTMLElement, arg?: string): Promise<void> {
  const [routeId, itemId] = (arg ?? "").split("/");
  const name = `routes/${routeId}/items/${itemId}`;
  mount(main, h("h1", {}, "Мероприятие"), loading());
  let item: RouteItem, route: Route, staleAt = 0;
  try {
    const [i, r] = await Promise.all([
      fresh(RouteItemSchema, `item:${name}`, async () => must((await api.route.getRouteItem({ name })).item), isNetworkError).catch(async (e) => {
        // Offline and never opened: the route's copy of the item, as the route screen showed it.
        const copy = isNetworkError(e) ? (await recall(RouteSchema, `route:routes/${routeId}`))?.msg.items.find((x) => x.name === name) : undefined;
        if (!copy) throw e;
        return { msg: copy, stale: true, savedAt: Date.now() };
      }),
      fresh(RouteSchema, `route:routes/${routeId}`, async () => must((await api.route.getRoute({ name: `routes/${routeId}` })).route), isNetworkError),
    ]);
    item = i.msg;
    route = r.msg;
    if (i.stale || r.stale) staleAt = Math.min(i.savedAt, r.savedAt);
  } catch (e) {
    mount(main, h("h1", {}, "Мероприятие"), errorNotice(e, () => void routeItemScreen(main, arg)), h("a", { href: "#/route" }, "К маршруту"));
    return;
  }
  renderItem(main, route, item, staleAt);
}

function renderItem(main: HTMLElement, route: Route, item: RouteItem, staleAt: number): void {
  const set = (it: RouteItem) => {
    void remember(RouteItemSchema, `item:${it.name}`, it);
    // The route's copy of the item too, so the list and the notifications agree offline.
    const i = route.items.findIndex((x) => x.name === it.name);
    if (i >= 0) {
      route.items[i] = it;
      void remember(RouteSchema, `route:${route.name}`, route);
    }
    renderItem(main, route, it, 0);
  };
  const running = route.status === RouteStatus.IN_PROGRESS;
  // Item writes go through the offline queue: sent at once when possible, else kept on the phone
  // and shown here as they will be (marked as waiting), sent in order when the network returns.
  const send = async (out: HTMLElement, method: string, request: Record<string, unknown>, label: string, local: (it: RouteItem) => void) => {
    const r = await write({ service: "route", method, request: { name: item.name, version: item.version, ...request }, target: item.name, versionPath: "version", label, subject: item.title, cacheKey: `item:${item.name}` });
    if (r.status === "sent") return set(must((r.response as { item?: RouteItem }).item));
    if (r.status === "queued") {
      const it = clone(RouteItemSchema, item);
      local(it);
      return set(it);
    }
    mount(out, outcomeNotice(r));
  };

  // Status.
  const statusOut = h("div", { "aria-live": "polite" });
  const statusButtons: HTMLElement[] = [];
  const toStatus = (label: string, st: RouteItemStatus, cls: string) => {
    const b = h("button", { class: cls }, label);
    action(b, statusOut, () => send(statusOut, "updateRouteItemStatus", { status: st }, `Статус «${itemStatusTitle[st]}»`, (it) => (it.status = st)));
    return b;
  };
  if (running && item.status === RouteItemStatus.PLANNED) statusButtons.push(toStatus("Взять в работу", RouteItemStatus.IN_PROGRESS, "secondary"));
  if (running && (item.status === RouteItemStatus.PLANNED || item.status === RouteItemStatus.IN_PROGRESS)) statusButtons.push(toStatus("Выполнено", RouteItemStatus.DONE, "primary"));
  let skip: HTMLElement | null = null;
  if (running && !closed(item)) {
    const reason = h("textarea", { rows: 2 });
    const b = h("button", { class: "secondary" }, "Пропустить мероприятие");
    action(b, statusOut, async () => {
      if (!reason.value.trim()) {
        mount(statusOut, notice("error", "Укажите причину, по которой мероприятие пропускается."));
        return;
      }
      const skipReason = reason.value.trim();
      await send(statusOut, "updateRouteItemStatus", { status: RouteItemStatus.SKIPPED, skipReason }, "Пропуск мероприятия", (it) => {
        it.status = RouteItemStatus.SKIPPED;
        it.skipReason = skipReason;
      });
    });
    skip = h("details", {}, h("summary", {}, "Не получается выполнить?"), field("Причина", reason), b);
  }

  // Evidence.
  const evOut = h("div", { "aria-live": "polite" });
  const kind = select(
    [
      [String(RouteItemEvidenceKind.CERTIFICATE), "Удостоверение / сертификат"],
      [String(RouteItemEvidenceKind.LINK), "Ссылка (публикация, запись, страница)"],
      [String(RouteItemEvidenceKind.OTHER), "Другое"],
    ],
    String(item.section === RouteSection.FURTHER_TRAINING ? RouteItemEvidenceKind.CERTIFICATE : RouteItemEvidenceKind.LINK),
  );
  const cert = h("input", { type: "text", autocomplete: "off", inputmode: "text" });
  const url = h("input", { type: "url", autocomplete: "off", inputmode: "url", placeholder: "https://" });
  const desc = h("input", { type: "text", autocomplete: "off" });
  const addEv = h("button", { class: "secondary" }, "Добавить подтверждение");
  const notRunning = running ? null : h("p", { class: "muted small" }, "Подтверждения и отчёт сохраняются, когда маршрут выполняется.");
  if (!running) addEv.disabled = true;
  action(addEv, evOut, async () => {
    // The server's rules (domain/route/items.cc), checked here too: a write kept offline must
    // not be refused an hour later for a missing field.
    const k = Number(kind.value);
    const missing =
      k === RouteItemEvidenceKind.CERTIFICATE && !cert.value.trim()
        ? "Укажите номер удостоверения (или выберите другой вид подтверждения)."
        : k === RouteItemEvidenceKind.LINK && !url.value.trim()
          ? "Укажите ссылку (или выберите другой вид подтверждения)."
          : k === RouteItemEvidenceKind.OTHER && !desc.value.trim()
            ? "Опишите подтверждение."
            : url.value.trim() && !/^https?:\/\/\S{4,}$/i.test(url.value.trim())
              ? "Ссылка должна начинаться с https:// и не содержать пробелов."
              : "";
    if (missing) {
      mount(evOut, notice("error", missing));
      return;
    }
    const evidence = create(RouteItemEvidenceSchema, { kind: Number(kind.value), certificateNumber: cert.value.trim(), url: url.value.trim(), description: desc.value.trim() });
    await send(evOut, "addRouteItemEvidence", { evidence }, "Подтверждение", (it) => it.evidence.push(evidence));
  });

  // Reflective report.
  const reflOut = h("div", { "aria-live": "polite" });
  const refl = h("textarea", { rows: 6, maxlength: 10000 });
  refl.value = item.reflectiveReport;
  const saveRefl = h("button", { class: "primary" }, "Сохранить отчёт");
  if (!running) saveRefl.disabled = true;
  action(saveRefl, reflOut, async () => {
    if (!refl.value.trim()) {
      mount(reflOut, notice("error", "Напишите отчёт: что получилось, что возьмёте в работу."));
      return;
    }
    const text = refl.value.trim();
    await send(reflOut, "submitRouteItemReflection", { reflectiveReport: text }, "Рефлексивный отчёт", (it) => (it.reflectiveReport = text));
  });

  // ДПП enrolment.
  let enrolment: HTMLElement | null = null;
  if (item.section === RouteSection.FURTHER_TRAINING && item.activity) {
    const enOut = h("div", { "aria-live": "polite" });
    const st = item.enrolment?.status ?? EnrolmentStatus.UNSPECIFIED;
    const buttons: HTMLElement[] = [];
    // CheckEnrolmentContext: a ДПП item of an agreed, approved or running route, not closed yet.
    const enrollable = (route.status === RouteStatus.AGREED || route.status === RouteStatus.APPROVED || running) && !closed(item);
    if (!enrollable) buttons.push(h("p", { class: "muted small" }, "Заявку на курс можно подать, когда маршрут согласован и мероприятие не закрыто."));
    else if (st === EnrolmentStatus.UNSPECIFIED || st === EnrolmentStatus.WITHDRAWN || st === EnrolmentStatus.REJECTED) {
      const b = h("button", { class: "secondary" }, "Подать заявку на курс");
      action(b, enOut, () => send(enOut, "applyRouteItemEnrolment", {}, "Заявка на курс", (it) => (it.enrolment = create(RouteItemEnrolmentSchema, { status: EnrolmentStatus.APPLIED }))));
      buttons.push(b);
    }
    if (enrollable && (st === EnrolmentStatus.APPLIED || st === EnrolmentStatus.APPROVED)) {
      const b = h("button", { class: "secondary" }, "Отозвать заявку");
      action(b, enOut, () => send(enOut, "withdrawRouteItemEnrolment", {}, "Отзыв заявки на курс", (it) => (it.enrolment = create(RouteItemEnrolmentSchema, { status: EnrolmentStatus.WITHDRAWN }))));
      buttons.push(b);
    }
    enrolment = h(
      "section",
      { class: "card", "aria-labelledby": "enrol-h" },
      h("h2", { id: "enrol-h" }, "Запись на курс"),
      h("p", {}, `Статус: ${enrolmentTitle[st] ?? "—"}`),
      item.enrolment?.decisionComment ? h("p", { class: "muted" }, item.enrolment.decisionComment) : null,
      ...buttons,
      enOut,
    );
  }

  mount(
    main,
    h("p", { class: "back" }, h("a", { href: `#/route?name=${encodeURIComponent(route.name)}` }, "← Мой ИОМ")),
    h("h1", {}, item.title),
    staleAt ? staleNote(staleAt) : null,
    pendingMarks(item.name),
    h(
      "section",
      { class: "card" },
      h("p", { class: "muted" }, sectionTitle[item.section] ?? ""),
      h("p", { class: "chips" }, chip(itemStatusTitle[item.status] ?? "—", `st-${item.status}`), deadlineChip(item)),
      h(
        "dl",
        { class: "facts" },
        item.form ? [h("dt", {}, "Форма"), h("dd", {}, item.form)] : null,
        item.hours ? [h("dt", {}, "Объём"), h("dd", {}, `${item.hours} ч`)] : null,
        [h("dt", {}, "Срок"), h("dd", {}, dateText(item.deadline))],
        item.doneDate?.year ? [h("dt", {}, "Выполнено"), h("dd", {}, dateText(item.doneDate))] : null,
        item.communityStatus ? [h("dt", {}, "Статус в сообществе"), h("dd", {}, item.communityStatus)] : null,
      ),
      item.reason ? h("p", { class: "reason" }, h("strong", {}, "Почему в маршруте: "), item.reason) : null,
      item.skipReason ? notice("info", `Пропущено: ${item.skipReason}`) : null,
      running ? null : notice("info", "Отмечать выполнение можно, когда маршрут утверждён и вы приступили к нему."),
      statusButtons.length ? h("div", { class: "button-row" }, statusButtons) : null,
      skip,
      statusOut,
    ),
    enrolment,
    h(
      "section",
      { class: "card", "aria-labelledby": "ev-h" },
      h("h2", { id: "ev-h" }, "Подтверждения"),
      item.evidence.length
        ? h(
            "ul",
            { class: "plain evidence" },
            item.evidence.map((e) =>
              h(
                "li",
                {},
                e.certificateNumber ? `Удостоверение № ${e.certificateNumber}` : null,
                e.url ? h("a", { href: e.url, target: "_blank", rel: "noopener noreferrer" }, e.url) : null,
                e.description ? h("span", { class: "muted" }, ` ${e.description}`) : null,
              ),
            ),
          )
        : h("p", { class: "muted" }, "Пока нет. Добавьте номер удостоверения или ссылку на материалы."),
      h("details", {}, h("summary", {}, "Добавить подтверждение"), field("Вид", kind), field("Номер удостоверения / сертификата", cert), field("Ссылка", url), field("Описание", desc), addEv, notRunning, evOut),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "refl-h" },
      h("h2", { id: "refl-h" }, "Рефлексивный отчёт"),
      item.reflectionTime?.seconds ? h("p", { class: "muted" }, `Сохранён ${tsText(item.reflectionTime)}`) : null,
      field("Что дало мероприятие, что вы примените в работе", refl),
      saveRefl,
      notRunning?.cloneNode(true) ?? null,
      reflOut,
    ),
  );
}
