// Diagnostics: the campaigns open to the teacher (start or continue), and their results.
import { api, isNetworkError, requestId } from "../api";
import { fresh } from "../cache";
import { campaigns, mySessions } from "../data";
import { CampaignState, ListDiagnosticResultsResponseSchema, SessionState, type Campaign, type Session } from "../gen/nms/v1/diagnostics_pb";
import { action, chip, dateText, errorNotice, h, idOf, levelClass, levelTitle, loading, mount, notice, plural, staleNote, tsMillis, tsText } from "../ui";

function sessionOf(c: Campaign, sessions: Session[]): Session | undefined {
  return sessions.filter((s) => s.campaign === c.name).sort((a, b) => b.attempt - a.attempt)[0];
}

function startButton(c: Campaign, status: HTMLElement, label: string): HTMLButtonElement {
  const b = h("button", { class: "primary wide" }, label);
  action(b, status, async () => {
    if (!navigator.onLine) {
      mount(status, notice("warn", "Нет сети: начать диагностику можно после подключения."));
      return;
    }
    const r = await api.diagnostics.startSession({ campaign: c.name, requestId: requestId() });
    location.hash = `#/test/${idOf(r.session!.name)}`;
  });
  return b;
}

/** Shows the retake when the teacher may start another attempt (ListCampaignParticipants reaches only their own row). */
async function offerRetake(c: Campaign, box: HTMLElement, status: HTMLElement): Promise<void> {
  try {
    const r = await api.diagnostics.listCampaignParticipants({ campaign: c.name, pageSize: 1 });
    const me = r.participants[0];
    if (!me?.newAttemptAllowed) return;
    const left = me.attemptsAllowed ? me.attemptsAllowed - me.attempts : 0;
    mount(
      box,
      notice(
        "info",
        me.retakesGranted
          ? `Вам назначена повторная попытка${left > 0 ? ` (осталось: ${left})` : ""}. По новому результату маршрут развития можно будет обновить.`
          : "Кампания разрешает пройти диагностику ещё раз.",
      ),
      startButton(c, status, "Начать новую попытку"),
    );
  } catch {
    // Offline or not reachable: the result link stays; the retake shows next time.
  }
}

function campaignCard(c: Campaign, s: Session | undefined): HTMLElement {
  const status = h("div", { "aria-live": "polite" });
  const retake = h("div", { class: "retake" });
  const now = Date.now();
  const opens = tsMillis(c.openTime);
  const closes = tsMillis(c.closeTime);
  const inWindow = c.state === CampaignState.LAUNCHED && (!opens || opens <= now) && (!closes || closes > now);
  let button: HTMLButtonElement | HTMLAnchorElement | null = null;
  let state = "";
  if (s && s.state === SessionState.IN_PROGRESS) {
    state = `начата, отвечено ${s.answeredCount} из ${s.itemCount}`;
    button = h("a", { class: "button primary wide", href: `#/test/${idOf(s.name)}` }, "Продолжить");
  } else if (s && s.result) {
    state = s.state === SessionState.TIMED_OUT ? "время истекло, ответы оценены" : "пройдена";
    button = h("a", { class: "button secondary wide", href: `#/result/${idOf(s.result)}` }, "Результат");
    // A retake granted by the school or the ЦНППМ (GrantRetake), or allowed by the campaign:
    // the server says whether a new attempt would be accepted.
    if (inWindow) void offerRetake(c, retake, status);
  } else if (inWindow) {
    state = "не начата";
    button = startButton(c, status, "Начать");
  } else {
    state = opens > now ? `откроется ${tsText(c.openTime)}` : "приём ответов закрыт";
  }
  const limit = c.timeLimitSeconds ? plural(Math.round(c.timeLimitSeconds / 60), "минута", "минуты", "минут") : "без ограничения";
  return h(
    "article",
    { class: "card campaign", "data-campaign": c.name },
    h("h2", {}, c.title),
    c.purpose ? h("p", { class: "purpose" }, c.purpose) : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Статус"),
      h("dd", {}, state),
      h("dt", {}, "Время на работу"),
      h("dd", {}, limit),
      closes ? h("dt", {}, "Принимается до") : null,
      closes ? h("dd", {}, tsText(c.closeTime)) : null,
    ),
    c.voluntary ? h("p", { class: "muted" }, "Участие добровольное. Результат нужен, чтобы построить ваш маршрут развития, — это не аттестация.") : null,
    status,
    button,
    retake,
  );
}

export async function testsScreen(main: HTMLElement): Promise<void> {
  const list = h("div", {}, loading());
  const results = h("div", {}, loading());
  mount(main, h("h1", {}, "Диагностика"), h("p", { class: "lead" }, "Работу можно прервать и продолжить с того же места, в том числе на другом устройстве. Ответы сохраняются сразу, без сети — на телефоне."), list, h("h2", {}, "Мои результаты"), results);
  const load = async () => {
    try {
      const [camps, sessions] = await Promise.all([campaigns(), mySessions()]);
      const ss = sessions.msg.sessions;
      const shown = camps.msg.campaigns.filter((c) => c.state === CampaignState.LAUNCHED || ss.some((s) => s.campaign === c.name));
      mount(
        list,
        camps.stale || sessions.stale ? staleNote(Math.min(camps.savedAt, sessions.savedAt)) : null,
        shown.length ? h("div", { class: "stack" }, shown.map((c) => campaignCard(c, sessionOf(c, ss)))) : notice("info", "Сейчас нет открытых диагностик. Когда методист откроет диагностику для вас, она появится здесь."),
      );
    } catch (e) {
      mount(list, errorNotice(e, () => void load()));
    }
    try {
      const r = await fresh(ListDiagnosticResultsResponseSchema, "results", () => api.diagnostics.listDiagnosticResults({ pageSize: 50 }), isNetworkError);
      const rows = [...r.msg.results].sort((a, b) => Number((b.createTime?.seconds ?? 0n) - (a.createTime?.seconds ?? 0n)));
      mount(
        results,
        rows.length
          ? h(
              "ul",
              { class: "list" },
              rows.map((x) =>
                h(
                  "li",
                  {},
                  h(
                    "a",
                    { href: `#/result/${idOf(x.name)}`, class: "row-link" },
                    h("span", { class: "row-main" }, `Диагностика от ${dateText(x.diagnosisDate)}`, h("small", {}, x.externalSource || "")),
                    chip(levelTitle[x.overallLevel] ?? "—", levelClass[x.overallLevel] ?? ""),
                  ),
                ),
              ),
            )
          : h("p", { class: "muted" }, "Результатов пока нет."),
      );
    } catch (e) {
      mount(results, errorNotice(e));
    }
  };
  await load();
}
