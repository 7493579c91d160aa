// Item analytics of a published instrument for its owners (ЦНППМ, regional admin), next to the
// teachers' remarks on items: how hard each item is, whether it separates strong from weak
// teachers, how often each option is chosen, items everyone passes or fails, items that differ by
// organisation type, and the item response model's parameters once the instrument is calibrated
// from the region's answers (a background operation with progress). The table downloads as CSV.
import { api, requestId } from "../api";
import { InstrumentState, type Instrument } from "../gen/nms/v1/diagnostics_pb";
import { CalibrationOperationState, ItemResponseModel, type CalibrationOperation, type GetItemAnalyticsResponse, type ItemCalibration } from "../gen/nms/v1/item_calibration_pb";
import { difText, distractorText, itemAnalyticsCsv, itemWarnings, modelTitle, pText } from "../item_analytics_csv";
import { plural } from "../../../shared/plural";
import { act, badge, downloadLink, errorNotice, field, fmt, h, loading, mount, notice, poll, progressBar, table, tsText } from "../ui";
import { actionButton, allowed, type Permission } from "../forms";
import { areaTitle, canManageFramework, diagnosticsTabs } from "./diagnostics";

let chosen = "";

/** Opens the screen on one instrument (from the instruments list). */
export function itemAnalyticsHash(instrument: string): string {
  chosen = instrument;
  return "#/diagnostics/analytics";
}

const num = (n: number, digits = 2) => n.toLocaleString("ru-RU", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const theta = (v?: number) => (v === undefined ? "—" : num(v));

export async function itemAnalyticsScreen(main: HTMLElement) {
  document.title = "Аналитика заданий — НМС";
  const pick = h("select", { "aria-label": "Инструмент" }, h("option", { value: "" }, "Загрузка…"));
  const calibration = h("section", { "aria-label": "Калибровка заданий" });
  const analytics = h("section", { "aria-label": "Статистика заданий" });
  mount(
    main,
    h("h1", {}, "Аналитика заданий"),
    diagnosticsTabs("#/diagnostics/analytics"),
    h("p", { class: "hint" }, "Статистика по завершённым сессиям региона: трудность и различающая способность заданий, выбор вариантов ответа, задания, которые выполняют все или не выполняет никто, различия по типам организаций. Калибровка оценивает параметры модели IRT, нужные для адаптивного тестирования."),
    field("Инструмент", pick),
    calibration,
    analytics,
  );
  let instruments: Instrument[] = [];
  try {
    instruments = (await api.diagnostics.listInstruments({ pageSize: 200 })).instruments.filter((i) => i.state !== InstrumentState.DRAFT);
  } catch (e) {
    return mount(analytics, errorNotice(e));
  }
  if (!instruments.length) {
    mount(pick, h("option", { value: "" }, "нет опубликованных инструментов"));
    return mount(analytics, h("p", { class: "muted" }, "Аналитика появится, когда будет опубликован инструмент и педагоги пройдут диагностику."));
  }
  mount(pick, ...instruments.map((i) => h("option", { value: i.name }, i.title)));
  if (chosen && instruments.some((i) => i.name === chosen)) pick.value = chosen;
  const load = async () => {
    chosen = pick.value;
    const instrument = instruments.find((i) => i.name === pick.value)!;
    mount(calibration, loading());
    mount(analytics, loading());
    await Promise.all([showCalibration(calibration, instrument, load), showAnalytics(analytics, instrument)]);
  };
  pick.addEventListener("change", () => void load());
  await load();
}

async function showCalibration(el: HTMLElement, instrument: Instrument, reload: () => Promise<void>) {
  let stored: ItemCalibration | undefined;
  try {
    stored = (await api.diagnostics.getItemCalibration({ instrument: instrument.name })).calibration;
  } catch (e) {
    if ((e as { code?: number }).code !== 9) return mount(el, errorNotice(e)); // 9 = FAILED_PRECONDITION: never calibrated
  }
  const out = h("div", { "aria-live": "polite" });
  const perm: Permission = canManageFramework() ? allowed : { allowed: false, reason: "Калибровку запускают ЦНППМ и администратор региона." };
  const start = actionButton(stored ? "Откалибровать заново" : "Откалибровать задания", perm, () =>
    void act(start, out, async () => {
      const r = await api.diagnostics.startItemCalibration({ instrument: instrument.name, requestId: requestId() });
      const op = await poll(
        () => api.diagnostics.getCalibrationOperation({ name: r.operation!.name }).then((x) => x.operation!),
        (o) => o.state === CalibrationOperationState.SUCCEEDED || o.state === CalibrationOperationState.FAILED,
        (o) => mount(out, operationView(o)),
      );
      if (op.state === CalibrationOperationState.SUCCEEDED) await reload();
      else mount(out, operationView(op));
    }, "Запуск…"),
  );
  const summary = stored
    ? h(
        "div",
        {},
        h("p", {}, `Калибровка от ${tsText(stored.calibrateTime)} по ${plural(stored.sessionsUsed, "сессии", "сессиям", "сессиям")}.`),
        table(
          ["Область", "Состояние", "Педагогов", "Заданий в адаптивном банке", "θ: базовый", "θ: повышенный", "θ: высокий"],
          stored.areas.map((a) => [
            areaTitle[a.area] ?? "—",
            a.calibrated ? badge(a.converged ? "откалибрована" : "откалибрована (без сходимости)", a.converged ? "ok" : "warn") : h("span", {}, badge("мало данных", "warn"), " ", h("small", { class: "muted" }, a.message)),
            fmt(a.personsUsed),
            fmt(a.bankSize),
            theta(a.thetaBasic),
            theta(a.thetaAdvanced),
            theta(a.thetaHigh),
          ]),
          "Калибровка по областям",
        ),
      )
    : h("p", { class: "muted" }, "Инструмент ещё не калиброван: параметры заданий оцениваются по ответам педагогов региона (нужно не меньше 30 педагогов и 30 ответов на задание).");
  mount(el, h("h2", {}, "Калибровка заданий"), summary, h("div", { class: "row-actions" }, start), out);
}

function operationView(o: CalibrationOperation): HTMLElement {
  const running = o.state === CalibrationOperationState.PENDING || o.state === CalibrationOperationState.RUNNING;
  if (running) {
    return h("p", { role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), ` ${o.progress?.phase || "Калибровка"}: `, progressBar(Number(o.progress?.done ?? 0n), Number(o.progress?.total ?? 100n), "Калибровка"));
  }
  if (o.state === CalibrationOperationState.FAILED) return notice("error", `Калибровка не выполнена: ${o.errorMessage}`);
  return notice("success", `Калибровка завершена: ${plural(o.areasCalibrated, "область", "области", "областей")}, ${plural(o.itemsCalibrated, "задание", "задания", "заданий")} с параметрами.`);
}

async function showAnalytics(el: HTMLElement, instrument: Instrument) {
  let r: GetItemAnalyticsResponse;
  try {
    r = await api.diagnostics.getItemAnalytics({ instrument: instrument.name });
  } catch (e) {
    return mount(el, errorNotice(e));
  }
  if (!r.respondents) return mount(el, h("h2", {}, "Статистика заданий"), h("p", { class: "muted" }, "Завершённых сессий по этому инструменту пока нет."));
  const file = `аналитика_заданий_${instrument.name.replace(/\D/g, "")}.csv`;
  const download = h("div", { class: "row-actions" });
  const csv = h("button", { type: "button", class: "small", onclick: () => mount(download, downloadLink(itemAnalyticsCsv(r), file, "text/csv;charset=utf-8", "Скачать CSV")) }, "Выгрузить в CSV");
  const flagged = r.items.filter((i) => itemWarnings(i).length).length;
  mount(
    el,
    h("h2", {}, "Статистика заданий"),
    h("p", {}, `${plural(r.respondents, "завершённая сессия", "завершённые сессии", "завершённых сессий")}; ${flagged ? `замечания к ${plural(flagged, "заданию", "заданиям", "заданиям")}` : "замечаний к заданиям нет"}.`),
    h("div", { class: "row-actions" }, csv, download),
    table(
      ["№", "Задание", "Ответов", "Выполнили", "Дискриминация", "Модель IRT", "Выбор вариантов", "Различия по типам организаций", "Замечания"],
      r.items.map((i) => {
        const c = i.calibration;
        const calibrated = c && c.model !== ItemResponseModel.EXCLUDED && c.model !== ItemResponseModel.UNSPECIFIED;
        const warnings = itemWarnings(i);
        return [
          String(i.position),
          h("span", {}, h("strong", {}, i.itemId), h("br"), h("small", {}, i.text.length > 140 ? `${i.text.slice(0, 140)}…` : i.text)),
          fmt(i.responses),
          i.everyonePasses ? badge("все", "warn") : i.everyoneFails ? badge("никто", "err") : `${Math.round(i.difficulty * 100)} %`,
          i.discrimination === undefined ? "—" : num(i.discrimination),
          c ? (calibrated ? h("span", {}, `${modelTitle[c.model]}: a = ${num(c.discrimination)}, b = ${num(c.difficulty)}`, c.fitDf > 0 ? h("br") : null, c.fitDf > 0 ? h("small", { class: "muted" }, `согласие p = ${pText(c.fitP)}`) : null) : h("small", { class: "muted" }, c.note || "не калибровано")) : "—",
          i.options.length ? distractorText(i) : "—",
          i.dif.length ? difText(i, r.difReference) : "—",
          warnings.length ? h("ul", { class: "flags" }, warnings.map((w) => h("li", {}, w))) : h("span", { class: "muted" }, "—"),
        ];
      }),
      `Задания инструмента «${instrument.title}»`,
    ),
  );
}
