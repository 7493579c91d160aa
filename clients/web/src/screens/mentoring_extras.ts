// Mentoring beyond matching: school mentoring programmes (целевая модель наставничества), pins and
// bans for matching, mentor profile edits, pairs created by hand and edited (plan, programme),
// completion with an outcome chosen from a list, cancellation with a reason, meetings, and
// mentee request edits. Actions follow policy.cc: manage_mentoring (school admin, methodists,
// regional admin) and run_matching for pins and bans (methodists, regional admin).
import { api, requestId } from "../api";
import { hasAny } from "../app";
import { CompetencyArea, Role } from "../gen/nms/v1/common_pb";
import {
  MatchingConstraintKind, MenteeRequestStatus, MentoringOutcome, MentoringPairStatus, MentoringProgrammeStatus, MentorProfileStatus, PairType,
  type MatchingConstraint, type MenteeRequest, type MentoringMeeting, type MentoringPair, type MentoringProgramme, type MentorProfile,
} from "../gen/nms/v1/mentoring_pb";
import { scopeOptions } from "../scope";
import { actionButton, allowed, confirmDialog, enumOptions, formDialog, infoDialog, resourceList, type FieldSpec, type Permission } from "../forms";
import { dateText, errorNotice, h, mount, notice, table, todayDate } from "../ui";
import { areaTitle } from "./diagnostics";
import { meetingFormatTitle, pairTypeTitle } from "../../../shared/titles";

const canManage = () => hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
const canMatch = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
const manage = (): Permission => (canManage() ? allowed : { allowed: false, reason: "Наставничеством управляют администратор организации и методисты." });

const pairTypes = pairTypeTitle;
const teacherPairTypes = Object.fromEntries(Object.entries(pairTypes).filter(([k]) => Number(k) !== PairType.ORGANIZATION_MANAGEMENT));
const programmeStatusTitle: Record<number, string> = {
  [MentoringProgrammeStatus.ACTIVE]: "действует",
  [MentoringProgrammeStatus.SUSPENDED]: "приостановлена",
  [MentoringProgrammeStatus.CLOSED]: "закрыта",
};
export const outcomeTitle: Record<number, string> = {
  [MentoringOutcome.ACHIEVED]: "цели достигнуты",
  [MentoringOutcome.PARTIALLY_ACHIEVED]: "цели достигнуты частично",
  [MentoringOutcome.NOT_ACHIEVED]: "цели не достигнуты",
};
const constraintTitle: Record<number, string> = { [MatchingConstraintKind.PIN]: "закрепить пару", [MatchingConstraintKind.FORBID]: "запретить пару" };
const profileStatusTitle: Record<number, string> = { [MentorProfileStatus.ACTIVE]: "участвует в подборе", [MentorProfileStatus.PAUSED]: "пауза", [MentorProfileStatus.WITHDRAWN]: "выбыл" };
const pairStatus: Record<number, string> = {
  [MentoringPairStatus.PROPOSED]: "предложена",
  [MentoringPairStatus.ACTIVE]: "действует",
  [MentoringPairStatus.REJECTED]: "отклонена",
  [MentoringPairStatus.COMPLETED]: "завершена",
  [MentoringPairStatus.CANCELLED]: "отменена",
};
const areas = [CompetencyArea.SUBJECT, CompetencyArea.METHODOLOGICAL, CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL, CompetencyArea.COMMUNICATIVE, CompetencyArea.DIGITAL];

/** Mentor profiles of the caller's scope as options (for pins, bans and pairs by hand). */
async function profileOptions(): Promise<[string, string][]> {
  const r = await api.mentoring.listMentorProfiles({ pageSize: 500 });
  return r.profiles.map((p): [string, string] => [p.name, `${p.displayName} (${p.currentLoad} из ${p.capacity})`]);
}
async function programmeOptions(): Promise<[string, string][]> {
  const r = await api.mentoring.listMentoringProgrammes({ pageSize: 200, filter: "status = MENTORING_PROGRAMME_STATUS_ACTIVE" });
  return r.programmes.map((p): [string, string] => [p.name, p.title]);
}

// ---------------------------------------------------------------- programmes

export function programmesView(el: HTMLElement) {
  const fields: FieldSpec[] = [
    { key: "title", label: "Программа", type: "text", required: true },
    { key: "organization", label: "Организация", type: "org", required: true, createOnly: true },
    { key: "coordinator", label: "Куратор", type: "person", formOnly: true },
    { key: "adoptionDocument", label: "Документ о принятии", type: "text", hint: "например, приказ № 45 от 01.09.2026" },
    { key: "adoptionDate", label: "Дата принятия", type: "date", formOnly: true },
    { key: "startDate", label: "Начало", type: "date", required: true, initial: todayDate() },
    { key: "endDate", label: "Окончание", type: "date", formOnly: true },
    { key: "pairTypes", label: "Формы наставничества", type: "enumset", options: enumOptions(pairTypes), formOnly: true },
    { key: "status", label: "Статус", type: "enum", required: true, options: enumOptions(programmeStatusTitle), initial: MentoringProgrammeStatus.ACTIVE },
    { key: "activePairs", label: "Действующих пар", type: "int", tableOnly: true },
  ];
  mount(el, h("p", { class: "muted" }, "Программы наставничества организаций (целевая модель): по ним считается показатель «доля организаций с программой наставничества»."),
    resourceList<MentoringProgramme>({
      noun: "программа наставничества",
      fields,
      canCreate: manage(),
      canEdit: () => manage(),
      canDelete: (p) => (p.activePairs ? { allowed: false, reason: "в программе есть действующие пары" } : manage()),
      list: async (t) => { const r = await api.mentoring.listMentoringProgrammes({ pageSize: 25, pageToken: t }); return { items: r.programmes, next: r.nextPageToken, total: r.totalSize }; },
      get: (name) => api.mentoring.getMentoringProgramme({ name }).then((r) => r.programme!),
      create: (v) => api.mentoring.createMentoringProgramme({ programme: v, requestId: requestId() }),
      update: (v, c) => api.mentoring.updateMentoringProgramme({ programme: v, updateMask: { paths: c }, requestId: requestId() }),
      remove: (p) => api.mentoring.deleteMentoringProgramme({ name: p.name, version: p.version, requestId: requestId() }),
      empty: "Программ наставничества нет.",
    }).el);
}

// ---------------------------------------------------------------- pins and bans

export function constraintsView(el: HTMLElement) {
  const perm: Permission = canMatch() ? allowed : { allowed: false, reason: "Закрепления и запреты задают методисты, которые подбирают пары." };
  const fields: FieldSpec[] = [
    { key: "kind", label: "Что сделать", type: "enum", required: true, options: enumOptions(constraintTitle) },
    { key: "mentorProfile", label: "Наставник", type: "ref", required: true, loadOptions: profileOptions },
    { key: "mentee", label: "Наставляемый", type: "person", required: true },
    { key: "scope", label: "Где действует", type: "ref", required: true, loadOptions: () => scopeOptions(false), formOnly: true },
    { key: "reason", label: "Причина", type: "text", required: true, maxLength: 1000 },
  ];
  mount(el, h("p", { class: "muted" }, "Закреплённая пара обязательно войдёт в следующий подбор; запрещённая — никогда."),
    resourceList<MatchingConstraint>({
      noun: "закрепление или запрет",
      fields,
      canCreate: perm,
      canDelete: () => perm,
      list: async (t) => { const r = await api.mentoring.listMatchingConstraints({ pageSize: 25, pageToken: t }); return { items: r.constraints, next: r.nextPageToken, total: r.totalSize }; },
      create: (v) => api.mentoring.createMatchingConstraint({ constraint: v, requestId: requestId() }),
      remove: (c) => api.mentoring.deleteMatchingConstraint({ name: c.name, version: c.version, requestId: requestId() }),
      empty: "Закреплений и запретов нет.",
    }).el);
}

// ---------------------------------------------------------------- mentor profiles

const PROFILE_FIELDS: FieldSpec[] = [
  { key: "capacity", label: "Сколько наставляемых одновременно", type: "int", required: true, min: 1, max: 50 },
  { key: "status", label: "Статус", type: "enum", required: true, options: enumOptions(profileStatusTitle) },
  { key: "subjects", label: "Предметы", type: "list" },
  { key: "pairTypes", label: "Виды пар", type: "enumset", options: enumOptions(teacherPairTypes) },
  { key: "strongAreas", label: "Сильные стороны", type: "enumset", options: areas.map((a): [string, string] => [String(a), areaTitle[a]]) },
  { key: "note", label: "Заметка", type: "text" },
];

/** Edit and remove buttons of a mentor's row. */
export function profileActions(p: MentorProfile, reload: () => void): HTMLElement {
  const perm = manage();
  return h("span", { class: "row-actions" },
    actionButton("Изменить", perm, async () => {
      const fresh = (await api.mentoring.getMentorProfile({ name: p.name })).profile!;
      const saved = await formDialog({
        title: `Наставник: ${fresh.displayName}`,
        fields: PROFILE_FIELDS,
        value: fresh as unknown as Record<string, unknown>,
        check: (v): Record<string, string> => (Number(v.capacity) < fresh.currentLoad ? { capacity: `Сейчас у наставника ${fresh.currentLoad} наставляемых — не меньше` } : {}),
        submit: (v, c) => api.mentoring.updateMentorProfile({ profile: { ...v, name: fresh.name, version: fresh.version }, updateMask: { paths: c }, requestId: requestId() }),
      });
      if (saved) reload();
    }),
    actionButton("Удалить", p.currentLoad > 0 ? { allowed: false, reason: "есть действующие пары" } : perm, async () => {
      if (!(await confirmDialog("Удалить наставника?", `${p.displayName} больше не будет участвовать в подборе. Если у него были завершённые пары, профиль будет помечен как «выбыл».`, "Удалить"))) return;
      await api.mentoring.deleteMentorProfile({ name: p.name, version: p.version, requestId: requestId() }).then(reload, (e) => void infoDialog("Не удалось удалить", errorNotice(e)));
    }, "danger"));
}

// ---------------------------------------------------------------- pairs

/** "Создать пару вручную": a mentor profile, a mentee and the kind; the new pair shows in `out` with its actions. */
export function createPairButton(reload: () => void, out: HTMLElement): HTMLElement {
  return actionButton("Создать пару вручную", manage(), async () => {
    const saved = await formDialog({
      title: "Новая пара наставничества",
      submitText: "Создать пару",
      intro: h("p", { class: "muted" }, "Пара будет предложена: наставник и наставляемый подтверждают её в приложении педагога."),
      fields: [
        { key: "mentorProfile", label: "Наставник", type: "ref", required: true, loadOptions: profileOptions },
        { key: "mentee", label: "Наставляемый", type: "person", required: true },
        { key: "pairType", label: "Вид наставничества", type: "enum", required: true, options: enumOptions(teacherPairTypes), initial: PairType.YOUNG_SPECIALIST },
        { key: "startDate", label: "Начало", type: "date", initial: todayDate() },
        { key: "plannedEndDate", label: "Плановое окончание", type: "date" },
        { key: "programme", label: "Программа наставничества", type: "ref", loadOptions: programmeOptions },
      ],
      submit: (v) => api.mentoring.createMentoringPair({ pair: v, requestId: requestId() }),
    });
    if (!saved) return;
    const name = (saved as { pair?: MentoringPair }).pair!.name;
    const show = async () => {
      const p = (await api.mentoring.getMentoringPair({ name })).pair!;
      mount(out, notice("success", `Пара создана: ${p.mentorDisplayName} — ${p.menteeDisplayName}.`),
        table(["Наставник", "Наставляемый", "Статус", "Сроки", ""], [[p.mentorDisplayName, p.menteeDisplayName, pairStatus[p.status] ?? "—",
          p.startDate?.year ? `${dateText(p.startDate)} — ${dateText(p.endDate?.year ? p.endDate : p.plannedEndDate)}` : p.plannedEndDate?.year ? `до ${dateText(p.plannedEndDate)}` : "—", pairActions(p, h("div", {}), () => void show().then(reload))]], "Только что созданная пара"));
    };
    await show();
    reload();
  }, "primary");
}

async function meetings(p: MentoringPair) {
  const box = h("div", {});
  const render = async () => {
    try {
      const r = await api.mentoring.listMentoringMeetings({ parent: p.name, pageSize: 100 });
      mount(box, r.meetings.length
        ? table(["Дата", "Тема", "Формат", "Проведена", ""], r.meetings.map((m: MentoringMeeting) => [dateText(m.meetingDate), m.topic || "—", meetingFormatTitle[m.format] ?? "—", m.held ? "да" : "нет",
            h("span", { class: "row-actions" },
              h("button", { type: "button", onclick: async () => {
                const full = (await api.mentoring.getMentoringMeeting({ name: m.name })).meeting!;
                mount(box, h("div", { class: "card" }, h("h3", {}, `${dateText(full.meetingDate)} · ${full.topic}`), h("p", {}, full.notes || "Заметок нет."), h("p", { class: "muted" }, `${full.durationMinutes} мин.`), h("button", { type: "button", onclick: () => void render() }, "← К списку встреч")));
              } }, "Подробнее"),
              actionButton("Удалить", manage(), async () => {
                if (!(await confirmDialog("Удалить встречу?", `Встреча ${dateText(m.meetingDate)} «${m.topic}» будет удалена из плана пары.`, "Удалить"))) return;
                await api.mentoring.deleteMentoringMeeting({ name: m.name, version: m.version, requestId: requestId() }).then(render, (e) => mount(box, errorNotice(e)));
              }, "danger"))]))
        : h("p", { class: "muted" }, "Встреч пока нет: их планируют наставник и наставляемый в приложении."));
    } catch (e) {
      mount(box, errorNotice(e));
    }
  };
  void render();
  await infoDialog(`Встречи: ${p.mentorDisplayName} — ${p.menteeDisplayName}`, box);
}

/** Actions of a pair's row; only those the pair's state allows. */
export function pairActions(p: MentoringPair, out: HTMLElement, reload: () => void): HTMLElement {
  const perm = manage();
  const live = p.status === MentoringPairStatus.PROPOSED || p.status === MentoringPairStatus.ACTIVE;
  const box = h("span", { class: "row-actions" });
  box.append(h("button", { type: "button", class: "small", onclick: () => void meetings(p) }, "Встречи"));
  if (!live) return box;
  box.append(actionButton("Изменить", perm, async () => {
    const fresh = (await api.mentoring.getMentoringPair({ name: p.name })).pair!;
    const saved = await formDialog({
      title: `Пара: ${fresh.mentorDisplayName} — ${fresh.menteeDisplayName}`,
      fields: [
        { key: "plannedEndDate", label: "Плановое окончание", type: "date" },
        { key: "subjects", label: "Предметы", type: "list" },
        { key: "indicatorCodes", label: "Показатели (коды дефицитов)", type: "list" },
        { key: "programme", label: "Программа наставничества", type: "ref", loadOptions: programmeOptions },
      ],
      value: fresh as unknown as Record<string, unknown>,
      check: (v): Record<string, string> => {
        const e = v.plannedEndDate as { year: number; month: number; day: number } | undefined, s = fresh.startDate;
        return e && s?.year && Date.UTC(e.year, e.month - 1, e.day) < Date.UTC(s.year, s.month - 1, s.day) ? { plannedEndDate: `Раньше начала (${dateText(s)})` } : {};
      },
      submit: (v, c) => api.mentoring.updateMentoringPair({ pair: { ...v, name: fresh.name, version: fresh.version }, updateMask: { paths: c }, requestId: requestId() }),
    });
    if (saved) {
      mount(out, notice("success", "Пара сохранена."));
      reload();
    }
  }));
  if (p.status === MentoringPairStatus.ACTIVE) {
    box.append(actionButton("Завершить", perm, async () => {
      const saved = await formDialog({
        title: `Завершить наставничество: ${p.mentorDisplayName} — ${p.menteeDisplayName}`,
        submitText: "Завершить",
        fields: [
          { key: "outcome", label: "Результат", type: "enum", required: true, options: enumOptions(outcomeTitle) },
          { key: "comment", label: "Комментарий", type: "textarea" },
          { key: "endDate", label: "Дата окончания", type: "date", required: true, initial: todayDate() },
        ],
        submit: (v) => api.mentoring.completeMentoringPair({ name: p.name, outcome: Number(v.outcome) as MentoringOutcome, comment: String(v.comment ?? ""), endDate: v.endDate as { year: number; month: number; day: number }, version: p.version, requestId: requestId() }),
      });
      if (saved) {
        mount(out, notice("success", "Наставничество завершено."));
        reload();
      }
    }));
  }
  box.append(actionButton("Отменить", perm, async () => {
    const saved = await formDialog({
      title: `Отменить пару: ${p.mentorDisplayName} — ${p.menteeDisplayName}`,
      submitText: "Отменить пару",
      fields: [{ key: "reason", label: "Причина отмены", type: "textarea", required: true }],
      submit: (v) => api.mentoring.cancelMentoringPair({ name: p.name, reason: String(v.reason), version: p.version, requestId: requestId() }),
    });
    if (saved) {
      mount(out, notice("success", "Пара отменена."));
      reload();
    }
  }, "danger"));
  return box;
}

// ---------------------------------------------------------------- mentee requests

export function requestActions(q: MenteeRequest, out: HTMLElement, reload: () => void): HTMLElement | string {
  if (q.status !== MenteeRequestStatus.OPEN) return "";
  const perm = manage();
  return h("span", { class: "row-actions" },
    actionButton("Изменить", perm, async () => {
      const fresh = (await api.mentoring.getMenteeRequest({ name: q.name })).request!;
      const saved = await formDialog({
        title: `Запрос: ${fresh.displayName}`,
        fields: [
          { key: "pairType", label: "Вид наставничества", type: "enum", required: true, options: enumOptions(teacherPairTypes) },
          { key: "subjects", label: "Предметы", type: "list" },
          { key: "areas", label: "Области компетенций", type: "enumset", options: areas.map((a): [string, string] => [String(a), areaTitle[a]]) },
          { key: "deficitIndicatorCodes", label: "Дефициты (коды показателей)", type: "list" },
          { key: "note", label: "Заметка", type: "text" },
        ],
        value: fresh as unknown as Record<string, unknown>,
        submit: (v, c) => api.mentoring.updateMenteeRequest({ request: { ...v, name: fresh.name, version: fresh.version }, updateMask: { paths: c }, requestId: requestId() }),
      });
      if (saved) {
        mount(out, notice("success", "Запрос сохранён."));
        reload();
      }
    }),
    actionButton("Отменить", perm, async () => {
      const saved = await formDialog({
        title: `Отменить запрос: ${q.displayName}`,
        submitText: "Отменить запрос",
        fields: [{ key: "reason", label: "Причина отмены", type: "textarea", required: true }],
        submit: (v) => api.mentoring.cancelMenteeRequest({ name: q.name, reason: String(v.reason), version: q.version, requestId: requestId() }),
      });
      if (saved) reload();
    }, "danger"));
}
