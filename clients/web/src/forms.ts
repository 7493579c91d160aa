// Generic forms and lists for the many small resources of the API (territory, facts, measures,
// programmes…): a field spec per resource drives the modal form (with the server's Russian
// message shown next to the field it names), the table, the confirmation dialog and the CSV
// import. Screens describe their fields once instead of hand-building forms.
import { confirmDialog as sharedConfirm } from "../../shared/dialog";
import { Code, ConnectError } from "@connectrpc/connect";
import { api } from "./api";
import { parseCsv, readCsvFile, writeCsv } from "../../shared/csv";
import { personPicker } from "./scope";
import { badge, dateFromInput, dateText, downloadLink, errorNotice, errorText, h, inputFromDate, loading, mount, notice, table, type Child } from "./ui";

type D = { year: number; month: number; day: number };
export type Values = Record<string, unknown>;

export type FieldType = "text" | "password" | "textarea" | "int" | "number" | "date" | "bool" | "enum" | "person" | "org" | "ref" | "list" | "enumset";

export interface FieldSpec {
  /** Property of the message (camelCase). */
  key: string;
  /** Update-mask path and the name the server's messages use (snake_case of key by default). */
  path?: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** enum and ref: [value, title]; enum values are the numbers as strings. */
  options?: [string, string][];
  /** ref: options loaded when the form opens. */
  loadOptions?: () => Promise<[string, string][]>;
  hint?: string;
  min?: number;
  max?: number;
  maxLength?: number;
  /** Set on creation only (shown read-only when editing). */
  createOnly?: boolean;
  /** Not shown in the form (table only). */
  tableOnly?: boolean;
  /** Not shown in the table. */
  formOnly?: boolean;
  /** The value a new record starts with. */
  initial?: unknown;
}

export function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

import { plural } from "../../shared/plural";

// ---- names instead of resource names -----------------------------------------------------

const personNames = new Map<string, Promise<string>>();
export function personName(name: string): Promise<string> {
  if (!name) return Promise.resolve("—");
  if (!personNames.has(name)) {
    personNames.set(name, api.directory.getPerson({ name }).then((p) => [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" "), () => "(нет доступа)"));
  }
  return personNames.get(name)!;
}
const orgNames = new Map<string, Promise<string>>();
export function organizationName(name: string): Promise<string> {
  if (!name) return Promise.resolve("—");
  if (!orgNames.has(name)) orgNames.set(name, api.directory.getOrganization({ name }).then((o) => o.shortName || o.displayName, () => "(нет доступа)"));
  return orgNames.get(name)!;
}
/** A span filled in with a name once it is known. */
export function nameCell(p: Promise<string>): HTMLElement {
  const s = h("span", {}, "…");
  void p.then((t) => (s.textContent = t));
  return s;
}

/** Organisations of the caller's scope as [name, title] (for pickers). */
let orgOptionsCache: Promise<[string, string][]> | null = null;
/** Drops the cached organisations and names (after one is added or renamed). */
export function forgetOrganizations(): void {
  orgOptionsCache = null;
  orgNames.clear();
}
export function organizationOptions(): Promise<[string, string][]> {
  if (!orgOptionsCache) {
    orgOptionsCache = (async () => {
      const out: [string, string][] = [];
      let token = "";
      for (let i = 0; i < 10; i++) {
        const r = await api.directory.listOrganizations({ pageSize: 500, pageToken: token });
        out.push(...r.organizations.map((o): [string, string] => [o.name, o.shortName || o.displayName]));
        if (!r.nextPageToken) break;
        token = r.nextPageToken;
      }
      return out.sort((a, b) => a[1].localeCompare(b[1], "ru"));
    })().catch((e) => {
      orgOptionsCache = null;
      throw e;
    });
  }
  return orgOptionsCache;
}

// ---- cells -------------------------------------------------------------------------------

/** A ref field's loaded options, once per field for a whole table (not per row). */
const loadedOptions = new WeakMap<FieldSpec, Promise<[string, string][]>>();

export function cell(f: FieldSpec, v: unknown): Child {
  switch (f.type) {
    case "date":
      return dateText(v as D | undefined);
    case "bool":
      return v ? "да" : "нет";
    case "enum":
    case "ref": {
      const known = f.options?.find(([k]) => k === String(v))?.[1];
      if (known !== undefined) return known;
      if (v === 0 || v === "" || v === undefined) return "—";
      if (f.loadOptions) {
        // A title instead of the resource name ("mentorProfiles/3" reads as a person's name).
        if (!loadedOptions.has(f)) loadedOptions.set(f, f.loadOptions().catch(() => []));
        return nameCell(loadedOptions.get(f)!.then((o) => o.find(([k]) => k === String(v))?.[1] ?? "(не найдено)"));
      }
      return String(v);
    }
    case "person":
      return nameCell(personName(String(v ?? "")));
    case "org":
      return nameCell(organizationName(String(v ?? "")));
    case "list":
      return (v as string[] | undefined)?.join(", ") || "—";
    case "enumset":
      return (v as number[] | undefined)?.map((x) => f.options?.find(([k]) => k === String(x))?.[1] ?? String(x)).join(", ") || "—";
    default:
      return v === undefined || v === null || v === "" ? "—" : String(v);
  }
}

// ---- dialogs -----------------------------------------------------------------------------

/** A modal dialog (native <dialog>, keyboard and focus handled by the browser). */
function modal(title: string, ...body: Child[]): HTMLDialogElement {
  const d = h("dialog", { class: "modal", "aria-label": title }, h("h2", {}, title), ...body);
  d.addEventListener("close", () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

/** Asks to confirm an irreversible action; resolves true when confirmed (the one shared dialog). */
export function confirmDialog(title: string, text: string, actionText: string): Promise<boolean> {
  return sharedConfirm(title, text, actionText, true);
}

/** A dialog that only shows something (with a Закрыть button); resolves when closed. */
export function infoDialog(title: string, body: Child): Promise<void> {
  return new Promise((resolve) => {
    const d = modal(title, body, h("div", { class: "row-actions" }, h("button", { type: "button", class: "primary", onclick: () => d.close() }, "Закрыть")));
    d.addEventListener("close", () => resolve());
  });
}

interface Control {
  spec: FieldSpec;
  el: HTMLElement;
  get: () => unknown;
  error: HTMLElement;
  input: HTMLElement;
}

function control(f: FieldSpec, value: unknown, editing: boolean): Control {
  const id = `ff-${f.key}-${Math.random().toString(36).slice(2, 7)}`;
  const error = h("small", { class: "field-error", id: `${id}-err`, role: "alert" });
  const readOnly = editing && f.createOnly;
  const common = { id, name: f.key, required: f.required && f.type !== "bool" ? true : null, disabled: readOnly || null, "aria-describedby": `${id}-err` };
  let input: HTMLElement;
  let get: () => unknown;
  switch (f.type) {
    case "textarea": {
      const i = h("textarea", { ...common, rows: 3, maxlength: f.maxLength ?? null });
      i.value = String(value ?? "");
      input = i;
      get = () => i.value.trim();
      break;
    }
    case "int":
    case "number": {
      const i = h("input", { ...common, type: "number", step: f.type === "int" ? 1 : "any", min: f.min ?? null, max: f.max ?? null, value: value === undefined ? "" : String(value) });
      input = i;
      get = () => (i.value === "" ? undefined : Number(i.value));
      break;
    }
    case "date": {
      const i = h("input", { ...common, type: "date", value: inputFromDate(value as D | undefined) });
      input = i;
      get = () => dateFromInput(i.value);
      break;
    }
    case "bool": {
      const i = h("input", { ...common, type: "checkbox", checked: Boolean(value) });
      input = i;
      get = () => i.checked;
      const el = h("div", { class: "field" }, h("label", { class: "check", for: id }, i, ` ${f.label}`), f.hint ? h("small", { class: "hint" }, f.hint) : null, error);
      return { spec: f, el, get, error, input };
    }
    case "enum":
    case "ref":
    case "org": {
      const s = h("select", common, h("option", { value: "" }, f.required ? "— выберите —" : "— не указано —"));
      const fill = (opts: [string, string][]) => {
        s.replaceChildren(h("option", { value: "" }, f.required ? "— выберите —" : "— не указано —"), ...opts.filter(([k]) => k !== "0").map(([k, t]) => h("option", { value: k }, t)));
        s.value = value === undefined || value === 0 ? "" : String(value);
      };
      if (f.options) fill(f.options);
      const loader = f.type === "org" ? organizationOptions : f.loadOptions;
      if (loader) void loader().then(fill, () => undefined);
      input = s;
      get = () => (f.type === "enum" ? Number(s.value || 0) : s.value);
      break;
    }
    case "person": {
      if (readOnly) {
        const i = h("input", { ...common, type: "text", value: "…" });
        void personName(String(value ?? "")).then((t) => (i.value = t));
        input = i;
        get = () => value;
        break;
      }
      const p = personPicker(f.label);
      const sel = p.el.querySelector("select")!;
      sel.required = Boolean(f.required);
      sel.setAttribute("aria-describedby", `${id}-err`);
      sel.name = f.key;
      if (value) {
        sel.replaceChildren(h("option", { value: String(value) }, "…"));
        void personName(String(value)).then((t) => (sel.options[0].textContent = t));
      }
      return { spec: f, el: h("div", { class: "field-group" }, p.el, f.hint ? h("small", { class: "hint" }, f.hint) : null, error), get: () => sel.value, error, input: sel };
    }
    case "enumset": {
      const chosen = new Set(((value as number[] | undefined) ?? []).map(String));
      const boxes = (f.options ?? []).map(([k, t]) => h("label", { class: "check" }, h("input", { type: "checkbox", value: k, checked: chosen.has(k), name: f.key }), ` ${t}`));
      const fs = h("fieldset", { class: "checks", id, "aria-describedby": `${id}-err` }, h("legend", {}, f.label), boxes);
      return { spec: f, el: h("div", { class: "field" }, fs, f.hint ? h("small", { class: "hint" }, f.hint) : null, error), get: () => [...fs.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => Number(i.value)), error, input: fs };
    }
    case "list": {
      const i = h("input", { ...common, type: "text", value: ((value as string[] | undefined) ?? []).join(", ") });
      input = i;
      get = () => i.value.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
      break;
    }
    default: {
      const pw = f.type === "password";
      const i = h("input", { ...common, type: pw ? "password" : "text", autocomplete: pw ? "off" : null, maxlength: f.maxLength ?? null, value: String(value ?? "") });
      input = i;
      get = () => (pw ? i.value : i.value.trim());
    }
  }
  const el = h("div", { class: "field" }, h("label", { for: id }, f.label, f.required ? h("span", { class: "req", "aria-hidden": "true" }, " *") : null), input, f.hint ? h("small", { class: "hint" }, f.hint) : null, error);
  return { spec: f, el, get, error, input };
}

/** Equal values of a field (a Date message from the server equals the same plain date). */
function same(a: unknown, b: unknown): boolean {
  const norm = (x: unknown) => JSON.stringify(x ?? null, (k, v) => (k === "$typeName" ? undefined : typeof v === "bigint" ? String(v) : v));
  return norm(a) === norm(b);
}

/**
 * Puts the server's message next to the field it names ("Поле person обязательно", "Поле
 * completion.end_date: раньше start_date"); returns the parts that name no field of the form.
 */
/** Clears what placeErrors put next to the fields, before the next attempt. */
export function clearErrors(controls: { error: HTMLElement; input: HTMLElement }[]): void {
  for (const c of controls) {
    c.error.textContent = "";
    c.input.removeAttribute("aria-invalid");
  }
}

export function placeErrors(e: unknown, controls: Control[]): string[] {
  const err = ConnectError.from(e);
  const msg = err.rawMessage?.trim() ?? "";
  if (err.code !== Code.InvalidArgument || !msg) return [errorText(e)];
  const rest: string[] = [];
  for (const part of msg.split(/;\s+/)) {
    const m = part.match(/^Поле ([a-z0-9_.]+)/);
    const path = m?.[1] ?? "";
    const c = path ? controls.find((x) => { const p = x.spec.path ?? snake(x.spec.key); return path === p || path.endsWith(`.${p}`) || path.startsWith(`${p}.`) || path.includes(`.${p}.`); }) : undefined;
    if (c) {
      c.error.textContent = c.error.textContent ? `${c.error.textContent}; ${part}` : part;
      c.input.setAttribute("aria-invalid", "true");
    } else rest.push(part);
  }
  return rest.length ? [`Неверные данные: ${rest.join("; ")}`] : [];
}

export interface FormOptions {
  title: string;
  fields: FieldSpec[];
  /** The current values when editing; undefined for a new record. */
  value?: Values;
  submitText?: string;
  /** Extra checks in the browser (the same as the server's), field key → message. */
  check?: (v: Values) => Record<string, string>;
  /** Sends the values (all of them) and the changed paths; a thrown error is shown in the form. */
  submit: (v: Values, changed: string[]) => Promise<unknown>;
  intro?: Child;
}

/** Opens a modal form; resolves with the submit's answer, or null when cancelled. */
export function formDialog(o: FormOptions): Promise<unknown | null> {
  return new Promise((resolve) => {
    const editing = o.value !== undefined;
    const start: Values = o.value ?? Object.fromEntries(o.fields.map((f) => [f.key, f.initial]));
    const controls = o.fields.filter((f) => !f.tableOnly).map((f) => control(f, start[f.key], editing));
    const status = h("div", { "aria-live": "assertive" });
    const save = h("button", { type: "submit", class: "primary" }, o.submitText ?? (editing ? "Сохранить" : "Добавить"));
    let result: unknown = null;
    let d: HTMLDialogElement;
    const form = h(
      "form",
      {
        class: "modal-form",
        novalidate: true,
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          clearErrors(controls);
          mount(status);
          // A plain object (not the server's message) so that protobuf-es converts the edited
          // nested values (dates) when the request is built.
          const v: Values = { ...start };
          delete v.$typeName;
          for (const c of controls) v[c.spec.key] = c.get();
          const problems: Record<string, string> = {};
          for (const c of controls) {
            const x = v[c.spec.key];
            const missing = x === "" || x === undefined || (Array.isArray(x) && !x.length) || (c.spec.type === "enum" && x === 0);
            if (c.spec.required && missing) problems[c.spec.key] = "Обязательное поле";
            else if (typeof x === "number" && c.spec.min !== undefined && x < c.spec.min) problems[c.spec.key] = `Не меньше ${c.spec.min}`;
            else if (typeof x === "number" && c.spec.max !== undefined && x > c.spec.max) problems[c.spec.key] = `Не больше ${c.spec.max}`;
          }
          const st = v.startDate as { year: number; month: number; day: number } | undefined, en = v.endDate as typeof st;
          if (st && en && Date.UTC(en.year, en.month - 1, en.day) < Date.UTC(st.year, st.month - 1, st.day) && controls.some((c) => c.spec.key === "endDate")) problems.endDate = "Раньше даты начала";
          Object.assign(problems, o.check?.(v) ?? {});
          const bad = controls.filter((c) => problems[c.spec.key]);
          for (const c of bad) {
            c.error.textContent = problems[c.spec.key];
            c.input.setAttribute("aria-invalid", "true");
          }
          if (bad.length) {
            bad[0].input.focus();
            return;
          }
          const changed = controls.filter((c) => !c.spec.createOnly && !same(c.get(), start[c.spec.key])).map((c) => c.spec.path ?? snake(c.spec.key));
          if (editing && !changed.length) return mount(status, notice("info", "Изменений нет."));
          save.setAttribute("disabled", "");
          mount(status, loading("Сохранение…"));
          try {
            result = await o.submit(v, changed);
            d.close();
          } catch (e) {
            const rest = placeErrors(e, controls);
            mount(status, rest.length ? notice("error", rest.join(" ")) : null);
            (controls.find((c) => c.error.textContent)?.input ?? save).focus();
          } finally {
            save.removeAttribute("disabled");
          }
        },
      },
      o.intro ?? null,
      h("div", { class: "grid2" }, controls.map((c) => c.el)),
      status,
      h("div", { class: "row-actions" }, save, h("button", { type: "button", onclick: () => d.close() }, "Отмена")),
    );
    d = modal(o.title, form);
    d.addEventListener("close", () => resolve(result));
    (controls.find((c) => !(c.input as HTMLInputElement).disabled)?.input as HTMLElement | undefined)?.focus();
  });
}

// ---- resource list -----------------------------------------------------------------------

/** The record in a write's answer: the answer itself (Directory) or its one record field. */
function recordOf<T>(answer: unknown): T | null {
  if (!answer || typeof answer !== "object") return null;
  if (typeof (answer as { name?: unknown }).name === "string") return answer as T;
  for (const v of Object.values(answer)) if (v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string") return v as T;
  return null;
}

export interface Permission {
  allowed: boolean;
  /** Why not, shown on the disabled button. */
  reason?: string;
}
export const allowed: Permission = { allowed: true };

/** A button offered only when allowed, else disabled with the reason next to it. */
export function actionButton(text: string, perm: Permission, onclick: () => void, cls = ""): HTMLElement {
  if (perm.allowed) return h("button", { type: "button", class: cls, onclick }, text);
  return h("span", { class: "disabled-action" }, h("button", { type: "button", disabled: true, title: perm.reason ?? "", "aria-describedby": null }, text), perm.reason ? h("small", { class: "muted" }, ` ${perm.reason}`) : null);
}

export interface ResourceSpec<T extends { name: string; version?: bigint }> {
  /** Title of one record in the genitive-free form: "прохождение ДПП". */
  noun: string;
  fields: FieldSpec[];
  list: (token: string) => Promise<{ items: T[]; next: string; total?: bigint | number }>;
  /** Fresh copy before editing (the version to send). */
  get?: (name: string) => Promise<T>;
  create?: (v: Values) => Promise<unknown>;
  update?: (v: Values, changed: string[]) => Promise<unknown>;
  remove?: (r: T) => Promise<unknown>;
  canCreate?: Permission;
  canEdit?: (r: T) => Permission;
  canDelete?: (r: T) => Permission;
  /** Extra buttons of a row. */
  rowActions?: (r: T, reload: () => Promise<void>) => Child[];
  check?: (v: Values) => Record<string, string>;
  /** The edit form's fields when they depend on the record (e.g. only the statuses it may move to). */
  editFields?: (r: T) => FieldSpec[];
  /** Offer a CSV file of rows for create (the columns are the fields' paths or labels). */
  csv?: boolean;
  empty?: string;
  pageSize?: number;
}

/**
 * A table of records with add / edit / delete (through forms and a confirmation) and, when asked,
 * a CSV import of new records; returns the element and its reload.
 */
export function resourceList<T extends { name: string; version?: bigint }>(spec: ResourceSpec<T>): { el: HTMLElement; reload: () => Promise<void> } {
  const body = h("div", {});
  const status = h("div", { "aria-live": "polite" });
  const tokens = [""];
  let page = 0;
  const cols = spec.fields.filter((f) => !f.formOnly);
  // Records added here since the list was opened: shown on top, whatever page the server's order
  // puts them on, until the list itself shows them.
  let recent: T[] = [];
  const recentBox = h("div", {});
  const renderRecent = () =>
    mount(recentBox, recent.length ? table([...cols.map((f) => f.label), "Действия"], recent.map(rowOf), `Только что добавлено: ${plural(recent.length, "запись", "записи", "записей")}`) : null);
  const remember = async (answer: unknown) => {
    let rec = recordOf<T>(answer);
    if (rec && spec.get) rec = await spec.get(rec.name).catch(() => rec);
    if (rec) recent = [rec, ...recent.filter((x) => x.name !== rec!.name)];
  };
  function rowOf(it: T): Child[] {
    const rec = it as unknown as Values;
    const acts: Child[] = [];
    if (spec.update) acts.push(actionButton("Изменить", spec.canEdit?.(it) ?? allowed, () => void edit(it)));
    if (spec.remove) acts.push(actionButton("Удалить", spec.canDelete?.(it) ?? allowed, () => void del(it), "danger"));
    acts.push(...(spec.rowActions?.(it, load) ?? []));
    return [...cols.map((f) => cell(f, rec[f.key])), h("span", { class: "row-actions" }, acts)];
  }
  const load = async (): Promise<void> => {
    mount(body, loading());
    try {
      const r = await spec.list(tokens[page]);
      tokens[page + 1] = r.next;
      const onPage = new Set(r.items.map((x) => x.name));
      recent = recent.filter((x) => !onPage.has(x.name));
      renderRecent();
      const rows = r.items.map(rowOf);
      const total = Number(r.total ?? 0);
      mount(
        body,
        h("p", { class: "muted", role: "status" }, r.items.length ? (total ? `Всего: ${plural(total, "запись", "записи", "записей")}` : `Показано: ${plural(r.items.length, "запись", "записи", "записей")}`) : spec.empty ?? "Записей пока нет."),
        r.items.length ? table([...cols.map((f) => f.label), "Действия"], rows) : null,
        page > 0 || r.next
          ? h("div", { class: "pager" },
              h("button", { type: "button", disabled: page === 0, onclick: () => { page--; void load(); } }, "← Назад"),
              h("span", {}, `Страница ${page + 1}`),
              h("button", { type: "button", disabled: !r.next, onclick: () => { page++; void load(); } }, "Вперёд →"))
          : null,
      );
    } catch (e) {
      mount(body, errorNotice(e));
    }
  };
  const reload = async () => {
    tokens.length = 1;
    page = 0;
    await load();
  };
  const edit = async (it: T) => {
    let fresh = it;
    try {
      if (spec.get) fresh = await spec.get(it.name);
    } catch (e) {
      return mount(status, errorNotice(e));
    }
    const saved = await formDialog({ title: `Изменить: ${spec.noun}`, fields: spec.editFields?.(fresh) ?? spec.fields, value: fresh as unknown as Values, check: spec.check, submit: (v, changed) => spec.update!(v, changed) });
    if (saved !== null) {
      mount(status, notice("success", "Изменения сохранены."));
      if (recent.some((x) => x.name === it.name)) await remember(saved);
      await load();
    }
  };
  const del = async (it: T) => {
    if (!(await confirmDialog(`Удалить: ${spec.noun}?`, "Запись будет удалена без возможности восстановления.", "Удалить"))) return;
    try {
      await spec.remove!(it);
      mount(status, notice("success", "Запись удалена."));
      recent = recent.filter((x) => x.name !== it.name);
      await load();
    } catch (e) {
      mount(status, errorNotice(e));
    }
  };
  const add = async () => {
    const saved = await formDialog({ title: `Добавить: ${spec.noun}`, fields: spec.fields, check: spec.check, submit: (v) => spec.create!(v) });
    if (saved !== null) {
      mount(status, notice("success", "Запись добавлена."));
      await remember(saved);
      await reload();
    }
  };
  const tools: Child[] = [];
  if (spec.create) tools.push(actionButton(`Добавить: ${spec.noun}`, spec.canCreate ?? allowed, () => void add(), "primary"));
  const csvBox = h("div", {});
  if (spec.create && spec.csv && (spec.canCreate ?? allowed).allowed) tools.push(h("button", { type: "button", onclick: () => mount(csvBox, csvImport(spec.fields.filter((f) => !f.tableOnly), spec.create!, async (created) => { for (const c of created) await remember(c); await reload(); })) }, "Импорт из CSV"));
  void load();
  return { el: h("div", { class: "resource" }, h("div", { class: "row-actions" }, tools), csvBox, status, recentBox, body), reload };
}

// ---- CSV import of new records -------------------------------------------------------------

function parseDate(s: string): D | undefined {
  let m = s.match(/^(\d{2})\.(\d{2})\.(\d{4})$/);
  let d: D | undefined;
  if (m) d = { year: +m[3], month: +m[2], day: +m[1] };
  m = s.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (m) d = { year: +m[1], month: +m[2], day: +m[3] };
  if (!d) return undefined;
  // A real calendar day (31.02 is not).
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  return t.getUTCFullYear() === d.year && t.getUTCMonth() === d.month - 1 && t.getUTCDate() === d.day ? d : undefined;
}

async function resolvePerson(v: string): Promise<string> {
  if (/^(people\/)?\d+$/.test(v)) return v.startsWith("people/") ? v : `people/${v}`;
  const r = await api.directory.listPeople({ query: v, pageSize: 5 });
  const exact = r.people.filter((p) => p.externalId === v);
  if (exact.length === 1) return exact[0].name;
  throw new Error(`педагог с внешним идентификатором «${v}» не найден`);
}

/**
 * A CSV file of new records (UTF-8, `;` or `,`; header: the fields' paths or labels; dates
 * ДД.ММ.ГГГГ; people by external id; yes/no as да/нет): every line is checked in the browser
 * first and nothing is sent while any line is wrong; then each line is created with its own
 * idempotency key and the outcome is shown per line.
 */
export function csvImport(fields: FieldSpec[], create: (v: Values) => Promise<unknown>, done: (created: unknown[]) => void | Promise<void>): HTMLElement {
  const file = h("input", { type: "file", accept: ".csv,text/csv", id: `csv-${Math.random().toString(36).slice(2, 7)}` });
  const out = h("div", { "aria-live": "polite" });
  const cols = fields.map((f) => f.path ?? snake(f.key));
  const run = async () => {
    const f = file.files?.[0];
    if (!f) return mount(out, notice("error", "Выберите файл."));
    // One reader for every import: UTF-8 or Windows-1251, `;` or `,`, line numbers of the file.
    const recs = parseCsv(await readCsvFile(f)).records.filter((r) => r.cells.some((c) => c.trim()));
    const rows = recs.map((r) => r.cells);
    if (rows.length < 2) return mount(out, notice("error", "В файле нет строк с данными."));
    const header = rows[0].map((c) => c.trim().toLowerCase());
    const idx = fields.map((fs, i) => header.findIndex((c) => c === cols[i] || c === fs.label.toLowerCase()));
    const missing = fields.filter((fs, i) => fs.required && idx[i] < 0).map((fs) => `«${fs.label}»`);
    if (missing.length) return mount(out, notice("error", `В заголовке нет обязательных столбцов: ${missing.join(", ")}.`));
    mount(out, loading("Проверка файла…"));
    const records: Values[] = [];
    const lines: number[] = [];
    const errors: string[] = [];
    for (let n = 1; n < rows.length; n++) {
      const v: Values = {};
      for (let i = 0; i < fields.length; i++) {
        const fs = fields[i];
        const raw = idx[i] >= 0 ? (rows[n][idx[i]] ?? "").trim() : "";
        if (!raw) {
          if (fs.required) errors.push(`строка ${recs[n].line}: не заполнено «${fs.label}»`);
          v[fs.key] = fs.type === "bool" ? false : fs.type === "int" || fs.type === "number" || fs.type === "enum" ? 0 : fs.type === "list" ? [] : fs.type === "date" ? undefined : "";
          continue;
        }
        try {
          switch (fs.type) {
            case "int":
            case "number": {
              const x = Number(raw.replace(",", "."));
              if (Number.isNaN(x) || (fs.type === "int" && !Number.isInteger(x))) throw new Error(`«${fs.label}»: не число`);
              v[fs.key] = x;
              break;
            }
            case "date": {
              const d = parseDate(raw);
              if (!d) throw new Error(`«${fs.label}»: дата ДД.ММ.ГГГГ`);
              v[fs.key] = d;
              break;
            }
            case "bool":
              if (!/^(да|нет|1|0|true|false)$/i.test(raw)) throw new Error(`«${fs.label}»: да или нет`);
              v[fs.key] = /^(да|1|true)$/i.test(raw);
              break;
            case "enum":
            case "ref": {
              const o = fs.options?.find(([k, t]) => t.toLowerCase() === raw.toLowerCase() || k === raw);
              if (!o) throw new Error(`«${fs.label}»: одно из ${fs.options?.filter(([k]) => k !== "0").map(([, t]) => t).join(", ")}`);
              v[fs.key] = fs.type === "enum" ? Number(o[0]) : o[0];
              break;
            }
            case "person":
              v[fs.key] = await resolvePerson(raw);
              break;
            case "org":
              v[fs.key] = /^(organizations\/)?\d+$/.test(raw) ? (raw.startsWith("organizations/") ? raw : `organizations/${raw}`) : (await organizationOptions()).find(([, t]) => t.toLowerCase() === raw.toLowerCase())?.[0] ?? (() => { throw new Error(`«${fs.label}»: организация «${raw}» не найдена`); })();
              break;
            case "list":
              v[fs.key] = raw.split(/[,|]/).map((s) => s.trim()).filter(Boolean);
              break;
            default:
              v[fs.key] = raw;
          }
        } catch (e) {
          errors.push(`строка ${recs[n].line}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      records.push(v);
      lines.push(recs[n].line);
    }
    if (errors.length) return mount(out, notice("error", `Файл не принят, ничего не отправлено. ${errors.slice(0, 20).join("; ")}${errors.length > 20 ? "; …" : ""}`));
    const results: Child[][] = [];
    const created: unknown[] = [];
    let ok = 0;
    for (let i = 0; i < records.length; i++) {
      mount(out, loading(`Отправка: ${i + 1} из ${records.length}…`));
      try {
        created.push(await create(records[i]));
        ok++;
        results.push([String(lines[i]), badge("добавлено", "ok"), ""]);
      } catch (e) {
        results.push([String(lines[i]), badge("отклонено", "err"), errorText(e)]);
      }
    }
    mount(out, notice(ok === records.length ? "success" : "warn", `Добавлено: ${plural(ok, "запись", "записи", "записей")} из ${records.length}.`), table(["Строка", "Итог", "Сообщение сервера"], results));
    await done(created);
  };
  return h(
    "div",
    { class: "card csv-import" },
    h("h3", {}, "Импорт из CSV"),
    h("p", { class: "muted" }, `Столбцы (в любом порядке; * — обязательные): ${fields.map((f) => `«${f.label}»${f.required ? "*" : ""}`).join(", ")}. Даты — ДД.ММ.ГГГГ, педагоги — по внешнему идентификатору, да/нет. Файл из Excel (UTF-8 или Windows-1251, разделитель «;» или «,») проверяется целиком до отправки.`),
    h("p", {}, downloadLink(writeCsv(fields.map((f) => f.label), []), "шаблон.csv", "text/csv;charset=utf-8", "Скачать шаблон")),
    h("div", { class: "field" }, h("label", { for: file.id }, "Файл CSV"), file),
    h("button", { type: "button", class: "primary", onclick: (ev: Event) => void (async () => { const b = ev.currentTarget as HTMLElement; b.setAttribute("disabled", ""); try { await run(); } finally { b.removeAttribute("disabled"); } })() }, "Проверить и загрузить"),
    out,
  );
}

/** Enum options from a title map: [["1","руководитель"],…]. */
export function enumOptions(titles: Record<number, string>): [string, string][] {
  return Object.entries(titles).filter(([k]) => k !== "0");
}

/** The message's fields named by `paths` ("a.b" → nested) copied from v into a new object (for masks). */
export function pick(v: Values, keys: string[]): Values {
  return Object.fromEntries(keys.map((k) => [k, v[k]]));
}
