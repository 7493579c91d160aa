// In-app notifications, derived from the data the app reads (no push server): approaching and
// missed deadlines of ИОМ items, status changes of the teacher's ИОМ made by others, an
// unfinished test with a deadline, diagnostics waiting to be taken, mentoring pairs waiting for
// the teacher's answer. Each notification has a stable id; ids the teacher has seen are kept on
// the phone, the rest make the badge.
import { RouteItemStatus, RouteStatus, RouteTransition, type Route, type RouteStatusChange } from "./gen/nms/v1/route_pb";
import { CampaignState, SessionState, type Campaign, type Session } from "./gen/nms/v1/diagnostics_pb";
import { MentoringPairStatus, type MentoringPair } from "./gen/nms/v1/mentoring_pb";
import type { Date as PDate } from "./gen/nms/v1/common_pb";
import { plural } from "./text";

/** Days from `today` to `d` (negative when past); both plain calendar dates. */
export function daysUntil(d: PDate, today: PDate): number {
  const a = Date.UTC(d.year, d.month - 1, d.day);
  const b = Date.UTC(today.year, today.month - 1, today.day);
  return Math.round((a - b) / 86400000);
}

/** How close a deadline is: overdue, soon (within the window), later. */
export function deadlineState(d: PDate | undefined, today: PDate, soonDays = 14): "overdue" | "soon" | "later" | "none" {
  if (!d || !d.year) return "none";
  const n = daysUntil(d, today);
  if (n < 0) return "overdue";
  if (n <= soonDays) return "soon";
  return "later";
}

export interface AppNotification {
  id: string;
  kind: "deadline" | "overdue" | "route" | "test" | "campaign" | "mentoring";
  title: string;
  text: string;
  href: string;
  /** Sort key: more urgent first (smaller). */
  urgency: number;
}

export interface NotificationInput {
  me: string;
  today: PDate;
  nowMs: number;
  route?: Route | null;
  history?: RouteStatusChange[];
  sessions?: Session[];
  campaigns?: Campaign[];
  pairs?: MentoringPair[];
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
  return out.sort((a, b) => a.urgency - b.urgency || a.id.localeCompare(b.id));
}

const SEEN_KEY = "nms.m.seenNotifications";

export function seenIds(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(SEEN_KEY) ?? "[]") as string[]);
  } catch {
    return new Set();
  }
}

export function markSeen(ids: string[]): void {
  const all = seenIds();
  for (const id of ids) all.add(id);
  localStorage.setItem(SEEN_KEY, JSON.stringify([...all].slice(-500)));
}
