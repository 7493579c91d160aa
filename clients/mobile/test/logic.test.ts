// Unit tests of the app's pure rules (no DOM, no network): notification derivation, deadline
// states, the choice of the current route, Russian plurals, the offline queue's rules. Bundled for Node by `npm test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { DateSchema } from "../src/gen/nms/v1/common_pb";
import { RouteItemStatus, RouteSchema, RouteStatus, RouteStatusChangeSchema, RouteTransition } from "../src/gen/nms/v1/route_pb";
import { CampaignSchema, CampaignState, SessionSchema, SessionState } from "../src/gen/nms/v1/diagnostics_pb";
import { MentoringPairSchema, MentoringPairStatus } from "../src/gen/nms/v1/mentoring_pb";
import { daysUntil, deadlineState, deriveNotifications, itemHref } from "../src/notifications";
import { plural } from "../src/text";
import { pickRoute } from "../src/route_pick";
import { Code } from "@connectrpc/connect";
import { backoffMs, classify, conflictRows, keepMine, pendingText, pluralRu, problemText, rebase, sendable, syncLine, versionIn, versionOf, type WriteEntry } from "../src/outbox";

const d = (year: number, month: number, day: number) => create(DateSchema, { year, month, day });
const today = d(2026, 12, 1);
const ME = "people/5";

test("daysUntil counts calendar days across months and years", () => {
  assert.equal(daysUntil(d(2026, 12, 1), today), 0);
  assert.equal(daysUntil(d(2026, 12, 15), today), 14);
  assert.equal(daysUntil(d(2027, 1, 1), today), 31);
  assert.equal(daysUntil(d(2026, 11, 30), today), -1);
});

test("deadlineState: overdue before today, soon within 14 days inclusive, later after, none without a date", () => {
  assert.equal(deadlineState(d(2026, 11, 30), today), "overdue");
  assert.equal(deadlineState(d(2026, 12, 1), today), "soon");
  assert.equal(deadlineState(d(2026, 12, 15), today), "soon");
  assert.equal(deadlineState(d(2026, 12, 16), today), "later");
  assert.equal(deadlineState(undefined, today), "none");
  assert.equal(deadlineState(d(0, 0, 0), today), "none");
});

function route(status: RouteStatus, items: { deadline?: ReturnType<typeof d>; status: RouteItemStatus; id: number }[]) {
  return create(RouteSchema, {
    name: "routes/7",
    person: ME,
    status,
    items: items.map((i) => ({ name: `routes/7/items/${i.id}`, title: `Мероприятие ${i.id}`, deadline: i.deadline, status: i.status })),
  });
}

test("deadline notifications: open items overdue or within 14 days, most urgent first; closed items and draft routes are quiet", () => {
  const r = route(RouteStatus.IN_PROGRESS, [
    { id: 1, deadline: d(2026, 12, 10), status: RouteItemStatus.PLANNED },
    { id: 2, deadline: d(2026, 11, 20), status: RouteItemStatus.IN_PROGRESS },
    { id: 3, deadline: d(2026, 12, 2), status: RouteItemStatus.DONE },
    { id: 4, deadline: d(2027, 2, 1), status: RouteItemStatus.PLANNED },
    { id: 5, deadline: d(2026, 12, 2), status: RouteItemStatus.SKIPPED },
  ]);
  const n = deriveNotifications({ me: ME, today, nowMs: 0, route: r });
  assert.deepEqual(n.map((x) => [x.kind, x.href]), [
    ["overdue", "#/route/item/7/2"],
    ["deadline", "#/route/item/7/1"],
  ]);
  assert.match(n[0].text, /срок истёк 11 дн\. назад/);
  assert.match(n[1].text, /через 9 дней/);
  assert.deepEqual(deriveNotifications({ me: ME, today, nowMs: 0, route: route(RouteStatus.DRAFT, [{ id: 1, deadline: d(2026, 12, 2), status: RouteItemStatus.PLANNED }]) }), []);
});

test("a deadline that becomes overdue is a new notification (new id), not the one already seen", () => {
  const items = (st: RouteItemStatus) => [{ id: 1, deadline: d(2026, 12, 3), status: st }];
  const soon = deriveNotifications({ me: ME, today, nowMs: 0, route: route(RouteStatus.IN_PROGRESS, items(RouteItemStatus.PLANNED)) });
  const later = deriveNotifications({ me: ME, today: d(2026, 12, 4), nowMs: 0, route: route(RouteStatus.IN_PROGRESS, items(RouteItemStatus.PLANNED)) });
  assert.notEqual(soon[0].id, later[0].id);
});

test("route status changes by others notify; the teacher's own actions do not; a return for revision comes first", () => {
  const history = [
    create(RouteStatusChangeSchema, { transition: RouteTransition.SIGN, actor: ME, routeVersion: 2n }),
    create(RouteStatusChangeSchema, { transition: RouteTransition.APPROVE, actor: "people/9", actorFullName: "Иванова И. И.", comment: "Утверждаю", routeVersion: 4n }),
    create(RouteStatusChangeSchema, { transition: RouteTransition.RETURN_FOR_REVISION, actor: "people/8", comment: "Уточните сроки", routeVersion: 5n }),
  ];
  const n = deriveNotifications({ me: ME, today, nowMs: 0, route: route(RouteStatus.DRAFT, []), history });
  assert.deepEqual(n.map((x) => x.title), ["ИОМ возвращён на доработку", "ИОМ утверждён"]);
  assert.match(n[1].text, /«Утверждаю» \(Иванова И\. И\.\)/);
  assert.equal(new Set(n.map((x) => x.id)).size, 2);
});

test("tests: an unfinished session with its minutes left; a launched campaign not yet started; closed or taken ones are quiet", () => {
  const now = Date.UTC(2026, 11, 1, 10, 0, 0);
  const sessions = [create(SessionSchema, { name: "sessions/3", campaign: "campaigns/1", state: SessionState.IN_PROGRESS, deadlineTime: timestampFromMs(now + 25 * 60000) })];
  const campaigns = [
    create(CampaignSchema, { name: "campaigns/1", title: "А", state: CampaignState.LAUNCHED }),
    create(CampaignSchema, { name: "campaigns/2", title: "Б", state: CampaignState.LAUNCHED, closeTime: timestampFromMs(now + 86400000) }),
    create(CampaignSchema, { name: "campaigns/3", title: "В", state: CampaignState.LAUNCHED, closeTime: timestampFromMs(now - 1) }),
    create(CampaignSchema, { name: "campaigns/4", title: "Г", state: CampaignState.CLOSED }),
  ];
  const n = deriveNotifications({ me: ME, today, nowMs: now, sessions, campaigns });
  assert.deepEqual(n.map((x) => [x.kind, x.href]), [
    ["test", "#/test/3"],
    ["campaign", "#/tests"],
  ]);
  assert.match(n[0].text, /Осталось 25 мин/);
  assert.equal(n[1].text, "Б");
});

test("mentoring: a proposed pair waiting for this side's answer notifies, once accepted it does not", () => {
  const pair = (mentor: string, mentorAccepted: boolean) =>
    create(MentoringPairSchema, { name: "mentoringPairs/4", status: MentoringPairStatus.PROPOSED, mentor, mentorDisplayName: "Петров П. П.", menteeDisplayName: "Тестова А. И.", mentorAcceptTime: mentorAccepted ? timestampFromMs(1) : undefined });
  assert.equal(deriveNotifications({ me: ME, today, nowMs: 0, pairs: [pair("people/9", false)] })[0].title, "Вам предложен наставник");
  assert.equal(deriveNotifications({ me: ME, today, nowMs: 0, pairs: [pair(ME, false)] })[0].title, "Вам предложен наставляемый");
  assert.deepEqual(deriveNotifications({ me: ME, today, nowMs: 0, pairs: [pair(ME, true)] }), []);
});

test("itemHref maps item names to app routes", () => {
  assert.equal(itemHref("routes/7/items/3"), "#/route/item/7/3");
  assert.equal(itemHref("bogus"), "#/route");
});

test("pickRoute: the live route before finished ones, the newest among equals, cancelled last", () => {
  const r = (name: string, status: RouteStatus, created: number) => create(RouteSchema, { name, person: ME, status, createTime: timestampFromMs(created * 1000) });
  assert.equal(pickRoute([r("routes/1", RouteStatus.COMPLETED, 5), r("routes/2", RouteStatus.IN_PROGRESS, 1), r("routes/3", RouteStatus.CANCELLED, 9)], ME)?.name, "routes/2");
  assert.equal(pickRoute([r("routes/1", RouteStatus.DRAFT, 1), r("routes/2", RouteStatus.DRAFT, 2)], ME)?.name, "routes/2");
  assert.equal(pickRoute([r("routes/3", RouteStatus.CANCELLED, 9)], ME)?.name, "routes/3");
  assert.equal(pickRoute([create(RouteSchema, { name: "routes/8", person: "people/6", status: RouteStatus.DRAFT })], ME), null);
  assert.equal(pickRoute([], ME), null);
});

test("plural follows Russian agreement", () => {
  assert.deepEqual([1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map((n) => plural(n, "день", "дня", "дней")), ["1 день", "2 дня", "5 дней", "11 дней", "12 дней", "21 день", "22 дня", "25 дней", "101 день", "111 дней"]);
});

// ---------------------------------------------------------------- the offline queue (outbox.ts)

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
