// Mentoring: mentors, mentee requests, matching proposal with explanations, pairs.
import { api, requestId } from "../api";
import { hasAny, mainScope } from "../app";
import { Role } from "../gen/nms/v1/common_pb";
import { MentoringPairStatus, PairDistance, PairSide, PairType, type MatchingProposal } from "../gen/nms/v1/mentoring_pb";
import { errorNotice, fmt, h, isUnimplemented, loading, mount, notice, table } from "../ui";

const pairTypeTitle: Record<number, string> = {
  [PairType.SUBJECT]: "предметное",
  [PairType.YOUNG_SPECIALIST]: "молодой специалист",
  [PairType.COMPETENCY_PEER]: "по компетенциям",
};
const distanceTitle: Record<number, string> = {
  [PairDistance.SAME_ORGANIZATION]: "та же организация",
  [PairDistance.SAME_MUNICIPALITY]: "тот же муниципалитет",
  [PairDistance.SAME_DISTRICT]: "тот же округ",
  [PairDistance.REGION]: "регион",
};
const pairStatusTitle: Record<number, string> = {
  [MentoringPairStatus.PROPOSED]: "предложена",
  [MentoringPairStatus.ACTIVE]: "действует",
  [MentoringPairStatus.REJECTED]: "отклонена",
  [MentoringPairStatus.COMPLETED]: "завершена",
  [MentoringPairStatus.CANCELLED]: "отменена",
};

async function section(el: HTMLElement, f: () => Promise<Node>) {
  mount(el, loading());
  try {
    mount(el, await f());
  } catch (e) {
    mount(el, errorNotice(e));
  }
}

export async function mentoringScreen(main: HTMLElement) {
  document.title = "Наставничество — НМС";
  const mentors = h("div", {});
  const requests = h("div", {});
  const matching = h("div", { "aria-live": "polite" });
  const pairs = h("div", {});
  const canMatch = hasAny(Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN); // run_matching
  const runBtn = h("button", { type: "button", class: "primary", onclick: () => void propose() }, "Подобрать пары");
  mount(
    main,
    h("h1", {}, "Наставничество"),
    h("h2", {}, "Наставники"), mentors,
    h("h2", {}, "Запросы на наставника"), requests,
    canMatch ? h("h2", {}, "Подбор пар") : null, canMatch ? h("p", {}, runBtn) : null, matching,
    h("h2", {}, "Пары"), pairs,
  );
  const loadPairs = () =>
    section(pairs, async () => {
      const r = await api.mentoring.listMentoringPairs({ pageSize: 100 });
      if (!r.pairs.length) return h("p", { class: "muted" }, "Пар пока нет.");
      return table(
        ["Наставник", "Наставляемый", "Вид", "Статус", ""],
        r.pairs.map((p) => [
          p.mentorDisplayName,
          p.menteeDisplayName,
          pairTypeTitle[p.pairType] ?? "—",
          pairStatusTitle[p.status] ?? "—",
          p.status === MentoringPairStatus.PROPOSED
            ? h("span", { class: "row-actions" },
                h("button", { type: "button", onclick: () => void pairAct(p.name, p.version, true) }, "Принять"),
                h("button", { type: "button", onclick: () => void pairAct(p.name, p.version, false) }, "Отклонить"))
            : "",
        ]),
      );
    });
  const pairAct = async (name: string, version: bigint, accept: boolean) => {
    try {
      if (accept) await api.mentoring.acceptMentoringPair({ name, version, side: PairSide.MENTOR, requestId: requestId() });
      else await api.mentoring.rejectMentoringPair({ name, version, side: PairSide.MENTOR, reason: "Отклонено администратором", requestId: requestId() });
      await loadPairs();
    } catch (e) {
      mount(pairs, errorNotice(e));
    }
  };
  const propose = async () => {
    runBtn.setAttribute("disabled", "");
    mount(matching, loading("Подбор пар… Это может занять несколько секунд."));
    try {
      const r = await api.mentoring.proposeMatching({ scope: mainScope().scope, requestId: requestId() });
      showProposal(matching, r.proposal!, loadPairs);
    } catch (e) {
      mount(matching, errorNotice(e));
    } finally {
      runBtn.removeAttribute("disabled");
    }
  };
  await Promise.all([
    section(mentors, async () => {
      const r = await api.mentoring.listMentorProfiles({ pageSize: 100 }).catch((e) => {
        if (isUnimplemented(e)) runBtn.remove();
        throw e;
      });
      if (!r.profiles.length) return h("p", { class: "muted" }, "Наставников пока нет.");
      return table(["Наставник", "Предметы", "Нагрузка"], r.profiles.map((p) => [p.displayName, p.subjects.join(", ") || "—", `${p.currentLoad} из ${p.capacity}`]));
    }),
    section(requests, async () => {
      const r = await api.mentoring.listMenteeRequests({ pageSize: 100 });
      if (!r.requests.length) return h("p", { class: "muted" }, "Открытых запросов нет.");
      return table(["Педагог", "Вид", "Предметы"], r.requests.map((q) => [q.displayName, pairTypeTitle[q.pairType] ?? "—", q.subjects.join(", ") || "—"]));
    }),
    loadPairs(),
  ]);
}

function showProposal(el: HTMLElement, p: MatchingProposal, reload: () => Promise<void>) {
  const checks = p.pairs.map((x) => h("input", { type: "checkbox", checked: true, "aria-label": `Принять пару ${x.mentorDisplayName} — ${x.menteeDisplayName}` }));
  const status = h("div", { "aria-live": "polite" });
  const apply = h("button", {
    type: "button",
    class: "primary",
    onclick: async () => {
      try {
        const idx = p.pairs.filter((_, i) => checks[i].checked).map((x) => x.index);
        await api.mentoring.applyMatchingProposal({ name: p.name, pairIndices: idx, version: p.version, requestId: requestId() });
        mount(status, notice("success", `Создано пар: ${idx.length}.`));
        await reload();
      } catch (e) {
        mount(status, errorNotice(e));
      }
    },
  }, "Принять отмеченные");
  const discard = h("button", {
    type: "button",
    onclick: async () => {
      try {
        await api.mentoring.discardMatchingProposal({ name: p.name, version: p.version, requestId: requestId() });
        mount(el, notice("info", "Предложение отклонено."));
      } catch (e) {
        mount(status, errorNotice(e));
      }
    },
  }, "Отклонить всё");
  mount(
    el,
    p.stats ? h("p", {}, `Подобрано ${p.stats.matched} из ${p.stats.mentees} запросов; наставников ${p.stats.mentors}.`) : null,
    table(
      ["", "Наставник", "Наставляемый", "Вид", "Почему эта пара"],
      p.pairs.map((x, i) => [
        checks[i],
        x.mentorDisplayName,
        x.menteeDisplayName,
        pairTypeTitle[x.pairType] ?? "—",
        h("span", {}, x.explanation?.summary || "",
          x.explanation ? h("small", { class: "muted" }, ` (${distanceTitle[x.explanation.distance] ?? ""}; общие предметы: ${x.explanation.sharedSubjects.join(", ") || "нет"}; нагрузка ${x.explanation.mentorLoadAfter}/${x.explanation.mentorCapacity})`) : null),
      ]),
      "Предложенные пары",
    ),
    p.unmatched.length ? h("p", { class: "muted" }, `Без пары: ${fmt(p.unmatched.length)}.`) : null,
    h("div", { class: "row-actions" }, apply, discard),
    status,
  );
}
