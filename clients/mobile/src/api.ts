// gRPC-web transport, typed clients of the services a teacher uses, and the session: the access
// token lives in memory, the refresh token in localStorage (rotated on every refresh), the
// principal is cached so the app can start offline. A call answered UNAUTHENTICATED refreshes
// once and retries. A network failure never drops the session: the phone may just be offline.
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { fromJson, toJson } from "@bufbuild/protobuf";
import { AuthService, PrincipalSchema, type Principal } from "./gen/nms/v1/auth_pb";
import { DiagnosticsService } from "./gen/nms/v1/diagnostics_pb";
import { RouteService } from "./gen/nms/v1/route_pb";
import { MentoringService } from "./gen/nms/v1/mentoring_pb";
import { YoungTeacherService } from "./gen/nms/v1/young_teacher_pb";
import { NotificationService } from "./gen/nms/v1/inbox_pb";

const REFRESH_KEY = "nms.m.refreshToken";
const PRINCIPAL_KEY = "nms.m.principal";
const baseUrl = location.origin;

export const session: { access: string; principal: Principal | null } = { access: "", principal: null };

/** True when the failure says nothing about the request itself: no network, proxy or server down. */
export function isNetworkError(e: unknown): boolean {
  if (typeof navigator !== "undefined" && !navigator.onLine) return true;
  const err = ConnectError.from(e);
  if (err.code === Code.Unavailable || err.code === Code.DeadlineExceeded) return true;
  return err.code === Code.Unknown && /fetch|network|load failed|terminated/i.test(err.rawMessage);
}

const plain = createGrpcWebTransport({ baseUrl });
const authPlain = createClient(AuthService, plain);

type RefreshOutcome = "ok" | "signed-out" | "offline";
let refreshing: Promise<RefreshOutcome> | null = null;

async function refreshOnce(): Promise<RefreshOutcome> {
  const token = localStorage.getItem(REFRESH_KEY);
  if (!token) return "signed-out";
  try {
    const r = await authPlain.refreshToken({ refreshToken: token });
    session.access = r.tokens?.accessToken ?? "";
    localStorage.setItem(REFRESH_KEY, r.tokens?.refreshToken ?? "");
    return session.access ? "ok" : "signed-out";
  } catch (e) {
    if (isNetworkError(e)) return "offline";
    // Another tab of this app may have rotated the token while we waited: try its new one.
    const now = localStorage.getItem(REFRESH_KEY);
    if (now && now !== token) return refreshOnce();
    localStorage.removeItem(REFRESH_KEY);
    session.access = "";
    return "signed-out";
  }
}

/** Exchanges the stored refresh token for a new pair; one refresh at a time across tabs. */
export function tryRefresh(): Promise<RefreshOutcome> {
  if (refreshing) return refreshing;
  const run = () => refreshOnce();
  refreshing = (navigator.locks ? navigator.locks.request("nms-m-refresh", run) : run()).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const authInterceptor: Interceptor = (next) => async (req) => {
  if (!session.access && localStorage.getItem(REFRESH_KEY)) await tryRefresh();
  if (session.access) req.header.set("authorization", `Bearer ${session.access}`);
  try {
    return await next(req);
  } catch (e) {
    const err = ConnectError.from(e);
    if (err.code !== Code.Unauthenticated) throw e;
    const outcome = await tryRefresh();
    if (outcome === "ok") {
      req.header.set("authorization", `Bearer ${session.access}`);
      return await next(req);
    }
    if (outcome === "signed-out") onSignedOut();
    throw e;
  }
};

const transport = createGrpcWebTransport({ baseUrl, interceptors: [authInterceptor] });

export const api = {
  auth: createClient(AuthService, transport),
  diagnostics: createClient(DiagnosticsService, transport),
  route: createClient(RouteService, transport),
  mentoring: createClient(MentoringService, transport),
  young: createClient(YoungTeacherService, transport),
  notifications: createClient(NotificationService, transport),
};

let signedOutHandler: () => void = () => {};
export function setSignedOutHandler(f: () => void) {
  signedOutHandler = f;
}
function onSignedOut() {
  session.access = "";
  session.principal = null;
  localStorage.removeItem(PRINCIPAL_KEY);
  signedOutHandler();
}

function rememberPrincipal(p: Principal | null) {
  session.principal = p;
  if (p) localStorage.setItem(PRINCIPAL_KEY, JSON.stringify(toJson(PrincipalSchema, p)));
}

export async function signIn(login: string, password: string): Promise<Principal> {
  const r = await authPlain.signIn({ login, password });
  session.access = r.tokens?.accessToken ?? "";
  localStorage.setItem(REFRESH_KEY, r.tokens?.refreshToken ?? "");
  if (!r.principal) throw new Error("Сервер не вернул сведения о пользователе");
  rememberPrincipal(r.principal);
  return r.principal;
}

/**
 * Restores the session: online, from the refresh token; offline, from the cached principal (the
 * token is refreshed when the network returns). Null when the user has to sign in.
 */
export async function resume(): Promise<Principal | null> {
  if (!localStorage.getItem(REFRESH_KEY)) return null;
  const outcome = await tryRefresh();
  if (outcome === "signed-out") {
    localStorage.removeItem(PRINCIPAL_KEY);
    return null;
  }
  if (outcome === "ok") {
    try {
      const r = await api.auth.getCurrentPrincipal({});
      rememberPrincipal(r.principal ?? null);
      return session.principal;
    } catch (e) {
      if (!isNetworkError(e)) throw e;
    }
  }
  const cached = localStorage.getItem(PRINCIPAL_KEY);
  if (!cached) return null;
  session.principal = fromJson(PrincipalSchema, JSON.parse(cached));
  return session.principal;
}

/** Ends the session on the server (when reachable) and forgets it on this device. */
export async function signOut(): Promise<void> {
  try {
    if (session.access) await api.auth.signOut({});
  } catch {
    // The session is dropped locally anyway; the refresh token expires on its own.
  }
  localStorage.removeItem(REFRESH_KEY);
  localStorage.removeItem(PRINCIPAL_KEY);
  session.access = "";
  session.principal = null;
}

/** A fresh idempotency key for a mutation. */
export function requestId(): string {
  return crypto.randomUUID();
}

/** The signed-in teacher's person, "people/{id}". */
export function me(): string {
  return session.principal?.person ?? "";
}
