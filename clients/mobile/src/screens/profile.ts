// Profile: who is signed in, the app's state on this phone (installed, offline copy, queue),
// support measures, sign-out.
import { api, isNetworkError, session } from "../api";
import { fresh, remember } from "../cache";
import { PersonSchema, type Person } from "../gen/nms/v1/directory_pb";
import { signOutEverywhere } from "../account";
import { roleTitle } from "../../../shared/titles";
import { canInstall, isStandalone, onInstallChange, promptInstall } from "../pwa";
import { onQueueChange, queueState, write } from "../queue";
import { outcomeNotice } from "../outbox_ui";
import { action, errorNotice, field, h, loading, mount, notice, plural, staleNote } from "../ui";
import { confirmDialog } from "../../../shared/dialog";

/**
 * The teacher's own contacts: phone and e-mail are theirs to edit (UpdatePerson with a mask of
 * just those); name, position and the rest are kept by the school and only shown.
 */
async function contactsCard(box: HTMLElement): Promise<void> {
  const name = session.principal?.person ?? "";
  if (!name) return;
  mount(box, h("h2", {}, "Мои данные"), loading());
  let person: Person;
  let stale = 0;
  try {
    const got = await fresh(PersonSchema, `person:${name}`, () => api.directory.getPerson({ name }), isNetworkError);
    person = got.msg;
    if (got.stale) stale = got.savedAt;
  } catch (e) {
    mount(box, h("h2", {}, "Мои данные"), errorNotice(e, () => void contactsCard(box)));
    return;
  }
  const render = (p: Person, note: HTMLElement | null) => {
    const phone = h("input", { type: "tel", autocomplete: "tel", inputmode: "tel", value: p.phone, placeholder: "+7 900 000-00-00" });
    const email = h("input", { type: "email", autocomplete: "email", inputmode: "email", value: p.email, placeholder: "name@school.ru" });
    const out = h("div", { "aria-live": "polite" }, note);
    const save = h("button", { class: "primary wide" }, "Сохранить контакты");
    action(save, out, async () => {
      const paths = [phone.value.trim() !== p.phone ? "phone" : "", email.value.trim() !== p.email ? "email" : ""].filter(Boolean);
      if (!paths.length) {
        mount(out, notice("info", "Изменений нет."));
        return;
      }
      const mine: Person = { ...p, phone: phone.value.trim(), email: email.value.trim() };
      // Through the queue like every other write of the teacher: kept on the phone without a
      // network, sent in order, a stale version shown side by side on the changes screen.
      const r = await write({
        service: "directory",
        method: "updatePerson",
        request: { person: { name: p.name, phone: mine.phone, email: mine.email, version: p.version }, updateMask: { paths } },
        target: p.name,
        versionPath: "person.version",
        label: "Мои контакты",
      });
      if (r.status === "sent") {
        const next = r.response as Person;
        void remember(PersonSchema, `person:${name}`, next);
        render(next, notice("success", "Контакты сохранены."));
      } else if (r.status === "queued") {
        render(mine, outcomeNotice(r));
      } else {
        mount(out, outcomeNotice(r));
      }
    });
    const fio = [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");
    mount(
      box,
      h("h2", {}, "Мои данные"),
      stale ? staleNote(stale) : null,
      h(
        "dl",
        { class: "facts" },
        h("dt", {}, "ФИО"),
        h("dd", {}, fio || "—"),
        p.position ? [h("dt", {}, "Должность"), h("dd", {}, [p.position, p.subjects.join(", ")].filter(Boolean).join(", "))] : null,
      ),
      h("p", { class: "muted small" }, "ФИО, должность и место работы ведёт ваша образовательная организация. Телефон и e-mail вы меняете сами."),
      field("Телефон", phone),
      field("E-mail", email, "Для связи с методистом и наставником"),
      save,
      out,
    );
  };
  render(person, null);
}

export async function profileScreen(main: HTMLElement): Promise<void> {
  const p = session.principal!;
  const queueEl = h("p", { role: "status" });
  const unsub = onQueueChange((q) => {
    if (!main.isConnected) return unsub();  // the teacher left this screen
    const waiting = [q.pending ? `не отправлено ${plural(q.pending, "изменение", "изменения", "изменений")}` : "", q.problems.length ? `ждут решения: ${q.problems.length}` : ""].filter(Boolean).join(", ");
    mount(queueEl, waiting ? h("a", { href: "#/outbox" }, `На телефоне ${waiting}.`) : "Все изменения отправлены.");
  });
  const installBox = h("div", {});
  const renderInstall = () => {
    if (isStandalone()) mount(installBox, h("p", { class: "muted" }, "Приложение установлено на этот телефон."));
    else if (canInstall()) {
      const b = h("button", { class: "secondary wide", onclick: () => void promptInstall().then(renderInstall) }, "Установить приложение на телефон");
      mount(installBox, b);
    } else mount(installBox, h("p", { class: "muted" }, "Чтобы установить приложение, откройте меню браузера и выберите «Добавить на главный экран»."));
  };
  onInstallChange(renderInstall);
  renderInstall();
  const swState = h("p", { class: "muted" });
  if ("serviceWorker" in navigator) {
    void navigator.serviceWorker.getRegistration().then((r) => {
      swState.textContent = r?.active ? "Работа без сети включена: приложение открывается и без интернета." : "Работа без сети будет доступна после первой загрузки.";
    });
  }
  const contacts = h("section", { class: "card contacts", "aria-label": "Мои данные" });
  void contactsCard(contacts);
  const out = h("div", { "aria-live": "polite" });
  const signOutBtn = h("button", { class: "danger wide" }, "Выйти");
  signOutBtn.addEventListener("click", async () => {
    const pending = queueState().pending;
    if (pending && !(await confirmDialog("Выйти?", `На телефоне ${plural(pending, "неотправленный ответ", "неотправленных ответа", "неотправленных ответов")}. При выходе они будут удалены.`, "Выйти и удалить", true))) return;
    if (!navigator.onLine) mount(out, notice("warn", "Нет сети: сеанс на сервере закончится сам, данные с телефона удалены."));
    await signOutEverywhere();
  });
  mount(
    main,
    h("h1", {}, p.displayName || p.login),
    h(
      "section",
      { class: "card" },
      h("p", {}, p.login),
      h("ul", { class: "plain" }, p.grants.map((g) => h("li", {}, `${roleTitle[g.role] ?? "Роль"}${g.scopeDisplayName ? ` — ${g.scopeDisplayName}` : ""}`))),
    ),
    contacts,
    h("section", { class: "card" }, h("h2", {}, "Молодым педагогам"), h("a", { class: "button secondary wide", href: "#/support" }, "Мои меры поддержки")),
    h("section", { class: "card" }, h("h2", {}, "На этом телефоне"), swState, queueEl, installBox),
    h("section", { class: "card" }, signOutBtn, out),
  );
}
