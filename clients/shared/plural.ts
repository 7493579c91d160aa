// Russian number agreement for every browser screen (one helper, not one per screen).

const rules = new Intl.PluralRules("ru-RU");

/**
 * "1 запись", "3 записи", "5 записей" — the form Intl.PluralRules picks for Russian ("one", "few",
 * "many"; fractions are "other" and take the genitive singular: "1,5 дня").
 */
export function plural(n: number, one: string, few: string, many: string): string {
  const form = rules.select(n);
  const word = form === "one" ? one : form === "few" || form === "other" ? few : many;
  return `${n.toLocaleString("ru-RU")} ${word}`;
}
