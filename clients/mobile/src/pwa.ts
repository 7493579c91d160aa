// Progressive-web-app glue: registers the service worker (production builds only), offers the
// update when a new version is waiting, and keeps the browser's install prompt for a button.
import { h } from "./ui";

let deferredPrompt: (Event & { prompt: () => Promise<void>; userChoice: Promise<{ outcome: string }> }) | null = null;
const installListeners = new Set<() => void>();

window.addEventListener("beforeinstallprompt", (e) => {
  e.preventDefault();
  deferredPrompt = e as typeof deferredPrompt;
  for (const f of installListeners) f();
});
window.addEventListener("appinstalled", () => {
  deferredPrompt = null;
  for (const f of installListeners) f();
});

export function canInstall(): boolean {
  return deferredPrompt !== null;
}

export function onInstallChange(f: () => void): void {
  installListeners.add(f);
}

export async function promptInstall(): Promise<boolean> {
  if (!deferredPrompt) return false;
  await deferredPrompt.prompt();
  const choice = await deferredPrompt.userChoice;
  deferredPrompt = null;
  return choice.outcome === "accepted";
}

export function isStandalone(): boolean {
  return window.matchMedia("(display-mode: standalone)").matches;
}

function updateBanner(worker: ServiceWorker) {
  if (document.querySelector(".update-banner")) return;
  const banner = h(
    "div",
    { class: "update-banner", role: "status" },
    h("span", {}, "Доступна новая версия приложения."),
    h(
      "button",
      {
        class: "secondary",
        onclick: () => {
          worker.postMessage({ type: "skip-waiting" });
        },
      },
      "Обновить",
    ),
  );
  document.body.append(banner);
}

export function registerServiceWorker(): void {
  if (!("serviceWorker" in navigator) || !import.meta.env.PROD) return;
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only after the teacher asked for the update (a first install just claims the page).
    if (reloading || !document.querySelector(".update-banner")) return;
    reloading = true;
    location.reload();
  });
  navigator.serviceWorker
    .register("./sw.js", { scope: "./" })
    .then((reg) => {
      if (reg.waiting && navigator.serviceWorker.controller) updateBanner(reg.waiting);
      reg.addEventListener("updatefound", () => {
        const w = reg.installing;
        w?.addEventListener("statechange", () => {
          if (w.state === "installed" && navigator.serviceWorker.controller) updateBanner(w);
        });
      });
      // Phones keep apps open for days: look for a new version now and then.
      setInterval(() => void reg.update().catch(() => {}), 60 * 60 * 1000);
    })
    .catch(() => {
      // Without a service worker the app still works online.
    });
}
