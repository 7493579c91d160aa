#include "server/domain/route/document.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/domain/monitoring/report.h"
#include "server/domain/route/titles.h"

namespace nms::route {
namespace {

using monitoring::HtmlEscape;

std::string Day(const std::optional<absl::CivilDay>& d, const char* blank = "«__» ________ 20__ г.") {
  if (!d) return blank;
  return absl::StrFormat("%02d.%02d.%04d", d->day(), d->month(), static_cast<int>(d->year()));
}

std::string Esc(const std::string& s) { return s.empty() ? "&nbsp;" : HtmlEscape(s); }

// Multi-line text (reflective reports) keeps its line breaks.
std::string EscLines(const std::string& s) {
  std::string out;
  for (char c : HtmlEscape(s)) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

const char kStyle[] =
    "@page{size:A4;margin:18mm 15mm}body{font-family:'Times New Roman',serif;font-size:12pt;color:#000;"
    "margin:0 auto;max-width:190mm}h1{font-size:14pt;text-align:center;margin:14pt 0 8pt}"
    "table{border-collapse:collapse;width:100%;margin:6pt 0}td,th{border:1px solid #000;padding:3pt 5pt;"
    "vertical-align:top;text-align:left}th{font-weight:bold}.approve{margin-left:55%;line-height:1.5}"
    ".group td{font-weight:bold}.sub td{font-style:italic}.muted{color:#555}.sign{margin-top:18pt;line-height:2}"
    ".status{font-size:10pt;color:#555}@media print{.status{display:none}}";

// Section 3 is laid out in the template's two sub-rows; items of other sections have no role.
void SectionRows(const Document& doc, Section s, std::string* out, MentoringRole role = MentoringRole::kNone) {
  if (s != Section::kMentoring) {
    absl::StrAppend(out, "<tr class=\"sub\"><td colspan=\"4\">", SectionNumber(s), ". ", HtmlEscape(SectionTitle(s)),
                    "</td></tr>\n");
  } else {
    absl::StrAppend(out, "<tr class=\"sub\"><td colspan=\"4\">",
                    role == MentoringRole::kAsMentor ? "Работа в качестве наставника" : "Работа с наставником",
                    "</td></tr>\n");
  }
  bool any = false;
  for (const auto& item : doc.items) {
    if (item.section != s) continue;
    // A section 3 row stored without a sub-row (written before there were sub-rows) is «с наставником».
    if (s == Section::kMentoring &&
        (item.details.mentoring_role == MentoringRole::kAsMentor) != (role == MentoringRole::kAsMentor)) {
      continue;
    }
    any = true;
    const TemplateDetails& d = item.details;
    std::string title = Esc(item.title);
    std::string info;
    auto line = [](std::string* to, const char* label, const std::string& value) {
      if (!value.empty()) absl::StrAppend(to, to->empty() ? "" : "<br>", label, HtmlEscape(value));
    };
    line(&title, "Тема: ", d.experience_topic);
    line(&title, "Продукт: ", d.product_title);
    line(&info, "Мероприятие, на котором представлен опыт: ", d.experience_event);
    line(&info, "Где представлены, размещены, используются: ", d.product_placement);
    line(&info, "Должность подопечного: ", d.mentee_position);
    std::string form = item.form.empty() && item.hours > 0 ? absl::StrCat(item.hours, " ч") : HtmlEscape(item.form);
    if (!form.empty()) absl::StrAppend(&info, info.empty() ? "" : "<br>", form);
    if (!item.community_status.empty()) {
      absl::StrAppend(&info, info.empty() ? "" : "<br>", "Статус педагога: ", HtmlEscape(item.community_status));
    }
    std::string report = item.reflective_report.empty() ? "" : EscLines(item.reflective_report);
    if (item.status == ItemStatus::kDone || item.status == ItemStatus::kSkipped) {
      report = absl::StrCat("<span class=\"muted\">", ItemStatusTitle(item.status), "</span>",
                            report.empty() ? "" : "<br>", report);
    }
    absl::StrAppend(out, "<tr><td>", title, "</td><td>", info.empty() ? "&nbsp;" : info, "</td><td>",
                    item.deadline ? Day(item.deadline) : "&nbsp;", "</td><td>", report.empty() ? "&nbsp;" : report,
                    "</td></tr>\n");
  }
  if (!any) absl::StrAppend(out, "<tr><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td><td>&nbsp;</td></tr>\n");
}

std::string SignLine(const char* who, const DocumentSignature& s) {
  return absl::StrCat(who, ": ", s.date ? "<u>подписано " + Day(s.date) + "</u>" : "_______________", " / ",
                      s.full_name.empty() ? "_______________" : HtmlEscape(s.full_name), " /",
                      s.position_title.empty() ? "" : absl::StrCat(" <span class=\"muted\">", HtmlEscape(s.position_title), "</span>"),
                      "<br>\n");
}

}  // namespace

std::string RenderDocument(const Document& doc) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"ru\"><head><meta charset=\"utf-8\"><title>ИОМ — ", HtmlEscape(doc.full_name),
      "</title><style>", kStyle, "</style></head><body>\n");
  absl::StrAppend(&out, "<p class=\"status\">Статус маршрута: ", StatusTitle(doc.status), "</p>\n");
  if (doc.approval_required) {
    absl::StrAppend(&out, "<div class=\"approve\">Утверждаю<br>", Esc(doc.approver_title), "<br>",
                    doc.approver.date ? "<u>утверждено</u>" : "_______________", " / ",
                    doc.approver.full_name.empty() ? "_______________" : HtmlEscape(doc.approver.full_name), "<br>",
                    Day(doc.approver.date), "</div>\n");
  }
  absl::StrAppend(&out, "<h1>Индивидуальный образовательный маршрут</h1>\n",
                  "<p><b>1. Общие сведения о педагоге / руководителе:</b></p>\n<table>\n");
  auto row = [&](const char* label, const std::string& value) {
    absl::StrAppend(&out, "<tr><th style=\"width:45%\">", label, "</th><td>", Esc(value), "</td></tr>\n");
  };
  row("ФИО педагога", doc.full_name);
  row("Муниципальное образование", doc.municipality);
  row("Образовательная организация", doc.organization);
  row("Должность", doc.position);
  row("Преподаваемый предмет (для должности «учитель»)", doc.subject);
  row("Дата прохождения диагностики", doc.diagnosis_date ? Day(doc.diagnosis_date) : "");
  row("Уровень профессиональных дефицитов",
      doc.overall_level == 0 ? "" : absl::StrCat(LevelTitle(doc.overall_level), " (дефицитов: ", doc.deficit_count, ")"));
  if (!doc.methodist.empty()) row("Сопровождающий методист / тьютор", doc.methodist);
  absl::StrAppend(&out, "</table>\n<p><b>2. Цель реализации ИОМ</b> – ", Esc(doc.goal), "</p>\n",
                  "<p><b>3. Дорожная карта реализации ИОМ</b></p>\n<p>Продолжительность прохождения ИОМ: начало ",
                  Day(doc.start), ", окончание ", Day(doc.end), "</p>\n<table>\n",
                  "<tr><th>Содержание работы (мероприятие)</th><th>Дополнительная информация (форма обучения, "
                  "трудоёмкость (кол-во часов) и пр.)</th><th>Сроки</th><th>Рефлексивный отчёт</th></tr>\n");
  absl::StrAppend(&out, "<tr class=\"group\"><td colspan=\"4\">1. Мероприятия, направленные на получение знаний и "
                        "формирование или совершенствование умений для решения профессиональных задач</td></tr>\n");
  for (Section s : {Section::kFurtherTraining, Section::kInternship, Section::kEvents, Section::kCommunities}) {
    SectionRows(doc, s, &out);
  }
  absl::StrAppend(&out, "<tr class=\"group\"><td colspan=\"4\">2. Мероприятия, направленные на трансляцию / "
                        "презентацию личного опыта</td></tr>\n");
  for (Section s : {Section::kExperiencePresentation, Section::kMethodologicalMaterials}) SectionRows(doc, s, &out);
  absl::StrAppend(&out, "<tr class=\"group\"><td colspan=\"4\">3. Наставничество</td></tr>\n");
  SectionRows(doc, Section::kMentoring, &out, MentoringRole::kWithMentor);
  SectionRows(doc, Section::kMentoring, &out, MentoringRole::kAsMentor);
  absl::StrAppend(&out, "</table>\n<div class=\"sign\">\n", SignLine("Педагог", doc.teacher),
                  SignLine("Уполномоченный ОО", doc.school), "</div>\n</body></html>\n");
  return out;
}

}  // namespace nms::route
