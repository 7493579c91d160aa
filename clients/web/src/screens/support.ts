// Support measures of young teachers (recorded ones: events, clubs, competitions, visits; mentor
// and ИОМ are derived from mentoring and routes and are read-only) and the alerts of a scope.
import { api, requestId } from "../api";
import { hasAny } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { SupportMeasureKind, SupportMeasureStatus, YoungTeacherAlertKind, type SupportMeasure } from "../gen/nms/v1/young_teacher_pb";
import { allowed, enumOptions, resourceList, type FieldSpec, type Permission, type Values } from "../forms";
import { dateText, errorNotice, h, idOf, mount, table, todayDate } from "../ui";

export const measureKindTitle: Record<number, string> = {
  [SupportMeasureKind.MENTOR]: "наставник",
  [SupportMeasureKind.ROUTE]: "ИОМ",
  [SupportMeasureKind.EVENT]: "мероприятие",
  [SupportMeasureKind.CLUB]: "клуб молодых педагогов",
  [SupportMeasureKind.COMPETITION]: "конкурс",
  [SupportMeasureKind.METHODOLOGICAL_VISIT]: "методический выезд",
  [SupportMeasureKind.OTHER]: "другое",
};
const manualKinds = Object.fromEntries(Object.entries(measureKindTitle).filter(([k]) => Number(k) !== SupportMeasureKind.MENTOR && Number(k) !== SupportMeasureKind.ROUTE));
export const measureStatusTitle: Record<number, string> = {
  [SupportMeasureStatus.PLANNED]: "запланирована",
  [SupportMeasureStatus.ACTIVE]: "идёт",
  [SupportMeasureStatus.COMPLETED]: "завершена",
  [SupportMeasureStatus.CANCELLED]: "отменена",
};
const alertTitle: Record<number, string> = {
  [YoungTeacherAlertKind.NO_MENTOR]: "нет наставника",
  [YoungTeacherAlertKind.NO_ROUTE]: "нет ИОМ",
  [YoungTeacherAlertKind.NO_RECENT_MEASURE]: "давно нет мер поддержки",
};

/** The statuses a recorded measure may move to (young/measure_rules.cc CanTransition), itself included. */
const nextStatuses: Record<number, SupportMeasureStatus[]> = {
  [SupportMeasureStatus.PLANNED]: [SupportMeasureStatus.PLANNED, SupportMeasureStatus.ACTIVE, SupportMeasureStatus.COMPLETED, SupportMeasureStatus.CANCELLED],
  [SupportMeasureStatus.ACTIVE]: [SupportMeasureStatus.ACTIVE, SupportMeasureStatus.COMPLETED, SupportMeasureStatus.CANCELLED],
  [SupportMeasureStatus.COMPLETED]: [SupportMeasureStatus.COMPLETED, SupportMeasureStatus.ACTIVE],
  [SupportMeasureStatus.CANCELLED]: [SupportMeasureStatus.CANCELLED, SupportMeasureStatus.PLANNED],
};

type D = { year: number; month: number; day: number };
const day = (d: D) => Date.UTC(d.year, d.month - 1, d.day);

/** The server's measure rules (young/measure_rules.cc) before sending. */
function check(v: Values): Record<string, string> {
  const out: Record<string, string> = {};
  const start = v.startDate as D | undefined, end = v.endDate as D | undefined, today = day(todayDate());
  if (v.kind === SupportMeasureKind.MENTOR || v.kind === SupportMeasureKind.ROUTE) out.kind = "Наставник и ИОМ учитываются автоматически из разделов «Наставничество» и «ИОМ»";
  if (start && end && day(end) < day(start)) out.endDate = "Раньше даты начала";
  if (start && day(start) > today && (v.status === SupportMeasureStatus.ACTIVE || v.status === SupportMeasureStatus.COMPLETED)) out.status = "Мера ещё не началась — её статус «запланирована»";
  if (v.status === SupportMeasureStatus.COMPLETED && !end) out.endDate = "У завершённой меры укажите дату окончания";
  if (v.status === SupportMeasureStatus.COMPLETED && end && day(end) > today) out.status = "Мера ещё не закончилась";
  return out;
}

export function measuresSection(scopeFilter = ""): HTMLElement {
  const writer = hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
  const perm: Permission = writer ? allowed : { allowed: false, reason: "Меры вносят администратор организации и методисты." };
  const derived: Permission = { allowed: false, reason: "учитывается автоматически из наставничества или ИОМ" };
  const fields: FieldSpec[] = [
    { key: "person", label: "Молодой педагог", type: "person", required: true, createOnly: true },
    { key: "kind", label: "Вид", type: "enum", required: true, options: enumOptions(manualKinds) },
    { key: "title", label: "Мера", type: "text", required: true },
    { key: "startDate", label: "Начало", type: "date", required: true, initial: todayDate() },
    { key: "endDate", label: "Окончание", type: "date" },
    { key: "status", label: "Статус", type: "enum", required: true, options: enumOptions(measureStatusTitle), initial: SupportMeasureStatus.ACTIVE },
    { key: "organizer", label: "Организатор", type: "org", formOnly: true },
    { key: "notes", label: "Примечание", type: "textarea", formOnly: true },
  ];
  return resourceList<SupportMeasure>({
    noun: "мера поддержки",
    fields: fields.map((f) => (f.key === "kind" ? { ...f, options: enumOptions(measureKindTitle) } : f)),
    check,
    // Editing offers only the statuses the server lets this measure move to.
    editFields: (m) => fields.map((f) => (f.key === "status" ? { ...f, options: (nextStatuses[m.status] ?? [m.status]).map((st): [string, string] => [String(st), measureStatusTitle[st]]) } : f)),
    canCreate: perm,
    canEdit: (m) => (m.derived ? derived : perm),
    canDelete: (m) => (m.derived ? derived : perm),
    list: async (t) => { const r = await api.young.listSupportMeasures({ pageSize: 25, pageToken: t, filter: scopeFilter }); return { items: r.measures, next: r.nextPageToken, total: r.totalSize }; },
    get: (name) => api.young.getSupportMeasure({ name }).then((r) => r.measure!),
    create: (v) => api.young.createSupportMeasure({ measure: v, requestId: requestId() }),
    update: (v, c) => api.young.updateSupportMeasure({ measure: v, updateMask: { paths: c }, requestId: requestId() }),
    remove: (m) => api.young.deleteSupportMeasure({ name: m.name, version: m.version, requestId: requestId() }),
  }).el;
}

/** Alerts of a scope (who has no mentor, no ИОМ, no recent measure) since when. */
export function alertsSection(scope: string): HTMLElement {
  const el = h("div", {});
  api.young
    .listYoungTeacherAlerts({ scope, referenceDate: todayDate(), pageSize: 20 })
    .then((r) =>
      mount(el, r.alerts.length
        ? table(["Педагог", "Сигнал", "С", "Подробности"], r.alerts.map((a) => [h("a", { href: `#/people/${idOf(a.person)}` }, a.fullName), alertTitle[a.kind] ?? "—", dateText(a.sinceDate), a.detail || "—"]), "Первые 20 сигналов")
        : h("p", { class: "muted" }, "Сигналов нет.")))
    .catch((e) => mount(el, errorNotice(e)));
  return el;
}
