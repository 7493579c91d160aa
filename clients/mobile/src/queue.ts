// The durable offline queue of everything a teacher writes: test answers and every other write
// (route item status, evidence, reflective report, enrolment, meetings, feedback, remarks on test
// items, own contact data). A write is stored in IndexedDB first, with the idempotency key made
// when the teacher acted, then sent in the order given, online or not; a replay with the same key
// is harmless. Transient failures (no network, UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, …) are
// retried with backoff; a stale version (FAILED_PRECONDITION from the version check) waits for the
// teacher to choose between the server's version and theirs; a refusal stays visible with the
// server's message until dismissed. The queue survives closing the app and is flushed on start.
// The rules themselves are pure and unit-tested in outbox.ts; this layer sits on top of api.ts.
import { Code, ConnectError } from "@connectrpc/connect";
import { create, fromJson, toJson, type DescMessage, type DescService, type JsonObject, type JsonValue, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { DiagnosticsService, ItemAnswerSchema, type ItemAnswer, type SaveAnswerResponse } from "./gen/nms/v1/diagnostics_pb";
import { RouteItemSchema, RouteSchema, RouteService } from "./gen/nms/v1/route_pb";
import { MentoringMeetingSchema, MentoringPairSchema, MentoringService, MentorProfileSchema } from "./gen/nms/v1/mentoring_pb";
import { DirectoryService, PersonSchema } from "./gen/nms/v1/directory_pb";
import { api, isNetworkError, requestId } from "./api";
import { add, all, remove, update, QUEUE } from "./db";
import { remember } from "./cache";
import { backoffMs, classify, followVersion, keepMine, rebase, sendable, versionIn, versionOf, withVersion, type WriteEntry } from "./outbox";

export type { WriteEntry } from "./outbox";

export interface QueuedAnswer {
  seq?: number;
  kind?: undefined;
  session: string;
  itemId: string;
  answer: JsonValue;
  requestId: string;
  givenAt: number;
}

type Row = QueuedAnswer | WriteEntry;
const isWrite = (r: Row): r is WriteEntry => r.kind === "write";

export interface Rejected {
  session: string;
  itemId: string;
  message: string;
  at: number;
}

export interface QueueState {
  /** Answers and writes waiting to be sent. */
  pending: number;
  /** Of which test answers. */
  answers: number;
  sending: boolean;
  /** The last attempt failed for lack of network; the queue retries on its own. */
  waitingForNetwork: boolean;
  /** Answers the server refused for good (shown by the test screen). */
  rejected: Rejected[];
  /** Writes waiting for the teacher: stale-version conflicts and refusals. */
  problems: WriteEntry[];
  /** Writes still to be sent, oldest first (for "waiting to be sent" marks on the screens). */
  writes: WriteEntry[];
}

const REJECTED_KEY = "nms.m.rejectedAnswers";
const state: QueueState = { pending: 0, answers: 0, sending: false, waitingForNetwork: false, rejected: loadRejected(), problems: [], writes: [] };
const listeners = new Set<(s: QueueState) => void>();
const savedListeners = new Set<(session: string, r: SaveAnswerResponse) => void>();
const sentListeners = new Set<(e: WriteEntry, response: unknown) => void>();

function loadRejected(): Rejected[] {
  try {
    return JSON.parse(localStorage.getItem(REJECTED_KEY) ?? "[]") as Rejected[];
  } catch {
    return [];
  }
}

function snapshot(): QueueState {
  return { ...state, rejected: [...state.rejected], problems: [...state.problems], writes: [...state.writes] };
}

function emit() {
  const s = snapshot();
  for (const f of listeners) f(s);
}

async function recount(rows?: Row[]): Promise<Row[]> {
  rows ??= await all<Row>(QUEUE);
  const writes = rows.filter(isWrite);
  state.pending = rows.filter((r) => !isWrite(r) || r.state === "pending").length;
  state.answers = rows.filter((r) => !isWrite(r)).length;
  state.problems = writes.filter((w) => w.state !== "pending");
  state.writes = writes.filter((w) => w.state === "pending");
  return rows;
}

/** Subscribes to queue state changes; returns the unsubscribe function. Calls back at once. */
export function onQueueChange(f: (s: QueueState) => void): () => void {
  listeners.add(f);
  f(snapshot());
  return () => listeners.delete(f);
}

/** Subscribes to answers the server has stored (with the session's new counters and clock). */
export function onSaved(f: (session: string, r: SaveAnswerResponse) => void): () => void {
  savedListeners.add(f);
  return () => savedListeners.delete(f);
}

/** Subscribes to queued writes the server has accepted (with its answer message). */
export function onWriteSent(f: (e: WriteEntry, response: unknown) => void): () => void {
  sentListeners.add(f);
  return () => sentListeners.delete(f);
}

export function queueState(): QueueState {
  return snapshot();
}

/** Queued answers of one session (or all), oldest first. */
export async function pendingAnswers(session?: string): Promise<{ itemId: string; answer: ItemAnswer }[]> {
  const rows = (await all<Row>(QUEUE)).filter((r): r is QueuedAnswer => !isWrite(r));
  return rows.filter((r) => !session || r.session === session).map((r) => ({ itemId: r.itemId, answer: fromJson(ItemAnswerSchema, r.answer) }));
}

/** Stores an answer durably and starts sending. Resolves once it is safe on the phone. */
export async function enqueueAnswer(session: string, answer: ItemAnswer): Promise<void> {
  await add<QueuedAnswer>(QUEUE, { session, itemId: answer.itemId, answer: toJson(ItemAnswerSchema, answer), requestId: requestId(), givenAt: Date.now() });
  await recount();
  emit();
  void flush();
}

export function dismissRejected(): void {
  state.rejected = [];
  localStorage.removeItem(REJECTED_KEY);
  emit();
}

// ---------------------------------------------------------------- writes

const services: Record<string, DescService> = { route: RouteService, mentoring: MentoringService, diagnostics: DiagnosticsService, directory: DirectoryService };

type AnyClient = Record<string, (req: unknown) => Promise<unknown>>;
function client(service: string): AnyClient | undefined {
  return (api as unknown as Record<string, AnyClient | undefined>)[service];
}

function methodOf(service: string, method: string) {
  const m = services[service]?.method[method];
  if (!m) throw new Error(`unknown method ${service}.${method}`);
  return m;
}

export interface WriteSpec {
  service: "route" | "mentoring" | "diagnostics" | "directory";
  method: string;
  /** The request without request_id (the queue makes the key). */
  request: Record<string, unknown>;
  target: string;
  /** "version", "meeting.version", …; omit for creates. */
  versionPath?: string;
  label: string;
  subject?: string;
  cacheKey?: string;
}

export type WriteResult =
  | { status: "sent"; response: unknown }
  | { status: "queued"; seq?: number }
  | { status: "conflict"; message: string }
  | { status: "refused"; error: ConnectError };

const waiters = new Map<number, (r: WriteResult) => void>();
/** "target@version" → the version this phone's own write turned it into (see followVersion). */
const ownVersions = new Map<string, string>();

/**
 * Queues a write durably and, online, sends it (after anything queued before it). Resolves with
 * the server's answer, or "queued" (kept on the phone, sent when the network returns), or
 * "conflict" (the teacher chooses on the changes screen), or "refused" with the server's error —
 * a refusal seen at once is not kept: the form still holds what the teacher typed.
 */
export async function write(spec: WriteSpec): Promise<WriteResult> {
  const m = methodOf(spec.service, spec.method);
  const key = requestId();
  let request = toJson(m.input, create(m.input, { ...spec.request, requestId: key } as MessageInitShape<DescMessage>)) as JsonObject;
  const versionPath = spec.versionPath ?? "";
  // A screen opened before its own earlier write was sent still holds the old version.
  if (versionPath) {
    const v = versionOf(request, versionPath);
    const newest = followVersion(ownVersions, spec.target, v);
    if (newest !== v) request = withVersion(request, versionPath, newest);
  }
  const entry: WriteEntry = {
    kind: "write",
    service: spec.service,
    method: spec.method,
    request,
    requestId: key,
    target: spec.target,
    versionPath,
    queuedVersion: versionOf(request, versionPath),
    label: spec.label,
    subject: spec.subject,
    cacheKey: spec.cacheKey,
    createdAt: Date.now(),
    state: "pending",
    attempts: 0,
  };
  entry.seq = await add<WriteEntry>(QUEUE, entry);
  await recount();
  emit();
  if (!navigator.onLine) {
    void flush();
    return { status: "queued", seq: entry.seq };
  }
  const outcome = new Promise<WriteResult>((resolve) => waiters.set(entry.seq!, resolve));
  void flush();
  return outcome;
}

/** Remembers the server's copy of the target from a write's answer, so offline screens show it. */
async function cacheAnswer(e: WriteEntry, out: DescMessage, response: unknown): Promise<void> {
  if (!e.cacheKey) return;
  for (const f of out.fields) {
    if (f.fieldKind !== "message") continue;
    const v = (response as Record<string, unknown>)[f.localName] as { name?: string } | undefined;
    if (v && v.name === e.target) await remember(f.message, e.cacheKey, v as MessageShape<DescMessage>);
  }
}

async function sendWrite(row: WriteEntry, rows: Row[]): Promise<"sent" | "retry" | "blocked"> {
  const m = methodOf(row.service, row.method);
  const c = client(row.service);
  const waiter = waiters.get(row.seq!);
  try {
    if (!c) throw new ConnectError("Это действие пока недоступно в приложении", Code.Unimplemented);
    const response = await c[row.method](fromJson(m.input, row.request));
    await remove(QUEUE, row.seq!);
    const to = versionIn(toJson(m.output, response as MessageShape<DescMessage>), row.target);
    if (to && row.versionPath) ownVersions.set(`${row.target}@${row.queuedVersion}`, to);
    for (const e of rebase(rows.filter(isWrite), row, to)) await update(QUEUE, e);
    await cacheAnswer(row, m.output, response).catch(() => {});
    waiters.delete(row.seq!);
    waiter?.({ status: "sent", response });
    for (const f of sentListeners) f(row, response);
    return "sent";
  } catch (e) {
    const err = ConnectError.from(e);
    const outcome = classify(err.code, err.rawMessage, isNetworkError(e));
    if (outcome === "retry") {
      row.attempts++;
      await update(QUEUE, row);
      return "retry";
    }
    waiters.delete(row.seq!);
    if (outcome === "refused" && waiter) {
      await remove(QUEUE, row.seq!);
      waiter({ status: "refused", error: err });
      return "blocked";
    }
    row.state = outcome;
    row.message = err.rawMessage || String(err.code);
    await update(QUEUE, row);
    waiter?.(outcome === "conflict" ? { status: "conflict", message: row.message } : { status: "refused", error: err });
    return "blocked";
  }
}

async function sendAnswer(row: QueuedAnswer): Promise<"sent" | "retry" | "blocked"> {
  try {
    const r = await api.diagnostics.saveAnswer({ session: row.session, answer: fromJson(ItemAnswerSchema, row.answer), version: 0n, requestId: row.requestId });
    await remove(QUEUE, row.seq!);
    for (const f of savedListeners) f(row.session, r);
    return "sent";
  } catch (e) {
    const err = ConnectError.from(e);
    if (classify(err.code, err.rawMessage, isNetworkError(e)) === "retry") return "retry";
    // Refused for good (time is up, submitted elsewhere): tell the teacher, never block the rest.
    state.rejected.push({ session: row.session, itemId: row.itemId, message: err.rawMessage || String(err.code), at: Date.now() });
    localStorage.setItem(REJECTED_KEY, JSON.stringify(state.rejected.slice(-20)));
    await remove(QUEUE, row.seq!);
    return "blocked";
  }
}

let flushing: Promise<void> | null = null;
let again = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let attempt = 0;

function scheduleRetry() {
  clearTimeout(retryTimer);
  attempt++;
  retryTimer = setTimeout(() => void flush(), backoffMs(attempt, Math.random()));
}

function settleWaiters() {
  for (const [seq, w] of waiters) {
    waiters.delete(seq);
    w({ status: "queued", seq });
  }
}

/** Sends queued answers and writes in order until none can be sent or the network fails. */
export function flush(): Promise<void> {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    try {
      do {
        again = false;
        const rows = await recount();
        const todo = sendable(rows);
        if (!todo.length) break;
        state.sending = true;
        emit();
        const blocked = new Set<string>();
        for (const row of todo) {
          if (isWrite(row) && blocked.has(row.target)) continue;
          const r = isWrite(row) ? await sendWrite(row, rows) : await sendAnswer(row);
          if (r === "retry") {
            state.waitingForNetwork = true;
            scheduleRetry();
            return;
          }
          if (r === "blocked" && isWrite(row)) blocked.add(row.target);
          state.waitingForNetwork = false;
          attempt = 0;
          await recount();
          emit();
        }
      } while (again);
    } finally {
      state.sending = false;
      flushing = null;
      settleWaiters();
      await recount().catch(() => []);
      emit();
    }
  })();
  return flushing;
}

/** Resolves when nothing of the session is left in the queue; false if the network is gone. */
export async function drained(session: string): Promise<boolean> {
  await flush();
  return (await pendingAnswers(session)).length === 0;
}

// ---------------------------------------------------------------- the teacher's decisions

type Getter = (name: string) => Promise<{ schema: DescMessage; msg: unknown }>;
const getters: [RegExp, Getter][] = [
  [/^routes\/[^/]+\/items\/[^/]+$/, async (name) => ({ schema: RouteItemSchema, msg: (await api.route.getRouteItem({ name })).item })],
  [/^routes\/[^/]+$/, async (name) => ({ schema: RouteSchema, msg: (await api.route.getRoute({ name })).route })],
  [/^mentoringPairs\/[^/]+\/meetings\/[^/]+$/, async (name) => ({ schema: MentoringMeetingSchema, msg: (await api.mentoring.getMentoringMeeting({ name })).meeting })],
  [/^mentoringPairs\/[^/]+$/, async (name) => ({ schema: MentoringPairSchema, msg: (await api.mentoring.getMentoringPair({ name })).pair })],
  [/^mentorProfiles\/[^/]+$/, async (name) => ({ schema: MentorProfileSchema, msg: (await api.mentoring.getMentorProfile({ name })).profile })],
  [/^people\/[^/]+$/, async (name) => ({ schema: PersonSchema, msg: await (client("directory")?.getPerson({ name }) as Promise<unknown>) })],
];

/** The server's current copy of a write's target, as proto3 JSON (null if it has none). */
export async function theirs(e: WriteEntry): Promise<JsonObject | null> {
  const g = getters.find(([re]) => re.test(e.target));
  if (!g) return null;
  const { schema, msg } = await g[1](e.target);
  if (!msg) return null;
  if (e.cacheKey) await remember(schema, e.cacheKey, msg as MessageShape<DescMessage>).catch(() => {});
  return toJson(schema, msg as MessageShape<DescMessage>, { alwaysEmitImplicit: true }) as JsonObject;
}

async function entry(seq: number): Promise<WriteEntry | undefined> {
  return (await all<Row>(QUEUE)).find((r): r is WriteEntry => isWrite(r) && r.seq === seq);
}

/** "Keep mine": the write is sent again against the server's current version. */
export async function resolveKeepMine(seq: number, current: JsonObject): Promise<void> {
  const e = await entry(seq);
  if (!e) return;
  await update(QUEUE, keepMine(e, String(current.version ?? ""), requestId()));
  await recount();
  emit();
  await flush();
}

/** "Take theirs" (or "understood" for a refusal): the write is dropped from the phone. */
export async function dropWrite(seq: number): Promise<void> {
  await remove(QUEUE, seq);
  await recount();
  emit();
}

/** Sends what the queue holds (the app's start, a manual retry). */
export async function start(): Promise<void> {
  await recount().catch(() => []);
  emit();
  await flush();
}

window.addEventListener("online", () => {
  attempt = 0;
  void flush();
});
