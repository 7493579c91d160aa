// Which of a teacher's routes is "my ИОМ" (DOM-free, unit-tested): the live one before finished
// ones (in progress, approved, agreed, draft, completed, cancelled last), the newest among equals.
import { RouteStatus, type Route } from "./gen/nms/v1/route_pb";

const statusRank: Record<number, number> = {
  [RouteStatus.IN_PROGRESS]: 0,
  [RouteStatus.APPROVED]: 1,
  [RouteStatus.AGREED]: 2,
  [RouteStatus.DRAFT]: 3,
  [RouteStatus.COMPLETED]: 4,
  [RouteStatus.CANCELLED]: 9,
};

export function pickRoute(routes: Route[], me: string): Route | null {
  const own = routes.filter((r) => r.person === me);
  const sorted = [...own].sort(
    (a, b) => (statusRank[a.status] ?? 8) - (statusRank[b.status] ?? 8) || Number((b.createTime?.seconds ?? 0n) - (a.createTime?.seconds ?? 0n)),
  );
  return sorted[0] ?? null;
}
