// An adaptive test (the campaign's adaptive mode): the server chooses every next question from the
// teacher's answers so far, so the teacher sees one question at a time and answers it once. The
// answer goes through the durable offline queue like any other; the next question needs the
// server, so without a connection the screen says so and continues by itself when the answer gets
// through (or on «Проверить связь»). A resumed session, on any device, shows the server's pending
// question (Session.next_item_id).
import { create } from "@bufbuild/protobuf";
import { api } from "../api";
import { remember } from "../cache";
import { InstrumentItemKind, ItemAnswerSchema, SessionSchema, SessionState, type Instrument, type InstrumentBlock, type InstrumentItem, type ItemAnswer, type Session } from "../gen/nms/v1/diagnostics_pb";
import { drained, enqueueAnswer, onQueueChange, onSaved, pendingAnswers } from "../queue";
import { errorNotice, h, idOf, mount, notice, plural } from "../ui";

interface Entry {
  block: InstrumentBlock;
  item: InstrumentItem;
}

export async function adaptiveSessionScreen(main: HTMLElement, name: string, session: Session, instrument: Instrument): Promise<void> {
  const byId = new Map<string, Entry>();
  for (const block of instrument.blocks) for (const item of block.items) byId.set(item.itemId, { block, item });
  let current = session.nextItemId;
  let answered = session.answers.length;
  let waiting = (await pendingAnswers(name)).length > 0;

  const root = h("section", { class: "session adaptive", "aria-labelledby": "test-title" });
  const progressEl = h("div", { class: "test-progress" });
  const body = h("div", { class: "item-body" });
  const status = h("div", { "aria-live": "polite" });
  mount(
    main,
    root,
  );
  mount(
    root,
    h("div", { class: "test-head" }, h("h1", { id: "test-title", class: "test-title" }, instrument.title || "Диагностика"), progressEl),
    h("p", { class: "hint" }, "Адаптивная диагностика: каждый следующий вопрос подбирается по вашим ответам, поэтому вопросов меньше, чем в обычной работе. Вернуться к вопросу нельзя."),
    body,
    status,
  );

  const finish = (result: string) => {
    void api.diagnostics
      .getSession({ name })
      .then((r) => r.session && remember(SessionSchema, `session:${name}`, r.session))
      .catch(() => undefined);
    location.hash = result ? `#/result/${idOf(result)}?new=1` : "#/tests";
  };

  // Asks the server where the session stands (after an answer got through, or on request).
  const refresh = async () => {
    try {
      const s = (await api.diagnostics.getSession({ name })).session!;
      await remember(SessionSchema, `session:${name}`, s);
      if (s.state !== SessionState.IN_PROGRESS) return finish(s.result);
      current = s.nextItemId;
      answered = s.answers.length;
      waiting = (await pendingAnswers(name)).length > 0;
      render();
    } catch (e) {
      mount(status, errorNotice(e));
    }
  };

  const unsubscribeSaved = onSaved((s, r) => {
    if (!root.isConnected) return unsubscribeSaved();
    if (s !== name) return;
    if (r.result) return finish(r.result);
    current = r.nextItemId;
    answered = r.answeredCount;
    waiting = false;
    render();
  });
  const unsubscribeQueue = onQueueChange((q) => {
    if (!root.isConnected) return unsubscribeQueue();
    if (waiting && (!navigator.onLine || q.waitingForNetwork)) render();
  });

  const offlineNotice = () => {
    const check = h("button", { class: "secondary" }, "Проверить связь");
    check.addEventListener("click", () => {
      check.disabled = true;
      void drained(name).then((sent) => (sent ? refresh() : render()));
    });
    return notice(
      "warn",
      "Ответ сохранён на телефоне. Следующий вопрос подбирается на сервере по вашим ответам — он появится, как только будет подключение к сети.",
      check,
    );
  };

  const control = (item: InstrumentItem, onChange: (a: ItemAnswer | null) => void): HTMLElement => {
    const group = `q-${item.itemId}`;
    if (item.kind === InstrumentItemKind.SHORT_ANSWER) {
      const input = h("textarea", { rows: 3, name: group, "aria-labelledby": `${group}-text`, autocomplete: "off" });
      input.addEventListener("input", () => onChange(input.value.trim() ? create(ItemAnswerSchema, { itemId: item.itemId, text: input.value }) : null));
      return h("div", { class: "short" }, input);
    }
    const multiple = item.kind === InstrumentItemKind.MULTIPLE_CHOICE;
    const options = h(
      "div",
      { class: "options" },
      item.options.map((o) => {
        const input = h("input", { type: multiple ? "checkbox" : "radio", name: group, value: o.optionId });
        input.addEventListener("change", () => {
          const ids = [...options.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(group)}"]:checked`)].map((x) => x.value);
          onChange(ids.length ? create(ItemAnswerSchema, { itemId: item.itemId, selectedOptionIds: ids }) : null);
        });
        return h("label", { class: "option" }, input, h("span", {}, o.text));
      }),
    );
    return h("fieldset", {}, h("legend", { class: "hint" }, multiple ? "Выберите все подходящие ответы" : "Выберите один ответ"), options);
  };

  const render = () => {
    mount(progressEl, h("div", { class: "progress-text" }, h("span", {}, waiting ? `Отвечено вопросов: ${answered + 1}` : `Вопрос ${answered + 1}`)));
    mount(status);
    if (waiting) {
      mount(body, navigator.onLine ? h("p", { class: "loading", role: "status" }, "Подбираем следующий вопрос…") : offlineNotice());
      return;
    }
    const entry = byId.get(current);
    if (!entry) {
      mount(body, notice("info", current ? "Вопрос не найден в загруженной работе." : "Вопросы закончились."), h("button", { class: "primary wide", onclick: () => void refresh() }, "Обновить"));
      return;
    }
    let answer: ItemAnswer | null = null;
    const submit = h("button", { class: "primary wide submit", disabled: true }, "Ответить");
    submit.addEventListener("click", () => {
      if (!answer) return;
      const given = answer;
      waiting = true;
      render();
      enqueueAnswer(name, given).catch((e) => mount(status, notice("error", `Ответ не удалось сохранить даже на телефоне: ${String(e)}`)));
    });
    const { item } = entry;
    mount(
      body,
      h(
        "article",
        { class: "card item", "data-item": item.itemId },
        entry.block.title ? h("p", { class: "block-title" }, entry.block.title) : null,
        h("h2", { id: `q-${item.itemId}-text`, tabindex: "-1" }, item.text),
        control(item, (a) => {
          answer = a;
          submit.disabled = !a;
        }),
      ),
      submit,
      h("p", { class: "muted" }, `${answered ? `${plural(answered, "вопрос уже отвечен", "вопроса уже отвечены", "вопросов уже отвечены")}. ` : ""}Ответ нельзя изменить после отправки.`),
    );
    body.querySelector<HTMLElement>("h2")?.focus({ preventScroll: false });
  };

  render();
  // A queued answer from before a restart: send it and continue from the server's answer.
  if (waiting && navigator.onLine) void drained(name).then((sent) => (sent ? refresh() : render()));
}
