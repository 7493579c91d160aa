// Young teachers: the cohort with alerts (no mentor / no route / no recent support).
import { api } from "../api";
import { mainScope } from "../app";
import { YoungTeacherAlertKind } from "../gen/nms/v1/young_teacher_pb";
import { dateText, errorNotice, fmt, h, idOf, loading, mount, table, todayDate } from "../ui";

const alertTitle: Record<number, string> = {
  [YoungTeacherAlertKind.NO_MENTOR]: "нет наставника",
  [YoungTeacherAlertKind.NO_ROUTE]: "нет ИОМ",
  [YoungTeacherAlertKind.NO_RECENT_MEASURE]: "давно нет мер поддержки",
};

export async function youngScreen(main: HTMLElement) {
  document.title = "Молодые педагоги — НМС";
  const list = h("div", {}, loading());
  const alerts = h("div", {}, loading());
  mount(main, h("h1", {}, "Молодые педагоги"), h("p", { class: "muted" }, "До 35 лет и первые 3 года работы (правило настраивается в регионе)."),
    h("h2", {}, "Сигналы: кому нужна поддержка"), alerts, h("h2", {}, "Когорта"), list);
  api.young
    .listYoungTeacherAlerts({ scope: mainScope().scope, referenceDate: todayDate(), pageSize: 100 })
    .then((r) =>
      mount(alerts, r.alerts.length
        ? table(["Педагог", "Сигнал", "С какого времени", "Подробности"], r.alerts.map((a) => [h("a", { href: `#/people/${idOf(a.person)}` }, a.fullName), h("span", { class: "tag tag-alert" }, alertTitle[a.kind] ?? "—"), dateText(a.sinceDate), a.detail || "—"]))
        : h("p", { class: "muted" }, "Сигналов нет.")))
    .catch((e) => mount(alerts, errorNotice(e)));
  try {
    const r = await api.young.listCohort({ scope: mainScope().scope, referenceDate: todayDate(), pageSize: 200 });
    if (!r.youngTeachers.length) return mount(list, h("p", { class: "muted" }, "Молодых педагогов нет."));
    const withAlerts = r.youngTeachers.filter((y) => y.alerts.length).length;
    mount(
      list,
      h("p", {}, `Всего ${fmt(Number(r.totalSize))}; требуют внимания: ${withAlerts}.`),
      table(
        ["Педагог", "Организация", "Возраст", "Стаж, мес.", "Наставник", "ИОМ", "Сигналы"],
        r.youngTeachers.map((y) => [
          h("a", { href: `#/people/${idOf(y.person)}` }, y.fullName),
          y.organizationTitle,
          String(y.ageYears),
          String(y.experienceMonths),
          y.hasMentor ? "есть" : "нет",
          y.hasRoute ? "есть" : "нет",
          y.alerts.length ? h("span", { class: "alert-tags" }, y.alerts.map((a) => h("span", { class: "tag tag-alert" }, alertTitle[a] ?? ""))) : "—",
        ]),
      ),
    );
  } catch (e) {
    mount(list, errorNotice(e));
  }
}
