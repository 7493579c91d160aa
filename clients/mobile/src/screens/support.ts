// Support measures of a young teacher (школа молодого педагога, конкурсы, наставник, ИОМ…).
import { api, isNetworkError } from "../api";
import { fresh } from "../cache";
import { ListCohortResponseSchema, ListSupportMeasuresResponseSchema, SupportMeasureKind, SupportMeasureStatus, YoungTeacherAlertKind, type YoungTeacher } from "../gen/nms/v1/young_teacher_pb";
import { chip, dateText, errorNotice, h, loading, mount, notice, staleNote } from "../ui";
import { settle } from "../data";

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

const alertText: Record<number, string> = {
  [YoungTeacherAlertKind.NO_MENTOR]: "у вас пока нет наставника — его можно попросить в разделе «Наставник»",
  [YoungTeacherAlertKind.NO_ROUTE]: "у вас пока нет утверждённого ИОМ",
  [YoungTeacherAlertKind.NO_RECENT_MEASURE]: "давно не было мер поддержки",
};

/** "You are in the cohort until …" with what is missing, from ListCohort on the teacher's own scope. */
function cohortNote(me: YoungTeacher | undefined): HTMLElement {
  if (!me) return h("p", { class: "muted" }, "Сейчас вы не входите в число молодых педагогов региона; меры поддержки, если они были, перечислены ниже.");
  return h(
    "section",
    { class: "card accent" },
    h("h2", {}, "Вы — молодой педагог"),
    h("p", {}, `Поддержка положена до ${dateText(me.cohortEndDate)}. ${me.inSupport ? "Сейчас у вас есть действующая мера поддержки." : "Сейчас действующих мер поддержки нет."}`),
    me.alerts.length ? h("ul", { class: "plain" }, me.alerts.map((a) => h("li", {}, `• ${alertText[a] ?? ""}`))) : null,
  );
}

export async function supportScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Меры поддержки"), loading());
  try {
    const [r, cohort] = await Promise.all([
      fresh(ListSupportMeasuresResponseSchema, "measures", () => api.young.listSupportMeasures({ pageSize: 100 }), isNetworkError),
      // An empty scope is the caller's own: for a teacher, themselves (or nobody if not young).
      settle(fresh(ListCohortResponseSchema, "cohort", () => api.young.listCohort({ pageSize: 1 }), isNetworkError)),
    ]);
    const rows = [...r.msg.measures].sort((a, b) => (b.startDate?.year ?? 0) - (a.startDate?.year ?? 0) || (b.startDate?.month ?? 0) - (a.startDate?.month ?? 0));
    mount(
      main,
      h("h1", {}, "Меры поддержки"),
      r.stale ? staleNote(r.savedAt) : null,
      h("p", { class: "lead" }, "Молодым педагогам (до 35 лет, первые три года работы) регион предлагает поддержку: наставника, ИОМ, клубы, конкурсы, методическое сопровождение."),
      cohort ? cohortNote(cohort.msg.youngTeachers[0]) : null,
      rows.length
        ? h(
            "ul",
            { class: "stack plain" },
            rows.map((m) =>
              h(
                "li",
                { class: "card measure" },
                h("p", { class: "muted" }, kindTitle[m.kind] ?? "Мера поддержки", m.derived ? " · учтена автоматически" : ""),
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
