// Mentoring: matching (automatic requests, a proposal with an explanation per pair, apply the
// checked pairs or discard), mentors with eligibility and load, mentee requests, and pairs with
// completion and cancellation. Accepting a pair is the sides' own step (the teachers' app).
import { api, requestId } from "../api";
import { hasAny, routeParams } from "../app";
import { CompetencyArea, Role } from "../gen/nms/v1/common_pb";
import {
  MatchingProposalState, MenteeRequestSource, MenteeRequestStatus, MentoringOutcome, MentoringPairStatus, MentorProfileStatus,
  PairDistance, PairType, UnmatchedReason, type MatchingProposal, type MentoringPair, type MentorProfile,
} from "../gen/nms/v1/mentoring_pb";
import { personPicker, scopeOptions, scopeSelect } from "../scope";
import { act, badge, busy, checkbox, dateText, detailsTable, errorNotice, field, filteredList, fmt, h, idOf, loading, mount, notice, progressBar, select, splitList, subnav, table, todayDate, tsText } from "../ui";
import { areaTitle } from "./diagnostics";
import { askDialog } from "../../../shared/dialog";
import { plural } from "../../../shared/plural";
import { daysUntil } from "../../../shared/dates";
import { pairTypeTitle } from "../../../shared/titles";
export { pairTypeTitle };
import { constraintsView, createPairButton, pairActions, profileActions, programmesView, requestActions } from "./mentoring_extras";

const distanceTitle: Record<number, string> = {
  [PairDistance.SAME_ORGANIZATION]: "та же организация",
  [PairDistance.SAME_MUNICIPALITY]: "тот же муниципалитет",
  [PairDistance.SAME_DISTRICT]: "тот же округ",
  [PairDistance.REGION]: "другой округ региона",
};
export const pairStatusTitle: Record<number, [string, "ok" | "warn" | "err" | "info" | "muted"]> = {
  [MentoringPairStatus.PROPOSED]: ["предложена", "warn"],
  [MentoringPairStatus.ACTIVE]: ["действует", "info"],
  [MentoringPairStatus.REJECTED]: ["отклонена", "err"],
  [MentoringPairStatus.COMPLETED]: ["завершена", "ok"],
  [MentoringPairStatus.CANCELLED]: ["отменена", "muted"],
};
const requestStatusTitle: Record<number, [string, "ok" | "warn" | "info" | "muted"]> = {
  [MenteeRequestStatus.OPEN]: ["ждёт наставника", "warn"],
  [MenteeRequestStatus.PROPOSED]: ["пара предложена", "info"],
  [MenteeRequestStatus.PAIRED]: ["есть наставник", "ok"],
  [MenteeRequestStatus.CANCELLED]: ["отменена", "muted"],
};
const sourceTitle: Record<number, string> = {
  [MenteeRequestSource.TEACHER]: "педагог",
  [MenteeRequestSource.SCHOOL]: "организация",
  [MenteeRequestSource.AUTO_YOUNG_TEACHER]: "авто: молодой педагог",
  [MenteeRequestSource.AUTO_ROUTE]: "авто: пункт ИОМ",
};
const unmatchedTitle: Record<number, string> = {
  [UnmatchedReason.NO_CANDIDATES]: "нет подходящих наставников рядом",
  [UnmatchedReason.CAPACITY_EXHAUSTED]: "наставники заняты",
  [UnmatchedReason.ALL_FORBIDDEN]: "все варианты запрещены",
  [UnmatchedReason.PIN_CONFLICT]: "закреплённую пару нельзя выполнить",
};
const profileStatusTitle: Record<number, string> = {
  [MentorProfileStatus.ACTIVE]: "участвует в подборе",
  [MentorProfileStatus.PAUSED]: "пауза",
  [MentorProfileStatus.WITHDRAWN]: "выбыл",
};
const outcomeTitle: Record<number, string> = {
  [MentoringOutcome.ACHIEVED]: "цели достигнуты",
  [MentoringOutcome.PARTIALLY_ACHIEVED]: "цели достигнуты частично",
  [MentoringOutcome.NOT_ACHIEVED]: "цели не достигнуты",
};

const canMatch = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN); // run_matching
const canManage = () => hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN); // manage_mentoring
const PAGE = 25;

function tabs(current: string): HTMLElement {
  const items: [string, string][] = [];
  if (canMatch()) items.push(["#/mentoring", "Подбор пар"]);
  items.push(["#/mentoring/pairs", "Пары"], ["#/mentoring/mentors", "Наставники"], ["#/mentoring/requests", "Запросы"], ["#/mentoring/programmes", "Программы"]);
  if (canMatch()) items.push(["#/mentoring/constraints", "Закрепления и запреты"]);
  return subnav("Наставничество", items, current);
}

export async function mentoringScreen(main: HTMLElement, sub?: string) {
  document.title = "Наставничество — НМС";
  const view = sub ?? (canMatch() ? "" : "pairs");
  const hash = view ? `#/mentoring/${view}` : "#/mentoring";
  const body = h("div", {});
  mount(main, h("h1", {}, "Наставничество"), tabs(hash), body);
  if (view === "pairs") return pairsView(body);
  if (view === "mentors") return mentorsView(body);
  if (view === "requests") return requestsView(body);
  if (view === "programmes") return programmesView(body);
  if (view === "constraints") return constraintsView(body);
  return matchingView(body);
}

// ------------------------------------------------------------------------------ matching

function matchingView(el: HTMLElement) {
  const scope = scopeSelect(false, false);
  const types = [PairType.SUBJECT, PairType.YOUNG_SPECIALIST, PairType.COMPETENCY_PEER].map((t) => [t, ...checkbox(pairTypeTitle[t], true)] as const);
  const [replaceLabel, replace] = checkbox("пересобрать ещё не принятые предложенные пары");
  const [crossLabel, cross] = checkbox("разрешить пары между муниципалитетами округа");
  const syncOut = h("div", { "aria-live": "polite" });
  const out = h("div", { class: "proposal", "aria-live": "polite" });
  const sync = h("button", { type: "button" }, "Создать автоматические запросы");
  sync.addEventListener("click", () =>
    void act(sync, syncOut, async () => {
      const r = await api.mentoring.syncAutoRequests({ scope: scope.value, requestId: requestId() });
      mount(syncOut, notice("success", `Запросы для молодых педагогов: ${r.createdYoungTeacher}; по пунктам ИОМ: ${r.createdRoute}; закрыто ненужных: ${r.closed}; без изменений: ${r.unchanged}.`));
    }, "Поиск молодых педагогов без наставника и пунктов ИОМ «с наставником»…"),
  );
  const run = h("button", { type: "button", class: "primary" }, "Подобрать пары");
  run.addEventListener("click", () =>
    void busy(run, async () => {
      mount(out, h("p", { role: "status", class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Подбор пар: поиск оптимального распределения с учётом нагрузки наставников… Обычно это занимает несколько секунд."));
      try {
        const r = await api.mentoring.proposeMatching({
          scope: scope.value,
          options: { pairTypes: types.filter(([, , c]) => c.checked).map(([t]) => t), replacePendingPairs: replace.checked, allowCrossMunicipality: cross.checked },
          requestId: requestId(),
        });
        showProposal(out, await wholeProposal(r.proposal!));
        open.replaceChildren(); // A new run supersedes the open proposals of its scope.
      } catch (e) {
        mount(out, errorNotice(e));
      }
    }),
  );
  const open = h("div", {});
  mount(
    el,
    h(
      "div",
      { class: "card" },
      h("div", { class: "grid2" }, field("Где подбирать", scope), h("fieldset", {}, h("legend", {}, "Виды пар"), types.map(([, l]) => h("div", {}, l)))),
      h("div", { class: "checks" }, replaceLabel, crossLabel),
      h("div", { class: "row-actions" }, run, sync),
      syncOut,
    ),
    out,
    open,
  );
  void openProposals(open, out);
}

async function openProposals(el: HTMLElement, out: HTMLElement) {
  try {
    const r = await api.mentoring.listMatchingProposals({ pageSize: 10, filter: "state = MATCHING_PROPOSAL_STATE_OPEN" });
    if (!r.proposals.length) return;
    const titles = new Map(await scopeOptions(false).catch(() => [] as [string, string][]));
    mount(
      el,
      h("h2", {}, "Непринятые предложения"),
      table(
        ["Когда", "Где", "Подобрано", ""],
        r.proposals.map((p) => [tsText(p.createTime), titles.get(p.scope)?.replace(/ \(всё\)$/, "") ?? p.scope, p.stats ? `${fmt(p.stats.matched)} из ${fmt(p.stats.mentees)}` : "—", h("button", { type: "button", class: "small", onclick: () => void wholeProposal(p).then((w) => showProposal(out, w), (e) => mount(out, errorNotice(e))) }, "Открыть")]),
      ),
    );
  } catch {
    // Only a convenience; the matching itself works without it.
  }
}

/** A proposal carries at most one page of pairs; the rest is fetched before it is shown. */
export async function wholeProposal(p: MatchingProposal): Promise<MatchingProposal> {
  let token = p.nextPageToken;
  while (token) {
    const next = (await api.mentoring.getMatchingProposal({ name: p.name, pageToken: token })).proposal!;
    p.pairs.push(...next.pairs);
    p.unmatched.push(...next.unmatched);
    token = next.nextPageToken;
  }
  return p;
}

function explanation(x: MatchingProposal["pairs"][number]): HTMLElement {
  const e = x.explanation;
  if (!e) return h("span", {}, "—");
  const facts = [
    distanceTitle[e.distance],
    e.sharedSubjects.length ? `общие предметы: ${e.sharedSubjects.join(", ")}` : "общих предметов нет",
    e.coveredDeficitCodes.length ? `закрывает дефициты: ${e.coveredDeficitCodes.join(", ")}` : "",
    e.uncoveredDeficitCodes.length ? `не закрывает: ${e.uncoveredDeficitCodes.join(", ")}` : "",
    `нагрузка наставника: ${e.mentorLoadBefore} → ${e.mentorLoadAfter} из ${e.mentorCapacity}`,
  ].filter(Boolean);
  return h("details", { class: "why" }, h("summary", {}, e.summary || "подходит"), h("ul", { class: "facts-list" }, facts.map((f) => h("li", {}, f))));
}

export function showProposal(el: HTMLElement, p: MatchingProposal) {
  const open = p.state === MatchingProposalState.OPEN;
  const fresh = p.pairs.filter((x) => !x.keptPair);
  const checks = new Map(fresh.map((x) => [x.index, h("input", { type: "checkbox", checked: true, "aria-label": `Принять пару: ${x.mentorDisplayName} — ${x.menteeDisplayName}` })]));
  const status = h("div", { "aria-live": "polite" });
  const apply = h("button", { type: "button", class: "primary" }, "Принять отмеченные пары");
  apply.addEventListener("click", () => {
    const idx = fresh.filter((x) => checks.get(x.index)!.checked).map((x) => x.index);
    if (!idx.length) return mount(status, notice("error", "Не отмечено ни одной пары. Чтобы отказаться от всех, нажмите «Отклонить предложение»."));
    void act(apply, status, async () => {
      const r = await api.mentoring.applyMatchingProposal({ name: p.name, pairIndices: idx, version: p.version, requestId: requestId() });
      mount(el, notice("success", `Создано пар: ${r.createdCount}. Они ждут согласия наставников и наставляемых (в приложении педагога).`, h("a", { href: `#/mentoring/pairs?status=${MentoringPairStatus.PROPOSED}` }, "Перейти к предложенным парам")));
    }, "Создание пар…");
  });
  const discard = h("button", { type: "button" }, "Отклонить предложение");
  discard.addEventListener("click", () =>
    void act(discard, status, async () => {
      await api.mentoring.discardMatchingProposal({ name: p.name, version: p.version, requestId: requestId() });
      mount(el, notice("info", "Предложение отклонено; пары не созданы."));
    }),
  );
  const s = p.stats;
  const kept = p.pairs.filter((x) => x.keptPair);
  const row = (x: MatchingProposal["pairs"][number], pick: Node | string) => [pick, x.mentorDisplayName, x.menteeDisplayName, pairTypeTitle[x.pairType] ?? "—", explanation(x)];
  mount(
    el,
    h("h2", {}, "Предложение"),
    s
      ? h(
          "p",
          { class: "report-summary" },
          `Открытых запросов: ${fmt(s.mentees)}, наставников: ${fmt(s.mentors)}. Новых пар: ${fmt(fresh.length)} `,
          progressBar(fresh.length, s.mentees, "Запросов с парой"),
          h("small", { class: "muted" }, ` (рассмотрено вариантов: ${fmt(Number(s.candidateEdges))}, расчёт ${fmt(Number(s.computeMillis))} мс)`),
        )
      : null,
    fresh.length
      ? table(["Принять", "Наставник", "Наставляемый", "Вид", "Почему эта пара"], fresh.map((x) => row(x, open ? checks.get(x.index)! : "")), "Предложенные пары")
      : h("p", { class: "muted" }, "Новых пар не нашлось."),
    p.unmatched.length
      ? table(["Наставляемый", "Почему без пары", "Подробности"], p.unmatched.map((u) => [u.menteeDisplayName, unmatchedTitle[u.reason] ?? "—", u.detail || "—"]), `Без пары: ${p.unmatched.length}`)
      : null,
    kept.length
      ? h("details", { class: "create" }, h("summary", {}, `Пары, предложенные или принятые раньше, сохраняются: ${kept.length}`), table(["", "Наставник", "Наставляемый", "Вид", "Почему эта пара"], kept.map((x) => row(x, badge("уже есть", "muted")))))
      : null,
    open && fresh.length ? h("div", { class: "row-actions" }, apply, discard) : null,
    status,
  );
}

// ------------------------------------------------------------------------------ pairs

/** A pair's activity: meetings held and the latest; an active pair silent for a month is marked. */
function meetingsCell(p: MentoringPair): HTMLElement | string {
  const live = p.status === MentoringPairStatus.ACTIVE;
  if (!live && p.status !== MentoringPairStatus.COMPLETED) return "—";
  if (!p.meetingsHeld) return live ? badge("встреч не было", "warn") : "встреч не было";
  const last = p.lastMeetingDate;
  const weeks = last?.year ? Math.floor(-daysUntil(last, todayDate()) / 7) : 0;
  return h(
    "span",
    {},
    `${plural(p.meetingsHeld, "встреча", "встречи", "встреч")}, последняя ${dateText(last)}`,
    live && weeks >= 4 ? [" ", badge(`${plural(weeks, "неделя", "недели", "недель")} без встреч`, "warn")] : null,
  );
}

function pairsView(el: HTMLElement) {
  const out = h("div", { "aria-live": "polite" });
  const { filters, list, reload } = filteredList(
    "Статус пары",
    [["", "все"], ...Object.entries(pairStatusTitle).map(([v, [t]]): [string, string] => [v, t])],
    routeParams().get("status") ?? "",
    PAGE,
    async (status, token) => {
      const r = await api.mentoring.listMentoringPairs({ pageSize: PAGE, pageToken: token, filter: status ? `status = MENTORING_PAIR_STATUS_${MentoringPairStatus[Number(status)]}` : "" });
      return { items: r.pairs, next: r.nextPageToken, total: r.totalSize };
    },
    (pairs) =>
      detailsTable(
        ["Наставник", "Наставляемый", "Вид", "Статус", "Сроки", "Встречи", ...(canManage() ? [""] : [])],
        pairs.map((p) => {
          const [st, kind] = pairStatusTitle[p.status] ?? ["—", "muted"];
          const waiting = [p.mentorAcceptTime ? "" : "наставника", p.menteeAcceptTime ? "" : "наставляемого"].filter(Boolean);
          const accepted = p.status === MentoringPairStatus.PROPOSED && waiting.length ? h("small", { class: "muted" }, ` ждёт согласия ${waiting.join(" и ")}`) : null;
          // The matching explanation is long: it unfolds under the row (the table fits 1366 px).
          return {
            cells: [
              p.mentorDisplayName,
              p.mentee.startsWith("people/") ? h("a", { href: `#/people/${idOf(p.mentee)}` }, p.menteeDisplayName) : p.menteeDisplayName,
              pairTypeTitle[p.pairType] ?? "—",
              h("span", {}, badge(st, kind), accepted, p.closeReason ? h("small", { class: "muted" }, ` ${p.closeReason}`) : null, p.outcome ? h("small", { class: "muted" }, ` ${outcomeTitle[p.outcome] ?? ""}`) : null),
              p.startDate?.year ? `${dateText(p.startDate)} — ${dateText(p.endDate?.year ? p.endDate : p.plannedEndDate)}` : "—",
              meetingsCell(p),
              ...(canManage() ? [pairActions(p, out, () => void reload())] : []),
            ],
            details: p.explanation?.summary ? h("p", { class: "why" }, h("strong", {}, "Почему эта пара: "), p.explanation.summary) : null,
            toggleAt: 2,
            toggleText: "Почему",
          };
        }),
      ),
    "Пар нет.",
  );
  mount(el, canManage() ? h("div", { class: "row-actions" }, createPairButton(() => void reload(), out)) : null, filters, out, list);
  void reload();
}

// ------------------------------------------------------------------------------ mentors

function mentorsView(el: HTMLElement) {
  const { filters, list, reload } = filteredList(
    "Допуск",
    [["", "все"], ["true", "допущены"], ["false", "не допущены"]],
    "",
    PAGE,
    async (eligible, token) => {
      const r = await api.mentoring.listMentorProfiles({ pageSize: PAGE, pageToken: token, filter: eligible ? `eligible = ${eligible}` : "" });
      return { items: r.profiles, next: r.nextPageToken, total: r.totalSize };
    },
    (ps) =>
      table(
        ["Наставник", "Предметы, сильные стороны", "Нагрузка", "Допуск", "Статус", ...(canManage() ? [""] : [])],
        ps.map((p) => [
          p.mentor.startsWith("people/") ? h("a", { href: `#/people/${idOf(p.mentor)}` }, p.displayName) : p.displayName,
          [p.subjects.join(", "), [...new Set([...p.strongAreas, ...p.diagnosedStrongAreas])].map((a) => areaTitle[a]).join(", ")].filter(Boolean).join("; ") || "—",
          progressBar(p.currentLoad, p.capacity, "Нагрузка"),
          eligibilityCell(p),
          `${profileStatusTitle[p.status] ?? "—"}${p.availability && !p.availability.accepting ? ", не принимает новых" : ""}`,
          ...(canManage() ? [profileActions(p, () => void reload())] : []),
        ]),
      ),
    "Наставников нет.",
  );
  mount(el, canManage() ? newMentorForm(() => void reload()) : null, filters, list);
  void reload();
}

function eligibilityCell(p: MentorProfile): HTMLElement {
  const e = p.eligibility;
  if (!e) return h("span", {}, "—");
  const failed = e.checks.filter((c) => !c.passed);
  return h("span", {}, badge(e.eligible ? "допущен" : "не допущен", e.eligible ? "ok" : "err"), failed.length ? h("ul", { class: "facts-list" }, failed.map((c) => h("li", {}, c.detail || c.code))) : null);
}

type Picked = NonNullable<ReturnType<ReturnType<typeof personPicker>["person"]>>;

/**
 * A folded form about one person of the caller's scope: the person picker, `fields`, and a
 * submit that runs `create` for the chosen person and reports `done`.
 */
function personForm(summary: string, pickerLabel: string, submitTitle: string, fields: Node[], create: (p: Picked) => Promise<unknown>, done: string, onCreated: () => void): HTMLElement {
  const who = personPicker(pickerLabel);
  const out = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary" }, submitTitle);
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const person = who.person();
        if (!person) return mount(out, notice("error", "Найдите и выберите педагога."));
        void act(save, out, async () => {
          await create(person);
          mount(out, notice("success", done));
          onCreated();
        });
      },
    },
    who.el,
    ...fields,
    out,
    save,
  );
  return h("details", { class: "create" }, h("summary", {}, summary), form);
}

/** Subjects typed in, else the person's own. */
const subjectsOr = (input: HTMLInputElement, p: Picked) => (splitList(input.value).length ? splitList(input.value) : p.subjects);

function newMentorForm(onCreated: () => void): HTMLElement {
  const capacity = h("input", { type: "number", min: 1, max: 20, value: 2, inputmode: "numeric" });
  const subjects = h("input", { type: "text", placeholder: "через запятую; пусто — из карточки" });
  const types = [PairType.SUBJECT, PairType.YOUNG_SPECIALIST, PairType.COMPETENCY_PEER].map((t) => [t, ...checkbox(pairTypeTitle[t], t !== PairType.COMPETENCY_PEER)] as const);
  const areas = [CompetencyArea.SUBJECT, CompetencyArea.METHODOLOGICAL, CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL, CompetencyArea.COMMUNICATIVE, CompetencyArea.DIGITAL].map((a) => [a, ...checkbox(areaTitle[a])] as const);
  const note = h("input", { type: "text", placeholder: "опыт, интересы" });
  return personForm(
    "Добавить наставника",
    "Педагог",
    "Добавить наставника",
    [
      h("div", { class: "grid2" }, field("Сколько наставляемых одновременно", capacity), field("Предметы", subjects)),
      h("fieldset", {}, h("legend", {}, "Виды пар"), types.map(([, l]) => l)),
      h("fieldset", {}, h("legend", {}, "Сильные стороны (области компетенций)"), areas.map(([, l]) => l)),
      field("Заметка", note),
    ],
    (person) =>
      api.mentoring.createMentorProfile({
        profile: {
          mentor: person.name,
          organization: person.organization,
          capacity: Number(capacity.value) || 1,
          subjects: subjectsOr(subjects, person),
          pairTypes: types.filter(([, , c]) => c.checked).map(([t]) => t),
          strongAreas: areas.filter(([, , c]) => c.checked).map(([a]) => a),
          note: note.value.trim(),
          availability: { accepting: true },
        },
        requestId: requestId(),
      }),
    "Наставник добавлен; допуск проверен по правилу региона.",
    onCreated,
  );
}

// ------------------------------------------------------------------------------ requests

function requestsView(el: HTMLElement) {
  const out = h("div", { "aria-live": "polite" });
  // One mentee's requests: a person search next to the status filter (its own label: the
  // "new request" form above has a mentee picker too).
  const who = personPicker("Показать запросы педагога");
  const menteeFilter = () => (who.value() ? `mentee = "${who.value()}"` : "");
  const { filters, list, reload } = filteredList(
    "Статус запроса",
    [["", "все"], ...Object.entries(requestStatusTitle).map(([v, [t]]): [string, string] => [v, t])],
    String(MenteeRequestStatus.OPEN),
    PAGE,
    async (status, token) => {
      const r = await api.mentoring.listMenteeRequests({ pageSize: PAGE, pageToken: token, filter: [status ? `status = MENTEE_REQUEST_STATUS_${MenteeRequestStatus[Number(status)]}` : "", menteeFilter()].filter(Boolean).join(" AND ") });
      return { items: r.requests, next: r.nextPageToken, total: r.totalSize };
    },
    (rs) =>
      table(
        ["Наставляемый", "Откуда", "Вид", "Предметы, дефициты", "Статус", ...(canManage() ? [""] : [])],
        rs.map((q) => {
          const [st, kind] = requestStatusTitle[q.status] ?? ["—", "muted"];
          return [
            q.mentee.startsWith("people/") ? h("a", { href: `#/people/${idOf(q.mentee)}` }, q.displayName) : q.displayName,
            sourceTitle[q.source] ?? "—",
            pairTypeTitle[q.pairType] ?? "—",
            [q.subjects.join(", "), q.deficitIndicatorCodes.join(", ")].filter(Boolean).join("; ") || "—",
            badge(st, kind),
            ...(canManage() ? [requestActions(q, out, () => void reload())] : []),
          ];
        }),
      ),
    "Запросов нет.",
  );
  who.el.querySelector("select")!.addEventListener("change", () => void reload());
  mount(el, canManage() ? newRequestForm(() => void reload()) : null, filters, h("div", { class: "card" }, who.el), out, list);
  void reload();
}

function newRequestForm(onCreated: () => void): HTMLElement {
  const type = select([PairType.YOUNG_SPECIALIST, PairType.SUBJECT, PairType.COMPETENCY_PEER].map((t): [string, string] => [String(t), pairTypeTitle[t]]), String(PairType.YOUNG_SPECIALIST));
  const subjects = h("input", { type: "text", placeholder: "через запятую; пусто — из карточки" });
  const note = h("input", { type: "text" });
  return personForm(
    "Новый запрос на наставника",
    "Наставляемый",
    "Создать запрос",
    [h("div", { class: "grid2" }, field("Вид наставничества", type), field("Предметы", subjects)), field("Заметка", note)],
    (person) =>
      api.mentoring.createMenteeRequest({
        request: { mentee: person.name, source: MenteeRequestSource.SCHOOL, pairType: Number(type.value), subjects: subjectsOr(subjects, person), note: note.value.trim() },
        requestId: requestId(),
      }),
    "Запрос создан; он войдёт в следующий подбор пар.",
    onCreated,
  );
}

