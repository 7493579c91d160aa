// Shared application state: the principal's roles, scopes and navigation helpers.
import { Role } from "./gen/nms/v1/common_pb";
import { session } from "./api";
export { roleTitle } from "../../shared/titles";

export function roles(): Set<Role> {
  return new Set((session.principal?.grants ?? []).map((g) => g.role));
}

export function hasAny(...rs: Role[]): boolean {
  const mine = roles();
  return rs.some((r) => mine.has(r));
}

/** The widest scope the caller holds: a region, else a municipality, else an organisation. */
export function mainScope(): { scope: string; title: string } {
  const grants = session.principal?.grants ?? [];
  for (const prefix of ["regions/", "municipalities/", "organizations/"]) {
    const g = grants.find((x) => x.scope.startsWith(prefix) && x.role !== Role.TEACHER);
    if (g) return { scope: g.scope, title: g.scopeDisplayName };
  }
  const g = grants[0];
  return { scope: g?.scope ?? "", title: g?.scopeDisplayName ?? "" };
}

export function go(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

/** Query parameters of the current hash route (#/path?x=1). */
export function routeParams(): URLSearchParams {
  const q = location.hash.indexOf("?");
  return new URLSearchParams(q >= 0 ? location.hash.slice(q + 1) : "");
}
