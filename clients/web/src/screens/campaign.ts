// One diagnostics campaign: its facts and target, launch / close, progress by participant status,
// the report with drill-down, ИОМ generation for every diagnosed participant (a long-running
// operation with progress) and the participants list.
import { api, requestId } from "../api";
import { hasAny } from "../app";
import { OrganizationType, Role } from "../gen/nms/v1/common_pb";
import { CampaignState, ParticipantStatus, type Campaign, type LaunchCampaignResponse } from "../gen/nms/v1/diagnostics_pb";
import { RouteOperationState, type RouteOperation } from "../gen/nms/v1/route_pb";
import { scopeOptions } from "../scope";
import { act, badge, busy, checkbox, errorNotice, field, filteredList, fmt, h, idOf, loading, mount, notice, poll, progressBar, table, tsText } from "../ui";
import { orgName } from "./people";
import { reportView } from "./reports";
import { formDialog, nameCell, personName, type FieldSpec } from "../forms";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { InstrumentBlockKind } from "../gen/nms/v1/diagnostics_pb";
import { campaignStateKind, campaignStateTitle, canManageCampaigns, dayText, diagnosticsTabs, stratumTitle, waveTitle } from "./diagnostics";
import { askDialog, confirmDialog } from "../../../shared/dialog";

const participantTitle: Record<number, string> = {
  [ParticipantStatus.NOT_STARTED]: "не начинал",
  [ParticipantStatus.IN_PROGRESS]: "проходит",
  [ParticipantStatus.SUBMITTED]: "завершил",
  [ParticipantStatus.TIMED_OUT]: "время истекло",
};
const participantKind: Record<number, "ok" | "warn" | "info" | "muted"> = {
  [ParticipantStatus.NOT_STARTED]: "muted",
  [ParticipantStatus.IN_PROGRESS]: "info",
  [ParticipantStatus.SUBMITTED]: "ok",
  [ParticipantStatus.TIMED_OUT]: "warn",
};

/** Who may generate routes (policy edit_route, non-teachers). */
const canGenerateRoutes = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST);

/** Renders the campaign page; `message` (e.g. the launch outcome) shows in the actions area. */
export async function campaignScreen(main: HTMLElement, id: string, message?: HTMLElement) {
  const name = `campaigns/${id}`;
  const back = h("p", { class: "back" }, h("a", { href: "#/diagnostics" }, "← К кампаниям"));
  mount(main, back, loading());
  let c: Campaign;
  try {
    c = (await api.diagnostics.getCampaign({ name })).campaign!;
  } catch (e) {
    return mount(main, back, h("h1", {}, "Кампания"), errorNotice(e));
  }
  document.title = `${c.title} — НМС`;
  const reload = (msg?: HTMLElement) => void campaignScreen(main, id, msg);
  const launched = c.state === CampaignState.LAUNCHED || c.state === CampaignState.CLOSED;
  const actionsOut = h("div", { "aria-live": "polite" }, message);
  const report = h("div", {});
  const participants = h("div", {});
  mount(
    main,
    back,
    diagnosticsTabs("#/diagnostics"),
    h("h1", {}, c.title),
    facts(c),
    canManageCampaigns() ? lifecycle(c, actionsOut, reload) : null,
    actionsOut,
    launched ? h("section", {}, h("h2", {}, "Ход кампании"), statusBreakdown(c)) : null,
    launched ? h("section", {}, h("h2", {}, "Результаты"), report) : null,
    launched && canGenerateRoutes() ? h("section", {}, h("h2", {}, "ИОМ по результатам"), routeGeneration(c.name)) : null,
    launched ? h("section", {}, h("h2", {}, "Участники"), participantsView(participants, c)) : null,
  );
  if (launched) await reportView(report, c.name);
}

function facts(c: Campaign): HTMLElement {
  const instrument = h("span", {}, "…");
  api.diagnostics.getInstrument({ name: c.instrument }).then((r) => (instrument.textContent = r.instrument?.title ?? c.instrument), () => (instrument.textContent = c.instrument));
  const target = h("span", {}, "…");
  void describePopulation(c).then((t) => (target.textContent = t));
  return h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Состояние"), h("dd", {}, badge(campaignStateTitle[c.state] ?? "—", campaignStateKind[c.state])),
    h("dt", {}, "Волна"), h("dd", {}, waveTitle[c.waveKind] ?? "—"),
    h("dt", {}, "Инструмент"), h("dd", {}, instrument),
    h("dt", {}, "Период"), h("dd", {}, `${tsText(c.openTime)} — ${tsText(c.closeTime)}`),
    h("dt", {}, "Ограничение времени"), h("dd", {}, c.timeLimitSeconds ? `${Math.round(c.timeLimitSeconds / 60)} мин` : "нет"),
    h("dt", {}, "Повторное прохождение"), h("dd", {}, c.allowRetake ? (c.maxAttempts ? `да, до ${c.maxAttempts} попыток` : "да") : "нет"),
    h("dt", {}, "Охват"), h("dd", {}, target),
    h("dt", {}, "Участники"), h("dd", {}, c.state === CampaignState.DRAFT ? "будут отобраны при запуске" : progressBar(Number(c.submittedCount), Number(c.participantCount), "Прошли")),
    c.purpose ? h("dt", {}, "Цель") : null, c.purpose ? h("dd", {}, c.purpose) : null,
  );
}

async function describePopulation(c: Campaign): Promise<string> {
  const titles = new Map(await scopeOptions().catch(() => [] as [string, string][]));
  const names = (xs: string[]) => (xs.length ? xs.map((x) => titles.get(x)?.replace(/ \(всё\)$/, "") ?? x).join(", ") : "весь регион");
  const extra = (positions: string[], subjects: string[]) =>
    [positions.length ? `должности: ${positions.join(", ")}` : "", subjects.length ? `предметы: ${subjects.join(", ")}` : ""].filter(Boolean).join("; ");
  const sel = c.population?.selection;
  if (sel?.case === "listed") {
    const v = sel.value;
    return [`все педагоги: ${names(v.scopes)}`, extra(v.positions, v.subjects), v.people.length ? `и ещё ${v.people.length} чел. поимённо` : ""].filter(Boolean).join("; ");
  }
  if (sel?.case === "stratifiedSample") {
    const v = sel.value;
    const quotas = v.quotas.map((q) => `${stratumTitle[q.organizationType] ?? OrganizationType[q.organizationType]} ${fmt(q.share * 100)} %`).join(", ");
    return [`стратифицированная выборка ${fmt(v.sampleFraction * 100)} % из: ${names(v.scopes)}`, extra(v.positions, v.subjects), `квоты: ${quotas}`, `seed ${v.seed}`].filter(Boolean).join("; ");
  }
  return "—";
}

function lifecycle(c: Campaign, out: HTMLElement, reload: (message?: HTMLElement) => void): HTMLElement | null {
  const run = (button: HTMLElement, f: () => Promise<unknown>) =>
    busy(button, async () => {
      mount(out, loading());
      try {
        await f();
        reload();
      } catch (e) {
        mount(out, errorNotice(e));
      }
    });
  if (c.state === CampaignState.DRAFT) {
    const launch = h("button", { type: "button", class: "primary" }, "Запустить кампанию");
    launch.addEventListener("click", () =>
      void act(launch, out, async () => {
        const r = await api.diagnostics.launchCampaign({ name: c.name, version: c.version, requestId: requestId() });
        reload(launchedNotice(r));
      }, "Отбор участников…"),
    );
    const del = h("button", { type: "button" }, "Удалить черновик");
    del.addEventListener("click", async () => {
      if (!(await confirmDialog("Удалить черновик кампании?", "Черновик будет удалён безвозвратно.", "Удалить черновик", true))) return;
      void run(del, async () => {
        await api.diagnostics.deleteCampaign({ name: c.name, version: c.version, requestId: requestId() });
        location.hash = "#/diagnostics";
      });
    });
    return h("div", { class: "card row-actions" }, launch, editButton(c, reload), del, h("small", { class: "muted" }, "При запуске отбираются участники; после запуска состав не меняется."));
  }
  if (c.state === CampaignState.LAUNCHED) {
    const comment = h("input", { type: "text", placeholder: "например, срок истёк" });
    const close = h("button", { type: "button" }, "Завершить кампанию");
    close.addEventListener("click", async () => {
      if (!(await confirmDialog("Завершить кампанию?", "Незавершённые попытки будут оценены по сохранённым ответам.", "Завершить кампанию", true))) return;
      void run(close, () => api.diagnostics.closeCampaign({ name: c.name, version: c.version, comment: comment.value.trim(), requestId: requestId() }));
    });
    return h("div", { class: "card row-actions" }, field("Причина завершения (в журнал)", comment), close, editButton(c, reload));
  }
  return null;
}

type D = { year: number; month: number; day: number };
function tsToDate(t?: { seconds: bigint }): D | undefined {
  if (!t || !t.seconds) return undefined;
  const d = new Date(Number(t.seconds) * 1000);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}
const endOfDay = (d: D) => timestampFromDate(new Date(d.year, d.month - 1, d.day, 23, 59, 0));
const startOfDay = (d: D) => timestampFromDate(new Date(d.year, d.month - 1, d.day, 0, 0, 0));

/** Edits a campaign: everything while a draft, after launch only what the server allows then. */
function editButton(c: Campaign, reload: (message?: HTMLElement) => void): HTMLElement {
  const draft = c.state === CampaignState.DRAFT;
  const fields: FieldSpec[] = [
    { key: "title", label: "Название", type: "text", required: true },
    { key: "purpose", label: "Цель", type: "textarea" },
    ...(draft ? [{ key: "openDate", path: "open_time", label: "Начало", type: "date" } as FieldSpec] : []),
    { key: "closeDate", path: "close_time", label: "Окончание (включительно)", type: "date", hint: draft ? undefined : "перенести срок идущей кампании можно только вперёд" },
    ...(draft ? [{ key: "timeLimitMinutes", path: "time_limit_seconds", label: "Ограничение времени, мин", type: "int", min: 0, max: 600, hint: "0 — без ограничения" } as FieldSpec] : []),
    { key: "voluntary", label: "Добровольная", type: "bool" },
    { key: "allowRetake", label: "Разрешить повторное прохождение", type: "bool" },
    { key: "maxAttempts", label: "Попыток не больше", type: "int", min: 0, max: 20, hint: "0 — без ограничения" },
  ];
  return h("button", {
    type: "button",
    onclick: async () => {
      const fresh = (await api.diagnostics.getCampaign({ name: c.name })).campaign!;
      const value = { ...(fresh as unknown as Record<string, unknown>), openDate: tsToDate(fresh.openTime), closeDate: tsToDate(fresh.closeTime), timeLimitMinutes: Math.round(fresh.timeLimitSeconds / 60) };
      const saved = await formDialog({
        title: `Изменить кампанию «${fresh.title}»`,
        fields,
        value,
        check: (v): Record<string, string> => {
          const o = v.openDate as D | undefined, e = v.closeDate as D | undefined;
          if (o && e && Date.UTC(e.year, e.month - 1, e.day) < Date.UTC(o.year, o.month - 1, o.day)) return { closeDate: "Раньше начала" };
          if (!draft && e && endOfDay(e).seconds * 1000n <= BigInt(Date.now())) return { closeDate: "Срок идущей кампании нельзя перенести в прошлое — завершите её кнопкой «Завершить кампанию»" };
          return {};
        },
        submit: (v, changed) => api.diagnostics.updateCampaign({
          campaign: {
            name: fresh.name, version: fresh.version, title: String(v.title), purpose: String(v.purpose ?? ""), voluntary: Boolean(v.voluntary), allowRetake: Boolean(v.allowRetake), maxAttempts: Number(v.maxAttempts ?? 0),
            openTime: v.openDate ? startOfDay(v.openDate as D) : undefined, closeTime: v.closeDate ? endOfDay(v.closeDate as D) : undefined, timeLimitSeconds: Number(v.timeLimitMinutes ?? 0) * 60,
          },
          updateMask: { paths: changed },
          requestId: requestId(),
        }),
      });
      if (saved) reload(notice("success", "Кампания сохранена."));
    },
  }, "Изменить");
}

/** Expert scores of a participant's externally scored items (lesson video, cases). */
async function expertScores(c: Campaign, session: string, who: string, reload: () => void) {
  const [inst, sess] = await Promise.all([api.diagnostics.getInstrument({ name: c.instrument }), api.diagnostics.getSession({ name: session })]);
  const items = inst.instrument!.blocks.filter((b) => b.kind === InstrumentBlockKind.EXTERNALLY_SCORED).flatMap((b) => b.items);
  const fields: FieldSpec[] = items.flatMap((i): FieldSpec[] => [
    { key: `score_${i.itemId}`, label: `${i.itemId}. ${i.text.slice(0, 80) || "Задание экспертной оценки"} — балл (0–${fmt(i.maxScore)})`, type: "number", required: true, min: 0, max: i.maxScore },
    { key: `comment_${i.itemId}`, label: `${i.itemId}: комментарий эксперта`, type: "text" },
  ]);
  const saved = await formDialog({
    title: `Экспертная оценка: ${who}`,
    submitText: "Записать оценки",
    fields,
    submit: (v) => api.diagnostics.recordExternalScores({
      session,
      version: sess.session!.version,
      scores: items.map((i) => ({ itemId: i.itemId, score: Number(v[`score_${i.itemId}`] ?? 0), comment: String(v[`comment_${i.itemId}`] ?? "") })),
      requestId: requestId(),
    }),
  });
  if (saved) reload();
}

function launchedNotice(r: LaunchCampaignResponse): HTMLElement {
  const c = r.campaign!;
  return notice(
    "success",
    `Кампания запущена: отобрано участников — ${fmt(Number(c.participantCount))}.`,
    r.strata.length
      ? table(
          ["Тип организаций", "В генеральной совокупности", "По квоте", "Отобрано"],
          r.strata.map((s) => [stratumTitle[s.organizationType] ?? "—", fmt(Number(s.frameSize)), fmt(Number(s.targetSize)), fmt(Number(s.drawn))]),
          "Выборка по стратам",
        )
      : undefined,
  );
}

/** Participants by status: counts from the list's total under a status filter. */
function statusBreakdown(c: Campaign): HTMLElement {
  const el = h("div", { class: "status-breakdown" }, progressBar(Number(c.submittedCount), Number(c.participantCount), "Прошли диагностику"));
  const list = h("ul", { class: "inline-stats" });
  el.append(list);
  const statuses = [ParticipantStatus.NOT_STARTED, ParticipantStatus.IN_PROGRESS, ParticipantStatus.SUBMITTED, ParticipantStatus.TIMED_OUT];
  void Promise.all(
    statuses.map((s) =>
      api.diagnostics
        .listCampaignParticipants({ campaign: c.name, pageSize: 1, filter: `status = ${ParticipantStatus[s]}` })
        .then((r) => [s, Number(r.totalSize)] as const),
    ),
  ).then(
    (counts) => mount(list, ...counts.map(([s, n]) => h("li", {}, badge(participantTitle[s], participantKind[s]), ` ${fmt(n)}`))),
    (e) => mount(list, errorNotice(e)),
  );
  return el;
}

function participantsView(el: HTMLElement, c: Campaign): HTMLElement {
  const PAGE = 50;
  let hasExpertItems = false;
  void api.diagnostics.getInstrument({ name: c.instrument }).then((r) => {
    hasExpertItems = r.instrument!.blocks.some((b) => b.kind === InstrumentBlockKind.EXTERNALLY_SCORED);
    if (hasExpertItems) void reload();
  }, () => undefined);
  const canRetake = canManageCampaigns() && c.state === CampaignState.LAUNCHED;
  const { filters, list, reload } = filteredList(
    "Статус участника",
    [["", "все"], ...Object.entries(participantTitle)],
    "",
    PAGE,
    async (status, token) => {
      const r = await api.diagnostics.listCampaignParticipants({ campaign: c.name, pageSize: PAGE, pageToken: token, filter: status ? `status = ${ParticipantStatus[Number(status)]}` : "" });
      return { items: r.participants, next: r.nextPageToken, total: r.totalSize };
    },
    (ps) =>
      table(
        ["Педагог", "Организация", "Статус", "Попыток", ...(canRetake ? [""] : [])],
        ps.map((p) => {
          const org = h("span", {}, "…");
          void orgName(p.organization).then((t) => (org.textContent = t));
          const cells: (Node | string)[] = [h("a", { href: `#/people/${idOf(p.person)}` }, p.fullName || p.person), org, badge(participantTitle[p.status] ?? "—", participantKind[p.status]), String(p.attempts)];
          const finished = p.status === ParticipantStatus.SUBMITTED || p.status === ParticipantStatus.TIMED_OUT;
          if (canRetake) cells.push(finished ? h("span", { class: "row-actions" }, retakeButton(c, p.person, () => void reload()),
            p.lastSession && hasExpertItems ? h("button", { type: "button", class: "small", onclick: () => void expertScores(c, p.lastSession, p.fullName, () => void reload()).catch((e) => mount(el, errorNotice(e), filters, list)) }, "Экспертная оценка") : null) : "");
          return cells;
        }),
      ),
    "Участников нет.",
  );
  void reload();
  mount(el, filters, list);
  return el;
}

function retakeButton(c: Campaign, person: string, reload: () => void): HTMLElement {
  const b = h("button", { type: "button", class: "small" }, "Ещё попытка");
  b.addEventListener("click", async () => {
    const r = await askDialog({ title: "Ещё одна попытка", text: "Педагог сможет пройти диагностику заново; причина попадёт в журнал.", fields: [{ name: "comment", label: "Причина повторной попытки", kind: "textarea", required: true }], ok: "Разрешить попытку" });
    if (!r) return;
    const comment = r.comment;
    void busy(b, async () => {
      try {
        await api.diagnostics.grantRetake({ campaign: c.name, person, comment, requestId: requestId() });
        reload();
      } catch (e) {
        b.replaceWith(errorNotice(e));
      }
    });
  });
  return b;
}

/** Bulk generation of draft routes for the campaign's diagnosed participants, with progress. */
export function routeGeneration(campaign: string): HTMLElement {
  const [replaceLabel, replace] = checkbox("заменить существующие черновики");
  const [mentorLabel, mentoring] = checkbox("добавлять наставничество, если в каталоге нет мероприятия", true);
  const horizon = h("input", { type: "number", min: 1, max: 36, value: 12, inputmode: "numeric" });
  const out = h("div", { "aria-live": "polite" });
  const start = h("button", { type: "button", class: "primary" }, "Сформировать черновики ИОМ");
  start.addEventListener("click", () =>
    void act(start, out, async () => {
      const r = await api.route.bulkGenerateRoutes({
        campaign,
        options: { replaceDraft: replace.checked, includeMentoring: mentoring.checked, horizonMonths: Number(horizon.value) || 0 },
        requestId: requestId(),
      });
      const op = await poll(
        () => api.route.getRouteOperation({ name: r.operation!.name }).then((x) => x.operation!),
        (o) => o.state === RouteOperationState.SUCCEEDED || o.state === RouteOperationState.FAILED,
        (o) => mount(out, operationView(o, campaign)),
      );
      mount(out, operationView(op, campaign));
    }, "Запуск…"),
  );
  return h(
    "div",
    { class: "card" },
    h("p", {}, "Для каждого участника с итоговым результатом строится черновик маршрута по его дефицитам; педагог и организация затем согласуют его, ЦНППМ утверждает."),
    h("div", { class: "grid2" }, field("Горизонт маршрута, мес.", horizon), h("div", { class: "checks" }, replaceLabel, mentorLabel)),
    start,
    out,
  );
}

function operationView(o: RouteOperation, campaign: string): HTMLElement {
  const done = Number(o.progress?.done ?? 0n), total = Number(o.progress?.total ?? 0n);
  const running = o.state === RouteOperationState.PENDING || o.state === RouteOperationState.RUNNING;
  const summary = `Создано маршрутов: ${fmt(Number(o.routesCreated))}; уже были: ${fmt(Number(o.skippedExisting))}; без итогового результата: ${fmt(Number(o.skippedWithoutDiagnosis))}; ошибок: ${o.errors.length}.`;
  return h(
    "div",
    { class: "operation" },
    running
      ? h("p", { role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), ` ${o.progress?.phase || "Формирование ИОМ"}: `, progressBar(done, total, "Обработано"))
      : o.state === RouteOperationState.FAILED
        ? notice("error", `Формирование остановлено: ${o.errorMessage || "ошибка"}. ${summary}`)
        : notice("success", `Готово. ${summary}`, h("a", { href: `#/routes?campaign=${encodeURIComponent(campaign)}` }, "Открыть маршруты кампании")),
    o.errors.length ? table(["Педагог", "Ошибка"], o.errors.slice(0, 50).map((e) => [h("a", { href: `#/people/${idOf(e.person)}` }, nameCell(personName(e.person))), e.message]), "Не удалось построить") : null,
  );
}
