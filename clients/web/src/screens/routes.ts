// ИОМ: the register of routes by status (counts per status, filters by campaign, territory,
// organisation, teacher and the signature a route waits for, sorts, pages), bulk generation from a campaign with progress, and the CSV register round trip
// (export, edit outside, import with per-row results).
import { api, requestId } from "../api";
import { hasAny, routeParams } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { CampaignState } from "../gen/nms/v1/diagnostics_pb";
import { RouteCsvRowOutcome, RouteStatus, type ImportRoutesCsvResponse, type Route, type RouteSettings } from "../gen/nms/v1/route_pb";
import { personPicker, scopeSelect } from "../scope";
import { organizationOptions } from "../forms";
import { deficitState, orderTitle, sortRoutes, stepTitle, waitingFor, type Order, type Step } from "../route_register";
import { act, badge, checkbox, dateText, downloadLink, errorNotice, field, fmt, h, idOf, mount, notice, pagedList, progressBar, select, table } from "../ui";
import { readCsvFile } from "../../../shared/csv";
import { routeGeneration } from "./campaign";
import { routeStatusTitle } from "../../../shared/titles";
export { routeStatusTitle };

export const routeStatusKind: Record<number, "ok" | "warn" | "err" | "info" | "muted"> = {
  [RouteStatus.DRAFT]: "muted",
  [RouteStatus.AGREED]: "warn",
  [RouteStatus.APPROVED]: "info",
  [RouteStatus.IN_PROGRESS]: "info",
  [RouteStatus.COMPLETED]: "ok",
  [RouteStatus.CANCELLED]: "err",
};
export const routeStatusBadge = (s: RouteStatus) => badge(routeStatusTitle[s] ?? "—", routeStatusKind[s]);

const STATUSES = [RouteStatus.DRAFT, RouteStatus.AGREED, RouteStatus.APPROVED, RouteStatus.IN_PROGRESS, RouteStatus.COMPLETED, RouteStatus.CANCELLED];
const PAGE = 25;

/** Who generates routes (edit_route, non-teachers) and who reads the register as an admin. */
const canGenerate = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST);
const isAdmin = () => hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);

function filterOf(parts: { status?: string; campaign?: string; scope?: string; organization?: string; person?: string }): string {
  const out: string[] = [];
  if (parts.status) out.push(`status = ROUTE_STATUS_${RouteStatus[Number(parts.status)]}`);
  if (parts.campaign) out.push(`campaign = "${parts.campaign}"`);
  const sc = parts.scope ?? "";
  if (sc.startsWith("municipalities/")) out.push(`municipality = "${sc}"`);
  if (sc.startsWith("organizations/")) out.push(`organization = "${sc}"`);
  if (parts.organization && parts.organization !== sc) out.push(`organization = "${parts.organization}"`);
  if (parts.person) out.push(`person = "${parts.person}"`);
  return out.join(" AND ");
}

/** Most routes the register reads at once to sort them and filter by signature step itself. */
const LOAD_MAX = 500;

/** Route settings per region (which signatures and approval are required). */
const settingsCache = new Map<string, Promise<RouteSettings | undefined>>();
function settingsOf(region: string): Promise<RouteSettings | undefined> {
  if (!settingsCache.has(region)) settingsCache.set(region, api.route.getRouteSettings({ name: `${region}/routeSettings` }).then((r) => r.settings, () => undefined));
  return settingsCache.get(region)!;
}

export async function routesScreen(main: HTMLElement) {
  document.title = "ИОМ — НМС";
  const params = routeParams();
  const status = select([["", "все"], ...STATUSES.map((s): [string, string] => [String(s), routeStatusTitle[s]])], params.get("status") ?? "");
  const campaign = h("select", {}, h("option", { value: "" }, "все кампании"));
  const wantedCampaign = params.get("campaign") ?? "";
  if (wantedCampaign) campaign.append(h("option", { value: wantedCampaign, selected: true }, wantedCampaign));
  const scope = scopeSelect(false);
  const school = hasAny(Role.SCHOOL_ADMIN) && !hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
  const organization = h("select", {}, h("option", { value: "" }, "все организации"));
  if (!school) void organizationOptions().then((o) => mount(organization, h("option", { value: "" }, "все организации"), ...o.map(([v, t]) => h("option", { value: v }, t))), () => undefined);
  const step = select([["", "все"], ...(Object.keys(stepTitle) as Step[]).map((k): [string, string] => [k, stepTitle[k]]), ["none", "ничьей (не ждёт)"]], "");
  const order = select((Object.keys(orderTitle) as Order[]).map((k): [string, string] => [k, orderTitle[k]]), "name");
  const who = personPicker("Педагог");
  const counts = h("ul", { class: "inline-stats", "aria-label": "Маршрутов по статусам" });
  const note = h("div", { "aria-live": "polite" });
  const list = h("div", {});
  const current = () => ({ status: status.value, campaign: campaign.value, scope: scope.selectedIndex > 0 ? scope.value : "", organization: organization.value, person: who.value() });
  // Up to LOAD_MAX routes of the filters, with their settings; null when more match (then the
  // server pages them in its own order and the step filter and the sort are off).
  let loaded: Promise<{ routes: Route[]; settings: Map<string, RouteSettings | undefined> } | null> | null = null;
  const loadAll = async () => {
    // The count first: a region's thousands of routes are not read just to learn they are many.
    const head = await api.route.listRoutes({ pageSize: 1, filter: filterOf(current()) });
    if (Number(head.totalSize) > LOAD_MAX) return null;
    const r = await api.route.listRoutes({ pageSize: LOAD_MAX, filter: filterOf(current()) });
    if (r.nextPageToken) return null;
    const regions = [...new Set(r.routes.map((x) => x.region))];
    const settings = new Map(await Promise.all(regions.map(async (g): Promise<[string, RouteSettings | undefined]> => [g, await settingsOf(g)])));
    return { routes: r.routes, settings };
  };
  const waits = (x: Route, settings: Map<string, RouteSettings | undefined>): Step[] | undefined => {
    const st = settings.get(x.region);
    return st ? waitingFor(x, st) : undefined;
  };
  let settingsNow = new Map<string, RouteSettings | undefined>();
  const reload = pagedList(
    list,
    PAGE,
    async (token) => {
      loaded ??= loadAll();
      const all = await loaded;
      const local = all !== null;
      step.disabled = order.disabled = !local;
      if (!local) {
        mount(note, notice("info", `Найдено больше ${fmt(LOAD_MAX)} маршрутов: они показаны по порядку создания, без сортировки и отбора по подписи. Выберите территорию, организацию, статус или педагога, чтобы сортировать.`));
        const r = await api.route.listRoutes({ pageSize: PAGE, pageToken: token, filter: filterOf(current()) });
        settingsNow = new Map(await Promise.all([...new Set(r.routes.map((x) => x.region))].map(async (g): Promise<[string, RouteSettings | undefined]> => [g, await settingsOf(g)])));
        return { items: r.routes, next: r.nextPageToken, total: r.totalSize };
      }
      note.replaceChildren();
      settingsNow = all.settings;
      const chosen = sortRoutes(
        all.routes.filter((x) => {
          if (!step.value) return true;
          const w = waits(x, all.settings) ?? [];
          return step.value === "none" ? w.length === 0 : w[0] === step.value;
        }),
        order.value as Order,
      );
      const from = Number(token || 0);
      return { items: chosen.slice(from, from + PAGE), next: from + PAGE < chosen.length ? String(from + PAGE) : "", total: chosen.length };
    },
    (routes) =>
      table(
        ["Педагог", "Организация", "Статус", "Ждёт подписи", "Дефициты", "Пункты выполнены", "Срок"],
        routes.map((x) => {
          const p = x.progress;
          const d = deficitState(x);
          const w = waits(x, settingsNow);
          return [
            h("a", { href: `#/routes/${idOf(x.name)}` }, x.header?.fullName || "маршрут без заголовка"),
            x.header?.organizationTitle || "—",
            h(
              "span",
              {},
              routeStatusBadge(x.status),
              x.revision > 1 ? h("small", { class: "muted", title: "Маршрут пересмотрен по новой диагностике" }, ` ред. ${x.revision}`) : null,
              x.previousRoute ? h("small", { class: "muted", title: "Продолжает завершённый маршрут" }, " следующий период") : null,
              x.newerResult ? h("small", { class: "warn-text" }, " есть новая диагностика") : null,
            ),
            w === undefined ? "…" : w.length ? h("span", { class: "stack" }, badge(stepTitle[w[0]], "warn"), w.length > 1 ? h("small", { class: "muted" }, `затем ${w.slice(1).map((k) => stepTitle[k]).join(", ")}`) : null) : "—",
            // Covered (items planned for it) is not closed (every such item done).
            d.total
              ? h("span", { class: "stack" }, h("span", {}, `охвачены ${d.covered} из ${d.total}`), h("span", { title: "Закрыт — все пункты по дефициту выполнены" }, `закрыты ${d.closed} из ${d.total}`))
              : "нет дефицитов",
            p ? progressBar(p.itemsDone + p.itemsSkipped, p.itemsTotal, "Закрыто пунктов") : "—",
            h("span", { title: `${dateText(x.plannedStartDate)} — ${dateText(x.plannedEndDate)}` }, x.plannedEndDate?.year ? `до ${dateText(x.plannedEndDate)}` : "—"),
          ];
        }),
      ),
    "Маршрутов не найдено.",
  );
  const loadCounts = async () => {
    const c = current();
    try {
      const totals = await Promise.all(STATUSES.map((s) => api.route.listRoutes({ pageSize: 1, filter: filterOf({ ...c, status: String(s) }) }).then((r) => Number(r.totalSize))));
      mount(
        counts,
        ...STATUSES.map((s, i) =>
          h("li", {}, h("button", { type: "button", class: "link-like", "aria-pressed": String(status.value === String(s)), onclick: () => { status.value = String(s); void refresh(); } }, routeStatusBadge(s), ` ${fmt(totals[i])}`)),
        ),
      );
    } catch {
      counts.replaceChildren(); // The list below shows the error.
    }
  };
  const refresh = async () => {
    loaded = null;
    void loadCounts();
    await reload();
  };
  for (const s of [status, campaign, scope, organization]) s.addEventListener("change", () => void refresh());
  who.el.querySelector("select")!.addEventListener("change", () => void refresh());
  // The sort and the step filter work on the routes already read.
  for (const s of [step, order]) s.addEventListener("change", () => void reload());
  api.diagnostics
    .listCampaigns({ pageSize: 200 })
    .then((r) => {
      const opts = r.campaigns.filter((c) => c.state !== CampaignState.DRAFT).map((c) => h("option", { value: c.name, selected: c.name === wantedCampaign }, c.title));
      mount(campaign, h("option", { value: "" }, "все кампании"), ...opts);
    })
    .catch(() => undefined); // Filtering by campaign is optional.
  const csv = isAdmin() ? csvPanel(() => current()) : null;
  mount(
    main,
    h("h1", {}, "Индивидуальные образовательные маршруты"),
    counts,
    h(
      "div",
      { class: "filters" },
      field("Статус", status),
      field("Ждёт подписи", step),
      field("Кампания диагностики", campaign),
      field("Территория", scope),
      school ? null : field("Организация", organization),
      field("Порядок", order),
    ),
    h("div", { class: "filters" }, who.el, h("div", { class: "field" }, h("button", {
      type: "button",
      onclick: () => {
        const sel = who.el.querySelector("select")!;
        sel.value = "";
        sel.dispatchEvent(new Event("change"));
      },
    }, "Все педагоги"))),
    note,
    list,
    canGenerate() ? bulkPanel() : null,
    csv ? h("h2", {}, "Реестр ИОМ в CSV") : null,
    csv,
  );
  await refresh();
}

/** Generation of draft routes for a chosen campaign (the campaign page offers the same). */
function bulkPanel(): HTMLElement {
  const campaign = h("select", {}, h("option", { value: "" }, "Загрузка…"));
  const body = h("div", {});
  api.diagnostics
    .listCampaigns({ pageSize: 200 })
    .then((r) => {
      const cs = r.campaigns.filter((c) => c.state === CampaignState.LAUNCHED || c.state === CampaignState.CLOSED);
      mount(campaign, h("option", { value: "" }, cs.length ? "— выберите —" : "нет кампаний с результатами"), ...cs.map((c) => h("option", { value: c.name }, c.title)));
    })
    .catch((e) => mount(body, errorNotice(e)));
  campaign.addEventListener("change", () => mount(body, campaign.value ? routeGeneration(campaign.value) : null));
  return h("details", { class: "create" }, h("summary", {}, "Сформировать черновики ИОМ по кампании"), h("div", { class: "card" }, field("Кампания, по результатам которой строить ИОМ", campaign), body));
}

function csvPanel(current: () => { status: string; campaign: string; scope: string; organization: string }): HTMLElement {
  const exportOut = h("div", { "aria-live": "polite" });
  const exportBtn = h("button", { type: "button" }, "Выгрузить реестр (CSV)");
  exportBtn.addEventListener("click", () =>
    void act(exportBtn, exportOut, async () => {
      const c = current();
      const r = await api.route.exportRoutesCsv({ scope: c.organization || c.scope, filter: filterOf({ status: c.status, campaign: c.campaign }) });
      mount(exportOut, notice("success", `Выгружено строк: ${fmt(Number(r.rowCount))} (по одной на пункт маршрута; с учётом статуса, кампании, территории и организации).`, downloadLink(r.content, r.filename || "iom.csv", "text/csv")));
    }, "Выгрузка…"),
  );
  const file = h("input", { type: "file", accept: ".csv,text/csv" });
  const [dryLabel, dry] = checkbox("только проверить, ничего не записывать");
  const importOut = h("div", { "aria-live": "polite" });
  const importBtn = h("button", { type: "button", class: "primary" }, "Загрузить изменения");
  importBtn.addEventListener("click", () => {
    const f = file.files?.[0];
    if (!f) return mount(importOut, notice("error", "Выберите файл CSV."));
    void act(importBtn, importOut, async () => {
      // Excel may save it as Windows-1251: the server reads UTF-8.
      const r = await api.route.importRoutesCsv({ content: new TextEncoder().encode(await readCsvFile(f)), dryRun: dry.checked, requestId: requestId() });
      mount(importOut, importReport(r, dry.checked));
    }, "Загрузка…");
  });
  return h(
    "div",
    { class: "card" },
    h("p", { class: "muted" }, "Выгрузка — по строке на пункт маршрута. В файле можно изменить статус пункта, причину пропуска, подтверждение и рефлексивный отчёт; столбцы item и item_version не меняйте."),
    h("div", { class: "row-actions" }, exportBtn),
    exportOut,
    h("div", { class: "row-actions" }, field("Файл с изменениями", file), dryLabel, importBtn),
    importOut,
  );
}

const csvOutcomeTitle: Record<number, [string, "ok" | "muted" | "err"]> = {
  [RouteCsvRowOutcome.UPDATED]: ["обновлён", "ok"],
  [RouteCsvRowOutcome.UNCHANGED]: ["без изменений", "muted"],
  [RouteCsvRowOutcome.ERROR]: ["ошибка", "err"],
};

function importReport(r: ImportRoutesCsvResponse, dry: boolean): HTMLElement {
  const rows = [...r.rows].sort((a, b) => Number(b.outcome === RouteCsvRowOutcome.ERROR) - Number(a.outcome === RouteCsvRowOutcome.ERROR) || a.rowNumber - b.rowNumber);
  return h(
    "div",
    {},
    notice(r.rowsFailed ? "warn" : "success", `${dry ? "Проверка: " : ""}строк ${r.rowsTotal}, обновлено ${r.rowsUpdated}, без изменений ${r.rowsUnchanged}, с ошибками ${r.rowsFailed}.`),
    rows.length
      ? table(
          ["Строка", "Маршрут", "Результат", "Столбец", "Сообщение"],
          rows.map((x) => {
            const [t, k] = csvOutcomeTitle[x.outcome] ?? ["—", "muted"];
            return [String(x.rowNumber), x.route ? h("a", { href: `#/routes/${idOf(x.route)}` }, `ИОМ № ${idOf(x.route)}`) : "—", badge(t, k), x.column || "—", x.message || ""];
          }),
          "Результат по строкам",
        )
      : null,
  );
}
