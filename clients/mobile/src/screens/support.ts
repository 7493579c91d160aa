// Support measures of a young teacher (школа молодого педагога, конкурсы, наставник, ИОМ…).
import { api, isNetworkError } from "../api";
import { fresh } from "../cache";
import { ListSupportMeasuresResponseSchema, SupportMeasureKind, SupportMeasureStatus } from "../gen/nms/v1/young_teacher_pb";
import { chip, dateText, errorNotice, h, loading, mount, notice, staleNote } from "../ui";

const kindTitle: Record<number, string> = {
  [SupportMeasureKind.MENTOR]: "Наставник",
  [SupportMeasureKind.ROUTE]: "ИОМ",
  [SupportMeasureKind.EVENT]: "Мероприятие для молодых педагогов",
  [SupportMeasureKind.CLUB]: "Клуб / сообщество",
  [SupportMeasureKind.COMPETITION]: "Конкурс",
  [SupportMeasureKind.METHODOLOGICAL_VISIT]: "Методическое сопровождение",
  [SupportMeasureKind.OTHER]: "Другое",
};

const statusTitle: Record<number, string> = {
  [SupportMeasureStatus.PLANNED]: "запланирована",
  [SupportMeasureStatus.ACTIVE]: "действует",
  [SupportMeasureStatus.COMPLETED]: "завершена",
  [SupportMeasureStatus.CANCELLED]: "отменена",
};

export async function supportScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Меры поддержки"), loading());
  try {
    const r = await fresh(ListSupportMeasuresResponseSchema, "measures", () => api.young.listSupportMeasures({ pageSize: 100 }), isNetworkError);
    const rows = [...r.msg.measures].sort((a, b) => (b.startDate?.year ?? 0) - (a.startDate?.year ?? 0) || (b.startDate?.month ?? 0) - (a.startDate?.month ?? 0));
    mount(
      main,
      h("h1", {}, "Меры поддержки"),
      r.stale ? staleNote(r.savedAt) : null,
      h("p", { class: "lead" }, "Молодым педагогам (до 35 лет, первые три года работы) регион предлагает поддержку: наставника, ИОМ, клубы, конкурсы, методическое сопровождение."),
      rows.length
        ? h(
            "ul",
            { class: "stack plain" },
            rows.map((m) =>
              h(
                "li",
                { class: "card measure" },
                h("p", { class: "muted" }, kindTitle[m.kind] ?? "Мера поддержки"),
                h("h2", {}, m.title || kindTitle[m.kind] || "Мера поддержки"),
                h("p", {}, chip(statusTitle[m.status] ?? "—", `ms-${m.status}`), ` ${dateText(m.startDate)}${m.endDate?.year ? ` — ${dateText(m.endDate)}` : ""}`),
                m.notes ? h("p", { class: "notes" }, m.notes) : null,
              ),
            ),
          )
        : notice("info", "Мер поддержки пока нет. Если вы молодой педагог, обратитесь к куратору наставничества в своей организации."),
    );
  } catch (e) {
    mount(main, h("h1", {}, "Меры поддержки"), errorNotice(e, () => void supportScreen(main)));
  }
}
