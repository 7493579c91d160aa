// Young teachers: the cohort of a scope with its summary against the region's target, a
// breakdown by the next level down (click to drill down), and the cohort list with alerts and
// filters (no mentor, no ИОМ, no recent support).
import { api } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { YoungTeacherAlertKind, type CohortSummary } from "../gen/nms/v1/young_teacher_pb";
import { alertsSection, measuresSection } from "./support";
import { badge, dateText, errorNotice, field, fmt, h, idOf, loading, mount, pagedList, progressBar, select, table, todayDate } from "../ui";

const alertTitle: Record<number, string> = {
  [YoungTeacherAlertKind.NO_MENTOR]: "нет наставника",
  [YoungTeacherAlertKind.NO_ROUTE]: "нет ИОМ",
  [YoungTeacherAlertKind.NO_RECENT_MEASURE]: "давно нет мер поддержки",
};
const FILTERS: [string, string][] = [
  ["", "все"],
  ["alerts:*", "с сигналами"],
  ["alerts:NO_MENTOR", "без наставника"],
  ["alerts:NO_ROUTE", "без ИОМ"],
  ["alerts:NO_RECENT_MEASURE", "давно нет мер поддержки"],
  ["in_support = true", "в поддержке"],
];
const PAGE = 25;

interface Crumb {
  scope: string;
  title: string;
}

export async function youngScreen(main: HTMLElement, trail: Crumb[] = [{ scope: mainScope().scope, title: mainScope().title }]) {
  document.title = "Молодые педагоги — НМС";
  const here = trail[trail.length - 1];
  const summary = h("div", {}, loading());
  const children = h("div", {});
  const filter = select(FILTERS, "alerts:*");
  const list = h("div", {});
  const crumbs = h(
    "nav",
    { class: "crumbs", "aria-label": "Уровень" },
    trail.map((c, i) => (i === trail.length - 1 ? h("span", { "aria-current": "page" }, c.title) : h("span", {}, h("a", { href: "#", onclick: (ev: Event) => { ev.preventDefault(); void youngScreen(main, trail.slice(0, i + 1)); } }, c.title), " › "))),
  );
  mount(
    main,
    h("h1", {}, "Молодые педагоги"),
    crumbs,
    summary,
    children,
    h("h2", {}, "Когорта"),
    h("div", { class: "filters" }, field("Показать", filter)),
    list,
    h("h2", {}, "Сигналы"),
    alertsSection(here.scope),
    h("h2", {}, "Меры поддержки"),
    measuresSection(here.scope.startsWith("organizations/") ? `organization = "${here.scope}"` : ""),
  );
  const reload = pagedList(
    list,
    PAGE,
    async (token) => {
      const r = await api.young.listCohort({ scope: here.scope, referenceDate: todayDate(), pageSize: PAGE, pageToken: token, filter: filter.value });
      return { items: r.youngTeachers, next: r.nextPageToken, total: r.totalSize };
    },
    (ys) =>
      table(
        ["Педагог", "Организация", "Возраст", "Стаж", "В когорте до", "Поддержка", "Сигналы"],
        ys.map((y) => [
          h("a", { href: `#/people/${idOf(y.person)}` }, y.fullName),
          y.organizationTitle,
          String(y.ageYears),
          `${Math.floor(y.experienceMonths / 12)} г. ${y.experienceMonths % 12} мес.`,
          dateText(y.cohortEndDate),
          h("span", {}, y.hasMentor ? badge("наставник", "ok") : null, " ", y.hasRoute ? badge("ИОМ", "ok") : null, y.activeMeasures ? h("small", {}, ` мер: ${y.activeMeasures}`) : null),
          y.alerts.length ? h("span", { class: "alert-tags" }, y.alerts.map((a) => badge(alertTitle[a] ?? "", "err"))) : "—",
        ]),
      ),
    "Никого не найдено.",
  );
  filter.addEventListener("change", () => void reload());
  void reload();
  try {
    const r = await api.young.getCohortSummary({ scope: here.scope, referenceDate: todayDate(), includeChildren: true });
    mount(summary, summaryCard(r.summary!, r.settings ? `До ${r.settings.ageLimitYears} лет и первые ${r.settings.experienceLimitYears} года работы; сигнал «давно нет мер» — после ${r.settings.alertWindowMonths} мес.` : ""));
    if (r.children.length) {
      mount(
        children,
        table(
          ["Подразделение", "В когорте", "В поддержке", "Без наставника", "Без ИОМ", "Нет мер"],
          r.children.map((c) => [
            h("a", { href: "#", onclick: (ev: Event) => { ev.preventDefault(); void youngScreen(main, [...trail, { scope: c.scope, title: c.title }]); } }, c.title),
            fmt(Number(c.cohortSize)),
            Number(c.cohortSize) ? h("span", {}, `${fmt(c.supportSharePercent)} % `, c.targetReached ? badge("цель", "ok") : badge("ниже цели", "warn")) : "—",
            fmt(Number(c.withoutMentor)),
            fmt(Number(c.withoutRoute)),
            fmt(Number(c.withoutRecentMeasure)),
          ]),
          "По подразделениям (нажмите, чтобы открыть)",
        ),
      );
    }
  } catch (e) {
    mount(summary, errorNotice(e));
  }
}

function summaryCard(s: CohortSummary, rule: string): HTMLElement {
  const size = Number(s.cohortSize);
  const canMatch = hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
  return h(
    "div",
    { class: "cards" },
    h("div", { class: `card indicator ind-${s.targetReached ? 1 : 2}` }, h("span", {}, "В поддержке"), h("span", { class: "ind-value" }, `${fmt(s.supportSharePercent)} %`), h("span", {}, `цель ${fmt(s.targetPercent)} % · `, s.targetReached ? "достигнута" : "не достигнута"), progressBar(Number(s.inSupport), size, "В поддержке")),
    h("div", { class: "card indicator" }, h("span", {}, "Молодых педагогов"), h("span", { class: "ind-value" }, fmt(size)), h("small", { class: "muted" }, rule)),
    h("div", { class: "card indicator" }, h("span", {}, "Без наставника"), h("span", { class: "ind-value" }, fmt(Number(s.withoutMentor))), canMatch ? h("a", { href: "#/mentoring" }, "Подобрать наставников") : null),
    h("div", { class: "card indicator" }, h("span", {}, "Без ИОМ"), h("span", { class: "ind-value" }, fmt(Number(s.withoutRoute)))),
    h("div", { class: "card indicator" }, h("span", {}, "Давно нет мер поддержки"), h("span", { class: "ind-value" }, fmt(Number(s.withoutRecentMeasure)))),
  );
}
