// gRPC-web transport, typed clients of every service and the session (access token in memory,
// refresh token in localStorage, one refresh attempt on UNAUTHENTICATED).
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService, type Principal } from "./gen/nms/v1/auth_pb";
import { DirectoryService } from "./gen/nms/v1/directory_pb";
import { DiagnosticsService } from "./gen/nms/v1/diagnostics_pb";
import { RouteService } from "./gen/nms/v1/route_pb";
import { MentoringService } from "./gen/nms/v1/mentoring_pb";
import { YoungTeacherService } from "./gen/nms/v1/young_teacher_pb";
import { MonitoringService } from "./gen/nms/v1/monitoring_pb";
import { FederalExchangeService } from "./gen/nms/v1/federal_exchange_pb";

const REFRESH_KEY = "nms.refreshToken";
const baseUrl = location.origin;

export const session: { access: string; principal: Principal | null } = { access: "", principal: null };

// Plain transport (no auth interceptor) for SignIn/RefreshToken.
const plain = createGrpcWebTransport({ baseUrl });
const authPlain = createClient(AuthService, plain);

let refreshing: Promise<boolean> | null = null;

/** Exchanges the stored refresh token for a new pair; false when there is none or it is dead. */
export function tryRefresh(): Promise<boolean> {
  if (refreshing) return refreshing;
  const token = localStorage.getItem(REFRESH_KEY);
  if (!token) return Promise.resolve(false);
  refreshing = authPlain
    .refreshToken({ refreshToken: token })
    .then((r) => {
      session.access = r.tokens?.accessToken ?? "";
      localStorage.setItem(REFRESH_KEY, r.tokens?.refreshToken ?? "");
      return session.access !== "";
    })
    .catch(() => {
      localStorage.removeItem(REFRESH_KEY);
      session.access = "";
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

const authInterceptor: Interceptor = (next) => async (req) => {
  if (session.access) req.header.set("authorization", `Bearer ${session.access}`);
  try {
    return await next(req);
  } catch (e) {
    const err = ConnectError.from(e);
    if (err.code === Code.Unauthenticated && (await tryRefresh())) {
      req.header.set("authorization", `Bearer ${session.access}`);
      return await next(req);
    }
    if (err.code === Code.Unauthenticated) onSignedOut();
    throw e;
  }
};

const transport = createGrpcWebTransport({ baseUrl, interceptors: [authInterceptor] });

export const api = {
  auth: createClient(AuthService, transport),
  directory: createClient(DirectoryService, transport),
  diagnostics: createClient(DiagnosticsService, transport),
  route: createClient(RouteService, transport),
  mentoring: createClient(MentoringService, transport),
  young: createClient(YoungTeacherService, transport),
  monitoring: createClient(MonitoringService, transport),
  federal: createClient(FederalExchangeService, transport),
};
export type Api = typeof api;
export type { Client };

let signedOutHandler: () => void = () => {};
export function setSignedOutHandler(f: () => void) {
  signedOutHandler = f;
}
function onSignedOut() {
  session.access = "";
  session.principal = null;
  signedOutHandler();
}

export async function signIn(login: string, password: string): Promise<Principal> {
  const r = await authPlain.signIn({ login, password });
  session.access = r.tokens?.accessToken ?? "";
  localStorage.setItem(REFRESH_KEY, r.tokens?.refreshToken ?? "");
  session.principal = r.principal ?? null;
  if (!session.principal) throw new Error("Сервер не вернул сведения о пользователе");
  return session.principal;
}

/** Restores a session from the stored refresh token, or returns null. */
export async function resume(): Promise<Principal | null> {
  if (!(await tryRefresh())) return null;
  const r = await api.auth.getCurrentPrincipal({});
  session.principal = r.principal ?? null;
  return session.principal;
}

export async function signOut(): Promise<void> {
  try {
    if (session.access) await api.auth.signOut({});
  } catch {
    // The session is dropped locally anyway.
  }
  localStorage.removeItem(REFRESH_KEY);
  session.access = "";
  session.principal = null;
}

/** A fresh idempotency key for a mutation. */
export function requestId(): string {
  return crypto.randomUUID();
}
