// Demo stage: the events calendar (issue 16 §3). The ЦНППМ's regional webinars and seminars, the
// first municipality's and the first school's own events: held ones in the past months with
// registrations and attendance (which produce the regional-event facts and their participants,
// as MarkEventAttendance does), upcoming published ones open for registration across every
// competency area (so a teacher's suggestions have something to show), one cancelled and one
// draft. teacher@demo.nms is registered for one upcoming event.
#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/cli/demo.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/event_repository.h"
#include "server/db/sql.h"
#include "server/domain/events/rules.h"

namespace nms::cli {

namespace {

using events::Level;
using events::Status;

struct DemoEvent {
  Level level;
  int kind;  // nms.v1.EventKind
  const char* title;
  const char* description;
  int day;  // days from today (negative: past)
  int hour;
  int hours;
  const char* place;  // empty: online
  int capacity;
  std::vector<int> areas;
  std::vector<std::string> codes;
  Status status;
  int registrations;  // how many teachers registered
};

const std::vector<DemoEvent>& Plan() {
  static const auto* plan = new std::vector<DemoEvent>{
      // Held.
      {Level::kRegional, 2, "Семинар «Проектирование урока по обновлённым ФГОС»",
       "Разбор технологической карты урока, типичные ошибки в постановке целей, работа в группах над картами "
       "участников.", -62, 10, 3, "ЦНППМ, ауд. 214", 40, {2}, {"М-1"}, Status::kHeld, 34},
      {Level::kRegional, 1, "Вебинар «ФГИС „Моя школа“: ЦОК на уроке»",
       "Как подобрать цифровой образовательный контент к теме, собрать урок и проверить результаты.", -41, 15, 2, "",
       0, {5}, {"Ц-1"}, Status::kHeld, 60},
      {Level::kRegional, 5, "Региональная конференция «Функциональная грамотность: практики школ»",
       "Пленарное заседание и секции по читательской, математической и естественно-научной грамотности; "
       "выступления педагогов — авторов практик банка.", -20, 10, 6, "Дом учителя, большой зал", 150, {1, 2},
       {"П-4", "М-3"}, Status::kHeld, 90},
      {Level::kMunicipal, 3, "Мастер-класс «Листы самооценки в формирующем оценивании»",
       "Автор практики показывает листы самооценки и порядок работы с ними на уроке.", -12, 14, 2,
       "Школа, кабинет 31", 25, {2}, {"М-2"}, Status::kHeld, 22},
      {Level::kSchool, 7, "Открытый урок «Цифровая лаборатория на физике»",
       "Урок с датчиками цифровой лаборатории в 8 классе; после урока — разбор с коллегами.", -6, 11, 1,
       "Кабинет физики", 12, {5, 1}, {"Ц-1"}, Status::kHeld, 9},
      // Upcoming, open for registration.
      {Level::kRegional, 1, "Вебинар «Формирующее оценивание: критерии и обратная связь»",
       "Критериальное оценивание, рубрики и письменная обратная связь; домашнее задание с разбором.", 3, 15, 2, "",
       100, {2}, {"М-2"}, Status::kPublished, 41},
      {Level::kRegional, 2, "Семинар «Инклюзивный урок: обучающиеся с ОВЗ в общем классе»",
       "Адаптация заданий, тьюторское сопровождение, взаимодействие с ППк.", 6, 10, 3, "ЦНППМ, ауд. 305", 30, {3},
       {"ПП-2"}, Status::kPublished, 30},
      {Level::kRegional, 1, "Вебинар «Родительское собрание, которое работает»",
       "Формат собрания, трудные разговоры, письменная коммуникация с родителями в мессенджерах.", 9, 16, 2, "", 0,
       {4}, {"К-1", "К-2"}, Status::kPublished, 18},
      {Level::kRegional, 4, "Региональный конкурс «Учитель — мастер цифрового урока»",
       "Заочный этап: видеозапись фрагмента урока с ЦОК; очный — мастер-класс для жюри.", 24, 10, 8,
       "Дом учителя", 60, {5, 2}, {"Ц-1", "Ц-2"}, Status::kPublished, 12},
      {Level::kRegional, 6, "Форум молодых педагогов региона",
       "Встреча с наставниками, площадки по классному руководству и проектной деятельности.", 32, 10, 6,
       "Дом учителя", 200, {4, 3}, {"К-3"}, Status::kPublished, 55},
      {Level::kMunicipal, 8, "Круглый стол «Проектные недели в основной школе»",
       "Опыт трёх школ муниципалитета: организация, оценивание, результаты.", 5, 15, 2, "ММС, зал заседаний", 20, {2},
       {"М-3"}, Status::kPublished, 8},
      {Level::kMunicipal, 2, "Семинар «Смысловое чтение на уроках математики»",
       "Приёмы работы с текстом задачи; разбор заданий ВПР.", 12, 14, 2, "Школа, кабинет 12", 25, {1, 2},
       {"П-4", "М-1"}, Status::kPublished, 25},
      {Level::kSchool, 3, "Мастер-класс «Кейс-метод на обществознании»",
       "Кейсы из жизни района; работа в группах.", 8, 14, 1, "Кабинет 24", 15, {2, 4}, {"М-3"}, Status::kPublished, 4},
      // Cancelled and draft.
      {Level::kRegional, 1, "Вебинар «Профилактика трудностей в обучении»",
       "Перенесён на следующий месяц.", 4, 15, 2, "", 0, {3}, {"ПП-3"}, Status::kCancelled, 0},
      {Level::kRegional, 2, "Семинар «Публичное представление опыта»",
       "Подготовка выступления, презентация практики, работа со слайдами.", 40, 10, 3, "ЦНППМ, ауд. 214", 30, {4},
       {"К-4"}, Status::kDraft, 0},
  };
  return *plan;
}

}  // namespace

absl::Status SeedDemoEvents(db::ConnectionPool& pool, const DemoWorld& world) {
  int written = 0, regs = 0;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    written = regs = 0;
    auto any = db::Stmt(c, "SELECT 1 FROM events WHERE region_id = ? LIMIT 1").Int(world.region_id).Query();
    if (any->next()) return absl::OkStatus();
    // Organisers: the ЦНППМ, the first municipality's ММС (type 8), the first school.
    int64_t mms = 0;
    auto rs = db::Stmt(c, "SELECT id FROM organizations WHERE municipality_id = ? AND type = 8 ORDER BY id LIMIT 1")
                  .Int(world.first_municipality_id)
                  .Query();
    if (rs->next()) mms = rs->getInt64(1);
    // Registrants: teachers of the audience (the first municipality for local events).
    auto teachers = [&](Level level, int n) {
      std::vector<int64_t> out;
      std::string where = level == Level::kSchool      ? "p.organization_id = ?"
                          : level == Level::kMunicipal ? "p.municipality_id = ?"
                                                       : "p.region_id = ?";
      const int64_t scope = level == Level::kSchool      ? world.first_school_id
                            : level == Level::kMunicipal ? world.first_municipality_id
                                                         : world.region_id;
      auto q = db::Stmt(c, absl::StrCat("SELECT p.id FROM people p WHERE ", where,
                                        " AND p.position LIKE 'учитель%' AND p.id <> ? ORDER BY p.id LIMIT 400"))
                   .Int(scope)
                   .Int(world.teacher_person_id)
                   .Query();
      std::vector<int64_t> all;
      while (q->next()) all.push_back(q->getInt64(1));
      for (int i = 0; i < n && !all.empty(); ++i) {
        const int64_t id = all[(static_cast<size_t>(i) * 7 + world.seed) % all.size()];
        if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
      }
      return out;
    };
    absl::TimeZone tz;
    if (!absl::LoadTimeZone("Europe/Moscow", &tz)) tz = absl::FixedTimeZone(3 * 3600);
    bool teacher_registered = false;
    for (const DemoEvent& d : Plan()) {
      const int64_t organizer = d.level == Level::kRegional    ? world.cnppm_org_id
                                : d.level == Level::kMunicipal ? (mms != 0 ? mms : world.first_school_id)
                                                               : world.first_school_id;
      auto org = db::DirectoryRepository::PlaceOrganization(c, organizer);
      if (!org.ok()) return org.status();
      auto place = events::PlaceOf(d.level, *org);
      if (!place.ok()) return place.status();
      const absl::CivilDay day = world.today + d.day;
      events::Draft draft;
      draft.level = static_cast<int>(d.level);
      draft.kind = d.kind;
      draft.title = d.title;
      draft.description = d.description;
      draft.start = absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), d.hour, 0, 0), tz);
      draft.end = draft.start + absl::Hours(d.hours);
      draft.place = d.place;
      if (!*d.place) draft.link = "https://webinar.example.ru/cnppm";
      draft.capacity = d.capacity;
      draft.areas = d.areas;
      draft.indicator_codes = d.codes;
      if (auto v = events::ValidateDraft(draft, "event"); !v.ok()) return v;
      const Status initial = d.status == Status::kDraft ? Status::kDraft : Status::kPublished;
      const int64_t id = db::EventRepository::Insert(c, *place, organizer, org->municipality_id, draft, initial);
      std::vector<int64_t> people = teachers(d.level, d.registrations);
      for (size_t i = 0; i < people.size(); ++i) {
        const int64_t reg = db::EventRepository::Register(c, id, people[i]);
        ++regs;
        if (d.status == Status::kHeld) {
          // Four of five came.
          db::EventRepository::SetRegistrationStatus(
              c, reg, i % 5 == 4 ? events::RegStatus::kAbsent : events::RegStatus::kAttended,
              world.regional_methodist_person_id);
        }
      }
      if (d.status == Status::kPublished && d.level == Level::kRegional && !teacher_registered &&
          world.teacher_person_id != 0) {
        db::EventRepository::Register(c, id, world.teacher_person_id);
        teacher_registered = true;
        ++regs;
      }
      if (d.status == Status::kHeld) {
        db::EventRepository::SetStatus(c, id, Status::kHeld, "");
        db::EventRepository::SyncFact(c, id, absl::ToCivilDay(draft.start, tz), absl::ToCivilDay(draft.end, tz));
      }
      if (d.status == Status::kCancelled) {
        db::EventRepository::SetStatus(c, id, Status::kCancelled, "Ведущий заболел; вебинар переносится на следующий месяц.");
      }
      auto created = db::EventRepository::Get(c, id);
      if (!created.ok()) return created.status();
      db::WriteAudit(c, world.regional_admin_account_id, "CreateEvent", created->event.name(), nullptr, &created->event);
      ++written;
    }
    return absl::OkStatus();
  });
  if (st.ok() && written > 0) std::cout << "events: " << written << " in the calendar, " << regs << " registrations\n";
  return st;
}

}  // namespace nms::cli
