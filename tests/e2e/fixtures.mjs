// Test data of the browser suites through the public API (gRPC-web via nms-proxy), as the demo
// sign-ins: what other people do outside the screen under test (a ЦНППМ publishing a framework
// and an instrument, teachers taking the test on their phones, the catalogue of activities).
import { execFileSync } from "node:child_process";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { AuthService } from "./gen/nms/v1/auth_pb.js";
import { DirectoryService } from "./gen/nms/v1/directory_pb.js";
import { DiagnosticsService } from "./gen/nms/v1/diagnostics_pb.js";
import { ActivityFormat, ActivityKind, RouteService } from "./gen/nms/v1/route_pb.js";
import { CompetencyArea, Role } from "./gen/nms/v1/common_pb.js";
import { MentoringService } from "./gen/nms/v1/mentoring_pb.js";
import { YoungTeacherService } from "./gen/nms/v1/young_teacher_pb.js";
import { MonitoringService } from "./gen/nms/v1/monitoring_pb.js";

export const PASSWORD = "demo12345";

/** A query against the stack's database (run.sh's MariaDB); rows as tab-separated lines. */
export function sql(query) {
  return execFileSync("mariadb", ["--no-defaults", "-h127.0.0.1", `-P${process.env.NMS_E2E_DB_PORT}`, "-uroot", "-N", "-B", process.env.NMS_E2E_DB_NAME ?? "nms", "-e", query], { encoding: "utf8", maxBuffer: 64 << 20 }).trim();
}
export const rid = () => crypto.randomUUID();
export const uid = () => Math.random().toString(36).slice(2, 10);

/** The service behind the call is not implemented on this server (yet). */
export function unimplemented(e) {
  return ConnectError.from(e).code === Code.Unimplemented;
}

/** Refused as out of scope: PERMISSION_DENIED, or NOT_FOUND (out of scope reads as missing). */
export function denied(e) {
  const code = ConnectError.from(e).code;
  return code === Code.PermissionDenied || code === Code.NotFound;
}

/** Runs `fn`; a service answering UNIMPLEMENTED skips test `t` with the reason (and returns null). */
export async function needs(t, what, fn) {
  try {
    return await fn();
  } catch (e) {
    if (unimplemented(e)) {
      t.skip(`${what}: the service answers UNIMPLEMENTED on this server`);
      return null;
    }
    throw e;
  }
}

/** Typed clients signed in as `login`, plus the principal. */
export async function apiAs(base, login, password = PASSWORD) {
  const baseUrl = base.replace(/\/$/, "");
  const r = await createClient(AuthService, createGrpcWebTransport({ baseUrl })).signIn({ login, password });
  const token = r.tokens.accessToken;
  const transport = createGrpcWebTransport({
    baseUrl,
    interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))],
  });
  return {
    principal: r.principal,
    token,
    scopeOf: (role) => r.principal.grants.find((g) => g.role === role)?.scope ?? "",
    directory: createClient(DirectoryService, transport),
    diagnostics: createClient(DiagnosticsService, transport),
    route: createClient(RouteService, transport),
    mentoring: createClient(MentoringService, transport),
    young: createClient(YoungTeacherService, transport),
    monitoring: createClient(MonitoringService, transport),
  };
}

export const RIGHT = "a";
export const WRONG = "b";

/** A published framework: methodological and digital areas, one indicator each, bands 50/70/85 %. */
export async function publishedFramework(admin, tag = uid()) {
  const region = admin.scopeOf(Role.REGIONAL_ADMIN) || admin.scopeOf(Role.REGIONAL_METHODIST);
  const th = { basicMinPercent: 50, advancedMinPercent: 70, highMinPercent: 85 };
  const fw = (
    await admin.diagnostics.createCompetencyFramework({
      framework: {
        region,
        title: `Рамка профессиональных компетенций ${tag}`,
        areas: [
          { area: CompetencyArea.METHODOLOGICAL, title: "Методические компетенции", thresholds: th },
          { area: CompetencyArea.DIGITAL, title: "Цифровые компетенции", thresholds: th },
        ],
        indicators: [
          { code: "МЕТ-01", area: CompetencyArea.METHODOLOGICAL, title: "Проектирование урока по ФГОС" },
          { code: "ЦИФ-01", area: CompetencyArea.DIGITAL, title: "Цифровые образовательные ресурсы" },
        ],
        overallThresholds: th,
      },
      requestId: rid(),
    })
  ).framework;
  return { region, framework: (await admin.diagnostics.publishCompetencyFramework({ name: fw.name, version: fw.version, requestId: rid() })).framework };
}

/**
 * An instrument of six single-choice items in the proto3 JSON mapping (what ImportInstrument and
 * the instruments screen take): I1–I3 measure МЕТ-01, I4–I6 ЦИФ-01; option "a" is right.
 */
export function instrumentJson(tag = uid()) {
  const item = (n, code) => ({
    itemId: `I${n}`,
    kind: "INSTRUMENT_ITEM_KIND_SINGLE_CHOICE",
    text: `Задание ${n}`,
    options: [
      { optionId: RIGHT, text: "Верный ответ", correct: true },
      { optionId: WRONG, text: "Неверный ответ" },
    ],
    maxScore: 1,
    indicatorWeights: [{ indicatorCode: code, weight: 1 }],
    required: true,
  });
  return {
    title: `Диагностика профессиональных дефицитов ${tag}`,
    purpose: "Выявить дефициты и построить маршрут развития.",
    positions: ["учитель"],
    blocks: [{ blockId: "B1", title: "Методический и цифровой блок", kind: "INSTRUMENT_BLOCK_KIND_ONLINE", items: [1, 2, 3].map((n) => item(n, "МЕТ-01")).concat([4, 5, 6].map((n) => item(n, "ЦИФ-01"))) }],
  };
}

/** A published framework and instrument (through the API), for suites that only need to take it. */
export async function publishedInstrument(admin, tag = uid()) {
  const { region, framework } = await publishedFramework(admin, tag);
  let inst = (await admin.diagnostics.importInstrument({ region, framework: framework.name, jsonContent: JSON.stringify(instrumentJson(tag)), requestId: rid() })).instrument;
  inst = (await admin.diagnostics.publishInstrument({ name: inst.name, version: inst.version, requestId: rid() })).instrument;
  return { region, framework, instrument: inst };
}

/** Catalogue entries closing МЕТ-01 (a ДПП ПК) and ЦИФ-01 (a webinar). */
export async function catalogue(admin, region, tag = uid()) {
  for (const [kind, title, code, area] of [
    [ActivityKind.FURTHER_TRAINING_PROGRAMME, `ДПП ПК «Современный урок: проектирование по ФГОС» ${tag}`, "МЕТ-01", CompetencyArea.METHODOLOGICAL],
    [ActivityKind.EVENT, `Вебинар «Цифровые сервисы учителя» ${tag}`, "ЦИФ-01", CompetencyArea.DIGITAL],
  ]) {
    await admin.route.createActivity({
      activity: { region, kind, title, hours: 36, format: ActivityFormat.REMOTE, addressedIndicatorCodes: [code], addressedAreas: [area], active: true },
      requestId: rid(),
    });
  }
}

/** The teacher takes the campaign's test: `answers` maps item ids to option ids. */
export async function takeTest(teacher, campaign, answers) {
  const s = (await teacher.diagnostics.startSession({ campaign, requestId: rid() })).session;
  for (const [itemId, option] of Object.entries(answers)) {
    await teacher.diagnostics.saveAnswer({ session: s.name, answer: { itemId, selectedOptionIds: [option] }, requestId: rid() });
  }
  return (await teacher.diagnostics.submitSession({ name: s.name, version: 0n, requestId: rid() })).result;
}

/** An account with a teacher grant for `person` (as a school admin or regional admin); its one-time password. */
export async function teacherAccount(admin, person, login) {
  const p = await admin.directory.getPerson({ name: person });
  const acc = await admin.directory.createAccount({ person, login, requestId: rid() });
  await admin.directory.createRoleGrant({ roleGrant: { account: acc.account, role: Role.TEACHER, scope: p.organization }, requestId: rid() });
  return { login: acc.login, password: acc.oneTimePassword, person, organization: p.organization };
}

/** Methodological deficit (I1–I3 wrong), digital strength (I4–I6 right). */
export const METHODOLOGICAL_DEFICIT = { I1: WRONG, I2: WRONG, I3: WRONG, I4: RIGHT, I5: RIGHT, I6: RIGHT };
/** Everything right: a strong teacher (mentor material). */
export const ALL_RIGHT = { I1: RIGHT, I2: RIGHT, I3: RIGHT, I4: RIGHT, I5: RIGHT, I6: RIGHT };

/** Collects every Content-Security-Policy violation the page reports into `errors`. */
export function watchCsp(page, errors) {
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
  });
}

/**
 * The proxy's refresh cookie of the browser context and whether a script of the page could read
 * its value anywhere (document.cookie, localStorage, sessionStorage): it must not.
 */
export async function refreshTokenExposure(context, page) {
  const cookie = (await context.cookies()).find((c) => c.name === "nms_refresh") ?? null;
  const readable = await page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join("\n"));
  return { cookie, leaked: !!cookie && readable.includes(cookie.value) };
}
