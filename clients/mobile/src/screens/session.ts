// Taking a test: one item at a time with the server's deadline as a visible timer, progress,
// every answer saved as given through the durable offline queue, resume where the teacher
// stopped (on this device from the last item viewed, on another from the server's
// current_item_id), a problem report per item, and submit once every answer has reached the server.
import { create } from "@bufbuild/protobuf";
import { api, requestId } from "../api";
import { remember } from "../cache";
import { sessionWithInstrument } from "../data";
import {
  InstrumentBlockKind,
  InstrumentItemKind,
  ItemAnswerSchema,
  ItemProblemCategory,
  SessionSchema,
  SessionState,
  type Instrument,
  type InstrumentBlock,
  type InstrumentItem,
  type ItemAnswer,
  type Session,
} from "../gen/nms/v1/diagnostics_pb";
import { drained, enqueueAnswer, onQueueChange, onSaved, pendingAnswers, dismissRejected, write } from "../queue";
import { outcomeNotice } from "../outbox_ui";
import { expertItems } from "../expert_rules";
import { adaptiveSessionScreen } from "./adaptive_session";
import { action, errorNotice, field, h, idOf, loading, mount, notice, plural, progressBar, select, staleNote, tsMillis } from "../ui";

interface Entry {
  block: InstrumentBlock;
  item: InstrumentItem;
}

const posKey = (name: string) => `nms.m.pos.${name}`;
const submitKey = (name: string) => `nms.m.submit.${name}`;

function answered(a: ItemAnswer | undefined): boolean {
  return !!a && (a.selectedOptionIds.length > 0 || a.text.trim() !== "" || a.likertValue !== undefined);
}

function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return hh ? `${hh}:${two(mm)}:${two(ss)}` : `${two(mm)}:${two(ss)}`;
}

export async function sessionScreen(main: HTMLElement, id?: string): Promise<void> {
  const name = `sessions/${id ?? ""}`;
  mount(main, h("h1", { class: "sr-only" }, "Диагностика"), loading());
  let session: Session;
  let stale = false;
  let savedAt = Date.now();
  let items: Entry[] = [];
  let title = "";
  let expertCount = 0;
  let instrument: Instrument | undefined;
  try {
    const loaded = await sessionWithInstrument(name);
    instrument = loaded.instrument;
    session = loaded.session;
    stale = loaded.stale;
    savedAt = loaded.savedAt;
    const inst = { msg: loaded.instrument };
    title = inst.msg.title;
    expertCount = expertItems(inst.msg.blocks).length;
    items = inst.msg.blocks
      .filter((b) => b.kind !== InstrumentBlockKind.EXTERNALLY_SCORED)
      .flatMap((block) => block.items.filter((item) => item.kind !== InstrumentItemKind.EXTERNAL_SCORE).map((item) => ({ block, item })));
  } catch (e) {
    mount(main, h("h1", {}, "Диагностика"), errorNotice(e, () => void sessionScreen(main, id)), h("p", {}, h("a", { href: "#/tests" }, "К списку диагностик")));
    return;
  }

  // The expert-scored part: handed in on its own screen, during the test or after it.
  const expertLink = () => {
    const handed = session.expertWorks.length;
    return h(
      "div",
      { class: "card expert-link" },
      h("p", {}, `Задания для экспертной оценки: сдано ${handed} из ${expertCount}.`),
      h("a", { class: "button secondary wide", href: `#/expert/${id}` }, handed < expertCount ? "Сдать работы эксперту" : "Посмотреть сданные работы"),
    );
  };

  // An adaptive session: one server-chosen question at a time (its own screen).
  if (session.adaptive && session.state === SessionState.IN_PROGRESS && instrument) {
    return adaptiveSessionScreen(main, name, session, instrument);
  }

  if (session.state !== SessionState.IN_PROGRESS) {
    mount(
      main,
      h("h1", {}, title || "Диагностика"),
      notice("info", session.state === SessionState.TIMED_OUT ? "Время работы истекло; сохранённые ответы оценены." : "Работа отправлена."),
      expertCount ? expertLink() : null,
      session.result ? h("a", { class: "button primary wide", href: `#/result/${idOf(session.result)}` }, "Посмотреть результат") : h("a", { href: "#/tests" }, "К списку диагностик"),
    );
    return;
  }

  // Answers: the server's, overlaid by those still waiting in the queue (given later).
  const answers = new Map<string, ItemAnswer>();
  for (const a of session.answers) answers.set(a.itemId, a);
  for (const p of await pendingAnswers(name)) answers.set(p.itemId, p.answer);

  // The deadline on this phone's clock: the server's deadline shifted by the clock difference
  // measured when the session was read.
  let deadline = 0;
  if (session.deadlineTime) {
    const skew = session.serverTime ? savedAt - tsMillis(session.serverTime) : 0;
    deadline = tsMillis(session.deadlineTime) + skew;
  }

  // Where to continue.
  const indexOf = (itemId: string) => items.findIndex((e) => e.item.itemId === itemId);
  let index = 0;
  const local = localStorage.getItem(posKey(name));
  if (local && indexOf(local) >= 0) index = indexOf(local);
  else if (session.currentItemId && indexOf(session.currentItemId) >= 0) {
    index = indexOf(session.currentItemId);
    if (answered(answers.get(session.currentItemId)) && index < items.length - 1) index++;
  }

  const root = h("section", { class: "session", "aria-labelledby": "test-title" });
  const timerEl = h("div", { class: "timer", role: "timer", "aria-label": "Оставшееся время" });
  const timerAnnounce = h("div", { class: "sr-only", "aria-live": "assertive" });
  const progressEl = h("div", { class: "test-progress" });
  const syncEl = h("div", { class: "sync", role: "status", "aria-live": "polite" });
  const body = h("div", { class: "item-body" });
  const status = h("div", { "aria-live": "polite" });
  mount(
    main,
    root,
  );
  mount(
    root,
    h("div", { class: "test-head" }, h("h1", { id: "test-title", class: "test-title" }, title || "Диагностика"), timerEl, progressEl, syncEl),
    timerAnnounce,
    stale ? staleNote(savedAt) : null,
    body,
    status,
  );

  let timeUp = false;
  const answeredCount = () => items.filter((e) => answered(answers.get(e.item.itemId))).length;
  const renderProgress = () => {
    const n = answeredCount();
    const where = index < items.length ? `Задание ${index + 1} из ${items.length}` : "Проверка и отправка";
    mount(progressEl, h("div", { class: "progress-text" }, h("span", {}, where), h("span", {}, `отвечено ${n} из ${items.length}`)), progressBar(n, items.length, `Отвечено ${n} из ${items.length}`));
  };

  // Timer.
  let warned5 = false, warned1 = false;
  const tick = () => {
    if (!root.isConnected) {
      clearInterval(timer);
      return;
    }
    if (!deadline) {
      mount(timerEl, h("span", {}, "Без ограничения времени"));
      return;
    }
    const left = deadline - Date.now();
    timerEl.classList.toggle("warn", left <= 5 * 60000);
    mount(timerEl, h("span", { class: "timer-label" }, "Осталось"), h("strong", {}, clock(left)));
    if (left <= 5 * 60000 && !warned5 && left > 60000) {
      warned5 = true;
      timerAnnounce.textContent = "Осталось меньше пяти минут";
    }
    if (left <= 60000 && !warned1 && left > 0) {
      warned1 = true;
      timerAnnounce.textContent = "Осталась одна минута";
    }
    if (left <= 0 && !timeUp) {
      timeUp = true;
      timerAnnounce.textContent = "Время вышло";
      showTimeUp();
    }
  };
  const timer = setInterval(tick, 1000);

  // Sync state of the answers.
  const unsubscribeQueue = onQueueChange((q) => {
    if (!root.isConnected) return unsubscribeQueue();
    const mine = q.rejected.filter((r) => r.session === name);
    const offline = !navigator.onLine || q.waitingForNetwork;
    let line: HTMLElement;
    if (q.answers && offline) line = h("span", { class: "sync-offline" }, `Нет сети: ${plural(q.answers, "ответ сохранён", "ответа сохранены", "ответов сохранены")} на телефоне и будут отправлены автоматически`);
    else if (q.answers) line = h("span", { class: "sync-sending" }, `Отправка ответов… осталось ${q.answers}`);
    else if (offline) line = h("span", { class: "sync-offline" }, "Нет сети: новые ответы сохранятся на телефоне");
    else line = h("span", { class: "sync-ok" }, "Все ответы сохранены на сервере");
    mount(
      syncEl,
      line,
      mine.length
        ? h(
            "div",
            { class: "notice notice-error", role: "alert" },
            h("p", {}, `Сервер не принял ${plural(mine.length, "ответ", "ответа", "ответов")}: ${mine.map((r) => r.message).join("; ")}`),
            h("button", { class: "secondary", onclick: () => dismissRejected() }, "Понятно"),
          )
        : null,
    );
  });
  const unsubscribeSaved = onSaved((s, r) => {
    if (!root.isConnected) return unsubscribeSaved();
    if (s !== name) return;
    if (r.remainingSeconds > 0) deadline = Date.now() + r.remainingSeconds * 1000;
    // Keeps the phone's copy of the session current, so an offline restart shows every answer.
    if (r.answer) {
      const i = session.answers.findIndex((a) => a.itemId === r.answer!.itemId);
      if (i >= 0) session.answers[i] = r.answer;
      else session.answers.push(r.answer);
      session.currentItemId = r.answer.itemId;
    }
    session.version = r.version;
    if (r.serverTime) session.serverTime = r.serverTime;
    session.remainingSeconds = r.remainingSeconds;
    void remember(SessionSchema, `session:${name}`, session);
  });

  const save = async (answer: ItemAnswer) => {
    if (timeUp) return;
    answers.set(answer.itemId, answer);
    renderProgress();
    try {
      await enqueueAnswer(name, answer);
    } catch (e) {
      mount(status, notice("error", `Ответ не удалось сохранить даже на телефоне: ${String(e)}`));
    }
  };

  const showTimeUp = () => {
    for (const el of body.querySelectorAll<HTMLInputElement | HTMLButtonElement>("input, textarea, button.submit")) el.disabled = true;
    mount(
      status,
      notice("warn", "Время вышло. Ответы, сохранённые до этого момента, будут оценены автоматически."),
      h("a", { class: "button secondary wide", href: "#/tests" }, "К списку диагностик"),
    );
  };

  const go = (i: number) => {
    index = Math.max(0, Math.min(items.length, i));
    if (index < items.length) localStorage.setItem(posKey(name), items[index].item.itemId);
    renderProgress();
    renderBody();
    body.querySelector<HTMLElement>("h2")?.focus({ preventScroll: false });
  };

  const navButtons = () =>
    h(
      "div",
      { class: "nav-buttons" },
      h("button", { class: "secondary", onclick: () => go(index - 1), disabled: index === 0 }, "Назад"),
      h("button", { class: "primary", onclick: () => go(index + 1) }, index === items.length - 1 ? "К отправке" : "Далее"),
    );

  const jumpGrid = () =>
    h(
      "details",
      { class: "jump" },
      h("summary", {}, "Все задания"),
      h(
        "ol",
        { class: "jump-grid" },
        items.map((e, i) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                class: `jump-btn${answered(answers.get(e.item.itemId)) ? " done" : ""}${i === index ? " current" : ""}`,
                "aria-label": `Задание ${i + 1}${answered(answers.get(e.item.itemId)) ? ", есть ответ" : ", без ответа"}`,
                "aria-current": i === index ? "step" : null,
                onclick: () => go(i),
              },
              String(i + 1),
            ),
          ),
        ),
      ),
    );

  const renderItem = (e: Entry) => {
    const { item } = e;
    const current = answers.get(item.itemId);
    const group = `q-${item.itemId}`;
    let control: HTMLElement;
    switch (item.kind) {
      case InstrumentItemKind.MULTIPLE_CHOICE: {
        const chosen = new Set(current?.selectedOptionIds ?? []);
        control = h(
          "div",
          { class: "options" },
          item.options.map((o) => {
            const input = h("input", { type: "checkbox", name: group, value: o.optionId, checked: chosen.has(o.optionId) });
            input.addEventListener("change", () => {
              const ids = [...body.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(group)}"]:checked`)].map((x) => x.value);
              void save(create(ItemAnswerSchema, { itemId: item.itemId, selectedOptionIds: ids }));
            });
            return h("label", { class: "option" }, input, h("span", {}, o.text));
          }),
        );
        break;
      }
      case InstrumentItemKind.SHORT_ANSWER: {
        const input = h("textarea", { rows: 3, name: group, "aria-labelledby": `${group}-text`, autocomplete: "off" });
        input.value = current?.text ?? "";
        let last = input.value;
        let debounce: ReturnType<typeof setTimeout> | undefined;
        const commit = () => {
          clearTimeout(debounce);
          if (input.value === last) return;
          last = input.value;
          void save(create(ItemAnswerSchema, { itemId: item.itemId, text: input.value }));
        };
        input.addEventListener("input", () => {
          clearTimeout(debounce);
          debounce = setTimeout(commit, 800);
        });
        input.addEventListener("change", commit);
        input.addEventListener("blur", commit);
        control = h("div", { class: "short" }, input, h("small", { class: "hint" }, "Ответ сохраняется по мере ввода."));
        break;
      }
      case InstrumentItemKind.LIKERT: {
        const min = item.likert?.minValue ?? 1, max = item.likert?.maxValue ?? 5;
        const labels = item.likert?.labels ?? [];
        const values = Array.from({ length: Math.max(0, max - min + 1) }, (_, i) => min + i);
        control = h(
          "div",
          { class: "options likert" },
          values.map((v, i) => {
            const input = h("input", { type: "radio", name: group, value: String(v), checked: current?.likertValue === v });
            input.addEventListener("change", () => void save(create(ItemAnswerSchema, { itemId: item.itemId, likertValue: v })));
            return h("label", { class: "option" }, input, h("span", {}, labels[i] ? `${v} — ${labels[i]}` : String(v)));
          }),
        );
        break;
      }
      default: {
        const chosen = current?.selectedOptionIds[0];
        control = h(
          "div",
          { class: "options" },
          item.options.map((o) => {
            const input = h("input", { type: "radio", name: group, value: o.optionId, checked: o.optionId === chosen });
            input.addEventListener("change", () => void save(create(ItemAnswerSchema, { itemId: item.itemId, selectedOptionIds: [o.optionId] })));
            return h("label", { class: "option" }, input, h("span", {}, o.text));
          }),
        );
      }
    }
    const legendText = item.kind === InstrumentItemKind.MULTIPLE_CHOICE ? "Выберите все подходящие ответы" : item.kind === InstrumentItemKind.SHORT_ANSWER ? "Введите ответ" : "Выберите один ответ";
    return h(
      "article",
      { class: "card item", "data-item": item.itemId },
      e.block.title ? h("p", { class: "block-title" }, e.block.title) : null,
      h("h2", { id: `${group}-text`, tabindex: "-1" }, item.text, item.required ? h("span", { class: "req", title: "обязательное задание" }, " *") : null),
      item.kind === InstrumentItemKind.SHORT_ANSWER ? control : h("fieldset", {}, h("legend", { class: "hint" }, legendText), control),
      problemReport(item),
    );
  };

  const problemReport = (item: InstrumentItem) => {
    const category = select(
      [
        [String(ItemProblemCategory.AMBIGUOUS), "Неоднозначная формулировка"],
        [String(ItemProblemCategory.TYPO), "Опечатка"],
        [String(ItemProblemCategory.WRONG_ANSWER_KEY), "Кажется, нет верного ответа"],
        [String(ItemProblemCategory.TECHNICAL), "Не отображается / техническая ошибка"],
        [String(ItemProblemCategory.OTHER), "Другое"],
      ],
      String(ItemProblemCategory.AMBIGUOUS),
    );
    const text = h("textarea", { rows: 2, maxlength: 2000 });
    const out = h("div", { "aria-live": "polite" });
    const send = h("button", { class: "secondary" }, "Отправить сообщение");
    action(send, out, async () => {
      const r = await write({
        service: "diagnostics",
        method: "reportItemProblem",
        request: { session: name, itemId: item.itemId, category: Number(category.value), text: text.value },
        target: name,
        label: `Сообщение об ошибке в задании ${items.findIndex((e) => e.item.itemId === item.itemId) + 1}`,
        subject: title,
      });
      if (r.status === "sent" || r.status === "queued") text.value = "";
      mount(out, r.status === "sent" ? notice("success", "Спасибо! Сообщение передано составителям.") : outcomeNotice(r));
    });
    return h("details", { class: "report" }, h("summary", {}, "Сообщить об ошибке в задании"), field("Что не так", category), field("Комментарий", text), send, out);
  };

  const renderReview = () => {
    const missing = items.map((e, i) => ({ e, i })).filter(({ e }) => !answered(answers.get(e.item.itemId)));
    const missingRequired = missing.filter(({ e }) => e.item.required);
    const submit = h("button", { class: "primary wide submit" }, "Отправить работу");
    const out = h("div", { "aria-live": "polite" });
    action(submit, out, async () => {
      if (!navigator.onLine) {
        mount(out, notice("warn", "Нет сети. Ответы сохранены на телефоне; отправить работу можно, когда появится подключение."));
        return;
      }
      mount(out, h("p", { class: "loading", role: "status" }, "Отправляем ответы…"));
      if (!(await drained(name))) {
        mount(out, notice("warn", "Не все ответы дошли до сервера: нет связи. Мы отправим их автоматически; попробуйте ещё раз чуть позже."));
        return;
      }
      let key = localStorage.getItem(submitKey(name));
      if (!key) {
        key = requestId();
        localStorage.setItem(submitKey(name), key);
      }
      const r = await api.diagnostics.submitSession({ name, version: 0n, requestId: key });
      const result = r.result?.name || r.session?.result || "";
      localStorage.removeItem(posKey(name));
      if (r.session) await remember(SessionSchema, `session:${name}`, r.session);
      location.hash = result ? `#/result/${idOf(result)}?new=1` : "#/tests";
    });
    return h(
      "article",
      { class: "card review" },
      h("h2", { tabindex: "-1" }, "Проверка и отправка"),
      h("p", {}, `Отвечено ${answeredCount()} из ${items.length}.`),
      missing.length
        ? h(
            "div",
            {},
            h("p", {}, missingRequired.length ? `Без ответа обязательные задания: ${missingRequired.map(({ i }) => i + 1).join(", ")}.` : `Без ответа: ${missing.map(({ i }) => i + 1).join(", ")}.`),
            h("button", { class: "secondary", onclick: () => go(missing[0].i) }, "Перейти к первому без ответа"),
          )
        : h("p", { class: "muted" }, "Все задания с ответами."),
      h("p", { class: "muted" }, "После отправки изменить ответы нельзя. Результат вы увидите сразу."),
      expertCount ? expertLink() : null,
      submit,
      out,
    );
  };

  const renderBody = () => {
    if (!items.length) {
      mount(body, notice("warn", "В этой работе нет заданий для ответа в приложении."));
      return;
    }
    mount(
      body,
      index < items.length ? renderItem(items[index]) : renderReview(),
      index < items.length ? navButtons() : h("div", { class: "nav-buttons" }, h("button", { class: "secondary", onclick: () => go(items.length - 1) }, "Назад")),
      jumpGrid(),
    );
    if (timeUp) showTimeUp();
  };

  renderProgress();
  renderBody();
  tick();
}
