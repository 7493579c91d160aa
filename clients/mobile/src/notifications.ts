// In-app notifications, derived from the data the app reads (no push server): approaching and
// missed deadlines of ИОМ items, status changes of the teacher's ИОМ made by others, an
// unfinished test with a deadline, diagnostics waiting to be taken, mentoring pairs waiting for
// the teacher's answer — merged with the notifications the server keeps for the teacher
// (reminders from methodists, ИОМ signed or returned, enrolment decided, retake granted, meeting
// planned). Each notification has a stable id; ids the teacher has seen are kept on the phone,
// server ones also read on the server; the rest make the badge.
import { RouteItemStatus, RouteStatus, RouteTransition, type Route, type RouteStatusChange } from "./gen/nms/v1/route_pb";
import { CampaignState, SessionState, type Campaign, type Session } from "./gen/nms/v1/diagnostics_pb";
import { MentoringPairStatus, type MentoringPair } from "./gen/nms/v1/mentoring_pb";
import { NotificationKind, type Notification } from "./gen/nms/v1/inbox_pb";
import { plural } from "../../shared/plural";
import { daysUntil, type CalendarDay } from "../../shared/dates";

export { daysUntil };

/** How close a deadline is: overdue, soon (within the window), later. */
export function deadlineState(d: CalendarDay | undefined, today: CalendarDay, soonDays = 14): "overdue" | "soon" | "later" | "none" {
  if (!d || !d.year) return "none";
  const n = daysUntil(d, today);
  if (n < 0) return "overdue";
  if (n <= soonDays) return "soon";
  return "later";
}

export interface AppNotification {
  id: string;
  kind: "deadline" | "overdue" | "route" | "test" | "campaign" | "mentoring" | "message";
  title: string;
  text: string;
  href: string;
  /** Sort key: more urgent first (smaller). */
  urgency: number;
  /** A server notification already read (on this or another device). */
  read?: boolean;
  /** When a server notification was written (for its line). */
  whenMs?: number;
}

export interface NotificationInput {
  me: string;
  today: CalendarDay;
  nowMs: number;
  route?: Route | null;
  history?: RouteStatusChange[];
  sessions?: Session[];
  campaigns?: Campaign[];
  pairs?: MentoringPair[];
  /** The teacher's own notifications from the server. */
  server?: Notification[];
}

/** Where a server notification's subject opens in the app. */
export function subjectHref(subject: string, kind: NotificationKind): string {
  if (subject.startsWith("routes/")) return "#/route";
  if (subject.startsWith("campaigns/")) return "#/tests";
  const result = /^results\/([^/]+)$/.exec(subject);
  if (result) return `#/result/${result[1]}`;
  const pair = /^mentoringPairs\/([^/]+)$/.exec(subject);
  if (pair) return `#/mentoring/${pair[1]}`;
  return kind === NotificationKind.MEETING_PLANNED ? "#/mentoring" : "#/notifications";
}

/** Reminders and returns ask for action first; news after. */
const serverUrgency: Partial<Record<NotificationKind, number>> = {
  [NotificationKind.ROUTE_RETURNED]: 0,
  [NotificationKind.CAMPAIGN_REMINDER]: 5,
  [NotificationKind.ENROLMENT_REJECTED]: 10,
  [NotificationKind.MEETING_PLANNED]: 20,
};

/** Server notifications as app notifications; the server already wrote the Russian texts. */
export function fromServer(list: Notification[]): AppNotification[] {
  return list.map((n) => ({
    id: `srv:${n.name}`,
    kind: "message",
    title: n.title,
    text: n.body,
    href: subjectHref(n.subject, n.kind),
    urgency: (serverUrgency[n.kind] ?? 30) + (n.read ? 200 : 0),
    read: n.read,
    whenMs: n.createTime ? Number(n.createTime.seconds) * 1000 : undefined,
  }));
}

const transitionText: Partial<Record<RouteTransition, string>> = {
  [RouteTransition.SIGN]: "подписан",
  [RouteTransition.AGREE]: "согласован",
  [RouteTransition.APPROVE]: "утверждён",
  [RouteTransition.START]: "принят к выполнению",
  [RouteTransition.COMPLETE]: "завершён",
  [RouteTransition.CANCEL]: "отменён",
  [RouteTransition.RETURN_FOR_REVISION]: "возвращён на доработку",
  [RouteTransition.CREATE]: "сформирован",
  [RouteTransition.REVISE]: "пересмотрен по новой диагностике",
};

function daysText(n: number): string {
  if (n === 0) return "сегодня";
  if (n === 1) return "завтра";
  return `через ${plural(n, "день", "дня", "дней")}`;
}

/** "routes/7/items/3" → "#/route/item/7/3". */
export function itemHref(item: string): string {
  const m = /^routes\/([^/]+)\/items\/([^/]+)$/.exec(item);
  return m ? `#/route/item/${m[1]}/${m[2]}` : "#/route";
}

export function deriveNotifications(x: NotificationInput): AppNotification[] {
  const out: AppNotification[] = [];
  const route = x.route;
  if (route && (route.status === RouteStatus.IN_PROGRESS || route.status === RouteStatus.APPROVED || route.status === RouteStatus.AGREED)) {
    for (const item of route.items) {
      if (item.status === RouteItemStatus.DONE || item.status === RouteItemStatus.SKIPPED) continue;
      const st = deadlineState(item.deadline, x.today);
      if (st !== "overdue" && st !== "soon") continue;
      const n = daysUntil(item.deadline!, x.today);
      const deadline = `${item.deadline!.year}-${item.deadline!.month}-${item.deadline!.day}`;
      out.push({
        id: `${st}:${item.name}:${deadline}`,
        kind: st === "overdue" ? "overdue" : "deadline",
        title: st === "overdue" ? "Срок пропущен" : "Приближается срок",
        text: st === "overdue" ? `«${item.title}»: срок истёк ${-n} дн. назад` : `«${item.title}»: срок ${daysText(n)}`,
        href: itemHref(item.name),
        urgency: n,
      });
    }
  }
  for (const c of x.history ?? []) {
    if (c.actor === x.me) continue; // the teacher knows what they did themselves
    const what = transitionText[c.transition];
    if (!what) continue;
    const who = c.actorFullName ? ` (${c.actorFullName})` : "";
    out.push({
      id: `route:${route?.name ?? ""}:${c.routeVersion}:${c.transition}`,
      kind: "route",
      title: `ИОМ ${what}`,
      text: `${c.comment ? `«${c.comment}»` : "Статус маршрута изменился"}${who}`,
      href: "#/route",
      urgency: c.transition === RouteTransition.RETURN_FOR_REVISION || c.transition === RouteTransition.REVISE ? 0 : 100,
    });
  }
  const openSessions = new Set<string>();
  for (const s of x.sessions ?? []) {
    if (s.state !== SessionState.IN_PROGRESS) continue;
    openSessions.add(s.campaign);
    const left = s.deadlineTime ? Math.floor((Number(s.deadlineTime.seconds) * 1000 - x.nowMs) / 60000) : -1;
    out.push({
      id: `test:${s.name}`,
      kind: "test",
      title: "Диагностика не завершена",
      text: left >= 0 ? `Осталось ${left} мин. Ответы сохранены — продолжите с того же места.` : "Ответы сохранены — продолжите с того же места.",
      href: `#/test/${s.name.slice(s.name.lastIndexOf("/") + 1)}`,
      urgency: left >= 0 ? Math.min(left / 1440, 50) : 50,
    });
  }
  const taken = new Set((x.sessions ?? []).map((s) => s.campaign));
  for (const c of x.campaigns ?? []) {
    if (c.state !== CampaignState.LAUNCHED || taken.has(c.name) || openSessions.has(c.name)) continue;
    if (c.closeTime && Number(c.closeTime.seconds) * 1000 < x.nowMs) continue;
    out.push({ id: `campaign:${c.name}`, kind: "campaign", title: "Доступна диагностика", text: c.title, href: "#/tests", urgency: 60 });
  }
  for (const p of x.pairs ?? []) {
    if (p.status !== MentoringPairStatus.PROPOSED) continue;
    const iAmMentor = p.mentor === x.me;
    const waiting = iAmMentor ? !p.mentorAcceptTime : !p.menteeAcceptTime;
    if (!waiting) continue;
    out.push({
      id: `pair:${p.name}`,
      kind: "mentoring",
      title: iAmMentor ? "Вам предложен наставляемый" : "Вам предложен наставник",
      text: `${iAmMentor ? p.menteeDisplayName : p.mentorDisplayName}: подтвердите или отклоните пару`,
      href: `#/mentoring/${p.name.slice(p.name.lastIndexOf("/") + 1)}`,
      urgency: 40,
    });
  }
  out.push(...fromServer(x.server ?? []));
  return out.sort((a, b) => a.urgency - b.urgency || (b.whenMs ?? 0) - (a.whenMs ?? 0) || a.id.localeCompare(b.id));
}

const SEEN_KEY = "nms.m.seenNotifications";

export function seenIds(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(SEEN_KEY) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

/** Unread: not seen on this phone and, for server notifications, not read anywhere. */
export function isUnread(n: AppNotification, seen: Set<string>): boolean {
  return !seen.has(n.id) && !n.read;
}

export function markSeen(ids: string[]): void {
  const all = seenIds();
  for (const id of ids) all.add(id);
  localStorage.setItem(SEEN_KEY, JSON.stringify([...all].slice(-500)));
}
