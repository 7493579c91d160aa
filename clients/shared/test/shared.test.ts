// Unit tests of the code both browser clients share (clients/shared): error texts, formatting,
// enum titles. Bundled for Node by each client's `npm test` (ctest web_logic and mobile_logic),
// so "@gen" resolves to that client's generated stubs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Code, ConnectError } from "@connectrpc/connect";
import { CompetencyArea, CompetencyLevel, Role } from "@gen/nms/v1/common_pb";
import { RouteStatus } from "@gen/nms/v1/route_pb";
import { MeetingFormat, PairType } from "@gen/nms/v1/mentoring_pb";
import { errorText, isNetworkError, isUnimplemented } from "../errors";
import { dateFromInput, dateText, fmt, idOf, inputFromDate, tsMillis, tsText, tsWords } from "../format";
import { areaTitle, LEVELS, levelTitle, meetingFormatTitle, pairTypeTitle, roleTitle, routeStatusTitle } from "../titles";
import { requestId } from "../session";

test("errorText: the kind of failure, then the server's Russian message", () => {
  assert.equal(errorText(new ConnectError("Кампания уже завершена", Code.FailedPrecondition)), "Действие сейчас невозможно: Кампания уже завершена");
  assert.equal(errorText(new ConnectError("", Code.PermissionDenied)), "Нет доступа");
  assert.equal(errorText(new ConnectError("ИОМ изменён", Code.Aborted)), "Данные изменились, обновите экран: ИОМ изменён");
  assert.equal(errorText(new ConnectError("x", Code.DataLoss)), "Ошибка: x");
  assert.equal(errorText(new ConnectError("", Code.Unknown)), "Не удалось связаться с сервером.");
  assert.match(errorText(new ConnectError("", Code.Unimplemented)), /ещё не подключён/);
});

test("a failed fetch is no connection; a server down is unavailable; both are network errors", () => {
  const fetchFailed = ConnectError.from(new TypeError("Failed to fetch"));
  assert.equal(errorText(fetchFailed), "Нет связи с сервером. Проверьте подключение к интернету и повторите.");
  assert.equal(isNetworkError(fetchFailed), true);
  const down = new ConnectError("", Code.Unavailable);
  assert.equal(errorText(down), "Сервер недоступен, попробуйте позже");
  assert.equal(isNetworkError(down), true);
  assert.equal(isNetworkError(new ConnectError("", Code.DeadlineExceeded)), true);
  assert.equal(isNetworkError(new ConnectError("плохой запрос", Code.InvalidArgument)), false);
  assert.equal(isUnimplemented(new ConnectError("", Code.Unimplemented)), true);
  assert.equal(isUnimplemented(down), false);
});

test("numbers: Russian grouping and decimal comma, at most one decimal", () => {
  assert.equal(fmt(1234), "1\u00a0234");
  assert.equal(fmt(32.46), "32,5");
  assert.equal(fmt(0), "0");
  assert.equal(idOf("campaigns/12"), "12");
  assert.equal(idOf("routes/3/items/7"), "7");
});

test("dates: dd.mm.yyyy, unset as a dash, the date input's value round trip", () => {
  assert.equal(dateText({ year: 2026, month: 3, day: 5 }), "05.03.2026");
  assert.equal(dateText(undefined), "—");
  assert.equal(dateText({ year: 0, month: 0, day: 0 }), "—");
  assert.deepEqual(dateFromInput("2026-03-15"), { year: 2026, month: 3, day: 15 });
  assert.equal(dateFromInput(""), undefined);
  assert.equal(inputFromDate({ year: 2026, month: 3, day: 5 }), "2026-03-05");
  assert.equal(inputFromDate(dateFromInput("2027-12-31")), "2027-12-31");
  assert.equal(inputFromDate(undefined), "");
});

test("timestamps are shown in Moscow time, numerically (web) or in words (phone)", () => {
  const t = { seconds: BigInt(Date.UTC(2026, 11, 7, 21, 30) / 1000), nanos: 250_000_000 };
  assert.equal(tsText(t), "08.12.2026, 00:30:00");
  assert.equal(tsWords(t), "8 декабря в 00:30");
  assert.equal(tsText(undefined), "—");
  assert.equal(tsWords({ seconds: 0n }), "—");
  assert.equal(tsMillis(t), Date.UTC(2026, 11, 7, 21, 30) + 250);
});

test("every value of the shared enums has a Russian title", () => {
  const values = (e: object) => Object.values(e).filter((v): v is number => typeof v === "number" && v !== 0);
  for (const [e, titles] of [[CompetencyArea, areaTitle], [CompetencyLevel, levelTitle], [Role, roleTitle], [RouteStatus, routeStatusTitle], [PairType, pairTypeTitle], [MeetingFormat, meetingFormatTitle]] as const) {
    for (const v of values(e)) assert.ok(titles[v], `${v} has no title`);
  }
  assert.deepEqual(LEVELS.map((l) => levelTitle[l]), ["недостаточный", "базовый", "повышенный", "высокий"]);
  assert.equal(areaTitle[CompetencyArea.DIGITAL], "Цифровые");
});

test("request ids are fresh UUIDs", () => {
  const a = requestId(), b = requestId();
  assert.match(a, /^[0-9a-f-]{36}$/);
  assert.notEqual(a, b);
});
