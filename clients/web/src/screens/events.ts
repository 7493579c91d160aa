// The calendar of methodological events (issue 16 §3): the list with filters (level, area,
// period), an event's card with registration, the organiser's form, the registrations with
// attendance marking, and for a teacher the events addressing their deficits with «Добавить в ИОМ».
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { api, requestId, session } from "../api";
import { go, hasAny } from "../app";
import { clearErrors, organizationOptions, placeErrors } from "../forms";
import { CompetencyArea, Role } from "../gen/nms/v1/common_pb";
import { EventKind, EventLevel, EventRegistrationStatus, EventStatus, type Event as CalEvent, type EventRegistration, type SuggestedEvent } from "../gen/nms/v1/events_pb";
import { askDialog } from "../../../shared/dialog";
import { plural } from "../../../shared/plural";
import { AREA_OPTIONS, areaTitle } from "../../../shared/titles";
import { badge, busy, checkbox, conflictNotice, errorNotice, field, h, idOf, loading, mount, notice, pagedList, select, splitList, table, cardActions } from "../ui";

const AREAS = AREA_OPTIONS;
const LEVELS: [number, string][] = [
  [EventLevel.REGIONAL, "региональное"],
  [EventLevel.MUNICIPAL, "муниципальное"],
  [EventLevel.SCHOOL, "школьное"],
];
const levelTitle = new Map(LEVELS);
const KINDS: [number, string][] = [
  [EventKind.WEBINAR, "вебинар"],
  [EventKind.SEMINAR, "семинар"],
  [EventKind.MASTER_CLASS, "мастер-класс"],
  [EventKind.COMPETITION, "конкурс"],
  [EventKind.CONFERENCE, "конференция"],
  [EventKind.FORUM, "форум"],
  [EventKind.OPEN_LESSON, "открытый урок"],
  [EventKind.ROUND_TABLE, "круглый стол"],
];
const kindTitle = new Map(KINDS);
const statusInfo: Record<number, [string, "ok" | "warn" | "err" | "info" | "muted"]> = {
  [EventStatus.DRAFT]: ["черновик", "muted"],
  [EventStatus.PUBLISHED]: ["открыта запись", "ok"],
  [EventStatus.CANCELLED]: ["отменено", "err"],
  [EventStatus.HELD]: ["проведено", "info"],
};
const regInfo: Record<number, [string, "ok" | "warn" | "err" | "info" | "muted"]> = {
  [EventRegistrationStatus.REGISTERED]: ["записан", "info"],
  [EventRegistrationStatus.CANCELLED]: ["запись отменена", "muted"],
  [EventRegistrationStatus.ATTENDED]: ["присутствовал", "ok"],
  [EventRegistrationStatus.ABSENT]: ["не пришёл", "warn"],
};
const myRegText: Record<number, string> = {
  [EventRegistrationStatus.REGISTERED]: "Вы записаны на это мероприятие.",
  [EventRegistrationStatus.ATTENDED]: "Организатор отметил: вы присутствовали.",
  [EventRegistrationStatus.ABSENT]: "Организатор отметил: вы не пришли.",
};
const PAGE = 20;
const places = (n: number) => plural(n, "место", "места", "мест");
const people = (n: number) => plural(n, "человек", "человека", "человек");

const isOrganizer = () => hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
const isTeacher = () => hasAny(Role.TEACHER);
/** Whether one of the caller's grants organises this event (the server's placement by level). */
function canOrganize(e: CalEvent): boolean {
  return (session.principal?.grants ?? []).some((g) => {
    if (g.role === Role.REGIONAL_METHODIST || g.role === Role.REGIONAL_ADMIN) return true;
    if (g.role === Role.MUNICIPAL_METHODIST) return e.level !== EventLevel.REGIONAL && e.municipality === g.scope;
    if (g.role === Role.SCHOOL_ADMIN) return e.level === EventLevel.SCHOOL && e.organizer === g.scope;
    return false;
  });
}

// Times are shown and entered in the region's zone (Moscow, UTC+3 without daylight saving).
const ZONE = "Europe/Moscow";
const secs = (t?: { seconds: bigint }) => (t ? Number(t.seconds) : 0);
/** Compact for the list: "11 дек., 15:00–17:00" (the year only when it is not this one). */
function whenShort(e: CalEvent): string {
  const s = new Date(secs(e.startTime) * 1000);
  const f = new Date(secs(e.endTime) * 1000);
  const thisYear = new Date().getFullYear() === s.getFullYear();
  const day = (d: Date) => d.toLocaleDateString("ru-RU", { timeZone: ZONE, day: "numeric", month: "short", year: thisYear ? undefined : "numeric" });
  const time = (d: Date) => d.toLocaleTimeString("ru-RU", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
  return day(s) === day(f) ? `${day(s)}, ${time(s)}–${time(f)}` : `${day(s)} — ${day(f)}`;
}
function whenText(e: CalEvent): string {
  const s = new Date(secs(e.startTime) * 1000);
  const f = new Date(secs(e.endTime) * 1000);
  const day = (d: Date) => d.toLocaleDateString("ru-RU", { timeZone: ZONE, day: "numeric", month: "long", year: "numeric" });
  const time = (d: Date) => d.toLocaleTimeString("ru-RU", { timeZone: ZONE, hour: "2-digit", minute: "2-digit" });
  return day(s) === day(f) ? `${day(s)}, ${time(s)}–${time(f)}` : `${day(s)}, ${time(s)} — ${day(f)}, ${time(f)}`;
}
function toInput(t?: { seconds: bigint }): string {
  if (!t) return "";
  return new Date((secs(t) + 3 * 3600) * 1000).toISOString().slice(0, 16);
}
function fromInput(v: string) {
  return v ? timestampFromDate(new Date(`${v}:00+03:00`)) : undefined;
}
const started = (e: CalEvent) => secs(e.startTime) * 1000 <= Date.now();
const seatsText = (e: CalEvent) => (e.capacity ? `${e.registeredCount} из ${e.capacity}` : `${e.registeredCount} (мест не ограничено)`);
const full = (e: CalEvent) => e.capacity > 0 && e.registeredCount >= e.capacity;

function statusBadge(s: EventStatus): HTMLElement {
  const [t, k] = statusInfo[s] ?? ["—", "muted"];
  return badge(t, k);
}

export function eventsScreen(main: HTMLElement, id?: string, sub?: string): Promise<void> | void {
  if (id === "new") return eventForm(main);
  if (id && sub === "edit") return editEvent(main, id);
  if (id) return eventCard(main, id);
  return calendarScreen(main);
}

function calendarScreen(main: HTMLElement) {
  document.title = "Мероприятия — НМС";
  const level = select([["", "любой"], ...LEVELS.map(([v, t]): [string, string] => [EventLevel[v], t])]);
  const area = select([["", "любая"], ...AREAS.map(([v, t]): [string, string] => [CompetencyArea[v], t])]);
  const kind = select([["", "любая"], ...KINDS.map(([v, t]): [string, string] => [EventKind[v], t])]);
  const status = select(
    isOrganizer()
      ? [["", "все"], ["PUBLISHED", "открыта запись"], ["DRAFT", "черновики"], ["HELD", "проведённые"], ["CANCELLED", "отменённые"]]
      : [["", "все"], ["PUBLISHED", "открыта запись"], ["HELD", "проведённые"], ["CANCELLED", "отменённые"]],
  );
  const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10);
  const from = h("input", { type: "date", value: today });
  const to = h("input", { type: "date" });
  const text = h("input", { type: "search", placeholder: "Слова из названия или описания", maxlength: 200 });
  const list = h("div", {});
  const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const filter = () => {
    const terms: string[] = [];
    if (level.value) terms.push(`level = ${level.value}`);
    if (area.value) terms.push(`area = ${area.value}`);
    if (kind.value) terms.push(`kind = ${kind.value}`);
    if (status.value) terms.push(`status = ${status.value}`);
    if (from.value) terms.push(`start >= ${from.value}`);
    if (to.value) terms.push(`start <= ${to.value}`);
    if (text.value.trim()) terms.push(`text : ${q(text.value.trim())}`);
    return terms.join(" AND ");
  };
  const suggestions = h("div", {});
  mount(
    main,
    h("h1", {}, "Методические мероприятия"),
    h("p", { class: "muted" }, "Региональные, муниципальные и школьные вебинары, семинары, мастер-классы и конкурсы: запись, места, отметка присутствия. Посещение закрывает пункт ИОМ и учитывается в показателях."),
    isOrganizer() ? h("p", {}, h("a", { href: "#/events/new", class: "button-like" }, "Создать мероприятие")) : null,
    suggestions,
    h(
      "form",
      { class: "filters", onsubmit: (ev: Event) => { ev.preventDefault(); void reload(); } },
      field("Уровень", level),
      field("Область компетенций", area),
      field("Форма", kind),
      field("Статус", status),
      field("С даты", from),
      field("По дату", to),
      field("Поиск", text),
      h("button", { type: "submit" }, "Найти"),
    ),
    list,
  );
  const reload = pagedList(
    list,
    PAGE,
    async (token) => {
      const r = await api.events.listEvents({ filter: filter(), pageSize: PAGE, pageToken: token });
      return { items: r.events, next: r.nextPageToken, total: r.totalSize };
    },
    (es: CalEvent[]) =>
      table(
        ["Когда", "Мероприятие", "Форма и уровень", "Организатор", "Области", "Записались", "Статус"],
        es.map((e) => [
          whenShort(e),
          h("a", { href: `#/events/${idOf(e.name)}` }, e.title),
          `${kindTitle.get(e.kind) ?? "—"}, ${levelTitle.get(e.level) ?? "—"}`,
          e.organizerTitle,
          e.areas.map((a) => areaTitle[a] ?? "").join(", "),
          seatsText(e),
          h("span", {}, statusBadge(e.status), e.myRegistration ? [" ", badge("вы записаны", "info")] : null),
        ]),
      ),
    "Мероприятий по этим условиям нет.",
  );
  for (const el of [level, area, kind, status, from, to]) el.addEventListener("change", () => void reload());
  void reload();
  if (isTeacher() && session.principal?.person) void suggested(suggestions, session.principal.person);
}

/** The teacher's upcoming events that address the deficits of their latest diagnostics. */
async function suggested(el: HTMLElement, person: string) {
  try {
    const r = await api.events.listSuggestedEvents({ person, pageSize: 5 });
    if (!r.hasDiagnostics || !r.events.length) return;
    mount(
      el,
      h(
        "section",
        { class: "card" },
        h("h2", {}, "Для ваших дефицитов"),
        h("p", { class: "muted" }, "Ближайшие мероприятия по результатам вашей последней диагностики."),
        table(
          ["Когда", "Мероприятие", "Что закрывает"],
          r.events.map((s: SuggestedEvent) => [
            whenShort(s.event!),
            h("a", { href: `#/events/${idOf(s.event!.name)}` }, s.event!.title),
            [s.matchedIndicatorCodes.join(", "), s.matchedAreas.map((a) => areaTitle[a] ?? "").join(", ")].filter(Boolean).join("; "),
          ]),
        ),
      ),
    );
  } catch {
    // Suggestions are a convenience above the calendar; the calendar itself still works.
  }
}

async function editEvent(main: HTMLElement, id: string) {
  mount(main, loading());
  try {
    await eventForm(main, (await api.events.getEvent({ name: `events/${id}` })).event!);
  } catch (e) {
    mount(main, h("p", {}, h("a", { href: "#/events" }, "← Мероприятия")), errorNotice(e));
  }
}

/** Levels the caller may organise: a school admin — school, a municipal methodist — municipal and school, the region — any. */
function levelsAllowed(): [number, string][] {
  if (hasAny(Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN)) return LEVELS;
  if (hasAny(Role.MUNICIPAL_METHODIST)) return LEVELS.filter(([v]) => v !== EventLevel.REGIONAL);
  return LEVELS.filter(([v]) => v === EventLevel.SCHOOL);
}

async function eventForm(main: HTMLElement, existing?: CalEvent) {
  document.title = existing ? `${existing.title} — изменение — НМС` : "Новое мероприятие — НМС";
  mount(main, loading());
  let orgs: [string, string][] = [];
  try {
    orgs = await organizationOptions();
  } catch (e) {
    mount(main, errorNotice(e));
    return;
  }
  const errs: Record<string, HTMLElement> = {};
  type C = { spec: { key: string; path: string; label: string; type: "text" }; el: HTMLElement; get: () => unknown; error: HTMLElement; input: HTMLElement };
  const controls: C[] = [];
  const ctl = (path: string, label: string, input: HTMLElement, hint?: string) => {
    const error = h("small", { class: "field-error", role: "alert" });
    errs[path] = error;
    input.id ||= `ev-${path.replace(/\W/g, "-")}`;
    // A group of boxes is named by its legend, not a label.
    const caption = input.tagName === "FIELDSET" ? null : h("label", { for: input.id }, label);
    const el = h("div", { class: "field" }, caption, input, hint ? h("small", { class: "hint" }, hint) : null, error);
    controls.push({ spec: { key: path, path, label, type: "text" }, el, get: () => null, error, input });
    return el;
  };
  const level = select(levelsAllowed().map(([v, t]): [string, string] => [String(v), t]), String(existing?.level ?? levelsAllowed()[0][0]));
  level.disabled = !!existing;
  const kind = select([["0", "выберите"], ...KINDS.map(([v, t]): [string, string] => [String(v), t])], String(existing?.kind ?? 0));
  const title = h("input", { type: "text", maxlength: 300, value: existing?.title ?? "" });
  const description = h("textarea", { rows: 5, maxlength: 20000 }) as HTMLTextAreaElement;
  description.value = existing?.description ?? "";
  const centre = hasAny(Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN) ? orgs.find(([, t]) => /ЦНППМ/.test(t)) : undefined;
  const organizer = select([["", "выберите"], ...orgs], existing?.organizer ?? (orgs.length === 1 ? orgs[0][0] : centre?.[0] ?? ""));
  organizer.disabled = !!existing;
  const start = h("input", { type: "datetime-local", value: toInput(existing?.startTime) });
  const end = h("input", { type: "datetime-local", value: toInput(existing?.endTime) });
  const place = h("input", { type: "text", maxlength: 500, value: existing?.place ?? "", placeholder: "адрес, аудитория" });
  const link = h("input", { type: "url", maxlength: 2000, value: existing?.link ?? "", placeholder: "https://…" });
  const capacity = h("input", { type: "number", min: 0, max: 100000, value: String(existing?.capacity ?? 0) });
  const boxes = AREAS.map(([v, t]) => [v, ...checkbox(t)] as const);
  for (const [v, , c] of boxes) c.checked = existing?.areas.includes(v) ?? false;
  const areasSet = h("fieldset", { class: "checks" }, h("legend", {}, "Какие дефициты адресует (области компетенций)"), boxes.map(([, el]) => el));
  const indicators = h("input", { type: "text", placeholder: "М-1, П-2", value: existing?.indicatorCodes.join(", ") ?? "" });
  const [publishBox, publishNow] = checkbox("Опубликовать сразу (педагоги увидят и смогут записаться)", false);
  const status = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary" }, existing ? "Сохранить" : "Создать");
  const back = existing ? `#/events/${idOf(existing.name)}` : "#/events";
  mount(
    main,
    h("p", {}, h("a", { href: back }, existing ? "← К мероприятию" : "← Мероприятия")),
    h("h1", {}, existing ? "Изменить мероприятие" : "Новое мероприятие"),
    h(
      "form",
      {
        class: "card form",
        novalidate: true,
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          clearErrors(controls);
          mount(status);
          // The browser's own checks, with the server's wording.
          const local: [string, string][] = [];
          if (!existing && !organizer.value) local.push(["event.organizer", "Поле event.organizer: выберите организатора"]);
          if (kind.value === "0") local.push(["event.kind", "Поле event.kind: укажите форму мероприятия"]);
          if (!title.value.trim()) local.push(["event.title", "Поле event.title обязательно"]);
          if (!start.value) local.push(["event.start_time", "Поле event.start_time: укажите начало"]);
          if (!end.value) local.push(["event.end_time", "Поле event.end_time: укажите окончание"]);
          if (!boxes.some(([, , c]) => c.checked)) local.push(["event.areas", "Поле event.areas: укажите хотя бы одну область компетенций"]);
          if (local.length) {
            for (const [path, msg] of local) {
              errs[path].textContent = msg.replace(/^Поле [a-z_.]+:? ?/, "");
              controls.find((c) => c.spec.path === path)?.input.setAttribute("aria-invalid", "true");
            }
            return;
          }
          await busy(save, async () => {
            try {
              const fields = {
                kind: Number(kind.value),
                title: title.value.trim(),
                description: description.value.trim(),
                startTime: fromInput(start.value),
                endTime: fromInput(end.value),
                place: place.value.trim(),
                link: link.value.trim(),
                capacity: Number(capacity.value || 0),
                areas: boxes.filter(([, , c]) => c.checked).map(([v]) => v),
                indicatorCodes: splitList(indicators.value),
              };
              const r = existing
                ? await api.events.updateEvent({
                    event: { ...fields, name: existing.name, version: existing.version },
                    updateMask: { paths: ["kind", "title", "description", "start_time", "end_time", "place", "link", "capacity", "areas", "indicator_codes"] },
                    requestId: requestId(),
                  })
                : await api.events.createEvent({
                    event: { ...fields, level: Number(level.value), organizer: organizer.value, status: publishNow.checked ? EventStatus.PUBLISHED : EventStatus.DRAFT },
                    requestId: requestId(),
                  });
              go(`#/events/${idOf(r.event!.name)}`);
            } catch (e) {
              const rest = placeErrors(e, controls as never);
              // The field is named by its label already: the message without "Поле event.x:".
              for (const c of controls) c.error.textContent = (c.error.textContent ?? "").replace(/(^|; )Поле [a-z_.\[\]0-9]+:? ?/g, "$1");
              const conflict = existing ? conflictNotice(e, "Мероприятие", () => void editEvent(main, idOf(existing.name))) : null;
              if (conflict) mount(status, conflict);
              else if (rest.length) mount(status, notice("error", rest.join("; ")));
            }
          });
        },
      },
      ctl("event.level", "Уровень", level, existing ? "Уровень и организатор не меняются после создания" : "Региональное проводит ЦНППМ, муниципальное — ММС, школьное — школа"),
      ctl("event.organizer", "Организатор", organizer),
      ctl("event.kind", "Форма", kind),
      ctl("event.title", "Название", title),
      ctl("event.description", "Программа и что получат участники", description),
      ctl("event.start_time", "Начало (время московское)", start),
      ctl("event.end_time", "Окончание", end),
      ctl("event.place", "Место проведения", place, "Укажите место или ссылку на трансляцию"),
      ctl("event.link", "Ссылка на трансляцию", link),
      ctl("event.capacity", "Количество мест", capacity, "0 — без ограничения"),
      ctl("event.areas", "Области компетенций", areasSet),
      ctl("event.indicator_codes", "Индикаторы рамки компетенций (дефициты)", indicators, "Коды через запятую"),
      existing ? null : h("p", {}, publishBox),
      status,
      save,
    ),
  );
}

async function eventCard(main: HTMLElement, id: string) {
  document.title = "Мероприятие — НМС";
  mount(main, loading());
  let e: CalEvent;
  try {
    e = (await api.events.getEvent({ name: `events/${id}` })).event!;
  } catch (err) {
    mount(main, h("p", {}, h("a", { href: "#/events" }, "← Мероприятия")), errorNotice(err));
    return;
  }
  document.title = `${e.title} — НМС`;
  const status = h("div", { "aria-live": "polite" });
  const act = cardActions(main, status, () => eventCard(main, id), "Мероприятие");
  const actions: HTMLElement[] = [];
  const me = session.principal?.person ?? "";
  if (isTeacher() && me && e.status === EventStatus.PUBLISHED) {
    if (e.myRegistration) {
      if (!started(e)) {
        const b: HTMLElement = h("button", { type: "button", onclick: () => void act(b, () => api.events.cancelEventRegistration({ name: e.myRegistration, version: e.myRegistrationVersion, requestId: requestId() }), "Запись отменена.") }, "Отменить запись");
        actions.push(b);
      }
    } else if (started(e)) {
      actions.push(h("button", { type: "button", disabled: true, title: "Мероприятие уже началось" }, "Записаться (запись закрыта)"));
    } else if (full(e)) {
      actions.push(h("button", { type: "button", disabled: true, title: "Все места заняты" }, "Записаться (мест нет)"));
    } else {
      const b: HTMLElement = h("button", { type: "button", class: "primary", onclick: () => void act(b, () => api.events.registerForEvent({ parent: e.name, person: me, requestId: requestId() }), "Вы записаны на мероприятие.") }, "Записаться");
      actions.push(b);
    }
    if (e.inMyRoute) {
      actions.push(h("button", { type: "button", disabled: true, title: "Пункт уже есть в вашем ИОМ" }, "В вашем ИОМ"));
    } else if (!started(e) && (e.myRegistration || !full(e))) {
      const b: HTMLElement = h("button", { type: "button", onclick: () => void act(b, () => api.events.addEventToRoute({ name: e.name, person: me, requestId: requestId() }), "Мероприятие добавлено в ваш ИОМ (раздел 1.3); вы записаны.") }, "Добавить в ИОМ");
      actions.push(b);
    }
  }
  const organizerSide = canOrganize(e) && e.status !== EventStatus.CANCELLED;
  if (organizerSide && e.status === EventStatus.DRAFT) {
    if (started(e)) actions.push(h("button", { type: "button", disabled: true, title: "Начало уже прошло — перенесите дату" }, "Опубликовать"));
    else {
      const b: HTMLElement = h("button", { type: "button", class: "primary", onclick: () => void act(b, () => api.events.publishEvent({ name: e.name, version: e.version, requestId: requestId() }), "Мероприятие опубликовано: педагоги могут записываться.") }, "Опубликовать");
      actions.push(b);
    }
  }
  if (organizerSide && (e.status === EventStatus.DRAFT || e.status === EventStatus.PUBLISHED)) {
    actions.push(h("a", { class: "button", href: `#/events/${id}/edit` }, "Изменить"));
    const c: HTMLElement = h(
      "button",
      {
        type: "button",
        onclick: async () => {
          const v = await askDialog({ title: "Отменить мероприятие", text: `«${e.title}» будет отменено; записавшиеся увидят причину.`, fields: [{ name: "reason", label: "Причина отмены", kind: "textarea", required: true, maxLength: 2000 }], ok: "Отменить мероприятие" });
          if (v) await act(c, () => api.events.cancelEvent({ name: e.name, version: e.version, reason: v.reason, requestId: requestId() }), "Мероприятие отменено.");
        },
      },
      "Отменить мероприятие",
    );
    actions.push(c);
  }
  const regs = h("div", {});
  mount(
    main,
    h("p", {}, h("a", { href: "#/events" }, "← Мероприятия")),
    h("h1", {}, e.title, " ", statusBadge(e.status)),
    e.status === EventStatus.CANCELLED && e.cancelReason ? notice("warn", `Отменено: ${e.cancelReason}`) : null,
    e.myRegistration ? notice("info", myRegText[e.myRegistrationStatus] ?? "Вы записаны на это мероприятие.") : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Когда"), h("dd", {}, whenText(e)),
      h("dt", {}, "Форма и уровень"), h("dd", {}, `${kindTitle.get(e.kind) ?? "—"}, ${levelTitle.get(e.level) ?? "—"}`),
      h("dt", {}, "Организатор"), h("dd", {}, e.organizerTitle),
      h("dt", {}, "Место"), h("dd", {}, e.place || "онлайн"),
      e.link ? [h("dt", {}, "Трансляция"), h("dd", {}, h("a", { href: e.link, target: "_blank", rel: "noopener noreferrer" }, e.link))] : null,
      h("dt", {}, "Места"), h("dd", {}, e.capacity ? `${places(e.capacity)}, записались ${e.registeredCount}` : `без ограничения, записались ${e.registeredCount}`),
      e.status === EventStatus.HELD ? [h("dt", {}, "Присутствовали"), h("dd", {}, people(e.attendedCount))] : null,
      h("dt", {}, "Области компетенций"), h("dd", {}, e.areas.map((a) => areaTitle[a] ?? "").join(", ")),
      h("dt", {}, "Индикаторы (дефициты)"), h("dd", {}, e.indicatorCodes.join(", ") || "—"),
    ),
    e.description ? h("div", {}, h("h2", {}, "Программа"), e.description.split("\n").filter((l) => l.trim()).map((l) => h("p", {}, l))) : null,
    actions.length ? h("div", { class: "row-actions" }, actions) : null,
    status,
    canOrganize(e) && e.status !== EventStatus.DRAFT ? [h("h2", {}, "Записавшиеся и присутствие"), regs] : null,
  );
  if (canOrganize(e) && e.status !== EventStatus.DRAFT) registrations(regs, e, act);
}

function registrations(el: HTMLElement, e: CalEvent, act: (b: HTMLElement, f: () => Promise<unknown>, done: string) => Promise<void>) {
  const canMark = e.status === EventStatus.PUBLISHED || e.status === EventStatus.HELD;
  const reason = started(e) ? "" : "Присутствие отмечают после начала мероприятия";
  const load = pagedList(
    el,
    100,
    async (token) => {
      const r = await api.events.listEventRegistrations({ parent: e.name, pageSize: 100, pageToken: token });
      return { items: r.registrations, next: r.nextPageToken, total: r.totalSize };
    },
    (rs: EventRegistration[]) =>
      table(
        ["Педагог", "Организация", "Статус", "В ИОМ", "Присутствие"],
        rs.map((r) => {
          const [t, k] = regInfo[r.status] ?? ["—", "muted"];
          const live = r.status !== EventRegistrationStatus.CANCELLED;
          const mark = (attended: boolean, label: string) => {
            const b: HTMLElement = h("button", {
              type: "button",
              disabled: !canMark || !live || !!reason,
              title: reason || (!live ? "Запись отменена" : ""),
              onclick: () => void act(b, () => api.events.markEventAttendance({ name: r.name, version: r.version, attended, requestId: requestId() }), attended ? `${r.personName}: присутствовал.` : `${r.personName}: не пришёл.`),
            }, label);
            return b;
          };
          return [
            r.personName,
            r.organizationTitle || "—",
            badge(t, k),
            r.routeItem ? "да" : "—",
            live && canMark ? h("span", { class: "row-actions" }, mark(true, "Был"), " ", mark(false, "Не был")) : "—",
          ];
        }),
      ),
    "Пока никто не записался.",
  );
  void load();
}
