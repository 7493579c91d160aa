// People beyond the card's own fields: adding a person, their places of work (add, end), the
// roles their account holds (grant, revoke) and one's own password. Every action is offered only
// to the roles the server lets do it (policy.cc write_person, manage_accounts, AuthorizeRoleGrant).
import { Code, ConnectError } from "@connectrpc/connect";
import { api, requestId, session } from "../api";
import { go, hasAny, mainScope, roleTitle } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { ManagementRole, type Employment, type Person, type RoleGrant } from "../gen/nms/v1/directory_pb";
import { actionButton, allowed, confirmDialog, enumOptions, formDialog, nameCell, organizationName, resourceList, type FieldSpec, type Permission, type Values } from "../forms";
import { dateText, errorNotice, h, idOf, mount, notice, todayDate } from "../ui";
import { educationTitle, qualificationTitle } from "./people";

const EDITORS = [Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_ADMIN];
const managementTitle: Record<number, string> = { [ManagementRole.HEAD]: "руководитель", [ManagementRole.DEPUTY]: "заместитель руководителя" };

type D = { year: number; month: number; day: number };
const days = (d: D) => Date.UTC(d.year, d.month - 1, d.day);
function yearsBetween(a: D, b: D): number {
  return b.year - a.year - (b.month < a.month || (b.month === a.month && b.day < a.day) ? 1 : 0);
}

/** The server's person rules (directory/person.cc ValidatePerson) checked before sending. */
function checkPerson(v: Values): Record<string, string> {
  const out: Record<string, string> = {};
  const today = todayDate();
  const birth = v.birthDate as D | undefined;
  const start = v.workStartDate as D | undefined;
  const nameRe = /^[\p{L}][\p{L} '’-]{0,99}$/u;
  for (const k of ["lastName", "firstName", "middleName"]) if (v[k] && !nameRe.test(String(v[k]))) out[k] = "Допустимы только буквы, пробел, дефис и апостроф";
  if (birth) {
    if (days(birth) > days(today)) out.birthDate = "Дата в будущем";
    else if (yearsBetween(birth, today) < 16 || yearsBetween(birth, today) > 100) out.birthDate = "Возраст должен быть от 16 до 100 лет";
  }
  if (start) {
    if (days(start) > days(today)) out.workStartDate = "Дата в будущем";
    else if (birth && yearsBetween(birth, start) < 14) out.workStartDate = "Раньше 14-летия";
  }
  if (v.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(v.email))) out.email = "Некорректный адрес";
  if (v.phone && !/^\+?\d{10,15}$/.test(String(v.phone).replace(/[\s()-]/g, ""))) out.phone = "От 10 до 15 цифр, допускается + в начале";
  return out;
}

/** "Добавить педагога" on the people list (school admin, municipal methodist, regional admin). */
export function newPersonButton(): HTMLElement | null {
  if (!hasAny(...EDITORS)) return null;
  const scope = mainScope().scope;
  const fields: FieldSpec[] = [
    { key: "lastName", label: "Фамилия", type: "text", required: true, path: "last_name" },
    { key: "firstName", label: "Имя", type: "text", required: true },
    { key: "middleName", label: "Отчество", type: "text" },
    { key: "birthDate", label: "Дата рождения", type: "date", required: true },
    { key: "position", label: "Должность", type: "text", required: true, maxLength: 255, initial: "учитель" },
    { key: "subjects", label: "Предметы", type: "list", hint: "через запятую" },
    { key: "workStartDate", label: "Начало педагогической работы", type: "date" },
    { key: "email", label: "E-mail", type: "text" },
    { key: "phone", label: "Телефон", type: "text" },
    { key: "qualificationCategory", label: "Квалификационная категория", type: "enum", options: enumOptions(qualificationTitle) },
    { key: "education", label: "Образование", type: "enum", options: enumOptions(educationTitle) },
    { key: "externalId", label: "Внешний идентификатор", type: "text", maxLength: 64 },
    ...(scope.startsWith("organizations/") ? [] : [{ key: "organization", label: "Организация (основное место работы)", type: "org", required: true } as FieldSpec]),
  ];
  return h("button", {
    type: "button",
    class: "primary",
    onclick: async () => {
      const p = (await formDialog({
        title: "Новый педагог",
        fields,
        check: checkPerson,
        submit: (v) => api.directory.createPerson({ person: { ...v, organization: scope.startsWith("organizations/") ? scope : String(v.organization) }, requestId: requestId() }),
      })) as Person | null;
      if (p) go(`#/people/${idOf(p.name)}`);
    },
  }, "Добавить педагога");
}

/** Places of work: add one (with its start), end an active one. */
export function employmentsSection(person: Person): HTMLElement {
  const perm: Permission = hasAny(...EDITORS) ? allowed : { allowed: false, reason: "Места работы изменяют администратор организации, муниципальный методист и администратор региона." };
  const fields: FieldSpec[] = [
    { key: "organization", label: "Организация", type: "org", required: true, createOnly: true },
    { key: "position", label: "Должность", type: "text", required: true },
    { key: "primary", label: "Основное место работы", type: "bool" },
    { key: "managementRole", label: "Управленческая роль", type: "enum", options: enumOptions(managementTitle), formOnly: true },
    { key: "startDate", label: "С", type: "date", required: true, initial: todayDate() },
    { key: "endDate", label: "По", type: "date", tableOnly: true },
  ];
  return resourceList<Employment>({
    noun: "место работы",
    fields,
    canCreate: perm,
    list: async (t) => { const r = await api.directory.listEmployments({ parent: person.name, includeEnded: true, pageSize: 50, pageToken: t }); return { items: r.employments, next: r.nextPageToken }; },
    create: (v) => api.directory.createEmployment({ employment: { ...v, person: person.name }, requestId: requestId() }),
    rowActions: (e, reload) => [
      e.endDate?.year
        ? h("span", { class: "muted" }, `завершено ${dateText(e.endDate)}`)
        : actionButton("Завершить", perm, async () => {
            const saved = await formDialog({
              title: "Завершить работу в организации",
              submitText: "Завершить",
              intro: h("p", {}, "Организация: ", nameCell(organizationName(e.organization)), `, ${e.position || "должность не указана"}`),
              fields: [{ key: "endDate", label: "Последний день работы", type: "date", required: true, initial: todayDate() }],
              check: (v): Record<string, string> => (e.startDate && v.endDate && days(v.endDate as D) < days(e.startDate) ? { endDate: `Раньше начала работы (${dateText(e.startDate)})` } : {}),
              submit: (v) => api.directory.endEmployment({ name: e.name, endDate: v.endDate as D, version: e.version, requestId: requestId() }),
            });
            if (saved) await reload();
          }),
    ],
    empty: "Нет сведений о местах работы.",
  }).el;
}

const scopeNames = new Map<string, Promise<string>>();
function scopeName(scope: string): Promise<string> {
  if (!scopeNames.has(scope)) {
    const p = scope.startsWith("organizations/")
      ? organizationName(scope)
      : scope.startsWith("municipalities/")
        ? api.directory.getMunicipality({ name: scope }).then((m) => m.displayName)
        : scope.startsWith("districts/")
          ? api.directory.getDistrict({ name: scope }).then((d) => d.displayName)
          : scope.startsWith("regions/")
            ? api.directory.getRegion({ name: scope }).then((r) => r.displayName)
            : Promise.resolve(scope);
    scopeNames.set(scope, p.catch(() => "(нет доступа)"));
  }
  return scopeNames.get(scope)!;
}

/** The roles the caller may grant (AuthorizeRoleGrant): regional admin any, ММС school admins and teachers, school admin teachers. */
function grantableRoles(): Role[] {
  if (hasAny(Role.REGIONAL_ADMIN)) return [Role.TEACHER, Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN];
  if (hasAny(Role.MUNICIPAL_METHODIST)) return [Role.TEACHER, Role.SCHOOL_ADMIN];
  if (hasAny(Role.SCHOOL_ADMIN)) return [Role.TEACHER];
  return [];
}

/** Scopes a role may be granted at: the person's organisation, its municipality, the region. */
async function grantScopes(person: Person, role: Role): Promise<[string, string][]> {
  const org = await api.directory.getOrganization({ name: person.organization });
  const out: [string, string][] = [];
  if (role === Role.TEACHER || role === Role.SCHOOL_ADMIN) out.push([org.name, org.shortName || org.displayName]);
  if (role === Role.MUNICIPAL_METHODIST && org.municipality) out.push([org.municipality, await scopeName(org.municipality)]);
  if ((role === Role.REGIONAL_METHODIST || role === Role.REGIONAL_ADMIN) && org.region) out.push([org.region, await scopeName(org.region)]);
  return out;
}

/** Roles of the person's account: the list, grant and revoke. */
export function grantsSection(person: Person): HTMLElement {
  const el = h("div", {});
  if (!person.account) return h("p", { class: "muted" }, "Ролей нет: у педагога нет учётной записи.");
  const roles = grantableRoles();
  const perm: Permission = roles.length ? allowed : { allowed: false, reason: "Роли выдают администратор организации, муниципальный методист и администратор региона." };
  const out = h("div", { "aria-live": "polite" });
  const render = async () => {
    try {
      const r = await api.directory.listRoleGrants({ account: person.account, pageSize: 50 });
      const rows = r.roleGrants.map((g: RoleGrant) => {
        const mayRevoke: Permission = roles.includes(g.role) ? allowed : { allowed: false, reason: "Эту роль может отозвать только тот, кто вправе её выдать." };
        return h("li", {}, h("strong", {}, roleTitle[g.role] ?? "—"), " · ", nameCell(scopeName(g.scope)), " ",
          actionButton("Отозвать", mayRevoke, async () => {
            if (!(await confirmDialog("Отозвать роль?", `Роль «${roleTitle[g.role]}» перестанет действовать сразу, открытые сеансы потеряют её права.`, "Отозвать"))) return;
            try {
              await api.directory.deleteRoleGrant({ name: g.name, requestId: requestId() });
              mount(out, notice("success", "Роль отозвана."));
              await render();
            } catch (e) {
              mount(out, errorNotice(e));
            }
          }, "danger"));
      });
      mount(el, rows.length ? h("ul", { class: "grants" }, rows) : h("p", { class: "muted" }, "Ролей нет."),
        actionButton("Выдать роль", perm, async () => {
          const scopes = new Map<number, [string, string][]>();
          for (const role of roles) scopes.set(role, await grantScopes(person, role).catch(() => []));
          const saved = await formDialog({
            title: "Выдать роль",
            submitText: "Выдать",
            fields: [
              { key: "role", label: "Роль", type: "enum", required: true, options: roles.map((x): [string, string] => [String(x), roleTitle[x]]) },
              { key: "scope", label: "Где действует", type: "ref", required: true, options: [...new Map([...scopes.values()].flat()).entries()] },
            ],
            check: (v): Record<string, string> => (scopes.get(Number(v.role))?.some(([s]) => s === v.scope) ? {} : { scope: "Эту роль можно выдать только в другой зоне (см. список)" }),
            submit: (v) => api.directory.createRoleGrant({ roleGrant: { account: person.account, role: Number(v.role), scope: String(v.scope) }, requestId: requestId() }),
          });
          if (saved) {
            mount(out, notice("success", "Роль выдана."));
            await render();
          }
        }));
    } catch (e) {
      mount(el, errorNotice(e));
    }
  };
  void render();
  return h("div", {}, el, out);
}

/** Own password: the current one and the new one twice (8–256 characters, as the server wants). */
export function accountScreen(main: HTMLElement) {
  document.title = "Учётная запись — НМС";
  const p = session.principal!;
  const out = h("div", { "aria-live": "polite" });
  const open = h("button", {
    type: "button",
    class: "primary",
    onclick: async () => {
      const saved = await formDialog({
        title: "Смена пароля",
        submitText: "Сменить пароль",
        fields: [
          { key: "oldPassword", label: "Текущий пароль", type: "password", required: true },
          { key: "newPassword", label: "Новый пароль", type: "password", required: true, hint: "от 8 до 256 символов" },
          { key: "repeat", label: "Новый пароль ещё раз", type: "password", required: true },
        ],
        check: (v): Record<string, string> => {
          const n = String(v.newPassword);
          const bytes = new TextEncoder().encode(n).length;
          if (bytes < 8 || bytes > 256) return { newPassword: "От 8 до 256 символов (байт UTF-8)" };
          if (v.repeat !== n) return { repeat: "Пароли не совпадают" };
          if (n === v.oldPassword) return { newPassword: "Новый пароль совпадает с текущим" };
          return {};
        },
        submit: async (v) => {
          try {
            return await api.auth.changePassword({ oldPassword: String(v.oldPassword), newPassword: String(v.newPassword) });
          } catch (e) {
            // A wrong current password is PERMISSION_DENIED; it belongs next to that field.
            const err = ConnectError.from(e);
            if (err.code === Code.PermissionDenied) throw new ConnectError(`Поле old_password: ${err.rawMessage}`, Code.InvalidArgument);
            throw e;
          }
        },
      });
      if (saved !== null) mount(out, notice("success", "Пароль изменён. Другие сеансы завершены; здесь вы остаётесь в системе."));
    },
  }, "Сменить пароль");
  mount(main, h("h1", {}, "Учётная запись"),
    h("dl", { class: "facts" }, h("dt", {}, "Пользователь"), h("dd", {}, p.displayName || p.login), h("dt", {}, "Логин"), h("dd", {}, p.login),
      h("dt", {}, "Роли"), h("dd", {}, p.grants.map((g) => `${roleTitle[g.role] ?? ""} (${g.scopeDisplayName})`).join("; "))),
    open, out);
}
