// Browser tests of the НМС admin web client (playwright-core driving Debian's chromium, headless)
// against the real stack started by run.sh. Env: NMS_WEB_URL, NMS_E2E_DB_PORT, NMS_E2E_DB_NAME,
// NMS_SCREENSHOTS. The issue's walk runs as a school admin and a regional methodist through every
// service; a step whose predecessor failed skips itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ConnectError } from "@connectrpc/connect";
import { Role } from "./gen/nms/v1/common_pb.js";
import { RouteSignatureKind, RouteStatus } from "./gen/nms/v1/route_pb.js";
import { IndicatorStatus, IndicatorValueKind, PresetApplyMode } from "./gen/nms/v1/monitoring_pb.js";
import { CampaignWaveKind, DiagnosticResultStatus, ExpertWorkKind, ItemProblemCategory } from "./gen/nms/v1/diagnostics_pb.js";
import { ALL_RIGHT, METHODOLOGICAL_DEFICIT, PASSWORD, apiAs, catalogue, denied, instrumentJson, publishedFramework, publishedInstrument, refreshTokenExposure, rid, sql, takeTest, teacherAccount, uid, watchCsp } from "./fixtures.mjs";

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

/** A new browser page signed in as `login` (demo password). */
async function signedIn(login, viewport) {
  const page = await newPage(viewport);
  await signIn(page, login);
  return page;
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

/** What every screen owes: labelled controls, no sideways scrolling of the page; then its screenshot. */
async function screenChecked(page, name) {
  await assertLabelled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `${name}: the page scrolls sideways by ${overflow}px`);
  await shot(page, name);
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
  const page = await signedIn("school@demo.nms");
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
  const page = await signedIn("admin@demo.nms");
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
  const page = await signedIn("metodist@demo.nms");
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
  const page = await signedIn("school@demo.nms");
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
  const page = await signedIn("metodist@demo.nms");
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
  const page = await signedIn("metodist@demo.nms");
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
  const shared = await signedIn("metodist@demo.nms");
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

test("campaign comparison: a municipality's levels and deficits per area over the campaigns on 0–100 %, the ИОМ effect by re-diagnosis, a table beside, CSV", async () => {
  const met = await apiAs(base, "metodist@demo.nms");
  const region = met.scopeOf(Role.REGIONAL_METHODIST);
  // The municipality with the most results, and the campaigns the screen offers, oldest first.
  const top = await met.diagnostics.getAggregateReport({ scope: region, includeChildren: true });
  const mun = [...top.children].sort((a, b) => Number(b.diagnosedCount - a.diagnosedCount))[0];
  const startOf = (c) => Number(c.openTime?.seconds ?? c.launchTime?.seconds ?? c.createTime?.seconds ?? 0n);
  const campaigns = (await met.diagnostics.listCampaigns({ pageSize: 200 })).campaigns.filter((c) => c.state === 2 || c.state === 3).sort((a, b) => startOf(a) - startOf(b) || a.title.localeCompare(b.title, "ru"));
  assert.ok(campaigns.length >= 2, "the demo has campaigns to compare");

  const page = await signedIn("metodist@demo.nms", { width: 1366, height: 768 });
  await go(page, "Диагностика");
  await follow(page, page.locator("nav.subnav").getByRole("link", { name: "Сравнение кампаний" }));
  const picks = page.locator("fieldset.campaign-picks input[type=checkbox]");
  await picks.first().waitFor();
  assert.equal(await picks.count(), campaigns.length);
  await page.getByLabel("Территория").selectOption({ label: mun.title });
  await assertLabelled(page);
  await page.getByRole("button", { name: "Сравнить" }).click();
  const levels = page.locator("main table:has(caption:text('по общему уровню'))");
  await levels.waitFor({ timeout: 120000 });

  // One row per campaign in time order, with its name and dates; the shares are the server's.
  const rows = levels.locator("tbody tr");
  assert.equal(await rows.count(), campaigns.length);
  for (const [i, c] of campaigns.entries()) {
    const text = await rows.nth(i).innerText();
    assert.ok(text.startsWith(c.title), `row ${i} is «${c.title}»: ${text}`);
    const r = await met.diagnostics.getAggregateReport({ scope: mun.scope, campaign: c.name });
    assert.match(text, new RegExp(`${Number(r.diagnosedCount).toLocaleString("ru-RU")} из ${Number(r.populationCount).toLocaleString("ru-RU")}`.replace(/\s/g, "\\s")));
    if (r.diagnosedCount > 0n) {
      const low = r.overallLevels.find((l) => l.level === 1)?.sharePercent ?? 0;
      assert.ok(text.includes(`${low.toLocaleString("ru-RU", { maximumFractionDigits: 1 })} %`), `share at недостаточный ${low} in «${text}»`);
      const cells = await page.locator("main table:has(caption:text('с дефицитом')) tbody tr").nth(i).locator("td").allInnerTexts();
      const subj = r.areas.find((a) => a.area === 1)?.levels.find((l) => l.level === 1)?.sharePercent ?? 0;
      assert.equal(cells[1], `${subj.toLocaleString("ru-RU", { maximumFractionDigits: 1 })} %`, "subject area: share below basic");
    }
  }
  // Both charts are drawn on a fixed 0–100 % axis.
  await page.waitForFunction(() => [...document.querySelectorAll(".compare-block canvas")].filter((c) => c.dataset.yMax === "100").length >= 2);
  const main = await page.locator("main").innerText();
  assert.doesNotMatch(main, /campaigns\/\d|municipalities\/\d|routes\/\d/, "names, never resource names");

  // The ИОМ effect: routes built from a campaign's results re-diagnosed later, as the API measures them.
  const effectRows = page.locator("main table:has(caption:text('Эффект ИОМ')) tbody tr");
  assert.equal(await effectRows.count(), campaigns.length);
  const first = campaigns[0];
  const routes = (await met.route.listRoutes({ pageSize: 200, filter: `campaign = "${first.name}" AND municipality = "${mun.scope}"` })).routes.filter((x) => x.status !== RouteStatus.CANCELLED);
  let again = 0;
  for (const x of routes) if ((await met.route.getRouteEffect({ name: x.name })).rediagnosed) again++;
  const cells = await effectRows.first().locator("td").allInnerTexts();
  assert.equal(cells[0], first.title);
  if (routes.length) assert.ok(cells[2].startsWith(`${again.toLocaleString("ru-RU")} (`), `re-diagnosed ${again}: ${cells[2]}`);
  if (again) await page.locator(".compare-block figure.before-after canvas[data-y-max='100']").waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "66-campaign-compare");

  // The same as a CSV for Excel: BOM, `;`, Russian headers, the municipality and campaign names.
  const bytes = await downloadBytes(page, page.locator("main a.download"));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
  const csv = bytes.subarray(3).toString("utf8").split("\r\n");
  assert.match(csv[0], /^"Территория";"Кампания";"Период";"Участников";"Прошли диагностику";"Уровень «недостаточный», %";/);
  assert.equal(csv.filter(Boolean).length, campaigns.length + 1);
  assert.ok(csv[1].startsWith(`"${mun.title}";"${campaigns[0].title}";`), csv[1]);
  assert.doesNotMatch(csv.join("\n"), /campaigns\/\d|municipalities\/\d/);

  await page.context().close();
});

test("campaign comparison for one school: a teacher diagnosed, her ИОМ carried out, re-diagnosed — levels move, the deficit closes, the effect is drawn", async () => {
  const met = await apiAs(base, "metodist@demo.nms");
  const school = await apiAs(base, "school@demo.nms");
  const tag = uid();
  const t = await freshTeacher(`Сравнева${cyrillicTag()}`);
  const me = await apiAs(base, t.login, t.password);
  const { region, instrument } = await publishedInstrument(met, tag);
  await catalogue(met, region, tag);
  const now = BigInt(Math.floor(Date.now() / 1000));
  const launch = async (title, opened) => {
    const c = (await met.diagnostics.createCampaign({
      campaign: { title, instrument: instrument.name, waveKind: CampaignWaveKind.REGIONAL, purpose: "Дефициты", voluntary: true, population: { selection: { case: "listed", value: { people: [t.person] } } }, openTime: { seconds: now - opened }, closeTime: { seconds: now + 7n * 86400n }, timeLimitSeconds: 3600 },
      requestId: rid(),
    })).campaign;
    return (await met.diagnostics.launchCampaign({ name: c.name, version: c.version, requestId: rid() })).campaign;
  };
  // Entry diagnosis: a methodological deficit; the ИОМ is signed, approved and started; then re-diagnosis, all right.
  const entry = await launch(`Входная диагностика ${tag}`, 7200n);
  const first = await takeTest(me, entry.name, METHODOLOGICAL_DEFICIT);
  let route = (await me.route.generateRoute({ person: t.person, diagnosticResult: first.name, requestId: rid() })).route;
  route = (await me.route.agreeRoute({ name: route.name, signatureKind: RouteSignatureKind.TEACHER, version: route.version, requestId: rid() })).route;
  route = (await school.route.agreeRoute({ name: route.name, signatureKind: RouteSignatureKind.SCHOOL_REPRESENTATIVE, version: route.version, requestId: rid() })).route;
  route = (await met.route.approveRoute({ name: route.name, version: route.version, comment: "Утверждаю", requestId: rid() })).route;
  await me.route.startRoute({ name: route.name, version: route.version, requestId: rid() });
  const again = await launch(`Повторная диагностика ${tag}`, 3600n);
  await takeTest(me, again.name, ALL_RIGHT);
  const effect = await met.route.getRouteEffect({ name: route.name });
  assert.equal(effect.rediagnosed, true, "the API measures the route by the second result");

  const org = await met.directory.getOrganization({ name: t.organization });
  const mun = await met.directory.getMunicipality({ name: org.municipality });
  const page = await signedIn("metodist@demo.nms", { width: 1366, height: 768 });
  await visit(page, `${base}#/diagnostics/compare`);
  await page.locator("fieldset.campaign-picks input[type=checkbox]").first().waitFor();
  await page.getByLabel("Территория").selectOption({ label: mun.displayName });
  const orgBox = page.getByLabel("Организация");
  await orgBox.locator("option", { hasText: org.shortName || org.displayName }).first().waitFor({ state: "attached" });
  await orgBox.selectOption({ label: org.shortName || org.displayName });
  // Only this teacher's two campaigns.
  for (const box of await page.locator("fieldset.campaign-picks label").all()) {
    const mine = (await box.innerText()).includes(tag);
    await box.locator("input").setChecked(mine);
  }
  await page.getByRole("button", { name: "Сравнить" }).click();
  const effectRows = page.locator("main table:has(caption:text('Эффект ИОМ')) tbody tr");
  await effectRows.first().waitFor({ timeout: 120000 });
  assert.equal(await effectRows.count(), 2);
  // The entry campaign's ИОМ: one route, re-diagnosed, the overall level up, its deficit closed.
  assert.deepEqual((await effectRows.nth(0).locator("td").allInnerTexts()).slice(0, 4), [entry.title, "1", "1 (100 %)", "1 / 0 / 0"]);
  assert.match(await effectRows.nth(0).locator("td").nth(4).innerText(), /^1 из 1 \(100 %\)/);
  assert.deepEqual((await effectRows.nth(1).locator("td").allInnerTexts()).slice(0, 3), [again.title, "0", "—"]);
  // Levels: the entry campaign in time order first, the re-diagnosis all at высокий; the methodological deficit gone.
  const levels = await page.locator("main table:has(caption:text('по общему уровню')) tbody tr").allInnerTexts();
  assert.ok(levels[0].startsWith(entry.title) && levels[1].startsWith(again.title), levels.join(" | "));
  assert.match(levels[1].replace(/\s+/g, " "), /1 из 1 0 % 0 % 0 % 100 %$/);
  const deficits = page.locator("main table:has(caption:text('с дефицитом')) tbody tr");
  assert.equal((await deficits.nth(0).locator("td").allInnerTexts())[2], "100 %", "methodological: below basic at entry");
  assert.equal((await deficits.nth(1).locator("td").allInnerTexts())[2], "0 %", "methodological: none after the ИОМ");
  await page.locator(".compare-block figure.before-after canvas[data-y-max='100']").waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll(".compare-block canvas")].filter((c) => c.dataset.yMax === "100").length === 3);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "67-campaign-compare-school-effect");
  const csv = (await downloadBytes(page, page.locator("main a.download"))).toString("utf8").split("\r\n");
  assert.ok(csv[1].includes(`"${entry.title}"`) && csv[1].endsWith('"1";"1";"1";"0";"0";"1";"0";"0"'), csv[1]);
  assert.doesNotMatch(await page.locator("main").innerText(), /campaigns\/\d|organizations\/\d|routes\/\d/);
  await page.context().close();
});

test("CSV import takes what Excel writes: Windows-1251 with a blank line reports the file's line; a template is offered", async () => {
  const page = await signedIn("metodist@demo.nms");
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
  const page = await signedIn("admin@demo.nms");
  await go(page, "Настройки");
  await assertLabelled(page);
  // A second tab opens the same settings before the first one saves.
  const other = await signedIn("admin@demo.nms");
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
  const page = await signedIn("metodist@demo.nms", TABLET);
  for (const [link, name] of [["Мои задачи", "inbox"], ["Организации", "orgs"], ["Педагоги", "teachers"], ["Диагностика", "diagnostics"], ["ИОМ", "routes"], ["Наставничество", "mentoring"], ["Молодые педагоги", "young"], ["Мониторинг", "monitoring"], ["Настройки", "settings"], ["Каталог мероприятий", "catalogue"], ["Учёт для показателей", "facts"]]) {
    await go(page, link);
    await screenChecked(page, `70-tablet-${name}`);
  }
  await page.context().close();
});

test("session survives a reload through the refresh token", async () => {
  const page = await signedIn("mun@demo.nms");
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
  const page = await signedIn("school@demo.nms");
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
    ["school@demo.nms", "school", ["ИОМ на подпись организации", "Заявки на обучение", "Не прошли диагностику", "Молодые педагоги без поддержки", "Пары без встреч"], ["ИОМ на утверждение", "Предложения подбора наставников", "Замечания к заданиям", "Работы на экспертную оценку"]],
    ["mun@demo.nms", "municipal", ["Заявки на обучение", "Предложения подбора наставников", "Не прошли диагностику", "Просроченные мероприятия ИОМ", "Работы на экспертную оценку"], ["ИОМ на подпись организации", "ИОМ на утверждение", "Замечания к заданиям"]],
    ["metodist@demo.nms", "methodist", ["ИОМ на утверждение", "Предложения подбора наставников", "Замечания к заданиям", "Пары без встреч", "Работы на экспертную оценку"], ["ИОМ на подпись организации"]],
    ["admin@demo.nms", "admin", ["ИОМ на утверждение", "Молодые педагоги без поддержки", "Замечания к заданиям"], ["ИОМ на подпись организации"]],
  ];
  for (const [login, name, shown, hidden] of expectations) {
    const page = await signedIn(login);
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
      const forms = { маршрут: "one", маршрута: "few", маршрутов: "many", заявка: "one", заявки: "few", заявок: "many", педагог: "one", педагога: "few", педагогов: "many", пара: "one", пары: "few", пар: "many", мероприятие: "one", мероприятия: "few", мероприятий: "many", предложение: "one", предложения: "few", предложений: "many", замечание: "one", замечания: "few", замечаний: "many", работа: "one", работы: "few", работ: "many" };
      assert.equal(forms[word], form === "other" ? "few" : form, `«${card}»: ${n} ${word}`);
    }
    await screenChecked(page, `80-inbox-${name}`);
    await page.context().close();
  }
});

test("inbox: the regional methodist approves two ИОМ at once and returns two for revision with a comment; they leave the list", async () => {
  const page = await signedIn("metodist@demo.nms");
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
  const page = await signedIn("school@demo.nms");
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
  const page = await signedIn("school@demo.nms");
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

  const page = await signedIn("school@demo.nms");
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
  const page = await signedIn("school@demo.nms");
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
  const page = await signedIn("metodist@demo.nms");
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

// ------------------------------------------------------------------------------ capabilities (issue 12 §2)

const dlg = (page) => page.locator("dialog[open]");
/** Waits until a form dialog has closed (its save went through); else fails with what it shows. */
async function closed(d) {
  try {
    await d.waitFor({ state: "detached" });
  } catch (e) {
    const said = await d.locator(".field-error:not(:empty), .notice").allInnerTexts().catch(() => []);
    throw new Error(`the dialog «${await d.getAttribute("aria-label").catch(() => "")}» stayed open: ${said.join(" | ") || "(no message)"}`);
  }
}
/** A form label exactly, with or without the required-field star. */
const L = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\*)?$`);

/** Chooses a person in a picker inside `scope`: searched by external id, then the match. */
async function pickPerson(scope, label, person) {
  const picker = scope.locator(".person-picker", { hasText: `${label}: поиск` });
  await picker.getByLabel(`${label}: поиск`, { exact: true }).fill(person.ext);
  await picker.getByRole("button", { name: "Найти", exact: true }).click();
  const sel = picker.getByLabel(label, { exact: true });
  const option = sel.locator("option", { hasText: person.last }).first();
  await option.waitFor({ state: "attached" });
  await sel.selectOption(await option.getAttribute("value"));
}

/** A person of the demo region with an external id (the `offset`-th matching `where`). */
function teacher(where = "", offset = 0) {
  const [id, last, first, ext] = sql(`SELECT p.id, p.last_name, p.first_name, p.external_id FROM people p WHERE p.external_id IS NOT NULL ${where} ORDER BY p.id LIMIT 1 OFFSET ${offset}`).split("\t");
  assert.ok(id, `a demo person ${where}`);
  return { id, last, first, ext, name: `people/${id}` };
}

test("regional admin: territory edits, a new person with places of work and roles, own password", async () => {
  const page = await signedIn("admin@demo.nms");
  // The regional admin starts from the task inbox; the territory is under «Организации».
  await page.waitForURL(/#\/inbox/);
  await go(page, "Организации");
  await page.locator(".region-card").waitFor();
  // The time zone reads in Russian (the id stays in brackets for those who set it).
  assert.match(await page.locator(".region-card").innerText(), /часовой пояс [А-ЯЁ][а-яё]+/);
  const t = cyrillicTag();

  // A district: the form refuses an empty name next to the field, then adds it.
  await page.getByRole("button", { name: "Добавить округ" }).click();
  let d = dlg(page);
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "Обязательное поле" }).waitFor();
  await shot(page, "90-territory-required-field");
  await d.getByLabel("Название").fill(`Округ проверки ${t}`);
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const district = page.locator("details.district", { hasText: `Округ проверки ${t}` });
  await district.locator("summary").click();

  // A municipality in it, then renamed.
  await district.getByRole("button", { name: "Добавить муниципалитет" }).click();
  d = dlg(page);
  await d.getByLabel("Название").fill(`Посёлок ${t}`);
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  let mun = district.locator("details.mun", { hasText: `Посёлок ${t}` });
  await mun.getByRole("button", { name: "изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Название").fill(`Посёлок ${t} Новый`);
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  mun = district.locator("details.mun", { hasText: `Посёлок ${t} Новый` });
  await mun.locator("summary").click();

  // An organisation in the municipality, then its short name edited.
  await mun.getByRole("button", { name: "Добавить организацию" }).click();
  d = dlg(page);
  await d.getByLabel("Тип").selectOption({ label: "ОО" });
  await d.getByLabel("Полное наименование").fill(`Муниципальное бюджетное общеобразовательное учреждение «Школа ${t}»`);
  await d.getByLabel("Краткое наименование").fill(`Школа ${t}`);
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  await mun.locator("ul.org-list li", { hasText: `Школа ${t}` }).waitFor();
  await mun.getByRole("button", { name: `Изменить: Школа ${t}` }).click();
  d = dlg(page);
  await d.getByLabel("Краткое наименование").fill(`Школа ${t} им. Пушкина`);
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await mun.locator("ul.org-list li", { hasText: `Школа ${t} им. Пушкина` }).waitFor();
  await assertLabelled(page);
  await shot(page, "91-territory-edited");

  // A new person: a birth date in the future is refused next to the field (the server's rule).
  await go(page, "Педагоги");
  await page.getByRole("button", { name: "Добавить педагога" }).click();
  d = dlg(page);
  await d.getByLabel("Фамилия").fill(`Новиков${t}`);
  await d.getByLabel(L("Имя")).fill("Пётр");
  await d.getByLabel("Дата рождения").fill("2090-01-01");
  await d.getByLabel("Организация (основное место работы)").selectOption({ label: `Школа ${t} им. Пушкина` });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "Дата в будущем" }).waitFor();
  await shot(page, "92-new-person-invalid");
  await d.getByLabel("Дата рождения").fill("1991-05-05");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await page.locator("main h1", { hasText: `Новиков${t} Пётр` }).waitFor();
  await settled(page);

  // A second place of work, then ended.
  await page.getByRole("button", { name: "Добавить: место работы" }).click();
  d = dlg(page);
  await d.getByLabel("Организация").selectOption({ index: 1 });
  await d.getByLabel("Должность").fill("совместитель");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const second = page.locator("main tr", { hasText: "совместитель" });
  await second.getByRole("button", { name: "Завершить" }).click();
  d = dlg(page);
  await d.getByRole("button", { name: "Завершить" }).click();
  await closed(d);
  await page.locator("main tr", { hasText: "совместитель" }).locator("text=завершено").waitFor();

  // An account (teacher role), then a school admin role granted and revoked.
  await page.getByLabel("Логин", { exact: true }).fill(`np${Date.now().toString(36)}@e2e.test`);
  await page.getByRole("button", { name: "Создать учётную запись" }).click();
  await page.locator("code.otp").waitFor();
  const login = await page.locator("dl.credentials code").first().innerText();
  const otp = await page.locator("code.otp").innerText();
  await page.reload();
  const roles = page.locator("ul.grants");
  await roles.locator("li", { hasText: "Педагог" }).waitFor();
  await page.getByRole("button", { name: "Выдать роль" }).click();
  d = dlg(page);
  await d.getByLabel("Роль").selectOption({ label: "Администратор ОО" });
  await d.getByLabel("Где действует").selectOption({ label: `Школа ${t} им. Пушкина` });
  await d.getByRole("button", { name: "Выдать" }).click();
  await closed(d);
  const adminRole = roles.locator("li", { hasText: "Администратор ОО" });
  await adminRole.waitFor();
  await shot(page, "93-person-card-roles");
  await adminRole.getByRole("button", { name: "Отозвать" }).click();
  await dlg(page).getByRole("button", { name: "Отозвать" }).click();
  await adminRole.waitFor({ state: "detached" });
  assert.equal(sql(`SELECT COUNT(*) FROM role_grants g JOIN accounts a ON a.id = g.account_id WHERE a.login = '${login}'`), "1");

  // The new person changes the one-time password: checks in the form, the server's refusal of a
  // wrong current password next to that field, then success; the new password signs in.
  const own = await newPage();
  await signIn(own, login, otp);
  await own.locator("header a.who-name").click();
  await own.getByRole("button", { name: "Сменить пароль" }).click();
  d = dlg(own);
  await d.getByLabel("Текущий пароль").fill("неверный-пароль");
  await d.getByLabel(L("Новый пароль")).fill("новый-пароль-2026");
  await d.getByLabel("Новый пароль ещё раз").fill("другой-пароль-2026");
  await d.getByRole("button", { name: "Сменить пароль" }).click();
  await d.locator(".field-error", { hasText: "Пароли не совпадают" }).waitFor();
  await d.getByLabel("Новый пароль ещё раз").fill("новый-пароль-2026");
  await d.getByRole("button", { name: "Сменить пароль" }).click();
  await d.locator(".field-error", { hasText: "Текущий пароль указан неверно" }).waitFor();
  await shot(own, "94-password-wrong-current");
  await d.getByLabel("Текущий пароль").fill(otp);
  await d.getByRole("button", { name: "Сменить пароль" }).click();
  await own.locator(".notice-success", { hasText: "Пароль изменён" }).waitFor();
  await shot(own, "95-account-password-changed");
  await own.getByRole("button", { name: "Выйти" }).click();
  await signIn(own, login, "новый-пароль-2026");
  await own.context().close();
  await page.context().close();
});

test("regional admin: every monitoring fact kind with forms and CSV import, indicators and targets, attestation, CSV and printable report, federal exchange", async () => {
  const page = await signedIn("admin@demo.nms");
  const a = teacher("", 3);
  const tag = cyrillicTag();

  // Further training: a completion with passed attestation needs its date (checked before sending).
  await go(page, "Учёт для показателей");
  await page.getByRole("button", { name: "Добавить: прохождение ДПП" }).click();
  let d = dlg(page);
  await pickPerson(d, "Педагог", a);
  await d.getByLabel(L("Программа")).fill(`Функциональная грамотность ${tag}`);
  await d.getByLabel("Часов").fill("36");
  await d.getByLabel("Аттестация пройдена").check();
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "Укажите дату итоговой аттестации" }).waitFor();
  await d.getByLabel("Итоговая аттестация").fill("2026-11-20");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  let row = page.locator("main tr", { hasText: `Функциональная грамотность ${tag}` });
  await row.locator("td", { hasText: a.last }).waitFor();
  await shot(page, "96-facts-trainings");
  await row.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Часов").fill("72");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await row.locator("td", { hasText: /^72$/ }).waitFor();
  await row.getByRole("button", { name: "Удалить" }).click();
  await dlg(page).getByRole("button", { name: "Удалить" }).click();
  await row.waitFor({ state: "detached" });

  // Expert activity from CSV: a file with a bad line sends nothing; the corrected one adds both.
  await follow(page, page.getByRole("link", { name: "Экспертная деятельность" }));
  const [x1, x2] = sql("SELECT external_id FROM people WHERE external_id IS NOT NULL ORDER BY id LIMIT 2 OFFSET 5").split("\n");
  const csv = (date2) => ["person;kind;title;start_date", `${x1};жюри конкурса;Жюри конкурса «Учитель года» ${tag};10.10.2026`, `${x2};аттестация педагогов;Аттестационная комиссия ${tag};${date2}`].join("\n");
  await page.getByRole("button", { name: "Импорт из CSV" }).click();
  const upload = async (text) => {
    await page.getByLabel("Файл CSV").setInputFiles({ name: "experts.csv", mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
    await page.getByRole("button", { name: "Проверить и загрузить" }).click();
  };
  const before = Number(sql("SELECT COUNT(*) FROM expert_activities"));
  await upload(csv("31.13.2026"));
  await page.locator(".csv-import .notice-error", { hasText: "ничего не отправлено" }).waitFor();
  assert.match(await page.locator(".csv-import .notice-error").innerText(), /строка 3/);
  assert.equal(Number(sql("SELECT COUNT(*) FROM expert_activities")), before);
  // A template with the Russian column titles is offered; the corrected file uses those titles and
  // has a blank line: the per-line results name the file's lines (2 and 4).
  const template = page.locator(".csv-import a.download", { hasText: "Скачать шаблон" });
  assert.equal(await template.getAttribute("download"), "шаблон.csv");
  const fixed = csv("01.11.2026").split("\n");
  await upload(["Педагог;Вид;Содержание;Дата начала", fixed[1], "", fixed[2]].join("\n"));
  await page.locator(".csv-import .notice-success", { hasText: "Добавлено: 2 записи из 2" }).waitFor();
  assert.deepEqual(await page.locator(".csv-import table tbody tr td:first-child").allInnerTexts(), ["2", "4"]);
  await page.locator("main tr", { hasText: `Аттестационная комиссия ${tag}` }).waitFor();
  assert.equal(Number(sql("SELECT COUNT(*) FROM expert_activities")), before + 2);
  await shot(page, "97-facts-experts-csv");

  // An internship platform and a participant of it.
  await follow(page, page.getByRole("link", { name: "Стажировочные площадки" }));
  await page.getByRole("button", { name: "Добавить: стажировочная площадка" }).click();
  d = dlg(page);
  await d.getByLabel("Название").fill(`Площадка ${tag}`);
  await d.getByLabel("Базовая организация").selectOption({ index: 1 });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  await page.locator("main tr", { hasText: `Площадка ${tag}` }).getByRole("button", { name: "Участники" }).click();
  await page.getByRole("button", { name: "Добавить: участник стажировки" }).click();
  d = dlg(page);
  await pickPerson(d, "Педагог", a);
  await d.getByLabel("Организация, которую представляет").selectOption({ index: 2 });
  await d.getByLabel("Роль").selectOption({ label: "стажёр-педагог" });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  await page.locator("main tr", { hasText: "стажёр-педагог" }).locator("td", { hasText: a.last }).waitFor();
  await shot(page, "98-facts-platform-participants");

  // A methodist assignment and the methodist's load.
  await follow(page, page.getByRole("link", { name: "Закрепление методистов" }));
  const m = teacher(`AND p.last_name <> '${a.last}'`, 7);
  await page.getByRole("button", { name: "Добавить: закрепление методиста" }).click();
  d = dlg(page);
  await pickPerson(d, "Методист или тьютор", m);
  await pickPerson(d, "Педагог", a);
  await d.getByLabel("Роль").selectOption({ label: "тьютор" });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  row = page.locator("main tr", { hasText: a.last }).filter({ hasText: m.last });
  await row.getByRole("button", { name: "Нагрузка" }).click();
  await dlg(page).locator("td").first().waitFor();
  assert.ok(Number(await dlg(page).locator("td").first().innerText()) >= 1, "the assignment counts in the load");
  await shot(page, "99-facts-methodist-load");
  await dlg(page).getByRole("button", { name: "Закрыть" }).click();

  // Every other kind: its screen and its add form open with labelled fields.
  for (const [link, noun, file] of [["Управленческие команды", "член управленческой команды", "teams"], ["Сообщества", "участие в сообществе", "communities"], ["Сотрудники ЦНППМ", "сотрудник ЦНППМ", "staff"], ["Региональные мероприятия", "региональное мероприятие", "events"]]) {
    await follow(page, page.getByRole("link", { name: link }));
    await page.getByRole("button", { name: `Добавить: ${noun}` }).click();
    await dlg(page).locator("input, select").first().waitFor();
    await shot(page, `9a-facts-${file}-form`);
    await dlg(page).getByRole("button", { name: "Отмена" }).click();
    await assertLabelled(page);
  }
  // A regional event with a participant.
  await page.getByRole("button", { name: "Добавить: региональное мероприятие" }).click();
  d = dlg(page);
  await d.getByLabel("Название").fill(`Августовская конференция ${tag}`);
  await d.getByLabel("Дата начала").fill("2026-08-27");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  await page.locator("main tr", { hasText: `Августовская конференция ${tag}` }).getByRole("button", { name: "Участники" }).click();
  await page.getByRole("button", { name: "Добавить: участник мероприятия" }).click();
  d = dlg(page);
  await pickPerson(d, "Педагог", a);
  await d.getByLabel("Роль").selectOption({ label: "спикер" });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  await page.locator("main tr", { hasText: "спикер" }).waitFor();

  // Indicators: a yes/no indicator must count attestations (checked before sending), is created,
  // attested with its document, and shows on the dashboard.
  await visit(page, `${base}#/monitoring/definitions`);
  await page.getByRole("button", { name: "Добавить: показатель" }).click();
  d = dlg(page);
  const code = `ПРВ-${tag}`;
  await d.getByLabel("Код").fill(code);
  await d.getByLabel("Показатель").fill(`Утверждена региональная программа ${tag}`);
  await d.getByLabel("Числитель").selectOption({ label: "педагоги и руководители" });
  await d.getByLabel("Знаменатель").selectOption({ label: "единица (для количеств и «да/нет»)" });
  await d.getByLabel("Выражается как").selectOption({ label: "да/нет" });
  await d.getByLabel("Нижний уровень").selectOption({ label: "регион" });
  await d.getByLabel("Период").selectOption({ label: "год" });
  await d.getByLabel(L("Цель")).fill("1");
  await d.getByLabel("Достигнут, если значение").selectOption({ label: "не меньше цели" });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "считается по отметке" }).waitFor();
  await shot(page, "9b-indicator-invalid");
  await d.getByLabel("Числитель").selectOption({ label: "отметка «да/нет»" });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const ind = page.locator("main tr", { hasText: code });
  await ind.getByRole("button", { name: "Отметить выполнение" }).click();
  d = dlg(page);
  await d.getByLabel("Выполнено?").selectOption({ label: "да" });
  await d.getByRole("button", { name: "Записать отметку" }).click();
  await d.locator(".field-error", { hasText: "Обязательное поле" }).waitFor();
  await d.getByLabel("Подтверждающий документ").fill("распоряжение № 12-р от 10.02.2026");
  await d.getByRole("button", { name: "Записать отметку" }).click();
  await closed(d);
  await page.locator(".notice-success", { hasText: `Отметка по показателю ${code} записана` }).waitFor();
  assert.match(sql(`SELECT document FROM indicator_attestations ORDER BY id DESC LIMIT 1`), /12-р/);
  await shot(page, "9c-indicator-definitions");
  // The target of the new indicator edited.
  await ind.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Показатель").fill(`Утверждена и действует региональная программа ${tag}`);
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await page.locator("main tr", { hasText: `Утверждена и действует региональная программа ${tag}` }).waitFor();

  await go(page, "Мониторинг");
  await page.locator("button.indicator", { hasText: code }).waitFor({ timeout: 60000 });
  await page.getByRole("button", { name: "Выгрузить CSV" }).click();
  const csvLink = page.locator("a.download", { hasText: "Скачать CSV" });
  await csvLink.waitFor({ timeout: 60000 });
  const [download] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
  const csvText = await (await import("node:fs/promises")).readFile(await download.path(), "utf8");
  assert.match(csvText, new RegExp(code));
  await page.getByRole("button", { name: "Печатный отчёт" }).click();
  const frame = page.frameLocator("iframe.report-frame");
  await frame.locator("body", { hasText: code }).waitFor({ timeout: 60000 });
  await shot(page, "9d-monitoring-report");
  // Removing the region-specific indicator removes it from the list.
  await visit(page, `${base}#/monitoring/definitions`);
  await page.locator("main tr", { hasText: code }).getByRole("button", { name: "Удалить" }).click();
  await dlg(page).getByRole("button", { name: "Удалить" }).click();
  await page.locator("main tr", { hasText: code }).waitFor({ state: "detached" });

  // The federal exchange as the regional admin sees it.
  await go(page, "Настройки");
  const ex = page.locator("section[aria-label='Обмен с федеральным порталом']");
  await ex.locator("table").waitFor();
  assert.match(await ex.innerText(), /(Ждут выгрузки|Все изменения выгружены)/);
  await shot(page, "9e-federal-exchange");
  await page.context().close();
});

test("ЦНППМ: the activity catalogue, instrument authoring with every item type and versions, framework drafts, campaign edits", async () => {
  const page = await signedIn("metodist@demo.nms");
  const tag = cyrillicTag();

  // Catalogue: an activity must address areas or indicators (checked before sending).
  await go(page, "Каталог мероприятий");
  await page.getByRole("button", { name: "Добавить: мероприятие каталога" }).click();
  let d = dlg(page);
  await d.getByLabel("Название").fill(`Семинар «Формирующее оценивание» ${tag}`);
  await d.getByLabel(L("Вид")).selectOption({ label: "мероприятие" });
  await d.getByLabel("Вид мероприятия").selectOption({ label: "семинар" });
  await d.getByLabel("Часов").fill("8");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "Укажите показатели или области" }).waitFor();
  await shot(page, "a0-catalogue-invalid");
  await d.getByLabel("Методические").check();
  await d.getByLabel("Показатели (коды)").fill("МЕТ-01, МЕТ-02");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const act = page.locator("main tr", { hasText: `Семинар «Формирующее оценивание» ${tag}` });
  await act.locator("td", { hasText: "МЕТ-01, МЕТ-02" }).waitFor();
  await act.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Часов").fill("16");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await act.locator("td", { hasText: /^16$/ }).waitFor();
  await shot(page, "a1-catalogue");
  await act.getByRole("button", { name: "Удалить" }).click();
  await dlg(page).getByRole("button", { name: "Удалить" }).click();
  await act.waitFor({ state: "detached" });

  // A published framework for the instrument (what a ЦНППМ does first).
  const admin = await apiAs(base, "metodist@demo.nms");
  const { framework } = await publishedFramework(admin, tag);

  // Instrument authoring: four item types; a single-choice item without option texts is refused
  // at the item, then the draft is created and reopens in the editor.
  await visit(page, `${base}#/diagnostics/instruments`);
  await settled(page);
  await page.getByRole("button", { name: "Новый инструмент" }).click();
  await page.locator("main h1", { hasText: "Новый инструмент" }).waitFor();
  await settled(page);
  await page.getByLabel("Рамка компетенций").selectOption(framework.name);
  await page.locator("#inst-title").fill(`Диагностика методистов ${tag}`);
  for (const kind of ["один верный ответ", "несколько верных ответов", "краткий ответ", "шкала самооценки (Лайкерт)"]) {
    await page.getByLabel("Тип нового задания").selectOption({ label: kind });
    await page.getByRole("button", { name: "+ задание" }).click();
  }
  const items = page.locator(".item-card");
  assert.equal(await items.count(), 4);
  await page.getByRole("button", { name: "Создать черновик" }).click();
  await items.nth(0).locator(".field-error", { hasText: "Текст задания обязателен" }).waitFor();
  await shot(page, "a2-instrument-editor-errors");
  const texts = ["Какой этап урока по ФГОС ставит цель?", "Какие приёмы относятся к формирующему оцениванию?", "Как называется оценивание по критериям?", "Насколько уверенно вы используете цифровые ресурсы?"];
  for (let i = 0; i < 4; i++) await items.nth(i).getByLabel("Текст задания").fill(texts[i]);
  for (const i of [0, 1]) {
    await items.nth(i).getByLabel("Текст варианта a").fill("Целеполагание");
    await items.nth(i).getByLabel("Текст варианта b").fill("Рефлексия");
  }
  await items.nth(1).getByLabel("Вариант b верный").check();
  await items.nth(2).getByLabel("Допустимые ответы").fill("критериальное\nкритериальное оценивание");
  await items.nth(3).getByLabel("Подписи делений").fill("совсем нет\nскорее нет\nотчасти\nскорее да\nполностью");
  await page.getByRole("button", { name: "Создать черновик" }).click();
  await page.locator("main h1", { hasText: `Черновик: Диагностика методистов ${tag}` }).waitFor();
  await settled(page);
  assert.equal(await page.locator(".item-card").count(), 4);
  // Edit the draft: the Likert item's text, saved as the same draft.
  await page.locator(".item-card").nth(3).getByLabel("Текст задания").fill("Насколько уверенно вы используете ЦОР на уроке?");
  await page.getByRole("button", { name: "Сохранить черновик" }).click();
  await page.locator(".notice-success", { hasText: "Черновик сохранён: 4 задания" }).waitFor();
  await shot(page, "a3-instrument-editor");
  const inst = (await admin.diagnostics.listInstruments({ pageSize: 200 })).instruments.find((i) => i.title === `Диагностика методистов ${tag}`);
  assert.equal(inst.itemCount, 4);
  const full = (await admin.diagnostics.getInstrument({ name: inst.name })).instrument;
  assert.deepEqual(full.blocks[0].items.map((i) => i.kind), [1, 2, 3, 4]);
  assert.equal(full.blocks[0].items[3].text, "Насколько уверенно вы используете ЦОР на уроке?");

  // Published, then a new version (a draft copy) from the list; the copy is deleted.
  await admin.diagnostics.publishInstrument({ name: inst.name, version: full.version, requestId: rid() });
  await visit(page, `${base}#/diagnostics/instruments`);
  await page.locator("main tr", { hasText: `Диагностика методистов ${tag}` }).getByRole("button", { name: "Новая версия" }).click();
  await page.locator("main h1", { hasText: `Черновик: Диагностика методистов ${tag}` }).waitFor();
  await visit(page, `${base}#/diagnostics/instruments`);
  const draftRow = page.locator("main tr", { hasText: `Диагностика методистов ${tag}` }).filter({ hasText: "черновик" });
  await draftRow.getByRole("button", { name: "Удалить" }).click();
  await dlg(page).getByRole("button", { name: "Удалить" }).click();
  await page.locator(".notice-success", { hasText: "удалён" }).waitFor();
  await page.locator("main tr", { hasText: `Диагностика методистов ${tag}` }).filter({ hasText: "опубликован" }).waitFor();
  assert.equal(await page.locator("main tr", { hasText: `Диагностика методистов ${tag}` }).count(), 1);
  await shot(page, "a4-instruments-list");

  // Framework: a new version of the published one, its draft edited (title and indicators).
  await visit(page, `${base}#/diagnostics/frameworks`);
  await page.locator("main tr", { hasText: framework.title }).first().getByRole("button", { name: "Состав" }).click();
  await page.getByRole("button", { name: "Новая версия" }).click();
  await page.getByRole("button", { name: "Изменить черновик" }).click();
  d = dlg(page);
  await d.getByLabel("Название").fill(`Рамка ${tag}, редакция 2`);
  await d.getByLabel("Индикаторы").fill("МЕТ-01 | Методические | Проектирование урока по ФГОС\nЦИФ-01 | Цифровые | Цифровые образовательные ресурсы\nЦИФ-02 | Цифровые | Онлайн-сервисы оценивания");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await page.locator("main tr", { hasText: `Рамка ${tag}, редакция 2` }).waitFor();
  // The composition below shows the saved draft, not the one before the edit.
  await page.locator("main h2", { hasText: `Рамка ${tag}, редакция 2` }).waitFor();
  await page.locator("main tr", { hasText: "Онлайн-сервисы оценивания" }).waitFor();
  await shot(page, "a5-framework-draft");

  // A draft campaign edited: title and dates.
  const camp = (await admin.diagnostics.createCampaign({
    campaign: { region: admin.scopeOf(Role.REGIONAL_METHODIST), title: `Кампания ${tag}`, instrument: inst.name, waveKind: 1, population: { selection: { case: "listed", value: { scopes: [admin.scopeOf(Role.REGIONAL_METHODIST)] } } } },
    requestId: rid(),
  })).campaign;
  await visit(page, `${base}#/diagnostics/${camp.name.split("/")[1]}`);
  await page.getByRole("button", { name: "Изменить", exact: true }).click();
  d = dlg(page);
  await d.getByLabel("Название").fill(`Осенняя кампания ${tag}`);
  await d.getByLabel("Начало").fill("2027-01-20");
  await d.getByLabel("Окончание (включительно)").fill("2027-01-10");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await d.locator(".field-error", { hasText: "Раньше начала" }).waitFor();
  await d.getByLabel("Окончание (включительно)").fill("2027-02-10");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await page.locator("main h1", { hasText: `Осенняя кампания ${tag}` }).waitFor();
  await page.locator(".notice-success", { hasText: "Кампания сохранена" }).waitFor();
  await shot(page, "a6-campaign-edited");
  await page.context().close();
});

test("municipal methodist: mentoring programmes, pins and bans, mentor and pair edits, outcome as a choice, requests; young teachers' support measures", async () => {
  const page = await signedIn("mun@demo.nms");
  const tag = cyrillicTag();
  const mun = await apiAs(base, "mun@demo.nms");
  const munScope = mun.scopeOf(Role.MUNICIPAL_METHODIST);

  // A school's mentoring programme.
  await visit(page, `${base}#/mentoring/programmes`);
  await page.getByRole("button", { name: "Добавить: программа наставничества" }).click();
  let d = dlg(page);
  await d.getByLabel("Программа").fill(`Программа наставничества ${tag}`);
  const freeOrg = sql(`SELECT id FROM organizations WHERE municipality_id = ${munScope.split("/")[1]} AND id NOT IN (SELECT organization_id FROM mentoring_programmes WHERE status IN (1, 2)) ORDER BY id LIMIT 1`);
  await d.getByLabel("Организация").selectOption(`organizations/${freeOrg}`);
  await d.getByLabel("Документ о принятии").fill("приказ № 45 от 01.09.2026");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const prog = page.locator("main tr", { hasText: `Программа наставничества ${tag}` });
  await prog.locator("td", { hasText: "действует" }).waitFor();
  await prog.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Статус").selectOption({ label: "приостановлена" });
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await prog.locator("td", { hasText: "приостановлена" }).waitFor();
  await shot(page, "b0-mentoring-programmes");

  // Mentors of the municipality: one with room edits capacity; a pin is set for it.
  const profiles = (await mun.mentoring.listMentorProfiles({ pageSize: 100 })).profiles.filter((p) => p.eligibility?.eligible && p.mentor.startsWith("people/"));
  const mentor = profiles.find((p) => p.currentLoad < p.capacity) ?? profiles[0];
  await visit(page, `${base}#/mentoring/mentors`);
  const mrow = page.locator("main tr", { hasText: mentor.displayName }).first();
  await mrow.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Сколько наставляемых одновременно").fill(String(mentor.capacity + 1));
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await mrow.locator(".progress-cell", { hasText: `из ${mentor.capacity + 1}` }).waitFor();

  const mentee = teacher(`AND p.organization_id IN (SELECT id FROM organizations WHERE municipality_id = ${munScope.split("/")[1]}) AND p.id NOT IN (SELECT mentor_person_id FROM mentor_profiles WHERE mentor_person_id IS NOT NULL) AND p.id NOT IN (SELECT mentee_person_id FROM mentoring_pairs WHERE mentee_person_id IS NOT NULL) AND p.id NOT IN (SELECT mentee_person_id FROM mentee_requests WHERE mentee_person_id IS NOT NULL)`);
  await visit(page, `${base}#/mentoring/constraints`);
  await page.getByRole("button", { name: "Добавить: закрепление или запрет" }).click();
  d = dlg(page);
  await d.getByLabel("Что сделать").selectOption({ label: "запретить пару" });
  const mentorOption = d.getByLabel("Наставник").locator("option", { hasText: mentor.displayName }).first();
  await mentorOption.waitFor({ state: "attached" });
  await d.getByLabel("Наставник").selectOption(await mentorOption.getAttribute("value"));
  await pickPerson(d, "Наставляемый", mentee);
  await d.getByLabel("Где действует").selectOption({ index: 1 });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "Обязательное поле" }).waitFor();
  await d.getByLabel("Причина").fill("конфликт интересов");
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const ban = page.locator("main tr", { hasText: "конфликт интересов" }).filter({ hasText: mentee.last });
  await ban.waitFor();
  // The mentor reads as a name, not as the profile's resource name.
  await ban.locator("td", { hasText: mentor.displayName }).waitFor();
  assert.doesNotMatch(await ban.innerText(), /mentorProfiles\//);
  await shot(page, "b1-mentoring-constraints");
  await ban.getByRole("button", { name: "Удалить" }).click();
  await dlg(page).getByRole("button", { name: "Удалить" }).click();
  await ban.waitFor({ state: "detached" });

  // A pair by hand, its plan edited, then cancelled with a reason (required).
  await visit(page, `${base}#/mentoring/pairs`);
  await page.getByRole("button", { name: "Создать пару вручную" }).click();
  d = dlg(page);
  const mopt = d.getByLabel("Наставник").locator("option", { hasText: mentor.displayName }).first();
  await mopt.waitFor({ state: "attached" });
  await d.getByLabel("Наставник").selectOption(await mopt.getAttribute("value"));
  await pickPerson(d, "Наставляемый", mentee);
  await d.getByRole("button", { name: "Создать пару" }).click();
  await closed(d);
  const created = page.locator("main table:has(caption:text('Только что созданная пара'))");
  const pair = created.locator("tbody tr");
  await pair.locator("td", { hasText: "предложена" }).waitFor();
  assert.match(await pair.innerText(), new RegExp(mentee.last));
  await pair.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Плановое окончание").fill("2027-06-30");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await pair.locator("td", { hasText: "30.06.2027" }).waitFor();
  await pair.getByRole("button", { name: "Отменить" }).click();
  d = dlg(page);
  await d.getByRole("button", { name: "Отменить пару" }).click();
  await d.locator(".field-error", { hasText: "Обязательное поле" }).waitFor();
  await d.getByLabel("Причина отмены").fill("наставляемый перешёл в другую школу");
  await d.getByRole("button", { name: "Отменить пару" }).click();
  await closed(d);
  await pair.locator("td", { hasText: "отменена" }).waitFor();
  await shot(page, "b2-pair-cancelled");

  // An active pair completed: the outcome is a choice from the list, not a typed number.
  await page.getByLabel("Статус пары").selectOption({ label: "действует" });
  const active = page.locator("main tbody tr").filter({ has: page.getByRole("button", { name: "Завершить" }) }).first();
  const who = await active.locator("td").first().innerText();
  // The list fits a laptop screen (1366×768) without sideways scrolling (see also the test below).
  await page.setViewportSize({ width: 1366, height: 768 });
  await assertFits(page, page.locator("main table:has(th:text('Встречи'))"));
  // The pair's activity: meetings held and the latest, as the server counts them.
  const livePairs = (await mun.mentoring.listMentoringPairs({ pageSize: 200, filter: "status = MENTORING_PAIR_STATUS_ACTIVE" })).pairs;
  const whom = await active.locator("td").nth(1).innerText();
  const shown = livePairs.find((x) => x.mentorDisplayName === who && x.menteeDisplayName === whom);
  assert.ok(shown, `the active pair of ${who} is listed by the API`);
  const activity = await active.locator("td").nth(5).innerText();
  if (shown.meetingsHeld > 0) {
    const d0 = shown.lastMeetingDate;
    const last = `${String(d0.day).padStart(2, "0")}.${String(d0.month).padStart(2, "0")}.${d0.year}`;
    assert.match(activity, new RegExp(`^${shown.meetingsHeld} встреч[аи]?, последняя ${last.replace(/\./g, "\\.")}`));
  } else {
    assert.equal(activity, "встреч не было");
  }
  await active.getByRole("button", { name: "Встречи" }).click();
  await dlg(page).locator("table, p.muted").first().waitFor();
  await shot(page, "b3-pair-meetings");
  await dlg(page).getByRole("button", { name: "Закрыть" }).click();
  await active.getByRole("button", { name: "Завершить" }).click();
  d = dlg(page);
  const outcomes = await d.getByLabel("Результат").locator("option").allInnerTexts();
  assert.deepEqual(outcomes.slice(1), ["цели достигнуты", "цели достигнуты частично", "цели не достигнуты"]);
  await d.getByLabel("Результат").selectOption({ label: "цели достигнуты частично" });
  await shot(page, "b4-pair-complete-outcome");
  await d.getByRole("button", { name: "Завершить" }).click();
  await closed(d);
  await page.getByLabel("Статус пары").selectOption({ label: "завершена" });
  await page.locator("main tr", { hasText: who }).filter({ hasText: "цели достигнуты частично" }).first().waitFor();

  // A mentee request edited, then cancelled with a reason.
  const mentee2 = teacher(`AND p.organization_id IN (SELECT id FROM organizations WHERE municipality_id = ${munScope.split("/")[1]}) AND p.id > ${mentee.id} AND p.id NOT IN (SELECT mentee_person_id FROM mentee_requests WHERE mentee_person_id IS NOT NULL) AND p.id NOT IN (SELECT mentee_person_id FROM mentoring_pairs WHERE mentee_person_id IS NOT NULL)`);
  const req = (await mun.mentoring.createMenteeRequest({ request: { mentee: mentee2.name, source: 2, pairType: 2, note: `запрос ${tag}` }, requestId: rid() })).request;
  await visit(page, `${base}#/mentoring/requests`);
  await pickPerson(page.locator("main"), "Показать запросы педагога", mentee2);
  const rq = page.locator("main tr", { hasText: mentee2.last }).first();
  await rq.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  await d.getByLabel("Предметы").fill("математика, физика");
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await rq.locator("td", { hasText: "математика, физика" }).waitFor();
  await rq.getByRole("button", { name: "Отменить" }).click();
  d = dlg(page);
  await d.getByLabel("Причина отмены").fill("наставник назначен вне подбора");
  await d.getByRole("button", { name: "Отменить запрос" }).click();
  await closed(d);
  assert.equal((await mun.mentoring.getMenteeRequest({ name: req.name })).request.status, 4);
  await rq.waitFor({ state: "detached" });

  // Young teachers: alerts, and a support measure added, edited, deleted; derived ones are read-only.
  await go(page, "Молодые педагоги");
  await page.locator("main h2", { hasText: "Сигналы" }).waitFor();
  await page.getByRole("button", { name: "Добавить: мера поддержки" }).click();
  d = dlg(page);
  const young = teacher(`AND p.birth_date > DATE_SUB(CURDATE(), INTERVAL 30 YEAR) AND p.organization_id IN (SELECT id FROM organizations WHERE municipality_id = ${munScope.split("/")[1]})`);
  await pickPerson(d, "Молодой педагог", young);
  await d.getByLabel(L("Вид")).selectOption({ label: "наставник" });
  await d.getByLabel("Мера").fill(`Клуб молодых педагогов ${tag}`);
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await d.locator(".field-error", { hasText: "учитываются автоматически" }).waitFor();
  await d.getByLabel(L("Вид")).selectOption({ label: "клуб молодых педагогов" });
  await d.getByRole("button", { name: "Добавить", exact: true }).click();
  await closed(d);
  const measure = page.locator("main tr", { hasText: `Клуб молодых педагогов ${tag}` });
  await measure.locator("td", { hasText: "идёт" }).waitFor();
  await measure.getByRole("button", { name: "Изменить" }).click();
  d = dlg(page);
  // A measure under way cannot go back to «запланирована» (the server refuses it): not offered.
  await d.getByLabel("Статус").waitFor();
  assert.deepEqual((await d.getByLabel("Статус").locator("option").allInnerTexts()).slice(1), ["идёт", "завершена", "отменена"]);
  await d.getByLabel("Статус").selectOption({ label: "отменена" });
  await d.getByRole("button", { name: "Сохранить" }).click();
  await closed(d);
  await measure.locator("td", { hasText: "отменена" }).waitFor();
  await shot(page, "b5-young-measures");
  await measure.getByRole("button", { name: "Удалить" }).click();
  await dlg(page).getByRole("button", { name: "Удалить" }).click();
  await measure.waitFor({ state: "detached" });
  const derived = page.locator("main tr", { hasText: "учитывается автоматически" }).first();
  if (await derived.count()) assert.ok(await derived.getByRole("button", { name: "Изменить" }).isDisabled());
  await page.context().close();
});

/** Neither the table nor the page scrolls sideways. */
async function assertFits(page, table) {
  const sideways = await table.evaluate((t) => [t.parentElement.scrollWidth - t.parentElement.clientWidth, document.documentElement.scrollWidth - document.documentElement.clientWidth]);
  assert.ok(sideways[0] <= 1 && sideways[1] <= 1, `the table scrolls sideways by ${sideways}px`);
}

test("pairs list at 1366×768: no sideways scrolling; «Почему» (the matching explanation) unfolds under its pair and folds back", async () => {
  const page = await signedIn("metodist@demo.nms", { width: 1366, height: 768 });
  await visit(page, `${base}#/mentoring/pairs?status=2`);
  const pairs = page.locator("main table:has(th:text('Встречи'))");
  await pairs.locator("tbody tr").first().waitFor();
  assert.equal(await pairs.locator("th", { hasText: "Почему" }).count(), 0, "no explanation column");
  await assertFits(page, pairs);
  const why = pairs.getByRole("button", { name: "Почему" }).first();
  assert.equal(await why.getAttribute("aria-expanded"), "false");
  const more = page.locator(`#${await why.getAttribute("aria-controls")}`);
  assert.equal(await more.isVisible(), false);
  await why.click();
  await more.waitFor();
  assert.match(await more.innerText(), /^Почему эта пара: \S/);
  assert.equal(await why.getAttribute("aria-expanded"), "true");
  await assertFits(page, pairs);
  await shot(page, "b5-pairs-1366x768-why");
  await why.click();
  await more.waitFor({ state: "hidden" });
  await page.context().close();
});

test("ИОМ register: search by teacher, organisation filter, whose signature a route waits for, sort by surname, deficits covered ≠ closed", async () => {
  const page = await signedIn("mun@demo.nms");
  const mun = await apiAs(base, "mun@demo.nms");
  const munId = mun.scopeOf(Role.MUNICIPAL_METHODIST).split("/")[1];
  const waitsTeacher = (where) => `SELECT COUNT(*) FROM routes r JOIN people p ON p.id = r.person_id WHERE ${where} AND r.status = ${RouteStatus.DRAFT} AND NOT EXISTS (SELECT 1 FROM route_signatures s WHERE s.route_id = r.id AND s.kind = ${RouteSignatureKind.TEACHER})`;
  // The school of the municipality with the most drafts still waiting for the teacher.
  const org = sql(`SELECT p.organization_id FROM routes r JOIN people p ON p.id = r.person_id WHERE p.municipality_id = ${munId} GROUP BY p.organization_id HAVING COUNT(*) BETWEEN 2 AND 400 ORDER BY SUM(r.status = ${RouteStatus.DRAFT}) DESC, COUNT(*) DESC LIMIT 1`);
  assert.ok(org, "a school of the municipality has routes");
  const teacherRequired = sql(`SELECT COALESCE((SELECT teacher_signature_required FROM route_settings s JOIN municipalities m ON m.region_id = s.region_id WHERE m.id = ${munId}), 1)`) === "1";
  const expected = teacherRequired ? Number(sql(waitsTeacher(`p.organization_id = ${org}`))) : 0;

  await go(page, "ИОМ");
  const orgSelect = page.getByLabel("Организация", { exact: true });
  await orgSelect.locator(`option[value='organizations/${org}']`).waitFor({ state: "attached" });
  await orgSelect.selectOption(`organizations/${org}`);
  await settled(page);
  const rows = page.locator("main table tbody tr");
  const column = async (n) => (await rows.evaluateAll((trs, i) => trs.map((tr) => tr.children[i]?.textContent.trim() ?? ""), n));
  const headers = await page.locator("main table thead th").allInnerTexts();
  assert.deepEqual(headers.slice(0, 6), ["Педагог", "Организация", "Статус", "Ждёт подписи", "Дефициты", "Пункты выполнены"]);

  // Whose signature: drafts without the teacher's signature, counted as the database has them.
  await page.getByLabel("Ждёт подписи").selectOption({ label: "педагога" });
  await settled(page);
  const status = page.locator("main p[role='status']").first();
  if (expected) {
    assert.match(await status.innerText(), new RegExp(`из ${expected}$`));
    for (const w of await column(3)) assert.match(w, /^педагога/);
  } else {
    await page.locator("main p[role='status']", { hasText: "Маршрутов не найдено" }).waitFor();
  }
  await shot(page, "c5-routes-register-waiting-teacher");

  // Sorted by surname (Russian order: Ё after Е) across the whole filtered set, not only a page.
  await page.getByLabel("Ждёт подписи").selectOption({ label: "все" });
  await page.getByLabel("Порядок").selectOption({ label: "по фамилии" });
  await settled(page);
  const names = await column(0);
  assert.ok(names.length >= 2);
  assert.deepEqual(names, [...names].sort(new Intl.Collator("ru").compare));

  // Covered and closed are different numbers when items are planned but not yet done.
  const all = (await mun.route.listRoutes({ pageSize: 500, filter: `organization = "organizations/${org}"` })).routes;
  const state = (r) => {
    const st = new Map(r.items.map((i) => [i.name, i.status]));
    const covered = r.deficits.filter((d) => d.coveredByItems.length);
    return { total: r.deficits.length, covered: covered.length, closed: covered.filter((d) => d.coveredByItems.every((n) => st.get(n) === 3)).length };
  };
  const open = all.find((r) => state(r).covered > state(r).closed);
  assert.ok(open, "a route of the school has a covered deficit whose items are not all done");

  // Search by the teacher's name: only that teacher's routes remain.
  const [last, ext, count] = sql(`SELECT p.last_name, p.external_id, (SELECT COUNT(*) FROM routes r2 WHERE r2.person_id = p.id) FROM people p WHERE p.id = ${open.person.split("/")[1]}`).split("\t");
  await pickPerson(page.locator("main"), "Педагог", { last, ext: ext === "NULL" ? last : ext });
  await settled(page);
  await page.waitForFunction((n) => document.querySelectorAll("main table tbody tr").length === n, Number(count));
  for (const n of await column(0)) assert.ok(n.startsWith(last), n);
  const row = rows.filter({ has: page.locator(`a[href='#/routes/${open.name.split("/")[1]}']`) });
  const cells = await row.locator("td").allInnerTexts();
  const s = state(open);
  assert.match(cells[4], new RegExp(`охвачены ${s.covered} из ${s.total}\\s*закрыты ${s.closed} из ${s.total}`));
  await shot(page, "c6-routes-register-teacher");
  // «Все педагоги» drops the teacher: the school's routes are back.
  await page.getByRole("button", { name: "Все педагоги" }).click();
  await page.waitForFunction((n) => document.querySelectorAll("main table tbody tr").length === n, Math.min(names.length, 25));
  await page.context().close();
});

test("ДПП enrolment: the school approves or rejects the teacher's application, the enrolment is confirmed; a draft route's goal and dates", async () => {
  const teacher = await apiAs(base, "teacher@demo.nms");
  const routes = (await teacher.route.listRoutes({ pageSize: 10 })).routes;
  const route = routes.find((r) => r.status === RouteStatus.IN_PROGRESS);
  assert.ok(route, "the demo teacher's route is being carried out");
  const full = (await teacher.route.getRoute({ name: route.name })).route;
  const open = full.items.filter((i) => i.section === 1 && i.status !== 3 && i.status !== 4);
  assert.ok(open.length >= 1, "the route has a ДПП programme to enrol in");
  let item = open[0];
  item = (await teacher.route.applyRouteItemEnrolment({ name: item.name, version: item.version, requestId: rid() })).item ?? item;

  const page = await signedIn("school@demo.nms");
  await visit(page, `${base}#/routes/${route.name.split("/")[1]}`);
  await settled(page);
  const row = page.locator("main tr", { hasText: item.title }).filter({ hasText: "заявка подана" });
  await row.waitFor();
  // Routes in progress are not edited: the action is shown disabled with the reason (school admins have none).
  await shot(page, "c0-route-enrolment-applied");
  await row.getByRole("button", { name: "Отклонить" }).click();
  let d = dlg(page);
  await d.getByRole("button", { name: "Отклонить" }).click();
  await d.locator(".field-error", { hasText: "Обязательное поле" }).waitFor();
  await d.getByLabel("Причина").fill("нет мест в группе, подайте заявку на следующий поток");
  await d.getByRole("button", { name: "Отклонить" }).click();
  await page.locator("main tr", { hasText: item.title }).filter({ hasText: "заявка отклонена" }).waitFor();
  // The teacher applies again; approved; the enrolment confirmed.
  const again = (await teacher.route.getRoute({ name: route.name })).route.items.find((i) => i.name === item.name);
  await teacher.route.applyRouteItemEnrolment({ name: again.name, version: again.version, requestId: rid() });
  await page.reload();
  await settled(page);
  const row2 = page.locator("main tr", { hasText: item.title }).filter({ hasText: "заявка подана" });
  await row2.getByRole("button", { name: "Одобрить" }).click();
  await dlg(page).getByRole("button", { name: "Одобрить" }).click();
  const row3 = page.locator("main tr", { hasText: item.title }).filter({ hasText: "одобрена организацией" });
  await row3.getByRole("button", { name: "Подтвердить зачисление" }).click();
  await dlg(page).getByRole("button", { name: "Подтвердить" }).click();
  await page.locator("main tr", { hasText: item.title }).filter({ hasText: "зачислен" }).waitFor();
  await shot(page, "c1-route-enrolment-enrolled");
  await page.context().close();

  // A methodist edits a draft route's goal and dates; in a route being carried out the action is disabled with the reason.
  const met = await apiAs(base, "metodist@demo.nms");
  const draft = (await met.route.listRoutes({ pageSize: 1, filter: "status = ROUTE_STATUS_DRAFT" })).routes[0];
  assert.ok(draft, "the demo region has draft routes");
  const mp = await signedIn("metodist@demo.nms");
  await visit(mp, `${base}#/routes/${route.name.split("/")[1]}`);
  await settled(mp);
  assert.ok(await mp.getByRole("button", { name: "Изменить цель и сроки" }).isDisabled());
  await mp.locator(".disabled-action", { hasText: "только в черновике" }).waitFor();
  await visit(mp, `${base}#/routes/${draft.name.split("/")[1]}`);
  await settled(mp);
  await mp.getByRole("button", { name: "Изменить цель и сроки" }).click();
  d = dlg(mp);
  const goal = `Освоить формирующее оценивание (${cyrillicTag()})`;
  await d.getByLabel("Цель").fill(goal);
  await d.getByRole("button", { name: "Сохранить" }).click();
  await mp.locator("dl.facts dd", { hasText: goal }).waitFor();
  await shot(mp, "c2-route-goal-edited");
  await mp.context().close();
});

test("ИОМ template details: 2.1 topic and event, 2.2 product and where it is placed, section 3 as a mentor with the mentee's position — in the card and the printable document", async () => {
  const met = await apiAs(base, "metodist@demo.nms");
  const drafts = (await met.route.listRoutes({ pageSize: 3, filter: "status = ROUTE_STATUS_DRAFT" })).routes;
  const draft = drafts[drafts.length - 1];
  assert.ok(draft, "the demo region has draft routes");
  const tag = cyrillicTag();
  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await visit(page, `${base}#/routes/${draft.name.split("/")[1]}`);
  await settled(page);
  // 2.1: «Тема» and «Мероприятие, на котором представлен опыт».
  let add = page.locator("details.create", { hasText: "Добавить пункт в раздел 2.1" });
  await add.locator("summary").click();
  await add.getByLabel("Мероприятие", { exact: true }).fill(`Выступление с опытом ${tag}`);
  await add.getByLabel("Тема", { exact: true }).fill("Формирующее оценивание на уроках алгебры");
  await add.getByLabel("Мероприятие, на котором представлен опыт").fill("региональная конференция «Учитель года»");
  await add.getByRole("button", { name: "Добавить пункт" }).click();
  await page.locator("main tr", { hasText: `Выступление с опытом ${tag}` }).filter({ hasText: "Тема: Формирующее оценивание на уроках алгебры" }).waitFor();
  // 2.2: «Наименование продукта» and «Где представлены, размещены, используются».
  add = page.locator("details.create", { hasText: "Добавить пункт в раздел 2.2" });
  await add.locator("summary").click();
  await add.getByLabel("Мероприятие", { exact: true }).fill(`Методическая разработка ${tag}`);
  await add.getByLabel("Наименование продукта").fill("Сборник задач по алгебре");
  await add.getByLabel("Где представлены, размещены, используются").fill("сайт школы, ШМО учителей математики");
  await add.getByRole("button", { name: "Добавить пункт" }).click();
  await page.locator("main tr", { hasText: `Методическая разработка ${tag}` }).filter({ hasText: "Где размещён: сайт школы" }).waitFor();
  // Section 3: the mentee's position is asked only of a teacher who mentors.
  add = page.locator("details.create", { hasText: "Добавить пункт в раздел 3" });
  await add.locator("summary").click();
  await add.getByLabel("Мероприятие", { exact: true }).fill(`Наставник молодого учителя ${tag}`);
  assert.ok(await add.getByLabel("Должность подопечного").isDisabled(), "not asked for work with a mentor");
  await add.locator(".hint", { hasText: "заполняется для работы в качестве наставника" }).waitFor();
  await add.getByLabel("Работа").selectOption({ label: "в качестве наставника" });
  await add.getByLabel("Должность подопечного").fill("учитель математики, молодой специалист");
  await add.getByRole("button", { name: "Добавить пункт" }).click();
  const mentorRow = page.locator("main tr", { hasText: `Наставник молодого учителя ${tag}` });
  await mentorRow.filter({ hasText: "Работа в качестве наставника" }).filter({ hasText: "Должность подопечного: учитель математики" }).waitFor();
  // Edited like any draft item: the details are in the item's form.
  await mentorRow.locator("details.edit summary").click();
  const edit = mentorRow.locator("details.edit form");
  await edit.getByLabel("Должность подопечного").fill("учитель информатики");
  await edit.getByRole("button", { name: "Сохранить" }).click();
  await page.locator("main tr", { hasText: `Наставник молодого учителя ${tag}` }).filter({ hasText: "Должность подопечного: учитель информатики" }).waitFor();
  await page.locator("main tr", { hasText: `Выступление с опытом ${tag}` }).scrollIntoViewIfNeeded();
  await shot(page, "c3-route-template-details");
  // The printable ИОМ: the template's rows and sub-rows.
  await page.getByRole("link", { name: "Печатная форма" }).click();
  const frame = page.frameLocator("iframe.print-frame");
  await frame.locator("body").filter({ hasText: "Должность подопечного: учитель информатики" }).waitFor();
  const doc = await frame.locator("body").innerText();
  assert.match(doc, /Тема: Формирующее оценивание на уроках алгебры/);
  assert.match(doc, /Мероприятие, на котором представлен опыт: региональная конференция «Учитель года»/);
  assert.match(doc, /Продукт: Сборник задач по алгебре/);
  assert.match(doc, /Работа с наставником[\s\S]*Работа в качестве наставника[\s\S]*Наставник молодого учителя/);
  await frame.locator("td", { hasText: "Работа в качестве наставника" }).scrollIntoViewIfNeeded();
  await shot(page, "c4-route-print-template-details");
  await page.context().close();
});

test("inbox: a methodist scores a teacher's lesson plan on the form with the rubric; the result becomes final and the teacher is notified", async () => {
  const methodist = await apiAs(base, "metodist@demo.nms");
  const t = await freshTeacher(`Экспертова${cyrillicTag()}`);
  const { region, framework } = await publishedFramework(methodist);
  const json = instrumentJson();
  const rubric = "План урока (технологическая карта). Критерии по 2 балла: цель через результаты; этапы; формирующее оценивание; дифференциация; рефлексия.";
  json.blocks.push({ blockId: "B2", title: "Работа для экспертной оценки", instructions: "Эксперт оценивает работу по критериям задания.", kind: "INSTRUMENT_BLOCK_KIND_EXTERNALLY_SCORED", items: [{ itemId: "E1", kind: "INSTRUMENT_ITEM_KIND_EXTERNAL_SCORE", text: rubric, maxScore: 10, indicatorWeights: [{ indicatorCode: "МЕТ-01", weight: 1 }] }] });
  let instrument = (await methodist.diagnostics.importInstrument({ region, framework: framework.name, jsonContent: JSON.stringify(json), requestId: rid() })).instrument;
  instrument = (await methodist.diagnostics.publishInstrument({ name: instrument.name, version: instrument.version, requestId: rid() })).instrument;
  const now = BigInt(Math.floor(Date.now() / 1000));
  const title = `Урок и кейс ${uid()}`;
  let campaign = (
    await methodist.diagnostics.createCampaign({
      campaign: { title, instrument: instrument.name, waveKind: CampaignWaveKind.REGIONAL, purpose: "Дефициты", voluntary: true, population: { selection: { case: "listed", value: { people: [t.person] } } }, openTime: { seconds: now - 3600n }, closeTime: { seconds: now + 7n * 86400n }, timeLimitSeconds: 3600 },
      requestId: rid(),
    })
  ).campaign;
  campaign = (await methodist.diagnostics.launchCampaign({ name: campaign.name, version: campaign.version, requestId: rid() })).campaign;
  // The teacher hands in the lesson plan and submits the test (the app does this; here the API).
  const teacher = await apiAs(base, t.login, t.password);
  const session = (await teacher.diagnostics.startSession({ campaign: campaign.name, requestId: rid() })).session;
  const plan = Buffer.from("%PDF-1.4\n% Технологическая карта урока\n%%EOF\n", "utf8");
  await teacher.diagnostics.submitExpertWork({ session: session.name, work: { itemId: "E1", kind: ExpertWorkKind.FILE, fileName: "План урока.pdf", contentType: "application/pdf", fileContent: plan }, version: 0n, requestId: rid() });
  for (const [itemId, option] of Object.entries(ALL_RIGHT)) await teacher.diagnostics.saveAnswer({ session: session.name, answer: { itemId, selectedOptionIds: [option] }, requestId: rid() });
  const result = (await teacher.diagnostics.submitSession({ name: session.name, version: 0n, requestId: rid() })).result;
  assert.equal(result.status, DiagnosticResultStatus.PRELIMINARY);
  // The school may not read it (it does not score), nor may the teacher's colleague.
  const school = await apiAs(base, "school@demo.nms");
  await assert.rejects(school.diagnostics.getExpertWork({ session: session.name, itemId: "E1" }), denied);

  const page = await signedIn("metodist@demo.nms");
  await page.locator("ul.inbox-cards a", { hasText: "Работы на экспертную оценку" }).waitFor();
  await openInbox(page, "Работы на экспертную оценку");
  await searchInbox(page, t.fullName.split(" ")[0]);
  const row = page.locator("main table tbody tr", { hasText: t.fullName });
  assert.match(await row.innerText(), new RegExp(`${title} — задание E1[\\s\\S]*Файл «План урока\\.pdf»`));
  await assertLabelled(page);
  await shot(page, "88-inbox-expert-works");
  await follow(page, row.getByRole("link", { name: "Оценить" }));
  const text = await page.locator("main").innerText();
  assert.match(text, new RegExp(t.fullName));
  assert.match(text, /Максимальный балл: 10/);
  assert.ok(text.includes(rubric), "the rubric is shown");
  assert.doesNotMatch(text, /(people|sessions|campaigns)\/\d+/, "no raw ids");
  const downloaded = await downloadBytes(page, page.getByRole("link", { name: /Скачать/ }));
  assert.equal(Buffer.compare(downloaded, plan), 0);
  await assertLabelled(page);
  await page.getByLabel("Балл (от 0 до 10)").fill("11");
  await page.getByRole("button", { name: "Сохранить оценку" }).click();
  await page.getByText("Оценка — число от 0 до 10").waitFor();
  await page.getByLabel("Балл (от 0 до 10)").fill("7,5");
  await page.getByLabel("Комментарий для педагога").fill("Цель сформулирована через результаты; добавьте рефлексию.");
  await shot(page, "89-expert-scoring-form");
  await page.getByRole("button", { name: "Сохранить оценку" }).click();
  await page.locator(".notice-success", { hasText: `Оценка 7,5 из 10 сохранена: ${t.fullName}. Результат диагностики стал окончательным` }).waitFor();
  await shot(page, "90-expert-scored");
  const after = (await teacher.diagnostics.getDiagnosticResult({ name: result.name })).result;
  assert.equal(after.status, DiagnosticResultStatus.FINAL);
  assert.equal(sql(`SELECT COUNT(*) FROM notifications WHERE person_id = ${t.id} AND kind = 8 AND title = 'Результат диагностики окончательный' AND body LIKE '%${title}%'`), "1");
  // Scored work leaves the list.
  await follow(page, page.getByRole("link", { name: "К следующей работе" }));
  await searchInbox(page, t.fullName.split(" ")[0]);
  assert.equal(await page.locator("main table tbody tr", { hasText: t.fullName }).count(), 0);
  await page.context().close();
});

test("bank of practices: a teacher describes and submits a practice, the municipal methodist reviews it with the rubric, the ЦНППМ publishes one and returns another", async () => {
  const title = `Игровые приёмы на уроках химии ${uid()}`;
  const teacher = await signedIn("teacher@demo.nms");
  await follow(teacher, teacher.locator("nav[aria-label='Разделы']").getByRole("link", { name: "Банк практик" }));
  // The demo bank: published practices of the region, searched by deficit.
  await teacher.locator("main table tbody tr").first().waitFor();
  assert.match(await teacher.locator("main table").innerText(), /Смысловое чтение/);
  await shot(teacher, "p4-practices-register-published");
  await teacher.getByLabel("Область компетенций (дефицит)").selectOption({ label: "Цифровые" });
  await teacher.locator("main p[role=status]").first().waitFor();
  await settled(teacher);
  assert.doesNotMatch(await teacher.locator("main").innerText(), /Смысловое чтение/);
  await shot(teacher, "p5-practices-register-teacher");
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
  // The draft is edited in the same form, filled with what was saved.
  await follow(teacher, teacher.getByRole("link", { name: "Изменить", exact: true }));
  assert.equal(await teacher.getByLabel("Предмет", { exact: true }).inputValue(), "Химия");
  assert.ok(await teacher.getByLabel("Методические").isChecked());
  await teacher.getByLabel("Индикаторы рамки компетенций").fill("М-4, М-5");
  await teacher.getByRole("button", { name: "Сохранить черновик" }).click();
  await teacher.locator("h1", { hasText: title }).waitFor();
  await settled(teacher);
  assert.match(await teacher.locator("dl.facts").innerText(), /М-4, М-5/);
  await teacher.getByRole("button", { name: "Подать на экспертизу" }).click();
  await teacher.locator(".notice-success", { hasText: "подана на экспертизу" }).waitFor();
  assert.match(await teacher.locator("h1").innerText(), /на экспертизе/);
  assert.equal(await teacher.getByRole("button", { name: "Подать на экспертизу" }).count(), 0, "no second submit");
  const hash = new URL(teacher.url()).hash;
  await shot(teacher, "p6-practice-submitted");
  await teacher.context().close();

  const mun = await signedIn("mun@demo.nms");
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
  await shot(mun, "p7-practice-reviewed");
  await mun.context().close();

  const centre = await signedIn("metodist@demo.nms");
  await centre.goto(base + hash);
  await settled(centre);
  await centre.getByRole("button", { name: "Опубликовать" }).click();
  await centre.locator(".notice-success", { hasText: "опубликована" }).waitFor();
  assert.match(await centre.locator("h1").innerText(), /опубликована/);
  await shot(centre, "p8-practice-published");
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
  await shot(centre, "p9-practice-returned");
  await centre.context().close();
});

test("events calendar: the ЦНППМ publishes a webinar (a bad link named next to its field), a teacher sees what addresses their deficits, registers and adds it to the ИОМ; the organiser sees the registration and marks attendance of a held event", async () => {
  const title = `Вебинар «Цифровые сервисы урока» ${uid()}`;
  const centre = await newPage();
  await signIn(centre, "metodist@demo.nms");
  await go(centre, "Мероприятия");
  // The demo calendar: upcoming regional, municipal and school events.
  await centre.locator("main table tbody tr").first().waitFor();
  assert.match(await centre.locator("main table").innerText(), /Формирующее оценивание/);
  await centre.getByLabel("Уровень").selectOption({ label: "региональное" });
  await centre.getByLabel("Область компетенций").selectOption({ label: "Цифровые" });
  await centre.locator("main p[role=status]").first().waitFor();
  await settled(centre);
  const digital = await centre.locator("main table").innerText();
  assert.match(digital, /мастер цифрового урока/);
  assert.doesNotMatch(digital, /Инклюзивный урок/);
  await shot(centre, "e1-events-calendar-filtered");
  await follow(centre, centre.getByRole("link", { name: "Создать мероприятие" }));
  await assertLabelled(centre);
  // Nothing filled: the browser's own check names the fields, nothing is sent.
  await centre.getByRole("button", { name: "Создать" }).click();
  await centre.locator(".field-error", { hasText: "укажите форму" }).waitFor();
  const inAWeek = new Date(Date.now() + 7 * 86400e3 + 3 * 3600e3).toISOString().slice(0, 10);
  await centre.getByLabel("Уровень").selectOption({ label: "региональное" });
  await centre.getByLabel("Форма").selectOption({ label: "вебинар" });
  await centre.getByLabel("Название").fill(title);
  await centre.getByLabel("Программа и что получат участники").fill("ЦОК, тренажёры и онлайн-доски на уроке.");
  await centre.getByLabel("Начало (время московское)").fill(`${inAWeek}T15:00`);
  await centre.getByLabel("Окончание").fill(`${inAWeek}T17:00`);
  await centre.getByLabel("Ссылка на трансляцию").fill("ftp://example.org/room");
  await centre.getByLabel("Количество мест").fill("50");
  await centre.getByLabel("Цифровые").check();
  await centre.getByLabel("Индикаторы рамки компетенций (дефициты)").fill("Ц-1, Ц-2");
  await centre.getByLabel("Опубликовать сразу").check();
  await centre.getByRole("button", { name: "Создать" }).click();
  // The server's message stands next to the link field; nothing was created.
  await centre.locator(".field-error", { hasText: "нужен адрес, начинающийся с http://" }).waitFor();
  assert.doesNotMatch(await centre.locator(".field-error", { hasText: "http://" }).innerText(), /event\.link/);
  await shot(centre, "e2-event-form-error");
  await centre.getByLabel("Ссылка на трансляцию").fill("https://webinar.example.ru/digital");
  await centre.getByRole("button", { name: "Создать" }).click();
  await centre.locator("h1", { hasText: title }).waitFor();
  await settled(centre);
  assert.match(await centre.locator("h1").innerText(), /открыта запись/);
  assert.match(await centre.locator("dl.facts").innerText(), /50 мест, записались 0/);
  assert.match(await centre.locator("dl.facts").innerText(), /ЦНППМ/); // the centre organises by default
  const hash = new URL(centre.url()).hash;
  await shot(centre, "e3-event-card-organiser");

  const teacher = await newPage();
  await signIn(teacher, "teacher@demo.nms");
  await go(teacher, "Мероприятия");
  await teacher.locator("main table tbody tr").first().waitFor();
  assert.equal(await teacher.getByRole("link", { name: "Создать мероприятие" }).count(), 0, "teachers organise nothing");
  await shot(teacher, "e4-events-teacher");
  await visit(teacher, base + hash);
  await settled(teacher);
  await teacher.getByRole("button", { name: "Записаться" }).click();
  await teacher.locator(".notice-success", { hasText: "Вы записаны" }).waitFor();
  assert.equal(await teacher.getByRole("button", { name: "Записаться" }).count(), 0, "no second registration offered");
  await teacher.getByRole("button", { name: "Добавить в ИОМ" }).click();
  await teacher.locator(".notice-success", { hasText: "добавлено в ваш ИОМ" }).waitFor();
  await shot(teacher, "e5-event-card-teacher");
  // A full event: the action is shown disabled with the reason.
  await go(teacher, "Мероприятия");
  await follow(teacher, teacher.getByRole("link", { name: "Семинар «Инклюзивный урок: обучающиеся с ОВЗ в общем классе»" }).last());
  assert.ok(await teacher.getByRole("button", { name: "Записаться (мест нет)" }).isDisabled());
  await teacher.context().close();

  // The organiser: the registration in the list, attendance only after the start (the page was
  // left on the card: through the calendar, so the card loads anew).
  await go(centre, "Мероприятия");
  await visit(centre, base + hash);
  await settled(centre);
  await centre.locator("main table tbody tr").first().waitFor();
  const regs = await centre.locator("main table").innerText();
  assert.match(regs, /записан/);
  assert.match(regs, /да/); // in the teacher's ИОМ
  assert.ok(await centre.getByRole("button", { name: "Был", exact: true }).first().isDisabled());
  // A held event of the demo: a mark is corrected.
  await go(centre, "Мероприятия");
  await centre.getByLabel("Статус").selectOption({ label: "проведённые" });
  await centre.getByLabel("С даты").fill("");
  await centre.getByRole("button", { name: "Найти" }).click();
  await settled(centre);
  await follow(centre, centre.getByRole("link", { name: "Вебинар «ФГИС „Моя школа“: ЦОК на уроке»" }));
  assert.match(await centre.locator("h1").innerText(), /проведено/);
  const row = centre.locator("main table tbody tr", { hasText: "присутствовал" }).first();
  const who = (await row.locator("td").first().innerText()).trim();
  await row.getByRole("button", { name: "Не был" }).click();
  await centre.locator(".notice-success", { hasText: `${who}: не пришёл` }).waitFor();
  await shot(centre, "e6-event-attendance");
  await centre.context().close();
});

test("item analytics: the ЦНППМ sees the demo instrument's calibrated items, distractors and flags, and downloads them for Excel; a school cannot", async () => {
  const admin = await apiAs(base, "metodist@demo.nms");
  const title = "Диагностика профессиональных компетенций педагога";
  const instrument = (await admin.diagnostics.listInstruments({ pageSize: 200 })).instruments.find((i) => i.title === title);
  assert.ok(instrument, "the demo's general instrument");
  // The demo queued its calibration; the server's worker runs it in the background.
  let calibration;
  for (let i = 0; i < 120 && !calibration; i++) {
    try {
      calibration = (await admin.diagnostics.getItemCalibration({ instrument: instrument.name })).calibration;
    } catch (e) {
      if (!(e instanceof ConnectError) || e.code !== 9) throw e; // FAILED_PRECONDITION: not yet calibrated
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  assert.ok(calibration, "the demo's calibration is stored");
  assert.ok(calibration.areas.some((a) => a.calibrated), "at least one area calibrated");

  const page = await newPage();
  await signIn(page, "metodist@demo.nms");
  await visit(page, `${base}#/diagnostics/instruments`);
  await settled(page);
  await page.locator("tr", { hasText: title }).getByRole("button", { name: "Аналитика заданий" }).click();
  await page.waitForFunction(() => document.querySelector("main > .view")?.dataset.hash === "#/diagnostics/analytics");
  await page.locator("table caption", { hasText: `Задания инструмента «${title}»` }).waitFor({ timeout: 30000 });
  assert.equal(await page.getByLabel("Инструмент").inputValue(), instrument.name, "opened on the chosen instrument");
  await page.locator("table caption", { hasText: "Калибровка по областям" }).waitFor();
  const body = await page.locator("main").innerText();
  assert.match(body, /Калибровка от \d{2}\.\d{2}\.\d{4}/, "the calibration's date");
  assert.match(body, /2PL: a = \d+,\d{2}, b = −?-?\d+,\d{2}/, "IRT parameters with decimal commas");
  assert.match(body, /\d+ завершённ(ая сессия|ые сессии|ых сессий)/, "respondents with a plural");
  assert.match(body, /[a-z] — \d+ % \(верный\)/, "option shares of choice items");
  assert.doesNotMatch(body, /instruments\/\d|calibrationOperations\//, "names, not ids");
  await assertLabelled(page);
  await shot(page, "90-item-analytics");
  // The CSV for Excel: BOM, `;`, Russian header, decimal comma.
  await page.getByRole("button", { name: "Выгрузить в CSV" }).click();
  const bytes = await downloadBytes(page, page.locator("main a.download"));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
  const lines = bytes.subarray(3).toString("utf8").split("\r\n");
  assert.match(lines[0], /^"№";"Задание";"Текст";"Ответов";"Доля выполнения";"Дискриминация";"Модель";/);
  assert.match(lines[1], /^"1";"[^"]+";"[^"]*";"\d+";"0,\d+"/, "decimal comma");
  const analytics = await admin.diagnostics.getItemAnalytics({ instrument: instrument.name });
  assert.equal(lines.filter((l) => l).length, analytics.items.length + 1, "one row per item");
  await page.context().close();

  // A school admin has no tab and the server refuses the call.
  const school = await newPage();
  await signIn(school, "school@demo.nms");
  await visit(school, `${base}#/diagnostics`);
  await settled(school);
  assert.equal(await school.getByRole("link", { name: "Аналитика заданий" }).count(), 0);
  await school.context().close();
  const head = await apiAs(base, "school@demo.nms");
  await assert.rejects(head.diagnostics.getItemAnalytics({ instrument: instrument.name }), denied);
  await assert.rejects(head.diagnostics.startItemCalibration({ instrument: instrument.name, requestId: rid() }), denied);
});

test("no script errors in the pages", () => {
  writeFileSync(join(shots, "page-errors.txt"), pageErrors.join("\n"));
  assert.deepEqual(pageErrors, []);
});
