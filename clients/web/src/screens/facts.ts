// Monitoring facts behind the indicators that no other service records: further-training
// completions, management teams, internship platforms and their participants, communities,
// expert activity, ЦНППМ staff, regional events and their participants, methodist–teacher
// assignments (with the methodist's load). Each kind: a table, add / edit / delete through forms,
// and a CSV import of new records. Anyone who may record facts (school admin, methodists,
// regional admin) sees the buttons; the server scopes what each of them may touch.
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import {
  CommunityKind,
  CommunityLevel,
  EventParticipantRole,
  ExpertActivityKind,
  FactSource,
  InternshipParticipantRole,
  ManagementTeamRole,
  MethodistRole,
} from "../gen/nms/v1/monitoring_pb";
import { allowed, enumOptions, infoDialog, nameCell, organizationName, resourceList, type FieldSpec, type Permission, type Values } from "../forms";
import { errorNotice, fmt, h, mount, notice, subnav, table } from "../ui";

const FACT_WRITERS = [Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN];
function canRecord(): Permission {
  return hasAny(...FACT_WRITERS) ? allowed : { allowed: false, reason: "Факты вносят администраторы организаций, методисты и администратор региона." };
}

export const teamRoleTitle: Record<number, string> = { [ManagementTeamRole.HEAD]: "руководитель", [ManagementTeamRole.DEPUTY]: "заместитель руководителя" };
export const communityKindTitle: Record<number, string> = {
  [CommunityKind.METHODOLOGICAL_ASSOCIATION]: "методическое объединение",
  [CommunityKind.PROFESSIONAL_COMMUNITY]: "профессиональное сообщество",
  [CommunityKind.CLUB]: "клуб",
};
export const levelTitle: Record<number, string> = {
  [CommunityLevel.FEDERAL]: "федеральный",
  [CommunityLevel.REGIONAL]: "региональный",
  [CommunityLevel.MUNICIPAL]: "муниципальный",
  [CommunityLevel.SCHOOL]: "школьный",
};
const expertKindTitle: Record<number, string> = {
  [ExpertActivityKind.ATTESTATION]: "аттестация педагогов",
  [ExpertActivityKind.COMPETITION_JURY]: "жюри конкурса",
  [ExpertActivityKind.EXAMINATION]: "экспертиза ГИА/олимпиад",
  [ExpertActivityKind.PROGRAMME_REVIEW]: "экспертиза программ",
  [ExpertActivityKind.OTHER]: "другое",
};
const internRoleTitle: Record<number, string> = {
  [InternshipParticipantRole.HOST_TEAM]: "команда площадки",
  [InternshipParticipantRole.MANAGEMENT_TRAINEE]: "стажёр-управленец",
  [InternshipParticipantRole.TEACHER_TRAINEE]: "стажёр-педагог",
};
const eventRoleTitle: Record<number, string> = {
  [EventParticipantRole.PARTICIPANT]: "участник",
  [EventParticipantRole.SPEAKER]: "спикер",
  [EventParticipantRole.ORGANIZER]: "организатор",
};
export const methodistRoleTitle: Record<number, string> = {
  [MethodistRole.REGIONAL_METHODIST]: "региональный методист",
  [MethodistRole.TUTOR]: "тьютор",
  [MethodistRole.MUNICIPAL_METHODIST]: "муниципальный методист",
};
const sourceTitle: Record<number, string> = {
  [FactSource.MANUAL]: "вручную",
  [FactSource.MUNICIPAL_REPORT]: "отчёт ММС",
  [FactSource.FEDERAL_IMPORT]: "федеральный импорт",
  [FactSource.ROUTE]: "из ИОМ",
};

const span = (prefix: string): FieldSpec[] => [
  { key: "startDate", label: "Дата начала", type: "date", path: "start_date" },
  { key: "endDate", label: "Дата окончания", type: "date", hint: prefix },
];

const mask = (changed: string[]) => ({ paths: changed });
const del = (r: { name: string; version?: bigint }) => ({ name: r.name, version: r.version ?? 0n, requestId: requestId() });

interface Kind {
  hash: string;
  title: string;
  intro: string;
  render: (el: HTMLElement) => void;
}

function completions(el: HTMLElement) {
  const fields: FieldSpec[] = [
    { key: "person", label: "Педагог", type: "person", required: true, createOnly: true },
    { key: "programmeTitle", label: "Программа", type: "text", required: true, maxLength: 1000 },
    { key: "providerTitle", label: "Организатор обучения", type: "text", formOnly: true },
    { key: "hours", label: "Часов", type: "int", min: 0, max: 10000 },
    { key: "federalRegistry", label: "Из ФР ДПП", type: "bool" },
    { key: "federalRegistryId", label: "Номер в ФР ДПП", type: "text", formOnly: true },
    { key: "chosenFromDiagnostics", label: "Выбрана по итогам диагностики", type: "bool", formOnly: true },
    { key: "qualityManagement", label: "Программа по управлению качеством образования", type: "bool", formOnly: true },
    { key: "federalOperator", label: "Курс федерального оператора", type: "bool", formOnly: true },
    { key: "startDate", label: "Начало", type: "date", formOnly: true },
    { key: "endDate", label: "Итоговая аттестация", type: "date" },
    { key: "attestationPassed", label: "Аттестация пройдена", type: "bool" },
    { key: "certificateNumber", label: "Номер удостоверения", type: "text", formOnly: true },
    { key: "source", label: "Источник", type: "enum", options: enumOptions(sourceTitle), tableOnly: true },
  ];
  mount(el, resourceList({
    noun: "прохождение ДПП",
    fields,
    csv: true,
    canCreate: canRecord(),
    check: (v): Record<string, string> => (v.attestationPassed && !v.endDate ? { endDate: "Укажите дату итоговой аттестации" } : {}),
    list: async (t) => { const r = await api.monitoring.listTrainingCompletions({ pageSize: 25, pageToken: t }); return { items: r.completions, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getTrainingCompletion({ name })).completion!,
    create: (v) => api.monitoring.createTrainingCompletion({ completion: { ...v, source: FactSource.MANUAL }, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateTrainingCompletion({ completion: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteTrainingCompletion(del(r)),
  }).el);
}

function teams(el: HTMLElement) {
  mount(el, resourceList({
    noun: "член управленческой команды",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "person", label: "Педагог", type: "person", required: true, createOnly: true },
      { key: "organization", label: "Организация", type: "org", required: true },
      { key: "role", label: "Роль", type: "enum", required: true, options: enumOptions(teamRoleTitle) },
      ...span("пусто — входит в команду сейчас"),
    ],
    list: async (t) => { const r = await api.monitoring.listManagementTeamMemberships({ pageSize: 25, pageToken: t }); return { items: r.memberships, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getManagementTeamMembership({ name })).membership!,
    create: (v) => api.monitoring.createManagementTeamMembership({ membership: v, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateManagementTeamMembership({ membership: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteManagementTeamMembership(del(r)),
  }).el);
}

function communities(el: HTMLElement) {
  mount(el, resourceList({
    noun: "участие в сообществе",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "person", label: "Педагог", type: "person", required: true, createOnly: true },
      { key: "communityTitle", label: "Сообщество", type: "text", required: true },
      { key: "communityKind", label: "Вид", type: "enum", required: true, options: enumOptions(communityKindTitle) },
      { key: "level", label: "Уровень", type: "enum", required: true, options: enumOptions(levelTitle) },
      { key: "networked", label: "Сетевое (онлайн)", type: "bool" },
      { key: "memberStatus", label: "Статус в сообществе", type: "text", hint: "например, руководитель или участник", formOnly: true },
      ...span("пусто — состоит сейчас"),
    ],
    list: async (t) => { const r = await api.monitoring.listCommunityMemberships({ pageSize: 25, pageToken: t }); return { items: r.memberships, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getCommunityMembership({ name })).membership!,
    create: (v) => api.monitoring.createCommunityMembership({ membership: v, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateCommunityMembership({ membership: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteCommunityMembership(del(r)),
  }).el);
}

function experts(el: HTMLElement) {
  mount(el, resourceList({
    noun: "экспертная деятельность",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "person", label: "Педагог", type: "person", required: true, createOnly: true },
      { key: "kind", label: "Вид", type: "enum", required: true, options: enumOptions(expertKindTitle) },
      { key: "title", label: "Содержание", type: "text", hint: "например, жюри регионального этапа конкурса «Учитель года»" },
      { key: "startDate", label: "Дата начала", type: "date", required: true },
      { key: "endDate", label: "Дата окончания", type: "date" },
    ],
    list: async (t) => { const r = await api.monitoring.listExpertActivities({ pageSize: 25, pageToken: t }); return { items: r.expertActivities, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getExpertActivity({ name })).expertActivity!,
    create: (v) => api.monitoring.createExpertActivity({ expertActivity: v, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateExpertActivity({ expertActivity: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteExpertActivity(del(r)),
  }).el);
}

function platforms(el: HTMLElement) {
  const nested = h("div", {});
  const region = mainScope().scope;
  const participants = (platform: { name: string; title: string }) => {
    mount(nested, h("h2", {}, `Участники площадки «${platform.title}»`), resourceList({
      noun: "участник стажировки",
      csv: true,
      canCreate: canRecord(),
      fields: [
        { key: "person", label: "Педагог", type: "person", required: true, createOnly: true },
        { key: "organization", label: "Организация, которую представляет", type: "org", required: true },
        { key: "role", label: "Роль", type: "enum", required: true, options: enumOptions(internRoleTitle) },
        ...span("пусто — участвует сейчас"),
      ],
      list: async (t) => { const r = await api.monitoring.listInternshipParticipants({ parent: platform.name, pageSize: 25, pageToken: t }); return { items: r.participants, next: r.nextPageToken, total: r.totalSize }; },
      get: async (name) => (await api.monitoring.getInternshipParticipant({ name })).participant!,
      create: (v) => api.monitoring.createInternshipParticipant({ parent: platform.name, participant: v, requestId: requestId() }),
      update: (v, c) => api.monitoring.updateInternshipParticipant({ participant: v, updateMask: mask(c), requestId: requestId() }),
      remove: (r) => api.monitoring.deleteInternshipParticipant(del(r)),
    }).el);
    nested.scrollIntoView({ block: "start" });
  };
  mount(el, resourceList({
    noun: "стажировочная площадка",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "title", label: "Название", type: "text", required: true },
      { key: "organization", label: "Базовая организация", type: "org", required: true },
      { key: "registerNumber", label: "Номер в реестре", type: "text" },
      ...span("пусто — действует сейчас"),
    ],
    list: async (t) => { const r = await api.monitoring.listInternshipPlatforms({ pageSize: 25, pageToken: t }); return { items: r.platforms, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getInternshipPlatform({ name })).platform!,
    create: (v) => api.monitoring.createInternshipPlatform({ platform: { ...v, region }, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateInternshipPlatform({ platform: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteInternshipPlatform(del(r)),
    rowActions: (r) => [h("button", { type: "button", onclick: () => participants(r) }, "Участники")],
  }).el, nested);
}

function events(el: HTMLElement) {
  const nested = h("div", {});
  const region = mainScope().scope;
  const participants = (event: { name: string; title: string }) => {
    mount(nested, h("h2", {}, `Участники мероприятия «${event.title}»`), resourceList({
      noun: "участник мероприятия",
      csv: true,
      canCreate: canRecord(),
      fields: [
        { key: "person", label: "Педагог", type: "person", required: true, createOnly: true },
        { key: "role", label: "Роль", type: "enum", required: true, options: enumOptions(eventRoleTitle) },
      ],
      list: async (t) => { const r = await api.monitoring.listRegionalEventParticipants({ parent: event.name, pageSize: 25, pageToken: t }); return { items: r.participants, next: r.nextPageToken, total: r.totalSize }; },
      get: async (name) => (await api.monitoring.getRegionalEventParticipant({ name })).participant!,
      create: (v) => api.monitoring.createRegionalEventParticipant({ parent: event.name, participant: v, requestId: requestId() }),
      update: (v, c) => api.monitoring.updateRegionalEventParticipant({ participant: v, updateMask: mask(c), requestId: requestId() }),
      remove: (r) => api.monitoring.deleteRegionalEventParticipant(del(r)),
    }).el);
    nested.scrollIntoView({ block: "start" });
  };
  mount(el, resourceList({
    noun: "региональное мероприятие",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "title", label: "Название", type: "text", required: true },
      { key: "kind", label: "Форма", type: "text", hint: "например, конференция, семинар" },
      { key: "level", label: "Уровень", type: "enum", options: enumOptions(levelTitle) },
      { key: "organizer", label: "Организатор", type: "org" },
      { key: "startDate", label: "Дата начала", type: "date", required: true },
      { key: "endDate", label: "Дата окончания", type: "date" },
      { key: "participantCount", label: "Участников", type: "int", min: 0 },
    ],
    list: async (t) => { const r = await api.monitoring.listRegionalEvents({ pageSize: 25, pageToken: t }); return { items: r.events, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getRegionalEvent({ name })).event!,
    create: (v) => api.monitoring.createRegionalEvent({ event: { ...v, region }, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateRegionalEvent({ event: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteRegionalEvent(del(r)),
    rowActions: (r) => [h("button", { type: "button", onclick: () => participants(r) }, "Участники")],
  }).el, nested);
}

function staff(el: HTMLElement) {
  mount(el, resourceList({
    noun: "сотрудник ЦНППМ",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "person", label: "Сотрудник", type: "person", required: true, createOnly: true },
      { key: "organization", label: "ЦНППМ", type: "org", required: true, hint: "организация типа ЦНППМ" },
      { key: "position", label: "Должность", type: "text" },
      ...span("пусто — работает сейчас"),
      { key: "federallyTrained", label: "Обучен федеральным оператором", type: "bool" },
      { key: "federalTrainingDate", label: "Дата обучения", type: "date", formOnly: true },
      { key: "federalTrainingTitle", label: "Программа обучения", type: "text", formOnly: true },
    ],
    list: async (t) => { const r = await api.monitoring.listCnppmStaffMembers({ pageSize: 25, pageToken: t }); return { items: r.members, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getCnppmStaffMember({ name })).member!,
    create: (v) => api.monitoring.createCnppmStaffMember({ member: v, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateCnppmStaffMember({ member: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteCnppmStaffMember(del(r)),
  }).el);
}

/** The methodist's load (teachers and routes accompanied) in a dialog. */
async function showLoad(methodist: string) {
  const body = h("div", {});
  const done = infoDialog("Нагрузка методиста", body);
  try {
    const r = await api.route.getMethodistLoad({ methodist });
    const l = r.load!;
    mount(body, h("p", {}, h("strong", {}, l.fullName), l.organization ? " · " : "", l.organization ? nameCell(organizationName(l.organization)) : null),
      table(["Педагогов закреплено", "ИОМ всего", "ждут подписей", "выполняются", "завершены"], [[fmt(l.teachersAssigned), fmt(l.routesTotal), fmt(l.routesPending), fmt(l.routesInProgress), fmt(l.routesCompleted)]]));
  } catch (e) {
    mount(body, errorNotice(e));
  }
  await done;
}

function assignments(el: HTMLElement) {
  mount(el, resourceList({
    noun: "закрепление методиста",
    csv: true,
    canCreate: canRecord(),
    fields: [
      { key: "methodist", label: "Методист или тьютор", type: "person", required: true, createOnly: true },
      { key: "teacher", label: "Педагог", type: "person", required: true, createOnly: true },
      { key: "role", label: "Роль", type: "enum", required: true, options: enumOptions(methodistRoleTitle) },
      ...span("пусто — закреплён сейчас"),
    ],
    list: async (t) => { const r = await api.monitoring.listMethodistAssignments({ pageSize: 25, pageToken: t }); return { items: r.assignments, next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => (await api.monitoring.getMethodistAssignment({ name })).assignment!,
    create: (v) => api.monitoring.createMethodistAssignment({ assignment: v, requestId: requestId() }),
    update: (v, c) => api.monitoring.updateMethodistAssignment({ assignment: v, updateMask: mask(c), requestId: requestId() }),
    remove: (r) => api.monitoring.deleteMethodistAssignment(del(r)),
    rowActions: (r) => [h("button", { type: "button", onclick: () => void showLoad(r.methodist) }, "Нагрузка")],
  }).el);
}

const KINDS: Record<string, Kind> = {
  trainings: { hash: "#/facts/trainings", title: "Повышение квалификации", intro: "Прохождения ДПП ПК: доли педагогов, прошедших программы из ФР ДПП, и выбранных по итогам диагностики.", render: completions },
  teams: { hash: "#/facts/teams", title: "Управленческие команды", intro: "Руководители и заместители: обучение управленческих команд и участие в наставничестве.", render: teams },
  platforms: { hash: "#/facts/platforms", title: "Стажировочные площадки", intro: "Площадки и их участники: организации, работающие в стажировочных площадках.", render: platforms },
  communities: { hash: "#/facts/communities", title: "Сообщества", intro: "Участие педагогов в методических объединениях, сообществах и клубах.", render: communities },
  experts: { hash: "#/facts/experts", title: "Экспертная деятельность", intro: "Педагоги, вовлечённые в экспертную деятельность за период.", render: experts },
  staff: { hash: "#/facts/staff", title: "Сотрудники ЦНППМ", intro: "Штат ЦНППМ и его обучение федеральным оператором.", render: staff },
  events: { hash: "#/facts/events", title: "Региональные мероприятия", intro: "Мероприятия региональной системы и их участники.", render: events },
  methodists: { hash: "#/facts/methodists", title: "Закрепление методистов", intro: "Какие методисты и тьюторы сопровождают каких педагогов, и их нагрузка.", render: assignments },
};

export function factsScreen(main: HTMLElement, kind = "trainings") {
  const k = KINDS[kind] ?? KINDS.trainings;
  document.title = `${k.title} — Учёт — НМС`;
  const body = h("div", {});
  mount(
    main,
    h("h1", {}, "Учёт для показателей"),
    subnav("Виды фактов", Object.values(KINDS).map((x): [string, string] => [x.hash, x.title]), k.hash),
    h("h2", {}, k.title),
    h("p", { class: "muted" }, k.intro),
    canRecord().allowed ? null : notice("info", canRecord().reason!),
    body,
  );
  k.render(body);
}

export type { Values };
