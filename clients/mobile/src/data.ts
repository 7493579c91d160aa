// Loaders shared by several screens and the notification badge: the teacher's current ИОМ,
// their sessions, open campaigns and mentoring pairs. Each remembers its answer on the phone so
// the screens work offline with the last known data.
// Filters are not needed: a teacher's grant reaches only their own person, so lists hold only theirs.
import { create } from "@bufbuild/protobuf";
import { api, isNetworkError, me } from "./api";
import { fresh } from "./cache";
import { ListRoutesResponseSchema, RouteSchema, type Route } from "./gen/nms/v1/route_pb";
import { pickRoute } from "./route_pick";
import { InstrumentSchema, InstrumentView, ListCampaignsResponseSchema, ListSessionsResponseSchema, SessionSchema, type Instrument, type Session } from "./gen/nms/v1/diagnostics_pb";
import { must } from "./ui";
import { ListMentoringPairsResponseSchema } from "./gen/nms/v1/mentoring_pb";

export async function myRoutes() {
  return fresh(ListRoutesResponseSchema, "routes", () => api.route.listRoutes({ pageSize: 50 }), isNetworkError);
}

/** The route with its items (GetRoute): the named one, else the current one; null when none. */
export async function currentRoute(name?: string): Promise<{ route: Route | null; routes: Route[]; stale: boolean; savedAt: number }> {
  const list = await myRoutes();
  const picked = (name && list.msg.routes.find((r) => r.name === name)) || pickRoute(list.msg.routes, me());
  if (!picked) return { route: null, routes: list.msg.routes, stale: list.stale, savedAt: list.savedAt };
  const full = await fresh(RouteSchema, `route:${picked.name}`, async () => (await api.route.getRoute({ name: picked.name })).route ?? create(RouteSchema, picked), isNetworkError);
  return { route: full.msg, routes: list.msg.routes, stale: list.stale || full.stale, savedAt: Math.min(list.savedAt, full.savedAt) };
}

/**
 * A session with its instrument in the taker's view (both remembered on the phone): the test
 * screen and the expert-work screen open the same way, online or from the last copy.
 */
export async function sessionWithInstrument(name: string): Promise<{ session: Session; instrument: Instrument; stale: boolean; savedAt: number }> {
  const s = await fresh(SessionSchema, `session:${name}`, async () => must((await api.diagnostics.getSession({ name })).session), isNetworkError);
  const inst = await fresh(
    InstrumentSchema,
    `instrument:${s.msg.instrument}`,
    async () => must((await api.diagnostics.getInstrument({ name: s.msg.instrument, view: InstrumentView.TAKER })).instrument),
    isNetworkError,
  );
  return { session: s.msg, instrument: inst.msg, stale: s.stale, savedAt: s.savedAt };
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

/** The value, or null when the call failed (a section whose service is down adds nothing). */
export async function settle<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch {
    return null;
  }
}
