// The ИОМ register's rules without the DOM (unit-tested): whose signature a route waits for under
// the region's route settings, deficits covered by items versus closed (their items done), and
// the register's orders.
import { RouteItemStatus, RouteSignatureKind, RouteStatus, type Route, type RouteSettings } from "./gen/nms/v1/route_pb";

/** A step of agreement a route waits for. */
export type Step = "teacher" | "school" | "approval";

export const stepTitle: Record<Step, string> = {
  teacher: "педагога",
  school: "организации",
  approval: "утверждения",
};

/**
 * The signatures still missing for the route's next step, in signing order: a draft waits for the
 * required signatures of the teacher and then the organisation; an agreed route for approval when
 * the region requires it. Nothing for routes under way, finished or cancelled.
 */
export function waitingFor(r: Pick<Route, "status" | "signatures">, s: Pick<RouteSettings, "teacherSignatureRequired" | "schoolSignatureRequired" | "approvalRequired">): Step[] {
  const has = (k: RouteSignatureKind) => r.signatures.some((x) => x.kind === k);
  if (r.status === RouteStatus.DRAFT) {
    const out: Step[] = [];
    if (s.teacherSignatureRequired && !has(RouteSignatureKind.TEACHER)) out.push("teacher");
    if (s.schoolSignatureRequired && !has(RouteSignatureKind.SCHOOL_REPRESENTATIVE)) out.push("school");
    return out;
  }
  if (r.status === RouteStatus.AGREED && s.approvalRequired && !has(RouteSignatureKind.APPROVER)) return ["approval"];
  return [];
}

/**
 * Deficits of a route: covered — at least one item addresses it (planned work); closed — it has
 * items and every one of them is done (skipped ones do not close a deficit).
 */
export function deficitState(r: Pick<Route, "deficits" | "items">): { total: number; covered: number; closed: number } {
  const status = new Map(r.items.map((i) => [i.name, i.status]));
  let covered = 0;
  let closed = 0;
  for (const d of r.deficits) {
    if (!d.coveredByItems.length) continue;
    covered++;
    if (d.coveredByItems.every((n) => status.get(n) === RouteItemStatus.DONE)) closed++;
  }
  return { total: r.deficits.length, covered, closed };
}

export type Order = "name" | "organization" | "progress" | "end";

export const orderTitle: Record<Order, string> = {
  name: "по фамилии",
  organization: "по организации",
  progress: "по выполнению (меньше — выше)",
  end: "по сроку окончания",
};

const collator = new Intl.Collator("ru");
const dayOf = (d?: { year: number; month: number; day: number }) => (d && d.year ? d.year * 10000 + d.month * 100 + d.day : Number.MAX_SAFE_INTEGER);
const closedShare = (r: Route) => {
  const p = r.progress;
  return p && p.itemsTotal ? (p.itemsDone + p.itemsSkipped) / p.itemsTotal : 0;
};

/** A sorted copy; ties keep the teacher's name order. */
export function sortRoutes(routes: Route[], order: Order): Route[] {
  const byName = (a: Route, b: Route) => collator.compare(a.header?.fullName ?? "", b.header?.fullName ?? "");
  const by: Record<Order, (a: Route, b: Route) => number> = {
    name: byName,
    organization: (a, b) => collator.compare(a.header?.organizationTitle ?? "", b.header?.organizationTitle ?? "") || byName(a, b),
    progress: (a, b) => closedShare(a) - closedShare(b) || byName(a, b),
    end: (a, b) => dayOf(a.plannedEndDate) - dayOf(b.plannedEndDate) || byName(a, b),
  };
  return [...routes].sort(by[order]);
}
