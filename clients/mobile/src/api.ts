// Typed clients of the services a teacher uses on the shared session transport
// (clients/shared/session.ts: access token in memory, refresh token in nms-proxy's HttpOnly
// cookie, one refresh on UNAUTHENTICATED), plus what the phone needs offline: the principal is
// cached so the app can start without a network, and a network failure never drops the session.
import { createClient } from "@connectrpc/connect";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { AuthService, PrincipalSchema, type Principal } from "./gen/nms/v1/auth_pb";
import { DiagnosticsService } from "./gen/nms/v1/diagnostics_pb";
import { DirectoryService } from "./gen/nms/v1/directory_pb";
import { RouteService } from "./gen/nms/v1/route_pb";
import { MentoringService } from "./gen/nms/v1/mentoring_pb";
import { YoungTeacherService } from "./gen/nms/v1/young_teacher_pb";
import { createSession } from "../../shared/session";
import { isNetworkError } from "../../shared/errors";
export { requestId } from "../../shared/session";
export { isNetworkError };
import { NotificationService } from "./gen/nms/v1/inbox_pb";

// Also the sign of a session on this device: without it the app does not try the cookie
// (a teacher who signed out offline stays signed out).
const PRINCIPAL_KEY = "nms.m.principal";
// Earlier releases kept the refresh token where scripts could read it: forget it.
localStorage.removeItem("nms.m.refreshToken");

const s = createSession<Principal>({
  baseUrl: location.origin,
  auth: (t) => createClient(AuthService, t),
  lockName: "nms-m-refresh",
  isOffline: isNetworkError,
});

export const session = s.state;

export const api = {
  auth: createClient(AuthService, s.transport),
  diagnostics: createClient(DiagnosticsService, s.transport),
  route: createClient(RouteService, s.transport),
  mentoring: createClient(MentoringService, s.transport),
  young: createClient(YoungTeacherService, s.transport),
  directory: createClient(DirectoryService, s.transport),
  notifications: createClient(NotificationService, s.transport),
};

export function setSignedOutHandler(f: () => void) {
  s.setSignedOutHandler(() => {
    localStorage.removeItem(PRINCIPAL_KEY);
    f();
  });
}
setSignedOutHandler(() => {});

function rememberPrincipal(p: Principal | null) {
  session.principal = p;
  if (p) localStorage.setItem(PRINCIPAL_KEY, JSON.stringify(toJson(PrincipalSchema, p)));
}

export async function signIn(login: string, password: string): Promise<Principal> {
  const p = await s.signIn(login, password);
  rememberPrincipal(p);
  return p;
}

/**
 * Restores the session: online, from the proxy's cookie; offline, from the cached principal (the
 * access token is renewed when the network returns). Null when the user has to sign in.
 */
export async function resume(): Promise<Principal | null> {
  const cached = localStorage.getItem(PRINCIPAL_KEY);
  if (!cached) return null;
  try {
    const { outcome, principal } = await s.resume();
    if (outcome === "signed-out") {
      localStorage.removeItem(PRINCIPAL_KEY);
      return null;
    }
    if (outcome === "ok") {
      rememberPrincipal(principal);
      return principal;
    }
  } catch (e) {
    if (!isNetworkError(e)) throw e;
  }
  session.principal = fromJson(PrincipalSchema, JSON.parse(cached));
  return session.principal;
}

/** Ends the session on the server (when reachable) and forgets it on this device. */
export async function signOut(): Promise<void> {
  await s.signOut();
  localStorage.removeItem(PRINCIPAL_KEY);
}

/** The signed-in teacher's person, "people/{id}". */
export function me(): string {
  return session.principal?.person ?? "";
}
