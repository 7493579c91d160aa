// Collects the data the notifications are derived from and keeps the badge up to date.
import { api, isNetworkError, me } from "./api";
import { fresh } from "./cache";
import { campaigns, currentRoute, myPairs, mySessions, settle } from "./data";
import { ListRouteStatusChangesResponseSchema } from "./gen/nms/v1/route_pb";
import { deriveNotifications, isUnread, seenIds, type AppNotification } from "./notifications";
import { todayDate } from "./ui";

export async function loadNotifications(): Promise<AppNotification[]> {
  const [route, sessions, camps, pairs, server] = await Promise.all([
    settle(currentRoute()),
    settle(mySessions()),
    settle(campaigns()),
    settle(myPairs()),
    settle(api.notifications.listNotifications({ pageSize: 50 })),
  ]);
  const r = route?.route ?? null;
  const history = r
    ? await settle(fresh(ListRouteStatusChangesResponseSchema, `history:${r.name}`, () => api.route.listRouteStatusChanges({ parent: r.name, pageSize: 200 }), isNetworkError))
    : null;
  return deriveNotifications({
    me: me(),
    today: todayDate(),
    nowMs: Date.now(),
    route: r,
    history: history?.msg.statusChanges ?? [],
    sessions: sessions?.msg.sessions ?? [],
    campaigns: camps?.msg.campaigns ?? [],
    pairs: pairs?.msg.pairs ?? [],
    server: server?.notifications ?? [],
  });
}

let badgeListeners: ((n: number) => void)[] = [];
let last = 0;

export function onBadge(f: (n: number) => void): void {
  badgeListeners.push(f);
}

export function setBadge(n: number): void {
  for (const f of badgeListeners) f(n);
}

/** Recomputes the unread count (at most once a minute unless forced). */
export async function refreshBadge(force = false): Promise<void> {
  if (!force && Date.now() - last < 60000) return;
  last = Date.now();
  const list = await loadNotifications();
  const seen = seenIds();
  setBadge(list.filter((n) => isUnread(n, seen)).length);
}

export function resetBadgeListeners(): void {
  badgeListeners = [];
}
