// The one CSV reader and writer of the clients, for files that go through Excel: reads UTF-8
// (with or without BOM) and Windows-1251, `;` or `,`; numbers records by the file's physical
// lines (blank lines and line breaks inside quoted cells count), so "строка 7" is line 7 in an
// editor; writes what Excel opens right: BOM, `;`, CRLF, every cell quoted.

export interface CsvRecord {
  /** The file line (1-based) the record starts on. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  separator: ";" | ",";
  /** Non-blank records, header first. */
  records: CsvRecord[];
}

/**
 * Bytes of a file to text: a UTF-8 BOM or valid UTF-8 means UTF-8; anything else is read as
 * Windows-1251 (what Russian Excel writes for "CSV (разделители — точка с запятой)").
 */
export function decodeCsv(bytes: Uint8Array): string {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1251").decode(bytes);
  }
}

/** Reads a File chosen in an <input type=file> as CSV text (any of the encodings above). */
export async function readCsvFile(f: Blob): Promise<string> {
  return decodeCsv(new Uint8Array(await f.arrayBuffer()));
}

/** The separator of the header line (the first non-blank one): the more frequent of `;` and `,`. */
export function guessSeparator(text: string): ";" | "," {
  const first = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/).find((l) => l.trim() !== "") ?? "";
  const count = (ch: string) => first.split(ch).length - 1;
  return count(";") >= count(",") ? ";" : ",";
}

/**
 * Splits CSV text into records. Quoted cells may hold separators, doubled quotes and line
 * breaks. Blank records (only separators and spaces) are dropped but keep counting lines.
 * Throws an Error with the line number when a quote is never closed.
 */
export function parseCsv(text: string, separator?: ";" | ","): CsvTable {
  const src = text.replace(/^\uFEFF/, "");
  const sep = separator ?? guessSeparator(src);
  const records: CsvRecord[] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const finish = () => {
    row.push(cell);
    if (row.some((c) => c.trim() !== "")) records.push({ line: start, cells: row });
    row = [];
    cell = "";
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === "\n" || (ch === "\r" && src[i + 1] !== "\n")) line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === sep) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      finish();
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) throw new Error(`Незакрытая кавычка в записи, начатой в строке ${start}`);
  if (cell !== "" || row.length) finish();
  return { separator: sep, records };
}

/** One cell for Excel: quoted, quotes doubled, a leading = + - @ neutralised (no formulas). */
export function csvCell(v: string | number): string {
  let s = typeof v === "number" ? formatNumber(v) : v;
  if (/^[=+\-@]/.test(s) && typeof v !== "number") s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** A number as Russian Excel reads it: decimal comma, no grouping. */
export function formatNumber(n: number): string {
  return String(Math.round(n * 100) / 100).replace(".", ",");
}

/** A whole file: BOM, `;`, CRLF. */
export function writeCsv(header: string[], rows: (string | number)[][]): string {
  return "\uFEFF" + [header, ...rows].map((r) => r.map(csvCell).join(";")).join("\r\n") + "\r\n";
}
