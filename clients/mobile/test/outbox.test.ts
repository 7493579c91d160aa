// Unit tests of the offline queue's pure rules (src/outbox.ts): what a failed call means, backoff,
// order per target, versions followed by queued writes, keep-mine, the texts and the side-by-side
// rows of a conflict. Bundled for Node by `npm test` next to logic.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Code } from "@connectrpc/connect";
import { plural } from "../../shared/plural";
import { backoffMs, classify, conflictRows, followVersion, keepMine, pendingText, pluralRu, problemText, rebase, sendable, syncLine, versionIn, versionOf, type WriteEntry } from "../src/outbox";

function entry(seq: number, over: Partial<WriteEntry> = {}): WriteEntry {
  return {
    seq,
    kind: "write",
    service: "route",
    method: "submitRouteItemReflection",
    request: { name: "routes/7/items/3", version: "4", reflectiveReport: `отчёт ${seq}`, requestId: `k${seq}` },
    requestId: `k${seq}`,
    target: "routes/7/items/3",
    versionPath: "version",
    queuedVersion: "4",
    label: `запись ${seq}`,
    createdAt: seq,
    state: "pending",
    attempts: 0,
    ...over,
  };
}

test("classify: no network and transient codes (ABORTED included) are retried; a stale version is a conflict; the rest is a refusal", () => {
  assert.equal(classify(Code.Unknown, "Failed to fetch", true), "retry");
  for (const c of [Code.Unavailable, Code.DeadlineExceeded, Code.Aborted, Code.ResourceExhausted, Code.Unauthenticated]) assert.equal(classify(c, "", false), "retry", Code[c]);
  assert.equal(classify(Code.FailedPrecondition, "Объект уже изменён другим пользователем (текущая версия 5, ваша 4); обновите данные и повторите изменение", false), "conflict");
  assert.equal(classify(Code.FailedPrecondition, "Отмечать выполнение можно только в маршруте, который выполняется", false), "refused");
  assert.equal(classify(Code.InvalidArgument, "Поле reflective_report слишком длинное", false), "refused");
  assert.equal(classify(Code.PermissionDenied, "Недостаточно прав", false), "refused");
});

test("backoff doubles from 2 s up to a minute, with bounded jitter", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map((a) => backoffMs(a, 0.5)), [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  assert.equal(backoffMs(1, 0), 1600);
  assert.equal(backoffMs(1, 1), 2400);
});

test("pending count texts agree in number (Intl.PluralRules)", () => {
  assert.deepEqual([1, 2, 5, 11, 21, 22].map(pendingText), [
    "1 изменение ждёт отправки",
    "2 изменения ждут отправки",
    "5 изменений ждут отправки",
    "11 изменений ждут отправки",
    "21 изменение ждёт отправки",
    "22 изменения ждут отправки",
  ]);
  assert.equal(problemText(1), "1 изменение требует решения");
  assert.equal(problemText(3), "3 изменения требуют решения");
  for (const n of [0, 1, 2, 3, 4, 5, 11, 12, 14, 21, 101, 111, 1000]) assert.equal(pluralRu(n, "день", "дня", "дней"), plural(n, "день", "дня", "дней"), String(n));
});

test("sync bar: one line; offline with a count; no 'no network' once online; problems win the colour", () => {
  assert.deepEqual(syncLine({ online: true, pending: 0, problems: 0, sending: false }), { kind: "", text: "" });
  assert.deepEqual(syncLine({ online: false, pending: 0, problems: 0, sending: false }), { kind: "off", text: "Нет сети" });
  assert.deepEqual(syncLine({ online: false, pending: 2, problems: 0, sending: false }), { kind: "off", text: "Нет сети · 2 изменения ждут отправки" });
  assert.deepEqual(syncLine({ online: true, pending: 2, problems: 0, sending: true }), { kind: "sending", text: "Отправка: 2 изменения ждут отправки" });
  assert.deepEqual(syncLine({ online: true, pending: 0, problems: 1, sending: false }), { kind: "problem", text: "1 изменение требует решения" });
});

test("sendable: in the teacher's order; a conflict or refusal holds back later writes to the same target only", () => {
  const rows = [entry(3), entry(1, { state: "conflict" }), entry(2, { target: "routes/7/items/9" }), entry(4, { target: "mentoringPairs/2" })];
  assert.deepEqual(sendable(rows).map((e) => e.seq), [2, 4]);
  assert.deepEqual(sendable([entry(2), entry(1)]).map((e) => e.seq), [1, 2]);
  // Answers (no target, no state) always go.
  assert.equal(sendable([{ seq: 1 }, entry(2, { state: "refused" })]).length, 1);
});

test("rebase: writes queued on top of a sent one follow its new version; other targets and older bases stay", () => {
  const first = entry(1);
  const second = entry(2);
  const other = entry(3, { target: "routes/7/items/9" });
  const older = entry(4, { request: { name: "routes/7/items/3", version: "2", requestId: "k4" }, queuedVersion: "2" });
  const changed = rebase([first, second, other, older], first, "5");
  assert.deepEqual(changed.map((e) => e.seq), [2]);
  assert.equal(second.request.version, "5");
  assert.equal(second.queuedVersion, "5");
  assert.equal(second.requestId, "k2", "the idempotency key stays with the write");
  assert.equal(other.request.version, "4");
  // Nested versions (UpdateMentoringMeeting.meeting.version).
  const m1 = entry(5, { target: "mentoringPairs/1/meetings/2", versionPath: "meeting.version", request: { meeting: { name: "mentoringPairs/1/meetings/2", version: "1" } }, queuedVersion: "1" });
  const m2 = entry(6, { target: "mentoringPairs/1/meetings/2", versionPath: "meeting.version", request: { meeting: { name: "mentoringPairs/1/meetings/2", version: "1", notes: "b" } }, queuedVersion: "1" });
  rebase([m1, m2], m1, "2");
  assert.equal(versionOf(m2.request, "meeting.version"), "2");
  assert.equal((m1.request.meeting as { version: string }).version, "1");
});

test("versionIn finds the target's version in a write's answer", () => {
  assert.equal(versionIn({ item: { name: "routes/7/items/3", version: "5" } }, "routes/7/items/3"), "5");
  assert.equal(versionIn({ item: { name: "routes/7/items/4", version: "5" } }, "routes/7/items/3"), "");
  assert.equal(versionIn({}, "x"), "");
});

test("keep mine: the same change against the server's version, under a new key; the original stays untouched", () => {
  const e = entry(1, { state: "conflict", message: "Объект уже изменён", attempts: 3 });
  const again = keepMine(e, "9", "new-key");
  assert.equal(again.request.version, "9");
  assert.equal(again.request.requestId, "new-key");
  assert.equal(again.requestId, "new-key");
  assert.equal(again.request.reflectiveReport, "отчёт 1");
  assert.equal(again.state, "pending");
  assert.equal(again.attempts, 0);
  assert.equal(e.request.version, "4");
  assert.equal(e.request.requestId, "k1");
});

test("conflict rows: theirs and mine side by side in Russian", () => {
  assert.deepEqual(conflictRows(entry(1), { reflectiveReport: "Их отчёт" }), [{ label: "Рефлексивный отчёт", theirs: "Их отчёт", mine: "отчёт 1" }]);
  assert.deepEqual(conflictRows(entry(1, { method: "updateRouteItemStatus", request: { status: "ROUTE_ITEM_STATUS_DONE", version: "4" } }), { status: "ROUTE_ITEM_STATUS_SKIPPED" }), [
    { label: "Статус мероприятия", theirs: "пропущено", mine: "выполнено" },
  ]);
  const ev = conflictRows(entry(1, { method: "addRouteItemEvidence", request: { evidence: { certificateNumber: "77" } } }), { evidence: [{ url: "https://x.ru" }] });
  assert.deepEqual(ev, [{ label: "Подтверждения", theirs: "https://x.ru", mine: "https://x.ru; + Удостоверение № 77" }]);
  const notes = conflictRows(entry(1, { method: "updateMentoringMeeting", request: { meeting: { notes: "мои", held: true }, updateMask: "notes,held" } }), { notes: "их", held: false });
  assert.deepEqual(notes.map((r) => [r.theirs, r.mine]), [["их", "мои"], ["нет", "да"]]);
  const person = conflictRows(entry(1, { method: "updatePerson", request: { person: { email: "a@b.ru", phone: "+7900" }, updateMask: "email,phone" } }), { email: "c@d.ru" });
  assert.deepEqual(person, [{ label: "Электронная почта", theirs: "c@d.ru", mine: "a@b.ru" }, { label: "Телефон", theirs: "—", mine: "+7900" }]);
});

test("a refused create keeps what the teacher typed readable", () => {
  const e = entry(1, { method: "createMentoringMeeting", request: { parent: "mentoringPairs/2", meeting: { topic: "Второй разбор", notes: "" } } });
  assert.deepEqual(conflictRows(e, {}).map((r) => [r.label, r.mine]), [["Тема встречи", "Второй разбор"], ["Заметки", "—"]]);
});

test("followVersion: a screen holding the version before its own sent writes moves on to the newest; others' versions are not followed", () => {
  const chain = new Map([["routes/7/items/3@1", "2"], ["routes/7/items/3@2", "3"]]);
  assert.equal(followVersion(chain, "routes/7/items/3", "1"), "3");
  assert.equal(followVersion(chain, "routes/7/items/3", "3"), "3");
  assert.equal(followVersion(chain, "routes/7/items/4", "1"), "1");
  assert.equal(followVersion(new Map([["x@1", "2"], ["x@2", "1"]]), "x", "1"), "1", "a cycle ends");
});
