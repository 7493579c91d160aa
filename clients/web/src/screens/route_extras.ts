// A route's header edits (goal, notes, dates — while it is a draft) and the enrolment on its ДПП
// programmes: the school approves or rejects the teacher's application, the provider's enrolment
// is confirmed (policy: route/items.cc EnrolmentRoleMay).
import { api, requestId } from "../api";
import { hasAny } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { EnrolmentStatus, RouteStatus, type Route, type RouteItem } from "../gen/nms/v1/route_pb";
import { actionButton, allowed, formDialog, type Permission } from "../forms";
import { badge, dateText, errorNotice, h, mount, notice, table, tsText } from "../ui";

const enrolmentTitle: Record<number, [string, "ok" | "warn" | "err" | "info" | "muted"]> = {
  [EnrolmentStatus.APPLIED]: ["заявка подана", "warn"],
  [EnrolmentStatus.APPROVED]: ["одобрена организацией", "info"],
  [EnrolmentStatus.ENROLLED]: ["зачислен", "ok"],
  [EnrolmentStatus.WITHDRAWN]: ["заявка отозвана", "muted"],
  [EnrolmentStatus.REJECTED]: ["заявка отклонена", "err"],
};

/** "Изменить" of a draft route's goal, notes and planned dates (edit_route: methodists). */
export function routeEditButton(r: Route, reload: (msg?: HTMLElement) => void): HTMLElement | null {
  if (!hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST)) return null;
  const perm: Permission = r.status === RouteStatus.DRAFT ? allowed : { allowed: false, reason: "Содержание меняется только в черновике (верните маршрут на доработку)." };
  return actionButton("Изменить цель и сроки", perm, async () => {
    const fresh = (await api.route.getRoute({ name: r.name })).route!;
    const saved = await formDialog({
      title: "Цель и сроки ИОМ",
      fields: [
        { key: "goal", label: "Цель", type: "textarea", required: true },
        { key: "notes", label: "Формы и темп", type: "textarea" },
        { key: "plannedStartDate", label: "Начало", type: "date", required: true },
        { key: "plannedEndDate", label: "Окончание", type: "date", required: true },
      ],
      value: fresh as unknown as Record<string, unknown>,
      check: (v): Record<string, string> => {
        const s = v.plannedStartDate as { year: number; month: number; day: number }, e = v.plannedEndDate as typeof s;
        return s && e && Date.UTC(e.year, e.month - 1, e.day) < Date.UTC(s.year, s.month - 1, s.day) ? { plannedEndDate: "Раньше начала" } : {};
      },
      submit: (v, changed) => api.route.updateRoute({ route: { ...v, name: fresh.name, version: fresh.version }, updateMask: { paths: changed }, requestId: requestId() }),
    });
    if (saved) reload(notice("success", "Цель и сроки сохранены."));
  });
}

function enrolmentActions(i: RouteItem, r: Route, reload: (msg?: HTMLElement) => void): HTMLElement {
  const st = i.enrolment?.status ?? EnrolmentStatus.UNSPECIFIED;
  const school: Permission = hasAny(Role.SCHOOL_ADMIN) ? allowed : { allowed: false, reason: "одобряет администратор организации" };
  const confirmer: Permission = hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN) ? allowed : { allowed: false, reason: "нет прав" };
  const live = r.status === RouteStatus.AGREED || r.status === RouteStatus.APPROVED || r.status === RouteStatus.IN_PROGRESS;
  const box = h("span", { class: "row-actions" });
  const step = (title: string, submitText: string, needReason: boolean, call: (comment: string) => Promise<unknown>, done: string) => async () => {
    const saved = await formDialog({
      title: `${title}: «${i.title}»`,
      submitText,
      fields: [{ key: "comment", label: needReason ? "Причина" : "Комментарий", type: "textarea", required: needReason }],
      submit: (v) => call(String(v.comment ?? "")),
    });
    if (saved) reload(notice("success", done));
  };
  if (!live) return box;
  if (st === EnrolmentStatus.APPLIED) {
    box.append(
      actionButton("Одобрить", school, step("Одобрить заявку", "Одобрить", false, (comment) => api.route.approveRouteItemEnrolment({ name: i.name, comment, version: i.version, requestId: requestId() }), `Заявка на «${i.title}» одобрена.`)),
      actionButton("Отклонить", school, step("Отклонить заявку", "Отклонить", true, (comment) => api.route.rejectRouteItemEnrolment({ name: i.name, comment, version: i.version, requestId: requestId() }), `Заявка на «${i.title}» отклонена.`), "danger"),
    );
  }
  if (st === EnrolmentStatus.APPROVED) {
    box.append(actionButton("Подтвердить зачисление", confirmer, step("Подтвердить зачисление", "Подтвердить", false, (comment) => api.route.confirmRouteItemEnrolment({ name: i.name, comment, version: i.version, requestId: requestId() }), `Зачисление на «${i.title}» подтверждено.`)));
  }
  return box;
}

/** The route's ДПП programmes (section 1.1) with their enrolment and the next step. */
export function enrolmentSection(r: Route, reload: (msg?: HTMLElement) => void): HTMLElement {
  const el = h("div", {});
  api.route
    .listRouteItems({ parent: r.name, pageSize: 100, filter: "section = ROUTE_SECTION_FURTHER_TRAINING" })
    .then((res) => {
      const items = res.items;
      if (!items.length) return mount(el, h("p", { class: "muted" }, "Программ ДПП в маршруте нет."));
      mount(el, table(["Программа", "Срок", "Заявка", "Подана", ""], items.map((i) => {
        const e = i.enrolment;
        const [t, k] = enrolmentTitle[e?.status ?? 0] ?? ["заявки нет", "muted"];
        return [i.title, dateText(i.deadline), h("span", {}, badge(t, k), e?.decisionComment ? h("small", { class: "muted" }, ` ${e.decisionComment}`) : null), tsText(e?.applyTime), enrolmentActions(i, r, reload)];
      })));
    })
    .catch((e) => mount(el, errorNotice(e)));
  return el;
}
