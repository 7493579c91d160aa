// Teachers: list with search, filters and pagination; the teacher card with versioned editing.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { api, requestId } from "../api";
import { hasAny, mainScope, routeParams } from "../app";
import { scopeSelect } from "../scope";
import { Role } from "../gen/nms/v1/common_pb";
import { EducationLevel, PersonSchema, QualificationCategory, type Person } from "../gen/nms/v1/directory_pb";
import { accountSection, diagnosticsSection, mentoringSection, routesSection } from "./person_extras";
import { employmentsSection, grantsSection, newPersonButton } from "./directory_extras";
import { conflictNotice, dateText, errorNotice, errorText, field, h, idOf, loading, mount, notice, select, table } from "../ui";

export const qualificationTitle: Record<number, string> = {
  [QualificationCategory.UNSPECIFIED]: "не указана",
  [QualificationCategory.NONE]: "без категории",
  [QualificationCategory.POSITION_COMPLIANCE]: "соответствие должности",
  [QualificationCategory.FIRST]: "первая",
  [QualificationCategory.HIGHEST]: "высшая",
};
export const educationTitle: Record<number, string> = {
  [EducationLevel.UNSPECIFIED]: "не указано",
  [EducationLevel.SECONDARY_VOCATIONAL]: "среднее профессиональное",
  [EducationLevel.SECONDARY_VOCATIONAL_PEDAGOGICAL]: "среднее профессиональное педагогическое",
  [EducationLevel.HIGHER]: "высшее",
  [EducationLevel.HIGHER_PEDAGOGICAL]: "высшее педагогическое",
};

export function fullName(p: { lastName: string; firstName: string; middleName: string }): string {
  return [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");
}

const orgNames = new Map<string, Promise<string>>();
export function orgName(name: string): Promise<string> {
  if (!name) return Promise.resolve("—");
  if (!orgNames.has(name)) {
    orgNames.set(
      name,
      api.directory.getOrganization({ name }).then(
        (o) => (o.shortName || o.displayName).replace(/№ /g, "№\u00a0"),
        () => name,
      ),
    );
  }
  return orgNames.get(name)!;
}
function orgCell(name: string): HTMLElement {
  const s = h("span", {}, "…");
  void orgName(name).then((t) => (s.textContent = t));
  return s;
}

const PAGE = 25;

export async function peopleScreen(main: HTMLElement) {
  document.title = "Педагоги — НМС";
  const params = routeParams();
  const scope = mainScope();
  const parent = params.get("parent") ?? "";
  const parentTitle = params.get("title") ?? (parent ? "" : scope.title);
  const query = h("input", { type: "search", placeholder: "Фамилия или внешний id", value: params.get("q") ?? "" });
  const position = h("input", { type: "text", placeholder: "например, учитель", value: params.get("position") ?? "" });
  const subject = h("input", { type: "text", placeholder: "например, математика", value: params.get("subject") ?? "" });
  // Methodists narrow the list to a municipality or an organisation of their scope.
  const territory = !parent && !scope.scope.startsWith("organizations/") ? scopeSelect(false) : null;
  const results = h("div", { class: "results" });
  const tokens: string[] = [""];
  let page = 0;

  async function load() {
    mount(results, loading());
    try {
      const r = await api.directory.listPeople({
        parent: territory && territory.selectedIndex > 0 ? territory.value : parent,
        query: query.value.trim(),
        position: position.value.trim(),
        subject: subject.value.trim(),
        pageSize: PAGE,
        pageToken: tokens[page],
      });
      tokens[page + 1] = r.nextPageToken;
      const rows = r.people.map((p) => [
        h("a", { href: `#/people/${idOf(p.name)}` }, fullName(p)),
        p.position || "—",
        p.subjects.join(", ") || "—",
        orgCell(p.organization),
        qualificationTitle[p.qualificationCategory] ?? "",
      ]);
      const prev = h("button", { type: "button", disabled: page === 0, onclick: () => { page--; void load(); } }, "← Назад");
      const next = h("button", { type: "button", disabled: !r.nextPageToken, onclick: () => { page++; void load(); } }, "Вперёд →");
      const from = page * PAGE + 1;
      mount(
        results,
        h("p", { class: "muted", role: "status" }, r.people.length ? `Показаны ${from}–${from + r.people.length - 1} из ${r.totalSize}` : "Никого не найдено."),
        r.people.length ? table(["ФИО", "Должность", "Предметы", "Организация", "Категория"], rows) : null,
        h("div", { class: "pager" }, prev, h("span", {}, `Страница ${page + 1}`), next),
      );
    } catch (e) {
      mount(results, errorNotice(e));
    }
  }

  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        tokens.length = 1;
        page = 0;
        void load();
      },
    },
    field("Поиск", query),
    field("Должность", position),
    field("Предмет", subject),
    territory ? field("Территория", territory) : null,
    h("div", { class: "field actions" }, h("button", { type: "submit", class: "primary" }, "Найти")),
  );
  mount(
    main,
    h("div", { class: "title-row" }, h("h1", {}, "Педагоги"), newPersonButton()),
    parentTitle ? h("p", { class: "muted" }, parentTitle, parent ? h("span", {}, " · ", h("a", { href: "#/people" }, "все педагоги")) : null) : null,
    form,
    results,
  );
  await load();
}

const editable: [keyof Person & string, string, string][] = [
  ["lastName", "last_name", "Фамилия"],
  ["firstName", "first_name", "Имя"],
  ["middleName", "middle_name", "Отчество"],
  ["email", "email", "E-mail"],
  ["phone", "phone", "Телефон"],
  ["position", "position", "Должность"],
];

export async function personScreen(main: HTMLElement, id: string) {
  document.title = "Карточка педагога — НМС";
  mount(main, h("p", { class: "back" }, h("a", { href: "#/people" }, "← К списку педагогов")), loading());
  let person: Person;
  try {
    person = await api.directory.getPerson({ name: `people/${id}` });
  } catch (e) {
    mount(main, h("p", { class: "back" }, h("a", { href: "#/people" }, "← К списку педагогов")), h("h1", {}, "Карточка педагога"), errorNotice(e));
    return;
  }
  const status = h("div", { "aria-live": "polite" });
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fields = editable.map(([key, , label]) => {
    const inp = h("input", { type: key === "email" ? "email" : "text", value: String(person[key] ?? "") });
    inputs.set(key, inp);
    return field(label, inp);
  });
  const subjects = h("input", { type: "text", value: person.subjects.join(", ") });
  const qual = select(Object.entries(qualificationTitle), String(person.qualificationCategory));
  const edu = select(Object.entries(educationTitle), String(person.education));
  const save = h("button", { type: "submit", class: "primary" }, "Сохранить");

  const form = h(
    "form",
    {
      class: "card person-form",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const paths: string[] = [];
        const upd = create(PersonSchema, { name: person.name, version: person.version });
        for (const [key, path] of editable) {
          const v = (inputs.get(key) as HTMLInputElement).value.trim();
          if (v !== String(person[key] ?? "")) {
            (upd as unknown as Record<string, unknown>)[key] = v;
            paths.push(path);
          }
        }
        const subj = subjects.value.split(/[,;|]/).map((s) => s.trim()).filter(Boolean);
        if (subj.join("|") !== person.subjects.join("|")) {
          upd.subjects = subj;
          paths.push("subjects");
        }
        if (Number(qual.value) !== person.qualificationCategory) {
          upd.qualificationCategory = Number(qual.value);
          paths.push("qualification_category");
        }
        if (Number(edu.value) !== person.education) {
          upd.education = Number(edu.value);
          paths.push("education");
        }
        if (!paths.length) return mount(status, notice("info", "Изменений нет."));
        save.setAttribute("disabled", "");
        mount(status, loading("Сохранение…"));
        try {
          person = await api.directory.updatePerson({ person: upd, updateMask: create(FieldMaskSchema, { paths }), requestId: requestId() });
          mount(status, notice("success", "Изменения сохранены."));
          versionEl.textContent = `версия ${person.version}`;
        } catch (e) {
          mount(status, conflictNotice(e, "Карточку", () => void personScreen(main, id)) ?? notice("error", errorText(e)));
        } finally {
          save.removeAttribute("disabled");
        }
      },
    },
    h("div", { class: "grid2" }, fields, field("Предметы", subjects, "через запятую"), field("Квалификационная категория", qual), field("Образование", edu)),
    status,
    save,
  );
  const versionEl = h("span", { class: "muted" }, `версия ${person.version}`);
  const employments = employmentsSection(person);
  const canEdit = hasAny(Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_ADMIN);
  const org = h("span", {}, "…");
  void orgName(person.organization).then((t) => (org.textContent = t));
  mount(
    main,
    h("p", { class: "back" }, h("a", { href: "#/people" }, "← К списку педагогов")),
    h("h1", {}, fullName(person)),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Организация"), h("dd", {}, org),
      h("dt", {}, "Дата рождения"), h("dd", {}, dateText(person.birthDate)),
      h("dt", {}, "Начало работы"), h("dd", {}, dateText(person.workStartDate)),
      h("dt", {}, "Внешний идентификатор"), h("dd", {}, person.externalId || "—"),
      h("dt", {}, "Запись"), h("dd", {}, versionEl),
    ),
    h("h2", {}, "Места работы"),
    employments,
    h("h2", {}, "Учётная запись"),
    accountSection(person),
    h("h2", {}, "Роли"),
    grantsSection(person),
    h("h2", {}, "Диагностика"),
    diagnosticsSection(person),
    h("h2", {}, "ИОМ"),
    routesSection(person),
    h("h2", {}, "Наставничество"),
    mentoringSection(person),
    canEdit ? h("h2", {}, "Редактирование") : null,
    canEdit ? form : h("p", { class: "muted" }, "Изменять карточку могут администратор организации, муниципальный методист и администратор региона."),
  );
}
