// Competency frameworks and diagnostic instruments of the region (manage_framework: regional
// methodist and admin): lists with state, content view, JSON import/export, publication.
import { fromJsonString } from "@bufbuild/protobuf";
import { api, requestId } from "../api";
import { mainScope } from "../app";
import { CompetencyFrameworkSchema, CompetencyFrameworkState, InstrumentState, type CompetencyFramework, type Instrument } from "../gen/nms/v1/diagnostics_pb";
import { act, badge, busy, downloadLink, errorNotice, errorText, field, fmt, h, loading, mount, notice, table } from "../ui";
import { areaTitle, diagnosticsTabs } from "./diagnostics";

const frameworkStateTitle: Record<number, [string, "ok" | "muted" | "warn"]> = {
  [CompetencyFrameworkState.DRAFT]: ["черновик", "muted"],
  [CompetencyFrameworkState.PUBLISHED]: ["действует", "ok"],
  [CompetencyFrameworkState.RETIRED]: ["заменена", "warn"],
};
const instrumentStateTitle: Record<number, [string, "ok" | "muted" | "warn"]> = {
  [InstrumentState.DRAFT]: ["черновик", "muted"],
  [InstrumentState.PUBLISHED]: ["опубликован", "ok"],
  [InstrumentState.ARCHIVED]: ["в архиве", "warn"],
};

function region(): string {
  const s = mainScope().scope;
  return s.startsWith("regions/") ? s : "";
}

/**
 * A folded upload form of a JSON document (a file or pasted text): `fields` above it, and
 * `upload(json)` on submit, whose returned node reports the outcome. Unreadable JSON says so.
 */
function jsonUploadForm(summary: string, label: string, fields: Node[], hint: string, upload: (json: string) => Promise<Node>): HTMLElement {
  const file = h("input", { type: "file", accept: ".json,application/json" });
  const text = h("textarea", { rows: 8, spellcheck: "false" });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (f) text.value = await f.text();
  });
  const status = h("div", { "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, "Загрузить как черновик");
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        if (!text.value.trim()) return mount(status, notice("error", "Выберите файл JSON или вставьте его содержимое."));
        void busy(submit, async () => {
          try {
            mount(status, await upload(text.value));
          } catch (e) {
            // Errors of the server carry a code; anything else is the file itself.
            mount(status, e instanceof Error && !("code" in e) ? notice("error", `Файл не прочитан: ${e.message}`) : errorNotice(e));
          }
        });
      },
    },
    h("p", { class: "muted" }, hint),
    ...fields,
    field(`${label}: файл JSON`, file),
    field(`${label}: содержимое`, text),
    status,
    submit,
  );
  return h("details", { class: "create" }, h("summary", {}, summary), form);
}

export async function frameworksScreen(main: HTMLElement) {
  document.title = "Рамки компетенций — НМС";
  const list = h("div", {}, loading());
  const detail = h("div", {});
  const load = async () => {
    mount(list, loading());
    try {
      const r = await api.diagnostics.listCompetencyFrameworks({ pageSize: 100 });
      if (!r.frameworks.length) return mount(list, h("p", { class: "muted" }, "Рамок компетенций пока нет. Загрузите первую ниже."));
      mount(
        list,
        table(
          ["Рамка", "Версия", "Состояние", "Областей / индикаторов", ""],
          r.frameworks.map((f) => {
            const [st, kind] = frameworkStateTitle[f.state] ?? ["—", "muted"];
            const open = h("button", { type: "button", class: "small", onclick: () => showFramework(detail, f) }, "Состав");
            const publish = f.state === CompetencyFrameworkState.DRAFT ? h("button", { type: "button", class: "small" }, "Опубликовать") : null;
            publish?.addEventListener("click", () =>
              void act(publish, detail, async () => {
                await api.diagnostics.publishCompetencyFramework({ name: f.name, version: f.version, requestId: requestId() });
                await load();
              }),
            );
            return [f.title, String(f.revision), badge(st, kind), `${f.areas.length} / ${f.indicators.length}`, h("span", { class: "row-actions" }, open, publish)];
          }),
        ),
      );
    } catch (e) {
      mount(list, errorNotice(e));
    }
  };
  const upload = jsonUploadForm(
    "Загрузить рамку (JSON)",
    "Рамка",
    [],
    "Формат — JSON рамки (поля title, areas с порогами уровней, indicators с кодами, overallThresholds). Опубликованная версия неизменна: правки идут новой версией.",
    async (json) => {
      const fw = fromJsonString(CompetencyFrameworkSchema, json, { ignoreUnknownFields: true });
      fw.region = fw.region || region();
      const r = await api.diagnostics.createCompetencyFramework({ framework: fw, requestId: requestId() });
      await load();
      return notice("success", `Черновик «${r.framework?.title}» создан. Проверьте состав и опубликуйте.`);
    },
  );
  mount(
    main,
    h("h1", {}, "Рамки компетенций"),
    diagnosticsTabs("#/diagnostics/frameworks"),
    list,
    detail,
    upload,
  );
  await load();
}

function showFramework(el: HTMLElement, f: CompetencyFramework) {
  const th = (t?: { basicMinPercent: number; advancedMinPercent: number; highMinPercent: number }) =>
    t ? `базовый от ${fmt(t.basicMinPercent)} %, повышенный от ${fmt(t.advancedMinPercent)} %, высокий от ${fmt(t.highMinPercent)} %` : "—";
  mount(
    el,
    h("h2", {}, `${f.title}, версия ${f.revision}`),
    table(["Область", "Пороги уровней"], f.areas.map((a) => [a.title || areaTitle[a.area] || "—", th(a.thresholds)]), "Области компетенций"),
    table(["Код", "Индикатор", "Область"], f.indicators.map((i) => [i.code, i.title, areaTitle[i.area] ?? "—"]), "Индикаторы"),
    h("p", { class: "muted" }, `Общий уровень: ${th(f.overallThresholds)}.`),
  );
  el.scrollIntoView({ block: "start" });
}

export async function instrumentsScreen(main: HTMLElement) {
  document.title = "Инструменты диагностики — НМС";
  const list = h("div", {}, loading());
  const out = h("div", { "aria-live": "polite" });
  const load = async () => {
    mount(list, loading());
    try {
      const r = await api.diagnostics.listInstruments({ pageSize: 200 });
      if (!r.instruments.length) return mount(list, h("p", { class: "muted" }, "Инструментов пока нет. Загрузите первый ниже."));
      mount(list, table(["Инструмент", "Для кого", "Заданий", "Макс. балл", "Состояние", ""], r.instruments.map((i) => instrumentRow(i, out, load))));
    } catch (e) {
      mount(list, errorNotice(e));
    }
  };
  const framework = h("select", { required: true }, h("option", { value: "" }, "Загрузка…"));
  api.diagnostics
    .listCompetencyFrameworks({ pageSize: 100, filter: "state = COMPETENCY_FRAMEWORK_STATE_PUBLISHED" })
    .then((r) => mount(framework, h("option", { value: "" }, r.frameworks.length ? "— выберите —" : "нет опубликованных рамок"), ...r.frameworks.map((f) => h("option", { value: f.name }, `${f.title}, версия ${f.revision}`))))
    .catch((e) => mount(framework, h("option", { value: "" }, `недоступно: ${errorText(e)}`)));
  const upload = jsonUploadForm(
    "Загрузить инструмент (JSON)",
    "Инструмент",
    [field("Рамка компетенций", framework, "коды индикаторов заданий должны быть в этой рамке")],
    "Формат — JSON инструмента (blocks с items, у каждого задания indicatorWeights с кодами индикаторов рамки).",
    async (json) => {
      const r = await api.diagnostics.importInstrument({ region: region(), framework: framework.value, jsonContent: json, requestId: requestId() });
      await load();
      return notice(r.warnings.length ? "warn" : "success", `Черновик «${r.instrument?.title}» загружен: ${r.instrument?.itemCount ?? 0} заданий.`, r.warnings.length ? h("ul", {}, r.warnings.map((w) => h("li", {}, w))) : undefined);
    },
  );
  mount(
    main,
    h("h1", {}, "Инструменты диагностики"),
    diagnosticsTabs("#/diagnostics/instruments"),
    list,
    out,
    upload,
  );
  await load();
}

function instrumentRow(i: Instrument, out: HTMLElement, reload: () => Promise<void>): (Node | string)[] {
  const [st, kind] = instrumentStateTitle[i.state] ?? ["—", "muted"];
  const actions = h("span", { class: "row-actions" });
  if (i.state === InstrumentState.DRAFT) {
    const publish = h("button", { type: "button", class: "small" }, "Опубликовать");
    publish.addEventListener("click", () =>
      void act(publish, out, async () => {
        await api.diagnostics.publishInstrument({ name: i.name, version: i.version, requestId: requestId() });
        await reload();
      }),
    );
    actions.append(publish);
  }
  const exp = h("button", { type: "button", class: "small" }, "Выгрузить JSON");
  exp.addEventListener("click", () =>
    void act(exp, out, async () => {
      const r = await api.diagnostics.exportInstrument({ name: i.name });
      mount(out, notice("info", `«${i.title}»`, downloadLink(r.jsonContent, r.filename || "instrument.json", "application/json")));
    }),
  );
  actions.append(exp);
  const whom = [i.positions.join(", "), i.subjects.join(", ")].filter(Boolean).join("; ") || "все";
  return [h("span", {}, i.title, i.purpose ? h("br") : null, i.purpose ? h("small", { class: "muted" }, i.purpose) : null), whom, String(i.itemCount), fmt(i.maxScore), badge(st, kind), actions];
}
