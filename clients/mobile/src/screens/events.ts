// Upcoming methodological events for the teacher (issue 16 §3): those addressing the deficits of
// the latest diagnostics, with «Записаться» and «Добавить в ИОМ» (which also registers). Only
// the actions the server would take are offered; the rest are shown disabled with the reason.
import { api, requestId, session } from "../api";
import { EventKind, EventStatus, type SuggestedEvent } from "../gen/nms/v1/events_pb";
import { plural } from "../../../shared/plural";
import { action, areaTitle, chip, errorNotice, h, loading, mount, notice, requireOnline, tsMillis } from "../ui";

const kindTitle: Record<number, string> = {
  [EventKind.WEBINAR]: "Вебинар",
  [EventKind.SEMINAR]: "Семинар",
  [EventKind.MASTER_CLASS]: "Мастер-класс",
  [EventKind.COMPETITION]: "Конкурс",
  [EventKind.CONFERENCE]: "Конференция",
  [EventKind.FORUM]: "Форум",
  [EventKind.OPEN_LESSON]: "Открытый урок",
  [EventKind.ROUND_TABLE]: "Круглый стол",
};

function when(ms: number): string {
  return new Date(ms).toLocaleString("ru-RU", { timeZone: "Europe/Moscow", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}


function eventCard(s: SuggestedEvent, reload: () => void): HTMLElement {
  const e = s.event!;
  const status = h("div", { "aria-live": "polite" });
  const full = e.capacity > 0 && e.registeredCount >= e.capacity;
  const registered = !!e.myRegistration;
  const person = session.principal?.person ?? "";
  const buttons: HTMLElement[] = [];
  if (registered) {
    buttons.push(h("button", { type: "button", class: "secondary", disabled: true }, "Вы записаны"));
  } else if (full) {
    buttons.push(h("button", { type: "button", disabled: true, title: "Все места заняты" }, "Мест нет"));
  } else {
    const b = h("button", { type: "button", class: "primary" }, "Записаться");
    action(b, status, async () => {
      if (!requireOnline(status)) return;
      await api.events.registerForEvent({ parent: e.name, person, requestId: requestId() });
      reload();
    });
    buttons.push(b);
  }
  if (e.inMyRoute) {
    buttons.push(h("button", { type: "button", class: "secondary", disabled: true }, "В вашем ИОМ"));
  } else if (registered || !full) {
    const b = h("button", { type: "button", class: "secondary" }, "Добавить в ИОМ");
    action(b, status, async () => {
      if (!requireOnline(status)) return;
      await api.events.addEventToRoute({ name: e.name, person, requestId: requestId() });
      mount(status, notice("success", "Добавлено в ваш ИОМ (раздел «Мероприятия»). Посещение отметит организатор — пункт закроется сам."));
    });
    buttons.push(b);
  }
  const seats = e.capacity ? `${plural(Math.max(e.capacity - e.registeredCount, 0), "место свободно", "места свободно", "мест свободно")}` : "без ограничения мест";
  return h(
    "li",
    { class: "card event" },
    h("p", { class: "muted" }, `${kindTitle[e.kind] ?? "Мероприятие"} · ${when(tsMillis(e.startTime))}`),
    h("h2", {}, e.title),
    h("p", {}, e.organizerTitle, " · ", e.place || "онлайн", " · ", seats),
    h("p", {}, "Для ваших дефицитов: ", [...s.matchedIndicatorCodes, ...s.matchedAreas.map((a) => areaTitle[a] ?? "")].filter(Boolean).map((t) => chip(t))),
    e.status === EventStatus.PUBLISHED ? h("div", { class: "actions" }, buttons) : null,
    status,
  );
}

export async function eventsScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Мероприятия для меня"), loading());
  const person = session.principal?.person ?? "";
  try {
    const r = await api.events.listSuggestedEvents({ person, pageSize: 20 });
    const reload = () => void eventsScreen(main);
    mount(
      main,
      h("h1", {}, "Мероприятия для меня"),
      h("p", { class: "lead" }, "Ближайшие вебинары, семинары и мастер-классы, которые адресуют дефициты вашей последней диагностики."),
      !r.hasDiagnostics
        ? notice("info", "Пройдите диагностику — тогда здесь появятся мероприятия по вашим дефицитам.")
        : r.events.length
          ? h("ul", { class: "stack plain" }, r.events.map((s) => eventCard(s, reload)))
          : notice("info", "Ближайших мероприятий по вашим дефицитам пока нет."),
    );
  } catch (e) {
    mount(main, h("h1", {}, "Мероприятия для меня"), errorNotice(e, () => void eventsScreen(main)));
  }
}
