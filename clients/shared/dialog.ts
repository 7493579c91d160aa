// Modal dialogs in place of the browser's prompt()/confirm(): a real <dialog> with labelled
// fields, required ones refused when blank (with a message next to the field), Escape cancels.
import { h } from "./dom";

export interface DialogField {
  name: string;
  label: string;
  /** text (one line), textarea, or radio (a choice among `options`). */
  kind?: "text" | "textarea" | "radio";
  required?: boolean;
  options?: [string, string][];
  value?: string;
  hint?: string;
  maxLength?: number;
}

export interface DialogOptions {
  title: string;
  text?: string;
  fields?: DialogField[];
  ok: string;
  cancel?: string;
  danger?: boolean;
}

let seq = 0;

/** Shows a modal form; resolves with the fields' trimmed values, or null when cancelled. */
export function askDialog(o: DialogOptions): Promise<Record<string, string> | null> {
  const id = `dlg-${++seq}`;
  const fields = o.fields ?? [];
  const inputs = new Map<string, () => string>();
  const errors = new Map<string, HTMLElement>();
  const focusables = new Map<string, HTMLElement>();
  const body = fields.map((f, k) => {
    const fid = `${id}-f${k}`;
    const err = h("p", { class: "field-error", id: `${fid}-err`, role: "alert", hidden: true });
    errors.set(f.name, err);
    if (f.kind === "radio") {
      const radios = (f.options ?? []).map(([v]) =>
        h("input", { type: "radio", name: `${fid}`, value: v, checked: v === f.value, required: f.required }),
      );
      inputs.set(f.name, () => radios.find((r) => r.checked)?.value ?? "");
      focusables.set(f.name, radios[0]);
      return h(
        "fieldset",
        { class: "radios", "aria-describedby": `${fid}-err` },
        h("legend", {}, f.label),
        (f.options ?? []).map(([, t], i) => h("label", {}, radios[i], ` ${t}`)),
        err,
      );
    }
    const input =
      f.kind === "textarea"
        ? h("textarea", { id: fid, rows: 3, required: f.required, maxlength: f.maxLength ?? 1000, "aria-describedby": `${fid}-err` })
        : h("input", { id: fid, type: "text", required: f.required, maxlength: f.maxLength ?? 500, "aria-describedby": `${fid}-err` });
    input.value = f.value ?? "";
    inputs.set(f.name, () => input.value.trim());
    focusables.set(f.name, input);
    return h("div", { class: "field" }, h("label", { for: fid }, f.label), input, f.hint ? h("small", { class: "hint" }, f.hint) : null, err);
  });
  const okBtn = h("button", { type: "submit", class: o.danger ? "danger" : "primary" }, o.ok);
  const cancelBtn = h("button", { type: "button" }, o.cancel ?? "Отмена");
  const form = h("form", { novalidate: true }, body, h("div", { class: "dialog-actions" }, okBtn, cancelBtn));
  const dlg = h(
    "dialog",
    { class: "modal", "aria-labelledby": `${id}-t` },
    h("h2", { id: `${id}-t` }, o.title),
    o.text ? h("p", {}, o.text) : null,
    form,
  );
  return new Promise((resolve) => {
    let result: Record<string, string> | null = null;
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const values: Record<string, string> = {};
      let firstBad: HTMLElement | null = null;
      for (const f of fields) {
        const v = inputs.get(f.name)!();
        values[f.name] = v;
        const err = errors.get(f.name)!;
        const bad = f.required && !v;
        err.hidden = !bad;
        err.textContent = bad ? (f.kind === "radio" ? "Выберите один из вариантов." : "Заполните это поле.") : "";
        focusables.get(f.name)?.setAttribute("aria-invalid", bad ? "true" : "false");
        if (bad && !firstBad) firstBad = focusables.get(f.name) ?? null;
      }
      if (firstBad) return (firstBad as HTMLElement).focus();
      result = values;
      dlg.close();
    });
    cancelBtn.addEventListener("click", () => dlg.close());
    dlg.addEventListener("close", () => {
      dlg.remove();
      resolve(result);
    });
    document.body.append(dlg);
    dlg.showModal();
    (fields.length ? focusables.get(fields[0].name) : okBtn)?.focus();
  });
}

/** A yes/no question; resolves true when confirmed. */
export async function confirmDialog(title: string, text: string, ok: string, danger = false): Promise<boolean> {
  return (await askDialog({ title, text, ok, danger })) !== null;
}
