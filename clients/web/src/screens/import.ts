// CSV import of teachers into one organisation, with a per-row report.
import { api, requestId } from "../api";
import { mainScope } from "../app";
import { ImportRowOutcome, type ImportTeachersResponse } from "../gen/nms/v1/directory_pb";
import { downloadLink, errorNotice, field, h, idOf, importOutcome, importSummary, loading, mount, notice, select, table } from "../ui";
import { readCsvFile, writeCsv } from "../../../shared/csv";

const SAMPLE = "внешний_id;фамилия;имя;отчество;дата_рождения;email;должность;предметы;дата_начала_работы;категория\n";
// The template offered for download: every column the server reads, one example row.
const TEMPLATE_HEADER = ["внешний_id", "фамилия", "имя", "отчество", "дата_рождения", "email", "телефон", "должность", "предметы", "дата_начала_работы", "категория", "образование", "руководство"];
const TEMPLATE_EXAMPLE = ["T-0001", "Иванова", "Мария", "Петровна", "14.05.1990", "ivanova@school.ru", "8 900 000-00-00", "учитель", "математика|информатика", "01.09.2015", "первая", "высшее", ""];

export async function importScreen(main: HTMLElement) {
  document.title = "Импорт педагогов — НМС";
  const scope = mainScope();
  const orgSel = h("select", { required: true });
  const orgField = field("Организация", orgSel);
  if (scope.scope.startsWith("organizations/")) {
    mount(orgSel, h("option", { value: scope.scope }, scope.title));
  } else {
    mount(orgSel, h("option", { value: "" }, "Загрузка…"));
    api.directory
      .listOrganizations({ parent: scope.scope, pageSize: 500 })
      .then((r) => mount(orgSel, h("option", { value: "" }, "— выберите —"), ...r.organizations.map((o) => h("option", { value: o.name }, o.shortName || o.displayName))))
      .catch((e) => mount(orgSel, h("option", { value: "" }, `Ошибка: ${String(e)}`)));
  }
  const file = h("input", { type: "file", accept: ".csv,text/csv" });
  const text = h("textarea", { rows: 8, spellcheck: "false", placeholder: SAMPLE });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (f) text.value = await readCsvFile(f);
  });
  const validateOnly = h("input", { type: "checkbox" });
  const createAccounts = h("input", { type: "checkbox" });
  const report = h("div", { class: "report", "aria-live": "polite" });
  const submit = h("button", { type: "submit", class: "primary" }, "Загрузить");

  const form = h(
    "form",
    {
      class: "card",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        if (!orgSel.value) return mount(report, notice("error", "Выберите организацию."));
        if (!text.value.trim()) return mount(report, notice("error", "Выберите файл CSV или вставьте его содержимое."));
        submit.setAttribute("disabled", "");
        mount(report, loading("Импорт… Большие файлы обрабатываются до минуты."));
        try {
          const r = await api.directory.importTeachers({
            organization: orgSel.value,
            csv: new TextEncoder().encode(text.value),
            validateOnly: validateOnly.checked,
            createAccounts: createAccounts.checked,
            requestId: requestId(),
          });
          showReport(report, r, validateOnly.checked);
        } catch (e) {
          mount(report, errorNotice(e));
        } finally {
          submit.removeAttribute("disabled");
        }
      },
    },
    orgField,
    field("Файл CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)", file),
    h("p", {}, downloadLink(writeCsv(TEMPLATE_HEADER, [TEMPLATE_EXAMPLE]), "шаблон_педагоги.csv", "text/csv;charset=utf-8", "Скачать шаблон")),
    field("Содержимое", text, "Столбцы: внешний_id, фамилия, имя, отчество, дата_рождения, email, телефон, должность, предметы (через |), дата_начала_работы, категория, образование, руководство"),
    h("div", { class: "checks" },
      h("label", {}, validateOnly, " только проверить, ничего не записывать"),
      h("label", {}, createAccounts, " создать учётные записи (логин — e-mail)")),
    submit,
  );
  mount(main, h("h1", {}, "Импорт педагогов из CSV"), form, report);
  void select;
}

function showReport(el: HTMLElement, r: ImportTeachersResponse, dry: boolean) {
  const rows = [...r.rows].sort((a, b) => Number(b.outcome === ImportRowOutcome.REJECTED) - Number(a.outcome === ImportRowOutcome.REJECTED) || a.line - b.line);
  mount(
    el,
    importSummary(r, dry),
    table(
      ["Строка", "Внешний идентификатор", "Результат", "Ошибки"],
      rows.map((x) => [
        String(x.line),
        x.person ? h("a", { href: `#/people/${idOf(x.person)}` }, x.externalId || "—") : x.externalId || "—",
        importOutcome(x.outcome),
        x.errors.length ? h("ul", { class: "errors" }, x.errors.map((m) => h("li", {}, m))) : "",
      ]),
      "Результат по строкам",
    ),
  );
}
