// Pure rules of the offline queue of a teacher's writes (no DOM, no IndexedDB, no network), so they
// are unit-tested in Node: what a failed call means for the queued write, the backoff between
// retries, which queued writes may be sent now and in what order, how a write queued against a
// version follows the versions its predecessors produced, and the Russian texts of the queue.
import { plural } from "../../shared/plural";
import { Code } from "@connectrpc/connect";
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/** One write waiting on the phone (stored as is in IndexedDB). */
export interface WriteEntry {
  seq?: number;
  kind: "write";
  /** Key of the typed client in `api` ("route", "mentoring", …) and the method's local name. */
  service: string;
  method: string;
  /** The request in the proto3 JSON mapping, request_id included. */
  request: JsonObject;
  /** Idempotency key, made once when the teacher acted; a new one only for a changed request. */
  requestId: string;
  /** Resource the write changes (its version is checked) or belongs to (creates): sent in order per target. */
  target: string;
  /** Where the version sits in the request ("version", "meeting.version"); empty = not versioned. */
  versionPath: string;
  /** The version the write was queued against (proto3 JSON: a string). */
  queuedVersion: string;
  /** What the teacher did, in Russian, e.g. "Статус «выполнено»". */
  label: string;
  /** What it was done to, e.g. the item's title or the other side of the pair. */
  subject?: string;
  /** Offline copy to refresh with the server's answer (cache key), if any. */
  cacheKey?: string;
  createdAt: number;
  state: "pending" | "conflict" | "refused";
  /** The server's message for a conflict or a refusal. */
  message?: string;
  attempts: number;
}

/** What a failed attempt means for the write. */
export type Outcome = "retry" | "conflict" | "refused";

/** A stale version: FAILED_PRECONDITION from the server's version check (server/services/scope.cc). */
export function isVersionConflict(code: Code, message: string): boolean {
  return code === Code.FailedPrecondition && /изменён другим пользователем|текущая версия/i.test(message);
}

/**
 * Transient failures are retried with backoff: no network, server or proxy down, deadline,
 * ABORTED (a concurrent transaction lost: "try again"), overload, and a session that must be
 * renewed first (the teacher signs in again; nothing is dropped). Everything else the server says
 * about the request itself is a refusal, except a stale version, which the teacher resolves.
 */
export function classify(code: Code, message: string, network: boolean): Outcome {
  if (network) return "retry";
  switch (code) {
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Aborted:
    case Code.ResourceExhausted:
    case Code.Unauthenticated:
    case Code.Internal:
    case Code.Canceled:
      return "retry";
    default:
      return isVersionConflict(code, message) ? "conflict" : "refused";
  }
}

/** Delay before retry `attempt` (1, 2, …): 2 s doubling up to a minute, with ±20 % jitter from `rnd`. */
export function backoffMs(attempt: number, rnd = 0.5): number {
  const base = Math.min(2000 * 2 ** Math.max(0, attempt - 1), 60000);
  return Math.round(base * (0.8 + 0.4 * rnd));
}

const rules = new Intl.PluralRules("ru-RU");
/** Russian agreement through Intl.PluralRules: forms for one / few / many. */
// The app's one plural helper (text.ts), re-exported under the name the queue's texts use.
export const pluralRu = plural;

/** "1 изменение ждёт отправки", "2 изменения ждут отправки", "5 изменений ждут отправки". */
export function pendingText(n: number): string {
  return `${pluralRu(n, "изменение", "изменения", "изменений")} ${rules.select(n) === "one" ? "ждёт" : "ждут"} отправки`;
}

/** "1 изменение не принято", "2 изменения не приняты". */
export function problemText(n: number): string {
  return `${pluralRu(n, "изменение", "изменения", "изменений")} ${rules.select(n) === "one" ? "требует" : "требуют"} решения`;
}

/** The line of the app's sync bar: one state at a time, never two contradicting ones. */
export function syncLine(s: { online: boolean; pending: number; problems: number; sending: boolean }): { kind: "off" | "problem" | "sending" | "wait" | ""; text: string } {
  const parts: string[] = [];
  if (!s.online) parts.push("Нет сети");
  if (s.pending) parts.push(pendingText(s.pending));
  if (s.problems) parts.push(problemText(s.problems));
  const kind = s.problems ? "problem" : !s.online ? "off" : s.pending ? (s.sending ? "sending" : "wait") : "";
  if (s.online && s.pending && s.sending) parts[0] = `Отправка: ${parts[0]}`;
  return { kind, text: parts.join(" · ") };
}

/**
 * The writes to send now, in the order the teacher made them: those waiting for a decision
 * (conflict, refusal) are skipped, and so is every later write to the same target (it was made
 * on top of the blocked one and must not overtake it).
 */
export function sendable<T extends { seq?: number; target?: string; state?: string }>(entries: T[]): T[] {
  const blocked = new Set<string>();
  const out: T[] = [];
  for (const e of [...entries].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))) {
    const st = e.state ?? "pending";
    if (st !== "pending") {
      if (e.target) blocked.add(e.target);
      continue;
    }
    if (e.target && blocked.has(e.target)) continue;
    out.push(e);
  }
  return out;
}

function at(obj: JsonObject, path: string): { parent: JsonObject; key: string } | null {
  const keys = path.split(".");
  let cur: JsonObject = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (!next || typeof next !== "object" || Array.isArray(next)) return null;
    cur = next as JsonObject;
  }
  return { parent: cur, key: keys[keys.length - 1] };
}

/** The version in a request (proto3 JSON int64 = string; "" when absent). */
export function versionOf(request: JsonObject, path: string): string {
  if (!path) return "";
  const p = at(request, path);
  const v = p ? p.parent[p.key] : undefined;
  return v === undefined || v === null ? "" : String(v);
}

/** A copy of the request with another version. */
export function withVersion(request: JsonObject, path: string, version: string): JsonObject {
  const copy = JSON.parse(JSON.stringify(request)) as JsonObject;
  const p = at(copy, path);
  if (p) p.parent[p.key] = version;
  return copy;
}

/**
 * After a write to `target` queued against `from` was stored as version `to`, the later writes
 * the teacher queued on top of it (same target, same base version) move on to `to`: they were
 * made on the phone's view that already included the earlier one. Returns the entries changed.
 */
export function rebase(entries: WriteEntry[], sent: WriteEntry, to: string): WriteEntry[] {
  const changed: WriteEntry[] = [];
  if (!sent.versionPath || !to) return changed;
  for (const e of entries) {
    if (e === sent || e.seq === sent.seq || e.target !== sent.target || !e.versionPath || e.state !== "pending") continue;
    if ((e.seq ?? 0) < (sent.seq ?? 0)) continue;
    if (versionOf(e.request, e.versionPath) !== sent.queuedVersion) continue;
    e.request = withVersion(e.request, e.versionPath, to);
    e.queuedVersion = to;
    changed.push(e);
  }
  return changed;
}

/**
 * The teacher's own writes move a resource on from the version a screen still holds: `chain`
 * maps "target@old" to the version the write produced. A new write made on that screen follows
 * the chain to the newest version the phone itself produced — never past a change by someone else,
 * which stays a conflict for the teacher to see.
 */
export function followVersion(chain: Map<string, string>, target: string, version: string): string {
  const seen = new Set<string>();
  let v = version;
  while (chain.has(`${target}@${v}`) && !seen.has(v)) {
    seen.add(v);
    v = chain.get(`${target}@${v}`)!;
  }
  return v;
}

/** The version of `target` in a response (a top-level message field with that name), or "". */
export function versionIn(response: JsonValue, target: string): string {
  if (!response || typeof response !== "object" || Array.isArray(response)) return "";
  for (const v of Object.values(response)) {
    if (v && typeof v === "object" && !Array.isArray(v) && (v as JsonObject).name === target && (v as JsonObject).version !== undefined) {
      return String((v as JsonObject).version);
    }
  }
  return "";
}

/** "Keep mine": the write again against the server's current version, under a new key (it is a new request). */
export function keepMine(e: WriteEntry, theirsVersion: string, newRequestId: string): WriteEntry {
  const request = withVersion(e.request, e.versionPath, theirsVersion);
  request.requestId = newRequestId;
  return { ...e, request, requestId: newRequestId, queuedVersion: theirsVersion, state: "pending", message: undefined, attempts: 0 };
}

// ---------------------------------------------------------------- conflicts, side by side

const itemStatus: Record<string, string> = {
  ROUTE_ITEM_STATUS_PLANNED: "запланировано",
  ROUTE_ITEM_STATUS_IN_PROGRESS: "в работе",
  ROUTE_ITEM_STATUS_DONE: "выполнено",
  ROUTE_ITEM_STATUS_SKIPPED: "пропущено",
};
const enrolment: Record<string, string> = {
  ENROLMENT_STATUS_APPLIED: "заявка подана",
  ENROLMENT_STATUS_APPROVED: "заявка одобрена",
  ENROLMENT_STATUS_ENROLLED: "зачислен(а)",
  ENROLMENT_STATUS_WITHDRAWN: "заявка отозвана",
  ENROLMENT_STATUS_REJECTED: "заявка отклонена",
};
const pairStatus: Record<string, string> = {
  MENTORING_PAIR_STATUS_PROPOSED: "предложена",
  MENTORING_PAIR_STATUS_ACTIVE: "работает",
  MENTORING_PAIR_STATUS_REJECTED: "отклонена",
  MENTORING_PAIR_STATUS_COMPLETED: "завершена",
  MENTORING_PAIR_STATUS_CANCELLED: "отменена",
};

/** "Статус «выполнено» — Вебинар …" (the changes screen lists writes of every screen). */
export function entryTitle(e: { label: string; subject?: string }): string {
  return e.subject ? `${e.label} — ${e.subject}` : e.label;
}

export interface ConflictRow {
  label: string;
  theirs: string;
  mine: string;
}

const str = (v: JsonValue | undefined): string => (v === undefined || v === null ? "" : String(v));
const obj = (v: JsonValue | undefined): JsonObject => (v && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : {});
const list = (v: JsonValue | undefined): JsonObject[] => (Array.isArray(v) ? v.map(obj) : []);
const none = "—";

function evidenceText(e: JsonObject): string {
  return [e.certificateNumber ? `Удостоверение № ${str(e.certificateNumber)}` : "", str(e.url), str(e.description)].filter(Boolean).join(", ") || none;
}

/**
 * What the server holds now ("theirs", the proto3 JSON of the target) against what the teacher
 * queued ("mine"), field by field in Russian, for the fields the write changes.
 */
export function conflictRows(e: WriteEntry, theirs: JsonObject): ConflictRow[] {
  const r = e.request;
  switch (e.method) {
    case "updateRouteItemStatus": {
      const rows = [{ label: "Статус мероприятия", theirs: itemStatus[str(theirs.status)] ?? none, mine: itemStatus[str(r.status)] ?? none }];
      if (r.skipReason) rows.push({ label: "Причина пропуска", theirs: str(theirs.skipReason) || none, mine: str(r.skipReason) });
      return rows;
    }
    case "addRouteItemEvidence": {
      const have = list(theirs.evidence).map(evidenceText);
      return [{ label: "Подтверждения", theirs: have.length ? have.join("; ") : "нет", mine: `${have.length ? `${have.join("; ")}; ` : ""}+ ${evidenceText(obj(r.evidence))}` }];
    }
    case "submitRouteItemReflection":
      return [{ label: "Рефлексивный отчёт", theirs: str(theirs.reflectiveReport) || "не написан", mine: str(r.reflectiveReport) }];
    case "applyRouteItemEnrolment":
    case "withdrawRouteItemEnrolment":
      return [{ label: "Запись на курс", theirs: enrolment[str(obj(theirs.enrolment).status)] ?? "заявка не подана", mine: e.method === "applyRouteItemEnrolment" ? "подать заявку" : "отозвать заявку" }];
    case "updateMentoringMeeting": {
      const m = obj(r.meeting);
      return [
        { label: "Заметки о встрече", theirs: str(theirs.notes) || "нет", mine: str(m.notes) || "нет" },
        { label: "Встреча состоялась", theirs: theirs.held ? "да" : "нет", mine: m.held ? "да" : "нет" },
      ];
    }
    case "acceptMentoringPair":
    case "rejectMentoringPair":
      return [{ label: "Пара", theirs: pairStatus[str(theirs.status)] ?? none, mine: e.method === "acceptMentoringPair" ? "принять" : `отклонить: ${str(r.reason)}` }];
    case "updatePerson": {
      const p = obj(r.person);
      const paths = (typeof r.updateMask === "string" ? r.updateMask : "") || Object.keys(p).filter((k) => k !== "name" && k !== "version").join(",");
      const title: Record<string, string> = { email: "Электронная почта", phone: "Телефон" };
      return paths
        .split(",")
        .filter(Boolean)
        .map((k) => ({ label: title[k] ?? k, theirs: str(theirs[k]) || none, mine: str(p[k]) || none }));
    }
    case "updateMentorProfile":
      return [{ label: "Контакты для наставляемых", theirs: str(theirs.sharedContact) || none, mine: str(obj(r.profile).sharedContact) || none }];
    case "createMentoringMeeting": {
      const m = obj(r.meeting);
      return [
        { label: "Тема встречи", theirs: none, mine: str(m.topic) },
        { label: "Заметки", theirs: none, mine: str(m.notes) || none },
      ];
    }
    case "createMentoringFeedback":
      return [{ label: "Отзыв", theirs: none, mine: str(obj(r.feedback).text) || none }];
    case "reportItemProblem":
      return [{ label: "Комментарий", theirs: none, mine: str(r.text) || none }];
    case "createMenteeRequest":
      return [{ label: "Комментарий к заявке", theirs: none, mine: str(obj(r.request).note) || none }];
    default:
      return [{ label: "Изменение", theirs: "изменено на сервере", mine: entryTitle(e) }];
  }
}
