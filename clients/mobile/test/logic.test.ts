// Unit tests of the app's pure rules (no DOM, no network): notification derivation, deadline
// states, the choice of the current route, Russian plurals. Bundled for Node by `npm test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { DateSchema } from "../src/gen/nms/v1/common_pb";
import { RouteItemStatus, RouteSchema, RouteStatus, RouteStatusChangeSchema, RouteTransition } from "../src/gen/nms/v1/route_pb";
import { CampaignSchema, CampaignState, SessionSchema, SessionState } from "../src/gen/nms/v1/diagnostics_pb";
import { MentoringPairSchema, MentoringPairStatus } from "../src/gen/nms/v1/mentoring_pb";
import { NotificationKind, NotificationSchema } from "../src/gen/nms/v1/inbox_pb";
import { daysUntil, deadlineState, deriveNotifications, isUnread, itemHref, subjectHref } from "../src/notifications";
import { plural } from "../../shared/plural";
import { fileType, sizeText } from "../src/expert_rules";
import { pickRoute } from "../src/route_pick";
import { defaultSteps, nextStep, teacherOffers } from "../src/route_rules";
import { RouteSignatureKind } from "../src/gen/nms/v1/route_pb";

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
  // Whole phrases agree, verb included.
  assert.deepEqual([1, 2, 5, 21].map((n) => plural(n, "ответ сохранён", "ответа сохранены", "ответов сохранены")), ["1 ответ сохранён", "2 ответа сохранены", "5 ответов сохранены", "21 ответ сохранён"]);
  assert.equal(plural(1.5, "день", "дня", "дней"), "1,5 дня");
});

test("teacher's offers follow the server's lifecycle: start only when approved (or agreed without approval), complete only when every item is closed, revise only with a newer result", () => {
  const r = (status: RouteStatus, extra: Record<string, unknown> = {}) => create(RouteSchema, { name: "routes/7", person: ME, status, ...extra });
  const offer = (route: ReturnType<typeof r>, kind: string, steps = defaultSteps) => teacherOffers(route, steps).find((o) => o.kind === kind);
  // Draft: sign, start disabled with the reason.
  assert.equal(offer(r(RouteStatus.DRAFT), "sign")?.enabled, true);
  assert.equal(offer(r(RouteStatus.DRAFT), "start")?.enabled, false);
  assert.equal(offer(r(RouteStatus.DRAFT, { signatures: [{ kind: RouteSignatureKind.TEACHER }] }), "sign"), undefined);
  // Agreed: approval first where the region requires it.
  assert.equal(offer(r(RouteStatus.AGREED), "start")?.enabled, false);
  assert.match(offer(r(RouteStatus.AGREED), "start")?.reason ?? "", /утверждения ЦНППМ/);
  assert.equal(offer(r(RouteStatus.AGREED), "start", { ...defaultSteps, approvalRequired: false })?.enabled, true);
  assert.equal(offer(r(RouteStatus.APPROVED), "start")?.enabled, true);
  // In progress: complete when every item is done or skipped with a reason.
  const items = (a: RouteItemStatus, b: RouteItemStatus, reason = "") => [{ name: "routes/7/items/1", status: a }, { name: "routes/7/items/2", status: b, skipReason: reason }];
  assert.equal(offer(r(RouteStatus.IN_PROGRESS, { items: items(RouteItemStatus.DONE, RouteItemStatus.PLANNED) }), "complete")?.enabled, false);
  assert.match(offer(r(RouteStatus.IN_PROGRESS, { items: items(RouteItemStatus.DONE, RouteItemStatus.PLANNED) }), "complete")?.reason ?? "", /осталось 1 мероприятие/);
  assert.equal(offer(r(RouteStatus.IN_PROGRESS, { items: items(RouteItemStatus.DONE, RouteItemStatus.SKIPPED, "нет мест") }), "complete")?.enabled, true);
  assert.equal(offer(r(RouteStatus.IN_PROGRESS, { items: [] }), "complete")?.enabled, false);
  // Revise: only with a newer result, never for a cancelled route.
  assert.equal(offer(r(RouteStatus.IN_PROGRESS), "revise"), undefined);
  assert.equal(offer(r(RouteStatus.IN_PROGRESS, { newerResult: "results/9" }), "revise")?.enabled, true);
  assert.match(offer(r(RouteStatus.COMPLETED, { newerResult: "results/9" }), "revise")?.label ?? "", /следующий период/);
  assert.equal(offer(r(RouteStatus.CANCELLED, { newerResult: "results/9" }), "revise"), undefined);
  assert.equal(teacherOffers(r(RouteStatus.COMPLETED), defaultSteps).length, 0);
});

test("next step names who acts, or the open item due first", () => {
  const r = (status: RouteStatus, extra: Record<string, unknown> = {}) => create(RouteSchema, { name: "routes/7", person: ME, status, ...extra });
  assert.match(nextStep(r(RouteStatus.DRAFT), defaultSteps), /согласуйте/);
  assert.match(nextStep(r(RouteStatus.DRAFT, { signatures: [{ kind: RouteSignatureKind.TEACHER }] }), defaultSteps), /представителя организации/);
  assert.match(nextStep(r(RouteStatus.AGREED), defaultSteps), /утверждения ЦНППМ/);
  const route = r(RouteStatus.IN_PROGRESS, {
    items: [
      { name: "routes/7/items/1", title: "Позже", status: RouteItemStatus.PLANNED, deadline: d(2027, 3, 1) },
      { name: "routes/7/items/2", title: "Раньше", status: RouteItemStatus.PLANNED, deadline: d(2027, 1, 15) },
      { name: "routes/7/items/3", title: "Сделано", status: RouteItemStatus.DONE, deadline: d(2026, 1, 1) },
    ],
  });
  assert.equal(nextStep(route, defaultSteps), "Следующее мероприятие: «Раньше», срок 15.01.2027.");
});

test("server notifications merge in: a return for revision first, read ones last and not unread, links by subject", () => {
  const server = [
    create(NotificationSchema, { name: "notifications/1", kind: NotificationKind.MEETING_PLANNED, title: "Запланирована встреча наставничества", body: "Встреча «План» — 10.12.2026.", subject: "mentoringPairs/4", read: true, createTime: timestampFromMs(1000) }),
    create(NotificationSchema, { name: "notifications/2", kind: NotificationKind.ROUTE_RETURNED, title: "ИОМ возвращён на доработку", body: "Причина: «добавьте стажировку».", subject: "routes/9", createTime: timestampFromMs(2000) }),
    create(NotificationSchema, { name: "notifications/3", kind: NotificationKind.CAMPAIGN_REMINDER, title: "Напоминание о диагностике", body: "Пройдите диагностику «Зима».", subject: "campaigns/2", createTime: timestampFromMs(3000) }),
  ];
  const list = deriveNotifications({ me: ME, today, nowMs: 0, server });
  assert.deepEqual(list.map((n) => n.id), ["srv:notifications/2", "srv:notifications/3", "srv:notifications/1"]);
  assert.deepEqual(list.map((n) => n.href), ["#/route", "#/tests", "#/mentoring/4"]);
  const seen = new Set<string>();
  assert.deepEqual(list.map((n) => isUnread(n, seen)), [true, true, false]);
  seen.add("srv:notifications/2");
  assert.equal(isUnread(list[0], seen), false);
  assert.equal(subjectHref("routes/9/items/3", NotificationKind.ENROLMENT_APPROVED), "#/route");
});

test("expert work: the file types the server accepts, by extension; sizes in Russian", () => {
  assert.equal(fileType("План урока.PDF"), "application/pdf");
  assert.equal(fileType("карта.docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  assert.equal(fileType("фото.jpeg"), "image/jpeg");
  assert.equal(fileType("setup.exe"), "");
  assert.equal(fileType("без расширения"), "");
  assert.equal(sizeText(1536 * 1024), "1,5 МБ");
  assert.equal(sizeText(820 * 1024), "820 КБ");
  assert.equal(subjectHref("results/7", NotificationKind.EXPERT_SCORE_RECORDED), "#/result/7");
});
