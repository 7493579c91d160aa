// Diagnostics: the campaigns list and the new-campaign form (listed population or the stratified
// sample of the regulations), with the section's own tabs; the campaign page, reports and the
// framework/instrument screens live in their own files.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { api, requestId } from "../api";
import { go, hasAny, mainScope } from "../app";
import { CompetencyLevel, OrganizationType, Role } from "../gen/nms/v1/common_pb";
import { CampaignState, CampaignWaveKind, InstrumentState, CampaignPopulationSchema } from "../gen/nms/v1/diagnostics_pb";
import { scopeSelect, selectedValues } from "../scope";
import { act, badge, checkbox, errorText, field, filteredList, h, idOf, mount, notice, progressBar, radios, select, splitList, subnav, table } from "../ui";
import { areaTitle, levelTitle } from "../../../shared/titles";
import { campaignScreen } from "./campaign";
export { areaTitle, levelTitle };
import { frameworksScreen, instrumentsScreen } from "./instruments";
import { summaryReportScreen } from "./reports";
import { compareScreen } from "./compare";
import { itemProblemsScreen } from "./item_problems";
import { itemAnalyticsScreen } from "./item_analytics";
import { adaptiveCampaignFields } from "./adaptive_campaign";
import { externalResultsScreen } from "./external_results";

export const levelColor: Record<number, string> = {
  [CompetencyLevel.INSUFFICIENT]: "#b3261e",
  [CompetencyLevel.BASIC]: "#b36200",
  [CompetencyLevel.ADVANCED]: "#2f6fb2",
  [CompetencyLevel.HIGH]: "#1e7b3a",
};
export const campaignStateTitle: Record<number, string> = {
  [CampaignState.DRAFT]: "черновик",
  [CampaignState.LAUNCHED]: "идёт",
  [CampaignState.CLOSED]: "завершена",
  [CampaignState.CANCELLED]: "отменена",
};
export const campaignStateKind: Record<number, "ok" | "warn" | "err" | "info" | "muted"> = {
  [CampaignState.DRAFT]: "muted",
  [CampaignState.LAUNCHED]: "info",
  [CampaignState.CLOSED]: "ok",
  [CampaignState.CANCELLED]: "err",
};
export const waveTitle: Record<number, string> = {
  [CampaignWaveKind.REGIONAL]: "региональная",
  [CampaignWaveKind.FEDERAL]: "федеральная",
  [CampaignWaveKind.MUNICIPAL]: "муниципальная",
  [CampaignWaveKind.SCHOOL]: "школьная",
};
export const stratumTitle: Record<number, string> = {
  [OrganizationType.SCHOOL]: "ОО (школы)",
  [OrganizationType.KINDERGARTEN]: "ДОО (детские сады)",
  [OrganizationType.COLLEGE]: "СПО (колледжи)",
  [OrganizationType.ADDITIONAL_EDUCATION]: "ДПО",
  [OrganizationType.CHILDREN_ADDITIONAL_EDUCATION]: "ДО детей",
};

/** Who manages campaigns (policy manage_campaign) and frameworks/instruments (manage_framework). */
export const canManageCampaigns = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
export const canManageFramework = () => hasAny(Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);

export function dayText(t?: { seconds: bigint }): string {
  if (!t || !t.seconds) return "—";
  return new Date(Number(t.seconds) * 1000).toLocaleDateString("ru-RU", { timeZone: "Europe/Moscow" });
}

export function diagnosticsTabs(current: string): HTMLElement {
  const items: [string, string][] = [
    ["#/diagnostics", "Кампании"],
    ["#/diagnostics/report", "Сводный отчёт"],
    ["#/diagnostics/compare", "Сравнение кампаний"],
  ];
  if (canManageFramework()) {
    items.push(["#/diagnostics/instruments", "Инструменты"], ["#/diagnostics/frameworks", "Рамки компетенций"], ["#/diagnostics/problems", "Замечания к заданиям"], ["#/diagnostics/analytics", "Аналитика заданий"], ["#/diagnostics/external", "Внешние результаты"]);
  }
  return subnav("Диагностика", items, current);
}

export async function diagnosticsScreen(main: HTMLElement, sub?: string) {
  document.title = "Диагностика — НМС";
  if (sub === "report") return summaryReportScreen(main);
  if (sub === "compare") return compareScreen(main);
  if (sub === "instruments") return instrumentsScreen(main);
  if (sub === "frameworks") return frameworksScreen(main);
  if (sub === "problems") return itemProblemsScreen(main);
  if (sub === "analytics") return itemAnalyticsScreen(main);
  if (sub === "external") return externalResultsScreen(main);
  if (sub) return campaignScreen(main, sub);
  const PAGE = 25;
  const { filters, list, reload } = filteredList(
    "Состояние",
    [["", "все"], ...Object.entries(campaignStateTitle)],
    "",
    PAGE,
    async (state, token) => {
      const r = await api.diagnostics.listCampaigns({ pageSize: PAGE, pageToken: token, filter: state ? `state = ${CampaignState[Number(state)]}` : "" });
      return { items: r.campaigns, next: r.nextPageToken, total: r.totalSize };
    },
    (cs) =>
      table(
        ["Кампания", "Состояние", "Период", "Прошли диагностику"],
        cs.map((c) => [
          h("span", {}, h("a", { href: `#/diagnostics/${idOf(c.name)}` }, c.title), h("br"), h("small", { class: "muted" }, `${waveTitle[c.waveKind] ?? ""} волна`)),
          badge(campaignStateTitle[c.state] ?? "—", campaignStateKind[c.state]),
          `${dayText(c.openTime)} — ${dayText(c.closeTime)}`,
          c.state === CampaignState.DRAFT ? h("span", { class: "muted" }, "не запущена") : progressBar(Number(c.submittedCount), Number(c.participantCount), "Прошли"),
        ]),
      ),
    "Кампаний пока нет.",
  );
  mount(
    main,
    h("h1", {}, "Диагностика профессиональных компетенций"),
    diagnosticsTabs("#/diagnostics"),
    canManageCampaigns() ? createCampaignForm() : null,
    h("h2", {}, "Кампании"),
    filters,
    list,
  );
  await reload();
}

function dateTimeInput(d: Date): HTMLInputElement {
  const pad = (n: number) => String(n).padStart(2, "0");
  const v = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return h("input", { type: "datetime-local", required: true, value: v });
}

const DEFAULT_QUOTAS: [OrganizationType, number][] = [
  [OrganizationType.SCHOOL, 65],
  [OrganizationType.KINDERGARTEN, 11],
  [OrganizationType.COLLEGE, 17],
  [OrganizationType.ADDITIONAL_EDUCATION, 7],
];

/** The new-campaign form; a created campaign opens its page (where it is launched). */
function createCampaignForm(): HTMLElement {
  const title = h("input", { type: "text", required: true, maxlength: 300 });
  const instrument = h("select", { required: true }, h("option", { value: "" }, "Загрузка…"));
  const regional = hasAny(Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN);
  const wave = select(Object.entries(waveTitle), String(regional ? CampaignWaveKind.REGIONAL : CampaignWaveKind.MUNICIPAL));
  const purpose = h("textarea", { rows: 2, class: "prose" }, "Выявить профессиональные дефициты и построить индивидуальные образовательные маршруты. Результат не является аттестацией.");
  const [voluntaryLabel, voluntary] = checkbox("участие добровольное", true);
  const now = new Date();
  const open = dateTimeInput(now);
  const close = dateTimeInput(new Date(now.getTime() + 14 * 86400_000));
  const limit = h("input", { type: "number", min: 0, max: 600, value: 90, inputmode: "numeric" });
  const [retakeLabel, retake] = checkbox("разрешить повторное прохождение");
  const scopes = scopeSelect(true);
  const positions = h("input", { type: "text", placeholder: "например, учитель", value: "учитель" });
  const subjects = h("input", { type: "text", placeholder: "пусто — любые" });
  const fraction = h("input", { type: "number", min: 1, max: 100, step: 1, value: 30, inputmode: "numeric" });
  const seed = h("input", { type: "number", value: Math.floor(Math.random() * 1e6), inputmode: "numeric" });
  const quotaInputs = DEFAULT_QUOTAS.map(([t, v]) => [t, h("input", { type: "number", min: 0, max: 100, step: 1, value: v, inputmode: "numeric" })] as const);
  const sampleBox = h(
    "div",
    { class: "sample", hidden: true },
    h("div", { class: "grid2" }, field("Доля выборки, %", fraction, "по положению — 30 %"), field("Начальное число (seed)", seed, "одинаковое число — одинаковая выборка")),
    h("fieldset", {}, h("legend", {}, "Квоты по типам организаций, % выборки (в сумме 100)"), h("div", { class: "grid4" }, quotaInputs.map(([t, inp]) => field(stratumTitle[t], inp)))),
  );
  const [kindSet, kind] = radios("Кто участвует", "population", [["listed", "все педагоги выбранных территорий"], ["sample", "стратифицированная случайная выборка"]], "listed", (v) => {
    sampleBox.hidden = v !== "sample";
  });
  const status = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, "Создать кампанию");
  const adaptive = adaptiveCampaignFields(instrument);
  api.diagnostics
    .listInstruments({ pageSize: 200, filter: "state = INSTRUMENT_STATE_PUBLISHED" })
    .then((r) => {
      const published = r.instruments.filter((i) => i.state === InstrumentState.PUBLISHED);
      mount(instrument, h("option", { value: "" }, published.length ? "— выберите —" : "нет опубликованных инструментов"), ...published.map((i) => h("option", { value: i.name }, `${i.title} (${i.itemCount} заданий)`)));
    })
    .catch((e) => mount(instrument, h("option", { value: "" }, `недоступно: ${errorText(e)}`)));

  const population = (): MessageInitShape<typeof CampaignPopulationSchema> => {
    const sc = selectedValues(scopes);
    if (kind() === "listed") {
      return { selection: { case: "listed", value: { scopes: sc, positions: splitList(positions.value), subjects: splitList(subjects.value) } } };
    }
    return { selection: {
      case: "stratifiedSample",
      value: {
        scopes: sc,
        positions: splitList(positions.value),
        subjects: splitList(subjects.value),
        sampleFraction: Number(fraction.value) / 100,
        quotas: quotaInputs.map(([t, inp]) => ({ organizationType: t, share: Number(inp.value) / 100 })),
        seed: BigInt(Math.trunc(Number(seed.value) || 0)),
      },
    } };
  };

  const form = h(
    "form",
    {
      class: "card",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (kind() === "sample") {
          const sum = quotaInputs.reduce((s, [, i]) => s + Number(i.value), 0);
          if (Math.abs(sum - 100) > 0.01) return mount(status, notice("error", `Квоты должны составлять в сумме 100 %, сейчас ${sum} %.`));
        }
        if (!instrument.value) return mount(status, notice("error", "Выберите инструмент диагностики."));
        void act(submit, status, async () => {
          const r = await api.diagnostics.createCampaign({
            campaign: {
              title: title.value.trim(),
              instrument: instrument.value,
              region: mainScope().scope.startsWith("regions/") ? mainScope().scope : "",
              waveKind: Number(wave.value),
              purpose: purpose.value.trim(),
              voluntary: voluntary.checked,
              openTime: timestampFromDate(new Date(open.value)),
              closeTime: timestampFromDate(new Date(close.value)),
              timeLimitSeconds: Math.max(0, Math.round(Number(limit.value) * 60)),
              allowRetake: retake.checked,
              population: population(),
              ...adaptive.values(),
            },
            requestId: requestId(),
          });
          go(`#/diagnostics/${idOf(r.campaign!.name)}`);
        }, "Создание…");
      },
    },
    h("div", { class: "grid2" },
      field("Название", title, "например, «Диагностика учителей математики, весна»"),
      field("Инструмент диагностики", instrument, "только опубликованные"),
      field("Уровень волны", wave),
      field("Ограничение времени, мин", limit, "0 — без ограничения"),
      field("Начало", open),
      field("Окончание", close)),
    field("Цель (увидят участники)", purpose),
    h("div", { class: "checks" }, voluntaryLabel, retakeLabel),
    kindSet,
    h("div", { class: "grid2" },
      field("Территории", scopes, "несколько — с Ctrl; по умолчанию — вся зона ответственности"),
      h("div", {}, field("Должности", positions, "через запятую; пусто — любые"), field("Предметы", subjects, "через запятую"))),
    sampleBox,
    adaptive.el,
    status,
    submit,
  );
  return h("details", { class: "create" }, h("summary", {}, "Новая кампания"), form);
}
