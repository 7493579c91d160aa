// Territory choice inside the caller's main scope: the whole scope, then its municipalities (for
// a region) or its organisations (for a municipality). Used by campaign targets, reports, CSV
// exports and matching.
import { api } from "./api";
import { mainScope } from "./app";
import { h } from "./ui";

const cache = new Map<string, Promise<[string, string][]>>();

/** [scope name, title] of the caller's scope and the units directly under it. */
export function scopeOptions(withOrganisations = true): Promise<[string, string][]> {
  const { scope, title } = mainScope();
  const key = `${scope}|${withOrganisations}`;
  if (!cache.has(key)) {
    cache.set(
      key,
      (async () => {
        const out: [string, string][] = [[scope, `${title} (всё)`]];
        if (scope.startsWith("regions/")) {
          const r = await api.directory.listMunicipalities({ parent: scope, pageSize: 500 });
          out.push(...r.municipalities.map((m): [string, string] => [m.name, m.displayName]));
        } else if (scope.startsWith("municipalities/") && withOrganisations) {
          const r = await api.directory.listOrganizations({ parent: scope, pageSize: 500 });
          out.push(...r.organizations.map((o): [string, string] => [o.name, o.shortName || o.displayName]));
        }
        return out;
      })().catch((e) => {
        cache.delete(key);
        throw e;
      }),
    );
  }
  return cache.get(key)!;
}

/** A <select> (single or multiple) filled with scopeOptions; the first option is selected. */
export function scopeSelect(multiple = false, withOrganisations = true): HTMLSelectElement {
  const { scope, title } = mainScope();
  const s = h("select", { multiple, size: multiple ? 6 : null }, h("option", { value: scope, selected: true }, `${title} (всё)`));
  void scopeOptions(withOrganisations).then(
    (opts) => {
      const chosen = new Set([...s.selectedOptions].map((o) => o.value));
      s.replaceChildren(...opts.map(([v, t]) => h("option", { value: v, selected: chosen.has(v) }, t)));
    },
    () => undefined, // The whole scope stays available.
  );
  return s;
}

/** Selected values of a (multiple) select. */
export function selectedValues(s: HTMLSelectElement): string[] {
  return [...s.selectedOptions].map((o) => o.value).filter(Boolean);
}

/**
 * Choosing a person of the caller's scope: a search box (surname or external id) and a select of
 * the matches. `value()` is "people/{id}" or "".
 */
export function personPicker(label: string): { el: HTMLElement; value: () => string; person: () => { name: string; organization: string; subjects: string[] } | undefined } {
  const query = h("input", { type: "search", placeholder: "фамилия" });
  const results = h("select", {}, h("option", { value: "" }, "— сначала найдите —"));
  let found: { name: string; organization: string; subjects: string[] }[] = [];
  const search = async () => {
    mountOptions(results, [["", "Поиск…"]]);
    try {
      const r = await api.directory.listPeople({ query: query.value.trim(), pageSize: 30 });
      found = r.people.map((p) => ({ name: p.name, organization: p.organization, subjects: p.subjects }));
      mountOptions(results, r.people.length ? [["", `— найдено: ${r.people.length}${r.nextPageToken ? "+" : ""} —`], ...r.people.map((p): [string, string] => [p.name, `${[p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ")}${p.position ? `, ${p.position}` : ""}${p.subjects.length ? ` (${p.subjects.join(", ")})` : ""}`])] : [["", "никого не найдено"]]);
      if (r.people.length === 1) results.selectedIndex = 1;
    } catch {
      mountOptions(results, [["", "ошибка поиска"]]);
    }
  };
  query.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") {
      ev.preventDefault();
      void search();
    }
  });
  const find = h("button", { type: "button", onclick: () => void search() }, "Найти");
  const qid = `pp-${Math.random().toString(36).slice(2, 8)}`;
  const rid = `${qid}-r`;
  query.id = qid;
  results.id = rid;
  const el = h(
    "div",
    { class: "person-picker" },
    h("div", { class: "field" }, h("label", { for: qid }, `${label}: поиск`), h("div", { class: "inline" }, query, find)),
    h("div", { class: "field" }, h("label", { for: rid }, label), results),
  );
  return { el, value: () => results.value, person: () => found.find((p) => p.name === results.value) };
}

function mountOptions(s: HTMLSelectElement, opts: [string, string][]) {
  s.replaceChildren(...opts.map(([v, t]) => h("option", { value: v }, t)));
}
