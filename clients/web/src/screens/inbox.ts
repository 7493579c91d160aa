// The home screen: a task inbox. Counts of the work waiting for the caller (only the kinds the
// caller may act on, counted by the server for the caller's scope), and for each kind a list
// that is searched, sorted and paged on the server, every entry one click from its action:
// sign or approve ИОМ (one by one or in bulk, with a return-for-revision form), decide or
// confirm enrolments, open a matching proposal with its pairs, give a young teacher support,
// remind teachers of an open campaign, open an overdue item's ИОМ, plan a meeting for a quiet
// pair, review teachers' remarks on test items.
import { api, requestId } from "../api";
import { routeParams } from "../app";
import { EnrolmentStatus, RouteSignatureKind } from "../gen/nms/v1/route_pb";
import { InboxEntryKind, InboxSort, type InboxEntry, type InboxCount } from "../gen/nms/v1/inbox_pb";
import { SupportMeasureKind } from "../gen/nms/v1/young_teacher_pb";
import { act, badge, dateFromInput, dateText, errorNotice, errorText, field, fmt, h, idOf, inputFromDate, loading, mount, notice, pagedList, select, table, todayDate } from "../ui";
import { showProposal, wholeProposal } from "./mentoring";
import { resolveForm } from "./item_problems";

const PAGE = 20;

import { plural } from "../../../shared/plural";

interface KindView {
  slug: string;
  title: string;
  /** The count as a phrase: "3 маршрута". */
  noun: [string, string, string];
  hint: string;
}

const kinds: Record<number, KindView> = {
  [InboxEntryKind.ROUTE_TO_AGREE]: { slug: "agree", title: "ИОМ на подпись организации", noun: ["маршрут", "маршрута", "маршрутов"], hint: "Педагог подписал маршрут — нужна подпись представителя организации." },
  [InboxEntryKind.ROUTE_TO_APPROVE]: { slug: "approve", title: "ИОМ на утверждение", noun: ["маршрут", "маршрута", "маршрутов"], hint: "Маршрут подписан педагогом и организацией — его нужно утвердить или вернуть на доработку." },
  [InboxEntryKind.ENROLMENT]: { slug: "enrolment", title: "Заявки на обучение", noun: ["заявка", "заявки", "заявок"], hint: "Заявки педагогов на программы ДПП ПК: одобрить, отклонить или подтвердить зачисление." },
  [InboxEntryKind.MATCHING_PROPOSAL]: { slug: "proposals", title: "Предложения подбора наставников", noun: ["предложение", "предложения", "предложений"], hint: "Рассчитанные пары ждут решения: откройте предложение, примите пары или отклоните его." },
  [InboxEntryKind.YOUNG_UNSUPPORTED]: { slug: "young", title: "Молодые педагоги без поддержки", noun: ["педагог", "педагога", "педагогов"], hint: "Нет наставника, ИОМ или мер поддержки за последние месяцы." },
  [InboxEntryKind.CAMPAIGN_NOT_DONE]: { slug: "campaign", title: "Не прошли диагностику", noun: ["педагог", "педагога", "педагогов"], hint: "Участники идущих кампаний, которые не начали или не закончили тест. Напоминание придёт в приложение педагога." },
  [InboxEntryKind.OVERDUE_ITEM]: { slug: "overdue", title: "Просроченные мероприятия ИОМ", noun: ["мероприятие", "мероприятия", "мероприятий"], hint: "Срок прошёл, а мероприятие не выполнено." },
  [InboxEntryKind.PAIR_WITHOUT_MEETING]: { slug: "pairs", title: "Пары без встреч", noun: ["пара", "пары", "пар"], hint: "Действующие пары наставничества, которые давно не встречались (срок задан в настройках региона)." },
  [InboxEntryKind.ITEM_REMARK]: { slug: "remarks", title: "Замечания к заданиям", noun: ["замечание", "замечания", "замечаний"], hint: "Педагоги сообщили о неточностях в заданиях тестов." },
  [InboxEntryKind.EXPERT_WORK]: { slug: "expert", title: "Работы на экспертную оценку", noun: ["работа", "работы", "работ"], hint: "Письменные ответы, планы уроков и видеозаписи, которые педагоги сдали в диагностике: оцените их по критериям задания — до этого результат педагога предварительный." },
};
const kindBySlug = (slug: string) => Number(Object.entries(kinds).find(([, v]) => v.slug === slug)?.[0] ?? 0) as InboxEntryKind;

const SORTS: [string, string][] = [
  [String(InboxSort.UNSPECIFIED), "сначала давние"],
  [String(InboxSort.DATE_DESC), "сначала новые"],
  [String(InboxSort.NAME), "по ФИО"],
];

export async function inboxScreen(main: HTMLElement, slug?: string) {
  document.title = "Мои задачи — НМС";
  mount(main, h("h1", {}, "Мои задачи"), loading());
  let counts: InboxCount[];
  try {
    counts = (await api.inbox.getInboxSummary({})).counts;
  } catch (e) {
    mount(main, h("h1", {}, "Мои задачи"), errorNotice(e));
    return;
  }
  const kind = slug ? kindBySlug(slug) : 0;
  const current = counts.find((c) => c.kind === kind);
  if (!current) {
    mount(main, h("h1", {}, "Мои задачи"), summaryCards(counts));
    return;
  }
  const view = kinds[kind];
  document.title = `${view.title} — НМС`;
  mount(
    main,
    h("p", { class: "crumbs" }, h("a", { href: "#/inbox" }, "← Все задачи")),
    h("h1", {}, view.title),
    h("p", { class: "hint" }, `${view.hint} Зона: ${current.scopeTitle || "—"}.`),
    entryList(kind),
  );
}

function summaryCards(counts: InboxCount[]): HTMLElement {
  if (!counts.length) return notice("info", "Для вашей роли задач в этом разделе нет.");
  const total = counts.reduce((s, c) => s + Number(c.count), 0);
  return h(
    "div",
    {},
    h("p", { class: "hint", role: "status" }, total ? `Ждут вашего решения: ${plural(total, "задача", "задачи", "задач")}.` : "Все задачи выполнены — новых нет."),
    h(
      "ul",
      { class: "inbox-cards", "aria-label": "Задачи по видам" },
      counts.map((c) => {
        const v = kinds[c.kind];
        if (!v) return null;
        const n = Number(c.count);
        return h(
          "li",
          { class: `inbox-card${n ? " has-work" : ""}` },
          h(
            "a",
            { href: `#/inbox/${v.slug}`, "aria-label": `${v.title}: ${plural(n, ...v.noun)}` },
            h("span", { class: "inbox-count" }, fmt(n)),
            h("span", { class: "inbox-title" }, v.title),
            h("small", { class: "muted" }, n ? plural(n, ...v.noun) : "нет", c.scopeTitle ? ` · ${c.scopeTitle}` : ""),
          ),
        );
      }),
    ),
  );
}

/** The searched, sorted, paged list of one kind with its actions. */
function entryList(kind: InboxEntryKind): HTMLElement {
  const params = routeParams();
  const search = h("input", { type: "search", maxlength: 200, placeholder: "ФИО, организация, название", value: params.get("q") ?? "" });
  const sort = select(SORTS, String(InboxSort.UNSPECIFIED));
  const status = h("div", { "aria-live": "polite" });
  const list = h("div", {});
  const selected = new Map<string, InboxEntry>();
  const bulk = h("div", { class: "bulk" });
  let reload: () => Promise<void> = async () => {};
  const after = async (msg: HTMLElement) => {
    mount(status, msg);
    selected.clear();
    await reload();
  };
  const bulkable = kind === InboxEntryKind.ROUTE_TO_AGREE || kind === InboxEntryKind.ROUTE_TO_APPROVE || kind === InboxEntryKind.CAMPAIGN_NOT_DONE;
  const refreshBulk = () => renderBulk(bulk, kind, [...selected.values()], after);
  reload = pagedList(
    list,
    PAGE,
    async (token) => {
      const r = await api.inbox.listInboxEntries({ kind, query: search.value.trim(), sort: Number(sort.value) as InboxSort, pageSize: PAGE, pageToken: token });
      return { items: r.entries, next: r.nextPageToken, total: r.totalSize };
    },
    (entries) => {
      const rows = entries.map((e) => {
        const cells = rowCells(kind, e);
        const actions = h("div", { class: "row-actions" }, rowActions(kind, e, after));
        if (!bulkable) return [...cells, actions];
        const box = h("input", { type: "checkbox", "aria-label": `Выбрать: ${e.personName || e.title}`, checked: selected.has(e.target) });
        box.addEventListener("change", () => {
          if (box.checked) selected.set(e.target, e);
          else selected.delete(e.target);
          refreshBulk();
        });
        return [box, ...cells, actions];
      });
      refreshBulk();
      return table([...(bulkable ? ["Выбор"] : []), ...headers(kind), "Действие"], rows, kinds[kind].title);
    },
    "В этом списке ничего нет.",
  );
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void reload(), 300);
  });
  sort.addEventListener("change", () => void reload());
  void reload();
  return h("div", {}, h("div", { class: "filters" }, field("Поиск", search), field("Порядок", sort)), bulkable ? bulk : null, status, list);
}

function headers(kind: InboxEntryKind): string[] {
  switch (kind) {
    case InboxEntryKind.ROUTE_TO_AGREE:
      return ["Педагог", "Организация", "Цель маршрута", "Подписан педагогом"];
    case InboxEntryKind.ROUTE_TO_APPROVE:
      return ["Педагог", "Организация", "Цель маршрута", "Согласован"];
    case InboxEntryKind.ENROLMENT:
      return ["Педагог", "Организация", "Программа", "Состояние", "Дата"];
    case InboxEntryKind.MATCHING_PROPOSAL:
      return ["Подбор", "Результат", "Рассчитан"];
    case InboxEntryKind.YOUNG_UNSUPPORTED:
      return ["Педагог", "Организация", "Должность", "Работает с", "Чего не хватает"];
    case InboxEntryKind.CAMPAIGN_NOT_DONE:
      return ["Педагог", "Организация", "Кампания", "Состояние", "Закрывается"];
    case InboxEntryKind.OVERDUE_ITEM:
      return ["Педагог", "Организация", "Мероприятие", "Срок", "Просрочено"];
    case InboxEntryKind.PAIR_WITHOUT_MEETING:
      return ["Наставляемый", "Организация", "Наставник", "Последняя встреча", "Без встреч"];
    case InboxEntryKind.ITEM_REMARK:
      return ["Педагог", "Задание", "Замечание", "Получено"];
    case InboxEntryKind.EXPERT_WORK:
      return ["Педагог", "Организация", "Задание", "Что сдано", "Сдано"];
  }
  return [];
}

/** Long texts (a route's goal) on one short line; the whole text on hover and for screen readers. */
const clipped = (text: string, max = 90) => (text.length > max ? h("span", { title: text, "aria-label": text }, `${text.slice(0, max).trimEnd()}…`) : text);
const personLink = (e: InboxEntry) => (e.person ? h("a", { href: `#/people/${idOf(e.person)}` }, e.personName) : e.personName || "—");
const routeLink = (route: string, text: string) => h("a", { href: `#/routes/${idOf(route)}` }, text);

function rowCells(kind: InboxEntryKind, e: InboxEntry): (Node | string)[] {
  const n = Number(e.state);
  switch (kind) {
    case InboxEntryKind.ROUTE_TO_AGREE:
    case InboxEntryKind.ROUTE_TO_APPROVE:
      return [routeLink(e.target, e.personName), e.organizationTitle || "—", clipped(e.title), dateText(e.date)];
    case InboxEntryKind.ENROLMENT:
      return [personLink(e), e.organizationTitle || "—", routeLink(e.related, e.title), badge(n === EnrolmentStatus.APPLIED ? "заявка подана" : "одобрена, ждёт зачисления", n === EnrolmentStatus.APPLIED ? "warn" : "info"), dateText(e.date)];
    case InboxEntryKind.MATCHING_PROPOSAL:
      return [e.title, e.detail, dateText(e.date)];
    case InboxEntryKind.YOUNG_UNSUPPORTED:
      return [personLink(e), e.organizationTitle || "—", e.title || "—", dateText(e.date), e.detail];
    case InboxEntryKind.CAMPAIGN_NOT_DONE:
      return [personLink(e), e.organizationTitle || "—", e.title, badge(e.detail.toLowerCase(), n === 2 ? "info" : "warn"), dateText(e.date)];
    case InboxEntryKind.OVERDUE_ITEM:
      return [personLink(e), e.organizationTitle || "—", routeLink(e.related, e.title), dateText(e.date), badge(`на ${plural(n, "день", "дня", "дней")}`, "err")];
    case InboxEntryKind.PAIR_WITHOUT_MEETING:
      return [personLink(e), e.organizationTitle || "—", e.title || "—", `${dateText(e.date)}${e.detail.startsWith("Встреч не было") ? " (начало пары)" : ""}`, badge(plural(n, "неделя", "недели", "недель"), "warn")];
    case InboxEntryKind.ITEM_REMARK:
      return [personLink(e), e.title, e.detail, dateText(e.date)];
    case InboxEntryKind.EXPERT_WORK:
      return [personLink(e), e.organizationTitle || "—", e.title, e.detail, dateText(e.date)];
  }
  return [];
}

/** A small inline form that replaces the row's buttons until sent or cancelled (no prompt()). */
function inlineForm(holder: HTMLElement, title: string, fields: HTMLElement[], submit: string, run: (out: HTMLElement) => Promise<void>): void {
  const previous = [...holder.childNodes];
  const out = h("div", { "aria-live": "polite" });
  const send = h("button", { type: "submit", class: "primary" }, submit);
  const cancel = h("button", { type: "button", onclick: () => holder.replaceChildren(...previous) }, "Отмена");
  const form = h(
    "form",
    {
      class: "inline-form",
      "aria-label": title,
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void act(send, out, () => run(out));
      },
    },
    fields,
    h("div", { class: "row-actions" }, send, cancel),
    out,
  );
  holder.replaceChildren(form);
  form.querySelector<HTMLElement>("input, textarea, select")?.focus();
}

function button(text: string, onclick: (b: HTMLButtonElement) => void, primary = false): HTMLButtonElement {
  const b: HTMLButtonElement = h("button", { type: "button", class: primary ? "primary small" : "small" }, text);
  b.addEventListener("click", () => onclick(b));
  return b;
}

function rowActions(kind: InboxEntryKind, e: InboxEntry, after: (msg: HTMLElement) => Promise<void>): Node[] {
  const holder = h("span", { class: "row-actions" });
  const out = h("span", { "aria-live": "polite" });
  const who = e.personName;
  const run = (b: HTMLElement, f: () => Promise<unknown>, done: string) => void act(b, out, async () => {
    await f();
    await after(notice("success", done));
  });
  const version = e.targetVersion;
  switch (kind) {
    case InboxEntryKind.ROUTE_TO_AGREE:
      holder.append(button("Подписать", (b) => run(b, () => api.route.agreeRoute({ name: e.target, version, signatureKind: RouteSignatureKind.SCHOOL_REPRESENTATIVE, requestId: requestId() }), `Маршрут подписан от организации: ${who}.`), true));
      break;
    case InboxEntryKind.ROUTE_TO_APPROVE:
      holder.append(
        button("Утвердить", (b) => run(b, () => api.route.approveRoute({ name: e.target, version, requestId: requestId() }), `Маршрут утверждён: ${who}.`), true),
        " ",
        button("Вернуть…", () => {
          const comment = h("textarea", { rows: 2, required: true, maxlength: 4000, "aria-label": `Причина возврата маршрута: ${who}` });
          inlineForm(holder, "Возврат на доработку", [comment], "Вернуть на доработку", async () => {
            if (!comment.value.trim()) throw new Error("Укажите причину возврата");
            await api.route.returnRouteForRevision({ name: e.target, version, comment: comment.value.trim(), requestId: requestId() });
            await after(notice("success", `Маршрут возвращён на доработку: ${who}.`));
          });
        }),
      );
      break;
    case InboxEntryKind.ENROLMENT:
      if (Number(e.state) === EnrolmentStatus.APPLIED) {
        holder.append(
          button("Одобрить", (b) => run(b, () => api.route.approveRouteItemEnrolment({ name: e.target, version, requestId: requestId() }), `Заявка одобрена: ${who}.`), true),
          " ",
          button("Отклонить…", () => {
            const comment = h("textarea", { rows: 2, required: true, maxlength: 2000, "aria-label": `Причина отказа: ${who}` });
            inlineForm(holder, "Отказ в обучении", [comment], "Отклонить заявку", async () => {
              if (!comment.value.trim()) throw new Error("Укажите причину отказа");
              await api.route.rejectRouteItemEnrolment({ name: e.target, version, comment: comment.value.trim(), requestId: requestId() });
              await after(notice("success", `Заявка отклонена: ${who}.`));
            });
          }),
        );
      } else {
        holder.append(button("Подтвердить зачисление", (b) => run(b, () => api.route.confirmRouteItemEnrolment({ name: e.target, version, requestId: requestId() }), `Зачисление подтверждено: ${who}.`), true));
      }
      break;
    case InboxEntryKind.MATCHING_PROPOSAL: {
      const box = h("div", { class: "proposal" });
      holder.append(
        button("Открыть с парами", (b) =>
          void act(b, out, async () => {
            const p = (await api.mentoring.getMatchingProposal({ name: e.target })).proposal!;
            showProposal(box, await wholeProposal(p));
            holder.closest("tr")?.after(h("tr", {}, h("td", { colspan: 4 }, box)));
            // Shown once, under its row; its own buttons apply or discard it.
            holder.replaceChildren(badge("открыто ниже", "muted"));
          }),
        true),
      );
      break;
    }
    case InboxEntryKind.YOUNG_UNSUPPORTED:
      holder.append(
        button("Назначить поддержку…", () => {
          const kindSel = select(
            [
              [String(SupportMeasureKind.CLUB), "клуб / школа молодого педагога"],
              [String(SupportMeasureKind.EVENT), "мероприятие"],
              [String(SupportMeasureKind.METHODOLOGICAL_VISIT), "методический визит"],
              [String(SupportMeasureKind.COMPETITION), "конкурс"],
              [String(SupportMeasureKind.OTHER), "другое"],
            ],
            String(SupportMeasureKind.CLUB),
          );
          const title = h("input", { type: "text", required: true, maxlength: 500, value: "Школа молодого педагога" });
          const start = h("input", { type: "date", required: true, value: inputFromDate(todayDate()) });
          inlineForm(holder, `Мера поддержки: ${who}`, [field("Вид", kindSel), field("Название", title), field("Начало", start)], "Назначить", async () => {
            await api.young.createSupportMeasure({
              measure: { person: e.person, kind: Number(kindSel.value) as SupportMeasureKind, title: title.value.trim(), startDate: dateFromInput(start.value) },
              requestId: requestId(),
            });
            await after(notice("success", `Мера поддержки «${title.value.trim()}» назначена: ${who}.`));
          });
        }, true),
      );
      break;
    case InboxEntryKind.CAMPAIGN_NOT_DONE:
      holder.append(
        button("Напомнить", (b) =>
          void act(b, out, async () => {
            const r = await api.inbox.remindTeachers({ campaign: e.related, people: [e.person], requestId: requestId() });
            mount(out, badge(r.reminded ? "напоминание отправлено" : "уже напомнили сегодня", r.reminded ? "ok" : "muted"));
          }),
        true),
      );
      break;
    case InboxEntryKind.OVERDUE_ITEM:
      holder.append(h("a", { href: `#/routes/${idOf(e.related)}`, class: "button small" }, "Открыть ИОМ"));
      break;
    case InboxEntryKind.PAIR_WITHOUT_MEETING:
      holder.append(
        button("Запланировать встречу…", () => {
          const day = h("input", { type: "date", required: true, value: inputFromDate(todayDate()) });
          const topic = h("input", { type: "text", required: true, maxlength: 1000, value: "Встреча наставника и наставляемого" });
          inlineForm(holder, `Встреча пары: ${who}`, [field("Дата", day), field("Тема", topic)], "Запланировать", async () => {
            await api.mentoring.createMentoringMeeting({ parent: e.target, meeting: { meetingDate: dateFromInput(day.value), topic: topic.value.trim() }, requestId: requestId() });
            await after(notice("success", `Встреча пары «${who} — ${e.title}» запланирована на ${dateText(dateFromInput(day.value))}.`));
          });
        }, true),
      );
      break;
    case InboxEntryKind.ITEM_REMARK:
      holder.append(resolveForm({ name: e.target, version: e.targetVersion, itemId: e.title }, () => after(notice("success", "Замечание рассмотрено."))));
      break;
    case InboxEntryKind.EXPERT_WORK:
      holder.append(h("a", { class: "button-like", href: `#/inbox/expert/${idOf(e.target)}/${encodeURIComponent(e.itemId)}` }, "Оценить"));
      break;
  }
  return [holder, out];
}

/** The bulk bar of routes and reminders: what is selected and what can be done to all of it. */
function renderBulk(bar: HTMLElement, kind: InboxEntryKind, chosen: InboxEntry[], after: (msg: HTMLElement) => Promise<void>): void {
  if (!chosen.length) {
    mount(bar, h("p", { class: "muted" }, "Отметьте строки, чтобы обработать несколько сразу."));
    return;
  }
  const out = h("div", { "aria-live": "polite" });
  const what = kind === InboxEntryKind.CAMPAIGN_NOT_DONE ? plural(chosen.length, "педагог", "педагога", "педагогов") : plural(chosen.length, "маршрут", "маршрута", "маршрутов");
  // One call per route: each has its own version and may fail alone (changed meanwhile).
  const each = async (f: (e: InboxEntry) => Promise<unknown>, done: string) => {
    const failed: string[] = [];
    for (const e of chosen) {
      try {
        await f(e);
      } catch (err) {
        failed.push(`${e.personName} — ${errorText(err)}`);
      }
    }
    const ok = chosen.length - failed.length;
    await after(
      failed.length
        ? notice("warn", `${done}: ${plural(ok, "маршрут", "маршрута", "маршрутов")}. Не получилось: ${failed.join("; ")}`)
        : notice("success", `${done}: ${plural(ok, "маршрут", "маршрута", "маршрутов")}.`),
    );
  };
  const buttons: HTMLElement[] = [];
  if (kind === InboxEntryKind.ROUTE_TO_AGREE) {
    buttons.push(button(`Подписать выбранные (${chosen.length})`, (b) => void act(b, out, () => each((e) => api.route.agreeRoute({ name: e.target, version: e.targetVersion, signatureKind: RouteSignatureKind.SCHOOL_REPRESENTATIVE, requestId: requestId() }), "Подписано от организации")), true));
  }
  if (kind === InboxEntryKind.ROUTE_TO_APPROVE) {
    buttons.push(button(`Утвердить выбранные (${chosen.length})`, (b) => void act(b, out, () => each((e) => api.route.approveRoute({ name: e.target, version: e.targetVersion, requestId: requestId() }), "Утверждено")), true));
    buttons.push(
      button(`Вернуть выбранные на доработку…`, () => {
        const comment = h("textarea", { rows: 3, required: true, maxlength: 4000, "aria-label": "Причина возврата (для всех выбранных)" });
        const holder = h("div", {});
        bar.replaceChildren(h("p", {}, `Вернуть на доработку ${what}:`), holder);
        inlineForm(holder, "Возврат выбранных на доработку", [field("Причина возврата", comment, "её увидит каждый педагог в приложении")], "Вернуть на доработку", async () => {
          if (!comment.value.trim()) throw new Error("Укажите причину возврата");
          await each((e) => api.route.returnRouteForRevision({ name: e.target, version: e.targetVersion, comment: comment.value.trim(), requestId: requestId() }), "Возвращено на доработку");
        });
        holder.querySelector("button[type=button]")?.addEventListener("click", () => renderBulk(bar, kind, chosen, after));
      }),
    );
  }
  if (kind === InboxEntryKind.CAMPAIGN_NOT_DONE) {
    const message = h("input", { type: "text", maxlength: 500, placeholder: "необязательно", "aria-label": "Сообщение к напоминанию" });
    buttons.push(field("Сообщение", message));
    buttons.push(
      button(`Напомнить выбранным (${chosen.length})`, (b) =>
        void act(b, out, async () => {
          // One call per campaign: the server checks each teacher's scope and state together.
          const byCampaign = new Map<string, string[]>();
          for (const e of chosen) byCampaign.set(e.related, [...(byCampaign.get(e.related) ?? []), e.person]);
          let sent = 0, already = 0;
          for (const [campaign, people] of byCampaign) {
            const r = await api.inbox.remindTeachers({ campaign, people, message: message.value.trim(), requestId: requestId() });
            sent += r.reminded;
            already += r.alreadyReminded;
          }
          await after(notice("success", `Напоминание отправлено: ${plural(sent, "педагогу", "педагогам", "педагогам")}${already ? `; уже напоминали сегодня: ${fmt(already)}` : ""}.`));
        }),
      true),
    );
  }
  mount(bar, h("div", { class: "bulk-bar row-actions" }, h("strong", {}, `Выбрано: ${what}`), buttons), out);
}
