// Scoring a work a teacher handed in for an externally scored item (issue 12 §1, issue 13 §6):
// the teacher's submission (the written answer, the file to download, the link to the lesson
// video), the item's task and criteria with its maximum score, and a score with a comment that is
// recorded through RecordExternalScores against the session's version. Opened from the inbox
// entry «Работы на экспертную оценку» (#/inbox/expert/{session id}/{item id}).
import { Code, ConnectError } from "@connectrpc/connect";
import { api, requestId } from "./api";
import { DiagnosticResultStatus, ExpertWorkKind, type GetExpertWorkResponse } from "./gen/nms/v1/diagnostics_pb";
import { act, downloadLink, errorNotice, field, fmt, h, loading, mount, notice, tsText } from "./ui";

/** "1,5 МБ", "820 КБ". */
function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${fmt(Math.round((bytes / 1024 / 1024) * 10) / 10)} МБ`;
  return `${Math.max(1, Math.round(bytes / 1024))} КБ`;
}

/** A score as typed in Russian ("7", "7,5"), or null when it is not a number in 0..max. */
export function parseScore(text: string, max: number): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) && v >= 0 && v <= max ? v : null;
}

function submission(r: GetExpertWorkResponse): HTMLElement {
  const w = r.work!;
  switch (w.kind) {
    case ExpertWorkKind.TEXT:
      return h("div", { class: "expert-text" }, h("h3", {}, "Письменный ответ"), h("blockquote", { class: "answer-text" }, w.text));
    case ExpertWorkKind.FILE:
      return h(
        "div",
        { class: "expert-file" },
        h("h3", {}, "Файл"),
        w.fileContent.length
          ? downloadLink(w.fileContent, w.fileName, w.contentType, "Скачать")
          : h("p", {}, `${w.fileName} (${sizeText(Number(w.fileSize))})`),
        h("p", { class: "hint" }, `Размер: ${sizeText(Number(w.fileSize))}.`),
      );
    case ExpertWorkKind.LINK:
      return h(
        "div",
        { class: "expert-link" },
        h("h3", {}, "Ссылка на видеозапись урока"),
        h("p", {}, h("a", { href: w.linkUrl, target: "_blank", rel: "noopener noreferrer" }, w.linkUrl)),
      );
  }
  return h("p", {}, "—");
}

export async function expertScoringScreen(main: HTMLElement, sessionId: string, itemId: string): Promise<void> {
  const session = `sessions/${sessionId}`;
  const title = "Экспертная оценка";
  document.title = `${title} — НМС`;
  mount(main, h("h1", {}, title), loading());
  let r: GetExpertWorkResponse;
  try {
    r = await api.diagnostics.getExpertWork({ session, itemId, includeFile: true });
  } catch (e) {
    const missing = ConnectError.from(e).code === Code.NotFound;
    mount(main, h("p", { class: "crumbs" }, h("a", { href: "#/inbox/expert" }, "← Работы на экспертную оценку")), h("h1", {}, title), missing ? notice("info", "Работа по этому заданию ещё не сдана.") : errorNotice(e));
    return;
  }
  const w = r.work!;
  const max = r.maxScore;
  const score = h("input", { type: "text", inputmode: "decimal", required: true, autocomplete: "off", value: w.scored ? fmt(w.score) : "", size: 6 });
  const comment = h("textarea", { rows: 4, maxlength: 2000 });
  comment.value = w.scoreComment;
  const out = h("div", { "aria-live": "polite" });
  const save = h("button", { type: "submit", class: "primary" }, "Сохранить оценку");
  const final = r.resultStatus === DiagnosticResultStatus.FINAL;
  const ended = !!r.result;
  const form = h(
    "form",
    {
      class: "expert-form",
      "aria-label": "Оценка эксперта",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void act(save, out, async () => {
          const v = parseScore(score.value, max);
          if (v === null) {
            mount(out, notice("error", `Оценка — число от 0 до ${fmt(max)} (дробную часть можно через запятую).`));
            score.focus();
            return;
          }
          const done = await api.diagnostics.recordExternalScores({
            session,
            version: r.sessionVersion,
            scores: [{ itemId, score: v, comment: comment.value.trim() }],
            requestId: requestId(),
          });
          const isFinal = done.result?.status === DiagnosticResultStatus.FINAL;
          mount(
            main,
            h("p", { class: "crumbs" }, h("a", { href: "#/inbox/expert" }, "← Работы на экспертную оценку")),
            h("h1", {}, title),
            notice(
              "success",
              `Оценка ${fmt(v)} из ${fmt(max)} сохранена: ${r.personName}. ${isFinal ? "Результат диагностики стал окончательным" : "Результат остаётся предварительным, пока не оценены остальные работы"}; педагог получил уведомление.`,
            ),
            h("p", {}, h("a", { class: "button-like", href: "#/inbox/expert" }, "К следующей работе")),
          );
        });
      },
    },
    field(`Балл (от 0 до ${fmt(max)})`, score, "Поставьте балл по критериям задания; дробную часть можно через запятую."),
    field("Комментарий для педагога", comment, "Необязательно: что удалось и что стоит улучшить."),
    h("div", { class: "row-actions" }, save),
    out,
  );
  mount(
    main,
    h("p", { class: "crumbs" }, h("a", { href: "#/inbox/expert" }, "← Работы на экспертную оценку")),
    h("h1", {}, title),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Педагог"),
      h("dd", {}, r.person ? h("a", { href: `#/people/${r.person.split("/")[1]}` }, r.personName) : r.personName),
      h("dt", {}, "Организация"),
      h("dd", {}, r.organizationTitle || "—"),
      h("dt", {}, "Диагностика"),
      h("dd", {}, r.campaignTitle),
      h("dt", {}, "Сдано"),
      h("dd", {}, tsText(w.submitTime)),
    ),
    h(
      "section",
      { class: "card expert-task", "aria-labelledby": "task-h" },
      h("h2", { id: "task-h" }, r.blockTitle || "Задание"),
      r.blockInstructions ? h("p", {}, r.blockInstructions) : null,
      r.itemText ? h("p", { class: "rubric" }, r.itemText) : null,
      h("p", {}, h("strong", {}, `Максимальный балл: ${fmt(max)}`)),
    ),
    h("section", { class: "card expert-work", "aria-label": "Работа педагога" }, submission(r)),
    w.scored ? notice("info", `Уже оценено: ${fmt(w.score)} из ${fmt(max)}.`) : null,
    final
      ? notice("info", "Результат диагностики уже окончательный и не меняется; при ошибке назначьте педагогу пересдачу.")
      : ended
        ? form
        : notice("info", "Педагог ещё проходит диагностику: оценить работу можно после отправки теста."),
  );
  if (!final && ended) score.focus();
}
