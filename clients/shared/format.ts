// Number, date and time formatting for every browser screen (Russian conventions, Moscow time).
import type { CalendarDay } from "./dates";

/** 1 234,5 — at most one decimal. */
export function fmt(n: number): string {
  return n.toLocaleString("ru-RU", { maximumFractionDigits: 1 });
}

/** The id part of a resource name ("people/202" → "202"), for addresses, never for display. */
export function idOf(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

/** 07.12.2026; "—" for an unset date. */
export function dateText(d?: CalendarDay): string {
  if (!d || !d.year) return "—";
  return `${String(d.day).padStart(2, "0")}.${String(d.month).padStart(2, "0")}.${d.year}`;
}

const MOSCOW = "Europe/Moscow";
type Ts = { seconds: bigint } | undefined;

/** 07.12.2026, 14:30:00 (Moscow time); "—" when unset. */
export function tsText(t?: Ts): string {
  if (!t || !t.seconds) return "—";
  return new Date(Number(t.seconds) * 1000).toLocaleString("ru-RU", { timeZone: MOSCOW });
}

/** 7 декабря, 14:30 (Moscow time) — the phone's shorter form; "—" when unset. */
export function tsWords(t?: Ts): string {
  if (!t || !t.seconds) return "—";
  return new Date(Number(t.seconds) * 1000).toLocaleString("ru-RU", { timeZone: MOSCOW, day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" });
}

/** Milliseconds since the epoch of a timestamp (0 when unset). */
export function tsMillis(t?: { seconds: bigint; nanos: number }): number {
  return t ? Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6) : 0;
}

/** Today on this device's calendar. */
export function todayDate(): CalendarDay {
  const d = new Date();
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() };
}

/** Parses "2026-03-15" from a date input; undefined when empty. */
export function dateFromInput(v: string): CalendarDay | undefined {
  const [y, m, d] = v.split("-").map(Number);
  return y ? { year: y, month: m, day: d } : undefined;
}

/** The value of a date input for a date ("" when unset). */
export function inputFromDate(d?: CalendarDay): string {
  if (!d || !d.year) return "";
  return `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}
