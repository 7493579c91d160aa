// The adaptive-mode fields of the new-campaign form: offered only for an instrument whose items
// are calibrated (the server refuses the flag otherwise), with the stop rule's target standard
// error and item limit per competency area.
import { api } from "../api";
import { checkbox, field, h, mount } from "../ui";
import { canManageFramework } from "./diagnostics";

export function adaptiveCampaignFields(instrument: HTMLSelectElement): { el: HTMLElement; values: () => { adaptive?: boolean; adaptiveTargetSe?: number; adaptiveMaxItems?: number } } {
  const [label, box] = checkbox("адаптивный режим: вопросы подбираются по ответам педагога");
  const se = h("input", { type: "number", min: 0.2, max: 1, step: 0.05, value: 0.35, inputmode: "decimal" });
  const max = h("input", { type: "number", min: 3, max: 50, step: 1, value: 12, inputmode: "numeric" });
  const why = h("small", { class: "muted", "aria-live": "polite" });
  const rule = h("div", { class: "grid2", hidden: true }, field("Точность (стандартная ошибка) для остановки", se, "0,2–1; меньше — точнее и длиннее"), field("Не больше вопросов на область", max, "3–50"));
  box.addEventListener("change", () => (rule.hidden = !box.checked));
  const offer = (allowed: boolean, reason: string) => {
    box.disabled = !allowed;
    if (!allowed) box.checked = false;
    rule.hidden = !box.checked;
    mount(why, reason);
  };
  const update = async () => {
    if (!canManageFramework()) return offer(false, "Адаптивный режим включают ЦНППМ и администратор региона.");
    if (!instrument.value) return offer(false, "Выберите инструмент: адаптивный режим нужен инструменту с калибровкой заданий.");
    try {
      const cal = (await api.diagnostics.getItemCalibration({ instrument: instrument.value })).calibration!;
      const bank = cal.areas.filter((a) => a.calibrated).reduce((s, a) => s + a.bankSize, 0);
      offer(bank > 0, bank > 0 ? `В адаптивном банке ${bank} откалиброванных заданий.` : "У инструмента нет откалиброванных областей.");
    } catch (e) {
      offer(false, (e as { code?: number }).code === 9 ? "Инструмент не откалиброван: запустите калибровку в разделе «Аналитика заданий»." : "Калибровка инструмента недоступна.");
    }
  };
  instrument.addEventListener("change", () => void update());
  void update();
  return {
    el: h("fieldset", { class: "adaptive" }, h("legend", {}, "Адаптивная диагностика"), label, " ", why, rule),
    values: () => (box.checked ? { adaptive: true, adaptiveTargetSe: Number(se.value), adaptiveMaxItems: Math.round(Number(max.value)) } : {}),
  };
}
