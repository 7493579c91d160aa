// Browser tests of the НМС web client (playwright-core driving Debian's chromium, headless)
// against the real stack started by run.sh. Env: NMS_WEB_URL, NMS_E2E_DB_PORT, NMS_E2E_DB_NAME,
// NMS_SCREENSHOTS. Screens whose service still answers UNIMPLEMENTED must show the notice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = process.env.NMS_WEB_URL ?? "http://127.0.0.1:18080/";
const shots = process.env.NMS_SCREENSHOTS ?? new URL("../../out/screenshots/web/", import.meta.url).pathname;
const PASSWORD = "demo12345";
mkdirSync(shots, { recursive: true });

let browser;
const pageErrors = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
});

function sql(query) {
  return execFileSync("mariadb", ["--no-defaults", "-h127.0.0.1", `-P${process.env.NMS_E2E_DB_PORT}`, "-uroot", "-N", "-B", process.env.NMS_E2E_DB_NAME ?? "nms", "-e", query], { encoding: "utf8" }).trim();
}

async function newPage(viewport = { width: 1366, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "ru-RU" });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  return page;
}

async function signIn(page, login) {
  await page.goto(base);
  await page.getByLabel("Логин (e-mail)").fill(login);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.locator("nav[aria-label='Разделы']").waitFor();
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Waits until a screen has finished loading (no spinner left in main). */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector("main .loading"), null, { timeout: 20000 });
}

/** Every form control on the screen has an accessible name (a <label> or aria-label). */
async function assertLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("main input, main select, main textarea")]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
}

/** True when the section answered UNIMPLEMENTED (and showed the notice); false when it is live. */
async function unimplemented(page) {
  await settled(page);
  return (await page.locator(".unimplemented").count()) > 0;
}

test("sign-in rejects a wrong password with a readable message", async () => {
  const page = await newPage();
  await page.goto(base);
  await shot(page, "01-signin");
  await page.getByLabel("Логин (e-mail)").fill("school@demo.nms");
  await page.getByLabel("Пароль").fill("wrong-password");
  await page.getByRole("button", { name: "Войти" }).click();
  const alert = page.locator(".notice-error");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Требуется вход|неверн|Неверн/i);
  await page.context().close();
});

test("school admin: own teachers, CSV import with a bad row, no access to another school", async () => {
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  // Role-aware navigation: a school admin has no organisations tree or monitoring.
  const nav = await page.locator("nav").innerText();
  assert.match(nav, /Педагоги/);
  assert.doesNotMatch(nav, /Организации/);
  await page.locator("main table tbody tr").first().waitFor();
  const ownOrgId = sql("SELECT g.scope_id FROM role_grants g JOIN accounts a ON a.id = g.account_id WHERE a.login = 'school@demo.nms' AND g.role = 2");
  const ownCount = Number(sql(`SELECT COUNT(*) FROM people WHERE organization_id = ${ownOrgId}`));
  assert.match(await page.locator("main p[role=status]").innerText(), new RegExp(`из ${ownCount}$`));
  await assertLabelled(page);
  await shot(page, "02-school-teachers");

  // Import: two good rows and one bad one.
  const tag = Date.now().toString(36).toUpperCase();
  // Unique Cyrillic last names per run, so repeated runs on one database stay unambiguous.
  const sfx = [...String(Date.now()).slice(-6)].map((d) => "абвгдежзик"[Number(d)]).join("");
  const anna = `Импортов${sfx}а`, boris = `Импортов${sfx}`;
  const csv = [
    "внешний_id;фамилия;имя;отчество;дата_рождения;email;должность;предметы;дата_начала_работы;категория",
    `E2E-${tag}-1;${anna};Анна;Ивановна;12.03.1990;anna.${tag}@e2e.test;учитель;математика;01.09.2015;первая`,
    `E2E-${tag}-2;${boris};Борис;Петрович;1985-07-20;boris.${tag}@e2e.test;учитель;физика|информатика;2010-09-01;высшая`,
    `E2E-${tag}-3;;Вера;;31.02.1990;vera.${tag}@e2e.test;учитель;;;первая`,
  ].join("\n");
  await page.getByRole("link", { name: "Импорт CSV", exact: true }).click();
  await page.getByLabel("Содержимое").fill(csv);
  await page.getByRole("button", { name: "Загрузить" }).click();
  const report = page.locator("table:has(caption:text('Результат по строкам'))");
  await report.waitFor({ timeout: 30000 });
  const summary = await page.locator(".report .notice").first().innerText();
  assert.match(summary, /добавлено 2/);
  assert.match(summary, /отклонено 1/);
  const bad = report.locator("tbody tr", { hasText: "отклонён" });
  assert.equal(await bad.count(), 1);
  assert.match(await bad.locator("td").first().innerText(), /^4$/);
  assert.ok((await bad.locator("ul.errors li").count()) >= 1, "the rejected row lists its errors");
  await assertLabelled(page);
  await shot(page, "03-school-import-report");

  // The good rows appear in the list.
  await page.getByRole("link", { name: "Педагоги", exact: true }).click();
  await page.getByLabel("Поиск").fill(boris);
  await page.getByRole("button", { name: "Найти" }).click();
  await page.locator("main table tbody tr", { hasText: `${anna} Анна Ивановна` }).waitFor();
  await page.locator("main table tbody tr", { hasText: `${boris} Борис Петрович` }).waitFor();

  // Teacher card: edit with version + field mask.
  await page.getByRole("link", { name: `${anna} Анна Ивановна`, exact: true }).click();
  await page.getByLabel("Телефон").fill("+7 900 000-00-00");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await page.locator(".notice-success", { hasText: "Изменения сохранены" }).waitFor();
  await assertLabelled(page);
  await shot(page, "04-school-teacher-card");

  // Stale version: another tab saves first, this one gets a readable conflict.
  const url = page.url();
  const other = await page.context().newPage();
  await other.goto(url);
  await other.getByLabel("Должность").fill("учитель-методист");
  await other.getByRole("button", { name: "Сохранить" }).click();
  await other.locator(".notice-success").waitFor();
  await page.getByLabel("Должность").fill("старший учитель");
  await page.getByRole("button", { name: "Сохранить" }).click();
  const conflict = page.locator(".notice-error", { hasText: "изменил другой пользователь" });
  await conflict.waitFor();
  await shot(page, "05-school-version-conflict");
  await other.close();

  // Another school's teacher by URL → a readable denial, no personal data.
  const foreign = sql(`SELECT id FROM people WHERE organization_id <> ${ownOrgId} AND organization_id IS NOT NULL ORDER BY id LIMIT 1`);
  const foreignName = sql(`SELECT last_name FROM people WHERE id = ${foreign}`);
  await page.goto(`${base}#/people/${foreign}`);
  const denial = page.locator("main .notice-error");
  await denial.waitFor();
  assert.match(await denial.innerText(), /Нет доступа|Не найдено/);
  assert.doesNotMatch(await page.locator("main").innerText(), new RegExp(foreignName));
  await shot(page, "06-school-foreign-denied");

  // Listing another school's staff by URL is denied too.
  const foreignOrg = sql(`SELECT organization_id FROM people WHERE id = ${foreign}`);
  await page.goto(`${base}#/people?parent=organizations/${foreignOrg}`);
  await page.locator("main .notice-error").waitFor();
  // The school's own indicators (read_indicators covers school admins).
  await page.getByRole("link", { name: "Мониторинг", exact: true }).click();
  await settled(page);
  assert.equal(await page.locator("main .notice-error").count(), 0);
  await shot(page, "07-school-monitoring");
  await page.context().close();
});

test("regional admin: imports teachers into a chosen organisation; indicator dashboard (enables a preset when none is set), drill-down, trend", async (t) => {
  const page = await newPage();
  await signIn(page, "admin@demo.nms");
  // Import teachers into an organisation chosen from the region.
  await page.getByRole("link", { name: "Импорт CSV", exact: true }).click();
  const orgSelect = page.getByLabel("Организация");
  await page.waitForFunction(() => document.querySelectorAll("#content select option").length > 2);
  const orgValue = await orgSelect.locator("option").nth(5).getAttribute("value");
  await orgSelect.selectOption(orgValue);
  const tag = Date.now().toString(36).toUpperCase();
  // Through the file picker this time (comma-separated, English header).
  await page.getByLabel(/Файл CSV/).setInputFiles({
    name: "teachers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("external_id,last_name,first_name,middle_name,birth_date,position,subjects\n" + `M-${tag},Методистова,Ирина,Олеговна,1992-04-05,учитель,химия\n`),
  });
  await page.waitForFunction(() => document.querySelector("textarea").value.includes("Методистова"));
  await page.getByRole("button", { name: "Загрузить" }).click();
  await page.locator(".report .notice", { hasText: "добавлено 1" }).waitFor({ timeout: 30000 });
  await shot(page, "13-admin-import");

  await page.getByRole("link", { name: "Мониторинг", exact: true }).click();
  if (await unimplemented(page)) {
    await shot(page, "60-admin-monitoring");
    t.skip("MonitoringService answers UNIMPLEMENTED");
    return;
  }
  if ((await page.locator(".indicator").count()) === 0) {
    await shot(page, "59-admin-monitoring-no-indicators");
    await page.getByRole("button", { name: /Московская область/ }).click();
  }
  await page.locator(".indicator").first().waitFor();
  assert.ok((await page.locator(".indicator").count()) >= 5);
  await page.locator(".indicator").nth(3).click();
  await page.locator(".trend-box svg").waitFor();
  await shot(page, "60-admin-monitoring");
  // Drill-down: a municipality's own dashboard.
  const child = page.locator("table:has(caption:text('По подразделениям')) tbody tr a").first();
  const childTitle = await child.innerText();
  await child.click();
  await page.locator("main p.muted", { hasText: childTitle }).waitFor();
  await page.locator(".indicator").first().waitFor();
  await shot(page, "61-admin-monitoring-drilldown");
  await page.context().close();
});

test("regional methodist: organisations tree and every screen", async () => {
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await page.waitForURL(/#\/orgs/);
  const district = page.locator("details.district").first();
  await district.locator("summary").click();
  const mun = district.locator("details.mun").first();
  await mun.waitFor();
  await mun.locator("summary").click();
  await mun.locator("ul.org-list li").first().waitFor();
  await shot(page, "10-methodist-orgs-tree");

  // Organisation → its teachers.
  await mun.locator("ul.org-list li a").first().click();
  await page.locator("main table tbody tr").first().waitFor();
  await shot(page, "11-methodist-org-teachers");

  // Pagination over the whole region.
  await page.getByRole("link", { name: "Педагоги", exact: true }).click();
  await page.locator("main table tbody tr").first().waitFor();
  const first = await page.locator("main table tbody tr").first().innerText();
  await page.getByRole("button", { name: "Вперёд →" }).click();
  await page.locator("main .pager", { hasText: "Страница 2" }).waitFor();
  await settled(page);
  assert.notEqual(await page.locator("main table tbody tr").first().innerText(), first);

  // A regional methodist reads the directory but does not write people.
  assert.doesNotMatch(await page.locator("nav").innerText(), /Импорт CSV/);

  const live = {};
  // Diagnostics: campaigns → results.
  await page.getByRole("link", { name: "Диагностика", exact: true }).click();
  live.diagnostics = !(await unimplemented(page));
  await shot(page, "20-methodist-diagnostics");
  if (live.diagnostics && (await page.locator("main table tbody tr a").count()) > 0) {
    await page.locator("main table tbody tr a").first().click();
    await settled(page);
    await shot(page, "21-methodist-campaign-report");
  }

  // ИОМ: approve an agreed route when there is one.
  await page.getByRole("link", { name: "ИОМ", exact: true }).click();
  live.routes = !(await unimplemented(page));
  await assertLabelled(page);
  await shot(page, "30-methodist-routes");
  if (live.routes) {
    await page.getByLabel("Статус").selectOption({ label: "согласован" });
    await settled(page);
    if ((await page.locator("main table tbody tr a").count()) > 0) {
      await page.locator("main table tbody tr a").first().click();
      await settled(page);
      await shot(page, "31-methodist-route");
      const approve = page.getByRole("button", { name: "Утвердить" });
      if (await approve.count()) {
        await page.getByLabel("Комментарий").fill("Утверждено в ходе проверки");
        await approve.click();
        await page.locator("main", { hasText: "Статус: утверждён" }).waitFor();
      }
    }
  }

  // Mentoring: run matching and review the proposal.
  await page.getByRole("link", { name: "Наставничество", exact: true }).click();
  live.mentoring = !(await unimplemented(page));
  if (live.mentoring) {
    await page.getByRole("button", { name: "Подобрать пары" }).click();
    await settled(page);
  }
  await shot(page, "40-methodist-mentoring");

  await page.getByRole("link", { name: "Молодые педагоги", exact: true }).click();
  live.young = !(await unimplemented(page));
  await shot(page, "50-methodist-young-teachers");

  await page.getByRole("link", { name: "Мониторинг", exact: true }).click();
  live.monitoring = !(await unimplemented(page));
  if (live.monitoring && (await page.locator(".indicator").count()) > 0) {
    await page.locator(".indicator").first().click();
    await settled(page);
  }
  await shot(page, "60-methodist-monitoring");
  console.log("services live:", JSON.stringify(live));

  // Tablet layout of a main screen.
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.getByRole("link", { name: "Педагоги", exact: true }).click();
  await page.locator("main table tbody tr").first().waitFor();
  await shot(page, "70-tablet-teachers");
  await page.context().close();
});

test("session survives a reload through the refresh token", async () => {
  const page = await newPage();
  await signIn(page, "mun@demo.nms");
  // A municipal methodist sees their municipality opened in the tree.
  await page.locator("details.mun[open] ul.org-list li").first().waitFor();
  await shot(page, "12-municipal-orgs");
  await page.reload();
  await page.locator("nav[aria-label='Разделы']").waitFor();
  assert.match(await page.locator("header .who-role").innerText(), /Муниципальный методист/);
  await page.getByRole("button", { name: "Выйти" }).click();
  await page.getByRole("button", { name: "Войти" }).waitFor();
  await page.context().close();
});

test("an access token the server rejects is refreshed once and the call retried", async () => {
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  await page.locator("main table tbody tr").first().waitFor();
  let broken = 0, refreshed = 0;
  page.on("request", (r) => { if (r.url().endsWith("/nms.v1.AuthService/RefreshToken")) refreshed++; });
  // The next ListPeople goes out with a forged token; the client must refresh and retry.
  await page.route("**/nms.v1.DirectoryService/ListPeople", async (route) => {
    if (broken++ === 0) {
      await route.continue({ headers: { ...route.request().headers(), authorization: "Bearer forged.token" } });
    } else {
      await route.continue();
    }
  });
  // Any new search will do; an empty one keeps rows on the page whatever the demo size.
  await page.getByLabel("Поиск").fill("");
  await page.getByRole("button", { name: "Найти" }).click();
  await settled(page);
  await page.locator("main table tbody tr").first().waitFor();
  assert.equal(broken, 2, "the rejected call was retried once");
  assert.equal(refreshed, 1, "one refresh");
  assert.equal(await page.locator("main .notice-error").count(), 0);
  await page.context().close();
});

test("no script errors in the pages", () => {
  assert.deepEqual(pageErrors, []);
});
