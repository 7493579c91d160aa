// The bank of effective pedagogical practices (issue 16 §1): the register with search and
// filters, a practice card with its reviews, the teacher's form, the methodist's review with the
// rubric and the ЦНППМ's decision (publish, or return with a comment).
import { api, requestId, session } from "../api";
import { hasAny, go } from "../app";
import { CompetencyArea, Role } from "../gen/nms/v1/common_pb";
import { PracticeLevel, PracticeStatus, type Practice, type PracticeCriterion } from "../gen/nms/v1/practices_pb";
import { askDialog } from "../../../shared/dialog";
import { AREA_OPTIONS, areaTitle } from "../../../shared/titles";
import { plural } from "../../../shared/plural";
import { badge, busy, checkbox, conflictNotice, errorNotice, field, h, idOf, loading, mount, notice, pagedList, select, splitList, table, tsText, cardActions } from "../ui";

const AREAS = AREA_OPTIONS;
const LEVELS: [number, string][] = [
  [PracticeLevel.SCHOOL, "школьный"],
  [PracticeLevel.MUNICIPAL, "муниципальный"],
  [PracticeLevel.REGIONAL, "региональный"],
];
const levelTitle = new Map(LEVELS);
const statusInfo: Record<number, [string, "ok" | "warn" | "err" | "info" | "muted"]> = {
  [PracticeStatus.DRAFT]: ["черновик", "muted"],
  [PracticeStatus.SUBMITTED]: ["на экспертизе", "info"],
  [PracticeStatus.REVIEWED]: ["экспертиза проведена", "warn"],
  [PracticeStatus.PUBLISHED]: ["опубликована", "ok"],
  [PracticeStatus.RETURNED]: ["возвращена на доработку", "err"],
};
const PAGE = 20;
const points = (n: number) => plural(n, "балл", "балла", "баллов");

function statusBadge(s: PracticeStatus): HTMLElement {
  const [t, k] = statusInfo[s] ?? ["—", "muted"];
  return badge(t, k);
}

const isAuthorSide = () => hasAny(Role.TEACHER, Role.SCHOOL_ADMIN);
const isReviewer = () => hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST);
const isCentre = () => hasAny(Role.REGIONAL_METHODIST);

export function practicesScreen(main: HTMLElement, id?: string, sub?: string): Promise<void> | void {
  if (id === "new") return practiceForm(main);
  if (id && sub === "edit") return editDraft(main, id);
  if (id) return practiceCard(main, id);
  return registerScreen(main);
}

function registerScreen(main: HTMLElement) {
  document.title = "Банк практик — НМС";
  const text = h("input", { type: "search", placeholder: "Слова из названия или описания", maxlength: 200 });
  const status = select(
    [["", "все доступные"], ["PUBLISHED", "опубликованные"], ["SUBMITTED", "на экспертизе"], ["REVIEWED", "экспертиза проведена"], ["RETURNED", "возвращённые"], ["DRAFT", "черновики"]],
    isReviewer() ? "SUBMITTED" : "PUBLISHED",
  );
  const area = select([["", "любая"], ...AREAS.map(([v, t]): [string, string] => [CompetencyArea[v], t])]);
  const level = select([["", "любой"], ...LEVELS.map(([v, t]): [string, string] => [PracticeLevel[v], t])]);
  const subject = h("input", { type: "text", placeholder: "например, Математика", maxlength: 200 });
  const indicator = h("input", { type: "text", placeholder: "код, например М-1", maxlength: 32 });
  const list = h("div", {});
  const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const filter = () => {
    const terms: string[] = [];
    if (status.value) terms.push(`status = ${status.value}`);
    if (area.value) terms.push(`area = ${area.value}`);
    if (level.value) terms.push(`level = ${level.value}`);
    if (subject.value.trim()) terms.push(`subject = ${q(subject.value.trim())}`);
    if (indicator.value.trim()) terms.push(`indicator = ${q(indicator.value.trim())}`);
    if (text.value.trim()) terms.push(`text : ${q(text.value.trim())}`);
    return terms.join(" AND ");
  };
  mount(
    main,
    h("h1", {}, "Банк эффективных педагогических практик"),
    h("p", { class: "muted" }, "Практики педагогов региона: опубликованные ЦНППМ после экспертизы доступны всем; поданные — тем, кто их рассматривает."),
    session.principal?.grants.some((g) => g.role === Role.TEACHER) ? h("p", {}, h("a", { href: "#/practices/new", class: "button-like" }, "Описать свою практику")) : null,
    h(
      "form",
      { class: "filters", onsubmit: (ev: Event) => { ev.preventDefault(); void reload(); } },
      field("Поиск", text),
      field("Статус", status),
      field("Область компетенций (дефицит)", area),
      field("Индикатор", indicator),
      field("Предмет", subject),
      field("Уровень", level),
      h("button", { type: "submit" }, "Найти"),
    ),
    list,
  );
  const reload = pagedList(
    list,
    PAGE,
    async (token) => {
      const r = await api.practices.listPractices({ filter: filter(), pageSize: PAGE, pageToken: token, orderBy: status.value === "PUBLISHED" ? "score desc" : "" });
      return { items: r.practices, next: r.nextPageToken, total: r.totalSize };
    },
    (ps: Practice[]) =>
      table(
        ["Практика", "Автор", "Организация", "Области", "Предмет", "Уровень", "Статус", "Оценка"],
        ps.map((p) => [
          h("a", { href: `#/practices/${idOf(p.name)}` }, p.title),
          p.authorName,
          p.organizationTitle,
          p.areas.map((a) => areaTitle[a] ?? "").join(", "),
          p.subject || "—",
          levelTitle.get(p.level) ?? "—",
          statusBadge(p.status),
          p.scorePercent ? `${p.scorePercent} %` : "—",
        ]),
      ),
    "Практик по этим условиям нет.",
  );
  for (const el of [status, area, level]) el.addEventListener("change", () => void reload());
  void reload();
}

/** Opens the author's draft (or returned practice) in the form. */
async function editDraft(main: HTMLElement, id: string) {
  mount(main, loading());
  try {
    practiceForm(main, (await api.practices.getPractice({ name: `practices/${id}` })).practice!);
  } catch (e) {
    mount(main, h("p", {}, h("a", { href: "#/practices" }, "← Банк практик")), errorNotice(e));
  }
}

function practiceForm(main: HTMLElement, existing?: Practice) {
  document.title = existing ? `${existing.title} — изменение — НМС` : "Новая практика — НМС";
  const title = h("input", { type: "text", required: true, maxlength: 300, value: existing?.title ?? "" });
  const description = h("textarea", { rows: 6, required: true, maxlength: 20000 }) as HTMLTextAreaElement;
  description.value = existing?.description ?? "";
  const links = h("textarea", { rows: 2, placeholder: "https://… — по одной ссылке в строке" }) as HTMLTextAreaElement;
  links.value = existing?.links.join("\n") ?? "";
  const boxes = AREAS.map(([v, t]) => [v, ...checkbox(t)] as const);
  for (const [v, , c] of boxes) c.checked = existing?.areas.includes(v) ?? false;
  const indicators = h("input", { type: "text", placeholder: "М-1, П-2", value: existing?.indicatorCodes.join(", ") ?? "" });
  const level = select(LEVELS.map(([v, t]): [string, string] => [String(v), t]), String(existing?.level || PracticeLevel.SCHOOL));
  const subject = h("input", { type: "text", maxlength: 200, value: existing?.subject ?? "" });
  const status = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary" }, "Сохранить черновик");
  mount(
    main,
    h("p", {}, h("a", { href: existing ? `#/practices/${idOf(existing.name)}` : "#/practices" }, existing ? "← К практике" : "← Банк практик")),
    h("h1", {}, existing ? "Изменить практику" : "Новая практика"),
    h(
      "form",
      {
        class: "card form",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          await busy(save, async () => {
            try {
              const fields = {
                title: title.value.trim(),
                description: description.value.trim(),
                links: links.value.split("\n").map((s) => s.trim()).filter(Boolean),
                areas: boxes.filter(([, , c]) => c.checked).map(([v]) => v),
                indicatorCodes: splitList(indicators.value),
                level: Number(level.value),
                subject: subject.value.trim(),
              };
              const r = existing
                ? await api.practices.updatePractice({
                    practice: { ...fields, name: existing.name, version: existing.version },
                    updateMask: { paths: ["title", "description", "links", "areas", "indicator_codes", "level", "subject"] },
                    requestId: requestId(),
                  })
                : await api.practices.createPractice({ practice: { ...fields, author: session.principal?.person ?? "" }, requestId: requestId() });
              go(`#/practices/${idOf(r.practice!.name)}`);
            } catch (e) {
              mount(status, (existing && conflictNotice(e, "Практику", () => void editDraft(main, idOf(existing.name)))) || errorNotice(e));
            }
          });
        },
      },
      field("Название", title),
      field("Описание: суть, как проводится, какие результаты", description),
      field("Материалы (ссылки)", links),
      h("fieldset", { class: "checks" }, h("legend", {}, "Какие дефициты помогает преодолеть (области компетенций)"), boxes.map(([, el]) => el)),
      field("Индикаторы рамки компетенций", indicators, "Коды через запятую"),
      field("Уровень применения", level),
      field("Предмет", subject, "Пусто — для надпредметной практики"),
      status,
      save,
    ),
  );
}

async function practiceCard(main: HTMLElement, id: string) {
  document.title = "Практика — НМС";
  mount(main, loading());
  let p: Practice;
  let rubric: PracticeCriterion[] = [];
  try {
    p = (await api.practices.getPractice({ name: `practices/${id}` })).practice!;
    rubric = (await api.practices.getPracticeRubric({})).criteria;
  } catch (e) {
    mount(main, h("p", {}, h("a", { href: "#/practices" }, "← Банк практик")), errorNotice(e));
    return;
  }
  document.title = `${p.title} — НМС`;
  const me = session.principal?.person ?? "";
  const status = h("div", { "aria-live": "polite" });
  const act = cardActions(main, status, () => practiceCard(main, id), "Практику");
  const actions: HTMLElement[] = [];
  const authorSide = p.status === PracticeStatus.DRAFT || p.status === PracticeStatus.RETURNED;
  if (authorSide && isAuthorSide()) {
    const b: HTMLElement = h("button", { type: "button", class: "primary", onclick: () => void act(b, () => api.practices.submitPractice({ name: p.name, version: p.version, requestId: requestId() }), "Практика подана на экспертизу.") }, "Подать на экспертизу");
    actions.push(b);
    actions.push(h("a", { class: "button", href: `#/practices/${id}/edit` }, "Изменить"));
  }
  const inReview = p.status === PracticeStatus.SUBMITTED || p.status === PracticeStatus.REVIEWED;
  if (inReview && isCentre()) {
    if (p.status === PracticeStatus.REVIEWED) {
      const b: HTMLElement = h("button", { type: "button", class: "primary", onclick: () => void act(b, () => api.practices.publishPractice({ name: p.name, version: p.version, requestId: requestId() }), "Практика опубликована в банке.") }, "Опубликовать");
      actions.push(b);
    } else {
      actions.push(h("button", { type: "button", disabled: true, title: "Сначала нужна экспертиза" }, "Опубликовать (нужна экспертиза)"));
    }
    const r: HTMLElement = h(
      "button",
      {
        type: "button",
        onclick: async () => {
          const v = await askDialog({ title: "Вернуть на доработку", text: `«${p.title}» вернётся автору.`, fields: [{ name: "comment", label: "Что доработать", kind: "textarea", required: true, maxLength: 4000 }], ok: "Вернуть" });
          if (v) await act(r, () => api.practices.returnPractice({ name: p.name, version: p.version, comment: v.comment, requestId: requestId() }), "Практика возвращена автору.");
        },
      },
      "Вернуть на доработку",
    );
    actions.push(r);
  }
  const canReview = inReview && isReviewer() && p.author !== me && !p.reviews.some((r) => r.reviewer === me);
  mount(
    main,
    h("p", {}, h("a", { href: "#/practices" }, "← Банк практик")),
    h("h1", {}, p.title, " ", statusBadge(p.status)),
    p.status === PracticeStatus.RETURNED && p.returnComment ? notice("warn", `Замечания ЦНППМ: ${p.returnComment}`) : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Автор"), h("dd", {}, p.authorName, ", ", p.organizationTitle),
      h("dt", {}, "Области компетенций"), h("dd", {}, p.areas.map((a) => areaTitle[a] ?? "").join(", ")),
      h("dt", {}, "Индикаторы"), h("dd", {}, p.indicatorCodes.join(", ") || "—"),
      h("dt", {}, "Предмет"), h("dd", {}, p.subject || "надпредметная"),
      h("dt", {}, "Уровень"), h("dd", {}, levelTitle.get(p.level) ?? "—"),
      h("dt", {}, p.publishTime ? "Опубликована" : "Изменена"), h("dd", {}, tsText(p.publishTime ?? p.updateTime)),
      p.scorePercent ? [h("dt", {}, "Оценка экспертов"), h("dd", {}, `${p.scorePercent} % от максимума`)] : null,
    ),
    h("h2", {}, "Описание"),
    p.description.split("\n").filter((l) => l.trim()).map((l) => h("p", {}, l)),
    p.links.length ? [h("h2", {}, "Материалы"), h("ul", {}, p.links.map((l) => h("li", {}, h("a", { href: l, target: "_blank", rel: "noopener noreferrer" }, l))))] : null,
    actions.length ? h("div", { class: "row-actions" }, actions) : null,
    status,
    h("h2", {}, "Экспертиза"),
    p.reviews.length
      ? table(
          ["Эксперт", ...rubric.map((c) => c.title), "Итого", "Рекомендация", "Заключение"],
          p.reviews.map((r) => [
            r.reviewerName,
            ...rubric.map((c) => String(r.scores.find((s) => s.criterion === c.code)?.score ?? "—")),
            `${points(r.totalScore)} из ${r.maxTotalScore}`,
            r.recommend ? badge("рекомендует", "ok") : badge("не рекомендует", "warn"),
            r.comment,
          ]),
        )
      : h("p", { class: "muted" }, "Экспертиз пока нет."),
    canReview ? reviewForm(p, rubric, act) : null,
  );
}

function reviewForm(p: Practice, rubric: PracticeCriterion[], act: (b: HTMLElement, f: () => Promise<unknown>, done: string) => Promise<void>): HTMLElement {
  const scores = rubric.map((c) => [c, select(Array.from({ length: c.maxScore + 1 }, (_, i): [string, string] => [String(i), String(i)]), "0")] as const);
  const [recommendBox, recommend] = checkbox("Рекомендую к публикации", true);
  const comment = h("textarea", { rows: 3, required: true, maxlength: 4000 });
  const total = h("output", {}, "");
  const max = rubric.reduce((s, c) => s + c.maxScore, 0);
  const recount = () => mount(total, `Итого: ${points(scores.reduce((s, [, el]) => s + Number(el.value), 0))} из ${max}`);
  for (const [, el] of scores) el.addEventListener("change", recount);
  recount();
  const err = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary" }, "Сохранить экспертизу");
  return h(
    "form",
    {
      class: "card form review-form",
      // The empty conclusion is answered by our own message next to the form, not the browser's.
      novalidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        if (!comment.value.trim()) {
          mount(err, notice("error", "Напишите заключение эксперта."));
          return comment.focus();
        }
        await act(
          save,
          () => api.practices.reviewPractice({ name: p.name, version: p.version, requestId: requestId(), review: { scores: scores.map(([c, el]) => ({ criterion: c.code, score: Number(el.value) })), recommend: recommend.checked, comment: comment.value.trim() } }),
          "Экспертиза сохранена.",
        );
      },
    },
    h("h3", {}, "Ваша экспертиза"),
    scores.map(([c, el]) => field(`${c.title} (0–${c.maxScore})`, el, c.description)),
    h("p", {}, h("strong", {}, total)),
    h("p", {}, recommendBox),
    field("Заключение", comment),
    err,
    save,
  );
}
