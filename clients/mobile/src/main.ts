// Entry point of the teachers' app: sign-in, the app shell (header, bottom tab bar, network
// state), a hash router over the screens, and the service worker that makes it installable and
// lets it start without a network.
import { resume, session, setSignedOutHandler, signIn } from "./api";
import { setAfterSignOut } from "./account";
import { start as startQueue } from "./queue";
import { outboxScreen, syncBar } from "./outbox_ui";
import { onBadge, refreshBadge, resetBadgeListeners } from "./notify";
import { focusHeading, h, mount } from "./ui";
import { signInPage } from "../../shared/signin";
import { appFrame } from "../../shared/widgets";
import { homeScreen } from "./screens/home";
import { testsScreen } from "./screens/tests";
import { sessionScreen } from "./screens/session";
import { resultScreen } from "./screens/result";
import { expertScreen } from "./screens/expert";
import { routeScreen, routeItemScreen } from "./screens/route";
import { mentoringScreen, pairScreen } from "./screens/mentoring";
import { supportScreen } from "./screens/support";
import { notificationsScreen } from "./screens/notifications";
import { profileScreen } from "./screens/profile";
import { registerServiceWorker } from "./pwa";

const app = document.getElementById("app")!;

interface Tab {
  hash: string;
  title: string;
  icon: string;
}
const tabs: Tab[] = [
  { hash: "#/home", title: "Главная", icon: "M3 11l9-8 9 8v10a1 1 0 0 1-1 1h-5v-7H9v7H4a1 1 0 0 1-1-1z" },
  { hash: "#/tests", title: "Диагностика", icon: "M9 4h6v2h4v16H5V6h4zm0 7l2 2 4-4M8 17h8" },
  { hash: "#/route", title: "ИОМ", icon: "M4 19c4 0 4-6 8-6s4-8 8-8M4 19a2 2 0 1 0 0 .1M20 5a2 2 0 1 0 0 .1" },
  { hash: "#/mentoring", title: "Наставник", icon: "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 1a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5zM2 20c0-3.5 3-6 6-6s6 2.5 6 6M14 20c0-2.5 1.5-5 4-5s4 2 4 5" },
  { hash: "#/notifications", title: "Уведомления", icon: "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zm4 4h4" },
];

function icon(d: string): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

function signInScreen(message?: string) {
  shell = null;
  document.title = "Вход — НМС";
  const { page } = signInPage({
    title: "НМС — педагогу",
    subtitle: "Диагностика, индивидуальный образовательный маршрут и наставничество",
    message,
    logo: h("img", { src: "./icons/icon.svg", alt: "", class: "signin-logo", width: 72, height: 72 }),
    formClass: "signin",
    buttonClass: "primary wide",
    loginAttrs: { inputmode: "email", autocapitalize: "none" },
    refuse: () => (navigator.onLine ? null : "Нет сети. Для первого входа нужно подключение к интернету."),
    submit: async (l, p) => {
      await signIn(l, p);
      if (!location.hash || location.hash === "#/signin") location.hash = "#/home";
      await render();
      void startQueue(); // what waited while the session was over goes now
    },
  });
  mount(app, page);
}

let shell: { main: HTMLElement; nav: HTMLElement; title: HTMLElement } | null = null;

function buildShell() {
  resetBadgeListeners();
  const p = session.principal!;
  const initials = (p.displayName || p.login)
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0] ?? "")
    .join("")
    .toUpperCase();
  const title = h("span", { class: "top-title" }, "НМС");
  const nav = h(
    "nav",
    { class: "tabbar", "aria-label": "Разделы" },
    h(
      "ul",
      {},
      tabs.map((t) =>
        h(
          "li",
          {},
          h(
            "a",
            { href: t.hash, "data-tab": t.hash.slice(2) },
            icon(t.icon),
            h("span", { class: "tab-title" }, t.title),
            t.hash === "#/notifications" ? h("span", { class: "badge", hidden: true, "aria-hidden": "true" }) : null,
          ),
        ),
      ),
    ),
  );
  const badge = nav.querySelector<HTMLElement>(".badge")!;
  const notifLink = nav.querySelector<HTMLAnchorElement>("a[data-tab='notifications']")!;
  onBadge((n) => {
    badge.hidden = n === 0;
    badge.textContent = n > 9 ? "9+" : String(n);
    notifLink.setAttribute("aria-label", n ? `Уведомления: непрочитанных ${n}` : "Уведомления");
  });
  const main = appFrame(
    app,
    [
      h("a", { href: "#/home", class: "brand", "aria-label": "НМС, на главную" }, h("img", { src: "./icons/icon.svg", alt: "", width: 28, height: 28 })),
      title,
      h("a", { href: "#/profile", class: "avatar", "aria-label": `Профиль: ${p.displayName || p.login}` }, initials || "Я"),
    ],
    [syncBar()],
    [nav],
  );
  shell = { main, nav, title };
}

type Screen = (main: HTMLElement, arg?: string) => Promise<void>;
const screens: Record<string, { screen: Screen; title: string; tab: string }> = {
  home: { screen: homeScreen, title: "Главная", tab: "home" },
  tests: { screen: testsScreen, title: "Диагностика", tab: "tests" },
  test: { screen: sessionScreen, title: "Диагностика", tab: "tests" },
  result: { screen: resultScreen, title: "Результат", tab: "tests" },
  expert: { screen: expertScreen, title: "Экспертная оценка", tab: "tests" },
  route: { screen: routeScreen, title: "Мой ИОМ", tab: "route" },
  item: { screen: routeItemScreen, title: "Мероприятие ИОМ", tab: "route" },
  mentoring: { screen: mentoringScreen, title: "Наставничество", tab: "mentoring" },
  pair: { screen: pairScreen, title: "Наставничество", tab: "mentoring" },
  support: { screen: supportScreen, title: "Меры поддержки", tab: "" },
  notifications: { screen: notificationsScreen, title: "Уведомления", tab: "notifications" },
  profile: { screen: profileScreen, title: "Профиль", tab: "" },
  outbox: { screen: outboxScreen, title: "Изменения", tab: "" },
};

/** "#/route/item/5" → ["item", "5"]; "#/mentoring/3" → ["pair", "3"]. */
function parse(hash: string): [string, string | undefined] {
  const parts = hash.replace(/^#\/?/, "").split("?")[0].split("/").filter(Boolean);
  if (parts[0] === "route" && parts[1] === "item") return ["item", parts.slice(2).join("/")];
  if (parts[0] === "mentoring" && parts[1]) return ["pair", parts[1]];
  return [parts[0] ?? "home", parts[1]];
}

let renderSeq = 0;
async function render() {
  if (!session.principal) return signInScreen();
  if (!shell) buildShell();
  const { main, nav, title } = shell!;
  if (!location.hash || location.hash === "#/" || location.hash === "#/signin") {
    location.replace("#/home");
    return;
  }
  const [key, arg] = parse(location.hash);
  const entry = screens[key];
  for (const a of nav.querySelectorAll("a")) {
    if (entry && a.dataset.tab === entry.tab) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const seq = ++renderSeq;
  // Each render gets its own view: a screen still loading when the teacher moves on finishes
  // into a detached element, never over the next screen.
  const view = h("div", { class: "view", "data-hash": location.hash });
  main.replaceChildren(view);
  window.scrollTo(0, 0);
  if (!entry) {
    mount(view, h("h1", {}, "Страница не найдена"), h("p", {}, h("a", { href: "#/home" }, "На главную")));
    return;
  }
  title.textContent = entry.title;
  document.title = `${entry.title} — НМС`;
  main.dataset.screen = key;
  await entry.screen(view, arg);
  if (seq === renderSeq) focusHeading(main);
  void refreshBadge().catch(() => {});
}

setSignedOutHandler(() => signInScreen("Сеанс истёк. Войдите снова."));
window.addEventListener("hashchange", () => void render());
window.addEventListener("online", () => {
  void refreshBadge(true).catch(() => {});
  // Back online: the "no network, saved copy" notices go; a screen the teacher is not typing
  // into is reloaded with fresh data (a form being filled in is left alone).
  const view = shell?.main.querySelector<HTMLElement>(":scope > .view");
  if (!view) return;
  for (const n of view.querySelectorAll(".stale-note")) n.remove();
  if (!view.dataset.dirty) void render();
});
// A screen with typed text is never re-rendered under the teacher's fingers by the above.
document.addEventListener("input", (e) => (e.target as HTMLElement).closest<HTMLElement>(".view")?.setAttribute("data-dirty", "1"));

setAfterSignOut(() => {
  // No hashchange: the router would replace the farewell with a bare sign-in form.
  history.replaceState(null, "", location.pathname);
  signInScreen("Вы вышли из приложения.");
});

(async () => {
  registerServiceWorker();
  try {
    await resume();
  } catch {
    // Falls through to the sign-in screen.
  }
  await render();
  // Whatever was queued before the app was closed is sent now.
  if (session.principal) void startQueue();
})();
