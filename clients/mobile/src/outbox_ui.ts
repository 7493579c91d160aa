// What the teacher sees of the offline queue: one sync bar under the header (network state and
// the count of unsent changes, never two contradicting notices), "waiting to be sent" marks on the
// screens, the outcome of a write at the form that made it, and the changes screen (#/outbox) where
// a stale-version conflict is shown side by side (theirs vs mine) and a refusal until dismissed.
import { isNetworkError } from "./api";
import { conflictRows, entryTitle, pendingText, syncLine, type WriteEntry } from "./outbox";
import { dropWrite, flush, onQueueChange, resolveKeepMine, theirs, type QueueState, type WriteResult } from "./queue";
import { errorNotice, errorText, h, loading, mount, notice } from "./ui";

/** The bar under the header; lives as long as the shell. */
export function syncBar(): HTMLElement {
  const bar = h("div", { class: "syncbar", role: "status", "aria-live": "polite", hidden: true });
  let q = { pending: 0, problems: 0, sending: false };
  const paint = () => {
    const online = navigator.onLine;
    document.body.classList.toggle("offline", !online);
    const line = syncLine({ online, ...q });
    bar.hidden = !line.text;
    bar.className = `syncbar sync-${line.kind}`;
    mount(bar, line.text ? (q.pending || q.problems ? h("a", { href: "#/outbox" }, line.text) : h("span", {}, line.text)) : "");
  };
  onQueueChange((s) => {
    q = { pending: s.pending, problems: s.problems.length, sending: s.sending };
    paint();
  });
  window.addEventListener("online", paint);
  window.addEventListener("offline", paint);
  paint();
  return bar;
}

/** Marks of the writes to `target` still on the phone (and those waiting for a decision). */
export function pendingMarks(target: string): HTMLElement {
  const box = h("div", { class: "pending-marks", "aria-live": "polite" });
  const unsub = onQueueChange((s) => {
    if (box.isConnected) box.dataset.seen = "1";
    else if (box.dataset.seen) return unsub(); // the screen was left
    const mine = s.writes.filter((w) => w.target === target);
    const stuck = s.problems.filter((w) => w.target === target);
    mount(
      box,
      mine.length
        ? h("div", { class: "notice notice-info pending" }, h("p", {}, h("strong", {}, "Ждёт отправки: "), mine.map((w) => w.label).join("; ")), h("p", { class: "muted" }, "Сохранено на телефоне и уйдёт на сервер само, когда будет связь."))
        : null,
      stuck.map((w) =>
        h(
          "div",
          { class: "notice notice-warn", role: "alert" },
          h("p", {}, w.state === "conflict" ? `${w.label}: пока изменение ждало отправки, данные изменили на сервере.` : `${w.label}: сервер не принял изменение — ${w.message ?? ""}`),
          h("a", { class: "button secondary", href: "#/outbox" }, w.state === "conflict" ? "Сравнить версии" : "Посмотреть"),
        ),
      ),
    );
  });
  return box;
}

/**
 * The state of one queued write for a row shown before the server has it: by its seq, or (a row
 * restored from the phone's copy after a restart) by any waiting write of that method and target.
 */
export function waitingMark(seq: number | undefined, target: string, method: string): HTMLElement {
  const el = h("p", { class: "muted waiting-mark", role: "status" });
  const unsub = onQueueChange((s) => {
    if (el.isConnected) el.dataset.seen = "1";
    else if (el.dataset.seen) return unsub();
    const mine = (w: { seq?: number; target: string; method: string }) => (seq !== undefined ? w.seq === seq : w.target === target && w.method === method);
    const stuck = s.problems.find(mine);
    el.textContent = s.writes.some(mine) ? "Ждёт отправки на сервер." : stuck ? "Не принято сервером — см. «Неотправленные изменения»." : "Отправлено.";
  });
  return el;
}

/** The outcome of a write at its form, for anything but "sent" (the screen shows the new state). */
export function outcomeNotice(r: WriteResult): HTMLElement | null {
  switch (r.status) {
    case "sent":
      return null;
    case "queued":
      return notice("info", "Нет связи: изменение сохранено на телефоне и будет отправлено автоматически.");
    case "conflict":
      return notice("warn", "Пока вы работали, эти данные изменили на сервере. Сравните версии и выберите, какую оставить.", h("a", { class: "button secondary", href: "#/outbox" }, "Сравнить версии"));
    case "refused":
      return errorNotice(r.error);
  }
}

function conflictCard(e: WriteEntry): HTMLElement {
  const card = h("li", { class: "card conflict", "data-seq": e.seq });
  const body = h("div", {}, loading("Загружаем версию с сервера…"));
  const out = h("div", { "aria-live": "polite" });
  mount(card, h("h2", {}, entryTitle(e)), notice("warn", "Пока изменение ждало отправки, эти данные изменили на сервере. Выберите, какую версию оставить."), body, out);
  void theirs(e)
    .then((current) => {
      const rows = conflictRows(e, current ?? {});
      const keep = h("button", { class: "primary wide" }, "Оставить мою версию");
      const take = h("button", { class: "secondary wide" }, "Принять версию сервера");
      keep.addEventListener("click", async () => {
        keep.disabled = take.disabled = true;
        try {
          await resolveKeepMine(e.seq!, current ?? {});
        } catch (err) {
          mount(out, errorNotice(err));
          keep.disabled = take.disabled = false;
        }
      });
      take.addEventListener("click", async () => {
        keep.disabled = take.disabled = true;
        await dropWrite(e.seq!);
      });
      mount(
        body,
        h(
          "table",
          { class: "versions" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "На сервере"), h("th", { scope: "col" }, "Моя версия"))),
          // Two columns fit a phone: each field's name on its own row above the pair of values.
          rows.map((r) => h("tbody", {}, h("tr", {}, h("th", { scope: "colgroup", colspan: 2, class: "field-name" }, r.label)), h("tr", {}, h("td", { class: "theirs" }, r.theirs), h("td", { class: "mine" }, r.mine)))),
        ),
        h("div", { class: "stack-buttons" }, keep, take),
      );
    })
    .catch((err) => mount(body, isNetworkError(err) ? notice("warn", "Нет сети: версию с сервера покажем, когда появится связь.") : notice("error", errorText(err))));
  return card;
}

function refusedCard(e: WriteEntry): HTMLElement {
  return h(
    "li",
    { class: "card refused", "data-seq": e.seq },
    h("h2", {}, entryTitle(e)),
    notice("error", `Сервер не принял изменение: ${e.message ?? ""}`),
    // What the teacher typed stays readable (and copyable) until they dismiss it.
    h("dl", { class: "facts typed" }, conflictRows(e, {}).filter((r) => r.mine && r.mine !== "—").flatMap((r) => [h("dt", {}, r.label), h("dd", {}, r.mine)])),
    h("button", { class: "secondary", onclick: () => void dropWrite(e.seq!) }, "Понятно, убрать"),
  );
}

/** #/outbox: changes made on this phone that have not reached the server. */
export async function outboxScreen(main: HTMLElement): Promise<void> {
  const box = h("div", {});
  let shown = "";
  let last: QueueState | null = null;
  const onNet = () => (main.isConnected ? last && paint(last) : window.removeEventListener("offline", onNet));
  window.addEventListener("offline", onNet);
  const paint = (s: QueueState) => {
    last = s;
    // Re-render only when the set of entries changes (not on every "sending" blip).
    const online = navigator.onLine;
    const key = JSON.stringify([s.problems.map((p) => [p.seq, p.state]), s.writes.map((w) => w.seq), s.pending, online]);
    if (key === shown) return;
    shown = key;
    const answers = s.pending - s.writes.length;
    mount(
      box,
      s.problems.length ? [h("h2", {}, "Нужно ваше решение"), h("ul", { class: "stack plain" }, s.problems.map((p) => (p.state === "conflict" ? conflictCard(p) : refusedCard(p))))] : null,
      s.pending
        ? [
            h("h2", {}, pendingText(s.pending)),
            h("ul", { class: "plain pending-list" }, s.writes.map((w) => h("li", { class: "card" }, entryTitle(w))), answers > 0 ? h("li", { class: "card" }, `Ответы диагностики: ${answers}`) : null),
            online
              ? h("button", { class: "secondary wide", onclick: () => void flush() }, "Отправить сейчас")
              : h("p", { class: "muted" }, "Нет сети: изменения уйдут сами, как только появится связь."),
          ]
        : null,
      !s.pending && !s.problems.length ? notice("success", "Все изменения отправлены на сервер.") : null,
    );
  };
  const unsub = onQueueChange((s) => (main.isConnected ? paint(s) : unsub()));
  mount(main, h("h1", {}, "Неотправленные изменения"), h("p", { class: "muted" }, "Всё, что вы сделали без сети, хранится на телефоне и отправляется по порядку, как только появится связь."), box);
}
