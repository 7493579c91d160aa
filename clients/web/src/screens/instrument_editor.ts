// Authoring an instrument in the browser (not only by JSON import): the header, blocks and items
// of every type — single and multiple choice with their options, short answer with accepted
// answers, Likert scale, expert-scored — each measuring indicators of the framework with weights.
// A draft is saved with CreateInstrument / UpdateInstrument; a published instrument is immutable,
// so "Новая версия" copies it into a new draft. The server's rules (diagnostics/instrument.cc) are
// checked here first and its messages are shown at the item they name.
import { Code, ConnectError } from "@connectrpc/connect";
import { api, requestId } from "../api";
import { go, mainScope } from "../app";
import { InstrumentBlockKind, InstrumentItemKind, InstrumentState, MultipleChoiceScoring, type Instrument, type InstrumentBlock, type InstrumentItem } from "../gen/nms/v1/diagnostics_pb";
import { errorNotice, errorText, field, h, idOf, loading, mount, notice, select, splitList } from "../ui";
import { diagnosticsTabs } from "./diagnostics";
import { plural } from "../../../shared/plural";

export const itemKindTitle: Record<number, string> = {
  [InstrumentItemKind.SINGLE_CHOICE]: "один верный ответ",
  [InstrumentItemKind.MULTIPLE_CHOICE]: "несколько верных ответов",
  [InstrumentItemKind.SHORT_ANSWER]: "краткий ответ",
  [InstrumentItemKind.LIKERT]: "шкала самооценки (Лайкерт)",
  [InstrumentItemKind.EXTERNAL_SCORE]: "экспертная оценка",
};

interface Opt { optionId: string; text: string; correct: boolean }
interface Weight { indicatorCode: string; weight: number }
interface ItemDraft {
  itemId: string; kind: InstrumentItemKind; text: string; options: Opt[]; acceptedAnswers: string[]; caseSensitive: boolean;
  likert: { minValue: number; maxValue: number; labels: string[]; reversed: boolean }; maxScore: number;
  multipleChoiceScoring: MultipleChoiceScoring; indicatorWeights: Weight[]; required: boolean;
}
interface BlockDraft { blockId: string; title: string; instructions: string; kind: InstrumentBlockKind; suggestedMinutes: number; items: ItemDraft[] }

function toDraft(i: InstrumentItem): ItemDraft {
  return {
    itemId: i.itemId, kind: i.kind, text: i.text, options: i.options.map((o) => ({ optionId: o.optionId, text: o.text, correct: o.correct })),
    acceptedAnswers: [...i.acceptedAnswers], caseSensitive: i.caseSensitive,
    likert: { minValue: i.likert?.minValue ?? 1, maxValue: i.likert?.maxValue ?? 5, labels: [...(i.likert?.labels ?? [])], reversed: i.likert?.reversed ?? false },
    maxScore: i.maxScore || 1, multipleChoiceScoring: i.multipleChoiceScoring || MultipleChoiceScoring.ALL_OR_NOTHING,
    indicatorWeights: i.indicatorWeights.map((w) => ({ indicatorCode: w.indicatorCode, weight: w.weight })), required: i.required,
  };
}
function blockDraft(b: InstrumentBlock): BlockDraft {
  return { blockId: b.blockId, title: b.title, instructions: b.instructions, kind: b.kind || InstrumentBlockKind.ONLINE, suggestedMinutes: b.suggestedMinutes, items: b.items.map(toDraft) };
}
function newItem(kind: InstrumentItemKind, n: number, code: string): ItemDraft {
  return {
    itemId: `I${n}`, kind, text: "", options: kind === InstrumentItemKind.SINGLE_CHOICE || kind === InstrumentItemKind.MULTIPLE_CHOICE ? [{ optionId: "a", text: "", correct: true }, { optionId: "b", text: "", correct: false }] : [],
    acceptedAnswers: [], caseSensitive: false, likert: { minValue: 1, maxValue: 5, labels: [], reversed: false }, maxScore: 1,
    multipleChoiceScoring: MultipleChoiceScoring.ALL_OR_NOTHING, indicatorWeights: code ? [{ indicatorCode: code, weight: 1 }] : [], required: true,
  };
}
/** The wire form of an item: only the fields its kind uses (the server refuses the others). */
function wireItem(d: ItemDraft) {
  const choice = d.kind === InstrumentItemKind.SINGLE_CHOICE || d.kind === InstrumentItemKind.MULTIPLE_CHOICE;
  return {
    itemId: d.itemId, kind: d.kind, text: d.text, maxScore: d.maxScore, required: d.required, indicatorWeights: d.indicatorWeights,
    options: choice ? d.options : [],
    acceptedAnswers: d.kind === InstrumentItemKind.SHORT_ANSWER ? d.acceptedAnswers : [],
    caseSensitive: d.kind === InstrumentItemKind.SHORT_ANSWER && d.caseSensitive,
    likert: d.kind === InstrumentItemKind.LIKERT ? d.likert : undefined,
    multipleChoiceScoring: d.kind === InstrumentItemKind.MULTIPLE_CHOICE ? d.multipleChoiceScoring : MultipleChoiceScoring.UNSPECIFIED,
  };
}

/** The server's item rules, in Russian, per item (empty = fine). */
export function itemProblems(d: ItemDraft, blockKind: InstrumentBlockKind): string[] {
  const out: string[] = [];
  if (!d.itemId.trim() || d.itemId.includes("|")) out.push("Код задания обязателен, без символа «|»");
  if (!d.text.trim() && d.kind !== InstrumentItemKind.EXTERNAL_SCORE) out.push("Текст задания обязателен");
  if ((d.kind === InstrumentItemKind.EXTERNAL_SCORE) !== (blockKind === InstrumentBlockKind.EXTERNALLY_SCORED)) {
    out.push(blockKind === InstrumentBlockKind.EXTERNALLY_SCORED ? "В блоке экспертной оценки — только задания экспертной оценки" : "Задание экспертной оценки должно быть в блоке экспертной оценки");
  }
  if (!(d.maxScore > 0 && d.maxScore <= 100)) out.push("Максимальный балл больше 0 и не больше 100");
  if (d.kind === InstrumentItemKind.SINGLE_CHOICE || d.kind === InstrumentItemKind.MULTIPLE_CHOICE) {
    if (d.options.length < 2) out.push("Нужно не меньше двух вариантов ответа");
    if (d.options.some((o) => !o.text.trim())) out.push("У каждого варианта нужен текст");
    const right = d.options.filter((o) => o.correct).length;
    if (d.kind === InstrumentItemKind.SINGLE_CHOICE && right !== 1) out.push("Отметьте ровно один правильный вариант");
    if (d.kind === InstrumentItemKind.MULTIPLE_CHOICE && right < 1) out.push("Отметьте хотя бы один правильный вариант");
  }
  if (d.kind === InstrumentItemKind.SHORT_ANSWER && !d.acceptedAnswers.length) out.push("Укажите хотя бы один допустимый ответ");
  if (d.kind === InstrumentItemKind.LIKERT) {
    const span = d.likert.maxValue - d.likert.minValue;
    if (span <= 0 || span > 20) out.push("Шкала: минимум меньше максимума, не больше 21 деления");
    else if (d.likert.labels.length && d.likert.labels.length !== span + 1) out.push(`Подписей шкалы нужно ${span + 1} (по одной на деление) или ни одной`);
  }
  if (!d.indicatorWeights.length) out.push("Задание должно измерять хотя бы один индикатор");
  const codes = d.indicatorWeights.map((w) => w.indicatorCode);
  if (new Set(codes).size !== codes.length) out.push("Индикатор указан дважды");
  if (d.indicatorWeights.some((w) => !(w.weight > 0))) out.push("Вес индикатора больше 0");
  return out;
}

function num(v: string, dflt: number): number {
  const n = Number(v.replace(",", "."));
  return Number.isFinite(n) ? n : dflt;
}

export async function instrumentEditorScreen(main: HTMLElement, id: string) {
  document.title = "Редактор инструмента — НМС";
  mount(main, h("h1", {}, "Инструмент диагностики"), diagnosticsTabs("#/diagnostics/instruments"), loading());
  let inst: Instrument | null = null;
  let frameworkName = "";
  try {
    if (id !== "new") {
      inst = (await api.diagnostics.getInstrument({ name: `instruments/${id}` })).instrument!;
      frameworkName = inst.framework;
    }
  } catch (e) {
    return mount(main, h("h1", {}, "Инструмент диагностики"), errorNotice(e));
  }
  if (inst && inst.state !== InstrumentState.DRAFT) {
    return mount(main, h("h1", {}, inst.title), notice("info", "Опубликованный инструмент не меняется: создайте новую версию (черновик) в списке инструментов."), h("a", { href: "#/diagnostics/instruments" }, "← К инструментам"));
  }
  const frameworks = await api.diagnostics.listCompetencyFrameworks({ pageSize: 100, filter: "state = COMPETENCY_FRAMEWORK_STATE_PUBLISHED" }).catch(() => null);
  const fwSelect = select([["", "— выберите рамку —"], ...(frameworks?.frameworks ?? []).map((f): [string, string] => [f.name, `${f.title}, версия ${f.revision}`])], frameworkName);
  if (inst) fwSelect.disabled = true;
  let codes: [string, string][] = [];
  const loadCodes = async () => {
    codes = [];
    if (!fwSelect.value) return;
    const fw = (await api.diagnostics.getCompetencyFramework({ name: fwSelect.value })).framework!;
    codes = fw.indicators.map((i): [string, string] => [i.code, `${i.code} ${i.title}`]);
  };
  let codesReady = loadCodes().catch(() => undefined);
  await codesReady;

  const title = h("input", { type: "text", required: true, value: inst?.title ?? "", maxlength: 512 });
  const purpose = h("textarea", { rows: 2 });
  purpose.value = inst?.purpose ?? "";
  const positions = h("input", { type: "text", value: inst?.positions.join(", ") ?? "учитель" });
  const subjects = h("input", { type: "text", value: inst?.subjects.join(", ") ?? "" });
  const blocks: BlockDraft[] = inst?.blocks.length ? inst.blocks.map(blockDraft) : [{ blockId: "B1", title: "Блок 1", instructions: "", kind: InstrumentBlockKind.ONLINE, suggestedMinutes: 0, items: [] }];
  const itemErrors = new Map<ItemDraft, HTMLElement>();
  const blocksEl = h("div", { class: "blocks" });
  const status = h("div", { "aria-live": "assertive" });
  const titleErr = h("small", { class: "field-error", role: "alert" });

  const nextId = () => {
    const used = new Set(blocks.flatMap((b) => b.items.map((i) => i.itemId)));
    let n = used.size + 1;
    while (used.has(`I${n}`)) n++;
    return n;
  };

  const renderItem = (b: BlockDraft, d: ItemDraft, idx: number): HTMLElement => {
    const err = h("div", { class: "field-error", role: "alert" });
    itemErrors.set(d, err);
    const kind = select(Object.entries(itemKindTitle), String(d.kind));
    kind.addEventListener("change", () => {
      const k = Number(kind.value) as InstrumentItemKind;
      if ((k === InstrumentItemKind.SINGLE_CHOICE || k === InstrumentItemKind.MULTIPLE_CHOICE) && d.options.length < 2) d.options = newItem(k, 0, "").options;
      if (k === InstrumentItemKind.SINGLE_CHOICE && d.options.filter((o) => o.correct).length !== 1) d.options.forEach((o, i) => (o.correct = i === 0));
      d.kind = k;
      render();
    });
    const itemId = h("input", { type: "text", value: d.itemId, size: 6, oninput: (ev: Event) => (d.itemId = (ev.target as HTMLInputElement).value.trim()) });
    const text = h("textarea", { rows: 2, oninput: (ev: Event) => (d.text = (ev.target as HTMLTextAreaElement).value) });
    text.value = d.text;
    const maxScore = h("input", { type: "number", min: 0.1, max: 100, step: "any", value: d.maxScore, oninput: (ev: Event) => (d.maxScore = num((ev.target as HTMLInputElement).value, 0)) });
    const required = h("input", { type: "checkbox", checked: d.required, onchange: (ev: Event) => (d.required = (ev.target as HTMLInputElement).checked) });
    const specific: HTMLElement[] = [];
    if (d.kind === InstrumentItemKind.SINGLE_CHOICE || d.kind === InstrumentItemKind.MULTIPLE_CHOICE) {
      const single = d.kind === InstrumentItemKind.SINGLE_CHOICE;
      const group = `opt-${b.blockId}-${idx}-${Math.random().toString(36).slice(2, 6)}`;
      specific.push(h("fieldset", { class: "options" }, h("legend", {}, single ? "Варианты ответа (отметьте верный)" : "Варианты ответа (отметьте верные)"),
        d.options.map((o, k) => h("div", { class: "option-row" },
          h("input", { type: single ? "radio" : "checkbox", name: group, checked: o.correct, "aria-label": `Вариант ${o.optionId} верный`, onchange: (ev: Event) => {
            if (single) d.options.forEach((x) => (x.correct = x === o));
            else o.correct = (ev.target as HTMLInputElement).checked;
          } }),
          h("input", { type: "text", value: o.text, placeholder: `Вариант ${o.optionId}`, "aria-label": `Текст варианта ${o.optionId}`, oninput: (ev: Event) => (o.text = (ev.target as HTMLInputElement).value) }),
          h("button", { type: "button", class: "small", disabled: d.options.length <= 2, "aria-label": `Удалить вариант ${o.optionId}`, onclick: () => { d.options.splice(k, 1); render(); } }, "✕"))),
        h("button", { type: "button", class: "small", onclick: () => {
          const ids = new Set(d.options.map((o) => o.optionId));
          let c = 97;
          while (ids.has(String.fromCharCode(c))) c++;
          d.options.push({ optionId: String.fromCharCode(c), text: "", correct: false });
          render();
        } }, "+ вариант")));
      if (!single) {
        const scoring = select([[String(MultipleChoiceScoring.ALL_OR_NOTHING), "всё или ничего"], [String(MultipleChoiceScoring.PARTIAL), "частичный балл"]], String(d.multipleChoiceScoring));
        scoring.addEventListener("change", () => (d.multipleChoiceScoring = Number(scoring.value)));
        specific.push(field("Оценивание", scoring));
      }
    } else if (d.kind === InstrumentItemKind.SHORT_ANSWER) {
      const answers = h("textarea", { rows: 2, oninput: (ev: Event) => (d.acceptedAnswers = (ev.target as HTMLTextAreaElement).value.split("\n").map((s) => s.trim()).filter(Boolean)) });
      answers.value = d.acceptedAnswers.join("\n");
      const cs = h("input", { type: "checkbox", checked: d.caseSensitive, onchange: (ev: Event) => (d.caseSensitive = (ev.target as HTMLInputElement).checked) });
      specific.push(field("Допустимые ответы", answers, "по одному в строке"), h("label", { class: "check" }, cs, " учитывать регистр"));
    } else if (d.kind === InstrumentItemKind.LIKERT) {
      const min = h("input", { type: "number", value: d.likert.minValue, oninput: (ev: Event) => (d.likert.minValue = num((ev.target as HTMLInputElement).value, 1)) });
      const max = h("input", { type: "number", value: d.likert.maxValue, oninput: (ev: Event) => (d.likert.maxValue = num((ev.target as HTMLInputElement).value, 5)) });
      const labels = h("textarea", { rows: 2, oninput: (ev: Event) => (d.likert.labels = (ev.target as HTMLTextAreaElement).value.split("\n").map((s) => s.trim()).filter(Boolean)) });
      labels.value = d.likert.labels.join("\n");
      const rev = h("input", { type: "checkbox", checked: d.likert.reversed, onchange: (ev: Event) => (d.likert.reversed = (ev.target as HTMLInputElement).checked) });
      specific.push(h("div", { class: "grid2" }, field("Шкала от", min), field("до", max)), field("Подписи делений", labels, "по одной в строке; пусто — без подписей"), h("label", { class: "check" }, rev, " обратная шкала"));
    }
    const weights = h("fieldset", { class: "weights" }, h("legend", {}, "Измеряет индикаторы"),
      d.indicatorWeights.map((w, k) => {
        const code = select([["", "— индикатор —"], ...codes], w.indicatorCode);
        code.setAttribute("aria-label", "Индикатор");
        code.addEventListener("change", () => (w.indicatorCode = code.value));
        return h("div", { class: "option-row" }, code,
          h("input", { type: "number", min: 0.1, step: "any", value: w.weight, "aria-label": "Вес", oninput: (ev: Event) => (w.weight = num((ev.target as HTMLInputElement).value, 0)) }),
          h("button", { type: "button", class: "small", "aria-label": "Убрать индикатор", onclick: () => { d.indicatorWeights.splice(k, 1); render(); } }, "✕"));
      }),
      h("button", { type: "button", class: "small", onclick: () => { d.indicatorWeights.push({ indicatorCode: codes[0]?.[0] ?? "", weight: 1 }); render(); } }, "+ индикатор"));
    return h("div", { class: "card item-card", "data-item": d.itemId },
      h("div", { class: "item-head" },
        h("strong", {}, `Задание ${idx + 1}`),
        h("span", { class: "row-actions" },
          h("button", { type: "button", class: "small", disabled: idx === 0, "aria-label": "Выше", onclick: () => { b.items.splice(idx - 1, 0, ...b.items.splice(idx, 1)); render(); } }, "↑"),
          h("button", { type: "button", class: "small", disabled: idx === b.items.length - 1, "aria-label": "Ниже", onclick: () => { b.items.splice(idx + 1, 0, ...b.items.splice(idx, 1)); render(); } }, "↓"),
          h("button", { type: "button", class: "small danger", onclick: () => { b.items.splice(idx, 1); render(); } }, "Удалить задание"))),
      h("div", { class: "grid2" }, field("Тип задания", kind), field("Код", itemId)),
      field("Текст задания", text),
      ...specific,
      h("div", { class: "grid2" }, field("Максимальный балл", maxScore), h("label", { class: "check" }, required, " обязательное")),
      weights,
      err);
  };

  const render = () => {
    itemErrors.clear();
    mount(blocksEl, blocks.map((b, bi) => {
      const bt = h("input", { type: "text", value: b.title, oninput: (ev: Event) => (b.title = (ev.target as HTMLInputElement).value) });
      const bk = select([[String(InstrumentBlockKind.ONLINE), "онлайн-тест"], [String(InstrumentBlockKind.EXTERNALLY_SCORED), "экспертная оценка (видео урока, кейсы)"]], String(b.kind));
      bk.addEventListener("change", () => { b.kind = Number(bk.value); render(); });
      const addKind = select(Object.entries(itemKindTitle), String(b.kind === InstrumentBlockKind.EXTERNALLY_SCORED ? InstrumentItemKind.EXTERNAL_SCORE : InstrumentItemKind.SINGLE_CHOICE));
      addKind.setAttribute("aria-label", "Тип нового задания");
      return h("section", { class: "block" },
        h("h2", {}, `Блок ${bi + 1}`),
        h("div", { class: "grid2" }, field("Название блока", bt), field("Вид блока", bk)),
        b.items.map((d, i) => renderItem(b, d, i)),
        h("div", { class: "row-actions" }, addKind, h("button", { type: "button", onclick: async () => { await codesReady; b.items.push(newItem(Number(addKind.value), nextId(), codes[0]?.[0] ?? "")); render(); } }, "+ задание"),
          blocks.length > 1 ? h("button", { type: "button", class: "danger", onclick: () => { blocks.splice(bi, 1); render(); } }, "Удалить блок") : null));
    }), h("button", { type: "button", onclick: () => { blocks.push({ blockId: `B${blocks.length + 1}`, title: `Блок ${blocks.length + 1}`, instructions: "", kind: InstrumentBlockKind.ONLINE, suggestedMinutes: 0, items: [] }); render(); } }, "+ блок"));
  };
  fwSelect.addEventListener("change", () => {
    codesReady = loadCodes().catch(() => undefined);
    void codesReady.then(render);
  });

  const save = h("button", { type: "button", class: "primary" }, inst ? "Сохранить черновик" : "Создать черновик");
  save.addEventListener("click", async () => {
    titleErr.textContent = "";
    mount(status);
    let bad = 0;
    if (!title.value.trim()) {
      titleErr.textContent = "Название обязательно";
      bad++;
    }
    if (!fwSelect.value) {
      mount(status, notice("error", "Выберите рамку компетенций."));
      bad++;
    }
    for (const b of blocks) for (const d of b.items) {
      const p = itemProblems(d, b.kind);
      itemErrors.get(d)!.textContent = p.join("; ");
      bad += p.length;
    }
    if (bad) {
      (blocksEl.querySelector(".field-error:not(:empty)") as HTMLElement | null)?.scrollIntoView({ block: "center" });
      if (!status.childElementCount) mount(status, notice("error", "Исправьте отмеченные задания."));
      return;
    }
    const body = {
      title: title.value.trim(), purpose: purpose.value.trim(), positions: splitList(positions.value), subjects: splitList(subjects.value),
      blocks: blocks.map((b) => ({ blockId: b.blockId, title: b.title, instructions: b.instructions, kind: b.kind, suggestedMinutes: b.suggestedMinutes, items: b.items.map(wireItem) })),
    };
    save.setAttribute("disabled", "");
    mount(status, loading("Сохранение…"));
    try {
      if (inst) {
        inst = (await api.diagnostics.updateInstrument({ instrument: { ...body, name: inst.name, version: inst.version }, updateMask: { paths: ["title", "purpose", "positions", "subjects", "blocks"] }, requestId: requestId() })).instrument!;
        mount(status, notice("success", `Черновик сохранён: ${plural(inst.itemCount, "задание", "задания", "заданий")}, максимум ${plural(inst.maxScore, "балл", "балла", "баллов")}.`));
      } else {
        const created = (await api.diagnostics.createInstrument({ instrument: { ...body, region: mainScope().scope, framework: fwSelect.value }, requestId: requestId() })).instrument!;
        go(`#/diagnostics/instruments/${idOf(created.name)}`);
      }
    } catch (e) {
      const err = ConnectError.from(e);
      // "blocks[0].items[2] («I3»).options: …" belongs to that item.
      const rest: string[] = [];
      if (err.code === Code.InvalidArgument) {
        for (const part of err.rawMessage.split(/;\s+/)) {
          const m = part.match(/blocks\[(\d+)\]\.items\[(\d+)\]/);
          const d = m ? blocks[Number(m[1])]?.items[Number(m[2])] : undefined;
          if (d && itemErrors.get(d)) itemErrors.get(d)!.textContent += (itemErrors.get(d)!.textContent ? "; " : "") + part;
          else if (/title/.test(part) && !m) titleErr.textContent = part;
          else rest.push(part);
        }
        mount(status, rest.length ? notice("error", `Неверные данные: ${rest.join("; ")}`) : notice("error", "Исправьте отмеченные задания."));
      } else mount(status, notice("error", errorText(e)));
    } finally {
      save.removeAttribute("disabled");
    }
  });

  render();
  mount(main,
    h("p", { class: "back" }, h("a", { href: "#/diagnostics/instruments" }, "← К инструментам")),
    h("h1", {}, inst ? `Черновик: ${inst.title}` : "Новый инструмент"),
    h("div", { class: "card" },
      h("div", { class: "grid2" },
        h("div", { class: "field" }, h("label", { for: "inst-title" }, "Название ", h("span", { class: "req" }, "*")), Object.assign(title, { id: "inst-title" }), titleErr),
        field("Рамка компетенций", fwSelect, inst ? "рамку черновика не меняют" : "индикаторы заданий — из этой рамки"),
        field("Для должностей", positions, "через запятую; пусто — для всех"),
        field("Для предметов", subjects, "через запятую; пусто — для всех")),
      field("Назначение (видит педагог перед началом)", purpose)),
    blocksEl,
    status,
    h("div", { class: "row-actions sticky-actions" }, save, h("a", { href: "#/diagnostics/instruments" }, "Закрыть без сохранения")));
}
