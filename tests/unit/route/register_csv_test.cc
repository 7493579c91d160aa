// The CSV register round trip: what is exported parses back to the same values, an unedited
// file changes nothing, edits of the editable columns become precise plans, and bad rows get
// an error naming their column while good rows stay usable.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/domain/route/register_csv.h"

namespace nms::route {
namespace {

RegisterRow Row(int item, ItemStatus status) {
  RegisterRow r;
  r.route = "routes/7";
  r.route_status = Status::kInProgress;
  r.person = "people/12";
  r.full_name = "Иванова Анна Петровна";
  r.organization = "МБОУ СОШ № 5";
  r.item = absl::StrCat("routes/7/items/", item);
  r.item_version = 3;
  r.section = Section::kFurtherTraining;
  r.title = "Формирующее оценивание; \"практикум\"";
  r.form = "дистанционно, 36 ч";
  r.hours = 36;
  r.deadline = absl::CivilDay(2026, 5, 31);
  r.item_status = status;
  return r;
}

ItemSnapshot Snap(const RegisterRow& r) {
  ItemSnapshot s;
  s.route_status = r.route_status;
  s.status = r.item_status;
  s.skip_reason = r.skip_reason;
  s.evidence = r.evidence;
  s.reflective_report = r.reflective_report;
  s.version = r.item_version;
  return s;
}

TEST(RegisterCsv, ExportParsesBackAndAnUneditedFileChangesNothing) {
  std::vector<RegisterRow> rows = {Row(31, ItemStatus::kPlanned), Row(32, ItemStatus::kDone),
                                   Row(33, ItemStatus::kSkipped)};
  rows[1].evidence = {{EvidenceKind::kCertificate, "772400012345", "", "", "удостоверение о ПК"},
                      {EvidenceKind::kLink, "", "https://school5.ru/otkrytyj-urok", "", ""},
                      {EvidenceKind::kFile, "", "", "files/2026/report.pdf", ""},
                      {EvidenceKind::kOther, "", "", "", "выступление на ШМО"}};
  rows[1].reflective_report = "Освоила приёмы.\nПрименяю на уроках;\t\"цитата\"\n- вывод: =ровно";
  rows[2].skip_reason = "=курс отменён провайдером";
  std::string csv = RenderRegister(rows);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  auto parsed = ParseRegister(csv);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 3u);
  for (size_t i = 0; i < rows.size(); ++i) {
    const ImportRow& in = (*parsed)[i];
    EXPECT_FALSE(in.error) << in.error->message;
    EXPECT_EQ(in.row_number, static_cast<int>(i) + 2);
    EXPECT_EQ(in.item, rows[i].item);
    EXPECT_EQ(in.route, "routes/7");
    EXPECT_EQ(in.item_version, 3);
    EXPECT_EQ(*in.status, rows[i].item_status);
    EXPECT_EQ(*in.skip_reason, rows[i].skip_reason);
    EXPECT_EQ(*in.evidence, rows[i].evidence);
    EXPECT_EQ(*in.reflective_report, rows[i].reflective_report);
    RowPlan plan = PlanRow(Snap(rows[i]), in);
    EXPECT_FALSE(plan.error);
    EXPECT_FALSE(plan.Changes()) << i;
  }
}

// The template's details of sections 2.1, 2.2 and 3 are informational columns after the deadline.
TEST(RegisterCsv, TemplateDetailsAreColumnsOfTheRegister) {
  RegisterRow talk = Row(40, ItemStatus::kPlanned);
  talk.section = Section::kExperiencePresentation;
  talk.details.experience_topic = "Формирующее оценивание";
  talk.details.experience_event = "региональная конференция";
  RegisterRow mentor = Row(41, ItemStatus::kPlanned);
  mentor.section = Section::kMentoring;
  mentor.details.mentoring_role = MentoringRole::kAsMentor;
  mentor.details.mentee_position = "учитель начальных классов";
  std::string csv = RenderRegister({talk, mentor});
  EXPECT_NE(csv.find("\"deadline\";\"experience_topic\";\"experience_event\";\"product_title\";"
                     "\"product_placement\";\"mentoring_role\";\"mentee_position\";\"item_status\""),
            std::string::npos);
  EXPECT_NE(csv.find("\"31.05.2026\";\"Формирующее оценивание\";\"региональная конференция\";\"\";\"\";\"\";\"\";"
                     "\"запланирован\""),
            std::string::npos);
  EXPECT_NE(csv.find("\"31.05.2026\";\"\";\"\";\"\";\"\";\"в качестве наставника\";\"учитель начальных классов\";"
                     "\"запланирован\""),
            std::string::npos);
  auto parsed = ParseRegister(csv);  // the new columns do not disturb the import
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE((*parsed)[1].error);
}

TEST(RegisterCsv, EditsBecomePlans) {
  RegisterRow r = Row(31, ItemStatus::kInProgress);
  r.evidence = {{EvidenceKind::kLink, "", "https://a.ru/x", "", ""}};
  std::string csv = RenderRegister({r});
  // A spreadsheet user marks it done, adds a certificate and writes the report (CRLF kept).
  csv = absl::StrReplaceAll(csv, {{"\"выполняется\"", "\"Выполнен\""},
                                  {"\"ссылка: https://a.ru/x\"", "\"ссылка: https://a.ru/x\nУдостоверение: 123-45 — КПК\""}});
  size_t last = csv.rfind("\"\"");
  csv.replace(last, 2, "\"Курс помог.\r\nСпасибо\"");
  auto parsed = ParseRegister(csv);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  RowPlan plan = PlanRow(Snap(r), (*parsed)[0]);
  ASSERT_FALSE(plan.error) << plan.error->column << ": " << plan.error->message;
  EXPECT_TRUE(plan.status_change);
  EXPECT_EQ(plan.status, ItemStatus::kDone);
  ASSERT_EQ(plan.new_evidence.size(), 1u);
  EXPECT_EQ(plan.new_evidence[0], (Evidence{EvidenceKind::kCertificate, "123-45", "", "", "КПК"}));
  EXPECT_TRUE(plan.reflection_change);
  EXPECT_EQ(plan.reflective_report, "Курс помог.\nСпасибо");
}

TEST(RegisterCsv, RowErrorsNameTheirColumn) {
  RegisterRow r = Row(31, ItemStatus::kInProgress);
  ItemSnapshot snap = Snap(r);
  auto plan_for = [&](const std::string& from, const std::string& to, ItemSnapshot s) {
    std::string csv = absl::StrReplaceAll(RenderRegister({r}), {{from, to}});
    auto parsed = ParseRegister(csv);
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return PlanRow(s, (*parsed)[0]);
  };
  auto p = plan_for("\"выполняется\"", "\"почти готово\"", snap);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "item_status");
  p = plan_for("\"выполняется\"", "\"пропущен\"", snap);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "skip_reason");
  p = plan_for("\"выполняется\"", "\"выполнен\"", [&] { auto s = snap; s.version = 4; return s; }());
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "item_version");
  p = plan_for("\"выполняется\"", "\"выполнен\"", [&] { auto s = snap; s.route_status = Status::kApproved; return s; }());
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "item_status");
  EXPECT_NE(p.error->message.find("утверждён"), std::string::npos);
  p = plan_for("\"3\"", "\"три\"", snap);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "item_version");
  p = plan_for("\"routes/7/items/31\"", "\"\"", snap);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "item");
  // Evidence can be added, never removed; unknown kinds are refused.
  auto with_ev = snap;
  with_ev.evidence = {{EvidenceKind::kOther, "", "", "", "стенд"}};
  p = plan_for("x", "x", with_ev);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "evidence");
  std::string csv = RenderRegister({r});
  size_t ev = csv.rfind("\"\";\"\"");  // evidence and report cells are the two last, both empty
  csv.replace(ev, 2, "\"диплом: 5\"");
  auto parsed = ParseRegister(csv);
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE((*parsed)[0].error);
  EXPECT_EQ((*parsed)[0].error->column, "evidence");
  // A reflective report cannot be cleared; a skip reason needs a skipped item.
  auto with_report = snap;
  with_report.reflective_report = "отчёт";
  p = plan_for("x", "x", with_report);
  ASSERT_TRUE(p.error);
  EXPECT_EQ(p.error->column, "reflective_report");
}

TEST(RegisterCsv, SkippingWithAReasonAndChangingTheReason) {
  RegisterRow r = Row(31, ItemStatus::kPlanned);
  std::string csv = RenderRegister({r});
  size_t pos = csv.find("\"запланирован\";\"\"");
  csv.replace(pos, std::string("\"запланирован\";\"\"").size(), "\"пропущен\";\"курс перенесён\"");
  auto parsed = ParseRegister(csv);
  ASSERT_TRUE(parsed.ok());
  RowPlan p = PlanRow(Snap(r), (*parsed)[0]);
  ASSERT_FALSE(p.error) << p.error->message;
  EXPECT_TRUE(p.status_change);
  EXPECT_EQ(p.status, ItemStatus::kSkipped);
  EXPECT_EQ(p.skip_reason, "курс перенесён");
  ItemSnapshot skipped = Snap(r);
  skipped.status = ItemStatus::kSkipped;
  skipped.skip_reason = "старая причина";
  p = PlanRow(skipped, (*parsed)[0]);
  ASSERT_FALSE(p.error);
  EXPECT_TRUE(p.status_change);
  EXPECT_EQ(p.skip_reason, "курс перенесён");
}

TEST(RegisterCsv, FileLevelProblems) {
  EXPECT_EQ(ParseRegister("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRegister("route;title\n\"routes/1\";x\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRegister("item;item;item_version\n").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRegister(std::string("item;item_version\n\xff;1\n")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRegister("item;item_version\n\"routes/1/items/2;1\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string many = "item,item_version\n";
  for (int i = 0; i < 11; ++i) absl::StrAppend(&many, "routes/1/items/", i + 1, ",1\n");
  EXPECT_EQ(ParseRegister(many, 10).status().code(), absl::StatusCode::kInvalidArgument);
  // A route without items is an informational row.
  auto info = ParseRegister("route;item;item_version;item_status\nroutes/4;;;\n");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_TRUE((*info)[0].informational);
  EXPECT_FALSE((*info)[0].error);
  EXPECT_FALSE(PlanRow(ItemSnapshot{}, (*info)[0]).Changes());
  // Minimal comma-separated file with only the key and one editable column.
  auto ok = ParseRegister("ITEM,Item_Version,item_status\nroutes/1/items/2,5,DONE\n");
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*(*ok)[0].status, ItemStatus::kDone);
  EXPECT_FALSE((*ok)[0].evidence.has_value());
  EXPECT_FALSE((*ok)[0].reflective_report.has_value());
}

TEST(RegisterCsv, EvidenceCellFormat) {
  std::vector<Evidence> ev = {{EvidenceKind::kCertificate, "77-1", "", "", "КПК"},
                              {EvidenceKind::kOther, "", "", "", "две\nстроки"}};
  EXPECT_EQ(FormatEvidence(ev), "удостоверение: 77-1 \xE2\x80\x94 КПК\nиное: две строки");
  auto back = ParseEvidence(FormatEvidence(ev));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(FormatEvidence(*back), FormatEvidence(ev));
  EXPECT_TRUE(ParseEvidence(" \n \n").value().empty());
  EXPECT_FALSE(ParseEvidence("просто текст").ok());
}

}  // namespace
}  // namespace nms::route
