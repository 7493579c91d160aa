// The ИОМ template's row details (docs/domain.md §3): 2.1 «Тема» / «Мероприятие, на котором представлен
// опыт», 2.2 «Наименование продукта» / «Где представлены, размещены, используются», section 3's
// sub-row («с наставником» / «в качестве наставника») and the mentee's position. Shown under an
// item's title, edited with the item (draft) or alone while the route is carried out.
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { api, requestId } from "../api";
import { RouteMentoringRole, RouteSection, type RouteItem } from "../gen/nms/v1/route_pb";
import { act, field, h, notice, select } from "../ui";

export const mentoringRoleTitle: Record<number, string> = {
  [RouteMentoringRole.WITH_MENTOR]: "Работа с наставником",
  [RouteMentoringRole.AS_MENTOR]: "Работа в качестве наставника",
};

/** Sections whose rows carry details of their own. */
export const hasDetails = (s: RouteSection) =>
  s === RouteSection.EXPERIENCE_PRESENTATION || s === RouteSection.METHODOLOGICAL_MATERIALS || s === RouteSection.MENTORING;

/** Lines under the item's title: what the template's columns of its section say. */
export function detailsLines(i: RouteItem): HTMLElement | null {
  const lines: [string, string][] = [];
  if (i.section === RouteSection.MENTORING && i.mentoringRole) lines.push(["", mentoringRoleTitle[i.mentoringRole] ?? ""]);
  if (i.experienceTopic) lines.push(["Тема: ", i.experienceTopic]);
  if (i.experienceEvent) lines.push(["Мероприятие: ", i.experienceEvent]);
  if (i.productTitle) lines.push(["Продукт: ", i.productTitle]);
  if (i.productPlacement) lines.push(["Где размещён: ", i.productPlacement]);
  if (i.menteePosition) lines.push(["Должность подопечного: ", i.menteePosition]);
  if (!lines.length) return null;
  return h("small", { class: "item-details" }, ...lines.flatMap(([k, v]) => [h("br"), k ? h("span", { class: "muted" }, k) : null, v]));
}

/** The detail fields of an item, as sent in a create or update. */
export interface Details {
  experienceTopic?: string;
  experienceEvent?: string;
  productTitle?: string;
  productPlacement?: string;
  mentoringRole?: RouteMentoringRole;
  menteePosition?: string;
}

export interface DetailInputs {
  fields: HTMLElement[];
  paths: string[];
  value(): Details;
  /** A catalogue activity of section 3 decides the sub-row. */
  setRole?(r: RouteMentoringRole): void;
}

/** Inputs of the section's details; nothing for sections without them. */
export function detailInputs(s: RouteSection, i?: RouteItem): DetailInputs {
  const text = (value: string, max: number, placeholder: string) => h("input", { type: "text", value, maxlength: max, placeholder });
  if (s === RouteSection.EXPERIENCE_PRESENTATION) {
    const topic = text(i?.experienceTopic ?? "", 500, "о чём опыт");
    const event = text(i?.experienceEvent ?? "", 500, "конференция, семинар, РМО; дата");
    return {
      fields: [field("Тема", topic), field("Мероприятие, на котором представлен опыт", event)],
      paths: ["experience_topic", "experience_event"],
      value: () => ({ experienceTopic: topic.value.trim(), experienceEvent: event.value.trim() }),
    };
  }
  if (s === RouteSection.METHODOLOGICAL_MATERIALS) {
    const product = text(i?.productTitle ?? "", 500, "методическая разработка, сборник, курс");
    const placement = text(i?.productPlacement ?? "", 500, "сайт школы, сборник, где используется");
    return {
      fields: [field("Наименование продукта", product), field("Где представлены, размещены, используются", placement)],
      paths: ["product_title", "product_placement"],
      value: () => ({ productTitle: product.value.trim(), productPlacement: placement.value.trim() }),
    };
  }
  if (s === RouteSection.MENTORING) {
    const role = select(
      [[String(RouteMentoringRole.WITH_MENTOR), "с наставником"], [String(RouteMentoringRole.AS_MENTOR), "в качестве наставника"]],
      String(i?.mentoringRole || RouteMentoringRole.WITH_MENTOR),
    );
    const mentee = text(i?.menteePosition ?? "", 255, "например, учитель математики, молодой специалист");
    const hint = h("small", { class: "hint" });
    const sync = () => {
      const asMentor = Number(role.value) === RouteMentoringRole.AS_MENTOR;
      mentee.toggleAttribute("disabled", !asMentor);
      hint.textContent = asMentor ? "" : "заполняется для работы в качестве наставника";
    };
    role.addEventListener("change", sync);
    sync();
    const menteeField = field("Должность подопечного", mentee);
    menteeField.append(hint);
    return {
      fields: [field("Работа", role), menteeField],
      paths: ["mentoring_role", "mentee_position"],
      value: () => {
        const r = Number(role.value) as RouteMentoringRole;
        return { mentoringRole: r, menteePosition: r === RouteMentoringRole.AS_MENTOR ? mentee.value.trim() : "" };
      },
      setRole: (r) => {
        role.value = String(r);
        sync();
      },
    };
  }
  return { fields: [], paths: [], value: () => ({}) };
}

/** While the route is carried out only the details change (the server allows them then). */
export function detailsEditor(i: RouteItem, out: HTMLElement, reload: (msg?: HTMLElement) => void): HTMLElement | null {
  if (!hasDetails(i.section)) return null;
  const d = detailInputs(i.section, i);
  const save = h("button", { type: "submit", class: "primary small" }, "Сохранить");
  const form = h(
    "form",
    {
      class: "item-form",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void act(save, out, async () => {
          await api.route.updateRouteItem({
            item: { name: i.name, version: i.version, ...d.value() },
            updateMask: create(FieldMaskSchema, { paths: d.paths }),
            requestId: requestId(),
          });
          reload(notice("success", "Сведения пункта сохранены."));
        });
      },
    },
    ...d.fields,
    save,
  );
  return h("details", { class: "edit" }, h("summary", { "aria-label": `Уточнить пункт «${i.title}»` }, "Уточнить"), form);
}
