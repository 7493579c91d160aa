// The durable offline queue of test answers. Every answer a teacher gives goes through it, online
// or not: it is written to IndexedDB first, then sent in the order given (SaveAnswer with
// version 0 = last write per item wins, and its request_id makes a replay harmless). With the
// network gone the answers wait on the phone and are sent when it returns; an answer the server
// refuses for good (time is up, the session was submitted elsewhere) is taken out of the queue
// and shown to the teacher instead of being retried forever.
import { Code, ConnectError } from "@connectrpc/connect";
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { ItemAnswerSchema, type ItemAnswer, type SaveAnswerResponse } from "./gen/nms/v1/diagnostics_pb";
import { api, isNetworkError, requestId } from "./api";
import { add, all, remove, QUEUE } from "./db";

export interface QueuedAnswer {
  seq?: number;
  session: string;
  itemId: string;
  answer: JsonValue;
  requestId: string;
  givenAt: number;
}

export interface Rejected {
  session: string;
  itemId: string;
  message: string;
  at: number;
}

export interface QueueState {
  pending: number;
  sending: boolean;
  /** The last attempt failed for lack of network; the queue retries on its own. */
  waitingForNetwork: boolean;
  rejected: Rejected[];
}

const REJECTED_KEY = "nms.m.rejectedAnswers";
const state: QueueState = { pending: 0, sending: false, waitingForNetwork: false, rejected: loadRejected() };
const listeners = new Set<(s: QueueState) => void>();
const savedListeners = new Set<(session: string, r: SaveAnswerResponse) => void>();

function loadRejected(): Rejected[] {
  try {
    return JSON.parse(localStorage.getItem(REJECTED_KEY) ?? "[]") as Rejected[];
  } catch {
    return [];
  }
}

function emit() {
  for (const f of listeners) f({ ...state });
}

/** Subscribes to queue state changes; returns the unsubscribe function. Calls back at once. */
export function onQueueChange(f: (s: QueueState) => void): () => void {
  listeners.add(f);
  f({ ...state });
  return () => listeners.delete(f);
}

/** Subscribes to answers the server has stored (with the session's new counters and clock). */
export function onSaved(f: (session: string, r: SaveAnswerResponse) => void): () => void {
  savedListeners.add(f);
  return () => savedListeners.delete(f);
}

export function queueState(): QueueState {
  return { ...state };
}

/** Queued answers of one session (or all), oldest first. */
export async function pendingAnswers(session?: string): Promise<{ itemId: string; answer: ItemAnswer }[]> {
  const rows = await all<QueuedAnswer>(QUEUE);
  return rows.filter((r) => !session || r.session === session).map((r) => ({ itemId: r.itemId, answer: fromJson(ItemAnswerSchema, r.answer) }));
}

/** Stores an answer durably and starts sending. Resolves once it is safe on the phone. */
export async function enqueueAnswer(session: string, answer: ItemAnswer): Promise<void> {
  await add<QueuedAnswer>(QUEUE, { session, itemId: answer.itemId, answer: toJson(ItemAnswerSchema, answer), requestId: requestId(), givenAt: Date.now() });
  state.pending = (await all(QUEUE)).length;
  emit();
  void flush();
}

export function dismissRejected(): void {
  state.rejected = [];
  localStorage.removeItem(REJECTED_KEY);
  emit();
}

let flushing: Promise<void> | null = null;
let again = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let backoffMs = 2000;

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void flush(), backoffMs);
  backoffMs = Math.min(backoffMs * 2, 60000);
}

/** Sends queued answers in order until the queue is empty or the network fails. */
export function flush(): Promise<void> {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    try {
      do {
        again = false;
        const rows = await all<QueuedAnswer>(QUEUE);
        state.pending = rows.length;
        if (!rows.length) break;
        state.sending = true;
        emit();
        for (const row of rows) {
          try {
            const r = await api.diagnostics.saveAnswer({
              session: row.session,
              answer: fromJson(ItemAnswerSchema, row.answer),
              version: 0n,
              requestId: row.requestId,
            });
            await remove(QUEUE, row.seq!);
            state.pending--;
            state.waitingForNetwork = false;
            backoffMs = 2000;
            for (const f of savedListeners) f(row.session, r);
            emit();
          } catch (e) {
            const code = ConnectError.from(e).code;
            if (isNetworkError(e) || code === Code.Unauthenticated || code === Code.ResourceExhausted || code === Code.Internal) {
              state.waitingForNetwork = true;
              scheduleRetry();
              return;
            }
            // Refused for good: keep the teacher informed, never block the answers behind it.
            state.rejected.push({ session: row.session, itemId: row.itemId, message: ConnectError.from(e).rawMessage || String(code), at: Date.now() });
            localStorage.setItem(REJECTED_KEY, JSON.stringify(state.rejected.slice(-20)));
            await remove(QUEUE, row.seq!);
            state.pending--;
            emit();
          }
        }
      } while (again);
    } finally {
      state.sending = false;
      flushing = null;
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

window.addEventListener("online", () => {
  backoffMs = 2000;
  void flush();
});
