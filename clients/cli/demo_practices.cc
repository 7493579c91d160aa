// Demo stage: the bank of practices (issue 16 §1). A handful of practices of the region's
// teachers in every state, so the register, the reviewers' queue and the ЦНППМ's decisions all
// have something to show: two published (with reviews), one reviewed and one submitted waiting
// for the centre, one returned with a comment, and teacher@demo.nms's own draft.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "clients/cli/demo.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/practice_repository.h"
#include "server/db/sql.h"
#include "server/domain/practices/rules.h"

namespace nms::cli {

namespace {

using practices::Status;

struct DemoPractice {
  const char* title;
  const char* description;
  std::vector<int> areas;
  std::vector<std::string> codes;
  practices::Level level;
  const char* subject;
  const char* link;
  Status status;
  int review_score;  // per criterion, capped by the criterion's max; 0 = no reviews
  const char* return_comment;
};

const std::vector<DemoPractice>& Plan() {
  static const auto* plan = new std::vector<DemoPractice>{
      {"Смысловое чтение при решении текстовых задач",
       "Ученики работают с условием задачи по алгоритму «прочитай — выдели — перескажи — схематизируй». На каждом "
       "уроке 7–10 минут отводится работе с текстом; через полгода доля верно решённых текстовых задач в 6-х классах "
       "выросла с 48 до 67 %.",
       {2, 1}, {"М-1", "П-4"}, practices::Level::kMunicipal, "Математика",
       "https://example.org/practices/smyslovoe-chtenie.pdf", Status::kPublished, 3, nullptr},
      {"Листы самооценки в формирующем оценивании",
       "Лист с критериями к каждой теме: ученик отмечает, что умеет, учитель сверяет и планирует работу группы. "
       "Практика применяется в трёх школах муниципалитета.",
       {2}, {"М-2"}, practices::Level::kMunicipal, "", "https://example.org/practices/samoocenka", Status::kPublished,
       2, nullptr},
      {"Цифровая лаборатория на уроках физики",
       "Датчики цифровой лаборатории и ЦОК в лабораторных работах 8–9 классов; шаблоны отчётов для учеников.", {5, 1},
       {"Ц-1"}, practices::Level::kSchool, "Физика", "https://example.org/practices/cifrovaya-laboratoriya",
       Status::kReviewed, 2, nullptr},
      {"Кейс-метод на уроках обществознания",
       "Кейсы из жизни района; ученики в группах предлагают решения и защищают их. Описание с примерами кейсов.", {2, 4},
       {"М-3"}, practices::Level::kSchool, "Обществознание", "", Status::kSubmitted, 0, nullptr},
      {"Проектные недели в 5–6 классах",
       "Неделя в конце четверти отводится межпредметным проектам.", {2}, {"М-3"}, practices::Level::kSchool, "", "",
       Status::kReturned, 0,
       "Добавьте результаты обучающихся (хотя бы за один год) и пример проекта с критериями оценивания."},
      {"Наставничество «учитель — учитель» в методическом объединении",
       "Пары опытных и молодых учителей внутри школьного МО: взаимные посещения уроков раз в месяц.", {3, 4}, {},
       practices::Level::kSchool, "", "", Status::kDraft, 0, nullptr},
  };
  return *plan;
}

std::vector<std::pair<std::string, int>> Scores(int each) {
  std::vector<std::pair<std::string, int>> out;
  for (const auto& c : practices::Rubric()) out.emplace_back(c.code, std::min(each, c.max_score));
  return out;
}

}  // namespace

absl::Status SeedDemoPractices(db::ConnectionPool& pool, const DemoWorld& world) {
  int written = 0;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    written = 0;
    auto any = db::Stmt(c, "SELECT 1 FROM practices WHERE region_id = ? LIMIT 1").Int(world.region_id).Query();
    if (any->next()) return absl::OkStatus();
    // Authors: teacher@demo.nms for the first and the draft, other teachers of schools for the rest.
    std::vector<int64_t> others;
    auto rs = db::Stmt(c,
                       "SELECT p.id FROM people p JOIN organizations o ON o.id = p.organization_id "
                       "WHERE p.region_id = ? AND o.type = 1 AND p.id <> ? AND p.position LIKE 'учитель%' "
                       "ORDER BY p.id LIMIT 200")
                  .Int(world.region_id)
                  .Int(world.teacher_person_id)
                  .Query();
    while (rs->next()) others.push_back(rs->getInt64("id"));
    const auto& plan = Plan();
    for (size_t i = 0; i < plan.size(); ++i) {
      const DemoPractice& d = plan[i];
      int64_t author = (i == 0 || i + 1 == plan.size() || others.empty()) ? world.teacher_person_id
                                                                           : others[(i * 37) % others.size()];
      if (author == 0) continue;
      auto place = db::DirectoryRepository::PlacePerson(c, author);
      if (!place.ok()) return place.status();
      practices::Draft draft;
      draft.title = d.title;
      draft.description = d.description;
      if (*d.link) draft.links.push_back(d.link);
      draft.areas = d.areas;
      draft.indicator_codes = d.codes;
      draft.level = static_cast<int>(d.level);
      draft.subject = d.subject;
      if (auto v = practices::ValidateDraft(draft, "practice"); !v.ok()) return v;
      const int64_t id = db::PracticeRepository::Insert(c, *place, draft);
      if (d.status != Status::kDraft) db::PracticeRepository::SetStatus(c, id, Status::kSubmitted, "");
      if (d.review_score > 0) {
        for (int64_t reviewer : {world.municipal_methodist_person_id, world.regional_methodist_person_id}) {
          if (reviewer == 0 || reviewer == author) continue;
          auto scores = Scores(d.review_score);
          auto total = practices::ScoreReview(scores, "review.scores");
          if (!total.ok()) return total.status();
          db::PracticeRepository::AddReview(c, id, reviewer, scores, *total, true,
                                            "Практика описана полно, результаты подтверждены; рекомендую.");
        }
      }
      if (d.status == Status::kPublished || d.status == Status::kReturned) {
        db::PracticeRepository::SetStatus(c, id, d.status, d.return_comment ? d.return_comment : "");
      }
      auto created = db::PracticeRepository::Get(c, id);
      if (!created.ok()) return created.status();
      db::WriteAudit(c, world.regional_admin_account_id, "CreatePractice", created->practice.name(), nullptr,
                     &created->practice);
      ++written;
    }
    return absl::OkStatus();
  });
  if (st.ok() && written > 0) std::cout << "practices: " << written << " in the bank of practices\n";
  return st;
}

}  // namespace nms::cli
