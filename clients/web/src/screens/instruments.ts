// Competency frameworks and diagnostic instruments of the region (manage_framework: regional
// methodist and admin): lists with state, content view, JSON import/export, publication.
import { fromJsonString } from "@bufbuild/protobuf";
import { api, requestId } from "../api";
import { mainScope } from "../app";
import { CompetencyFrameworkSchema, CompetencyFrameworkState, InstrumentState, type CompetencyFramework, type Instrument } from "../gen/nms/v1/diagnostics_pb";
import { act, badge, busy, downloadLink, errorNotice, errorText, field, fmt, h, loading, mount, notice, table } from "../ui";
import { areaTitle, canManageFramework, diagnosticsTabs } from "./diagnostics";
import { go } from "../app";
import { actionButton, allowed, confirmDialog, formDialog, type Permission } from "../forms";
import { itemAnalyticsHash } from "./item_analytics";

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
            const open = h("button", { type: "button", class: "small", onclick: () => void api.diagnostics.getCompetencyFramework({ name: f.name }).then((r) => showFramework(detail, r.framework!, load), (e) => mount(detail, errorNotice(e))) }, "Состав");
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

const INDICATOR_LINE = /^\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*(.+?)\s*$/;

/** Edits a draft framework: its title and indicators (one per line: «код | область | название»). */
async function editFramework(f: CompetencyFramework, reload: (updated: CompetencyFramework) => Promise<void>) {
  const areaByTitle = new Map(Object.entries(areaTitle).map(([k, t]) => [t.toLowerCase(), Number(k)]));
  const saved = await formDialog({
    title: `Черновик рамки: ${f.title}`,
    fields: [
      { key: "title", label: "Название", type: "text", required: true },
      { key: "indicators", label: "Индикаторы", type: "textarea", required: true, hint: `по одному в строке: код | область (${Object.values(areaTitle).join(", ")}) | название` },
    ],
    value: { title: f.title, indicators: f.indicators.map((i) => `${i.code} | ${areaTitle[i.area] ?? ""} | ${i.title}`).join("\n") },
    check: (v): Record<string, string> => {
      const bad = String(v.indicators).split("\n").map((l, n) => [l, n + 1] as const).filter(([l]) => l.trim()).filter(([l]) => { const m = l.match(INDICATOR_LINE); return !m || !areaByTitle.has(m[2].toLowerCase()); });
      return bad.length ? { indicators: `Строки ${bad.map(([, n]) => n).join(", ")}: ожидается «код | область | название» с областью из списка` } : {};
    },
    submit: (v, changed) => {
      const indicators = String(v.indicators).split("\n").filter((l) => l.trim()).map((l) => {
        const m = l.match(INDICATOR_LINE)!;
        const before = f.indicators.find((i) => i.code === m[1]);
        return { code: m[1], area: areaByTitle.get(m[2].toLowerCase())!, title: m[3], description: before?.description ?? "", basicMinPercent: before?.basicMinPercent };
      });
      return api.diagnostics.updateCompetencyFramework({ framework: { name: f.name, version: f.version, title: String(v.title), indicators }, updateMask: { paths: changed }, requestId: requestId() });
    },
  });
  if (saved) await reload((saved as { framework: CompetencyFramework }).framework);
}

function showFramework(el: HTMLElement, f: CompetencyFramework, reload: () => Promise<void> = async () => undefined) {
  const perm: Permission = canManageFramework() ? allowed : { allowed: false, reason: "Рамку ведут ЦНППМ и администратор региона." };
  const tools = h("div", { class: "row-actions" },
    f.state === CompetencyFrameworkState.DRAFT
      ? actionButton("Изменить черновик", perm, () => void editFramework(f, async (updated) => {
          // The list and the composition below both show the saved draft.
          await reload();
          showFramework(el, updated, reload);
        }))
      : actionButton("Новая версия", perm, async () => {
          try {
            const r = await api.diagnostics.createCompetencyFramework({ framework: { region: f.region, title: f.title, basedOn: f.name }, requestId: requestId() });
            await reload();
            showFramework(el, r.framework!, reload);
          } catch (e) {
            mount(el, errorNotice(e));
          }
        }));
  const th = (t?: { basicMinPercent: number; advancedMinPercent: number; highMinPercent: number }) =>
    t ? `базовый от ${fmt(t.basicMinPercent)} %, повышенный от ${fmt(t.advancedMinPercent)} %, высокий от ${fmt(t.highMinPercent)} %` : "—";
  mount(
    el,
    h("h2", {}, `${f.title}, версия ${f.revision}`),
    tools,
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
    h("div", { class: "title-row" }, h("h1", {}, "Инструменты диагностики"), actionButton("Новый инструмент", authoring(), () => go("#/diagnostics/instruments/new"), "primary")),
    diagnosticsTabs("#/diagnostics/instruments"),
    list,
    out,
    upload,
  );
  await load();
}

const authoring = (): Permission => (canManageFramework() ? allowed : { allowed: false, reason: "Инструменты составляют ЦНППМ и администратор региона." });

/** A published instrument is immutable: its next version is a draft copy with the same content. */
async function newVersion(i: Instrument) {
  const full = (await api.diagnostics.getInstrument({ name: i.name })).instrument!;
  const copy = (await api.diagnostics.createInstrument({
    instrument: { region: full.region, framework: full.framework, title: full.title, purpose: full.purpose, positions: full.positions, subjects: full.subjects, blocks: full.blocks },
    requestId: requestId(),
  })).instrument!;
  go(`#/diagnostics/instruments/${copy.name.slice(copy.name.lastIndexOf("/") + 1)}`);
}

function instrumentRow(i: Instrument, out: HTMLElement, reload: () => Promise<void>): (Node | string)[] {
  const [st, kind] = instrumentStateTitle[i.state] ?? ["—", "muted"];
  const actions = h("span", { class: "row-actions" });
  const id = i.name.slice(i.name.lastIndexOf("/") + 1);
  if (i.state === InstrumentState.DRAFT) {
    actions.append(actionButton("Изменить", authoring(), () => go(`#/diagnostics/instruments/${id}`)));
    actions.append(actionButton("Удалить", authoring(), async () => {
      if (!(await confirmDialog(`Удалить черновик «${i.title}»?`, "Черновик будет удалён. Инструмент, который уже использовала кампания, удалить нельзя.", "Удалить"))) return;
      try {
        await api.diagnostics.deleteInstrument({ name: i.name, version: i.version, requestId: requestId() });
        mount(out, notice("success", `Черновик «${i.title}» удалён.`));
        await reload();
      } catch (e) {
        mount(out, errorNotice(e));
      }
    }, "danger"));
  } else {
    actions.append(actionButton("Новая версия", authoring(), () => void newVersion(i).catch((e) => mount(out, errorNotice(e)))));
    actions.append(actionButton("Аналитика заданий", authoring(), () => go(itemAnalyticsHash(i.name))));
  }
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
