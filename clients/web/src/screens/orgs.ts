// Organisations tree: districts → municipalities → organisations, loaded lazily on expand. The
// regional admin adds districts and municipalities and edits the region and municipalities;
// municipal methodists and the regional admin add and edit organisations (policy.cc
// write_territory / write_organization).
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { OrganizationType, Role } from "../gen/nms/v1/common_pb";
import type { Municipality, Organization } from "../gen/nms/v1/directory_pb";
import { enumOptions, forgetOrganizations, formDialog, type FieldSpec } from "../forms";
import { errorNotice, h, idOf, loading, mount, notice } from "../ui";

const canWriteTerritory = () => hasAny(Role.REGIONAL_ADMIN);
const canWriteOrganization = () => hasAny(Role.REGIONAL_ADMIN, Role.MUNICIPAL_METHODIST);
const status = () => document.getElementById("territory-status");
function done(text: string) {
  const s = status();
  if (s) mount(s, notice("success", text));
}

export const orgTypeTitle: Record<number, string> = {
  [OrganizationType.SCHOOL]: "ОО",
  [OrganizationType.KINDERGARTEN]: "ДОО",
  [OrganizationType.COLLEGE]: "СПО",
  [OrganizationType.ADDITIONAL_EDUCATION]: "ДПО",
  [OrganizationType.CHILDREN_ADDITIONAL_EDUCATION]: "ДО детей",
  [OrganizationType.CNPPM]: "ЦНППМ",
  [OrganizationType.IRO]: "ИРО",
  [OrganizationType.UNIVERSITY]: "Вуз",
  [OrganizationType.MUNICIPAL_METHODOLOGICAL_SERVICE]: "ММС",
};

async function allPages<T>(fetch: (token: string) => Promise<{ items: T[]; next: string }>): Promise<T[]> {
  const out: T[] = [];
  let token = "";
  for (let i = 0; i < 50; i++) {
    const r = await fetch(token);
    out.push(...r.items);
    if (!r.next) break;
    token = r.next;
  }
  return out;
}

function lazy(summary: Node, load: (body: HTMLElement) => Promise<void>, cls: string): HTMLElement {
  const body = h("div", { class: "tree-body" });
  let loaded = false;
  const d = h("details", { class: `tree-node ${cls}` }, h("summary", {}, summary), body);
  d.addEventListener("toggle", async () => {
    if (!d.open || loaded) return;
    loaded = true;
    mount(body, loading());
    try {
      await load(body);
    } catch (e) {
      loaded = false;
      mount(body, errorNotice(e));
    }
  });
  return d;
}

const ORG_FIELDS: FieldSpec[] = [
  { key: "type", label: "Тип", type: "enum", required: true, options: enumOptions(orgTypeTitle) },
  { key: "displayName", label: "Полное наименование", type: "text", required: true, maxLength: 500 },
  { key: "shortName", label: "Краткое наименование", type: "text", maxLength: 200 },
  { key: "externalId", label: "Внешний идентификатор (ФИС ФРДО, ОКПО…)", type: "text", maxLength: 128 },
];

async function editOrganization(o: Organization, reload: () => void) {
  const fresh = await api.directory.getOrganization({ name: o.name });
  const saved = await formDialog({
    title: `Изменить: ${fresh.shortName || fresh.displayName}`,
    fields: ORG_FIELDS,
    value: fresh as unknown as Record<string, unknown>,
    submit: (v, changed) => api.directory.updateOrganization({ organization: { ...v, name: fresh.name, version: fresh.version }, updateMask: { paths: changed }, requestId: requestId() }),
  });
  if (saved) {
    forgetOrganizations();
    done("Организация сохранена.");
    reload();
  }
}

async function orgList(body: HTMLElement, municipality: string) {
  const orgs = await allPages(async (t) => {
    const r = await api.directory.listOrganizations({ parent: municipality, pageSize: 500, pageToken: t });
    return { items: r.organizations, next: r.nextPageToken };
  });
  const reload = () => void orgList(body, municipality);
  const add = canWriteOrganization()
    ? h("button", {
        type: "button",
        onclick: async () => {
          const saved = await formDialog({ title: "Новая организация", fields: ORG_FIELDS, submit: async (v) => {
            const region = (await api.directory.getMunicipality({ name: municipality })).region;
            return api.directory.createOrganization({ organization: { ...v, municipality, region }, requestId: requestId() });
          } });
          if (saved) {
            forgetOrganizations();
            done(`Организация «${(saved as Organization).displayName}» добавлена.`);
            reload();
          }
        },
      }, "Добавить организацию")
    : null;
  if (!orgs.length) return mount(body, h("p", { class: "muted" }, "Организаций нет."), add);
  mount(
    body,
    add,
    h(
      "ul",
      { class: "org-list" },
      orgs.map((o) =>
        h(
          "li",
          {},
          h("a", { href: `#/people?parent=${encodeURIComponent(o.name)}&title=${encodeURIComponent(o.displayName)}` }, o.shortName || o.displayName),
          " ",
          h("span", { class: "tag" }, orgTypeTitle[o.type] ?? ""),
          o.staffCount ? h("span", { class: "muted" }, ` · ${o.staffCount} чел.`) : null,
          canWriteOrganization() ? h("button", { type: "button", class: "link", "aria-label": `Изменить: ${o.shortName || o.displayName}`, onclick: () => void editOrganization(o, reload) }, "изменить") : null,
        ),
      ),
    ),
  );
}

function municipalityNode(name: string, title: string, reloadParent?: () => void): HTMLElement {
  const edit = canWriteTerritory() && reloadParent
    ? h("button", { type: "button", class: "link", onclick: (ev: Event) => { ev.preventDefault(); void editMunicipality(name, reloadParent); } }, "изменить")
    : null;
  return lazy(h("span", {}, title, " ", edit), (b) => orgList(b, name), "mun");
}

const MUN_FIELDS: FieldSpec[] = [
  { key: "displayName", label: "Название", type: "text", required: true, maxLength: 500 },
  { key: "externalId", label: "Код ОКТМО или внешний id", type: "text", maxLength: 128 },
];

async function districtOptions(region: string): Promise<[string, string][]> {
  const ds = await api.directory.listDistricts({ region, pageSize: 500 });
  return ds.districts.map((d): [string, string] => [d.name, d.displayName]);
}

async function editMunicipality(name: string, reload: () => void) {
  const m: Municipality = await api.directory.getMunicipality({ name });
  const saved = await formDialog({
    title: `Изменить: ${m.displayName}`,
    fields: [...MUN_FIELDS, { key: "district", label: "Межмуниципальный округ", type: "ref", loadOptions: () => districtOptions(m.region) }],
    value: m as unknown as Record<string, unknown>,
    submit: (v, changed) => api.directory.updateMunicipality({ municipality: { ...v, name: m.name, version: m.version }, updateMask: { paths: changed }, requestId: requestId() }),
  });
  if (saved) {
    done("Муниципалитет сохранён.");
    reload();
  }
}

async function municipalities(body: HTMLElement, parent: string, region = parent) {
  const muns = await allPages(async (t) => {
    const r = await api.directory.listMunicipalities({ parent, pageSize: 500, pageToken: t });
    return { items: r.municipalities, next: r.nextPageToken };
  });
  const reload = () => void municipalities(body, parent, region);
  const add = canWriteTerritory()
    ? h("button", {
        type: "button",
        onclick: async () => {
          const saved = await formDialog({
            title: "Новый муниципалитет",
            fields: MUN_FIELDS,
            submit: (v) => api.directory.createMunicipality({ municipality: { ...v, region, district: parent.startsWith("districts/") ? parent : "" }, requestId: requestId() }),
          });
          if (saved) {
            done(`Муниципалитет «${(saved as Municipality).displayName}» добавлен.`);
            reload();
          }
        },
      }, "Добавить муниципалитет")
    : null;
  let base: HTMLElement | null = null;
  if (parent.startsWith("districts/")) {
    base = h("p", { class: "muted" }, "");
    void api.directory.getDistrict({ name: parent }).then(async (d) => {
      if (d.baseOrganization) base!.textContent = `Базовая организация округа: ${(await api.directory.getOrganization({ name: d.baseOrganization })).displayName}`;
    }, () => undefined);
  }
  if (!muns.length) return mount(body, base, h("p", { class: "muted" }, "Муниципалитетов нет."), add);
  mount(body, base, add, ...muns.map((m) => municipalityNode(m.name, m.displayName, reload)));
}

/** The region's card: its name and time zone, editable by the regional admin. */
async function regionCard(el: HTMLElement, region: string) {
  const all = await api.directory.listRegions({ pageSize: 10 });
  const r = all.regions.find((x) => x.name === region) ?? (await api.directory.getRegion({ name: region }));
  const edit = canWriteTerritory()
    ? h("button", {
        type: "button",
        onclick: async () => {
          const fresh = await api.directory.getRegion({ name: region });
          const saved = await formDialog({
            title: "Регион",
            fields: [
              { key: "displayName", label: "Название", type: "text", required: true },
              { key: "timeZone", label: "Часовой пояс (IANA)", type: "text", required: true, hint: "например, Europe/Moscow" },
            ],
            value: fresh as unknown as Record<string, unknown>,
            submit: (v, changed) => api.directory.updateRegion({ region: { ...v, name: fresh.name, version: fresh.version }, updateMask: { paths: changed }, requestId: requestId() }),
          });
          if (saved) {
            done("Сведения о регионе сохранены.");
            void regionCard(el, region);
          }
        },
      }, "Изменить")
    : null;
  mount(el, h("div", { class: "card region-card" }, h("strong", {}, r.displayName), h("span", { class: "muted" }, ` · часовой пояс ${zoneTitle(r.timeZone)} `), edit));
}

async function districts(body: HTMLElement, region: string) {
  const ds = await allPages(async (t) => {
    const r = await api.directory.listDistricts({ region, pageSize: 500, pageToken: t });
    return { items: r.districts, next: r.nextPageToken };
  });
  const add = canWriteTerritory()
    ? h("button", {
        type: "button",
        onclick: async () => {
          const saved = await formDialog({
            title: "Новый межмуниципальный округ",
            fields: [
              { key: "displayName", label: "Название", type: "text", required: true, maxLength: 500 },
              { key: "baseOrganization", label: "Базовая организация", type: "org" },
            ],
            submit: (v) => api.directory.createDistrict({ district: { ...v, region }, requestId: requestId() }),
          });
          if (saved) {
            done("Округ добавлен.");
            void districts(body, region);
          }
        },
      }, "Добавить округ")
    : null;
  if (!ds.length) {
    const muns = h("div", {});
    mount(body, add, muns);
    return municipalities(muns, region, region);
  }
  mount(body, add, ...ds.map((d) => lazy(h("span", {}, d.displayName), (b) => municipalities(b, d.name, region), "district")));
}

export async function orgTreeScreen(main: HTMLElement) {
  document.title = "Организации — НМС";
  const scope = mainScope();
  const body = h("div", { class: "tree" }, loading());
  const region = h("div", {});
  mount(main, h("h1", {}, "Организации"), h("p", { class: "muted" }, `Область видимости: ${scope.title}`), h("div", { id: "territory-status", "aria-live": "polite" }), region, body);
  try {
    if (scope.scope.startsWith("regions/")) {
      void regionCard(region, scope.scope).catch((e) => mount(region, errorNotice(e)));
      await districts(body, scope.scope);
    } else if (scope.scope.startsWith("municipalities/")) {
      const node = municipalityNode(scope.scope, scope.title);
      mount(body, node);
      (node as HTMLDetailsElement).open = true;
    } else {
      mount(body, h("p", {}, h("a", { href: `#/people?parent=${encodeURIComponent(scope.scope)}` }, scope.title)));
    }
  } catch (e) {
    mount(body, errorNotice(e));
  }
  void idOf;
}

/** "Москва, стандартное время (Europe/Moscow)": the zone as the browser names it in Russian. */
function zoneTitle(zone: string): string {
  if (!zone) return "—";
  try {
    const name = new Intl.DateTimeFormat("ru-RU", { timeZone: zone, timeZoneName: "long" }).formatToParts(new Date()).find((p) => p.type === "timeZoneName")?.value;
    return name ? `${name} (${zone})` : zone;
  } catch {
    return zone; // An id the browser does not know.
  }
}
