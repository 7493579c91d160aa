// Results of another assessment system (e.g. a regional testing centre) imported per teacher:
// each record becomes a diagnostic result with the same profile — levels per area and the
// deficit list — as a test taken here. A file with mistakes is not sent at all; the server
// answers per record (created, updated, unchanged, rejected with the reason).
import { api, requestId } from "../api";
import { mainScope } from "../app";
import { CampaignState, ImportRecordOutcome, type ImportExternalResultsResponse } from "../gen/nms/v1/diagnostics_pb";
import { parseExternalResults, TEMPLATE_EXAMPLE, TEMPLATE_HEADER, type ParsedRecord } from "../external_results_csv";
import { readCsvFile, writeCsv } from "../../../shared/csv";
import { downloadLink, errorNotice, field, h, importOutcome, importSummary, loading, mount, notice, table } from "../ui";
import { diagnosticsTabs } from "./diagnostics";

const SAMPLE = "external_id;person_external_id;diagnosis_date;МЕТ-01;ЦИФ-01;коммуникативные\nR-1;T-000123;15.03.2026;45;80;72\n";
const MAX_RECORDS = 10000;

export async function externalResultsScreen(main: HTMLElement) {
  document.title = "Внешние результаты — НМС";
  const source = h("input", { type: "text", required: true, maxlength: 200, placeholder: "например, ЦОКО «Перспектива»" });
  const campaign = h("select", {}, h("option", { value: "" }, "— без кампании —"));
  api.diagnostics
    .listCampaigns({ pageSize: 200 })
    .then((r) => campaign.append(...r.campaigns.filter((c) => c.state !== CampaignState.CANCELLED).map((c) => h("option", { value: c.name }, c.title))))
    .catch(() => {});
  const file = h("input", { type: "file", accept: ".csv,text/csv" });
  const text = h("textarea", { rows: 8, spellcheck: "false", placeholder: SAMPLE });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (f) text.value = await readCsvFile(f);
  });
  const dryRun = h("input", { type: "checkbox" });
  const report = h("div", { class: "report", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, "Загрузить результаты");
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        if (!source.value.trim()) return mount(report, notice("error", "Укажите, из какой системы результаты."));
        if (!text.value.trim()) return mount(report, notice("error", "Выберите файл CSV или вставьте его содержимое."));
        const parsed = parseExternalResults(text.value);
        if (parsed.errors.length) {
          return mount(
            report,
            notice("error", `В файле ошибки (строк: ${parsed.errors.length}) — ничего не отправлено. Исправьте их и загрузите файл снова.`),
            table(["Строка", "Ошибка"], parsed.errors.map((e) => [String(e.line), e.message]), "Ошибки в файле"),
          );
        }
        if (parsed.records.length > MAX_RECORDS) return mount(report, notice("error", `Не больше ${MAX_RECORDS} записей за одну загрузку; разделите файл.`));
        submit.setAttribute("disabled", "");
        mount(report, loading("Загрузка…"));
        try {
          const r = await api.diagnostics.importExternalResults({
            region: mainScope().scope,
            campaign: campaign.value,
            externalSource: source.value.trim(),
            records: parsed.records.map(toRecord),
            dryRun: dryRun.checked,
            requestId: requestId(),
          });
          showReport(report, r, parsed.records, dryRun.checked);
        } catch (e) {
          mount(report, errorNotice(e));
        } finally {
          submit.removeAttribute("disabled");
        }
      },
    },
    field("Источник результатов", source),
    field("Кампания", campaign, "необязательно: результаты войдут в отчёты кампании"),
    field("Файл CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)", file),
    h("p", {}, downloadLink(writeCsv(TEMPLATE_HEADER, [TEMPLATE_EXAMPLE]), "шаблон_внешние_результаты.csv", "text/csv;charset=utf-8", "Скачать шаблон")),
    field(
      "Содержимое",
      text,
      "Столбцы: external_id, person_external_id (или person), diagnosis_date (ДД.ММ.ГГГГ), затем баллы в процентах — по кодам индикаторов рамки или по областям (предметные, методические, психолого-педагогические, коммуникативные, цифровые)",
    ),
    h("div", { class: "checks" }, h("label", {}, dryRun, " только проверить, ничего не записывать")),
    submit,
  );
  mount(
    main,
    h("h1", {}, "Результаты внешней диагностики"),
    diagnosticsTabs("#/diagnostics/external"),
    h("p", { class: "hint" }, "Каждая запись становится результатом диагностики педагога: уровни по областям и дефициты считаются так же, как после теста в системе. Повторная загрузка того же файла ничего не дублирует."),
    form,
    report,
  );
}

function toRecord(r: ParsedRecord) {
  return {
    externalId: r.externalId,
    person: r.person,
    personExternalId: r.personExternalId,
    diagnosisDate: r.diagnosisDate,
    areaScores: r.areaScores,
    indicatorScores: r.indicatorScores,
  };
}

function showReport(el: HTMLElement, r: ImportExternalResultsResponse, records: ParsedRecord[], dry: boolean) {
  const rows = [...r.results].sort((a, b) => Number(b.outcome === ImportRecordOutcome.REJECTED) - Number(a.outcome === ImportRecordOutcome.REJECTED) || a.index - b.index);
  mount(
    el,
    importSummary(r, dry),
    table(
      ["Строка", "Запись", "Результат", "Пояснение"],
      rows.map((x) => [
        String(records[x.index]?.line ?? x.index + 2),
        x.externalId || "—",
        importOutcome(x.outcome),
        x.message || (x.result ? "результат сохранён" : ""),
      ]),
      "Результат по записям",
    ),
  );
}
