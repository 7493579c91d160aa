// Calendar-date arithmetic for every browser screen (one helper, not one per client).

/** A plain calendar date, as nms.v1.Date carries it. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** Days from `today` to `d` (negative when past); both plain calendar dates. */
export function daysUntil(d: CalendarDay, today: CalendarDay): number {
  const a = Date.UTC(d.year, d.month - 1, d.day);
  const b = Date.UTC(today.year, today.month - 1, today.day);
  return Math.round((a - b) / 86400000);
}
