// Loaders shared by several screens and the notification badge: the teacher's current ИОМ,
// their sessions, open campaigns and mentoring pairs. Each remembers its answer on the phone so
// the screens work offline with the last known data.
// Filters are not needed: a teacher's grant reaches only their own person, so lists hold only theirs.
import { create } from "@bufbuild/protobuf";
import { api, isNetworkError, me } from "./api";
import { fresh } from "./cache";
import { ListRoutesResponseSchema, RouteSchema, RouteStatus, type Route } from "./gen/nms/v1/route_pb";
import { ListCampaignsResponseSchema, ListSessionsResponseSchema } from "./gen/nms/v1/diagnostics_pb";
import { ListMentoringPairsResponseSchema } from "./gen/nms/v1/mentoring_pb";

const statusRank: Record<number, number> = {
  [RouteStatus.IN_PROGRESS]: 0,
  [RouteStatus.APPROVED]: 1,
  [RouteStatus.AGREED]: 2,
  [RouteStatus.DRAFT]: 3,
  [RouteStatus.COMPLETED]: 4,
  [RouteStatus.CANCELLED]: 9,
};

/** The route a teacher works on now: the live one before finished ones, the newest first. */
export function pickRoute(routes: Route[]): Route | null {
  const own = routes.filter((r) => !me() || r.person === me());
  const sorted = [...own].sort(
    (a, b) => (statusRank[a.status] ?? 8) - (statusRank[b.status] ?? 8) || Number((b.createTime?.seconds ?? 0n) - (a.createTime?.seconds ?? 0n)),
  );
  return sorted[0] ?? null;
}

export async function myRoutes() {
  return fresh(ListRoutesResponseSchema, "routes", () => api.route.listRoutes({ pageSize: 50 }), isNetworkError);
}

/** The current route with its items (GetRoute), or null when the teacher has none. */
export async function currentRoute(): Promise<{ route: Route | null; routes: Route[]; stale: boolean; savedAt: number }> {
  const list = await myRoutes();
  const picked = pickRoute(list.msg.routes);
  if (!picked) return { route: null, routes: list.msg.routes, stale: list.stale, savedAt: list.savedAt };
  const full = await fresh(RouteSchema, `route:${picked.name}`, async () => (await api.route.getRoute({ name: picked.name })).route ?? create(RouteSchema, picked), isNetworkError);
  return { route: full.msg, routes: list.msg.routes, stale: list.stale || full.stale, savedAt: Math.min(list.savedAt, full.savedAt) };
}

export async function mySessions() {
  return fresh(ListSessionsResponseSchema, "sessions", () => api.diagnostics.listSessions({ pageSize: 100 }), isNetworkError);
}

export async function campaigns() {
  return fresh(ListCampaignsResponseSchema, "campaigns", () => api.diagnostics.listCampaigns({ pageSize: 100 }), isNetworkError);
}

export async function myPairs() {
  return fresh(ListMentoringPairsResponseSchema, "pairs", () => api.mentoring.listMentoringPairs({ pageSize: 100 }), isNetworkError);
}
