// One ИОМ: the document's header, signatures, deficits and their coverage, the roadmap by
// template section (edit items while a draft: from the catalogue or by hand), the lifecycle
// actions with comments, status history, the re-diagnosis effect and the printable document.
import { formDialog } from "../forms";
import { enrolmentSection, routeEditButton } from "./route_extras";
import { detailInputs, detailsEditor, detailsLines } from "./route_details";
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { api, requestId, session } from "../api";
import { hasAny, mainScope, roleTitle } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import {
  RouteChangeKind, RouteItemStatus, RouteRevisionKind, RouteSection, RouteSignatureKind, RouteStatus, RouteTransition,
  AccompanimentRole, ActivityKind, RouteMentoringRole, type Activity, type MethodistLoad, type Route, type RouteItem,
} from "../gen/nms/v1/route_pb";
import { act, badge, dateFromInput, dateText, downloadLink, errorNotice, field, fmt, h, idOf, inputFromDate, loading, mount, notice, progressBar, table, tsText } from "../ui";
import { areaTitle, levelTitle } from "./diagnostics";
import { routeStatusBadge, routeStatusTitle } from "./routes";
import { confirmDialog, askDialog } from "../../../shared/dialog";
import { beforeAfterBars } from "../charts";
import { plural } from "../../../shared/plural";
import { deficitState } from "../route_register";

export const sectionTitle: Record<number, string> = {
  [RouteSection.FURTHER_TRAINING]: "1.1 Повышение квалификации, переподготовка (ДПП)",
  [RouteSection.INTERNSHIP]: "1.2 Стажировки",
  [RouteSection.EVENTS]: "1.3 Мероприятия (семинары, вебинары, конференции, мастер-классы)",
  [RouteSection.COMMUNITIES]: "1.4 Профессиональные сообщества, методические объединения",
  [RouteSection.EXPERIENCE_PRESENTATION]: "2.1 Представление собственного опыта",
  [RouteSection.METHODOLOGICAL_MATERIALS]: "2.2 Собственные методические материалы",
  [RouteSection.MENTORING]: "3 Наставничество",
};
const itemStatusTitle: Record<number, [string, "ok" | "warn" | "info" | "muted"]> = {
  [RouteItemStatus.PLANNED]: ["запланирован", "muted"],
  [RouteItemStatus.IN_PROGRESS]: ["выполняется", "info"],
  [RouteItemStatus.DONE]: ["выполнен", "ok"],
  [RouteItemStatus.SKIPPED]: ["пропущен", "warn"],
};
const signatureTitle: Record<number, string> = {
  [RouteSignatureKind.TEACHER]: "педагог",
  [RouteSignatureKind.SCHOOL_REPRESENTATIVE]: "представитель организации",
  [RouteSignatureKind.APPROVER]: "утверждено",
};
const transitionTitle: Record<number, string> = {
  [RouteTransition.CREATE]: "создан",
  [RouteTransition.SIGN]: "подписан",
  [RouteTransition.AGREE]: "согласован",
  [RouteTransition.APPROVE]: "утверждён",
  [RouteTransition.START]: "начато выполнение",
  [RouteTransition.COMPLETE]: "завершён",
  [RouteTransition.CANCEL]: "отменён",
  [RouteTransition.RETURN_FOR_REVISION]: "возвращён на доработку",
  [RouteTransition.REVISE]: "пересмотрен по новой диагностике",
};

const changeTitle: Record<number, string> = {
  [RouteChangeKind.ITEM_ADDED]: "Добавлены пункты",
  [RouteChangeKind.ITEM_NOT_NEEDED]: "Больше не нужны",
  [RouteChangeKind.ITEM_KEPT]: "Оставлены",
  [RouteChangeKind.DEFICIT_CLOSED]: "Дефициты закрыты",
  [RouteChangeKind.DEFICIT_NEW]: "Новые дефициты",
  [RouteChangeKind.DEFICIT_REMAINING]: "Дефициты сохраняются",
};

/** What each revision changed and why (ListRouteRevisions), newest first; the latest open. */
async function revisionsView(el: HTMLElement, r: Route) {
  if (r.revision <= 1 && !r.previousRoute) return mount(el);
  try {
    const revs = (await api.route.listRouteRevisions({ parent: r.name, pageSize: 50 })).revisions;
    mount(
      el,
      h("h2", {}, "Что изменилось"),
      ...revs.map((v, i) =>
        h(
          "details",
          { class: "card revision", open: i === 0, "data-revision": String(v.revision) },
          h(
            "summary",
            {},
            v.kind === RouteRevisionKind.NEXT_PERIOD
              ? `Маршрут на следующий период после `
              : `Редакция ${v.revision}: пересмотр по диагностике от ${dateText(v.diagnosisDate)}`,
            v.kind === RouteRevisionKind.NEXT_PERIOD && v.previousRoute ? h("a", { href: `#/routes/${idOf(v.previousRoute)}` }, "завершённого") : null,
            v.kind === RouteRevisionKind.NEXT_PERIOD ? ` (диагностика от ${dateText(v.diagnosisDate)})` : null,
          ),
          h(
            "p",
            { class: "muted" },
            `${routeStatusTitle[v.fromStatus] ?? "—"} → черновик · ${v.actorFullName || "—"}, ${tsText(v.createTime)}`,
            v.comment ? ` · ${v.comment}` : "",
          ),
          table(
            ["Что", "Пункт или дефицит", "Почему"],
            v.changes.map((c) => [changeTitle[c.kind] ?? "—", c.indicatorCode && !c.item ? `${c.indicatorCode} ${c.title}` : c.title, c.reason]),
          ),
        ),
      ),
    );
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

/** edit_route for non-teachers; the route's own teacher edits in the teachers' app. */
const canEdit = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST);

const back = () => h("p", { class: "back no-print" }, h("a", { href: "#/routes" }, "← К списку ИОМ"));

export async function routeScreen(main: HTMLElement, id: string, print: boolean, message?: HTMLElement) {
  const name = `routes/${id}`;
  if (print) return printView(main, name);
  document.title = "ИОМ — НМС";
  mount(main, back(), loading());
  let route: Route;
  try {
    route = (await api.route.getRoute({ name })).route!;
  } catch (e) {
    return mount(main, back(), h("h1", {}, "ИОМ"), errorNotice(e));
  }
  document.title = `ИОМ: ${route.header?.fullName ?? ""} — НМС`;
  const reload = (msg?: HTMLElement) => void routeScreen(main, id, false, msg);
  const editable = route.status === RouteStatus.DRAFT && canEdit();
  const history = h("div", {}, loading());
  const effect = h("div", {});
  const revisions = h("div", {});
  mount(
    main,
    back(),
    h("h1", {}, `ИОМ: ${route.header?.fullName ?? ""} `, routeStatusBadge(route.status)),
    h("p", { class: "row-actions no-print" }, h("a", { href: `#/routes/${id}/print`, class: "button-like" }, "Печатная форма"), route.person ? h("a", { href: `#/people/${idOf(route.person)}` }, "Карточка педагога") : null),
    message ?? null,
    route.revisionComment ? notice("warn", route.revision > 1 ? `Пересмотрен (редакция ${route.revision}): ${route.revisionComment}` : `Возвращён на доработку: ${route.revisionComment}`) : null,
    route.newerResult ? notice("info", "У педагога есть итоговая диагностика новее той, по которой построен маршрут: его можно пересмотреть.") : null,
    headerFacts(route, reload),
    lifecycleCard(route, reload),
    revisions,
    h("h2", {}, "Подписи"),
    signatures(route),
    route.deficits.length ? h("h2", {}, "Дефициты и их закрытие") : null,
    route.deficits.length ? deficitsTable(route) : null,
    routeEditButton(route, reload),
    h("h2", {}, "Зачисление на программы ДПП"),
    enrolmentSection(route, reload),
    h("h2", {}, "Дорожная карта"),
    editable ? h("p", { class: "muted" }, "Черновик можно менять: пункты по разделам шаблона, из каталога мероприятий или свои.") : null,
    ...Object.keys(sectionTitle).map(Number).map((s) => sectionView(route, s, editable, reload)),
    h("h2", {}, "История"),
    history,
    effect,
  );
  void historyView(history, name);
  void revisionsView(revisions, route);
  if (route.status === RouteStatus.IN_PROGRESS || route.status === RouteStatus.COMPLETED) void effectView(effect, name);
}

function headerFacts(r: Route, reload: (msg?: HTMLElement) => void): HTMLElement {
  const hd = r.header;
  const p = r.progress;
  return h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Организация"), h("dd", {}, [hd?.organizationTitle, hd?.municipalityTitle].filter(Boolean).join(", ") || "—"),
    h("dt", {}, "Должность, предмет"), h("dd", {}, [hd?.position, hd?.subject].filter(Boolean).join(", ") || "—"),
    h("dt", {}, "Диагностика"), h("dd", {}, hd?.diagnosisDate?.year ? `${dateText(hd.diagnosisDate)}: уровень ${levelTitle[hd.overallLevel] ?? "—"}, ${plural(hd.deficitCount, "дефицит", "дефицита", "дефицитов")}` : "—"),
    h("dt", {}, "Цель"), h("dd", {}, r.goal || "—"),
    h("dt", {}, "Сроки"), h("dd", {}, `${dateText(r.plannedStartDate)} — ${dateText(r.plannedEndDate)}`),
    h("dt", {}, "Выполнение"), h("dd", {}, p ? progressBar(p.itemsDone + p.itemsSkipped, p.itemsTotal, "Закрыто пунктов") : "—", p ? ` · часов ${p.hoursDone} из ${p.hoursPlanned}` : ""),
    h("dt", {}, "Дефициты"), h("dd", {}, deficitsText(r)),
    r.notes ? h("dt", {}, "Формы и темп") : null, r.notes ? h("dd", {}, r.notes) : null,
    h("dt", {}, "Сопровождает"), h("dd", {}, accompaniment(r, reload)),
  );
}

const accompanimentTitle: Record<number, string> = {
  [AccompanimentRole.REGIONAL_METHODIST]: "региональный методист",
  [AccompanimentRole.TUTOR]: "педагог-тьютор",
  [AccompanimentRole.MUNICIPAL_METHODIST]: "муниципальный методист",
};

/** Who accompanies the route; methodists assign one from the loads of their scope (least loaded first). */
function accompaniment(r: Route, reload: (msg?: HTMLElement) => void): HTMLElement {
  const who = h("span", {}, r.methodist ? "…" : "не назначен");
  if (r.methodist) {
    api.directory.getPerson({ name: r.methodist }).then(
      (p) => (who.textContent = `${[p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ")}, ${accompanimentTitle[r.methodistRole] ?? ""}`),
      () => (who.textContent = accompanimentTitle[r.methodistRole] ?? r.methodist),
    );
  }
  if (!canEdit() || r.status === RouteStatus.COMPLETED || r.status === RouteStatus.CANCELLED) return who;
  const pick = h("select", { "aria-label": "Сопровождающий методист" }, h("option", { value: "" }, "Загрузка…"));
  const out = h("span", { "aria-live": "polite" });
  let loads: MethodistLoad[] = [];
  api.route
    .listMethodistLoads({ scope: mainScope().scope, pageSize: 200 })
    .then((x) => {
      loads = [...x.loads].sort((a, b) => a.teachersAssigned - b.teachersAssigned);
      mount(pick, h("option", { value: "" }, loads.length ? "— назначить —" : "методистов нет"), ...loads.map((l) => h("option", { value: l.methodist }, `${l.fullName} (${accompanimentTitle[l.role] ?? ""}, педагогов: ${l.teachersAssigned})`)));
    })
    .catch(() => pick.remove());
  const assign = h("button", { type: "button", class: "small" }, "Назначить");
  assign.addEventListener("click", () => {
    const l = loads.find((x) => x.methodist === pick.value);
    if (!l) return;
    void act(assign, out, async () => {
      await api.route.assignRouteMethodist({ name: r.name, methodist: l.methodist, role: l.role, version: r.version, requestId: requestId() });
      reload(notice("success", `Сопровождающий назначен: ${l.fullName}.`));
    });
  });
  return h("span", { class: "row-actions" }, who, pick, assign, out);
}

function signatures(r: Route): HTMLElement {
  const kinds = [RouteSignatureKind.TEACHER, RouteSignatureKind.SCHOOL_REPRESENTATIVE, RouteSignatureKind.APPROVER];
  return table(
    ["Подпись", "Кто", "Когда"],
    kinds.map((k) => {
      const s = r.signatures.find((x) => x.kind === k);
      return [signatureTitle[k], s ? [s.fullName, s.positionTitle].filter(Boolean).join(", ") : h("span", { class: "muted" }, "нет"), s ? tsText(s.signTime) : "—"];
    }),
  );
}

/** Covered (items planned for it) and closed (every such item done) are different things. */
function deficitsText(r: Route): string {
  const d = deficitState(r);
  if (!d.total) return "нет";
  return `${d.total}: охвачены пунктами ${d.covered}, закрыты (все пункты выполнены) ${d.closed}`;
}

function deficitsTable(r: Route): HTMLElement {
  const status = new Map(r.items.map((i) => [i.name, i.status]));
  return table(
    ["Индикатор", "Область", "Результат", "Пункты по дефициту", "Закрыт"],
    r.deficits.map((d) => {
      const done = d.coveredByItems.filter((n) => status.get(n) === RouteItemStatus.DONE).length;
      return [
        `${d.indicatorCode} ${d.title}`,
        areaTitle[d.area] ?? "—",
        `${fmt(d.scorePercent)} %`,
        d.coveredByItems.length ? `${d.coveredByItems.length}, выполнено ${done}` : h("span", { class: "warn-text" }, d.uncoveredReason || "не охвачен пунктами"),
        d.coveredByItems.length && done === d.coveredByItems.length ? badge("закрыт", "ok") : "нет",
      ];
    }),
  );
}

/** Lifecycle actions available to the caller in the route's status, with one comment field. */
function lifecycleCard(r: Route, reload: (msg?: HTMLElement) => void): HTMLElement | null {
  const comment = h("textarea", { rows: 2, class: "prose" });
  const out = h("div", { "aria-live": "polite" });
  const buttons: HTMLElement[] = [];
  const base = () => ({ name: r.name, comment: comment.value.trim(), version: r.version, requestId: requestId() });
  const add = (title: string, primary: boolean, needsReason: boolean, done: string, f: () => Promise<unknown>) => {
    const b = h("button", { type: "button", class: primary ? "primary" : "" }, title);
    b.addEventListener("click", () => {
      if (needsReason && !comment.value.trim()) {
        mount(out, notice("error", "Укажите причину в поле «Комментарий»."));
        comment.focus();
        return;
      }
      void act(b, out, async () => {
        await f();
        reload(notice("success", done));
      }, "");
    });
    buttons.push(b);
  };
  const st = r.status;
  const schoolSigned = r.signatures.some((s) => s.kind === RouteSignatureKind.SCHOOL_REPRESENTATIVE);
  const own = r.person !== "" && r.person === session.principal?.person;
  if (st === RouteStatus.DRAFT && hasAny(Role.SCHOOL_ADMIN) && !schoolSigned && !own)
    add("Согласовать от организации", true, false, "Маршрут подписан от организации.", () => api.route.agreeRoute({ ...base(), signatureKind: RouteSignatureKind.SCHOOL_REPRESENTATIVE }));
  if (st === RouteStatus.AGREED && hasAny(Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN) && !own)
    add("Утвердить", true, false, "Маршрут утверждён.", () => api.route.approveRoute(base()));
  if (st === RouteStatus.APPROVED && hasAny(Role.REGIONAL_METHODIST, Role.MUNICIPAL_METHODIST))
    add("Начать выполнение", true, false, "Выполнение маршрута начато.", () => api.route.startRoute(base()));
  if (st === RouteStatus.IN_PROGRESS && hasAny(Role.REGIONAL_METHODIST, Role.MUNICIPAL_METHODIST))
    add("Завершить маршрут", false, false, "Маршрут завершён.", () => api.route.completeRoute(base()));
  if ((st === RouteStatus.AGREED || st === RouteStatus.APPROVED) && hasAny(Role.SCHOOL_ADMIN, Role.REGIONAL_METHODIST, Role.MUNICIPAL_METHODIST, Role.REGIONAL_ADMIN))
    add("Вернуть на доработку", false, true, "Маршрут возвращён на доработку.", () => api.route.returnRouteForRevision(base()));
  // ReviseRoute (edit_route): an open route, or the teacher's last one completed, with a newer FINAL result.
  if (r.newerResult && st !== RouteStatus.CANCELLED && canEdit())
    add(st === RouteStatus.COMPLETED ? "Построить маршрут на следующий период" : "Пересмотреть по новой диагностике", true, false, "Маршрут пересмотрен по новой диагностике: изменения — ниже.", async () => {
      const got = await api.route.reviseRoute({ ...base(), diagnosticResult: r.newerResult });
      if (got.route && got.route.name !== r.name) location.hash = `#/routes/${idOf(got.route.name)}`;
    });
  if (st !== RouteStatus.COMPLETED && st !== RouteStatus.CANCELLED && hasAny(Role.REGIONAL_METHODIST, Role.MUNICIPAL_METHODIST, Role.REGIONAL_ADMIN))
    add("Отменить маршрут", false, true, "Маршрут отменён.", () => api.route.cancelRoute(base()));
  if (!buttons.length) return null;
  return h(
    "div",
    { class: "card actions no-print" },
    h("h2", {}, "Действия"),
    field("Комментарий", comment, "попадёт в историю; для возврата и отмены — обязательна причина"),
    h("div", { class: "row-actions" }, buttons),
    out,
  );
}

/** Methodists help carry a route out (carry_out_route): mark an item done or skip it with a reason. */
function itemStatusActions(i: RouteItem, out: HTMLElement, reload: (msg?: HTMLElement) => void): HTMLElement | string {
  if (i.status === RouteItemStatus.DONE || i.status === RouteItemStatus.SKIPPED) return "";
  const set = (b: HTMLElement, status: RouteItemStatus, skipReason = "") =>
    void act(b, out, async () => {
      await api.route.updateRouteItemStatus({ name: i.name, status, skipReason, version: i.version, requestId: requestId() });
      reload(notice("success", status === RouteItemStatus.DONE ? `Пункт «${i.title}» выполнен.` : `Пункт «${i.title}» пропущен.`));
    });
  const done = h("button", { type: "button", class: "small" }, "Выполнен");
  done.addEventListener("click", () => set(done, RouteItemStatus.DONE));
  const skip = h("button", { type: "button", class: "small" }, "Пропустить");
  skip.addEventListener("click", async () => {
    const r = await askDialog({ title: `Пропустить пункт «${i.title}»`, fields: [{ name: "reason", label: "Почему пункт пропускается", kind: "textarea", required: true }], ok: "Пропустить пункт" });
    if (r) set(skip, RouteItemStatus.SKIPPED, r.reason);
  });
  return h("span", { class: "row-actions" }, done, skip);
}

function sectionView(r: Route, s: RouteSection, editable: boolean, reload: (msg?: HTMLElement) => void): HTMLElement | null {
  const items = r.items.filter((i) => i.section === s);
  if (!items.length && !editable) return null;
  const out = h("div", { "aria-live": "polite" });
  const carrying = r.status === RouteStatus.IN_PROGRESS && canEdit();
  return h(
    "section",
    { class: "route-section" },
    h("h3", {}, sectionTitle[s]),
    items.length
      ? table(
          ["№", "Мероприятие", "Форма, часы", "Срок", "Закрывает", "Почему", "Статус", ...(editable ? ["Изменить"] : []), ...(carrying ? ["Отметить"] : [])],
          items.map((i) => {
            const [st, kind] = itemStatusTitle[i.status] ?? ["—", "muted"];
            return [
              String(i.position),
              h("span", {}, i.title, detailsLines(i)),
              [i.form, i.hours ? `${i.hours} ч` : ""].filter(Boolean).join(", ") || "—",
              dateText(i.deadline),
              i.closesIndicatorCodes.join(", ") || "—",
              longText(i.reason),
              h(
                "span",
                {},
                i.notNeededSinceRevision ? badge(`не нужен с ред. ${i.notNeededSinceRevision}`, "muted") : badge(st, kind),
                i.addedInRevision > 1 ? badge(`добавлен в ред. ${i.addedInRevision}`, "info") : null,
                i.skipReason ? h("small", { class: "muted" }, ` ${i.skipReason}`) : null,
              ),
              ...(editable ? [itemEditor(i, out, reload)] : []),
              ...(carrying ? [h("span", {}, itemStatusActions(i, out, reload), detailsEditor(i, out, reload))] : []),
            ];
          }),
        )
      : h("p", { class: "muted" }, "Пунктов нет."),
    editable ? addItemForm(r, s, out, reload) : null,
    out,
  );
}

/** Long generator explanations fold behind their first words. */
function longText(t: string): Node | string {
  if (t.length <= 90) return t || "—";
  return h("details", { class: "long" }, h("summary", {}, `${t.slice(0, 70).replace(/\s+\S*$/, "")}…`), h("small", {}, t));
}

let activities: Promise<Activity[]> | null = null;
function catalogueOf(section: RouteSection): Promise<Activity[]> {
  activities ??= api.route.listActivities({ pageSize: 500, filter: "active = true" }).then((r) => r.activities, (e) => {
    activities = null;
    throw e;
  });
  return activities.then((xs) => xs.filter((a) => a.section === section));
}

function itemFields(i?: RouteItem) {
  return {
    title: h("input", { type: "text", required: true, value: i?.title ?? "", maxlength: 500 }),
    form: h("input", { type: "text", placeholder: "очно, дистанционно; организатор", value: i?.form ?? "" }),
    hours: h("input", { type: "number", min: 0, max: 2000, value: i?.hours || "", inputmode: "numeric" }),
    deadline: h("input", { type: "date", value: inputFromDate(i?.deadline) }),
    reason: h("input", { type: "text", placeholder: "какой дефицит закрывает и почему", value: i?.reason ?? "" }),
  };
}

function itemEditor(i: RouteItem, out: HTMLElement, reload: (msg?: HTMLElement) => void): HTMLElement {
  const f = itemFields(i);
  const d = detailInputs(i.section, i);
  const save = h("button", { type: "submit", class: "primary small" }, "Сохранить");
  const del = h("button", { type: "button", class: "small danger" }, "Удалить пункт");
  del.addEventListener("click", async () => {
    if (!(await confirmDialog("Удалить пункт маршрута?", `Пункт «${i.title}» будет удалён из маршрута.`, "Удалить пункт", true))) return;
    void act(del, out, async () => {
      await api.route.deleteRouteItem({ name: i.name, version: i.version, requestId: requestId() });
      reload(notice("success", "Пункт удалён."));
    });
  });
  const form = h(
    "form",
    {
      class: "item-form",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void act(save, out, async () => {
          await api.route.updateRouteItem({
            item: { name: i.name, version: i.version, title: f.title.value.trim(), form: f.form.value.trim(), hours: Number(f.hours.value) || 0, deadline: dateFromInput(f.deadline.value), reason: f.reason.value.trim(), ...d.value() },
            updateMask: create(FieldMaskSchema, { paths: ["title", "form", "hours", "deadline", "reason", ...d.paths] }),
            requestId: requestId(),
          });
          reload(notice("success", "Пункт сохранён."));
        });
      },
    },
    field("Мероприятие", f.title), ...d.fields, field("Форма", f.form), field("Часы", f.hours), field("Срок", f.deadline), field("Почему", f.reason),
    h("div", { class: "row-actions" }, save, del),
  );
  return h("details", { class: "edit" }, h("summary", { "aria-label": `Изменить пункт «${i.title}»` }, "Изменить"), form);
}

function addItemForm(r: Route, s: RouteSection, out: HTMLElement, reload: (msg?: HTMLElement) => void): HTMLElement {
  const f = itemFields();
  const d = detailInputs(s);
  const fromCatalogue = h("select", {}, h("option", { value: "" }, "— своё мероприятие —"));
  let chosen: Activity[] = [];
  const details = h("details", { class: "create" });
  details.addEventListener("toggle", () => {
    if (!details.open || chosen.length) return;
    void catalogueOf(s).then(
      (xs) => {
        chosen = xs;
        fromCatalogue.append(...xs.map((a) => h("option", { value: a.name }, `${a.title}${a.hours ? `, ${a.hours} ч` : ""}`)));
      },
      () => undefined, // A custom item still works.
    );
  });
  fromCatalogue.addEventListener("change", () => {
    const a = chosen.find((x) => x.name === fromCatalogue.value);
    if (!a) return;
    f.title.value = a.title;
    f.hours.value = a.hours ? String(a.hours) : "";
    f.form.value = [a.providerTitle, a.url].filter(Boolean).join(", ");
    f.reason.value = a.addressedIndicatorCodes.length ? `закрывает ${a.addressedIndicatorCodes.join(", ")}` : "";
    if (a.kind === ActivityKind.MENTORING_AS_MENTOR) d.setRole?.(RouteMentoringRole.AS_MENTOR);
    if (a.kind === ActivityKind.MENTORING_WITH_MENTOR) d.setRole?.(RouteMentoringRole.WITH_MENTOR);
  });
  const add = h("button", { type: "submit", class: "primary" }, "Добавить пункт");
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void act(add, out, async () => {
          const a = chosen.find((x) => x.name === fromCatalogue.value);
          await api.route.createRouteItem({
            parent: r.name,
            item: {
              section: s,
              activity: a?.name ?? "",
              title: f.title.value.trim(),
              form: f.form.value.trim(),
              hours: Number(f.hours.value) || 0,
              deadline: dateFromInput(f.deadline.value),
              reason: f.reason.value.trim(),
              closesIndicatorCodes: a?.addressedIndicatorCodes ?? [],
              ...d.value(),
            },
            requestId: requestId(),
          });
          reload(notice("success", "Пункт добавлен."));
        });
      },
    },
    field("Из каталога", fromCatalogue),
    h("div", { class: "grid2" }, field("Мероприятие", f.title), field("Форма", f.form), field("Часы", f.hours), field("Срок", f.deadline), ...d.fields),
    field("Почему", f.reason),
    add,
  );
  details.append(h("summary", {}, `Добавить пункт в раздел ${sectionTitle[s].split(" ")[0]}`), form);
  return details;
}

async function historyView(el: HTMLElement, name: string) {
  try {
    const r = await api.route.listRouteStatusChanges({ parent: name, pageSize: 200 });
    if (!r.statusChanges.length) return mount(el, h("p", { class: "muted" }, "Записей нет."));
    mount(
      el,
      table(
        ["Когда", "Действие", "Статус", "Кто", "Комментарий"],
        r.statusChanges.map((c) => [
          tsText(c.changeTime),
          transitionTitle[c.transition] ?? "—",
          `${routeStatusTitle[c.fromStatus] ?? "—"} → ${routeStatusTitle[c.toStatus] ?? "—"}`,
          [c.actorFullName, roleTitle[c.actorRole]].filter(Boolean).join(", ") || "—",
          c.comment || "—",
        ]),
      ),
    );
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

async function effectView(el: HTMLElement, name: string) {
  try {
    const r = await api.route.getRouteEffect({ name });
    if (!r.rediagnosed) return mount(el, h("h2", {}, "Эффект"), h("p", { class: "muted" }, "Повторной диагностики после начала маршрута ещё не было."));
    mount(
      el,
      h("h2", {}, "Эффект по повторной диагностике"),
      h("p", {}, `Общий уровень: ${levelTitle[r.beforeOverallLevel] ?? "—"} → ${levelTitle[r.afterOverallLevel] ?? "—"}. Закрыто дефицитов: ${r.closedDeficitCodes.length}, осталось: ${r.remainingDeficitCodes.length}, новых: ${r.newDeficitCodes.length}.`),
      r.areaDeltas.length
        ? beforeAfterBars(
            "Результат по областям: до маршрута и после (повторная диагностика)",
            r.areaDeltas.map((d) => areaTitle[d.area] ?? "—"),
            r.areaDeltas.map((d) => d.beforeScorePercent),
            r.areaDeltas.map((d) => d.afterScorePercent),
            ["до маршрута", "повторная диагностика"],
          )
        : null,
      table(
        ["Область", "Было", "Стало", "Изменение"],
        r.areaDeltas.map((d) => [areaTitle[d.area] ?? "—", `${fmt(d.beforeScorePercent)} % (${levelTitle[d.beforeLevel] ?? "—"})`, `${fmt(d.afterScorePercent)} % (${levelTitle[d.afterLevel] ?? "—"})`, `${d.deltaPercent > 0 ? "+" : ""}${fmt(d.deltaPercent)} п.п.`]),
      ),
    );
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

async function printView(main: HTMLElement, name: string) {
  document.title = "Печать ИОМ — НМС";
  const backToRoute = h("a", { href: `#/${name}` }, "← К маршруту");
  mount(main, h("p", { class: "back" }, backToRoute), loading("Подготовка документа…"));
  try {
    const r = await api.route.renderRouteDocument({ name });
    const frame = h("iframe", { class: "print-frame", title: "Печатная форма ИОМ", sandbox: "allow-modals allow-same-origin" });
    frame.srcdoc = r.html;
    mount(
      main,
      h("p", { class: "back no-print row-actions" }, backToRoute, h("button", { type: "button", class: "primary", onclick: () => frame.contentWindow?.print() }, "Печать"), downloadLink(r.html, r.filename || "iom.html", "text/html", "Сохранить документ")),
      frame,
    );
  } catch (e) {
    mount(main, h("p", { class: "back" }, backToRoute), h("h1", {}, "Печатная форма ИОМ"), errorNotice(e));
  }
}
