// Teachers' remarks on test items (reported from the app during a session): the methodists who
// own the instruments review them — accept (the item will be fixed in a new instrument), reject,
// or mark as fixed — with a comment the teacher's report keeps.
import { api, requestId } from "../api";
import { ItemProblemCategory, ItemProblemStatus, type ItemProblemReport } from "../gen/nms/v1/diagnostics_pb";
import { act, badge, filteredList, h, idOf, mount, notice, table, tsText } from "../ui";
import { diagnosticsTabs } from "./diagnostics";

const categoryTitle: Record<number, string> = {
  [ItemProblemCategory.AMBIGUOUS]: "неоднозначная формулировка",
  [ItemProblemCategory.TYPO]: "опечатка",
  [ItemProblemCategory.WRONG_ANSWER_KEY]: "неверный ключ ответа",
  [ItemProblemCategory.TECHNICAL]: "техническая проблема",
  [ItemProblemCategory.OTHER]: "другое",
};
export const problemStatusTitle: Record<number, string> = {
  [ItemProblemStatus.OPEN]: "новое",
  [ItemProblemStatus.ACCEPTED]: "принято",
  [ItemProblemStatus.REJECTED]: "отклонено",
  [ItemProblemStatus.RESOLVED]: "исправлено",
};
const statusKind: Record<number, "ok" | "warn" | "err" | "info" | "muted"> = {
  [ItemProblemStatus.OPEN]: "warn",
  [ItemProblemStatus.ACCEPTED]: "info",
  [ItemProblemStatus.REJECTED]: "muted",
  [ItemProblemStatus.RESOLVED]: "ok",
};
const PAGE = 25;

export async function itemProblemsScreen(main: HTMLElement) {
  document.title = "Замечания к заданиям — НМС";
  const titles = new Map<string, string>();
  try {
    for (const i of (await api.diagnostics.listInstruments({ pageSize: 200 })).instruments) titles.set(i.name, i.title);
  } catch {
    // Names stand in for titles.
  }
  let again: () => Promise<void> = async () => {};
  const { filters, list, reload } = filteredList(
    "Показать",
    [["OPEN", "новые"], ["", "все"], ["ACCEPTED", "принятые"], ["REJECTED", "отклонённые"], ["RESOLVED", "исправленные"]],
    "OPEN",
    PAGE,
    async (status, token) => {
      const r = await api.diagnostics.listItemProblemReports({ pageSize: PAGE, pageToken: token, filter: status ? `status = ITEM_PROBLEM_STATUS_${status}` : "" });
      return { items: r.reports, next: r.nextPageToken, total: r.totalSize };
    },
    (rs) =>
      table(
        ["Получено", "Задание", "Суть", "Сообщил", "Состояние", "Решение"],
        rs.map((r) => [
          tsText(r.createTime),
          h("span", {}, titles.get(r.instrument) ?? r.instrument, h("br"), h("small", { class: "muted" }, `задание ${r.itemId}`)),
          h("span", {}, h("strong", {}, categoryTitle[r.category] ?? "—"), h("br"), r.text),
          h("a", { href: `#/people/${idOf(r.reporter)}` }, "карточка педагога"),
          badge(problemStatusTitle[r.status] ?? "—", statusKind[r.status]),
          r.status === ItemProblemStatus.OPEN ? resolveForm(r, () => again()) : r.resolutionComment || h("span", { class: "muted" }, "без комментария"),
        ]),
      ),
    "Замечаний нет.",
  );
  again = reload;
  mount(
    main,
    h("h1", {}, "Замечания к заданиям"),
    diagnosticsTabs("#/diagnostics/problems"),
    h("p", { class: "hint" }, "Педагоги сообщают о неточностях в заданиях прямо во время диагностики. Принятое замечание исправляют в новой версии инструмента."),
    filters,
    list,
  );
  await reload();
}

export function resolveForm(r: Pick<ItemProblemReport, "name" | "version" | "itemId">, reload: () => Promise<void>): HTMLElement {
  const comment = h("input", { type: "text", maxlength: 2000, "aria-label": `Комментарий к замечанию по заданию ${r.itemId}`, placeholder: "Комментарий" });
  const out = h("div", { "aria-live": "polite" });
  const button = (status: ItemProblemStatus, text: string) => {
    const b: HTMLButtonElement = h("button", {
      type: "button",
      onclick: () =>
        void act(b, out, async () => {
          await api.diagnostics.resolveItemProblemReport({ name: r.name, status, resolutionComment: comment.value.trim(), version: r.version, requestId: requestId() });
          mount(out, notice("success", `Замечание: ${problemStatusTitle[status]}.`));
          await reload();
        }),
    });
    b.textContent = text;
    return b;
  };
  return h(
    "div",
    { class: "resolve" },
    comment,
    h("div", { class: "actions" }, button(ItemProblemStatus.ACCEPTED, "Принять"), " ", button(ItemProblemStatus.REJECTED, "Отклонить"), " ", button(ItemProblemStatus.RESOLVED, "Исправлено")),
    out,
  );
}
