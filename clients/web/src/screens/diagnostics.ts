// Diagnostics: campaigns (create, target, launch/close), progress, aggregate reports with charts.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { CompetencyArea, CompetencyLevel, Role } from "../gen/nms/v1/common_pb";
import { CampaignSchema, CampaignState, ParticipantStatus, type Campaign, type GetAggregateReportResponse } from "../gen/nms/v1/diagnostics_pb";
import { barChart, errorNotice, field, fmt, h, idOf, loading, mount, notice, table, tsText } from "../ui";

export const areaTitle: Record<number, string> = {
  [CompetencyArea.SUBJECT]: "Предметные",
  [CompetencyArea.METHODOLOGICAL]: "Методические",
  [CompetencyArea.PSYCHOLOGICAL_PEDAGOGICAL]: "Психолого-педагогические",
  [CompetencyArea.COMMUNICATIVE]: "Коммуникативные",
  [CompetencyArea.DIGITAL]: "Цифровые",
};
export const levelTitle: Record<number, string> = {
  [CompetencyLevel.INSUFFICIENT]: "недостаточный",
  [CompetencyLevel.BASIC]: "базовый",
  [CompetencyLevel.ADVANCED]: "повышенный",
  [CompetencyLevel.HIGH]: "высокий",
};
const levelColor: Record<number, string> = {
  [CompetencyLevel.INSUFFICIENT]: "#b3261e",
  [CompetencyLevel.BASIC]: "#c77700",
  [CompetencyLevel.ADVANCED]: "#2f6fb2",
  [CompetencyLevel.HIGH]: "#1e7b3a",
};
const stateTitle: Record<number, string> = {
  [CampaignState.DRAFT]: "черновик",
  [CampaignState.LAUNCHED]: "идёт",
  [CampaignState.CLOSED]: "завершена",
  [CampaignState.CANCELLED]: "отменена",
};

function progress(c: Campaign): HTMLElement {
  const total = Number(c.participantCount), done = Number(c.submittedCount);
  const pct = total ? Math.round((done * 100) / total) : 0;
  return h("span", { class: "progress-cell" }, h("progress", { max: 100, value: pct, "aria-label": `Завершили ${pct}%` }), ` ${fmt(done)} из ${fmt(total)}`);
}

export async function diagnosticsScreen(main: HTMLElement, campaignId?: string) {
  document.title = "Диагностика — НМС";
  if (campaignId) return campaignScreen(main, campaignId);
  const list = h("div", {}, loading());
  const canManage = hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN); // manage_campaign
  const scope = mainScope();
  const report = h("div", {});
  mount(
    main,
    h("h1", {}, "Диагностика профессиональных компетенций"),
    canManage ? createForm(() => void load()) : null,
    h("h2", {}, "Кампании"),
    list,
    h("details", { class: "create", ontoggle: (ev: Event) => { if ((ev.target as HTMLDetailsElement).open && !report.childElementCount) void reportView(report, scope.scope, ""); } },
      h("summary", {}, `Сводный отчёт: ${scope.title} (все кампании)`), report),
  );
  async function load() {
    mount(list, loading());
    try {
      const r = await api.diagnostics.listCampaigns({ pageSize: 100 });
      if (!r.campaigns.length) return mount(list, h("p", { class: "muted" }, "Кампаний пока нет."));
      mount(
        list,
        table(
          ["Кампания", "Состояние", "Период", "Прогресс", ""],
          r.campaigns.map((c) => [
            h("a", { href: `#/diagnostics/${idOf(c.name)}` }, c.title),
            stateTitle[c.state] ?? "—",
            `${tsText(c.openTime)} — ${tsText(c.closeTime)}`,
            progress(c),
            canManage ? actions(c, load) : "",
          ]),
        ),
      );
    } catch (e) {
      mount(list, errorNotice(e));
    }
  }
  await load();
}

function actions(c: Campaign, reload: () => Promise<void>): HTMLElement {
  const out = h("span", { class: "row-actions" });
  const run = async (what: "launch" | "close") => {
    try {
      if (what === "launch") await api.diagnostics.launchCampaign({ name: c.name, version: c.version, requestId: requestId() });
      else await api.diagnostics.closeCampaign({ name: c.name, version: c.version, requestId: requestId() });
      await reload();
    } catch (e) {
      out.replaceChildren(errorNotice(e));
    }
  };
  if (c.state === CampaignState.DRAFT) out.append(h("button", { type: "button", onclick: () => void run("launch") }, "Запустить"));
  if (c.state === CampaignState.LAUNCHED) out.append(h("button", { type: "button", onclick: () => void run("close") }, "Завершить"));
  return out;
}

function createForm(onCreated: () => void): HTMLElement {
  const scope = mainScope();
  const title = h("input", { type: "text", required: true });
  const instrument = h("select", {}, h("option", { value: "" }, "— загрузка —"));
  const open = h("input", { type: "date", required: true });
  const close = h("input", { type: "date", required: true });
  const target = h("input", { type: "text", value: scope.scope }, );
  const status = h("div", { "aria-live": "polite" });
  api.diagnostics
    .listInstruments({ pageSize: 100 })
    .then((r) => mount(instrument, h("option", { value: "" }, "— выберите —"), ...r.instruments.map((i) => h("option", { value: i.name }, i.title))))
    .catch((e) => mount(instrument, h("option", { value: "" }, e ? "недоступно" : "")));
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        mount(status, loading("Создание…"));
        try {
          const campaign = create(CampaignSchema, {
            title: title.value.trim(),
            instrument: instrument.value,
            region: scope.scope.startsWith("regions/") ? scope.scope : "",
            openTime: timestampFromDate(new Date(open.value)),
            closeTime: timestampFromDate(new Date(close.value)),
            population: { selection: { case: "listed", value: { scopes: target.value.split(",").map((s) => s.trim()).filter(Boolean) } } },
          });
          await api.diagnostics.createCampaign({ campaign, requestId: requestId() });
          mount(status, notice("success", "Кампания создана."));
          onCreated();
        } catch (e) {
          mount(status, errorNotice(e));
        }
      },
    },
    h("h2", {}, "Новая кампания"),
    h("div", { class: "grid2" }, field("Название", title), field("Инструмент", instrument), field("Начало", open), field("Окончание", close), field("Охват (области видимости через запятую)", target, "например, regions/1 или municipalities/3")),
    status,
    h("button", { type: "submit", class: "primary" }, "Создать"),
  );
  return h("details", { class: "create" }, h("summary", {}, "Создать кампанию"), form);
}

async function campaignScreen(main: HTMLElement, id: string) {
  const name = `campaigns/${id}`;
  const head = h("div", {}, loading());
  const report = h("div", {});
  mount(main, h("p", { class: "back" }, h("a", { href: "#/diagnostics" }, "← К кампаниям")), head, report);
  try {
    const r = await api.diagnostics.getCampaign({ name });
    const c = r.campaign!;
    document.title = `${c.title} — НМС`;
    mount(head, h("h1", {}, c.title), h("p", {}, `Состояние: ${stateTitle[c.state] ?? "—"} · `, progress(c)));
  } catch (e) {
    return mount(head, h("h1", {}, "Кампания"), errorNotice(e));
  }
  const participants = h("div", {});
  main.append(h("h2", {}, "Участники"), participants);
  await Promise.all([reportView(report, mainScope().scope, name), participantList(participants, name)]);
}

const participantTitle: Record<number, string> = {
  [ParticipantStatus.NOT_STARTED]: "не начинал",
  [ParticipantStatus.IN_PROGRESS]: "проходит",
  [ParticipantStatus.SUBMITTED]: "завершил",
  [ParticipantStatus.TIMED_OUT]: "время истекло",
};

async function participantList(el: HTMLElement, campaign: string, token = "") {
  mount(el, loading());
  try {
    const r = await api.diagnostics.listCampaignParticipants({ campaign, pageSize: 50, pageToken: token });
    if (!r.participants.length) return mount(el, h("p", { class: "muted" }, "Участников нет."));
    mount(
      el,
      table(["Педагог", "Статус", "Попыток"], r.participants.map((p) => [h("a", { href: `#/people/${idOf(p.person)}` }, p.fullName), participantTitle[p.status] ?? "—", String(p.attempts)])),
      r.nextPageToken ? h("button", { type: "button", onclick: () => void participantList(el, campaign, r.nextPageToken) }, "Следующие 50 →") : null,
    );
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

export async function reportView(el: HTMLElement, scope: string, campaign: string) {
  mount(el, loading("Формирование отчёта…"));
  try {
    const r = await api.diagnostics.getAggregateReport({ scope, campaign, topDeficits: 10, includeChildren: true });
    renderReport(el, r, campaign);
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

function renderReport(el: HTMLElement, r: GetAggregateReportResponse, campaign: string) {
  const overall = r.overallLevels.map((l) => ({ label: levelTitle[l.level] ?? "—", value: l.sharePercent, color: levelColor[l.level] }));
  const areas = r.areas.map((a) => ({ label: areaTitle[a.area] ?? "—", value: a.meanScorePercent }));
  const deficits = r.topDeficits.map((d) => ({ label: d.title || d.indicatorCode, value: d.sharePercent, color: "#b3261e" }));
  mount(
    el,
    h("h2", {}, `Отчёт: ${r.title}`),
    h("p", {}, `Продиагностировано ${fmt(Number(r.diagnosedCount))} из ${fmt(Number(r.populationCount))} (${fmt(r.diagnosedSharePercent)}%).`),
    h("div", { class: "charts" },
      barChart("Уровни (доля педагогов)", overall, "%"),
      barChart("Средний результат по областям компетенций", areas, "%"),
      deficits.length ? barChart("Самые частые дефициты (доля педагогов)", deficits, "%") : null),
    r.areas.length
      ? table(["Область", ...[1, 2, 3, 4].map((l) => levelTitle[l])], r.areas.map((a) => [areaTitle[a.area] ?? "—", ...[1, 2, 3, 4].map((l) => fmt(Number(a.levels.find((x) => x.level === l)?.count ?? 0n)))]), "Уровни по областям (человек)")
      : null,
    r.children.length
      ? table(
          ["Подразделение", "Охват", "Прошли", "Доля"],
          r.children.map((c) => [h("a", { href: "#", onclick: (ev: Event) => { ev.preventDefault(); void reportView(el, c.scope, campaign); } }, c.title), fmt(Number(c.populationCount)), fmt(Number(c.diagnosedCount)), `${fmt(c.diagnosedSharePercent)}%`]),
          "По муниципалитетам / школам",
        )
      : null,
  );
}
