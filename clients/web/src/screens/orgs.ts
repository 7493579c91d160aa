// Organisations tree: districts → municipalities → organisations, loaded lazily on expand.
import { api } from "../api";
import { mainScope } from "../app";
import { OrganizationType } from "../gen/nms/v1/common_pb";
import { errorNotice, h, idOf, loading, mount } from "../ui";

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

async function orgList(body: HTMLElement, municipality: string) {
  const orgs = await allPages(async (t) => {
    const r = await api.directory.listOrganizations({ parent: municipality, pageSize: 500, pageToken: t });
    return { items: r.organizations, next: r.nextPageToken };
  });
  if (!orgs.length) return mount(body, h("p", { class: "muted" }, "Организаций нет."));
  mount(
    body,
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
        ),
      ),
    ),
  );
}

function municipalityNode(name: string, title: string): HTMLElement {
  return lazy(h("span", {}, title), (b) => orgList(b, name), "mun");
}

async function municipalities(body: HTMLElement, parent: string) {
  const muns = await allPages(async (t) => {
    const r = await api.directory.listMunicipalities({ parent, pageSize: 500, pageToken: t });
    return { items: r.municipalities, next: r.nextPageToken };
  });
  if (!muns.length) return mount(body, h("p", { class: "muted" }, "Муниципалитетов нет."));
  mount(body, ...muns.map((m) => municipalityNode(m.name, m.displayName)));
}

export async function orgTreeScreen(main: HTMLElement) {
  document.title = "Организации — НМС";
  const scope = mainScope();
  const body = h("div", { class: "tree" }, loading());
  mount(main, h("h1", {}, "Организации"), h("p", { class: "muted" }, `Область видимости: ${scope.title}`), body);
  try {
    if (scope.scope.startsWith("regions/")) {
      const ds = await allPages(async (t) => {
        const r = await api.directory.listDistricts({ region: scope.scope, pageSize: 500, pageToken: t });
        return { items: r.districts, next: r.nextPageToken };
      });
      if (!ds.length) return municipalities(body, scope.scope);
      mount(body, ...ds.map((d) => lazy(h("span", {}, d.displayName), (b) => municipalities(b, d.name), "district")));
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
