// Home: what needs the teacher now — an unfinished test, diagnostics to take, the ИОМ's progress
// and nearest deadlines, the latest notifications.
import { session } from "../api";
import { campaigns, currentRoute, mySessions, settle } from "../data";
import { loadNotifications } from "../notify";
import { deadlineState, itemHref } from "../notifications";
import { CampaignState, SessionState } from "../gen/nms/v1/diagnostics_pb";
import { RouteItemStatus } from "../gen/nms/v1/route_pb";
import { seenIds } from "../notifications";
import { deadlineChip, routeStatusTitle } from "./route";
import { chip, h, idOf, loading, mount, plural, progressBar, todayDate } from "../ui";

export async function homeScreen(main: HTMLElement): Promise<void> {
  const p = session.principal!;
  const firstName = (p.displayName || "").split(/\s+/).slice(1, 3).join(" ") || p.displayName || p.login;
  mount(main, h("h1", {}, `Здравствуйте, ${firstName}!`), loading());
  const [sessions, camps, route, notes] = await Promise.all([settle(mySessions()), settle(campaigns()), settle(currentRoute()), settle(loadNotifications())]);
  const cards: HTMLElement[] = [];

  const open = sessions?.msg.sessions.find((s) => s.state === SessionState.IN_PROGRESS);
  if (open) {
    cards.push(
      h(
        "section",
        { class: "card accent" },
        h("h2", {}, "Диагностика не завершена"),
        h("p", {}, `Отвечено ${open.answeredCount} из ${open.itemCount}. Продолжите с того же места.`),
        progressBar(open.answeredCount, open.itemCount, `Отвечено ${open.answeredCount} из ${open.itemCount}`),
        h("a", { class: "button primary wide", href: `#/test/${idOf(open.name)}` }, "Продолжить диагностику"),
      ),
    );
  } else {
    const taken = new Set(sessions?.msg.sessions.map((s) => s.campaign) ?? []);
    const todo = (camps?.msg.campaigns ?? []).filter((c) => c.state === CampaignState.LAUNCHED && !taken.has(c.name));
    if (todo.length)
      cards.push(h("section", { class: "card accent" }, h("h2", {}, "Доступна диагностика"), h("p", {}, todo.map((c) => c.title).join("; ")), h("a", { class: "button primary wide", href: "#/tests" }, "Перейти к диагностике")));
  }

  const r = route?.route;
  if (r) {
    // As on the ИОМ screen: items a revision found no longer needed are not counted.
    const needed = r.items.filter((i) => !i.notNeededSinceRevision);
    const total = needed.length;
    const done = needed.filter((i) => i.status === RouteItemStatus.DONE).length;
    const next = r.items
      .filter((i) => i.status !== RouteItemStatus.DONE && i.status !== RouteItemStatus.SKIPPED && i.deadline?.year)
      .sort((a, b) => (a.deadline!.year - b.deadline!.year) * 400 + (a.deadline!.month - b.deadline!.month) * 32 + (a.deadline!.day - b.deadline!.day))
      .slice(0, 3);
    cards.push(
      h(
        "section",
        { class: "card" },
        h("h2", {}, "Мой ИОМ ", chip(routeStatusTitle[r.status] ?? "—", `rs-${r.status}`)),
        h("p", {}, `Выполнено ${done} из ${total}`),
        progressBar(done, total, `Выполнено ${done} из ${total}`),
        next.length
          ? h(
              "ul",
              { class: "plain next" },
              next.map((i) => h("li", { class: deadlineState(i.deadline, todayDate()) }, h("a", { href: itemHref(i.name) }, i.title), " ", deadlineChip(i))),
            )
          : null,
        h("a", { class: "button secondary wide", href: "#/route" }, "Открыть ИОМ"),
      ),
    );
  } else if (route) {
    cards.push(h("section", { class: "card" }, h("h2", {}, "Мой ИОМ"), h("p", { class: "muted" }, "Маршрут появится после диагностики.")));
  }

  if (notes && notes.length) {
    const seen = seenIds();
    const unread = notes.filter((n) => !seen.has(n.id));
    cards.push(
      h(
        "section",
        { class: "card" },
        h("h2", {}, unread.length ? `Уведомления: ${plural(unread.length, "новое", "новых", "новых")}` : "Уведомления"),
        h("ul", { class: "plain" }, notes.slice(0, 3).map((n) => h("li", {}, h("a", { href: n.href }, n.title), h("br", {}), h("small", {}, n.text)))),
        h("a", { href: "#/notifications" }, "Все уведомления"),
      ),
    );
  }

  cards.push(
    h(
      "section",
      { class: "card links" },
      h("a", { class: "button secondary wide", href: "#/events" }, "Мероприятия для меня"),
      h("a", { class: "button secondary wide", href: "#/mentoring" }, "Наставничество"),
      h("a", { class: "button secondary wide", href: "#/support" }, "Меры поддержки молодым педагогам"),
    ),
  );
  mount(main, h("h1", {}, `Здравствуйте, ${firstName}!`), cards);
}
