// Mentoring: my mentor or my mentees (pairs in every status), accepting a proposed pair, the
// plan (goals), meetings with notes, and feedback on the pair. A teacher without a pair can
// ask for a mentor.
import { create } from "@bufbuild/protobuf";
import { api, isNetworkError, me, requestId } from "../api";
import { fresh } from "../cache";
import { myPairs } from "../data";
import {
  ListMentoringFeedbacksResponseSchema,
  ListMentoringMeetingsResponseSchema,
  MeetingFormat,
  MenteeRequestSource,
  MenteeRequestStatus,
  MentoringGoalStatus,
  MentoringMeetingSchema,
  MentoringPairSchema,
  MentoringPairStatus,
  PairSide,
  PairType,
  type MentoringMeeting,
  type MentoringPair,
} from "../gen/nms/v1/mentoring_pb";
import { DateSchema } from "../gen/nms/v1/common_pb";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { action, requireOnline, chip, dateText, errorNotice, field, h, idOf, loading, mount, must, notice, select, staleNote, todayDate } from "../ui";

const pairStatusTitle: Record<number, string> = {
  [MentoringPairStatus.PROPOSED]: "предложена",
  [MentoringPairStatus.ACTIVE]: "работает",
  [MentoringPairStatus.REJECTED]: "отклонена",
  [MentoringPairStatus.COMPLETED]: "завершена",
  [MentoringPairStatus.CANCELLED]: "отменена",
};

export const pairTypeTitle: Record<number, string> = {
  [PairType.SUBJECT]: "по предмету",
  [PairType.YOUNG_SPECIALIST]: "наставник — молодой специалист",
  [PairType.COMPETENCY_PEER]: "по компетенции (дефицит — сильная сторона)",
  [PairType.MANAGER_MANAGER]: "руководитель — руководитель",
  [PairType.GROUP]: "групповое наставничество",
  [PairType.ORGANIZATION_MANAGEMENT]: "управленческое наставничество",
};

const goalStatusTitle: Record<number, string> = {
  [MentoringGoalStatus.OPEN]: "в работе",
  [MentoringGoalStatus.ACHIEVED]: "достигнута",
  [MentoringGoalStatus.DROPPED]: "снята",
};

const formatTitle: Record<number, string> = {
  [MeetingFormat.IN_PERSON]: "очно",
  [MeetingFormat.ONLINE]: "онлайн",
  [MeetingFormat.LESSON_VISIT]: "посещение урока",
};

function iAmMentor(p: MentoringPair): boolean {
  return p.mentor === me();
}

export async function mentoringScreen(main: HTMLElement): Promise<void> {
  mount(main, h("h1", {}, "Наставничество"), loading());
  try {
    const r = await myPairs();
    const pairs = [...r.msg.pairs].sort((a, b) => (a.status === MentoringPairStatus.ACTIVE ? -1 : 0) - (b.status === MentoringPairStatus.ACTIVE ? -1 : 0));
    const asMentee = pairs.filter((p) => !iAmMentor(p));
    const asMentor = pairs.filter(iAmMentor);
    const card = (p: MentoringPair) =>
      h(
        "li",
        {},
        h(
          "a",
          { class: "card row-link", href: `#/mentoring/${idOf(p.name)}` },
          h("span", { class: "row-main" }, iAmMentor(p) ? p.menteeDisplayName : p.mentorDisplayName, h("small", {}, pairTypeTitle[p.pairType] ?? "")),
          chip(pairStatusTitle[p.status] ?? "—", `ps-${p.status}`),
        ),
      );
    mount(
      main,
      h("h1", {}, "Наставничество"),
      r.stale ? staleNote(r.savedAt) : null,
      h("h2", {}, "Мой наставник"),
      asMentee.length ? h("ul", { class: "list" }, asMentee.map(card)) : await requestBox(),
      asMentor.length ? h("h2", {}, "Мои наставляемые") : null,
      asMentor.length ? h("ul", { class: "list" }, asMentor.map(card)) : null,
    );
  } catch (e) {
    mount(main, h("h1", {}, "Наставничество"), errorNotice(e, () => void mentoringScreen(main)));
  }
}

/** "No mentor yet": shows an open request, or lets the teacher ask for a mentor. */
async function requestBox(): Promise<HTMLElement> {
  const box = h("div", { class: "card" });
  try {
    const open = (await api.mentoring.listMenteeRequests({ pageSize: 20 })).requests.filter((q) => q.mentee === me() && q.status !== MenteeRequestStatus.CANCELLED);
    if (open.length) {
      mount(box, h("p", {}, "Заявка на наставника подана. Когда методист подберёт пару, она появится здесь."));
      return box;
    }
  } catch (e) {
    if (!isNetworkError(e)) {
      mount(box, errorNotice(e));
      return box;
    }
  }
  const type = select(
    [
      [String(PairType.SUBJECT), "по своему предмету"],
      [String(PairType.COMPETENCY_PEER), "по своим дефицитам"],
      [String(PairType.YOUNG_SPECIALIST), "я молодой специалист"],
    ],
    String(PairType.COMPETENCY_PEER),
  );
  const note = h("textarea", { rows: 2 });
  const out = h("div", { "aria-live": "polite" });
  const b = h("button", { class: "primary" }, "Попросить наставника");
  action(b, out, async () => {
    if (!requireOnline(out)) return;
    await api.mentoring.createMenteeRequest({ request: { mentee: me(), source: MenteeRequestSource.TEACHER, pairType: Number(type.value), note: note.value.trim() }, requestId: requestId() });
    mount(box, notice("success", "Заявка подана. Методист подберёт наставника."));
  });
  mount(box, h("p", {}, "Наставника пока нет."), h("details", {}, h("summary", {}, "Подать заявку на наставника"), field("Какой наставник нужен", type), field("Комментарий", note), b, out));
  return box;
}

export async function pairScreen(main: HTMLElement, id?: string): Promise<void> {
  const name = `mentoringPairs/${id ?? ""}`;
  mount(main, h("h1", {}, "Наставничество"), loading());
  try {
    const [p, m, f] = await Promise.all([
      fresh(MentoringPairSchema, `pair:${name}`, async () => must((await api.mentoring.getMentoringPair({ name })).pair), isNetworkError),
      fresh(ListMentoringMeetingsResponseSchema, `meetings:${name}`, () => api.mentoring.listMentoringMeetings({ parent: name, pageSize: 200 }), isNetworkError),
      fresh(ListMentoringFeedbacksResponseSchema, `feedback:${name}`, () => api.mentoring.listMentoringFeedbacks({ parent: name, pageSize: 100 }), isNetworkError),
    ]);
    renderPair(main, p.msg, m.msg.meetings, f.msg.feedbacks, p.stale || m.stale || f.stale ? Math.min(p.savedAt, m.savedAt, f.savedAt) : 0);
  } catch (e) {
    mount(main, h("h1", {}, "Наставничество"), errorNotice(e, () => void pairScreen(main, id)), h("a", { href: "#/mentoring" }, "К наставничеству"));
  }
}

function renderPair(main: HTMLElement, pair: MentoringPair, meetings: MentoringMeeting[], feedbacks: { side: PairSide; rating: number; text: string; author: string }[], staleAt: number): void {
  const mentor = iAmMentor(pair);
  const side = mentor ? PairSide.MENTOR : PairSide.MENTEE;
  const reload = () => void pairScreen(main, idOf(pair.name));
  const other = mentor ? pair.menteeDisplayName : pair.mentorDisplayName;

  // Accept / reject a proposed pair.
  const decideOut = h("div", { "aria-live": "polite" });
  let decide: HTMLElement | null = null;
  const waitingForMe = pair.status === MentoringPairStatus.PROPOSED && !(mentor ? pair.mentorAcceptTime : pair.menteeAcceptTime);
  if (waitingForMe) {
    const accept = h("button", { class: "primary" }, "Принять");
    action(accept, decideOut, async () => {
      if (!requireOnline(decideOut)) return;
      await api.mentoring.acceptMentoringPair({ name: pair.name, side, version: pair.version, requestId: requestId() });
      reload();
    });
    const reason = h("textarea", { rows: 2 });
    const reject = h("button", { class: "secondary" }, "Отклонить");
    action(reject, decideOut, async () => {
      if (!requireOnline(decideOut)) return;
      if (!reason.value.trim()) {
        mount(decideOut, notice("error", "Укажите причину отказа."));
        return;
      }
      await api.mentoring.rejectMentoringPair({ name: pair.name, side, reason: reason.value.trim(), version: pair.version, requestId: requestId() });
      reload();
    });
    decide = h(
      "section",
      { class: "card" },
      h("h2", {}, mentor ? "Вам предложен наставляемый" : "Вам предложен наставник"),
      pair.explanation?.summary ? h("p", {}, `Почему эта пара: ${pair.explanation.summary}`) : null,
      h("div", { class: "button-row" }, accept),
      h("details", {}, h("summary", {}, "Отклонить предложение"), field("Причина", reason), reject),
      decideOut,
    );
  } else if (pair.status === MentoringPairStatus.PROPOSED) {
    decide = notice("info", "Вы приняли пару; ждём ответа второй стороны.");
  }

  // New meeting.
  const canWrite = pair.status === MentoringPairStatus.ACTIVE;
  const mOut = h("div", { "aria-live": "polite" });
  const date = h("input", { type: "date", required: true });
  const t = todayDate();
  date.value = `${t.year}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`;
  const topic = h("input", { type: "text", required: true });
  const notes = h("textarea", { rows: 4 });
  const minutes = h("input", { type: "number", min: 0, max: 600, step: 5, value: 45, inputmode: "numeric" });
  const format = select(Object.entries(formatTitle), String(MeetingFormat.IN_PERSON));
  const held = h("input", { type: "checkbox", checked: true });
  const addMeeting = h("button", { class: "primary" }, "Сохранить встречу");
  action(addMeeting, mOut, async () => {
    if (!requireOnline(mOut)) return;
    const [y, mo, d] = date.value.split("-").map(Number);
    if (!y || !topic.value.trim()) {
      mount(mOut, notice("error", "Укажите дату и тему встречи."));
      return;
    }
    await api.mentoring.createMentoringMeeting({
      parent: pair.name,
      meeting: create(MentoringMeetingSchema, {
        meetingDate: create(DateSchema, { year: y, month: mo, day: d }),
        topic: topic.value.trim(),
        notes: notes.value.trim(),
        durationMinutes: Number(minutes.value) || 0,
        format: Number(format.value),
        held: held.checked,
      }),
      requestId: requestId(),
    });
    reload();
  });

  const meetingItem = (m: MentoringMeeting) => {
    const out = h("div", { "aria-live": "polite" });
    const edit = h("textarea", { rows: 3 });
    edit.value = m.notes;
    const save = h("button", { class: "secondary" }, "Сохранить заметки");
    action(save, out, async () => {
      if (!requireOnline(out)) return;
      await api.mentoring.updateMentoringMeeting({
        meeting: create(MentoringMeetingSchema, { name: m.name, notes: edit.value.trim(), held: true, version: m.version }),
        updateMask: create(FieldMaskSchema, { paths: ["notes", "held"] }),
        requestId: requestId(),
      });
      reload();
    });
    return h(
      "li",
      { class: "card meeting" },
      h("p", {}, h("strong", {}, dateText(m.meetingDate)), ` · ${m.topic}`, chip(m.held ? "состоялась" : "запланирована", m.held ? "st-3" : "st-1")),
      h("p", { class: "muted" }, [formatTitle[m.format], m.durationMinutes ? `${m.durationMinutes} мин` : ""].filter(Boolean).join(" · ")),
      m.notes ? h("p", { class: "notes" }, m.notes) : null,
      canWrite ? h("details", {}, h("summary", {}, m.notes ? "Изменить заметки" : "Добавить заметки"), field("Заметки о встрече", edit), save, out) : null,
    );
  };

  // Feedback.
  const fOut = h("div", { "aria-live": "polite" });
  const rating = select(
    [
      ["5", "5 — отлично"],
      ["4", "4 — хорошо"],
      ["3", "3 — удовлетворительно"],
      ["2", "2 — плохо"],
      ["1", "1 — очень плохо"],
    ],
    "5",
  );
  const ftext = h("textarea", { rows: 3 });
  const sendF = h("button", { class: "primary" }, "Отправить отзыв");
  action(sendF, fOut, async () => {
    if (!requireOnline(fOut)) return;
    await api.mentoring.createMentoringFeedback({ parent: pair.name, feedback: { rating: Number(rating.value), text: ftext.value.trim() }, requestId: requestId() });
    reload();
  });
  const sideTitle = (s: PairSide) => (s === PairSide.MENTOR ? "наставник" : "наставляемый");

  mount(
    main,
    h("p", { class: "back" }, h("a", { href: "#/mentoring" }, "← Наставничество")),
    h("h1", {}, mentor ? `Наставляемый: ${other}` : `Наставник: ${other}`),
    staleAt ? staleNote(staleAt) : null,
    h(
      "section",
      { class: "card" },
      h("p", {}, "Статус: ", chip(pairStatusTitle[pair.status] ?? "—", `ps-${pair.status}`)),
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "Форма"),
        h("dd", {}, pairTypeTitle[pair.pairType] ?? "—"),
        pair.startDate?.year ? [h("dt", {}, "Начало"), h("dd", {}, dateText(pair.startDate))] : null,
        pair.plannedEndDate?.year ? [h("dt", {}, "Окончание (план)"), h("dd", {}, dateText(pair.plannedEndDate))] : null,
        pair.subjects.length ? [h("dt", {}, "Предметы"), h("dd", {}, pair.subjects.join(", "))] : null,
      ),
      pair.closeReason ? h("p", { class: "muted" }, pair.closeReason) : null,
    ),
    decide,
    h(
      "section",
      { class: "card", "aria-labelledby": "plan-h" },
      h("h2", { id: "plan-h" }, "План: цели"),
      pair.goals.length
        ? h("ul", { class: "plain goals" }, pair.goals.map((g) => h("li", {}, h("strong", {}, g.title), ` — ${goalStatusTitle[g.status] ?? "—"}`, g.dueDate?.year ? `, до ${dateText(g.dueDate)}` : "")))
        : h("p", { class: "muted" }, "Цели пары пока не записаны."),
    ),
    h(
      "section",
      { "aria-labelledby": "meet-h" },
      h("h2", { id: "meet-h" }, `Встречи (${meetings.length})`),
      meetings.length ? h("ul", { class: "stack plain" }, [...meetings].sort((a, b) => (b.meetingDate?.year ?? 0) - (a.meetingDate?.year ?? 0) || (b.meetingDate?.month ?? 0) - (a.meetingDate?.month ?? 0) || (b.meetingDate?.day ?? 0) - (a.meetingDate?.day ?? 0)).map(meetingItem)) : h("p", { class: "muted" }, "Встреч пока не было."),
      canWrite
        ? h("details", { class: "card" }, h("summary", {}, "Записать встречу"), field("Дата", date), field("Тема", topic), field("Заметки", notes), field("Длительность, мин", minutes), field("Формат", format), h("label", { class: "check" }, held, h("span", {}, "Встреча состоялась")), addMeeting, mOut)
        : null,
    ),
    h(
      "section",
      { "aria-labelledby": "fb-h" },
      h("h2", { id: "fb-h" }, "Отзывы"),
      feedbacks.length ? h("ul", { class: "plain" }, feedbacks.map((f) => h("li", { class: "card" }, h("strong", {}, `${"★".repeat(f.rating)}${"☆".repeat(Math.max(0, 5 - f.rating))}`), ` ${sideTitle(f.side)}`, f.text ? h("p", {}, f.text) : null))) : h("p", { class: "muted" }, "Отзывов пока нет."),
      pair.status === MentoringPairStatus.ACTIVE || pair.status === MentoringPairStatus.COMPLETED
        ? h("details", { class: "card" }, h("summary", {}, "Оставить отзыв"), field("Оценка", rating), field("Отзыв", ftext), sendF, fOut)
        : null,
    ),
  );
}
