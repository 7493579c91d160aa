// The activity catalogue routes are built from (ЦНППМ and the regional admin, policy.cc
// manage_catalogue): create, edit, retire (an activity used by routes is kept and marked
// inactive — the server decides, the list shows it), with the areas and indicators each covers.
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { ActivityEventKind, ActivityFormat, ActivityKind, LearningForm, type Activity } from "../gen/nms/v1/route_pb";
import { allowed, enumOptions, resourceList, type FieldSpec, type Permission, type Values } from "../forms";
import { h, mount, notice, select, field } from "../ui";
import { areaTitle } from "./diagnostics";

export const activityKindTitle: Record<number, string> = {
  [ActivityKind.FURTHER_TRAINING_PROGRAMME]: "ДПП повышения квалификации",
  [ActivityKind.RETRAINING_PROGRAMME]: "ДПП профессиональной переподготовки",
  [ActivityKind.INTERNSHIP]: "стажировка",
  [ActivityKind.EVENT]: "мероприятие",
  [ActivityKind.COMMUNITY]: "профессиональное сообщество",
  [ActivityKind.EXPERIENCE_PRESENTATION]: "представление опыта",
  [ActivityKind.METHODOLOGICAL_MATERIALS]: "методические материалы",
  [ActivityKind.MENTORING_WITH_MENTOR]: "наставничество (с наставником)",
  [ActivityKind.MENTORING_AS_MENTOR]: "наставничество (в роли наставника)",
};
const eventKindTitle: Record<number, string> = {
  [ActivityEventKind.FORUM]: "форум",
  [ActivityEventKind.CONFERENCE]: "конференция",
  [ActivityEventKind.SEMINAR]: "семинар",
  [ActivityEventKind.WEBINAR]: "вебинар",
  [ActivityEventKind.MASTER_CLASS]: "мастер-класс",
  [ActivityEventKind.COMPETITION]: "конкурс",
};
const formatTitle: Record<number, string> = { [ActivityFormat.IN_PERSON]: "очно", [ActivityFormat.REMOTE]: "дистанционно", [ActivityFormat.BLENDED]: "смешанно" };
const learningTitle: Record<number, string> = { [LearningForm.FORMAL]: "формальное", [LearningForm.NON_FORMAL]: "неформальное", [LearningForm.INFORMAL]: "информальное" };

const FIELDS: FieldSpec[] = [
  { key: "title", label: "Название", type: "text", required: true, maxLength: 1000 },
  { key: "kind", label: "Вид", type: "enum", required: true, options: enumOptions(activityKindTitle) },
  { key: "eventKind", label: "Вид мероприятия", type: "enum", options: enumOptions(eventKindTitle), hint: "только для мероприятий", formOnly: true },
  { key: "hours", label: "Часов", type: "int", min: 0, max: 2000 },
  { key: "format", label: "Формат", type: "enum", options: enumOptions(formatTitle), formOnly: true },
  { key: "learningForm", label: "Форма обучения", type: "enum", options: enumOptions(learningTitle), formOnly: true },
  { key: "addressedAreas", label: "Области компетенций", type: "enumset", options: enumOptions(areaTitle) },
  { key: "addressedIndicatorCodes", label: "Показатели (коды)", type: "list", hint: "через запятую, например МЕТ-01, ЦИФ-02" },
  { key: "providerTitle", label: "Организатор", type: "text", formOnly: true },
  { key: "federalRegistryId", label: "Номер в ФР ДПП", type: "text", formOnly: true },
  { key: "positions", label: "Для должностей", type: "list", formOnly: true, hint: "пусто — для всех" },
  { key: "subjects", label: "Для предметов", type: "list", formOnly: true, hint: "пусто — для всех" },
  { key: "startDate", label: "Начало", type: "date", formOnly: true },
  { key: "endDate", label: "Окончание", type: "date", formOnly: true },
  { key: "url", label: "Ссылка", type: "text", formOnly: true, hint: "https://…" },
  { key: "description", label: "Описание", type: "textarea", formOnly: true },
  { key: "active", label: "Действует (предлагается в ИОМ)", type: "bool", initial: true },
];

/** The server's ValidateActivity (route/catalogue.cc) before sending. */
function check(v: Values): Record<string, string> {
  const out: Record<string, string> = {};
  if (Number(v.eventKind) && v.kind !== ActivityKind.EVENT) out.eventKind = "Указывается только для мероприятий";
  const codes = (v.addressedIndicatorCodes as string[]) ?? [];
  if (!codes.length && !((v.addressedAreas as number[]) ?? []).length) out.addressedAreas = "Укажите показатели или области компетенций, на которые направлено мероприятие";
  if (codes.some((c) => /\s/.test(c))) out.addressedIndicatorCodes = "Код показателя без пробелов";
  if (v.url && !/^https?:\/\/\S+$/i.test(String(v.url))) out.url = "Ожидается ссылка вида https://…";
  return out;
}

export function catalogueScreen(main: HTMLElement) {
  document.title = "Каталог мероприятий — НМС";
  const perm: Permission = hasAny(Role.REGIONAL_ADMIN, Role.REGIONAL_METHODIST) ? allowed : { allowed: false, reason: "Каталог ведут ЦНППМ и администратор региона." };
  const region = mainScope().scope;
  const status = select([["", "все"], ["active = true", "действующие"], ["active = false", "выведенные"]], "active = true");
  const box = h("div", {});
  const render = () =>
    mount(box, resourceList<Activity>({
      noun: "мероприятие каталога",
      fields: FIELDS,
      check,
      canCreate: perm,
      canEdit: (a) => (a.federal ? { allowed: false, reason: "программа из ФР ДПП обновляется федеральным обменом" } : perm),
      canDelete: (a) => (a.federal ? { allowed: false, reason: "из ФР ДПП" } : perm),
      list: async (t) => { const r = await api.route.listActivities({ pageSize: 25, pageToken: t, filter: status.value }); return { items: r.activities, next: r.nextPageToken, total: r.totalSize }; },
      get: (name) => api.route.getActivity({ name }).then((r) => r.activity!),
      create: (v) => api.route.createActivity({ activity: { ...v, region }, requestId: requestId() }),
      update: (v, c) => api.route.updateActivity({ activity: v, updateMask: { paths: c }, requestId: requestId() }),
      remove: (a) => api.route.deleteActivity({ name: a.name, version: a.version, requestId: requestId() }),
      empty: "В каталоге нет таких мероприятий.",
    }).el);
  status.addEventListener("change", render);
  mount(main, h("h1", {}, "Каталог мероприятий"),
    h("p", { class: "muted" }, "Из каталога строятся ИОМ: каждое мероприятие закрывает области компетенций и показатели, на которые оно направлено. Удаление мероприятия, которое уже есть в маршрутах, выводит его из каталога (оно остаётся в маршрутах)."),
    perm.allowed ? null : notice("info", perm.reason!),
    h("div", { class: "filters" }, field("Показать", status)),
    box);
  render();
}
