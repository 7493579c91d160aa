// Browser tests of the НМС admin web client (playwright-core driving Debian's chromium, headless)
// against the real stack started by run.sh. Env: NMS_WEB_URL, NMS_E2E_DB_PORT, NMS_E2E_DB_NAME,
// NMS_SCREENSHOTS. The issue's walk runs as a school admin and a regional methodist through every
// service; a step whose predecessor failed skips itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ConnectError } from "@connectrpc/connect";
import { Role } from "./gen/nms/v1/common_pb.js";
import { RouteSignatureKind, RouteStatus } from "./gen/nms/v1/route_pb.js";
import { IndicatorStatus, IndicatorValueKind, PresetApplyMode } from "./gen/nms/v1/monitoring_pb.js";
import { CampaignWaveKind, ItemProblemCategory } from "./gen/nms/v1/diagnostics_pb.js";
import { ALL_RIGHT, METHODOLOGICAL_DEFICIT, PASSWORD, apiAs, catalogue, denied, instrumentJson, publishedFramework, publishedInstrument, refreshTokenExposure, rid, takeTest, teacherAccount, uid, watchCsp } from "./fixtures.mjs";

const base = process.env.NMS_WEB_URL ?? "http://127.0.0.1:18080/";
const shots = process.env.NMS_SCREENSHOTS ?? new URL("../../out/screenshots/web/", import.meta.url).pathname;
const TABLET = { width: 1024, height: 768 };
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
  const context = await browser.newContext({ viewport, locale: "ru-RU", acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  watchCsp(page, pageErrors);
  return page;
}

async function signIn(page, login, password = PASSWORD) {
  await page.goto(base);
  await page.getByLabel("Логин (e-mail)").fill(login);
  await page.getByLabel("Пароль").fill(password);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.locator("nav[aria-label='Разделы']").waitFor();
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Waits until a screen has finished loading (no spinner left in main). */
async function settled(page, timeout = 30000) {
  // The current screen has rendered something and is not loading.
  await page.waitForFunction(() => {
    const main = document.querySelector("main");
    const view = main?.querySelector(":scope > .view") ?? main;
    return view && view.childElementCount > 0 && !view.querySelector(".loading");
  }, null, { timeout });
}

/**
 * Clicks a link and waits until the app shows the screen of its address, finished loading
 * (reading the page right after a click could still see the old screen).
 */
async function follow(page, link) {
  const hash = await link.evaluate((a) => a.hash); // as the browser normalises it
  await link.click();
  await page.waitForFunction((h) => document.querySelector("main > .view")?.dataset.hash === h, hash, { timeout: 30000 });
  await settled(page);
}

/** Opens an address of the app and waits until the screen for it has replaced the previous one. */
async function visit(page, url) {
  await page.goto(url);
  const hash = new URL(url).hash;
  await page.waitForFunction((h) => document.querySelector("main > .view")?.dataset.hash === h, hash, { timeout: 30000 });
}

async function go(page, link) {
  await follow(page, page.locator("nav[aria-label='Разделы']").getByRole("link", { name: link, exact: true }));
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

/** Unique Cyrillic surnames per run, so repeated runs on one database stay unambiguous. */
function cyrillicTag() {
  return [...String(Date.now()).slice(-6)].map((d) => "абвгдежзик"[Number(d)]).join("");
}

// ------------------------------------------------------------------------------ basics

test("sign-in rejects a wrong password with a readable message; the page is Russian and keyboard-first", async () => {
  const page = await newPage();
  await page.goto(base);
  assert.equal(await page.getAttribute("html", "lang"), "ru");
  await shot(page, "01-signin");
  // Focus starts in the login field; Tab goes to the password, then to the button.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "login");
  await page.keyboard.type("school@demo.nms");
  await page.keyboard.press("Tab");
  await page.keyboard.type("wrong-password");
  await page.keyboard.press("Enter");
  const alert = page.locator(".notice-error");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Требуется вход|неверн|Неверн/i);
  await page.context().close();
});

test("school admin: own teachers, CSV import with a bad row, versioned edit, no access to another school in the UI", async () => {
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  const nav = await page.locator("nav").first().innerText();
  assert.match(nav, /Педагоги/);
  assert.doesNotMatch(nav, /Организации/);
  // The skip link is the first stop of the keyboard.
  await page.evaluate(() => { document.body.tabIndex = -1; document.body.focus(); });
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "К содержимому");
  // The home screen is the task inbox; the teachers are one click away.
  await page.waitForURL(/#\/inbox/);
  await go(page, "Педагоги");
  await page.locator("main table tbody tr").first().waitFor();
  const ownOrgId = sql("SELECT g.scope_id FROM role_grants g JOIN accounts a ON a.id = g.account_id WHERE a.login = 'school@demo.nms' AND g.role = 2");
  const ownCount = Number(sql(`SELECT COUNT(*) FROM people WHERE organization_id = ${ownOrgId}`));
  assert.match(await page.locator("main p[role=status]").innerText(), new RegExp(`из ${ownCount}$`));
  await assertLabelled(page);
  await shot(page, "02-school-teachers");

  const tag = Date.now().toString(36).toUpperCase();
  const sfx = cyrillicTag();
  const anna = `Импортов${sfx}а`, boris = `Импортов${sfx}`;
  const csv = [
    "внешний_id;фамилия;имя;отчество;дата_рождения;email;должность;предметы;дата_начала_работы;категория",
    `E2E-${tag}-1;${anna};Анна;Ивановна;12.03.1990;anna.${tag}@e2e.test;учитель;математика;01.09.2015;первая`,
    `E2E-${tag}-2;${boris};Борис;Петрович;1985-07-20;boris.${tag}@e2e.test;учитель;физика|информатика;2010-09-01;высшая`,
    `E2E-${tag}-3;;Вера;;31.02.1990;vera.${tag}@e2e.test;учитель;;;первая`,
  ].join("\n");
  await go(page, "Импорт CSV");
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

  await go(page, "Педагоги");
  await page.getByLabel("Поиск").fill(boris);
  await page.getByRole("button", { name: "Найти" }).click();
  await page.locator("main table tbody tr", { hasText: `${anna} Анна Ивановна` }).waitFor();
  await page.locator("main table tbody tr", { hasText: `${boris} Борис Петрович` }).waitFor();

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
  await page.locator(".notice-error", { hasText: "изменил другой пользователь" }).waitFor();
  await shot(page, "05-school-version-conflict");
  await other.close();

  const foreign = sql(`SELECT id FROM people WHERE organization_id <> ${ownOrgId} AND organization_id IS NOT NULL ORDER BY id LIMIT 1`);
  const foreignName = sql(`SELECT last_name FROM people WHERE id = ${foreign}`);
  await visit(page, `${base}#/people/${foreign}`);
  const denial = page.locator("main .notice-error");
  await denial.waitFor();
  assert.match(await denial.innerText(), /Нет доступа|Не найдено/);
  assert.doesNotMatch(await page.locator("main").innerText(), new RegExp(foreignName));
  await shot(page, "06-school-foreign-denied");
  const foreignOrg = sql(`SELECT organization_id FROM people WHERE id = ${foreign}`);
  await visit(page, `${base}#/people?parent=organizations/${foreignOrg}`);
  await page.locator("main .notice-error").waitFor();
  await page.context().close();
});

test("regional admin: imports teachers into a chosen organisation from a file", async () => {
  const page = await newPage();
  await signIn(page, "admin@demo.nms");
  await go(page, "Импорт CSV");
  const orgSelect = page.getByLabel("Организация");
  await page.waitForFunction(() => document.querySelectorAll("#content select option").length > 2);
  const orgValue = await orgSelect.locator("option").nth(5).getAttribute("value");
  await orgSelect.selectOption(orgValue);
  const tag = Date.now().toString(36).toUpperCase();
  await page.getByLabel(/Файл CSV/).setInputFiles({
    name: "teachers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("external_id,last_name,first_name,middle_name,birth_date,position,subjects\n" + `M-${tag},Методистова,Ирина,Олеговна,1992-04-05,учитель,химия\n`),
  });
  await page.waitForFunction(() => document.querySelector("textarea").value.includes("Методистова"));
  await page.getByRole("button", { name: "Загрузить" }).click();
  await page.locator(".report .notice", { hasText: "добавлено 1" }).waitFor({ timeout: 30000 });
  await shot(page, "13-admin-import");
  await page.context().close();
});

test("regional methodist: organisations tree, pages of teachers", async () => {
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await page.waitForURL(/#\/inbox/);
  await go(page, "Организации");
  const district = page.locator("details.district").first();
  await district.locator("summary").click();
  const mun = district.locator("details.mun").first();
  await mun.waitFor();
  await mun.locator("summary").click();
  await mun.locator("ul.org-list li").first().waitFor();
  await shot(page, "10-methodist-orgs-tree");
  await mun.locator("ul.org-list li a").first().click();
  await page.locator("main table tbody tr").first().waitFor();
  await shot(page, "11-methodist-org-teachers");
  await go(page, "Педагоги");
  await page.locator("main table tbody tr").first().waitFor();
  const first = await page.locator("main table tbody tr").first().innerText();
  await page.getByRole("button", { name: "Вперёд →" }).click();
  await page.locator("main .pager", { hasText: "Страница 2" }).waitFor();
  await settled(page);
  assert.notEqual(await page.locator("main table tbody tr").first().innerText(), first);
  // A regional methodist reads the directory but does not write people.
  assert.doesNotMatch(await page.locator("nav").first().innerText(), /Импорт CSV/);
  await page.context().close();
});

// ------------------------------------------------------------------------------ the walk

/**
 * The issue's walk as a school admin and a regional methodist: import teachers → open a campaign
 * → see results → approve a generated ИОМ → run matching → see the indicator dashboard.
 */
test("walk: import → campaign → results → approved ИОМ → matching → indicators", async (t) => {
  const school = await apiAs(base, "school@demo.nms");
  const methodist = await apiAs(base, "metodist@demo.nms");
  const org = school.scopeOf(Role.SCHOOL_ADMIN);
  const orgId = org.split("/")[1];
  const municipality = `municipalities/${sql(`SELECT municipality_id FROM organizations WHERE id = ${orgId}`)}`;
  const tag = Date.now().toString(36).toUpperCase();
  const sfx = cyrillicTag();
  const weak = { last: `Дефицитова${sfx}`, first: "Мария", middle: "Сергеевна" };
  const strong = { last: `Опытнова${sfx}`, first: "Нина", middle: "Петровна" };
  const full = (p) => `${p.last} ${p.first} ${p.middle}`;
  const state = {};

  const schoolPage = await newPage();
  const metPage = await newPage();
  await signIn(schoolPage, "school@demo.nms");
  await signIn(metPage, "metodist@demo.nms");

  await t.test("1. school admin imports two teachers and gives them accounts", async () => {
    await go(schoolPage, "Импорт CSV");
    await schoolPage.getByLabel("Содержимое").fill(
      [
        "внешний_id;фамилия;имя;отчество;дата_рождения;email;должность;предметы;дата_начала_работы;категория",
        `W-${tag}-1;${weak.last};${weak.first};${weak.middle};14.05.1998;weak.${tag}@e2e.test;учитель;математика;01.09.2023;`,
        `W-${tag}-2;${strong.last};${strong.first};${strong.middle};03.02.1975;strong.${tag}@e2e.test;учитель;математика;01.09.1998;высшая`,
      ].join("\n"),
    );
    await schoolPage.getByRole("button", { name: "Загрузить" }).click();
    await schoolPage.locator(".report .notice", { hasText: "добавлено 2" }).waitFor({ timeout: 30000 });
    for (const p of [weak, strong]) {
      await go(schoolPage, "Педагоги");
      await schoolPage.getByLabel("Поиск").fill(p.last);
      await schoolPage.getByRole("button", { name: "Найти" }).click();
      await schoolPage.getByRole("link", { name: full(p), exact: true }).click();
      await schoolPage.getByRole("button", { name: "Создать учётную запись" }).click();
      const otp = schoolPage.locator("code.otp");
      await otp.waitFor();
      p.login = await schoolPage.locator("dl.credentials code").first().innerText();
      p.password = await otp.innerText();
      p.person = `people/${schoolPage.url().split("/").pop()}`;
      assert.ok(p.password.length >= 8, "a one-time password is shown");
    }
    await shot(schoolPage, "20-school-account-created");
    state.imported = true;
  });

  await t.test("2. regional methodist uploads an instrument and opens a campaign for the school's municipality", async (t2) => {
    if (!state.imported) return t2.skip("no imported teachers");
    const setup = await publishedFramework(methodist, tag);
    await catalogue(methodist, setup.region, tag);
    // The instrument through the screen: JSON upload, then publication.
    await go(metPage, "Диагностика");
    await follow(metPage, metPage.getByRole("link", { name: "Инструменты", exact: true }));
    await metPage.locator("summary", { hasText: "Загрузить инструмент (JSON)" }).click();
    await metPage.getByLabel("Рамка компетенций").selectOption(setup.framework.name);
    const inst = instrumentJson(tag);
    await metPage.getByLabel("Инструмент: файл JSON").setInputFiles({ name: "instrument.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(inst)) });
    await metPage.waitForFunction(() => document.querySelector("textarea")?.value.includes("blocks"));
    await metPage.getByRole("button", { name: "Загрузить как черновик" }).click();
    await metPage.locator(".notice-success", { hasText: "6 заданий" }).waitFor();
    const row = metPage.locator("main table tbody tr", { hasText: inst.title });
    await row.getByRole("button", { name: "Опубликовать" }).click();
    await row.locator(".badge", { hasText: "опубликован" }).waitFor();
    await assertLabelled(metPage);
    await shot(metPage, "21-methodist-instruments");

    await follow(metPage, metPage.getByRole("link", { name: "Кампании", exact: true }));
    await metPage.locator("summary", { hasText: "Новая кампания" }).click();
    const title = `Диагностика дефицитов ${tag}`;
    await metPage.getByLabel("Название").fill(title);
    await metPage.waitForFunction((t) => [...document.querySelectorAll("option")].some((o) => o.textContent.startsWith(t)), inst.title);
    await metPage.getByLabel("Инструмент диагностики").selectOption({ label: `${inst.title} (6 заданий)` });
    await metPage.waitForFunction((m) => !!document.querySelector(`option[value="${m}"]`), municipality);
    await metPage.getByLabel("Территории").selectOption([municipality]);
    await assertLabelled(metPage);
    await shot(metPage, "22-methodist-new-campaign");
    await metPage.getByRole("button", { name: "Создать кампанию" }).click();
    await metPage.getByRole("heading", { name: title }).waitFor();
    state.campaignUrl = metPage.url();
    state.campaign = `campaigns/${state.campaignUrl.split("/").pop()}`;
    await metPage.getByRole("button", { name: "Запустить кампанию" }).click();
    const launched = metPage.locator(".notice-success", { hasText: "Кампания запущена" });
    await launched.waitFor();
    const drawn = Number((await launched.innerText()).match(/отобрано участников — ([\d\s ]+)/)[1].replace(/\D/g, ""));
    const teachersThere = Number(sql(`SELECT COUNT(*) FROM people p JOIN organizations o ON o.id = p.organization_id WHERE o.municipality_id = ${municipality.split("/")[1]} AND p.position = 'учитель'`));
    assert.ok(drawn >= 2 && drawn <= teachersThere, `drawn ${drawn} of ${teachersThere} teachers of the municipality`);
    await settled(metPage);
    await shot(metPage, "23-methodist-campaign-launched");
  });

  await t.test("3. teachers take the test; both roles see the results", async (t3) => {
    if (!state.campaign) return t3.skip("no campaign");
    // On their phones (the teachers' app): one with a methodological deficit, one strong.
    const wApi = await apiAs(base, weak.login, weak.password);
    const sApi = await apiAs(base, strong.login, strong.password);
    state.weakSession = (await takeTest(wApi, state.campaign, METHODOLOGICAL_DEFICIT)).session;
    await takeTest(sApi, state.campaign, ALL_RIGHT);
    await metPage.goto(state.campaignUrl);
    await metPage.reload();
    await settled(metPage);
    const summary = metPage.locator(".report-summary");
    await summary.waitFor();
    assert.match(await summary.innerText(), /Прошли диагностику 2 из/);
    assert.match(await metPage.locator("main").innerText(), /МЕТ-01 Проектирование урока по ФГОС/);
    assert.ok((await metPage.locator("figure.chart-box canvas[role=img]").count()) >= 3, "charts of levels, areas and deficits");
    // Shares sit on a 0–100 % axis, never scaled to the largest bar.
    await metPage.waitForFunction(() => [...document.querySelectorAll("figure.chart-box canvas")].every((c) => c.dataset.yMax === "100"));
    await shot(metPage, "24-methodist-campaign-results");
    // Drill-down: the municipality, then the school.
    const munTitle = sql(`SELECT display_name FROM municipalities WHERE id = ${municipality.split("/")[1]}`);
    await metPage.locator("table:has(caption:text('По подразделениям')) a", { hasText: munTitle }).first().click();
    await metPage.locator(".crumbs [aria-current]", { hasText: munTitle }).waitFor();
    const schoolTitle = sql(`SELECT COALESCE(NULLIF(short_name, ''), display_name) FROM organizations WHERE id = ${orgId}`);
    await metPage.locator("table:has(caption:text('По подразделениям')) a", { hasText: schoolTitle }).first().click();
    await metPage.locator(".crumbs [aria-current]", { hasText: schoolTitle }).waitFor();
    await shot(metPage, "25-methodist-results-school");
    // The school admin sees the same campaign for their school.
    await visit(schoolPage, state.campaignUrl);
    await settled(schoolPage);
    assert.match(await schoolPage.locator(".report-summary").innerText(), /Прошли диагностику 2 из/);
    await shot(schoolPage, "26-school-campaign-results");
    state.results = true;
  });

  await t.test("3a. a teacher's remark on an item reaches the regional methodist, who accepts it", async (t3a) => {
    if (!state.weakSession) return t3a.skip("no session");
    const wApi = await apiAs(base, weak.login, weak.password);
    const text = `Во втором задании подходят два ответа (${rid().slice(0, 6)})`;
    const report = (await wApi.diagnostics.reportItemProblem({ session: state.weakSession, itemId: "I2", category: ItemProblemCategory.AMBIGUOUS, text, requestId: rid() })).report;
    await go(metPage, "Диагностика");
    await follow(metPage, metPage.getByRole("link", { name: "Замечания к заданиям", exact: true }));
    await assertLabelled(metPage);
    const row = metPage.locator("main table tbody tr", { hasText: text });
    assert.match(await row.innerText(), /неоднозначная формулировка[\s\S]*задание I2|задание I2[\s\S]*неоднозначная формулировка/);
    await shot(metPage, "26a-methodist-item-problems");
    await row.getByRole("textbox").fill("Уточним формулировку в следующей версии");
    await row.getByRole("button", { name: "Принять" }).click();
    await row.waitFor({ state: "detached" }); // the list of new remarks no longer has it
    const methodist = await apiAs(base, "metodist@demo.nms");
    const after = (await methodist.diagnostics.listItemProblemReports({ filter: "status = ITEM_PROBLEM_STATUS_ACCEPTED", pageSize: 200 })).reports.find((r) => r.name === report.name);
    assert.ok(after, "the remark is accepted");
    assert.equal(after.resolutionComment, "Уточним формулировку в следующей версии");
    // The school admin does not manage instruments: no such tab, and the call is refused.
    const school = await apiAs(base, "school@demo.nms");
    assert.ok(denied(await school.diagnostics.listItemProblemReports({}).then(() => null, (e) => e)), "a school admin is refused");
  });

  await t.test("3b. a retake needs a reason: the dialog refuses an empty one", async (t3b) => {
    if (!state.results) return t3b.skip("no results");
    await visit(metPage, state.campaignUrl);
    await settled(metPage);
    // Retakes are offered to those who finished: filter the participants to them.
    await metPage.getByLabel("Статус участника").selectOption({ label: "завершил" });
    await settled(metPage);
    const retake = metPage.getByRole("button", { name: "Ещё попытка" }).first();
    await retake.waitFor();
    await retake.click();
    const dialog = metPage.getByRole("dialog", { name: "Ещё одна попытка" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Разрешить попытку" }).click();
    await dialog.locator(".field-error", { hasText: "Заполните это поле" }).waitFor();
    assert.equal(await dialog.getByLabel("Причина повторной попытки").getAttribute("aria-invalid"), "true");
    await dialog.getByLabel("Причина повторной попытки").fill("   ");
    await dialog.getByRole("button", { name: "Разрешить попытку" }).click();
    assert.ok(await dialog.isVisible(), "blank reason refused, the dialog stays");
    await shot(metPage, "24a-retake-dialog-empty-reason");
    await dialog.getByRole("button", { name: "Отмена" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.equal(Number(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'GrantRetake' AND created_at > NOW(6) - INTERVAL 2 MINUTE")), 0, "nothing granted");
  });

  await t.test("4. ИОМ generated in bulk; the teacher signs, the school agrees, the regional methodist approves", async (t4) => {
    if (!state.results) return t4.skip("no results");
    await visit(metPage, state.campaignUrl);
    await settled(metPage);
    await metPage.getByRole("button", { name: "Сформировать черновики ИОМ" }).click();
    const done = metPage.locator(".operation .notice-success", { hasText: "Готово" });
    await done.waitFor({ timeout: 120000 });
    assert.match(await done.innerText(), /Создано маршрутов: [1-9]/);
    await shot(metPage, "27-methodist-routes-generated");
    // The teacher signs in the app.
    const wApi = await apiAs(base, weak.login, weak.password);
    const mine = (await wApi.route.listRoutes({ filter: `person = "${weak.person}"` })).routes.find((r) => r.status === RouteStatus.DRAFT);
    assert.ok(mine, "the weak teacher has a draft route");
    await wApi.route.agreeRoute({ name: mine.name, signatureKind: RouteSignatureKind.TEACHER, version: mine.version, comment: "Согласна", requestId: rid() });
    state.route = mine.name;
    // The school admin agrees from the register of the campaign's routes.
    await visit(schoolPage, `${base}#/routes?campaign=${encodeURIComponent(state.campaign)}`);
    await settled(schoolPage);
    await assertLabelled(schoolPage);
    await shot(schoolPage, "30-school-routes");
    await follow(schoolPage, schoolPage.getByRole("link", { name: full(weak), exact: true }));
    assert.match(await schoolPage.locator("main").innerText(), /1\.1 Повышение квалификации/);
    await schoolPage.getByLabel("Комментарий").fill("Согласовано с руководителем МО");
    await schoolPage.getByRole("button", { name: "Согласовать от организации" }).click();
    await schoolPage.locator(".notice-success", { hasText: "подписан от организации" }).waitFor();
    await schoolPage.locator("h1 .badge", { hasText: "согласован" }).waitFor();
    await shot(schoolPage, "31-school-route-agreed");
    // The regional methodist approves it from the list of agreed routes.
    await go(metPage, "ИОМ");
    await metPage.getByLabel("Статус", { exact: true }).selectOption({ label: "согласован" });
    await settled(metPage);
    await metPage.getByLabel("Кампания диагностики").selectOption(state.campaign);
    await settled(metPage);
    await shot(metPage, "32-methodist-routes-agreed");
    await follow(metPage, metPage.getByRole("link", { name: full(weak), exact: true }));
    await metPage.getByLabel("Комментарий").fill("Утверждаю");
    await metPage.getByRole("button", { name: "Утвердить" }).click();
    await metPage.locator(".notice-success", { hasText: "Маршрут утверждён" }).waitFor();
    await metPage.locator("h1 .badge", { hasText: "утверждён" }).waitFor();
    // The history loads after the screen: wait for the approval's comment in it, not a race.
    await metPage.locator("main").getByText("Утверждаю", { exact: true }).first().waitFor();
    assert.match(await metPage.locator("main").innerText(), /утверждён[\s\S]*Утверждаю/);
    await shot(metPage, "33-methodist-route-approved");
    await metPage.getByRole("link", { name: "Печатная форма" }).click();
    const frame = metPage.frameLocator("iframe.print-frame");
    await frame.locator("body").filter({ hasText: weak.last }).waitFor();
    await shot(metPage, "34-route-print");
    state.approved = true;
  });

  await t.test("5. mentoring: the school nominates a mentor and asks for one; the methodist runs matching and applies it", async (t5) => {
    if (!state.imported) return t5.skip("no imported teachers");
    await go(schoolPage, "Наставничество");
    await follow(schoolPage, schoolPage.getByRole("link", { name: "Наставники", exact: true }));
    await schoolPage.locator("summary", { hasText: "Добавить наставника" }).click();
    await schoolPage.getByLabel("Педагог: поиск").fill(strong.last);
    await schoolPage.getByLabel("Педагог: поиск").press("Enter");
    await schoolPage.waitForFunction((n) => document.querySelector(".person-picker select")?.selectedOptions[0]?.textContent.startsWith(n), strong.last);
    await schoolPage.getByLabel("Сколько наставляемых одновременно").fill("2");
    await schoolPage.getByRole("button", { name: "Добавить наставника" }).click();
    await schoolPage.locator(".notice-success", { hasText: "Наставник добавлен" }).waitFor();
    await assertLabelled(schoolPage);
    await follow(schoolPage, schoolPage.getByRole("link", { name: "Запросы", exact: true }));
    await schoolPage.locator("summary", { hasText: "Новый запрос на наставника" }).click();
    await schoolPage.getByLabel("Наставляемый: поиск").fill(weak.last);
    await schoolPage.getByLabel("Наставляемый: поиск").press("Enter");
    await schoolPage.waitForFunction((n) => document.querySelector(".person-picker select")?.selectedOptions[0]?.textContent.startsWith(n), weak.last);
    await schoolPage.getByLabel("Вид наставничества").selectOption({ label: "по предмету" });
    await schoolPage.getByRole("button", { name: "Создать запрос" }).click();
    await schoolPage.locator(".notice-success", { hasText: "Запрос создан" }).waitFor();
    await shot(schoolPage, "40-school-mentee-request");

    await go(metPage, "Наставничество");
    await metPage.getByLabel("Где подбирать").selectOption(municipality);
    await assertLabelled(metPage);
    await metPage.getByRole("button", { name: "Подобрать пары" }).click();
    const proposed = metPage.locator("table:has(caption:text('Предложенные пары'))");
    await proposed.waitFor({ timeout: 120000 });
    const mine = proposed.locator("tbody tr", { hasText: full(weak) });
    assert.equal(await mine.count(), 1, "the mentee is matched");
    assert.match(await mine.innerText(), new RegExp(strong.last));
    assert.match(await mine.innerText(), /та же организация/);
    await shot(metPage, "41-methodist-matching-proposal");
    await metPage.getByRole("button", { name: "Принять отмеченные пары" }).click();
    await metPage.locator(".notice-success", { hasText: "Создано пар" }).waitFor();
    await follow(metPage, metPage.getByRole("link", { name: "Перейти к предложенным парам" }));
    await shot(metPage, "42-methodist-pairs");
    // The pair waits for both sides' consent; the school sees it on the teacher's card.
    await visit(schoolPage, `${base}#/people/${weak.person.split("/")[1]}`);
    const pairRow = schoolPage.locator("main table tbody tr", { hasText: `${full(strong)} — ${full(weak)}` });
    await pairRow.waitFor();
    assert.match(await pairRow.innerText(), /наставляемый[\s\S]*предложена/);
    await shot(schoolPage, "43-school-teacher-card-pair");
    state.matched = true;
  });

  await t.test("6. the regional methodist sees the indicator dashboard with targets, drill-down and a trend", async () => {
    const admin = await apiAs(base, "admin@demo.nms");
    const region = admin.scopeOf(Role.REGIONAL_ADMIN);
    const defs = await admin.monitoring.computeIndicators({ scope: region, includeChildren: false });
    if (!(defs.scopeValues?.values ?? []).length) {
      const presets = await admin.monitoring.listIndicatorPresets({});
      await admin.monitoring.applyIndicatorPreset({ region, preset: presets.presets[0].preset, mode: PresetApplyMode.MERGE, requestId: rid() });
    }
    await go(metPage, "Мониторинг");
    await metPage.locator(".indicator").first().waitFor();
    assert.ok((await metPage.locator(".indicator").count()) >= 5);
    assert.match(await metPage.locator(".indicator").first().innerText(), /цель/);
    // The demo region's recorded facts (further training, management teams, internships) count.
    const values = (await admin.monitoring.computeIndicators({ scope: region })).scopeValues.values;
    for (const code of ["МО-05", "МО-06", "МО-10"]) {
      const v = values.find((x) => x.code === code);
      if (v) assert.ok(v.numerator > 0n, `${code} counts the demo's facts`);
    }
    await metPage.locator(".indicator").nth(2).click();
    await metPage.locator(".trend-box canvas").waitFor();
    await shot(metPage, "60-methodist-monitoring");
    const child = metPage.locator("table:has(caption:text('По подразделениям')) tbody tr a").first();
    const childTitle = await child.innerText();
    await child.click();
    await metPage.locator(".crumbs [aria-current]", { hasText: childTitle }).waitFor();
    await metPage.locator(".indicator").first().waitFor();
    await shot(metPage, "61-methodist-monitoring-drilldown");
  });

  await schoolPage.context().close();
  await metPage.context().close();
});

test("school admin cannot reach another school's data: UI and direct calls through the proxy", async () => {
  const school = await apiAs(base, "school@demo.nms");
  const ownOrg = school.scopeOf(Role.SCHOOL_ADMIN);
  const ownId = ownOrg.split("/")[1];
  const foreignPerson = `people/${sql(`SELECT id FROM people WHERE organization_id <> ${ownId} AND organization_id IS NOT NULL ORDER BY id LIMIT 1`)}`;
  const foreignOrg = `organizations/${sql(`SELECT organization_id FROM people WHERE id = ${foreignPerson.split("/")[1]}`)}`;
  const attempts = {
    "directory.getPerson": () => school.directory.getPerson({ name: foreignPerson }),
    "directory.listPeople": () => school.directory.listPeople({ parent: foreignOrg }),
    "diagnostics.getAggregateReport": () => school.diagnostics.getAggregateReport({ scope: foreignOrg }),
    "diagnostics.getIndividualReport": () => school.diagnostics.getIndividualReport({ person: foreignPerson }),
    "young.listCohort": () => school.young.listCohort({ scope: foreignOrg }),
    "monitoring.computeIndicators": () => school.monitoring.computeIndicators({ scope: foreignOrg }),
  };
  const foreignRoute = sql(`SELECT r.id FROM routes r JOIN people p ON p.id = r.person_id WHERE p.organization_id <> ${ownId} ORDER BY r.id LIMIT 1`);
  if (foreignRoute) attempts["route.getRoute"] = () => school.route.getRoute({ name: `routes/${foreignRoute}` });
  const leaked = [];
  for (const [what, call] of Object.entries(attempts)) {
    try {
      await call();
      leaked.push(what);
    } catch (e) {
      if (!denied(e)) leaked.push(`${what}: ${ConnectError.from(e).code}`);
    }
  }
  assert.deepEqual(leaked, [], "every call outside the school is refused");
  // Lists are narrowed to the school: nothing of another school comes back.
  const routes = await school.route.listRoutes({ pageSize: 500 });
  for (const r of routes.routes) assert.equal(r.header?.organization, ownOrg, `${r.name} belongs to the school`);
  const people = await school.directory.listPeople({ pageSize: 500 });
  for (const p of people.people) assert.equal(p.organization, ownOrg, `${p.name} works at the school`);
  // The UI: a foreign route and a foreign campaign report by URL show a denial, no data.
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  if (foreignRoute) {
    await visit(page, `${base}#/routes/${foreignRoute}`);
    await page.locator("main .notice").first().waitFor();
    assert.match(await page.locator("main").innerText(), /Нет доступа|Не найдено/);
    await shot(page, "35-school-foreign-route-denied");
  }
  await page.context().close();
});

test("regional methodist imports results of an external assessment; mistakes in the file send nothing, a re-import duplicates nothing", async () => {
  const teacher = await apiAs(base, "teacher@demo.nms");
  const person = teacher.principal.person;
  const methodist = await apiAs(base, "metodist@demo.nms");
  const count = async () =>
    (await methodist.diagnostics.listDiagnosticResults({ filter: `person = "${person}"`, pageSize: 100 })).results.length;
  const before = await count();
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await go(page, "Диагностика");
  await follow(page, page.getByRole("link", { name: "Внешние результаты", exact: true }));
  await assertLabelled(page);
  const key = `E2E-${rid().slice(0, 8)}`;
  await page.getByLabel("Источник результатов").fill("ЦОКО «Перспектива»");
  // A file with a bad score and a bad date: refused in the browser, nothing sent.
  await page.getByLabel("Содержимое").fill(`external_id;person;diagnosis_date;методические;цифровые\n${key};${person};32.13.2026;40;120\n`);
  await page.getByRole("button", { name: "Загрузить результаты" }).click();
  const errors = page.locator(".report table");
  await errors.waitFor();
  assert.match(await errors.innerText(), /2[\s\S]*32\.13\.2026[\s\S]*цифровые/);
  assert.match(await page.locator(".report .notice-error").innerText(), /ничего не отправлено/);
  assert.equal(await count(), before, "nothing was imported");
  await shot(page, "27a-external-results-errors");
  // The corrected file: one result with levels and deficits computed here.
  await page.getByLabel("Содержимое").fill(`external_id;person;diagnosis_date;методические;цифровые\n${key};${person};15.11.2026;40;90\n`);
  await page.getByRole("button", { name: "Загрузить результаты" }).click();
  await page.locator(".report .notice-success", { hasText: "добавлено 1" }).waitFor();
  assert.equal(await count(), before + 1);
  await shot(page, "27b-external-results-imported");
  // The same file again: unchanged, no duplicate.
  await page.getByRole("button", { name: "Загрузить результаты" }).click();
  await page.locator(".report .notice-success", { hasText: "без изменений 1" }).waitFor();
  assert.equal(await count(), before + 1);
  await page.context().close();
});

/** Windows-1251 bytes of a text (what Russian Excel writes for CSV): Cyrillic, Ё/ё, ASCII. */
function cp1251(text) {
  return Buffer.from([...text].map((ch) => {
    const c = ch.codePointAt(0);
    if (c < 0x80) return c;
    if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
    if (c === 0x401) return 0xa8;
    if (c === 0x451) return 0xb8;
    throw new Error(`no cp1251 byte for ${ch}`);
  }));
}

/** Clicks a download link and returns the file's bytes. */
async function downloadBytes(page, link) {
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  return Buffer.concat(chunks);
}

test("monitoring: the drill-down has its own address (Back, shared link), «не применяется», targets marked, 0–100 % trend, CSV for Excel", async () => {
  const admin = await apiAs(base, "admin@demo.nms");
  const region = admin.scopeOf(Role.REGIONAL_ADMIN);
  const top = await admin.monitoring.computeIndicators({ scope: region, includeChildren: true });
  if (!(top.scopeValues?.values ?? []).length) {
    const presets = await admin.monitoring.listIndicatorPresets({});
    await admin.monitoring.applyIndicatorPreset({ region, preset: presets.presets[0].preset, mode: PresetApplyMode.MERGE, requestId: rid() });
  }
  const r = await admin.monitoring.computeIndicators({ scope: region, includeChildren: true });
  const vals = r.scopeValues.values;
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await go(page, "Мониторинг");
  await page.locator(".indicator").first().waitFor();
  const rootTitle = await page.locator(".crumbs [aria-current]").innerText();
  // Full indicator names head the table, and every cell has a text mark against its target.
  const matrix = page.locator("table.indicator-matrix");
  assert.ok((await matrix.locator("thead").innerText()).includes(vals[0].title), "full names, not only codes");
  const marked = await matrix.locator("td .mark").count();
  assert.ok(marked > 0, "cells carry ✓/✗ marks");
  assert.equal(await matrix.locator("td.cell-st-1 .sr-only, td.cell-st-2 .sr-only").count(), await matrix.locator("td.cell-st-1, td.cell-st-2").count(), "every met/not met cell says so in words");
  // Drill-down: the address changes; Back returns to the region.
  const child = matrix.locator("tbody tr a").first();
  const childTitle = await child.innerText();
  await follow(page, child);
  assert.match(decodeURIComponent(new URL(page.url()).hash), /^#\/monitoring\?path=municipalities\/\d+$/);
  await page.locator(".crumbs [aria-current]", { hasText: childTitle }).waitFor();
  assert.equal(await page.locator(".crumbs a", { hasText: rootTitle }).count(), 1, "a crumb leads back to the region");
  await shot(page, "62-monitoring-municipality");
  await page.goBack();
  await page.waitForFunction(() => document.querySelector("main > .view")?.dataset.hash === "#/monitoring");
  await page.locator(".crumbs [aria-current]", { hasText: rootTitle }).waitFor();
  // A trend of a percent indicator: drawn on 0–100 %.
  const pct = vals.find((v) => v.valueKind === IndicatorValueKind.PERCENT && v.status !== IndicatorStatus.NOT_APPLICABLE) ?? vals.find((v) => v.valueKind === IndicatorValueKind.PERCENT);
  if (pct) {
    await page.locator(".indicator", { hasText: pct.code }).first().click();
    await page.waitForFunction(() => document.querySelector(".trend-box canvas")?.dataset.yMax === "100");
    await shot(page, "63-monitoring-trend-0-100");
  }
  // The CSV for Excel: BOM, `;`, Russian header, names not ids.
  await page.getByRole("button", { name: "Выгрузить в Excel (CSV)" }).click();
  const bytes = await downloadBytes(page, page.locator("main a.download"));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
  const head = bytes.subarray(3).toString("utf8").split("\r\n")[0];
  assert.match(head, /^"Территория \/ организация";"Код";"Показатель";/);
  assert.doesNotMatch(bytes.toString("utf8"), /regions\/\d|municipalities\/\d/, "names, not ids");
  await page.context().close();

  // A shared link straight to a school: breadcrumbs of three levels; indicators of higher levels
  // read «не применяется», never 0.
  const mun = r.children[0].scope;
  const m = await admin.monitoring.computeIndicators({ scope: mun, includeChildren: true });
  const org = m.children[0];
  const o = await admin.monitoring.computeIndicators({ scope: org.scope, includeChildren: false });
  const na = o.scopeValues.values.filter((v) => v.status === IndicatorStatus.NOT_APPLICABLE);
  assert.ok(na.length > 0, "some indicators do not apply to a school");
  const shared = await newPage();
  await signIn(shared, "metodist@demo.nms");
  await visit(shared, `${base}#/monitoring?path=${encodeURIComponent(mun)},${encodeURIComponent(org.scope)}`);
  await shared.locator(".indicator").first().waitFor();
  assert.equal(await shared.locator(".crumbs > span").count(), 3);
  await shared.locator(".crumbs [aria-current]", { hasText: org.title }).waitFor();
  for (const v of na) {
    const card = shared.locator(".indicator", { hasText: v.code }).first();
    const text = await card.locator(".ind-value").innerText();
    assert.equal(text, "не применяется", `${v.code} at a school`);
  }
  await shot(shared, "64-monitoring-school-not-applicable");
  await shared.context().close();
});

test("CSV import takes what Excel writes: Windows-1251 with a blank line reports the file's line; a template is offered", async () => {
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await go(page, "Диагностика");
  await follow(page, page.getByRole("link", { name: "Внешние результаты", exact: true }));
  await page.getByLabel("Источник результатов").fill("ЦОКО «Перспектива»");
  // Line 1 header, line 2 blank, line 3 a good row, line 4 a bad date.
  const file = cp1251("external_id;person_external_id;diagnosis_date;методические\r\n\r\nR-1;T-1;01.02.2026;75\r\nR-2;T-2;31.02.2026;40\r\n");
  await page.getByLabel("Файл CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)").setInputFiles({ name: "results.csv", mimeType: "text/csv", buffer: file });
  await page.waitForFunction(() => document.querySelector("textarea")?.value.includes("методические"));
  await page.getByRole("button", { name: "Загрузить результаты" }).click();
  const errors = page.locator(".report table");
  await errors.waitFor();
  const rows = await errors.locator("tbody tr").allInnerTexts();
  assert.equal(rows.length, 1, rows.join("\n"));
  assert.match(rows[0], /^4\s[\s\S]*31\.02\.2026/);
  await shot(page, "28-external-results-cp1251-line");
  // The template: BOM, `;`, the columns the parser reads and an example row.
  const tpl = await downloadBytes(page, page.getByRole("link", { name: /Скачать шаблон/ }));
  assert.deepEqual([...tpl.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = tpl.subarray(3).toString("utf8").trim().split("\r\n");
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^"external_id";"person_external_id";"diagnosis_date";/);
  await page.context().close();
});

test("regional admin edits region settings; a concurrent edit is reported and overwrites nothing", async () => {
  const api = await apiAs(base, "admin@demo.nms");
  const name = `${api.scopeOf(Role.REGIONAL_ADMIN)}/routeSettings`;
  const before = (await api.route.getRouteSettings({ name })).settings;
  const page = await newPage();
  await signIn(page, "admin@demo.nms");
  await go(page, "Настройки");
  await assertLabelled(page);
  // A second tab opens the same settings before the first one saves.
  const other = await newPage();
  await signIn(other, "admin@demo.nms");
  await go(other, "Настройки");

  const block = page.locator("section[aria-label='ИОМ']");
  assert.equal(await block.getByLabel("Должность утверждающего").inputValue(), before.approverTitle);
  const mark = `Директор ЦНППМ (проверка ${rid().slice(0, 8)})`;
  await block.getByLabel("Должность утверждающего").fill(mark);
  await block.getByRole("button", { name: "Сохранить" }).click();
  await block.locator(".notice-success", { hasText: "Настройки сохранены" }).waitFor();
  await shot(page, "80-settings-saved");

  const stale = other.locator("section[aria-label='ИОМ']");
  await stale.getByLabel("Срок маршрута, месяцев").fill(String(before.defaultHorizonMonths + 1));
  await stale.getByRole("button", { name: "Сохранить" }).click();
  await stale.locator(".notice-error", { hasText: "уже изменил другой пользователь" }).waitFor();
  await shot(other, "81-settings-conflict");
  let now = (await api.route.getRouteSettings({ name })).settings;
  assert.equal(now.approverTitle, mark, "the first save landed");
  assert.equal(now.defaultHorizonMonths, before.defaultHorizonMonths, "the stale save changed nothing");
  assert.equal(now.version, before.version + 1n);
  await stale.getByRole("button", { name: "Загрузить актуальную версию" }).click();
  await other.waitForFunction((m) => document.querySelector("section[aria-label='ИОМ'] input[type=text]")?.value === m, mark);

  // Put the demo's title back through the screen.
  await block.getByLabel("Должность утверждающего").fill(before.approverTitle);
  await block.getByRole("button", { name: "Сохранить" }).click();
  await block.locator(".notice-success", { hasText: "Настройки сохранены" }).waitFor();
  now = (await api.route.getRouteSettings({ name })).settings;
  assert.equal(now.approverTitle, before.approverTitle);
  await other.context().close();
  await page.context().close();
});

test("every main screen at tablet size (1024×768): no horizontal overflow, labelled controls", async () => {
  const page = await newPage(TABLET);
  await signIn(page, "metodist@demo.nms");
  for (const [link, name] of [["Мои задачи", "inbox"], ["Организации", "orgs"], ["Педагоги", "teachers"], ["Диагностика", "diagnostics"], ["ИОМ", "routes"], ["Наставничество", "mentoring"], ["Молодые педагоги", "young"], ["Мониторинг", "monitoring"], ["Настройки", "settings"]]) {
    await go(page, link);
    await assertLabelled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${link}: page scrolls sideways by ${overflow}px`);
    await shot(page, `70-tablet-${name}`);
  }
  await page.context().close();
});

test("session survives a reload through the refresh token", async () => {
  const page = await newPage();
  await signIn(page, "mun@demo.nms");
  await go(page, "Организации");
  await page.locator("details.mun[open] ul.org-list li").first().waitFor();
  await shot(page, "12-municipal-orgs");
  // The refresh token is in the proxy's HttpOnly cookie, out of every script's reach.
  const before = await refreshTokenExposure(page.context(), page);
  assert.ok(before.cookie, "no refresh cookie after sign-in");
  assert.equal(before.cookie.httpOnly, true);
  assert.equal(before.cookie.sameSite, "Strict");
  assert.equal(before.cookie.path, "/nms.v1.AuthService/");
  assert.equal(before.leaked, false, "a script can read the refresh token");
  await page.reload();
  await page.locator("nav[aria-label='Разделы']").waitFor();
  assert.match(await page.locator("header .who-role").innerText(), /Муниципальный методист/);
  const after = await refreshTokenExposure(page.context(), page);
  assert.notEqual(after.cookie.value, before.cookie.value, "the reload rotated the refresh token");
  assert.equal(after.leaked, false);
  await page.getByRole("button", { name: "Выйти" }).click();
  await page.getByRole("button", { name: "Войти" }).waitFor();
  assert.equal((await refreshTokenExposure(page.context(), page)).cookie, null, "sign-out clears the cookie");
  // ... so a reload stays signed out.
  await page.reload();
  await page.getByRole("button", { name: "Войти" }).waitFor();
  await page.context().close();
});

test("an access token the server rejects is refreshed once and the call retried", async () => {
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  await go(page, "Педагоги");
  await page.locator("main table tbody tr").first().waitFor();
  let broken = 0, refreshed = 0;
  page.on("request", (r) => { if (r.url().endsWith("/nms.v1.AuthService/RefreshToken")) refreshed++; });
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

// ------------------------------------------------------------------------------ task inbox (home screen)

/** Opens a kind of the inbox from the home screen by its card (one click), finished loading. */
async function openInbox(page, title) {
  await go(page, "Мои задачи");
  await follow(page, page.locator("ul.inbox-cards a", { hasText: title }));
  await page.locator("main p[role=status]").first().waitFor();
  await settled(page);
}

/** Searches the open inbox list and waits for the answer. */
async function searchInbox(page, text) {
  const answered = page.waitForResponse((r) => r.url().endsWith("/nms.v1.InboxService/ListInboxEntries"));
  await page.getByLabel("Поиск").fill(text);
  await answered;
  await settled(page);
}

const MOBILE = process.env.NMS_MOBILE_URL ?? `${base}m/`;

/** A fresh teacher with an account in the demo school admin's school. */
async function freshTeacher(last) {
  const admin = await apiAs(base, "admin@demo.nms");
  const school = await apiAs(base, "school@demo.nms");
  const org = school.scopeOf(Role.SCHOOL_ADMIN);
  const person = await admin.directory.createPerson({
    person: { lastName: last, firstName: "Вера", middleName: "Павловна", birthDate: { year: 1990, month: 3, day: 4 }, workStartDate: { year: 2012, month: 9, day: 1 }, position: "учитель", subjects: ["физика"], organization: org, externalId: `e2e-inbox-${uid()}` },
    requestId: rid(),
  });
  const account = await teacherAccount(admin, person.name, `inbox-${uid()}@e2e.nms`);
  return { ...account, fullName: `${last} Вера Павловна`, id: person.name.split("/")[1] };
}

test("home screen per role is a task inbox: only the work the role may do, names and plurals, no raw ids", async () => {
  const expectations = [
    ["school@demo.nms", "school", ["ИОМ на подпись организации", "Заявки на обучение", "Не прошли диагностику", "Молодые педагоги без поддержки", "Пары без встреч"], ["ИОМ на утверждение", "Предложения подбора наставников", "Замечания к заданиям"]],
    ["mun@demo.nms", "municipal", ["Заявки на обучение", "Предложения подбора наставников", "Не прошли диагностику", "Просроченные мероприятия ИОМ"], ["ИОМ на подпись организации", "ИОМ на утверждение", "Замечания к заданиям"]],
    ["metodist@demo.nms", "methodist", ["ИОМ на утверждение", "Предложения подбора наставников", "Замечания к заданиям", "Пары без встреч"], ["ИОМ на подпись организации"]],
    ["admin@demo.nms", "admin", ["ИОМ на утверждение", "Молодые педагоги без поддержки", "Замечания к заданиям"], ["ИОМ на подпись организации"]],
  ];
  for (const [login, name, shown, hidden] of expectations) {
    const page = await newPage();
    await signIn(page, login);
    await page.waitForURL(/#\/inbox$/);
    await page.locator("ul.inbox-cards li").first().waitFor();
    await settled(page);
    const text = await page.locator("main").innerText();
    for (const title of shown) assert.match(text, new RegExp(title), `${login} sees «${title}»`);
    for (const title of hidden) assert.doesNotMatch(text, new RegExp(title), `${login} does not see «${title}»`);
    assert.doesNotMatch(text, /(people|routes|campaigns|organizations|regions|municipalities)\/\d+/, "no raw ids");
    // Every count reads as Russian agreement: "1 маршрут", "3 маршрута", "5 маршрутов".
    for (const card of await page.locator("ul.inbox-cards li").allInnerTexts()) {
      const m = card.match(/^([\d\s ]+)\n/);
      const n = m ? Number(m[1].replace(/\D/g, "")) : 0;
      const small = card.split("\n").pop();
      if (n === 0) continue;
      const form = new Intl.PluralRules("ru-RU").select(n);
      const word = small.replace(/^[\d\s ]+/, "").split(" ")[0];
      const forms = { маршрут: "one", маршрута: "few", маршрутов: "many", заявка: "one", заявки: "few", заявок: "many", педагог: "one", педагога: "few", педагогов: "many", пара: "one", пары: "few", пар: "many", мероприятие: "one", мероприятия: "few", мероприятий: "many", предложение: "one", предложения: "few", предложений: "many", замечание: "one", замечания: "few", замечаний: "many" };
      assert.equal(forms[word], form === "other" ? "few" : form, `«${card}»: ${n} ${word}`);
    }
    await assertLabelled(page);
    await shot(page, `80-inbox-${name}`);
    await page.context().close();
  }
});

test("inbox: the regional methodist approves two ИОМ at once and returns two for revision with a comment; they leave the list", async () => {
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await openInbox(page, "ИОМ на утверждение");
  const rows = page.locator("main table tbody tr");
  assert.ok((await rows.count()) >= 4, "the demo region has agreed routes waiting");
  const hrefs = async (n) => Promise.all([...Array(n).keys()].map((i) => rows.nth(i).locator("a[href^='#/routes/']").first().getAttribute("href")));
  const approve = await hrefs(2);
  for (let i = 0; i < 2; i++) await rows.nth(i).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Утвердить выбранные (2)" }).click();
  await page.locator(".notice-success", { hasText: "Утверждено: 2 маршрута" }).waitFor();
  await settled(page);
  for (const h of approve) {
    assert.equal(await page.locator(`main table a[href='${h}']`).count(), 0, `${h} left the list`);
    assert.equal(sql(`SELECT status FROM routes WHERE id = ${h.split("/").pop()}`), "3");
  }
  await shot(page, "81-inbox-bulk-approved");

  const back = await hrefs(2);
  for (let i = 0; i < 2; i++) await rows.nth(i).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Вернуть выбранные на доработку…" }).click();
  await page.getByLabel("Причина возврата").fill("Добавьте стажировку по методическим дефицитам");
  await assertLabelled(page);
  await shot(page, "82-inbox-bulk-return-form");
  await page.getByRole("button", { name: "Вернуть на доработку" }).click();
  await page.locator(".notice-success", { hasText: "Возвращено на доработку: 2 маршрута" }).waitFor();
  await settled(page);
  for (const h of back) {
    const id = h.split("/").pop();
    assert.equal(await page.locator(`main table a[href='${h}']`).count(), 0, `${h} left the list`);
    assert.equal(sql(`SELECT status FROM routes WHERE id = ${id}`), "1");
    // The teacher is told, in the same transaction, by name and reason.
    assert.equal(sql(`SELECT COUNT(*) FROM notifications n JOIN routes r ON r.person_id = n.person_id WHERE r.id = ${id} AND n.kind = 3 AND n.body LIKE '%Добавьте стажировку%'`), "1");
  }
  await page.context().close();
});

test("inbox: the school signs a teacher's ИОМ from the home screen", async () => {
  const orgId = sql("SELECT g.scope_id FROM role_grants g JOIN accounts a ON a.id = g.account_id WHERE a.login = 'school@demo.nms' AND g.role = 2");
  const routeId = sql(`SELECT r.id FROM routes r JOIN people p ON p.id = r.person_id WHERE p.organization_id = ${orgId} AND r.status = 1 AND NOT EXISTS (SELECT 1 FROM route_signatures s WHERE s.route_id = r.id AND s.kind = 2) AND NOT EXISTS (SELECT 1 FROM accounts a JOIN role_grants g ON g.account_id = a.id WHERE a.person_id = p.id AND g.role = 2) ORDER BY r.id LIMIT 1`);
  assert.ok(routeId, "a draft ИОМ in the demo school");
  sql(`INSERT IGNORE INTO route_signatures (route_id, kind, person_id, full_name) SELECT id, 1, person_id, 'педагог' FROM routes WHERE id = ${routeId}`);
  const teacher = sql(`SELECT CONCAT_WS(' ', last_name, first_name, NULLIF(middle_name, '')) FROM people WHERE id = (SELECT person_id FROM routes WHERE id = ${routeId})`);
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  await openInbox(page, "ИОМ на подпись организации");
  await searchInbox(page, teacher.split(" ")[0]);
  const row = page.locator("main table tbody tr", { has: page.locator(`a[href='#/routes/${routeId}']`) });
  await row.waitFor();
  await shot(page, "83-inbox-school-to-sign");
  await row.getByRole("button", { name: "Подписать" }).click();
  await page.locator(".notice-success", { hasText: `Маршрут подписан от организации: ${teacher}` }).waitFor();
  await row.waitFor({ state: "detached" });
  assert.equal(sql(`SELECT COUNT(*) FROM route_signatures WHERE route_id = ${routeId} AND kind = 2`), "1");
  await page.context().close();
});

test("inbox: enrolment applied → approved by the school → confirmed; the teacher is notified", async () => {
  const t = await freshTeacher(`Заявкина${cyrillicTag()}`);
  const routeId = (() => {
    sql(`INSERT INTO routes (person_id, region_id, status, goal, full_name) SELECT id, region_id, 3, 'Развитие методических компетенций', 'x' FROM people WHERE id = ${t.id}`);
    return sql(`SELECT MAX(id) FROM routes WHERE person_id = ${t.id}`);
  })();
  sql(`INSERT INTO route_items (route_id, section, position, title, status, enrolment_status, enrol_applied_at) VALUES (${routeId}, 1, 1, 'ДПП ПК «Формирующее оценивание»', 1, 1, NOW())`);
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  await openInbox(page, "Заявки на обучение");
  await searchInbox(page, t.fullName.split(" ")[0]);
  const row = page.locator("main table tbody tr", { hasText: t.fullName });
  await row.getByRole("button", { name: "Одобрить" }).click();
  await page.locator(".notice-success", { hasText: `Заявка одобрена: ${t.fullName}` }).waitFor();
  await row.getByRole("button", { name: "Подтвердить зачисление" }).waitFor();
  await shot(page, "84-inbox-enrolment-approved");
  await row.getByRole("button", { name: "Подтвердить зачисление" }).click();
  await page.locator(".notice-success", { hasText: `Зачисление подтверждено: ${t.fullName}` }).waitFor();
  await row.waitFor({ state: "detached" });
  assert.equal(sql(`SELECT enrolment_status FROM route_items WHERE route_id = ${routeId}`), "3");
  assert.match(sql(`SELECT title FROM notifications WHERE person_id = ${t.id} AND kind = 4`), /Заявка на обучение одобрена/);
  await page.context().close();
});

test("inbox: the school reminds a teacher who has not started the campaign; the reminder reaches the teacher's app", async () => {
  const methodist = await apiAs(base, "metodist@demo.nms");
  const t = await freshTeacher(`Напоминаева${cyrillicTag()}`);
  const { instrument } = await publishedInstrument(methodist);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const title = `Весенняя диагностика ${uid()}`;
  let campaign = (
    await methodist.diagnostics.createCampaign({
      campaign: { title, instrument: instrument.name, waveKind: CampaignWaveKind.REGIONAL, purpose: "Дефициты", voluntary: true, population: { selection: { case: "listed", value: { people: [t.person] } } }, openTime: { seconds: now - 3600n }, closeTime: { seconds: now + 7n * 86400n }, timeLimitSeconds: 3600 },
      requestId: rid(),
    })
  ).campaign;
  campaign = (await methodist.diagnostics.launchCampaign({ name: campaign.name, version: campaign.version, requestId: rid() })).campaign;

  const page = await newPage();
  await signIn(page, "school@demo.nms");
  await openInbox(page, "Не прошли диагностику");
  await searchInbox(page, t.fullName.split(" ")[0]);
  const row = page.locator("main table tbody tr", { hasText: t.fullName });
  assert.match(await row.innerText(), new RegExp(`${title}[\\s\\S]*не начал\\(а\\)`));
  await shot(page, "85-inbox-campaign-not-done");
  await row.getByRole("button", { name: "Напомнить" }).click();
  await row.locator(".badge", { hasText: "напоминание отправлено" }).waitFor();

  // The teacher's phone, in a second browser context.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "ru-RU" });
  const m = await phone.newPage();
  m.on("pageerror", (e) => pageErrors.push(String(e)));
  await m.goto(MOBILE);
  await m.getByLabel("Логин (e-mail)").fill(t.login);
  await m.getByLabel("Пароль").fill(t.password);
  await m.getByRole("button", { name: "Войти" }).tap();
  await m.locator("nav[aria-label='Разделы']").waitFor();
  await m.locator("nav[aria-label='Разделы'] a", { hasText: "Уведомления" }).tap();
  const note = m.locator("li.notif", { hasText: "Напоминание о диагностике" });
  await note.waitFor({ timeout: 30000 });
  const text = await note.innerText();
  assert.match(text, new RegExp(`Пройдите диагностику «${title}» до \\d\\d\\.\\d\\d\\.\\d{4}`));
  const head = sql("SELECT CONCAT_WS(' ', p.last_name, p.first_name, NULLIF(p.middle_name, '')) FROM accounts a JOIN people p ON p.id = a.person_id WHERE a.login = 'school@demo.nms'");
  assert.match(text, new RegExp(`Напоминает: ${head}`));
  await m.screenshot({ path: join(shots, "86-teacher-app-reminder.png"), fullPage: true });
  // Opening the screen marks it read on the server too.
  await m.waitForFunction(() => true);
  for (let i = 0; i < 20 && sql(`SELECT COUNT(*) FROM notifications WHERE person_id = ${t.id} AND read_at IS NULL`) !== "0"; i++) await m.waitForTimeout(250);
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE person_id = ${t.id} AND read_at IS NULL`), "0");
  await phone.close();
  await page.context().close();
});

test("inbox: a quiet mentoring pair gets a meeting planned and leaves the list; young teachers get a support measure", async () => {
  const page = await newPage();
  await signIn(page, "school@demo.nms");
  await openInbox(page, "Пары без встреч");
  const rows = page.locator("main table tbody tr");
  if (await rows.count()) {
    const mentee = (await rows.first().locator("td").nth(0).innerText()).trim();
    const pairCount = Number(sql("SELECT COUNT(*) FROM mentoring_meetings"));
    await rows.first().getByRole("button", { name: "Запланировать встречу…" }).click();
    const week = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    await page.getByLabel("Дата").fill(week);
    await page.getByLabel("Тема").fill("Разбор открытого урока");
    await assertLabelled(page);
    await shot(page, "87-inbox-plan-meeting");
    await page.getByRole("button", { name: "Запланировать", exact: true }).click();
    await page.locator(".notice-success", { hasText: "запланирована" }).waitFor();
    assert.equal(Number(sql("SELECT COUNT(*) FROM mentoring_meetings")), pairCount + 1);
    assert.ok(Number(sql("SELECT COUNT(*) FROM notifications WHERE kind = 7 AND body LIKE '%Разбор открытого урока%'")) >= 1, "the pair is told");
    await settled(page);
    assert.ok(!(await page.locator("main table").innerText().catch(() => "")).includes(`${mentee}\t`), "the pair left the list");
  }
  await openInbox(page, "Молодые педагоги без поддержки");
  const young = page.locator("main table tbody tr");
  assert.ok((await young.count()) > 0, "the demo school has young teachers without support");
  const name = (await young.first().locator("td").nth(0).innerText()).trim();
  const before = Number(sql("SELECT COUNT(*) FROM support_measures"));
  await young.first().getByRole("button", { name: "Назначить поддержку…" }).click();
  await page.getByLabel("Название").fill("Клуб молодого педагога «Старт»");
  await page.getByRole("button", { name: "Назначить", exact: true }).click();
  await page.locator(".notice-success", { hasText: `назначена: ${name}` }).waitFor();
  assert.equal(Number(sql("SELECT COUNT(*) FROM support_measures")), before + 1);
  await shot(page, "88-inbox-young-supported");
  await page.context().close();
});

test("inbox: overdue ИОМ items open their route; a matching proposal reopens with its pairs and is discarded; a remark is reviewed", async () => {
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await openInbox(page, "Просроченные мероприятия ИОМ");
  const overdue = page.locator("main table tbody tr");
  if (await overdue.count()) {
    assert.match(await overdue.first().innerText(), /на \d+ (день|дня|дней)/);
    await follow(page, overdue.first().getByRole("link", { name: "Открыть ИОМ" }));
    assert.match(page.url(), /#\/routes\/\d+$/);
  }
  const methodist = await apiAs(base, "metodist@demo.nms");
  const mun = sql("SELECT MIN(id) FROM municipalities");
  const proposed = await methodist.mentoring.proposeMatching({ scope: `municipalities/${mun}`, requestId: rid() });
  await openInbox(page, "Предложения подбора наставников");
  const row = page.locator("main table tbody tr").first();
  await row.getByRole("button", { name: "Открыть с парами" }).click();
  await page.locator(".proposal h2", { hasText: "Предложение" }).waitFor();
  await shot(page, "89-inbox-proposal-open");
  const discard = page.getByRole("button", { name: "Отклонить предложение" });
  if (await discard.count()) {
    await discard.click();
    await page.locator(".notice-info", { hasText: "Предложение отклонено" }).waitFor();
  }
  assert.ok(proposed.proposal?.name, "a proposal was computed");
  await openInbox(page, "Замечания к заданиям");
  const remarks = page.locator("main table tbody tr");
  if (await remarks.count()) {
    const text = await remarks.first().innerText();
    await remarks.first().getByRole("textbox").fill("Проверим задание");
    await remarks.first().getByRole("button", { name: "Принять" }).click();
    await page.locator(".notice-success", { hasText: "Замечание рассмотрено" }).waitFor();
    await settled(page);
    assert.ok(!(await page.locator("main").innerText()).includes(text), "the remark left the list");
  }
  await page.context().close();
});

test("bank of practices: a teacher describes and submits a practice, the municipal methodist reviews it with the rubric, the ЦНППМ publishes one and returns another", async () => {
  const title = `Игровые приёмы на уроках химии ${uid()}`;
  const teacher = await newPage();
  await signIn(teacher, "teacher@demo.nms");
  await follow(teacher, teacher.locator("nav[aria-label='Разделы']").getByRole("link", { name: "Банк практик" }));
  // The demo bank: published practices of the region, searched by deficit.
  await teacher.locator("main table tbody tr").first().waitFor();
  assert.match(await teacher.locator("main table").innerText(), /Смысловое чтение/);
  await shot(teacher, "94-practices-register-published");
  await teacher.getByLabel("Область компетенций (дефицит)").selectOption({ label: "Цифровые" });
  await teacher.locator("main p[role=status]").first().waitFor();
  await settled(teacher);
  assert.doesNotMatch(await teacher.locator("main").innerText(), /Смысловое чтение/);
  await shot(teacher, "95-practices-register-teacher");
  await follow(teacher, teacher.getByRole("link", { name: "Описать свою практику" }));
  await teacher.getByLabel("Название").fill(title);
  await teacher.getByLabel("Описание: суть, как проводится, какие результаты").fill("Дидактические игры на повторение: лото, домино, квесты по темам 8 класса.");
  await teacher.getByLabel("Материалы (ссылки)").fill("ftp://example.org/bad");
  await teacher.getByLabel("Методические").check();
  await teacher.getByLabel("Индикаторы рамки компетенций").fill("М-4");
  await teacher.getByLabel("Предмет", { exact: true }).fill("Химия");
  await teacher.getByRole("button", { name: "Сохранить черновик" }).click();
  // A link that is not a web address is refused with the field named, nothing is created.
  await teacher.locator(".notice-error", { hasText: "http://" }).waitFor();
  await teacher.getByLabel("Материалы (ссылки)").fill("https://example.org/himiya-igry");
  await teacher.getByRole("button", { name: "Сохранить черновик" }).click();
  await teacher.locator("h1", { hasText: title }).waitFor();
  await settled(teacher);
  assert.match(await teacher.locator("h1").innerText(), /черновик/);
  await teacher.getByRole("button", { name: "Подать на экспертизу" }).click();
  await teacher.locator(".notice-success", { hasText: "подана на экспертизу" }).waitFor();
  assert.match(await teacher.locator("h1").innerText(), /на экспертизе/);
  assert.equal(await teacher.getByRole("button", { name: "Подать на экспертизу" }).count(), 0, "no second submit");
  const hash = new URL(teacher.url()).hash;
  await shot(teacher, "96-practice-submitted");
  await teacher.context().close();

  const mun = await newPage();
  await signIn(mun, "mun@demo.nms");
  await mun.goto(base + hash);
  await settled(mun);
  const form = mun.locator("form.review-form");
  await form.getByLabel(/Актуальность/).selectOption("3");
  await form.getByLabel(/Результативность/).selectOption("2");
  await form.getByLabel(/Воспроизводимость/).selectOption("3");
  await form.getByLabel(/Новизна/).selectOption("1");
  await form.getByLabel(/Качество описания/).selectOption("2");
  assert.match(await form.locator("output").innerText(), /Итого: 11 баллов из 13/);
  await shot(mun, "96b-practice-review-form");
  await form.getByRole("button", { name: "Сохранить экспертизу" }).click();
  await form.locator(".notice-error", { hasText: "заключение" }).waitFor();
  await form.getByLabel("Заключение").fill("Приёмы понятны и воспроизводимы; рекомендую к публикации.");
  await form.getByRole("button", { name: "Сохранить экспертизу" }).click();
  await mun.locator(".notice-success", { hasText: "Экспертиза сохранена" }).waitFor();
  assert.match(await mun.locator("main table").innerText(), /11 баллов из 13/);
  assert.equal(await mun.locator("form.review-form").count(), 0, "one review per expert");
  assert.equal(await mun.getByRole("button", { name: "Опубликовать" }).count(), 0, "only the ЦНППМ publishes");
  await shot(mun, "97-practice-reviewed");
  await mun.context().close();

  const centre = await newPage();
  await signIn(centre, "metodist@demo.nms");
  await centre.goto(base + hash);
  await settled(centre);
  await centre.getByRole("button", { name: "Опубликовать" }).click();
  await centre.locator(".notice-success", { hasText: "опубликована" }).waitFor();
  assert.match(await centre.locator("h1").innerText(), /опубликована/);
  await shot(centre, "98-practice-published");
  // The demo's submitted practice goes back to its author with a comment (a dialog, not prompt()).
  await centre.goto(base + "#/practices");
  await settled(centre);
  await follow(centre, centre.getByRole("link", { name: "Кейс-метод на уроках обществознания" }));
  await centre.getByRole("button", { name: "Вернуть на доработку" }).click();
  const dialog = centre.getByRole("dialog", { name: "Вернуть на доработку" });
  await dialog.getByRole("button", { name: "Вернуть" }).click();
  await dialog.locator(".field-error", { hasText: "Заполните это поле" }).waitFor();
  await dialog.getByLabel("Что доработать").fill("Добавьте результаты учеников за год.");
  await dialog.getByRole("button", { name: "Вернуть" }).click();
  await centre.locator(".notice-warn", { hasText: "Добавьте результаты учеников за год." }).waitFor();
  await shot(centre, "99-practice-returned");
  await centre.context().close();
});

test("no script errors in the pages", () => {
  writeFileSync(join(shots, "page-errors.txt"), pageErrors.join("\n"));
  assert.deepEqual(pageErrors, []);
});
