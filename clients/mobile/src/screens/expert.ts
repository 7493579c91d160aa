// The expert-scored part of a test (issue 13 §6): for each externally scored item the teacher
// hands in a written answer to a case, a file (a lesson plan) or a link (a lesson video). Every
// hand-in goes through the durable offline queue with its idempotency key, so it is sent when the
// network returns, also after the app was closed. The server keeps the result preliminary until
// an expert has scored every such item; a scored item is shown with its score and not offered again.
import { remember } from "../cache";
import { sessionWithInstrument } from "../data";
import { ExpertWorkKind, SessionSchema, SessionState, type ExpertWork, type Session, type SubmitExpertWorkResponse } from "../gen/nms/v1/diagnostics_pb";
import { onWriteSent, write } from "../queue";
import { outcomeNotice, waitingMark } from "../outbox_ui";
import { action, errorNotice, field, fmt, h, idOf, loading, mount, notice, staleNote, tsText } from "../ui";
import { ACCEPT, MAX_FILE_BYTES, expertItems, fileType, sizeText, workText, type ExpertEntry } from "../expert_rules";

const targetOf = (session: string, itemId: string) => `${session}/expertWorks/${itemId}`;

export async function expertScreen(main: HTMLElement, id?: string): Promise<void> {
  const name = `sessions/${id ?? ""}`;
  mount(main, h("h1", {}, "Работы на экспертную оценку"), loading());
  let session: Session;
  let entries: ExpertEntry[] = [];
  let title = "";
  let stale = false, savedAt = 0;
  try {
    const loaded = await sessionWithInstrument(name);
    session = loaded.session;
    stale = loaded.stale;
    savedAt = loaded.savedAt;
    const inst = { msg: loaded.instrument };
    title = inst.msg.title;
    entries = expertItems(inst.msg.blocks);
  } catch (e) {
    mount(main, h("h1", {}, "Работы на экспертную оценку"), errorNotice(e, () => void expertScreen(main, id)));
    return;
  }
  const works = new Map<string, ExpertWork>(session.expertWorks.map((w) => [w.itemId, w]));
  const inProgress = session.state === SessionState.IN_PROGRESS;
  const list = h("div", { class: "expert-list" });
  const summary = h("p", { class: "muted" });
  const back = session.result
    ? h("a", { class: "button secondary wide", href: `#/result/${idOf(session.result)}` }, "К результату")
    : h("a", { class: "button secondary wide", href: `#/test/${id}` }, "Вернуться к тесту");
  mount(
    main,
    h("h1", {}, "Работы на экспертную оценку"),
    stale ? staleNote(savedAt) : null,
    h("p", {}, title),
    summary,
    list,
    back,
  );
  const renderSummary = () => {
    const done = entries.filter((e) => works.has(e.item.itemId)).length;
    const scored = entries.filter((e) => works.get(e.item.itemId)?.scored).length;
    summary.textContent = `Сдано ${done} из ${entries.length}${scored ? `, оценено экспертом ${scored}` : ""}. Эксперт оценит работы после отправки теста; до этого результат предварительный.`;
  };
  const render = () => {
    renderSummary();
    mount(list, entries.length ? entries.map((e, i) => card(e, i)) : notice("info", "В этой диагностике нет заданий для экспертной оценки."));
  };

  const card = (e: ExpertEntry, index: number): HTMLElement => {
    const { item, block } = e;
    const w = works.get(item.itemId);
    const el = h("article", { class: "card expert-item", "data-item": item.itemId });
    const head = [
      block.title ? h("p", { class: "block-title" }, block.title) : null,
      h("h2", { tabindex: "-1" }, `Задание для эксперта ${index + 1}`),
      block.instructions ? h("p", { class: "muted" }, block.instructions) : null,
      item.text ? h("p", { class: "item-text" }, item.text) : null,
      h("p", { class: "small" }, `Максимальный балл: ${fmt(item.maxScore)}`),
    ];
    if (w?.scored) {
      mount(
        el,
        ...head,
        notice("success", `Оценено экспертом: ${fmt(w.score)} из ${fmt(item.maxScore)}.`, w.scoreComment ? h("p", {}, `Комментарий эксперта: «${w.scoreComment}»`) : null),
        h("p", { class: "muted" }, `Сдано: ${workText(w)}`),
      );
      return el;
    }
    const out = h("div", { "aria-live": "polite" });
    const handedIn = w
      ? h("div", { class: "notice notice-info handed-in", role: "status" }, h("p", {}, h("strong", {}, "Сдано: "), workText(w)), h("p", { class: "muted" }, `${tsText(w.submitTime)} · ${inProgress ? "эксперт оценит работу после отправки теста" : "ждёт оценки эксперта"}. Можно заменить, пока эксперт не оценил.`))
      : null;
    const group = `kind-${item.itemId}`;
    const kindRadio = (kind: ExpertWorkKind, label: string) => {
      const input = h("input", { type: "radio", name: group, value: String(kind), checked: kind === (w?.kind || ExpertWorkKind.TEXT) });
      input.addEventListener("change", () => showKind());
      return h("label", { class: "option" }, input, h("span", {}, label));
    };
    const kinds = h(
      "fieldset",
      { class: "options kinds" },
      h("legend", { class: "hint" }, "Что вы сдаёте"),
      kindRadio(ExpertWorkKind.TEXT, "Письменный ответ"),
      kindRadio(ExpertWorkKind.FILE, "Файл (план урока)"),
      kindRadio(ExpertWorkKind.LINK, "Ссылка на видеозапись"),
    );
    const text = h("textarea", { rows: 6, maxlength: 20000 });
    if (w?.kind === ExpertWorkKind.TEXT) text.value = w.text;
    // The native control's own words follow the phone's language; ours are always Russian.
    const file = h("input", { type: "file", accept: ACCEPT, class: "file-native" });
    const fileName = h("span", { class: "file-name muted" }, "Файл не выбран");
    file.addEventListener("change", () => {
      const f = file.files?.[0];
      fileName.textContent = f ? `${f.name}, ${sizeText(f.size)}` : "Файл не выбран";
    });
    const link = h("input", { type: "url", inputmode: "url", placeholder: "https://", autocomplete: "off" });
    if (w?.kind === ExpertWorkKind.LINK) link.value = w.linkUrl;
    const textField = field("Ваш ответ", text, "До 20 000 знаков.");
    const fileField = field("Файл", file, "PDF, DOC, DOCX, ODT, RTF, TXT, JPG или PNG, не больше 5 МБ.");
    fileField.insertBefore(h("div", { class: "file-pick" }, h("label", { for: file.id, class: "button secondary" }, "Выбрать файл…"), fileName), file.nextSibling);
    const linkField = field("Ссылка на видеозапись урока", link, "Адрес, начинающийся с http:// или https://, доступный эксперту.");
    const chosen = () => Number(el.querySelector<HTMLInputElement>(`input[name="${CSS.escape(group)}"]:checked`)?.value ?? ExpertWorkKind.TEXT) as ExpertWorkKind;
    const showKind = () => {
      const k = chosen();
      textField.hidden = k !== ExpertWorkKind.TEXT;
      fileField.hidden = k !== ExpertWorkKind.FILE;
      linkField.hidden = k !== ExpertWorkKind.LINK;
    };
    const send = h("button", { class: "primary wide" }, w ? "Заменить работу" : "Сдать работу");
    action(send, out, async () => {
      const k = chosen();
      const work: Record<string, unknown> = { itemId: item.itemId, kind: k };
      if (k === ExpertWorkKind.TEXT) {
        if (!text.value.trim()) return void mount(out, notice("error", "Напишите ответ."));
        work.text = text.value;
      } else if (k === ExpertWorkKind.FILE) {
        const f = file.files?.[0];
        if (!f) return void mount(out, notice("error", "Выберите файл."));
        const type = fileType(f.name);
        if (!type) return void mount(out, notice("error", "Такой файл не принимается: подойдут PDF, DOC, DOCX, ODT, RTF, TXT, JPG или PNG."));
        if (f.size > MAX_FILE_BYTES) return void mount(out, notice("error", `Файл ${sizeText(f.size)} — больше 5 МБ. Уменьшите его или пришлите ссылку.`));
        if (f.size === 0) return void mount(out, notice("error", "Файл пустой — выберите файл ещё раз."));
        work.fileName = f.name;
        work.contentType = type;
        work.fileContent = new Uint8Array(await f.arrayBuffer());
      } else {
        const url = link.value.trim();
        if (!/^https?:\/\/[^\s/?#@]+/i.test(url) || /\s/.test(url)) return void mount(out, notice("error", "Нужна ссылка, начинающаяся с http:// или https://."));
        work.linkUrl = url;
      }
      // Version 0: the server's last-write-wins for offline queues; a scored item is refused.
      const r = await write({
        service: "diagnostics",
        method: "submitExpertWork",
        request: { session: name, work, version: 0n },
        target: targetOf(name, item.itemId),
        label: "Работа на экспертную оценку",
        subject: `${title}, задание для эксперта ${index + 1}`,
      });
      if (r.status === "sent") {
        const stored = (r.response as SubmitExpertWorkResponse).work;
        if (stored) {
          works.set(item.itemId, stored);
          session.expertWorks = [...works.values()];
          await remember(SessionSchema, `session:${name}`, session);
        }
        render();
        list.querySelector(`[data-item="${CSS.escape(item.itemId)}"] .handed-in`)?.scrollIntoView({ block: "center" });
        return;
      }
      mount(out, outcomeNotice(r), r.status === "queued" ? waitingMark(r.seq, targetOf(name, item.itemId), "submitExpertWork") : null);
    });
    mount(el, ...head, handedIn, kinds, textField, fileField, linkField, send, out);
    showKind();
    return el;
  };

  render();
  // A hand-in queued offline shows as handed in once it reaches the server.
  const unsub = onWriteSent((e, response) => {
    if (!list.isConnected) return unsub();
    const stored = (response as SubmitExpertWorkResponse).work;
    if (e.method !== "submitExpertWork" || !stored || stored.session !== name) return;
    works.set(stored.itemId, stored);
    session.expertWorks = [...works.values()];
    void remember(SessionSchema, `session:${name}`, session);
    render();
  });
}
