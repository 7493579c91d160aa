// Indicator definitions and their targets (the regional admin edits them; everyone who reads the
// dashboard sees them), attestation of the yes/no indicators with the supporting document, and
// the dashboard's downloads: the CSV export and the printable report.
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { IndicatorPeriod, IndicatorScopeLevel, IndicatorValueKind, MonitoringFact, TargetComparison, type IndicatorDefinition } from "../gen/nms/v1/monitoring_pb";
import { scopeOptions } from "../scope";
import { allowed, enumOptions, formDialog, resourceList, type FieldSpec, type Permission, type Values } from "../forms";
import { act, dateText, downloadLink, fmt, h, mount, notice, todayDate } from "../ui";

export const factTitle: Record<number, string> = {
  [MonitoringFact.CONSTANT_ONE]: "единица (для количеств и «да/нет»)",
  [MonitoringFact.TEACHERS]: "педагоги и руководители",
  [MonitoringFact.TEACHERS_DIAGNOSED]: "прошли диагностику",
  [MonitoringFact.TEACHERS_DIAGNOSED_BASIC_OR_ABOVE]: "диагностика на базовом уровне и выше",
  [MonitoringFact.TEACHERS_WITH_ROUTE]: "педагоги с ИОМ",
  [MonitoringFact.TEACHERS_ROUTE_COMPLETED]: "завершили ИОМ",
  [MonitoringFact.TEACHERS_COMPLETED_FR_DPP]: "прошли программы из ФР ДПП",
  [MonitoringFact.TEACHERS_COMPLETED_FR_DPP_FROM_DIAGNOSTICS]: "прошли ФР ДПП по итогам диагностики",
  [MonitoringFact.MANAGEMENT_TEAMS]: "организации с управленческой командой",
  [MonitoringFact.MANAGEMENT_TEAMS_TRAINED]: "управленческие команды, прошедшие обучение",
  [MonitoringFact.MANAGEMENT_TEAMS_TRAINED_QUALITY_MANAGEMENT]: "команды, обученные управлению качеством",
  [MonitoringFact.REGIONAL_METHODISTS]: "региональные методисты",
  [MonitoringFact.YOUNG_TEACHERS]: "молодые педагоги",
  [MonitoringFact.YOUNG_TEACHERS_SUPPORTED]: "молодые педагоги в поддержке",
  [MonitoringFact.ORGANIZATIONS]: "организации",
  [MonitoringFact.ORGANIZATIONS_WITH_MENTORING_PROGRAMME]: "организации с программой наставничества",
  [MonitoringFact.ORGANIZATIONS_IN_MANAGEMENT_MENTORING]: "организации в управленческом наставничестве",
  [MonitoringFact.ORGANIZATIONS_IN_INTERNSHIP_PLATFORMS]: "организации в стажировочных площадках",
  [MonitoringFact.TEACHERS_IN_COMMUNITIES]: "педагоги в сообществах",
  [MonitoringFact.TEACHERS_IN_EXPERT_ACTIVITY]: "педагоги в экспертной деятельности",
  [MonitoringFact.CNPPM_STAFF]: "сотрудники ЦНППМ",
  [MonitoringFact.CNPPM_STAFF_FEDERALLY_TRAINED]: "сотрудники ЦНППМ, обученные ФО",
  [MonitoringFact.REGIONAL_EVENTS]: "региональные мероприятия",
  [MonitoringFact.ATTESTATION]: "отметка «да/нет»",
};
const kindTitle: Record<number, string> = {
  [IndicatorValueKind.PERCENT]: "процент",
  [IndicatorValueKind.RATIO]: "отношение",
  [IndicatorValueKind.COUNT]: "количество",
  [IndicatorValueKind.BOOLEAN]: "да/нет",
};
const levelTitle: Record<number, string> = {
  [IndicatorScopeLevel.REGION]: "регион",
  [IndicatorScopeLevel.DISTRICT]: "округ",
  [IndicatorScopeLevel.MUNICIPALITY]: "муниципалитет",
  [IndicatorScopeLevel.ORGANIZATION]: "организация",
};
const periodTitle: Record<number, string> = {
  [IndicatorPeriod.YEAR]: "год",
  [IndicatorPeriod.HALF_YEAR]: "полугодие",
  [IndicatorPeriod.QUARTER]: "квартал",
  [IndicatorPeriod.CUMULATIVE]: "нарастающим итогом",
};
const comparisonTitle: Record<number, string> = {
  [TargetComparison.GREATER_OR_EQUAL]: "не меньше цели",
  [TargetComparison.LESS_OR_EQUAL]: "не больше цели",
  [TargetComparison.EQUAL]: "равно цели",
};

function canManage(): Permission {
  return hasAny(Role.REGIONAL_ADMIN) && mainScope().scope.startsWith("regions/")
    ? allowed
    : { allowed: false, reason: "Показатели и цели настраивает администратор региона." };
}

const FIELDS: FieldSpec[] = [
  { key: "code", label: "Код", type: "text", required: true, maxLength: 64 },
  { key: "ordinal", label: "Порядок", type: "int", min: 0, formOnly: true },
  { key: "title", label: "Показатель", type: "text", required: true, maxLength: 1000 },
  { key: "description", label: "Описание", type: "textarea", formOnly: true },
  { key: "numeratorFact", path: "numerator", label: "Числитель", type: "enum", required: true, options: enumOptions(factTitle) },
  { key: "denominatorFact", path: "denominator", label: "Знаменатель", type: "enum", required: true, options: enumOptions(factTitle), formOnly: true },
  { key: "valueKind", label: "Выражается как", type: "enum", required: true, options: enumOptions(kindTitle) },
  { key: "scopeLevel", label: "Нижний уровень", type: "enum", required: true, options: enumOptions(levelTitle), formOnly: true },
  { key: "period", label: "Период", type: "enum", required: true, options: enumOptions(periodTitle), formOnly: true },
  { key: "targetValue", label: "Цель", type: "number", min: 0, formOnly: true, hint: "для показателя «да/нет»: 1 — да, 0 — нет" },
  { key: "targetText", label: "Цель", type: "text", tableOnly: true },
  { key: "comparison", label: "Достигнут, если значение", type: "enum", required: true, options: enumOptions(comparisonTitle), formOnly: true },
  { key: "sourceClause", label: "Источник (пункт положения)", type: "text", formOnly: true },
  { key: "denominatorNote", label: "Пояснение к знаменателю", type: "textarea", formOnly: true },
  { key: "enabled", label: "Рассчитывается", type: "bool", initial: true },
];

/** The same rules as the server's ValidateDefinition, checked before sending. */
function check(v: Values): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.valueKind === IndicatorValueKind.PERCENT && Number(v.targetValue) > 100) out.targetValue = "Для процентов не больше 100";
  if (v.valueKind === IndicatorValueKind.BOOLEAN && v.numeratorFact !== MonitoringFact.ATTESTATION) out.numeratorFact = "Показатель «да/нет» считается по отметке «да/нет»";
  if (v.numeratorFact === MonitoringFact.ATTESTATION && v.valueKind !== IndicatorValueKind.BOOLEAN) out.valueKind = "Отметка «да/нет» выражается как «да/нет»";
  return out;
}

function toForm(d: IndicatorDefinition): Values {
  // A yes/no indicator's target reads «да», not 1.
  const targetText = d.valueKind === IndicatorValueKind.BOOLEAN ? (d.targetValue ? "да" : "нет") : fmt(d.targetValue);
  return { ...(d as unknown as Values), numeratorFact: d.numerator?.fact ?? 0, denominatorFact: d.denominator?.fact ?? 0, targetText };
}
function fromForm(v: Values, before?: IndicatorDefinition) {
  const { numeratorFact, denominatorFact, targetText: _shown, ...rest } = v;
  return {
    ...rest,
    numerator: { fact: Number(numeratorFact), organizationTypes: before?.numerator?.organizationTypes ?? [] },
    denominator: { fact: Number(denominatorFact), organizationTypes: before?.denominator?.organizationTypes ?? [] },
  };
}

/** Records the yes/no value of an attested indicator for a scope and period, with its document. */
async function attest(d: IndicatorDefinition, done: () => void) {
  const options = await scopeOptions(false).catch((): [string, string][] => [[mainScope().scope, mainScope().title]]);
  const saved = await formDialog({
    title: `Отметка: ${d.code} ${d.title}`,
    submitText: "Записать отметку",
    fields: [
      { key: "scope", label: "Территория", type: "ref", required: true, options, initial: options[0]?.[0] },
      { key: "periodEndDate", label: "Последний день периода", type: "date", required: true, initial: todayDate() },
      { key: "value", label: "Выполнено?", type: "ref", required: true, options: [["yes", "да"], ["no", "нет"]] },
      { key: "document", label: "Подтверждающий документ", type: "text", required: true, hint: "например, распоряжение № 123 от 10.02.2026", maxLength: 1000 },
    ],
    submit: (v) => api.monitoring.recordIndicatorAttestation({ definition: d.name, scope: String(v.scope), periodEndDate: v.periodEndDate as { year: number; month: number; day: number }, value: v.value === "yes", document: String(v.document), requestId: requestId() }),
  });
  if (saved !== null) done();
}

export function definitionsScreen(main: HTMLElement) {
  document.title = "Показатели и цели — НМС";
  const region = mainScope().scope;
  const status = h("div", { "aria-live": "polite" });
  const perm = canManage();
  const list = resourceList<IndicatorDefinition>({
    noun: "показатель",
    fields: FIELDS,
    check,
    canCreate: perm,
    canEdit: () => perm,
    canDelete: () => perm,
    list: async (t) => { const r = await api.monitoring.listIndicatorDefinitions({ pageSize: 50, pageToken: t }); return { items: r.definitions.map((d) => Object.assign(d, toForm(d))), next: r.nextPageToken, total: r.totalSize }; },
    get: async (name) => { const d = (await api.monitoring.getIndicatorDefinition({ name })).definition!; return Object.assign(d, toForm(d)); },
    create: (v) => api.monitoring.createIndicatorDefinition({ definition: { ...fromForm(v), region }, requestId: requestId() }),
    update: (v, changed) => api.monitoring.updateIndicatorDefinition({ definition: fromForm(v, v as unknown as IndicatorDefinition), updateMask: { paths: changed }, requestId: requestId() }),
    remove: (d) => api.monitoring.deleteIndicatorDefinition({ name: d.name, version: d.version, requestId: requestId() }),
    rowActions: (d, reload) =>
      d.numerator?.fact === MonitoringFact.ATTESTATION
        ? [perm.allowed
            ? h("button", { type: "button", onclick: () => void attest(d, () => { mount(status, notice("success", `Отметка по показателю ${d.code} записана.`)); void reload(); }) }, "Отметить выполнение")
            : h("button", { type: "button", disabled: true, title: perm.reason ?? "" }, "Отметить выполнение")]
        : [],
    empty: "Показатели региона ещё не настроены: включите набор на экране мониторинга.",
  });
  mount(
    main,
    h("p", { class: "back" }, h("a", { href: "#/monitoring" }, "← К показателям")),
    h("h1", {}, "Показатели и целевые значения"),
    h("p", { class: "muted" }, "Удаление показателя из набора положения отключает его (перестаёт рассчитываться); показатели «да/нет» считаются по отметкам с документом."),
    perm.allowed ? null : notice("info", perm.reason!),
    status,
    list.el,
  );
}

/** The dashboard's downloads: CSV of the values and the printable report, for a scope. */
export function indicatorDownloads(scope: string): HTMLElement {
  const out = h("div", { "aria-live": "polite" });
  const csv = h("button", { type: "button" }, "Выгрузить CSV");
  const report = h("button", { type: "button" }, "Печатный отчёт");
  csv.addEventListener("click", () => void act(csv, out, async () => {
    const r = await api.monitoring.exportIndicatorsCsv({ scope, referenceDate: todayDate(), includeChildren: true });
    mount(out, notice("success", `Файл готов на ${dateText(todayDate())}.`, downloadLink(r.content, r.filename || "indicators.csv", "text/csv", "Скачать CSV")));
  }, "Выгрузка…"));
  report.addEventListener("click", () => void act(report, out, async () => {
    const r = await api.monitoring.renderIndicatorReport({ scope, referenceDate: todayDate(), includeChildren: true });
    const frame = h("iframe", { class: "report-frame", title: "Печатный отчёт о показателях", sandbox: "allow-modals allow-same-origin" });
    (frame as HTMLIFrameElement).srcdoc = r.html;
    const print = h("button", { type: "button", onclick: () => (frame as HTMLIFrameElement).contentWindow?.print() }, "Печать");
    mount(out, h("div", { class: "row-actions" }, print, downloadLink(r.html, r.filename || "indicators.html", "text/html", "Скачать HTML")), frame);
  }, "Формирование отчёта…"));
  return h("div", { class: "card" }, h("div", { class: "row-actions" }, csv, report, h("a", { href: "#/monitoring/definitions" }, "Показатели и цели")), out);
}
