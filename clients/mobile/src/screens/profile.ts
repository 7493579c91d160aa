// Profile: who is signed in, the app's state on this phone (installed, offline copy, queue),
// support measures, sign-out.
import { session } from "../api";
import { signOutEverywhere } from "../account";
import { roleTitle } from "../roles";
import { canInstall, isStandalone, onInstallChange, promptInstall } from "../pwa";
import { onQueueChange, queueState } from "../queue";
import { h, mount, notice, plural } from "../ui";

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
  const out = h("div", { "aria-live": "polite" });
  const signOutBtn = h("button", { class: "danger wide" }, "Выйти");
  signOutBtn.addEventListener("click", async () => {
    const pending = queueState().pending;
    if (pending && !confirm(`На телефоне ${plural(pending, "неотправленный ответ", "неотправленных ответа", "неотправленных ответов")}. При выходе они будут удалены. Выйти?`)) return;
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
    h("section", { class: "card" }, h("h2", {}, "Молодым педагогам"), h("a", { class: "button secondary wide", href: "#/support" }, "Мои меры поддержки")),
    h("section", { class: "card" }, h("h2", {}, "На этом телефоне"), swState, queueEl, installBox),
    h("section", { class: "card" }, signOutBtn, out),
  );
}
