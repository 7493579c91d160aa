// Mentoring: my mentor or my mentees (pairs in every status), accepting a proposed pair, the
// plan (goals), meetings with notes, and feedback on the pair. A teacher without a pair can
// ask for a mentor.
import { create } from "@bufbuild/protobuf";
import { api, isNetworkError, me, session } from "../api";
import { fresh, remember } from "../cache";
import { write } from "../queue";
import { outcomeNotice, pendingMarks, waitingMark } from "../outbox_ui";

/** Meetings shown before the server has them, with their queue entry (for the "sent" mark). */
const queuedMeetings = new WeakMap<MentoringMeeting, number | undefined>();
import { myPairs } from "../data";
import {
  ListMentoringFeedbacksResponseSchema,
  ListMentoringMeetingsResponseSchema,
  MeetingFormat,
  MenteeRequestSource,
  MenteeRequestStatus,
  MentoringGoalStatus,
  MentoringFeedbackSchema,
  MentoringMeetingSchema,
  MentoringPairSchema,
  MentoringPairStatus,
  MentorProfileSchema,
  PairDistance,
  PairSide,
  PairType,
  type MentoringFeedback,
  type MentoringMeeting,
  type MentoringPair,
  type MentorProfile,
} from "../gen/nms/v1/mentoring_pb";
import { DateSchema, Role } from "../gen/nms/v1/common_pb";
import { FieldMaskSchema, timestampNow } from "@bufbuild/protobuf/wkt";
import { meetingFormatTitle, pairTypeTitle } from "../../../shared/titles";
export { pairTypeTitle };
import { action, chip, dateText, errorNotice, field, h, idOf, loading, mount, must, notice, select, staleNote } from "../ui";

const pairStatusTitle: Record<number, string> = {
  [MentoringPairStatus.PROPOSED]: "предложена",
  [MentoringPairStatus.ACTIVE]: "работает",
  [MentoringPairStatus.REJECTED]: "отклонена",
  [MentoringPairStatus.COMPLETED]: "завершена",
  [MentoringPairStatus.CANCELLED]: "отменена",
};


const goalStatusTitle: Record<number, string> = {
  [MentoringGoalStatus.OPEN]: "в работе",
  [MentoringGoalStatus.ACHIEVED]: "достигнута",
  [MentoringGoalStatus.DROPPED]: "снята",
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
    const r = await write({ service: "mentoring", method: "createMenteeRequest", request: { request: { mentee: me(), source: MenteeRequestSource.TEACHER, pairType: Number(type.value), note: note.value.trim() } }, target: me(), label: "Заявка на наставника" });
    if (r.status === "sent") mount(box, notice("success", "Заявка подана. Методист подберёт наставника."));
    else if (r.status === "queued") mount(box, notice("info", "Заявка сохранена на телефоне и будет подана, когда появится сеть."));
    else mount(out, outcomeNotice(r));
  });
  mount(box, h("p", {}, "Наставника пока нет."), h("details", {}, h("summary", {}, "Подать заявку на наставника"), field("Какой наставник нужен", type), field("Комментарий", note), b, out));
  return box;
}

/**
 * How to reach the other side of the pair. The mentor shares what they choose in their profile
 * (MentorProfile.shared_contact, shown on proposed and active pairs); without it, the card says
 * where the mentor works and that work contacts go through the organisation. A teacher may not
 * read a colleague's card, so nothing else is shown. The mentor edits what mentees see here.
 */
function contactCard(pair: MentoringPair, mentor: boolean): HTMLElement | null {
  if (pair.status !== MentoringPairStatus.ACTIVE && pair.status !== MentoringPairStatus.PROPOSED) return null;
  const org = session.principal?.grants.find((g) => g.role === Role.TEACHER)?.scopeDisplayName ?? "";
  const d = pair.explanation?.distance ?? PairDistance.UNSPECIFIED;
  const where =
    d === PairDistance.SAME_ORGANIZATION
      ? `Работает в вашей организации${org ? ` (${org})` : ""}.`
      : d === PairDistance.SAME_MUNICIPALITY
        ? "Работает в другой организации вашего муниципалитета."
        : d === PairDistance.SAME_DISTRICT || d === PairDistance.REGION
          ? "Работает в другой организации региона."
          : "";
  const shared = pair.mentorSharedContact.trim();
  return h(
    "section",
    { class: "card contact", "aria-labelledby": "contact-h" },
    h("h2", { id: "contact-h" }, mentor ? "Как связаться с наставляемым" : "Как связаться с наставником"),
    where ? h("p", {}, where) : null,
    !mentor && shared ? h("p", { class: "shared-contact" }, h("strong", {}, "Наставник оставил для связи: "), shared) : null,
    mentor || !shared ? h("p", {}, mentor ? "Контактов для связи в карточке наставляемого нет." : "Контактов для связи в профиле наставника нет.") : null,
    mentor || !shared ? h("p", {}, `Рабочие телефон и почту подскажет куратор наставничества ${org ? `в вашей организации — ${org}` : "вашей организации"}.`) : null,
    pair.status === MentoringPairStatus.ACTIVE ? h("p", { class: "muted" }, `Можно сразу предложить встречу — ниже; ${mentor ? "наставляемый" : "наставник"} увидит её в приложении.`) : null,
    mentor ? mySharedContact(pair) : null,
  );
}

/** The mentor's own contacts for mentees (their profile's shared_contact), editable offline too. */
function mySharedContact(pair: MentoringPair): HTMLElement {
  const box = h("div", { class: "my-contact" });
  const name = pair.mentorProfile;
  const render = (profile: MentorProfile, note: HTMLElement | null) => {
    const text = h("textarea", { rows: 2, maxlength: 300, placeholder: "Например: +7 900 000-00-00, после 15:00; почта name@school.ru" }) as HTMLTextAreaElement;
    text.value = profile.sharedContact;
    const out = h("div", { "aria-live": "polite" }, note);
    const save = h("button", { class: "secondary" }, "Сохранить контакты");
    action(save, out, async () => {
      const value = text.value.trim();
      if (value === profile.sharedContact) {
        mount(out, notice("info", "Изменений нет."));
        return;
      }
      const r = await write({
        service: "mentoring",
        method: "updateMentorProfile",
        request: { profile: { name, sharedContact: value, version: profile.version }, updateMask: { paths: ["shared_contact"] } },
        target: name,
        versionPath: "profile.version",
        label: "Контакты для наставляемых",
        cacheKey: `profile:${name}`,
      });
      if (r.status === "sent") {
        const next = (r.response as { profile?: MentorProfile }).profile ?? { ...profile, sharedContact: value };
        render(next, notice("success", "Контакты сохранены: наставляемые увидят их в своей паре."));
      } else if (r.status === "queued") {
        render({ ...profile, sharedContact: value }, outcomeNotice(r));
      } else {
        mount(out, outcomeNotice(r));
      }
    });
    mount(
      box,
      h("h3", {}, "Ваши контакты для наставляемых"),
      h("p", { class: "muted small" }, "Их увидят ваши наставляемые (и кураторы наставничества) в предложенных и действующих парах."),
      field("Как с вами связаться", text),
      save,
      out,
    );
  };
  mount(box, loading());
  fresh(MentorProfileSchema, `profile:${name}`, async () => must((await api.mentoring.getMentorProfile({ name })).profile), isNetworkError)
    .then((got) => render(got.msg, got.stale ? staleNote(got.savedAt) : null))
    .catch((e) => mount(box, errorNotice(e)));
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

function renderPair(main: HTMLElement, pair: MentoringPair, meetings: MentoringMeeting[], feedbacks: MentoringFeedback[], staleAt: number): void {
  const mentor = iAmMentor(pair);
  const side = mentor ? PairSide.MENTOR : PairSide.MENTEE;
  const reload = () => void pairScreen(main, idOf(pair.name));
  const other = mentor ? pair.menteeDisplayName : pair.mentorDisplayName;
  // A write kept on the phone shows at once (marked as waiting), also after a restart offline.
  const rerender = () => {
    void remember(ListMentoringMeetingsResponseSchema, `meetings:${pair.name}`, create(ListMentoringMeetingsResponseSchema, { meetings }));
    void remember(ListMentoringFeedbacksResponseSchema, `feedback:${pair.name}`, create(ListMentoringFeedbacksResponseSchema, { feedbacks }));
    renderPair(main, pair, meetings, feedbacks, staleAt);
  };
  const pairWrite = async (out: HTMLElement, method: string, request: Record<string, unknown>, label: string, local: (seq?: number) => void, target = pair.name, versionPath?: string) => {
    const r = await write({ service: "mentoring", method, request, target, versionPath, label, subject: other });
    if (r.status === "sent") return reload();
    if (r.status === "queued") {
      local(r.seq);
      return rerender();
    }
    mount(out, outcomeNotice(r));
  };

  // Accept / reject a proposed pair.
  const decideOut = h("div", { "aria-live": "polite" });
  let decide: HTMLElement | null = null;
  const waitingForMe = pair.status === MentoringPairStatus.PROPOSED && !(mentor ? pair.mentorAcceptTime : pair.menteeAcceptTime);
  if (waitingForMe) {
    const accept = h("button", { class: "primary" }, "Принять");
    action(accept, decideOut, () =>
      pairWrite(decideOut, "acceptMentoringPair", { name: pair.name, side, version: pair.version }, "Согласие на пару", () => {
        if (mentor) pair.mentorAcceptTime = timestampNow();
        else pair.menteeAcceptTime = timestampNow();
      }, pair.name, "version"),
    );
    const reason = h("textarea", { rows: 2 });
    const reject = h("button", { class: "secondary" }, "Отклонить");
    action(reject, decideOut, async () => {
      if (!reason.value.trim()) {
        mount(decideOut, notice("error", "Укажите причину отказа."));
        return;
      }
      const why = reason.value.trim();
      await pairWrite(decideOut, "rejectMentoringPair", { name: pair.name, side, reason: why, version: pair.version }, "Отказ от пары", () => {
        pair.status = MentoringPairStatus.REJECTED;
        pair.closeReason = why;
      }, pair.name, "version");
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

  // Meetings: propose one (planned) or record one that took place.
  const canWrite = pair.status === MentoringPairStatus.ACTIVE;
  const meetingForm = (propose: boolean) => {
    const out = h("div", { "aria-live": "polite" });
    const iso = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    const today = iso(new Date());
    const date = h("input", { type: "date", required: true, ...(propose ? { min: today } : { max: today }) });
    date.value = propose ? iso(new Date(Date.now() + 86400000)) : today;
    const topic = h("input", { type: "text", required: true, maxlength: 300 });
    const notes = h("textarea", { rows: propose ? 2 : 4 });
    const minutes = h("input", { type: "number", min: 0, max: 600, step: 5, value: 45, inputmode: "numeric" });
    const format = select(Object.entries(meetingFormatTitle), String(MeetingFormat.IN_PERSON));
    const save = h("button", { class: "primary" }, propose ? "Предложить встречу" : "Сохранить встречу");
    action(save, out, async () => {
      const [y, mo, d] = date.value.split("-").map(Number);
      if (!y || !topic.value.trim()) {
        mount(out, notice("error", "Укажите дату и тему встречи."));
        return;
      }
      if (propose && date.value < today) {
        mount(out, notice("error", "Предложить можно встречу сегодня или позже; прошедшую — запишите как состоявшуюся."));
        return;
      }
      const meeting = create(MentoringMeetingSchema, {
        meetingDate: create(DateSchema, { year: y, month: mo, day: d }),
        topic: topic.value.trim(),
        notes: notes.value.trim(),
        durationMinutes: Number(minutes.value) || 0,
        format: Number(format.value),
        held: !propose,
      });
      await pairWrite(out, "createMentoringMeeting", { parent: pair.name, meeting }, propose ? `Предложение встречи ${dateText(meeting.meetingDate)}` : `Встреча ${dateText(meeting.meetingDate)}`, (seq) => {
        queuedMeetings.set(meeting, seq);
        meetings.push(meeting);
      });
    });
    return h(
      "details",
      { class: "card", open: propose && !meetings.length ? true : undefined },
      h("summary", {}, propose ? "Предложить встречу" : "Записать состоявшуюся встречу"),
      field("Дата", date),
      field("Тема", topic),
      field(propose ? "Комментарий (место, что подготовить)" : "Заметки", notes),
      field("Длительность, мин", minutes),
      field("Формат", format),
      save,
      out,
    );
  };

  const meetingItem = (m: MentoringMeeting) => {
    const out = h("div", { "aria-live": "polite" });
    const edit = h("textarea", { rows: 3 });
    edit.value = m.notes;
    const save = h("button", { class: "secondary" }, "Сохранить заметки");
    action(save, out, async () => {
      const text = edit.value.trim();
      await pairWrite(
        out,
        "updateMentoringMeeting",
        { meeting: create(MentoringMeetingSchema, { name: m.name, notes: text, held: true, version: m.version }), updateMask: create(FieldMaskSchema, { paths: ["notes", "held"] }) },
        `Заметки о встрече ${dateText(m.meetingDate)}`,
        () => {
          m.notes = text;
          m.held = true;
        },
        m.name,
        "meeting.version",
      );
    });
    return h(
      "li",
      { class: "card meeting" },
      h("p", {}, h("strong", {}, dateText(m.meetingDate)), ` · ${m.topic} `, chip(m.held ? "состоялась" : "запланирована", m.held ? "st-3" : "st-1")),
      h("p", { class: "muted" }, [meetingFormatTitle[m.format], m.durationMinutes ? `${m.durationMinutes} мин` : ""].filter(Boolean).join(" · ")),
      m.notes ? h("p", { class: "notes" }, m.notes) : null,
      !m.name ? waitingMark(queuedMeetings.get(m), pair.name, "createMentoringMeeting") : canWrite ? h("details", {}, h("summary", {}, m.notes ? "Изменить заметки" : "Добавить заметки"), field("Заметки о встрече", edit), save, out) : null,
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
    const feedback = create(MentoringFeedbackSchema, { rating: Number(rating.value), text: ftext.value.trim(), side });
    await pairWrite(fOut, "createMentoringFeedback", { parent: pair.name, feedback: { rating: feedback.rating, text: feedback.text } }, "Отзыв о наставничестве", () => feedbacks.push(feedback));
  });
  const sideTitle = (s: PairSide) => (s === PairSide.MENTOR ? "наставник" : "наставляемый");

  mount(
    main,
    h("p", { class: "back" }, h("a", { href: "#/mentoring" }, "← Наставничество")),
    h("h1", {}, mentor ? `Наставляемый: ${other}` : `Наставник: ${other}`),
    staleAt ? staleNote(staleAt) : null,
    pendingMarks(pair.name),
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
    contactCard(pair, mentor),
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
      canWrite ? meetingForm(true) : null,
      canWrite ? meetingForm(false) : null,
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
