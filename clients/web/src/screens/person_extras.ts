// Sections of the teacher card beyond the directory record: the sign-in account (create with a
// teacher grant, reset the password; the one-time password is shown once), the latest diagnostic
// result with its deficits, and the teacher's ИОМ.
import { confirmDialog } from "../forms";
import { Code, ConnectError } from "@connectrpc/connect";
import { api, requestId } from "../api";
import { hasAny } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import type { Person } from "../gen/nms/v1/directory_pb";
import { act, badge, dateText, errorNotice, field, fmt, h, idOf, loading, mount, notice, progressBar, table } from "../ui";
import { areaTitle, levelColor, levelTitle } from "./diagnostics";
import { routeStatusBadge } from "./routes";
import { pairStatusTitle, pairTypeTitle } from "./mentoring";

/** manage_accounts: school admin, municipal methodist, regional admin. */
const canManageAccounts = () => hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_ADMIN);

function passwordNotice(login: string, password: string, what: string): HTMLElement {
  return notice(
    "success",
    `${what} Передайте педагогу логин и одноразовый пароль — он показан только сейчас.`,
    h("dl", { class: "facts credentials" }, h("dt", {}, "Логин"), h("dd", {}, h("code", {}, login)), h("dt", {}, "Пароль"), h("dd", {}, h("code", { class: "otp" }, password))),
  );
}

export function accountSection(person: Person): HTMLElement {
  const out = h("div", { "aria-live": "polite" });
  if (!canManageAccounts()) return h("p", {}, person.account ? "Учётная запись есть." : "Учётной записи нет.");
  if (person.account) {
    const reset = h("button", { type: "button" }, "Сбросить пароль");
    reset.addEventListener("click", async () => {
      if (!(await confirmDialog("Сбросить пароль?", "Все сеансы педагога будут завершены; новый одноразовый пароль покажется здесь.", "Сбросить пароль"))) return;
      void act(reset, out, async () => {
        const r = await api.directory.resetPassword({ account: person.account, requestId: requestId() });
        mount(out, passwordNotice(person.email || person.account, r.oneTimePassword, "Пароль сброшен."));
      });
    });
    return h("div", { class: "card" }, h("p", {}, "Учётная запись есть: педагог входит в приложение и проходит диагностику."), reset, out);
  }
  const login = h("input", { type: "email", value: person.email, placeholder: "e-mail педагога" });
  const create = h("button", { type: "button", class: "primary" }, "Создать учётную запись");
  const card = h("div", { class: "card" }, h("p", {}, "Учётной записи нет — педагог не может войти в приложение."), h("div", { class: "row-actions" }, field("Логин", login, "обычно e-mail"), create), out);
  create.addEventListener("click", () =>
    void act(create, out, async () => {
      const acc = await api.directory.createAccount({ person: person.name, login: login.value.trim(), requestId: requestId() });
      await api.directory.createRoleGrant({ roleGrant: { account: acc.account, role: Role.TEACHER, scope: person.organization }, requestId: requestId() });
      // The form is done with: the card keeps only the credentials to hand over.
      mount(card, passwordNotice(acc.login, acc.oneTimePassword, "Учётная запись создана, роль «педагог» выдана."));
    }),
  );
  return card;
}

export function diagnosticsSection(person: Person): HTMLElement {
  const el = h("div", {}, loading());
  api.diagnostics
    .getIndividualReport({ person: person.name })
    .then((r) => {
      const c = r.current;
      if (!c) return mount(el, h("p", { class: "muted" }, "Итоговых результатов нет."));
      mount(
        el,
        h("p", {}, `Диагностика ${dateText(c.diagnosisDate)}: общий уровень `, h("strong", { style: `color:${levelColor[c.overallLevel] ?? "inherit"}` }, levelTitle[c.overallLevel] ?? "—"), ` (${fmt(c.overallScorePercent)} %).`, r.route ? h("span", {}, " ", h("a", { href: `#/routes/${idOf(r.route)}` }, "ИОМ по этому результату")) : null),
        table(
          ["Область", "Результат", "Уровень", ...(r.comparisons.length ? ["Было"] : [])],
          c.areaScores.map((a) => {
            const cmp = r.comparisons.find((x) => x.area === a.area);
            return [areaTitle[a.area] ?? "—", h("span", { class: "progress-cell" }, h("progress", { max: 100, value: Math.round(a.scorePercent), "aria-label": `${areaTitle[a.area] ?? ""}: ${fmt(a.scorePercent)} %` }), ` ${fmt(a.scorePercent)} %`), levelTitle[a.level] ?? "—", ...(r.comparisons.length ? [cmp ? `${fmt(cmp.previousScorePercent)} % (${cmp.deltaPercent >= 0 ? "+" : ""}${fmt(cmp.deltaPercent)})` : "—"] : [])];
          }),
          "По областям",
        ),
        c.deficits.length ? table(["№", "Дефицит", "Область", "Результат", "Порог"], c.deficits.map((d) => [String(d.rank), `${d.indicatorCode} ${d.title}`, areaTitle[d.area] ?? "—", `${fmt(d.scorePercent)} %`, `${fmt(d.thresholdPercent)} %`]), "Профессиональные дефициты") : h("p", {}, "Дефицитов нет."),
      );
    })
    .catch((e) => {
      if (ConnectError.from(e).code === Code.NotFound) mount(el, h("p", { class: "muted" }, "Итоговых результатов нет."));
      else mount(el, errorNotice(e));
    });
  return el;
}

export function routesSection(person: Person): HTMLElement {
  const el = h("div", {}, loading());
  api.route
    .listRoutes({ pageSize: 20, filter: `person = "${person.name}"` })
    .then((r) =>
      mount(
        el,
        r.routes.length
          ? table(
              ["Маршрут", "Статус", "Выполнение", "Сроки"],
              r.routes.map((x) => [
                h("a", { href: `#/routes/${idOf(x.name)}` }, `ИОМ с ${dateText(x.plannedStartDate)}`),
                routeStatusBadge(x.status),
                x.progress ? progressBar(x.progress.itemsDone + x.progress.itemsSkipped, x.progress.itemsTotal, "Закрыто пунктов") : "—",
                `${dateText(x.plannedStartDate)} — ${dateText(x.plannedEndDate)}`,
              ]),
            )
          : h("p", { class: "muted" }, "Маршрутов нет."),
      ),
    )
    .catch((e) => mount(el, errorNotice(e)));
  return el;
}


/** The teacher's mentoring pairs, as a mentee and as a mentor. */
export function mentoringSection(person: Person): HTMLElement {
  const el = h("div", {}, loading());
  Promise.all([
    api.mentoring.listMentoringPairs({ pageSize: 50, filter: `mentee = "${person.name}"` }),
    api.mentoring.listMentoringPairs({ pageSize: 50, filter: `mentor = "${person.name}"` }),
  ])
    .then(([asMentee, asMentor]) => {
      const rows = [...asMentee.pairs.map((p) => ["наставляемый", p] as const), ...asMentor.pairs.map((p) => ["наставник", p] as const)];
      mount(
        el,
        rows.length
          ? table(
              ["Роль", "Пара", "Вид", "Статус", "С"],
              rows.map(([role, p]) => {
                const [st, kind] = pairStatusTitle[p.status] ?? ["—", "muted"];
                return [role, `${p.mentorDisplayName} — ${p.menteeDisplayName}`, pairTypeTitle[p.pairType] ?? "—", badge(st, kind), dateText(p.startDate)];
              }),
            )
          : h("p", { class: "muted" }, "В наставничестве не участвует."),
      );
    })
    .catch((e) => mount(el, errorNotice(e)));
  return el;
}
