// Item analytics of an instrument as a file for Excel (shared CSV writer: BOM, `;`, decimal
// comma) and the plain-Russian words the screen and the file share. No DOM: unit-tested.
import { writeCsv } from "../../shared/csv";
import { OrganizationType } from "./gen/nms/v1/common_pb";
import { ItemResponseModel, type GetItemAnalyticsResponse, type ItemAnalysis } from "./gen/nms/v1/item_calibration_pb";

export const modelTitle: Record<number, string> = {
  [ItemResponseModel.TWO_PL]: "2PL",
  [ItemResponseModel.RASCH]: "Раш",
  [ItemResponseModel.EXCLUDED]: "не калибровано",
};

export const difTypeTitle: Record<number, string> = {
  [OrganizationType.SCHOOL]: "ОО",
  [OrganizationType.KINDERGARTEN]: "ДОО",
  [OrganizationType.COLLEGE]: "СПО",
  [OrganizationType.ADDITIONAL_EDUCATION]: "ДПО",
  [OrganizationType.CHILDREN_ADDITIONAL_EDUCATION]: "ДО детей",
};

const pct = (share: number) => `${Math.round(share * 100)} %`;

/** A p-value as people read it: three decimals, tiny ones as "< 0,001". */
export function pText(p: number): string {
  return p < 0.001 ? "< 0,001" : p.toFixed(3).replace(".", ",");
}

/** Options of a choice item: "a — 62 % (верный); b — 20 %; …". */
export function distractorText(i: ItemAnalysis): string {
  return i.options.map((o) => `${o.optionId} — ${pct(o.share)}${o.correct ? " (верный)" : ""}`).join("; ");
}

/** DIF of an item against the reference type, only the groups that were large enough. */
export function difText(i: ItemAnalysis, reference: number): string {
  const ref = difTypeTitle[reference] ?? "—";
  const parts = i.dif
    .filter((d) => d.enough)
    .map((d) => {
      const who = difTypeTitle[d.focal] ?? "—";
      const word = d.category === "C" ? "сильное" : d.category === "B" ? "умеренное" : "нет";
      return d.category === "A" ? `${who}/${ref}: нет` : `${who}/${ref}: ${word}, ${d.delta < 0 ? `труднее для ${who}` : `легче для ${who}`}`;
    });
  return parts.length ? parts.join("; ") : "мало данных";
}

/** Plain warnings of an item: the analytics' flags, misfit of the model. */
export function itemWarnings(i: ItemAnalysis): string[] {
  const out = [...i.flags];
  if (i.calibration?.misfit) out.push("не согласуется с моделью (в адаптивный банк не входит)");
  return out;
}

export const CSV_HEADER = [
  "№",
  "Задание",
  "Текст",
  "Ответов",
  "Доля выполнения",
  "Дискриминация",
  "Модель",
  "a (различающая способность)",
  "b (трудность)",
  "Согласие с моделью, p",
  "Выбор вариантов",
  "Различия по типам организаций",
  "Замечания",
];

export function itemAnalyticsCsv(r: GetItemAnalyticsResponse): string {
  return writeCsv(
    CSV_HEADER,
    r.items.map((i) => {
      const c = i.calibration;
      const calibrated = c && c.model !== ItemResponseModel.EXCLUDED && c.model !== ItemResponseModel.UNSPECIFIED;
      return [
        i.position,
        i.itemId,
        i.text,
        i.responses,
        i.difficulty,
        i.discrimination ?? "",
        c ? (modelTitle[c.model] ?? "") : "",
        calibrated ? c.discrimination : "",
        calibrated ? c.difficulty : "",
        calibrated && c.fitDf > 0 ? pText(c.fitP) : "",
        distractorText(i),
        difText(i, r.difReference),
        itemWarnings(i).join("; "),
      ];
    }),
  );
}
