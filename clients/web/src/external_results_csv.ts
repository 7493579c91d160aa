// Reads a table of results from another assessment system (CSV, `;` or `,`, UTF-8 with or
// without BOM, or Windows-1251 — shared/csv.ts reads it; line numbers are the file's) into
// ImportExternalResults records. Columns, in any order, by header:
//   external_id                 the record's id in that system (required; the import's key)
//   person_external_id | person the teacher: register id, or "people/123" / 123
//   diagnosis_date              ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
//   <indicator code>            e.g. МЕТ-01 — percent 0..100
//   <area>                      предметные, методические, психолого-педагогические,
//                               коммуникативные, цифровые — percent 0..100
// Problems the file itself shows (a missing column, a bad number or date) are reported per line
// here; everything else (an unknown teacher or code) is the server's per-record answer.
import { CompetencyArea } from "./gen/nms/v1/common_pb";
import { parseCsv, type CsvRecord } from "../../shared/csv";

/** The columns of the template offered for download, with one example row. */
export const TEMPLATE_HEADER = ["external_id", "person_external_id", "diagnosis_date", "МЕТ-01", "методические", "цифровые"];
export const TEMPLATE_EXAMPLE = ["R-0001", "T-123", "15.03.2026", "75", "80", "62,5"];

export const AREA_COLUMNS: Record<string, CompetencyArea> = {
  "предметные": CompetencyArea.SUBJECT,
  "методические": CompetencyArea.METHODOLOGICAL,
  "психолого-педагогические": CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL,
  "коммуникативные": CompetencyArea.COMMUNICATIVE,
  "цифровые": CompetencyArea.DIGITAL,
};

export interface ParsedRecord {
  line: number;
  externalId: string;
  person: string;
  personExternalId: string;
  diagnosisDate?: { year: number; month: number; day: number };
  areaScores: { area: CompetencyArea; scorePercent: number }[];
  indicatorScores: { indicatorCode: string; scorePercent: number }[];
}

export interface ParsedTable {
  records: ParsedRecord[];
  errors: { line: number; message: string }[];
}

function parseDate(v: string): { year: number; month: number; day: number } | undefined {
  const dmy = v.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/);
  const ymd = v.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  const d = dmy ? { year: +dmy[3], month: +dmy[2], day: +dmy[1] } : ymd ? { year: +ymd[1], month: +ymd[2], day: +ymd[3] } : undefined;
  if (!d) return undefined;
  // A real calendar day: 31.02 or 32.13 do not survive the round trip through Date.
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return t.getUTCFullYear() === d.year && t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day ? d : undefined;
}

export function parseExternalResults(text: string): ParsedTable {
  const out: ParsedTable = { records: [], errors: [] };
  let records: CsvRecord[];
  try {
    records = parseCsv(text).records;
  } catch (e) {
    out.errors.push({ line: Number(String(e).match(/\d+/)?.[0] ?? 1), message: (e as Error).message });
    return out;
  }
  if (!records.length) {
    out.errors.push({ line: 1, message: "Файл пуст" });
    return out;
  }
  const headerLine = records[0].line;
  const header = records[0].cells.map((h) => h.trim());
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name);
  const idCol = col("external_id");
  const personCol = col("person");
  const personExtCol = col("person_external_id");
  const dateCol = col("diagnosis_date");
  if (idCol < 0) out.errors.push({ line: headerLine, message: "Нет столбца external_id" });
  if (personCol < 0 && personExtCol < 0) out.errors.push({ line: headerLine, message: "Нет столбца person_external_id или person" });
  const scoreCols = header
    .map((h, i) => ({ h, i }))
    .filter(({ i }) => ![idCol, personCol, personExtCol, dateCol].includes(i) && header[i] !== "");
  if (!scoreCols.length) out.errors.push({ line: headerLine, message: "Нет ни одного столбца с баллами (код индикатора или название области)" });
  if (out.errors.length) return out;
  records.slice(1).forEach(({ line, cells: r }) => {
    const cell = (i: number) => (i >= 0 ? (r[i] ?? "").trim() : "");
    const rec: ParsedRecord = { line, externalId: cell(idCol), person: "", personExternalId: cell(personExtCol), areaScores: [], indicatorScores: [] };
    const p = cell(personCol);
    if (p) rec.person = /^\d+$/.test(p) ? `people/${p}` : p;
    const problems: string[] = [];
    if (!rec.externalId) problems.push("пустой external_id");
    if (!rec.person && !rec.personExternalId) problems.push("не указан педагог");
    if (dateCol >= 0 && cell(dateCol)) {
      rec.diagnosisDate = parseDate(cell(dateCol));
      if (!rec.diagnosisDate) problems.push(`дата «${cell(dateCol)}»: нет такой даты или не в формате ДД.ММ.ГГГГ`);
    }
    for (const { h, i } of scoreCols) {
      const v = cell(i);
      if (v === "") continue;
      const n = Number(v.replace(",", "."));
      if (!Number.isFinite(n) || n < 0 || n > 100) {
        problems.push(`«${h}»: ${v} — нужен процент от 0 до 100`);
        continue;
      }
      const area = AREA_COLUMNS[h.toLowerCase()];
      if (area !== undefined) rec.areaScores.push({ area, scorePercent: n });
      else rec.indicatorScores.push({ indicatorCode: h, scorePercent: n });
    }
    if (!rec.areaScores.length && !rec.indicatorScores.length) problems.push("нет ни одного балла");
    if (problems.length) out.errors.push({ line, message: problems.join("; ") });
    else out.records.push(rec);
  });
  return out;
}
