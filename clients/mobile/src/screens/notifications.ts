// The notifications screen: everything derived from the teacher's data, unread ones marked;
// opening the screen marks them read.
import { loadNotifications, setBadge } from "../notify";
import { markSeen, seenIds, type AppNotification } from "../notifications";
import { errorNotice, h, loading, mount, notice } from "../ui";

const kindIcon: Record<AppNotification["kind"], string> = {
  overdue: "⚠",
  deadline: "⏰",
  route: "📄",
  test: "✎",
  campaign: "📋",
  mentoring: "🤝",
};

export async function notificationsScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Уведомления"), loading());
  try {
    const list = await loadNotifications();
    const seen = seenIds();
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
                { class: `notif notif-${n.kind}${seen.has(n.id) ? "" : " unread"}`, "data-id": n.id },
                h(
                  "a",
                  { href: n.href, class: "row-link" },
                  h("span", { class: "notif-icon", "aria-hidden": "true" }, kindIcon[n.kind]),
                  h("span", { class: "row-main" }, h("strong", {}, n.title, seen.has(n.id) ? "" : h("span", { class: "sr-only" }, " (новое)")), h("small", {}, n.text)),
                ),
              ),
            ),
          )
        : notice("info", "Новых уведомлений нет. Здесь появятся сроки мероприятий ИОМ, изменения его статуса, приглашения на диагностику и в пары наставничества."),
    );
    markSeen(list.map((n) => n.id));
    setBadge(0);
  } catch (e) {
    mount(main, h("h1", {}, "Уведомления"), errorNotice(e, () => void notificationsScreen(main)));
  }
}
