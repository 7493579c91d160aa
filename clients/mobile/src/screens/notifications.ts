// The notifications screen: everything derived from the teacher's data and the server's own
// notifications (reminders, decisions on the ИОМ and enrolments), unread ones marked; opening
// the screen marks them read, on the phone and on the server.
import { api } from "../api";
import { loadNotifications, setBadge } from "../notify";
import { isUnread, markSeen, seenIds, type AppNotification } from "../notifications";
import { errorNotice, h, loading, mount, notice } from "../ui";

const kindIcon: Record<AppNotification["kind"], string> = {
  overdue: "⚠",
  deadline: "⏰",
  route: "📄",
  test: "✎",
  campaign: "📋",
  mentoring: "🤝",
  message: "✉",
};

export async function notificationsScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Уведомления"), loading());
  try {
    const list = await loadNotifications();
    const seen = seenIds();
    const unread = (n: AppNotification) => isUnread(n, seen);
    mount(
      main,
      h("h1", {}, "Уведомления"),
      list.length
        ? h(
            "ul",
            { class: "list notifications" },
            list.map((n) =>
              h(
                "li",
                { class: `notif notif-${n.kind}${unread(n) ? " unread" : ""}`, "data-id": n.id },
                h(
                  "a",
                  { href: n.href, class: "row-link" },
                  h("span", { class: "notif-icon", "aria-hidden": "true" }, kindIcon[n.kind]),
                  h(
                    "span",
                    { class: "row-main" },
                    h("strong", {}, n.title, unread(n) ? h("span", { class: "sr-only" }, " (новое)") : ""),
                    h("small", {}, n.text),
                    n.whenMs ? h("small", { class: "muted" }, new Date(n.whenMs).toLocaleString("ru-RU", { timeZone: "Europe/Moscow", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })) : null,
                  ),
                ),
              ),
            ),
          )
        : notice("info", "Новых уведомлений нет. Здесь появятся сроки мероприятий ИОМ, изменения его статуса, напоминания методистов, приглашения на диагностику и в пары наставничества."),
    );
    markSeen(list.map((n) => n.id));
    setBadge(0);
    // The server keeps read marks too, so another device does not show them as new.
    if (list.some((n) => n.id.startsWith("srv:") && !n.read)) void api.notifications.markNotificationsRead({ all: true }).catch(() => {});
  } catch (e) {
    mount(main, h("h1", {}, "Уведомления"), errorNotice(e, () => void notificationsScreen(main)));
  }
}
