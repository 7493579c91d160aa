// Pure rules of the expert-scored part of a test in the app (no DOM, no network; unit-tested):
// which files the server accepts (server/domain/diagnostics/expert_work.h), sizes and what was
// handed in as Russian text, and which items of an instrument an expert scores.
import { ExpertWorkKind, InstrumentBlockKind, InstrumentItemKind, type ExpertWork, type InstrumentBlock, type InstrumentItem } from "./gen/nms/v1/diagnostics_pb";
import { plural } from "../../shared/plural";

const fmt = (n: number) => n.toLocaleString("ru-RU", { maximumFractionDigits: 2 });

/** Limits as the server checks them (server/domain/diagnostics/expert_work.h). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const FILE_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  odt: "application/vnd.oasis.opendocument.text",
  rtf: "application/rtf",
  txt: "text/plain",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
};
export const ACCEPT = Object.keys(FILE_TYPES).map((e) => `.${e}`).join(",");

/** The media type the server expects for a file name, or "" when the type is not accepted. */
export function fileType(name: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  return FILE_TYPES[ext] ?? "";
}

/** "1,5 МБ", "820 КБ". */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${fmt(Math.round((bytes / 1024 / 1024) * 10) / 10)} МБ`;
  return `${Math.max(1, Math.round(bytes / 1024))} КБ`;
}

/** What was handed in, in one line. */
export function workText(w: ExpertWork): string {
  switch (w.kind) {
    case ExpertWorkKind.TEXT:
      return `Письменный ответ (${plural(w.text.trim().length, "знак", "знака", "знаков")})`;
    case ExpertWorkKind.FILE:
      return `Файл «${w.fileName}», ${sizeText(Number(w.fileSize) || w.fileContent.length)}`;
    case ExpertWorkKind.LINK:
      return `Ссылка: ${w.linkUrl}`;
    default:
      return "—";
  }
}

export interface ExpertEntry {
  block: InstrumentBlock;
  item: InstrumentItem;
}

/** The externally scored items of an instrument, in order. */
export function expertItems(blocks: InstrumentBlock[]): ExpertEntry[] {
  return blocks
    .filter((b) => b.kind === InstrumentBlockKind.EXTERNALLY_SCORED)
    .flatMap((block) => block.items.filter((item) => item.kind === InstrumentItemKind.EXTERNAL_SCORE).map((item) => ({ block, item })));
}

