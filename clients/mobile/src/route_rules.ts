// What the teacher may do with their own ИОМ now, and the next step — the same rules the server
// applies (server/domain/route/lifecycle.cc: Apply for the route's own teacher; items.cc:
// CheckCompletable, CheckCarryOut; revision.cc: which routes a newer result revises), so the app
// offers an action only when it will succeed and otherwise says why. DOM-free, unit-tested.
import { RouteItemStatus, RouteSignatureKind, RouteStatus, type Route, type RouteItem } from "./gen/nms/v1/route_pb";
import { plural } from "../../shared/plural";

/** The region's signature steps (RouteSettings); a region without settings requires all. */
export interface Steps {
  teacherSignatureRequired: boolean;
  schoolSignatureRequired: boolean;
  approvalRequired: boolean;
}
export const defaultSteps: Steps = { teacherSignatureRequired: true, schoolSignatureRequired: true, approvalRequired: true };

export type ActionKind = "sign" | "start" | "complete" | "revise";
export interface Offer {
  kind: ActionKind;
  label: string;
  enabled: boolean;
  /** Why it is disabled (or what it does), shown next to the button. */
  reason: string;
}

export function isClosed(it: RouteItem): boolean {
  return it.status === RouteItemStatus.DONE || (it.status === RouteItemStatus.SKIPPED && it.skipReason.trim() !== "");
}

const open = (s: RouteStatus) => s === RouteStatus.DRAFT || s === RouteStatus.AGREED || s === RouteStatus.APPROVED || s === RouteStatus.IN_PROGRESS;

/** Items are carried out (status, evidence, reports) only while the route runs. */
export function canCarryOut(route: Route): boolean {
  return route.status === RouteStatus.IN_PROGRESS;
}

export function teacherOffers(route: Route, steps: Steps): Offer[] {
  const out: Offer[] = [];
  const signed = (k: RouteSignatureKind) => route.signatures.some((s) => s.kind === k);
  if (route.newerResult && (open(route.status) || route.status === RouteStatus.COMPLETED)) {
    out.push({
      kind: "revise",
      label: route.status === RouteStatus.COMPLETED ? "Построить ИОМ на следующий период" : "Обновить ИОМ по новой диагностике",
      enabled: true,
      reason:
        route.status === RouteStatus.COMPLETED
          ? "Есть новая итоговая диагностика: по ней строится маршрут на следующий период, этот остаётся в истории."
          : "Есть новая итоговая диагностика: маршрут будет пересмотрен — выполненное сохранится, добавятся мероприятия по новым дефицитам, маршрут снова пройдёт согласование.",
    });
  }
  switch (route.status) {
    case RouteStatus.DRAFT:
      if (!signed(RouteSignatureKind.TEACHER)) {
        out.push({ kind: "sign", label: "Согласовать ИОМ", enabled: true, reason: "Согласуя, вы подписываете маршрут как педагог. Затем его подписывает руководитель организации и утверждает ЦНППМ." });
      }
      out.push({ kind: "start", label: "Приступить к выполнению", enabled: false, reason: "Приступить можно после согласования" + (steps.approvalRequired ? " и утверждения ЦНППМ." : ".") });
      break;
    case RouteStatus.AGREED:
      out.push(
        steps.approvalRequired
          ? { kind: "start", label: "Приступить к выполнению", enabled: false, reason: "Маршрут согласован и ждёт утверждения ЦНППМ — после него можно приступать." }
          : { kind: "start", label: "Приступить к выполнению", enabled: true, reason: "Маршрут согласован; утверждение в регионе не требуется." },
      );
      break;
    case RouteStatus.APPROVED:
      out.push({ kind: "start", label: "Приступить к выполнению", enabled: true, reason: "Маршрут утверждён." });
      break;
    case RouteStatus.IN_PROGRESS: {
      const left = route.items.filter((i) => !isClosed(i)).length;
      const ok = route.items.length > 0 && left === 0;
      out.push({
        kind: "complete",
        label: "Завершить ИОМ",
        enabled: ok,
        reason: ok ? "Все мероприятия закрыты — маршрут можно завершить." : route.items.length ? `Завершить можно, когда закрыты все мероприятия; осталось ${plural(left, "мероприятие", "мероприятия", "мероприятий")}.` : "В маршруте нет ни одного мероприятия.",
      });
      break;
    }
    default:
      break;
  }
  return out;
}

/** The open item due first (undated ones last), for "the next step". */
export function nextItem(route: Route): RouteItem | null {
  const key = (it: RouteItem) => (it.deadline?.year ? it.deadline.year * 10000 + it.deadline.month * 100 + it.deadline.day : 99999999);
  const items = route.items.filter((i) => i.status === RouteItemStatus.PLANNED || i.status === RouteItemStatus.IN_PROGRESS);
  items.sort((a, b) => (b.status === RouteItemStatus.IN_PROGRESS ? 1 : 0) - (a.status === RouteItemStatus.IN_PROGRESS ? 1 : 0) || key(a) - key(b) || a.section - b.section || a.position - b.position);
  return items[0] ?? null;
}

/** One sentence: what happens next with the route, and who does it. */
export function nextStep(route: Route, steps: Steps): string {
  const signed = (k: RouteSignatureKind) => route.signatures.some((s) => s.kind === k);
  switch (route.status) {
    case RouteStatus.DRAFT:
      if (steps.teacherSignatureRequired && !signed(RouteSignatureKind.TEACHER)) return "Проверьте маршрут и согласуйте его — подпишите как педагог.";
      return signed(RouteSignatureKind.TEACHER) ? "Вы подписали маршрут. Ждём подписи представителя организации." : "Ждём подписи представителя организации.";
    case RouteStatus.AGREED:
      return steps.approvalRequired ? "Ждём утверждения ЦНППМ." : "Маршрут согласован — приступайте к выполнению.";
    case RouteStatus.APPROVED:
      return "Маршрут утверждён — приступайте к выполнению.";
    case RouteStatus.IN_PROGRESS: {
      const it = nextItem(route);
      if (!it) return "Все мероприятия закрыты — завершите маршрут.";
      const when = it.deadline?.year ? `, срок ${String(it.deadline.day).padStart(2, "0")}.${String(it.deadline.month).padStart(2, "0")}.${it.deadline.year}` : "";
      return `${it.status === RouteItemStatus.IN_PROGRESS ? "Продолжите" : "Следующее мероприятие"}: «${it.title}»${when}.`;
    }
    case RouteStatus.COMPLETED:
      return route.newerResult ? "Маршрут завершён. По новой диагностике можно построить маршрут на следующий период." : "Маршрут завершён. Следующий строится по новой диагностике.";
    default:
      return "Маршрут отменён.";
  }
}
