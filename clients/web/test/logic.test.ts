// Unit tests of the clients' CSV reader/writer (clients/shared/csv.ts), the plural helper, the external results
// parser built on it, the ИОМ register and the campaign comparison (no DOM, no network). Bundled for Node by `npm test` (ctest web_logic).
import { test } from "node:test";
import assert from "node:assert/strict";
import { csvCell, decodeCsv, guessSeparator, parseCsv, writeCsv } from "../../shared/csv";
import { parseExternalResults } from "../src/external_results_csv";
import { plural } from "../../shared/plural";
import { create } from "@bufbuild/protobuf";
import { RouteItemStatus, RouteSchema, RouteSignatureKind, RouteStatus } from "../src/gen/nms/v1/route_pb";
import { deficitState, sortRoutes, waitingFor } from "../src/route_register";
import { CompetencyArea, CompetencyLevel } from "../src/gen/nms/v1/common_pb";
import { CampaignSchema, GetAggregateReportResponseSchema } from "../src/gen/nms/v1/diagnostics_pb";
import { GetRouteEffectResponseSchema } from "../src/gen/nms/v1/route_pb";
import { byStart, campaignPeriod, closedShare, compareCsv, compareRows, effectSummary } from "../src/campaign_compare";

// "Фамилия;Имя" in Windows-1251, as Russian Excel saves CSV.
const CP1251_HEADER = [0xd4, 0xe0, 0xec, 0xe8, 0xeb, 0xe8, 0xff, 0x3b, 0xc8, 0xec, 0xff];

test("decodeCsv reads Windows-1251, UTF-8 and UTF-8 with BOM", () => {
  assert.equal(decodeCsv(new Uint8Array(CP1251_HEADER)), "Фамилия;Имя");
  const utf8 = new TextEncoder().encode("Фамилия;Имя");
  assert.equal(decodeCsv(utf8), "Фамилия;Имя");
  assert.equal(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])), "Фамилия;Имя");
});

test("the separator is the header's: `;` or `,`, blank leading lines skipped", () => {
  assert.equal(guessSeparator("a;b,c;d\n1,2"), ";");
  assert.equal(guessSeparator("\n\na,b,c\n"), ",");
  assert.deepEqual(parseCsv("a,b\n1,2").records.map((r) => r.cells), [["a", "b"], ["1", "2"]]);
});

test("records carry the file's line numbers: blank lines and line breaks in quotes count", () => {
  const text = 'id;note\r\n1;"two\r\nlines"\r\n\r\n;;\r\n2;"a ""quoted"" word; with ;"\n\n3;last';
  const t = parseCsv(text);
  assert.equal(t.separator, ";");
  assert.deepEqual(t.records.map((r) => r.line), [1, 2, 6, 8]);
  assert.deepEqual(t.records[1].cells, ["1", "two\r\nlines"]);
  assert.deepEqual(t.records[2].cells, ["2", 'a "quoted" word; with ;']);
  assert.deepEqual(t.records[3].cells, ["3", "last"]);
});

test("an unclosed quote is an error naming the line the record starts on", () => {
  assert.throws(() => parseCsv('a;b\n\n1;"open\n2;3'), /строке 3/);
});

test("writeCsv writes what Excel opens: BOM, `;`, CRLF, decimal comma, no formulas", () => {
  const s = writeCsv(["ФИО", "Балл"], [["Иванова, Мария", 62.5], ["=HYPERLINK()", 80]]);
  assert.ok(s.startsWith("\uFEFF\"ФИО\";\"Балл\"\r\n"));
  assert.match(s, /"Иванова, Мария";"62,5"\r\n/);
  assert.match(s, /"'=HYPERLINK\(\)";"80"\r\n$/);
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  // What the writer writes, the reader reads back.
  assert.deepEqual(parseCsv(s).records.map((r) => r.cells), [["ФИО", "Балл"], ["Иванова, Мария", "62,5"], ["'=HYPERLINK()", "80"]]);
});

test("external results: errors name the file's line even after blank lines; cp1251 files work", () => {
  const text = "external_id;person_external_id;diagnosis_date;методические\n\nR1;T1;01.02.2026;75\n\nR2;T2;31.02.2026;120\n";
  const r = parseExternalResults(text);
  assert.equal(r.records.length, 1);
  assert.equal(r.records[0].line, 3);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].line, 5);
  assert.match(r.errors[0].message, /31\.02\.2026/);
  assert.match(r.errors[0].message, /120/);
  const bytes = new TextEncoder().encode(text); // the same via the decoder
  assert.deepEqual(parseExternalResults(decodeCsv(bytes)).errors, r.errors);
  assert.equal(parseExternalResults("").errors[0].message, "Файл пуст");
});

test("plural agrees in number: 1 запись, 3 записи, 5/11/0 записей, 21 запись, 1,5 записи", () => {
  const p = (n: number) => plural(n, "запись", "записи", "записей");
  assert.equal(p(1), "1 запись");
  assert.equal(p(3), "3 записи");
  assert.equal(p(5), "5 записей");
  assert.equal(p(11), "11 записей");
  assert.equal(p(0), "0 записей");
  assert.equal(p(21), "21 запись");
  assert.equal(p(1.5), "1,5 записи");
  assert.equal(p(1234), "1\u00a0234 записи");
});

const everything = { teacherSignatureRequired: true, schoolSignatureRequired: true, approvalRequired: true };
const signed = (...kinds: RouteSignatureKind[]) => kinds.map((kind) => ({ kind }));

test("a route waits for the teacher, then the organisation, then approval — as the region requires", () => {
  const r = (status: RouteStatus, ...kinds: RouteSignatureKind[]) => create(RouteSchema, { status, signatures: signed(...kinds) });
  assert.deepEqual(waitingFor(r(RouteStatus.DRAFT), everything), ["teacher", "school"]);
  assert.deepEqual(waitingFor(r(RouteStatus.DRAFT, RouteSignatureKind.TEACHER), everything), ["school"]);
  assert.deepEqual(waitingFor(r(RouteStatus.AGREED, RouteSignatureKind.TEACHER, RouteSignatureKind.SCHOOL_REPRESENTATIVE), everything), ["approval"]);
  assert.deepEqual(waitingFor(r(RouteStatus.APPROVED), everything), []);
  assert.deepEqual(waitingFor(r(RouteStatus.IN_PROGRESS), everything), []);
  // A region without the organisation's signature and approval (Mordovia).
  const teacherOnly = { teacherSignatureRequired: true, schoolSignatureRequired: false, approvalRequired: false };
  assert.deepEqual(waitingFor(r(RouteStatus.DRAFT), teacherOnly), ["teacher"]);
  assert.deepEqual(waitingFor(r(RouteStatus.AGREED, RouteSignatureKind.TEACHER), teacherOnly), []);
});

test("a deficit covered by planned items is not closed; closed needs every item done (skipped does not count)", () => {
  const item = (n: number, status: RouteItemStatus) => ({ name: `routes/1/items/${n}`, status });
  const route = create(RouteSchema, {
    items: [item(1, RouteItemStatus.DONE), item(2, RouteItemStatus.PLANNED), item(3, RouteItemStatus.SKIPPED), item(4, RouteItemStatus.DONE)],
    deficits: [
      { indicatorCode: "A", coveredByItems: ["routes/1/items/1", "routes/1/items/2"] },
      { indicatorCode: "B", coveredByItems: ["routes/1/items/3"] },
      { indicatorCode: "C", coveredByItems: ["routes/1/items/4"] },
      { indicatorCode: "D", coveredByItems: [], uncoveredReason: "нет мероприятий" },
    ],
  });
  assert.deepEqual(deficitState(route), { total: 4, covered: 3, closed: 1 });
});

test("the register sorts by surname in Russian order, by progress, by end date", () => {
  const r = (fullName: string, done: number, total: number, end?: { year: number; month: number; day: number }) =>
    create(RouteSchema, { header: { fullName }, progress: { itemsDone: done, itemsTotal: total }, plannedEndDate: end });
  const rs = [r("Яковлева Анна", 1, 4, { year: 2027, month: 1, day: 1 }), r("Ёлкина Вера", 3, 4), r("Абрамов Пётр", 0, 4, { year: 2026, month: 6, day: 1 })];
  assert.deepEqual(sortRoutes(rs, "name").map((x) => x.header!.fullName), ["Абрамов Пётр", "Ёлкина Вера", "Яковлева Анна"]);
  assert.deepEqual(sortRoutes(rs, "progress").map((x) => x.header!.fullName), ["Абрамов Пётр", "Яковлева Анна", "Ёлкина Вера"]);
  assert.deepEqual(sortRoutes(rs, "end").map((x) => x.header!.fullName), ["Абрамов Пётр", "Яковлева Анна", "Ёлкина Вера"]);
});

test("item analytics CSV: Russian header, decimal comma, options, DIF in words, model misfit among the remarks", async () => {
  const { itemAnalyticsCsv, difText } = await import("../src/item_analytics_csv");
  const { GetItemAnalyticsResponseSchema, ItemResponseModel } = await import("../src/gen/nms/v1/item_calibration_pb");
  const { OrganizationType } = await import("../src/gen/nms/v1/common_pb");
  const r = create(GetItemAnalyticsResponseSchema, {
    respondents: 400,
    difReference: OrganizationType.SCHOOL,
    items: [
      {
        itemId: "Q1",
        position: 1,
        text: "=Что такое ФГОС?",
        responses: 400,
        difficulty: 0.625,
        discrimination: 0.41,
        options: [
          { optionId: "a", correct: true, share: 0.625 },
          { optionId: "b", share: 0.375 },
        ],
        flags: ["дистрактор c никто не выбирает"],
        calibration: { model: ItemResponseModel.TWO_PL, discrimination: 1.234, difficulty: -0.5, fitDf: 8, fitP: 0.0004, misfit: true },
        dif: [{ focal: OrganizationType.KINDERGARTEN, enough: true, delta: -1.8, category: "C" }],
      },
    ],
  });
  const csv = itemAnalyticsCsv(r);
  assert.ok(csv.startsWith("\uFEFF\"№\";\"Задание\";\"Текст\";\"Ответов\";\"Доля выполнения\""));
  const row = parseCsv(csv).records[1].cells;
  assert.deepEqual(row.slice(0, 10), ["1", "Q1", "'=Что такое ФГОС?", "400", "0,63", "0,41", "2PL", "1,23", "-0,5", "< 0,001"]);
  assert.equal(row[10], "a — 63 % (верный); b — 38 %");
  assert.equal(row[11], "ДОО/ОО: сильное, труднее для ДОО");
  assert.equal(row[12], "дистрактор c никто не выбирает; не согласуется с моделью (в адаптивный банк не входит)");
  assert.equal(difText({ ...r.items[0], dif: [] }, OrganizationType.SCHOOL), "мало данных");
});

test("campaign comparison: campaigns oldest first, level shares and below-basic shares per area, missing areas as 0", () => {
  const ts = (iso: string) => ({ seconds: BigInt(Date.parse(iso) / 1000), nanos: 0 });
  const spring = create(CampaignSchema, { name: "campaigns/2", title: "Весна", openTime: ts("2026-03-01T06:00:00Z"), closeTime: ts("2026-03-31T20:00:00Z") });
  const autumn = create(CampaignSchema, { name: "campaigns/1", title: "Осень", openTime: ts("2025-09-01T06:00:00Z") });
  assert.deepEqual(byStart([spring, autumn]).map((c) => c.title), ["Осень", "Весна"]);
  assert.equal(campaignPeriod(spring), "01.03.2026 — 31.03.2026");
  assert.equal(campaignPeriod(autumn), "с 01.09.2025");
  const report = create(GetAggregateReportResponseSchema, {
    populationCount: 40n,
    diagnosedCount: 20n,
    overallLevels: [{ level: CompetencyLevel.INSUFFICIENT, count: 5n, sharePercent: 25 }, { level: CompetencyLevel.HIGH, count: 15n, sharePercent: 75 }],
    areas: [{ area: CompetencyArea.DIGITAL, meanScorePercent: 61.5, levels: [{ level: CompetencyLevel.INSUFFICIENT, count: 8n, sharePercent: 40 }, { level: CompetencyLevel.BASIC, count: 12n, sharePercent: 60 }] }],
  });
  const [row] = compareRows([spring], [report]);
  assert.deepEqual(row.levels, [25, 0, 0, 75]);
  assert.deepEqual(row.deficits, [0, 0, 0, 0, 40]);
  assert.deepEqual(row.means, [0, 0, 0, 0, 61.5]);
  assert.equal(row.diagnosed, 20);
});

test("ИОМ effect: only re-diagnosed routes count; area means, level moves and deficits summed; the CSV carries names", () => {
  const eff = (rediagnosed: boolean, before: number, after: number, subj: [number, number], closed: string[], remaining: string[]) =>
    create(GetRouteEffectResponseSchema, {
      rediagnosed, beforeOverallLevel: before, afterOverallLevel: after, closedDeficitCodes: closed, remainingDeficitCodes: remaining,
      areaDeltas: rediagnosed ? [{ area: CompetencyArea.SUBJECT, beforeScorePercent: subj[0], afterScorePercent: subj[1] }] : [],
    });
  const s = effectSummary([
    eff(true, CompetencyLevel.BASIC, CompetencyLevel.ADVANCED, [40, 70], ["A", "B"], []),
    eff(true, CompetencyLevel.BASIC, CompetencyLevel.BASIC, [50, 60], [], ["C"]),
    eff(false, 0, 0, [0, 0], [], []),
  ]);
  assert.equal(s.routes, 3);
  assert.equal(s.rediagnosed, 2);
  assert.deepEqual([s.up, s.same, s.down], [1, 1, 0]);
  assert.deepEqual([s.before[0], s.after[0], s.before[1]], [45, 65, null]);
  assert.equal(closedShare(s)!.toFixed(1), "66.7");
  assert.equal(closedShare(effectSummary([])), null);
  const c = create(CampaignSchema, { name: "campaigns/7", title: "Весна", openTime: ts0() });
  const rows = compareRows([c], [create(GetAggregateReportResponseSchema, { populationCount: 10n, diagnosedCount: 4n })]);
  const csv = compareCsv("Город N", rows, new Map([["campaigns/7", s]]));
  const lines = csv.slice(1).split("\r\n");
  assert.ok(csv.startsWith("\uFEFF\"Территория\";\"Кампания\";\"Период\""));
  assert.ok(lines[1].startsWith('"Город N";"Весна";"с 01.09.2025";"10";"4";"0";'), lines[1]);
  assert.ok(lines[1].endsWith('"3";"2";"1";"1";"0";"2";"1";"0"'), lines[1]);
  assert.doesNotMatch(csv, /campaigns\//);
});

function ts0() {
  return { seconds: BigInt(Date.parse("2025-09-01T06:00:00Z") / 1000), nanos: 0 };
}
