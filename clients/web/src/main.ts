// Entry point: sign-in screen, role-aware navigation and a hash router over the screens.
import { resume, session, setSignedOutHandler, signIn, signOut } from "./api";
import { Role } from "./gen/nms/v1/common_pb";
import { go, hasAny, mainScope, roleTitle } from "./app";
import { h, mount } from "./ui";
import { signInPage } from "../../shared/signin";
import { appFrame } from "../../shared/widgets";
import { orgTreeScreen } from "./screens/orgs";
import { peopleScreen, personScreen } from "./screens/people";
import { importScreen } from "./screens/import";
import { diagnosticsScreen } from "./screens/diagnostics";
import { routesScreen } from "./screens/routes";
import { routeScreen } from "./screens/route";
import { mentoringScreen } from "./screens/mentoring";
import { youngScreen } from "./screens/young";
import { monitoringScreen } from "./screens/monitoring";
import { settingsScreen } from "./screens/settings";
import { inboxScreen } from "./screens/inbox";
import { factsScreen } from "./screens/facts";
import { definitionsScreen } from "./screens/indicators";
import { accountScreen } from "./screens/directory_extras";
import { catalogueScreen } from "./screens/catalogue";
import { instrumentEditorScreen } from "./screens/instrument_editor";
import { expertScoringScreen } from "./expert_scoring";
import { practicesScreen } from "./screens/practices";

const app = document.getElementById("app")!;
const ADMINS = [Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN];
// Who may write people (policy.cc write_person): school admin, municipal methodist, regional admin.
export const EDITORS = [Role.SCHOOL_ADMIN, Role.MUNICIPAL_METHODIST, Role.REGIONAL_ADMIN];
const METHODISTS = [Role.MUNICIPAL_METHODIST, Role.REGIONAL_METHODIST, Role.REGIONAL_ADMIN];

interface NavItem {
  hash: string;
  title: string;
  roles: Role[];
}
const nav: NavItem[] = [
  { hash: "#/inbox", title: "Мои задачи", roles: ADMINS },
  { hash: "#/orgs", title: "Организации", roles: METHODISTS },
  { hash: "#/people", title: "Педагоги", roles: ADMINS },
  { hash: "#/import", title: "Импорт CSV", roles: EDITORS },
  { hash: "#/diagnostics", title: "Диагностика", roles: ADMINS },
  { hash: "#/routes", title: "ИОМ", roles: [...ADMINS, Role.TEACHER] },
  { hash: "#/catalogue", title: "Каталог мероприятий", roles: ADMINS },
  { hash: "#/mentoring", title: "Наставничество", roles: ADMINS },
  { hash: "#/young", title: "Молодые педагоги", roles: ADMINS },
  { hash: "#/monitoring", title: "Мониторинг", roles: ADMINS },
  { hash: "#/facts", title: "Учёт для показателей", roles: ADMINS },
  { hash: "#/practices", title: "Банк практик", roles: [...ADMINS, Role.TEACHER] },
  { hash: "#/settings", title: "Настройки", roles: [Role.REGIONAL_ADMIN, Role.REGIONAL_METHODIST] },
];

function signInScreen(message?: string) {
  document.title = "Вход — НМС";
  const { page, login } = signInPage({
    title: "НМС",
    subtitle: "Региональная система научно-методического сопровождения педагогических работников",
    message,
    formClass: "signin card",
    buttonClass: "primary",
    submit: async (l, p) => {
      await signIn(l, p);
      if (!location.hash || location.hash === "#/signin") location.hash = defaultHash();
      await render();
    },
  });
  mount(app, page);
  login.focus();
}

function defaultHash(): string {
  // Staff start from their task inbox; teachers from their ИОМ.
  if (hasAny(...ADMINS)) return "#/inbox";
  return "#/routes";
}

let shell: { main: HTMLElement; navEl: HTMLElement } | null = null;

function buildShell() {
  const p = session.principal!;
  const rolesText = [...new Set(p.grants.map((g) => roleTitle[g.role] ?? ""))].join(", ");
  const scope = mainScope();
  const navEl = h(
    "nav",
    { class: "side", "aria-label": "Разделы" },
    h("ul", {}, nav.filter((n) => hasAny(...n.roles)).map((n) => h("li", {}, h("a", { href: n.hash }, n.title)))),
  );
  const main = appFrame(
    app,
    [
      h("div", { class: "brand" }, "НМС"),
      h("div", { class: "who" }, h("a", { class: "who-name", href: "#/account", title: "Учётная запись и смена пароля" }, p.displayName || p.login), h("span", { class: "who-role" }, `${rolesText} · ${scope.title}`)),
      h(
        "button",
        {
          class: "link",
          onclick: async () => {
            await signOut();
            shell = null;
            location.hash = "";
            signInScreen("Вы вышли из системы.");
          },
        },
        "Выйти",
      ),
    ],
    [navEl],
  );
  shell = { main, navEl };
}

async function render() {
  if (!session.principal) return signInScreen();
  if (!shell) buildShell();
  const { main, navEl } = shell!;
  if (!location.hash || location.hash === "#/" || location.hash === "#/signin") {
    location.replace(defaultHash());
    return;
  }
  const path = location.hash.slice(1).split("?")[0];
  for (const a of navEl.querySelectorAll("a")) {
    const active = path.startsWith(a.getAttribute("href")!.slice(1));
    if (active) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const parts = path.split("/").filter(Boolean);
  // Each render gets its own view: a screen still loading when the user moves on finishes into
  // a detached element, never over the next screen.
  const view = h("div", { class: "view", "data-hash": location.hash });
  main.replaceChildren(view);
  return route(view, parts);
}

function route(main: HTMLElement, parts: string[]) {
  switch (parts[0]) {
    case "inbox":
      if (parts[1] === "expert" && parts[2]) return expertScoringScreen(main, parts[2], decodeURIComponent(parts[3] ?? ""));
      return inboxScreen(main, parts[1]);
    case "orgs":
      return orgTreeScreen(main);
    case "people":
      return parts[1] ? personScreen(main, parts[1]) : peopleScreen(main);
    case "import":
      return importScreen(main);
    case "diagnostics":
      return parts[1] === "instruments" && parts[2] ? instrumentEditorScreen(main, parts[2]) : diagnosticsScreen(main, parts[1]);
    case "routes":
      return parts[1] ? routeScreen(main, parts[1], parts[2] === "print") : routesScreen(main);
    case "mentoring":
      return mentoringScreen(main, parts[1]);
    case "young":
      return youngScreen(main);
    case "monitoring":
      return parts[1] === "definitions" ? definitionsScreen(main) : monitoringScreen(main);
    case "facts":
      return factsScreen(main, parts[1]);
    case "settings":
      return settingsScreen(main);
    case "catalogue":
      return catalogueScreen(main);
    case "account":
      return accountScreen(main);
    case "practices":
      return practicesScreen(main, parts[1], parts[2]);
    default:
      mount(main, h("h1", {}, "Страница не найдена"), h("p", {}, h("a", { href: defaultHash() }, "На главную")));
  }
}

setSignedOutHandler(() => {
  shell = null;
  signInScreen("Сеанс истёк. Войдите снова.");
});
window.addEventListener("hashchange", () => {
  void render();
  // Moves keyboard and screen-reader focus to the new screen.
  shell?.main.focus({ preventScroll: true });
});

(async () => {
  mount(app, h("p", { class: "loading" }, "Загрузка…"));
  try {
    await resume();
  } catch {
    // Falls through to the sign-in screen.
  }
  await render();
})();

export { go };
