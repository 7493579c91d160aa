// Typed clients of every service on the shared session transport (clients/shared/session.ts):
// access token in memory, refresh token in nms-proxy's HttpOnly cookie, one refresh on
// UNAUTHENTICATED.
import { createClient, type Client } from "@connectrpc/connect";
import { AuthService, type Principal } from "./gen/nms/v1/auth_pb";
import { DirectoryService } from "./gen/nms/v1/directory_pb";
import { DiagnosticsService } from "./gen/nms/v1/diagnostics_pb";
import { RouteService } from "./gen/nms/v1/route_pb";
import { MentoringService } from "./gen/nms/v1/mentoring_pb";
import { YoungTeacherService } from "./gen/nms/v1/young_teacher_pb";
import { MonitoringService } from "./gen/nms/v1/monitoring_pb";
import { createSession } from "../../shared/session";
export { requestId } from "../../shared/session";
import { InboxService, NotificationService } from "./gen/nms/v1/inbox_pb";
import { FederalExchangeService } from "./gen/nms/v1/federal_exchange_pb";
import { PracticeService } from "./gen/nms/v1/practices_pb";

// Earlier releases kept the refresh token where scripts could read it: forget it.
localStorage.removeItem("nms.refreshToken");

const s = createSession<Principal>({
  baseUrl: location.origin,
  auth: (t) => createClient(AuthService, t),
  lockName: "nms-web-refresh",
});

export const session = s.state;
export const setSignedOutHandler = s.setSignedOutHandler;
export const signIn = s.signIn;
export const signOut = s.signOut;

export const api = {
  auth: createClient(AuthService, s.transport),
  directory: createClient(DirectoryService, s.transport),
  diagnostics: createClient(DiagnosticsService, s.transport),
  route: createClient(RouteService, s.transport),
  mentoring: createClient(MentoringService, s.transport),
  young: createClient(YoungTeacherService, s.transport),
  monitoring: createClient(MonitoringService, s.transport),
  inbox: createClient(InboxService, s.transport),
  notifications: createClient(NotificationService, s.transport),
  federal: createClient(FederalExchangeService, s.transport),
  practices: createClient(PracticeService, s.transport),
};
export type Api = typeof api;
export type { Client };

/** Restores the session from the proxy's cookie, or returns null. */
export async function resume(): Promise<Principal | null> {
  return (await s.resume()).principal;
}
