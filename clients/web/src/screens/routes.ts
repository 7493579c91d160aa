// ИОМ: the register of routes by status (counts per status, filters by campaign and territory,
// pages), bulk generation from a campaign with progress, and the CSV register round trip
// (export, edit outside, import with per-row results).
import { api, requestId } from "../api";
import { hasAny, routeParams } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { CampaignState } from "../gen/nms/v1/diagnostics_pb";
import { RouteCsvRowOutcome, RouteStatus, type ImportRoutesCsvResponse } from "../gen/nms/v1/route_pb";
import { scopeSelect } from "../scope";
import { act, badge, checkbox, dateText, downloadLink, errorNotice, field, fmt, h, idOf, mount, notice, pagedList, progressBar, select, table } from "../ui";
import { readCsvFile } from "../../../shared/csv";
import { routeGeneration } from "./campaign";

export const routeStatusTitle: Record<number, string> = {
  [RouteStatus.DRAFT]: "черновик",
  [RouteStatus.AGREED]: "согласован",
  [RouteStatus.APPROVED]: "утверждён",
  [RouteStatus.IN_PROGRESS]: "выполняется",
  [RouteStatus.COMPLETED]: "завершён",
  [RouteStatus.CANCELLED]: "отменён",
};
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

function filterOf(parts: { status?: string; campaign?: string; scope?: string }): string {
  const out: string[] = [];
  if (parts.status) out.push(`status = ROUTE_STATUS_${RouteStatus[Number(parts.status)]}`);
  if (parts.campaign) out.push(`campaign = "${parts.campaign}"`);
  const sc = parts.scope ?? "";
  if (sc.startsWith("municipalities/")) out.push(`municipality = "${sc}"`);
  if (sc.startsWith("organizations/")) out.push(`organization = "${sc}"`);
  return out.join(" AND ");
}

export async function routesScreen(main: HTMLElement) {
  document.title = "ИОМ — НМС";
  const params = routeParams();
  const status = select([["", "все"], ...STATUSES.map((s): [string, string] => [String(s), routeStatusTitle[s]])], params.get("status") ?? "");
  const campaign = h("select", {}, h("option", { value: "" }, "все кампании"));
  const wantedCampaign = params.get("campaign") ?? "";
  if (wantedCampaign) campaign.append(h("option", { value: wantedCampaign, selected: true }, wantedCampaign));
  const scope = scopeSelect(false);
  const counts = h("ul", { class: "inline-stats", "aria-label": "Маршрутов по статусам" });
  const list = h("div", {});
  const current = () => ({ status: status.value, campaign: campaign.value, scope: scope.selectedIndex > 0 ? scope.value : "" });
  const reload = pagedList(
    list,
    PAGE,
    async (token) => {
      const r = await api.route.listRoutes({ pageSize: PAGE, pageToken: token, filter: filterOf(current()) });
      return { items: r.routes, next: r.nextPageToken, total: r.totalSize };
    },
    (routes) =>
      table(
        ["Педагог", "Организация", "Статус", "Дефициты закрыты", "Пункты выполнены", "Сроки"],
        routes.map((x) => {
          const p = x.progress;
          return [
            h("a", { href: `#/routes/${idOf(x.name)}` }, x.header?.fullName || x.name),
            x.header?.organizationTitle || "—",
            h(
              "span",
              {},
              routeStatusBadge(x.status),
              x.revision > 1 ? h("small", { class: "muted", title: "Маршрут пересмотрен по новой диагностике" }, ` ред. ${x.revision}`) : null,
              x.previousRoute ? h("small", { class: "muted", title: "Продолжает завершённый маршрут" }, " следующий период") : null,
              x.newerResult ? h("small", { class: "warn-text" }, " есть новая диагностика") : null,
            ),
            p ? `${p.deficitsCovered} из ${p.deficitsTotal}` : "—",
            p ? progressBar(p.itemsDone + p.itemsSkipped, p.itemsTotal, "Закрыто пунктов") : "—",
            `${dateText(x.plannedStartDate)} — ${dateText(x.plannedEndDate)}`,
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
    void loadCounts();
    await reload();
  };
  for (const s of [status, campaign, scope]) s.addEventListener("change", () => void refresh());
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
    h("div", { class: "filters" }, field("Статус", status), field("Кампания диагностики", campaign), field("Территория", scope)),
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

function csvPanel(current: () => { status: string; campaign: string; scope: string }): HTMLElement {
  const exportOut = h("div", { "aria-live": "polite" });
  const exportBtn = h("button", { type: "button" }, "Выгрузить реестр (CSV)");
  exportBtn.addEventListener("click", () =>
    void act(exportBtn, exportOut, async () => {
      const c = current();
      const r = await api.route.exportRoutesCsv({ scope: c.scope, filter: filterOf({ status: c.status, campaign: c.campaign }) });
      mount(exportOut, notice("success", `Выгружено строк: ${fmt(Number(r.rowCount))} (по одной на пункт маршрута; с учётом фильтров выше).`, downloadLink(r.content, r.filename || "iom.csv", "text/csv")));
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
            return [String(x.rowNumber), x.route ? h("a", { href: `#/routes/${idOf(x.route)}` }, x.route) : "—", badge(t, k), x.column || "—", x.message || ""];
          }),
          "Результат по строкам",
        )
      : null,
  );
}
