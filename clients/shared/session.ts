// gRPC-web transport and session shared by the web client and the teachers' app.
//
// Token storage: the access token lives in this page's memory only. The refresh token never
// reaches a script: nms-proxy moves it out of SignIn/RefreshToken answers into an HttpOnly,
// SameSite=Strict cookie scoped to the auth service's path, writes it into RefreshToken requests
// (so the app sends an empty one) and clears it on SignOut. An injected script can therefore use
// at most the current access token (15 minutes), never mint new ones.
//
// A call answered UNAUTHENTICATED refreshes once and is retried. Refreshes are serialised across
// the app's tabs (navigator.locks), so two tabs never race to rotate the same cookie.
//
// @connectrpc/* resolve from the importing client's node_modules (vite `resolve.dedupe`, tsconfig
// `paths`); the generated AuthService client is passed in, each client generates its own stubs.
import { Code, ConnectError, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";

/** The part of the generated AuthService client the session needs. */
export interface AuthCalls<P> {
  signIn(req: { login: string; password: string }): Promise<{ tokens?: { accessToken: string }; principal?: P }>;
  refreshToken(req: { refreshToken?: string }): Promise<{ tokens?: { accessToken: string } }>;
  signOut(req: object): Promise<unknown>;
  getCurrentPrincipal(req: object): Promise<{ principal?: P }>;
}

/** "offline": the refresh could not reach the server; the session may well still be alive. */
export type RefreshOutcome = "ok" | "signed-out" | "offline";

export interface SessionOptions<P> {
  baseUrl: string;
  /** createClient(AuthService, transport) of the client's generated stubs. */
  auth: (transport: Transport) => AuthCalls<P>;
  /** Name of the cross-tab lock that serialises refreshes. */
  lockName: string;
  /** Failures that say nothing about the session (no network, server down): keep it. */
  isOffline?: (e: unknown) => boolean;
}

export interface Session<P> {
  /** In memory only; readable by the app for display (principal) and tests. */
  readonly state: { access: string; principal: P | null };
  /** The transport every API client uses: adds the access token, refreshes on UNAUTHENTICATED. */
  readonly transport: Transport;
  /** AuthService through that transport. */
  readonly auth: AuthCalls<P>;
  tryRefresh(): Promise<RefreshOutcome>;
  signIn(login: string, password: string): Promise<P>;
  /** Online: a new access token from the cookie and the principal; null when signed out. */
  resume(): Promise<{ outcome: RefreshOutcome; principal: P | null }>;
  /** Ends the session on the server when reachable; the proxy drops the cookie in any case. */
  signOut(): Promise<void>;
  /** Called when the server says the session is over (refresh refused). */
  setSignedOutHandler(f: () => void): void;
}

/** A fresh idempotency key for a mutation (request_id). */
export function requestId(): string {
  return crypto.randomUUID();
}

export function createSession<P>(opts: SessionOptions<P>): Session<P> {
  const state: { access: string; principal: P | null } = { access: "", principal: null };
  const authPlain = opts.auth(createGrpcWebTransport({ baseUrl: opts.baseUrl }));
  let refreshing: Promise<RefreshOutcome> | null = null;
  let signedOutHandler: () => void = () => {};

  async function refreshOnce(retry: boolean): Promise<RefreshOutcome> {
    try {
      // Empty on purpose: the proxy puts the cookie's refresh token in.
      const r = await authPlain.refreshToken({});
      state.access = r.tokens?.accessToken ?? "";
      return state.access ? "ok" : "signed-out";
    } catch (e) {
      if (opts.isOffline?.(e)) return "offline";
      // Without cross-tab locks another tab may have rotated the cookie under our request: the
      // browser holds its new value now, so one more try tells.
      if (retry) return refreshOnce(false);
      state.access = "";
      return "signed-out";
    }
  }

  function tryRefresh(): Promise<RefreshOutcome> {
    if (refreshing) return refreshing;
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    const run = locks ? locks.request(opts.lockName, () => refreshOnce(false)) : refreshOnce(true);
    refreshing = run.finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  function signedOut() {
    state.access = "";
    state.principal = null;
    signedOutHandler();
  }

  const interceptor: Interceptor = (next) => async (req) => {
    // A session restored without the network has a principal but no access token yet.
    if (!state.access && state.principal) await tryRefresh();
    if (state.access) req.header.set("authorization", `Bearer ${state.access}`);
    try {
      return await next(req);
    } catch (e) {
      if (ConnectError.from(e).code !== Code.Unauthenticated) throw e;
      const outcome = await tryRefresh();
      if (outcome === "ok") {
        req.header.set("authorization", `Bearer ${state.access}`);
        return await next(req);
      }
      if (outcome === "signed-out") signedOut();
      throw e;
    }
  };

  const transport = createGrpcWebTransport({ baseUrl: opts.baseUrl, interceptors: [interceptor] });
  const auth = opts.auth(transport);

  return {
    state,
    transport,
    auth,
    tryRefresh,
    async signIn(login, password) {
      const r = await authPlain.signIn({ login, password });
      state.access = r.tokens?.accessToken ?? "";
      state.principal = r.principal ?? null;
      if (!state.principal) throw new Error("Сервер не вернул сведения о пользователе");
      return state.principal;
    },
    async resume() {
      const outcome = await tryRefresh();
      if (outcome !== "ok") return { outcome, principal: null };
      const r = await auth.getCurrentPrincipal({});
      state.principal = r.principal ?? null;
      return { outcome, principal: state.principal };
    },
    async signOut() {
      try {
        // Through the refreshing transport: an expired access token is renewed from the cookie
        // first, so the server really ends the session.
        if (state.access || state.principal) await auth.signOut({});
      } catch {
        // The session is dropped locally anyway.
      }
      state.access = "";
      state.principal = null;
    },
    setSignedOutHandler(f) {
      signedOutHandler = f;
    },
  };
}
