// Renders the app icons (PNG, the sizes the web manifest and iOS ask for) from the SVGs in
// public/icons with headless Debian chromium via playwright-core (from tests/e2e). The PNGs are
// small and committed; run `npm run icons` after editing an SVG.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const icons = join(here, "..", "public", "icons");
const require = createRequire(join(here, "..", "..", "..", "tests", "e2e", "package.json"));
const { chromium } = require("playwright-core");

const targets = [
  { svg: "icon.svg", png: "icon-192.png", size: 192 },
  { svg: "icon.svg", png: "icon-512.png", size: 512 },
  { svg: "maskable.svg", png: "maskable-512.png", size: 512 },
  { svg: "maskable.svg", png: "apple-touch-icon.png", size: 180 },
];

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const t of targets) {
    const svg = readFileSync(join(icons, t.svg), "utf8");
    await page.setViewportSize({ width: t.size, height: t.size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace("<svg ", `<svg width="${t.size}" height="${t.size}" `)}</body></html>`);
    await page.screenshot({ path: join(icons, t.png), omitBackground: true, clip: { x: 0, y: 0, width: t.size, height: t.size } });
    console.log(`${t.png} ${t.size}x${t.size}`);
  }
} finally {
  await browser.close();
}
