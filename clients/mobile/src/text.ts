// Russian number agreement, shared by the screens and the (DOM-free) notification rules.

/** "3 дня", "1 день", "5 дней". */
export function plural(n: number, one: string, few: string, many: string): string {
  const a = Math.abs(n) % 100, b = a % 10;
  if (a > 10 && a < 20) return `${n} ${many}`;
  if (b === 1) return `${n} ${one}`;
  if (b >= 2 && b <= 4) return `${n} ${few}`;
  return `${n} ${many}`;
}
