// Reads a table of results from another assessment system (CSV, `;` or `,`, UTF-8 with or
// without BOM) into ImportExternalResults records. Columns, in any order, by header:
//   external_id                 the record's id in that system (required; the import's key)
//   person_external_id | person the teacher: register id, or "people/123" / 123
//   diagnosis_date              ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
//   <indicator code>            e.g. МЕТ-01 — percent 0..100
//   <area>                      предметные, методические, психолого-педагогические,
//                               коммуникативные, цифровые — percent 0..100
// Problems the file itself shows (a missing column, a bad number or date) are reported per line
// here; everything else (an unknown teacher or code) is the server's per-record answer.
import { CompetencyArea } from "./gen/nms/v1/common_pb";

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

/** Splits CSV text into rows of fields (quotes with "" escapes; the separator is guessed from the header). */
export function splitCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, "");
  const firstLine = src.split(/\r?\n/, 1)[0] ?? "";
  const sep = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === sep) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
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
  const rows = splitCsv(text).filter((r) => r.some((c) => c.trim() !== ""));
  const out: ParsedTable = { records: [], errors: [] };
  if (!rows.length) {
    out.errors.push({ line: 1, message: "Файл пуст" });
    return out;
  }
  const header = rows[0].map((h) => h.trim());
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name);
  const idCol = col("external_id");
  const personCol = col("person");
  const personExtCol = col("person_external_id");
  const dateCol = col("diagnosis_date");
  if (idCol < 0) out.errors.push({ line: 1, message: "Нет столбца external_id" });
  if (personCol < 0 && personExtCol < 0) out.errors.push({ line: 1, message: "Нет столбца person_external_id или person" });
  const scoreCols = header
    .map((h, i) => ({ h, i }))
    .filter(({ i }) => ![idCol, personCol, personExtCol, dateCol].includes(i) && header[i] !== "");
  if (!scoreCols.length) out.errors.push({ line: 1, message: "Нет ни одного столбца с баллами (код индикатора или название области)" });
  if (out.errors.length) return out;
  rows.slice(1).forEach((r, k) => {
    const line = k + 2;
    const cell = (i: number) => (i >= 0 ? (r[i] ?? "").trim() : "");
    const rec: ParsedRecord = { line, externalId: cell(idCol), person: "", personExternalId: cell(personExtCol), areaScores: [], indicatorScores: [] };
    const p = cell(personCol);
    if (p) rec.person = /^\d+$/.test(p) ? `people/${p}` : p;
    const problems: string[] = [];
    if (!rec.externalId) problems.push("пустой external_id");
    if (!rec.person && !rec.personExternalId) problems.push("не указан педагог");
    if (dateCol >= 0 && cell(dateCol)) {
      rec.diagnosisDate = parseDate(cell(dateCol));
      if (!rec.diagnosisDate) problems.push(`дата «${cell(dateCol)}» не в формате ДД.ММ.ГГГГ`);
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
