// Region settings: how ИОМ are signed and generated, who may mentor, and the young-teacher
// cohort rule. Each block saves only the fields that changed (field mask) against the version
// it was loaded with; a concurrent edit is reported, never overwritten.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { CompetencyLevel, Role } from "../gen/nms/v1/common_pb";
import { conflictNotice, errorNotice, field, fmt, h, loading, mount, notice, select, table, tsText } from "../ui";
import { plural } from "../../../shared/plural";

type Value = string | number | boolean;
type Settings = Record<string, unknown> & { name: string; version: bigint };

interface Field {
  path: string; // proto field name, for the update mask
  key: string; // the generated message's property
  label: string;
  kind: "bool" | "int" | "number" | "text" | "select";
  options?: [string, string][];
  hint?: string;
  min?: number;
  max?: number;
}

interface Block {
  title: string;
  about: string;
  editors: Role[];
  fields: Field[];
  get: (name: string) => Promise<Settings | undefined>;
  update: (s: Settings, paths: string[]) => Promise<Settings | undefined>;
  resource: string; // the last segment of the settings' resource name
}

const LEVELS: [string, string][] = [
  [String(CompetencyLevel.INSUFFICIENT), "недостаточный"],
  [String(CompetencyLevel.BASIC), "базовый"],
  [String(CompetencyLevel.ADVANCED), "повышенный"],
  [String(CompetencyLevel.HIGH), "высокий"],
];

const blocks: Block[] = [
  {
    title: "ИОМ",
    about: "Кто подписывает маршрут и как формируются черновики.",
    editors: [Role.REGIONAL_ADMIN, Role.REGIONAL_METHODIST],
    resource: "routeSettings",
    fields: [
      { path: "teacher_signature_required", key: "teacherSignatureRequired", label: "Нужна подпись педагога", kind: "bool" },
      { path: "school_signature_required", key: "schoolSignatureRequired", label: "Нужна подпись от организации", kind: "bool" },
      { path: "approval_required", key: "approvalRequired", label: "Нужно утверждение перед началом", kind: "bool" },
      { path: "approver_title", key: "approverTitle", label: "Должность утверждающего", kind: "text", hint: "Печатается в блоке «Утверждаю»" },
      { path: "default_goal", key: "defaultGoal", label: "Цель маршрута по умолчанию", kind: "text" },
      { path: "default_horizon_months", key: "defaultHorizonMonths", label: "Срок маршрута, месяцев", kind: "int", min: 1, max: 36 },
      { path: "default_max_items_per_deficit", key: "defaultMaxItemsPerDeficit", label: "Мероприятий на один дефицит, не больше", kind: "int", min: 1, max: 10 },
    ],
    get: async (name) => (await api.route.getRouteSettings({ name })).settings as Settings | undefined,
    update: async (s, paths) =>
      (await api.route.updateRouteSettings({ settings: s as never, updateMask: create(FieldMaskSchema, { paths }), requestId: requestId() })).settings as Settings | undefined,
  },
  {
    title: "Наставничество",
    about: "Кто может стать наставником, сколько наставляемых у него по умолчанию и как долго пара может не встречаться.",
    editors: [Role.REGIONAL_ADMIN, Role.REGIONAL_METHODIST],
    resource: "mentoringSettings",
    fields: [
      { path: "min_experience_years", key: "minExperienceYears", label: "Педагогический стаж, лет, не меньше", kind: "int", min: 0, max: 50 },
      {
        path: "min_qualification_category",
        key: "minQualificationCategory",
        label: "Квалификационная категория, не ниже",
        kind: "select",
        options: [["", "любая"], ["first", "первая"], ["highest", "высшая"]],
      },
      { path: "require_diagnostics", key: "requireDiagnostics", label: "Нужен итоговый результат диагностики", kind: "bool" },
      { path: "min_diagnostic_level", key: "minDiagnosticLevel", label: "Уровень по диагностике, не ниже", kind: "select", options: LEVELS },
      { path: "default_capacity", key: "defaultCapacity", label: "Наставляемых у одного наставника по умолчанию", kind: "int", min: 1, max: 20 },
      { path: "meeting_gap_weeks", key: "meetingGapWeeks", label: "Пара попадает в «Мои задачи», если не встречалась, недель", kind: "int", min: 1, max: 26 },
    ],
    get: async (name) => (await api.mentoring.getMentoringSettings({ name })).settings as Settings | undefined,
    update: async (s, paths) =>
      (await api.mentoring.updateMentoringSettings({ settings: s as never, updateMask: create(FieldMaskSchema, { paths }), requestId: requestId() })).settings as Settings | undefined,
  },
  {
    title: "Молодые педагоги",
    about: "Правило когорты и цель по доле молодых педагогов в поддержке.",
    editors: [Role.REGIONAL_ADMIN],
    resource: "youngTeacherSettings",
    fields: [
      { path: "age_limit_years", key: "ageLimitYears", label: "Возраст, моложе (лет)", kind: "int", min: 18, max: 70 },
      { path: "experience_limit_years", key: "experienceLimitYears", label: "Стаж, меньше (лет)", kind: "int", min: 1, max: 10 },
      { path: "support_target_percent", key: "supportTargetPercent", label: "Цель: доля в поддержке, %", kind: "number", min: 0, max: 100 },
      { path: "alert_window_months", key: "alertWindowMonths", label: "Сигнал, если нет мер поддержки, месяцев", kind: "int", min: 1, max: 24 },
    ],
    get: async (name) => (await api.young.getYoungTeacherSettings({ name })).settings as Settings | undefined,
    update: async (s, paths) =>
      (await api.young.updateYoungTeacherSettings({ settings: s as never, updateMask: create(FieldMaskSchema, { paths }), requestId: requestId() })).settings as Settings | undefined,
  },
];

export async function settingsScreen(main: HTMLElement) {
  document.title = "Настройки региона — НМС";
  const region = mainScope();
  const sections = blocks.map((b) => h("section", { class: "card settings", "aria-label": b.title }, h("h2", {}, b.title), loading()));
  const exchange = hasAny(Role.REGIONAL_ADMIN) && region.scope.startsWith("regions/") ? h("section", { class: "card settings", "aria-label": "Обмен с федеральным порталом" }, h("h2", {}, "Обмен с федеральным порталом"), loading()) : null;
  mount(main, h("h1", {}, "Настройки региона"), h("p", { class: "subtitle" }, region.title), ...sections, exchange);
  if (exchange) void exchangeStatus(exchange, region.scope);
  await Promise.all(blocks.map((b, i) => renderBlock(sections[i], b, `${region.scope}/${b.resource}`)));
}

async function renderBlock(el: HTMLElement, b: Block, name: string): Promise<void> {
  let settings: Settings | undefined;
  try {
    settings = await b.get(name);
  } catch (e) {
    return mount(el, h("h2", {}, b.title), errorNotice(e));
  }
  if (!settings) return mount(el, h("h2", {}, b.title), notice("error", "Сервер не вернул настройки."));
  const editable = hasAny(...b.editors);
  const inputs = b.fields.map((f) => control(f, settings![f.key] as Value, editable));
  const status = h("div", { "aria-live": "polite" });
  const version = h("small", { class: "hint" }, `версия ${settings.version}`);
  const save = h("button", { type: "submit", class: "primary" }, "Сохранить");
  const form = h(
    "form",
    {
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const upd: Settings = { ...settings!, name, version: settings!.version };
        const paths: string[] = [];
        b.fields.forEach((f, i) => {
          const v = valueOf(f, inputs[i]);
          if (v !== settings![f.key]) {
            upd[f.key] = v;
            paths.push(f.path);
          }
        });
        if (!paths.length) return mount(status, notice("info", "Изменений нет."));
        save.setAttribute("disabled", "");
        mount(status, loading("Сохранение…"));
        try {
          settings = (await b.update(upd, paths)) ?? settings;
          version.textContent = `версия ${settings!.version}`;
          mount(status, notice("success", "Настройки сохранены."));
        } catch (e) {
          mount(status, conflictNotice(e, "Настройки", () => void renderBlock(el, b, name)) ?? errorNotice(e));
        } finally {
          save.removeAttribute("disabled");
        }
      },
    },
    b.fields.map((f, i) => (f.kind === "bool" ? h("div", { class: "field" }, inputs[i]) : field(f.label, inputs[i], f.hint))),
    editable ? h("div", { class: "actions" }, save, " ", version) : h("p", { class: "hint" }, "Изменять эти настройки может администратор региона. ", version),
    status,
  );
  mount(el, h("h2", {}, b.title), h("p", { class: "hint" }, b.about), form);
}

function control(f: Field, v: Value, editable: boolean): HTMLElement {
  const disabled = !editable;
  switch (f.kind) {
    case "bool": {
      const input = h("input", { type: "checkbox", checked: Boolean(v), disabled });
      return h("label", { class: "check" }, input, ` ${f.label}`);
    }
    case "select": {
      const s = select(f.options!, String(v ?? ""));
      if (disabled) s.setAttribute("disabled", "");
      return s;
    }
    case "text":
      return h("input", { type: "text", value: String(v ?? ""), maxlength: 500, disabled });
    default:
      return h("input", { type: "number", value: String(v ?? 0), min: f.min ?? null, max: f.max ?? null, step: f.kind === "int" ? 1 : "any", required: true, disabled });
  }
}

function valueOf(f: Field, el: HTMLElement): Value {
  switch (f.kind) {
    case "bool":
      return (el.querySelector("input") as HTMLInputElement).checked;
    case "select":
      return f.key === "minDiagnosticLevel" ? Number((el as HTMLSelectElement).value) : (el as HTMLSelectElement).value;
    case "text":
      return (el as HTMLInputElement).value.trim();
    default:
      return Number((el as HTMLInputElement).value);
  }
}

/** The federal exchange as the regional admin sees it: unsent changes and the last imports. */
async function exchangeStatus(el: HTMLElement, region: string) {
  try {
    const r = await api.federal.getExchangeStatus({ region });
    const imp = (title: string, s?: { lastImportTime?: { seconds: bigint }; lastRecordCount: number; lastRejectedCount: number; totalRecords: bigint }) =>
      [title, s?.lastImportTime?.seconds ? tsText(s.lastImportTime) : "не было", s ? `${fmt(s.lastRecordCount)} (отклонено ${fmt(s.lastRejectedCount)})` : "—", s ? fmt(Number(s.totalRecords)) : "—"];
    const pending = Number(r.pendingChanges);
    mount(el, h("h2", {}, "Обмен с федеральным порталом"),
      h("p", {}, pending ? `Ждут выгрузки: ${plural(pending, "изменение", "изменения", "изменений")}; последнее — ${tsText(r.headCommitTime)}.` : `Все изменения выгружены; последнее — ${tsText(r.headCommitTime)}.`),
      table(["Импорт", "Последний", "Записей в последнем", "Всего записей"], [imp("Программы ФР ДПП", r.programmes), imp("Прохождения курсов", r.completions)]),
      h("small", { class: "hint" }, `Данные на ${tsText(r.serverTime)}. Обмен выполняет задание синхронизации (nmsctl sync) по расписанию.`));
  } catch (e) {
    mount(el, h("h2", {}, "Обмен с федеральным порталом"), errorNotice(e));
  }
}
