// Russian number agreement, shared by the screens and the (DOM-free) notification rules.

const rules = new Intl.PluralRules("ru-RU");

/**
 * "1 день", "3 дня", "5 дней" — the form Intl.PluralRules picks for Russian ("one", "few",
 * "many"; fractions are "other" and take the genitive singular: "1,5 дня"). Whole phrases agree
 * too: plural(n, "ответ сохранён", "ответа сохранены", "ответов сохранены").
 */
export function plural(n: number, one: string, few: string, many: string): string {
  const form = rules.select(n);
  const word = form === "one" ? one : form === "few" || form === "other" ? few : many;
  return `${n.toLocaleString("ru-RU")} ${word}`;
}
