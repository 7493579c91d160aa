// ИОМ: list by status, route editor by template section, agree/approve/return, print, CSV.
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { RouteSection, RouteSignatureKind, RouteStatus, type Route } from "../gen/nms/v1/route_pb";
import { dateText, errorNotice, field, h, idOf, loading, mount, notice, table } from "../ui";

export const routeStatusTitle: Record<number, string> = {
  [RouteStatus.DRAFT]: "черновик",
  [RouteStatus.AGREED]: "согласован",
  [RouteStatus.APPROVED]: "утверждён",
  [RouteStatus.IN_PROGRESS]: "выполняется",
  [RouteStatus.COMPLETED]: "завершён",
  [RouteStatus.CANCELLED]: "отменён",
};
const sectionTitle: Record<number, string> = {
  [RouteSection.FURTHER_TRAINING]: "Повышение квалификации (ДПП ПК)",
  [RouteSection.INTERNSHIP]: "Стажировки",
  [RouteSection.EVENTS]: "Мероприятия",
  [RouteSection.COMMUNITIES]: "Профессиональные сообщества",
  [RouteSection.EXPERIENCE_PRESENTATION]: "Представление опыта",
  [RouteSection.METHODOLOGICAL_MATERIALS]: "Методические материалы",
  [RouteSection.MENTORING]: "Наставничество",
};

export async function routesScreen(main: HTMLElement) {
  document.title = "ИОМ — НМС";
  const status = h("select", {}, h("option", { value: "" }, "все"), ...Object.entries(routeStatusTitle).map(([v, t]) => h("option", { value: v }, t)));
  const list = h("div", {}, loading());
  const csv = h("div", { class: "card" });
  const load = async () => {
    mount(list, loading());
    try {
      const filter = status.value ? `status = ${RouteStatus[Number(status.value)] ? "ROUTE_STATUS_" + RouteStatus[Number(status.value)] : status.value}` : "";
      const r = await api.route.listRoutes({ pageSize: 100, filter });
      if (!r.routes.length) return mount(list, h("p", { class: "muted" }, "Маршрутов нет."));
      mount(
        list,
        table(
          ["Педагог / маршрут", "Статус", "Прогресс", "Сроки"],
          r.routes.map((x) => [
            h("a", { href: `#/routes/${idOf(x.name)}` }, x.header?.fullName || x.goal || x.name),
            routeStatusTitle[x.status] ?? "—",
            x.progress ? `${x.progress.itemsDone} из ${x.progress.itemsTotal}` : "—",
            `${dateText(x.plannedStartDate)} — ${dateText(x.plannedEndDate)}`,
          ]),
        ),
      );
    } catch (e) {
      mount(list, errorNotice(e));
    }
  };
  status.addEventListener("change", () => void load());
  const csvAllowed = hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
  mount(main, h("h1", {}, "Индивидуальные образовательные маршруты"), h("div", { class: "filters" }, field("Статус", status)), list, csvAllowed ? h("h2", {}, "Обмен CSV") : null, csvAllowed ? csv : null);
  if (csvAllowed) csvPanel(csv);
  await load();
}

function csvPanel(el: HTMLElement) {
  const out = h("div", { "aria-live": "polite" });
  const file = h("input", { type: "file", accept: ".csv,text/csv" });
  const exportBtn = h("button", {
    type: "button",
    onclick: async () => {
      mount(out, loading("Выгрузка…"));
      try {
        const r = await api.route.exportRoutesCsv({ scope: mainScope().scope });
        const url = URL.createObjectURL(new Blob([new Uint8Array(r.content)], { type: "text/csv" }));
        mount(out, notice("success", `Строк: ${r.rowCount}.`, h("a", { href: url, download: r.filename || "routes.csv" }, "Скачать файл")));
      } catch (e) {
        mount(out, errorNotice(e));
      }
    },
  }, "Выгрузить CSV");
  const importBtn = h("button", {
    type: "button",
    onclick: async () => {
      const f = file.files?.[0];
      if (!f) return mount(out, notice("error", "Выберите файл CSV."));
      mount(out, loading("Загрузка…"));
      try {
        const r = await api.route.importRoutesCsv({ content: new Uint8Array(await f.arrayBuffer()), requestId: requestId() });
        mount(out, notice(r.rowsFailed ? "warn" : "success", `Всего ${r.rowsTotal}, обновлено ${r.rowsUpdated}, без изменений ${r.rowsUnchanged}, ошибок ${r.rowsFailed}.`));
      } catch (e) {
        mount(out, errorNotice(e));
      }
    },
  }, "Загрузить CSV");
  mount(el, h("div", { class: "row-actions" }, exportBtn, field("Файл для загрузки", file), importBtn), out);
}

export async function routeScreen(main: HTMLElement, id: string, print: boolean) {
  const name = `routes/${id}`;
  if (print) return printView(main, name);
  document.title = "ИОМ — НМС";
  mount(main, h("p", { class: "back" }, h("a", { href: "#/routes" }, "← К списку ИОМ")), loading());
  let route: Route;
  try {
    route = (await api.route.getRoute({ name })).route!;
  } catch (e) {
    return mount(main, h("p", { class: "back" }, h("a", { href: "#/routes" }, "← К списку ИОМ")), h("h1", {}, "ИОМ"), errorNotice(e));
  }
  const comment = h("textarea", { rows: 3 });
  const status = h("div", { "aria-live": "polite" });
  const act = async (what: "agree" | "approve" | "return") => {
    mount(status, loading());
    try {
      const base = { name, comment: comment.value.trim(), version: route.version, requestId: requestId() };
      if (what === "agree") await api.route.agreeRoute({ ...base, signatureKind: RouteSignatureKind.SCHOOL_REPRESENTATIVE });
      else if (what === "approve") await api.route.approveRoute(base);
      else await api.route.returnRouteForRevision(base);
      await routeScreen(main, id, false);
      main.querySelector(".actions-status")?.replaceChildren(notice("success", "Готово."));
    } catch (e) {
      mount(status, errorNotice(e));
    }
  };
  const buttons = [];
  if (route.status === RouteStatus.DRAFT && hasAny(Role.SCHOOL_ADMIN)) buttons.push(h("button", { type: "button", class: "primary", onclick: () => void act("agree") }, "Согласовать"));
  if (route.status === RouteStatus.AGREED && hasAny(Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN)) buttons.push(h("button", { type: "button", class: "primary", onclick: () => void act("approve") }, "Утвердить"));
  if ((route.status === RouteStatus.DRAFT || route.status === RouteStatus.AGREED) && hasAny(Role.SCHOOL_ADMIN, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN))
    buttons.push(h("button", { type: "button", onclick: () => void act("return") }, "Вернуть на доработку"));
  const editable = route.status === RouteStatus.DRAFT && hasAny(Role.TEACHER, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST); // edit_route
  const reload = () => void routeScreen(main, id, false);
  const sections = Object.keys(sectionTitle).map(Number).map((s) => {
    const items = route.items.filter((i) => i.section === s);
    const itemStatus = h("div", { "aria-live": "polite" });
    const del = (itemName: string, version: bigint) =>
      h("button", {
        type: "button",
        onclick: async () => {
          try {
            await api.route.deleteRouteItem({ name: itemName, version, requestId: requestId() });
            reload();
          } catch (e) {
            mount(itemStatus, errorNotice(e));
          }
        },
      }, "Удалить");
    return h(
      "section",
      { class: "route-section" },
      h("h3", {}, sectionTitle[s]),
      items.length
        ? table(
            ["Мероприятие", "Форма", "Часы", "Срок", "Основание", ...(editable ? [""] : [])],
            items.map((i) => [i.title, i.form || "—", String(i.hours || "—"), dateText(i.deadline), i.reason || "—", ...(editable ? [del(i.name, i.version)] : [])]),
          )
        : h("p", { class: "muted" }, "Нет пунктов."),
      editable ? addItemForm(name, s, reload, itemStatus) : null,
      itemStatus,
    );
  });
  mount(
    main,
    h("p", { class: "back" }, h("a", { href: "#/routes" }, "← К списку ИОМ")),
    h("h1", {}, `ИОМ: ${route.header?.fullName ?? ""}`),
    h("p", {}, `Статус: ${routeStatusTitle[route.status] ?? "—"} · `, h("a", { href: `#/routes/${id}/print` }, "Печатная форма")),
    route.goal ? h("p", {}, `Цель: ${route.goal}`) : null,
    route.revisionComment ? notice("warn", `Комментарий при возврате: ${route.revisionComment}`) : null,
    ...sections,
    buttons.length ? h("div", { class: "card" }, field("Комментарий", comment), h("div", { class: "row-actions" }, buttons), h("div", { class: "actions-status" }), status) : null,
  );
}

async function printView(main: HTMLElement, name: string) {
  document.title = "Печать ИОМ — НМС";
  mount(main, loading("Подготовка документа…"));
  try {
    const r = await api.route.renderRouteDocument({ name });
    const frame = h("iframe", { class: "print-frame", title: "Печатная форма ИОМ", sandbox: "allow-modals allow-same-origin" }) as HTMLIFrameElement;
    frame.srcdoc = r.html;
    mount(
      main,
      h("p", { class: "back no-print" }, h("a", { href: `#/${name}` }, "← К маршруту"), " ", h("button", { type: "button", onclick: () => frame.contentWindow?.print() }, "Печать")),
      frame,
    );
  } catch (e) {
    mount(main, h("h1", {}, "Печатная форма ИОМ"), errorNotice(e));
  }
}

function addItemForm(route: string, section: RouteSection, onAdded: () => void, status: HTMLElement): HTMLElement {
  const title = h("input", { type: "text", required: true });
  const form = h("input", { type: "text", placeholder: "очно, дистанционно…" });
  const hours = h("input", { type: "text", inputmode: "numeric" });
  const deadline = h("input", { type: "date" });
  const reason = h("input", { type: "text", placeholder: "какой дефицит закрывает" });
  return h(
    "details",
    { class: "create" },
    h("summary", {}, "Добавить пункт"),
    h(
      "form",
      {
        class: "card",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const [y, m, d] = deadline.value.split("-").map(Number);
          try {
            await api.route.createRouteItem({
              parent: route,
              item: { section, title: title.value.trim(), form: form.value.trim(), hours: Number(hours.value) || 0, deadline: y ? { year: y, month: m, day: d } : undefined, reason: reason.value.trim() },
              requestId: requestId(),
            });
            onAdded();
          } catch (e) {
            mount(status, errorNotice(e));
          }
        },
      },
      h("div", { class: "grid2" }, field("Мероприятие", title), field("Форма", form), field("Часы", hours), field("Срок", deadline), field("Основание", reason)),
      h("button", { type: "submit", class: "primary" }, "Добавить"),
    ),
  );
}
