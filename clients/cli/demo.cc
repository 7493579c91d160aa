// `nmsctl demo`: loads a realistic demo region straight into the database in one transaction:
// 1 region, 5 inter-municipal districts, 24 municipalities, ~300 organisations, ~6 000
// teachers with Russian names, ages, subjects and work start dates, and one sign-in per role.
// Deterministic for a seed; skipped when the demo region already exists.

#include <iostream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "clients/cli/commands.h"
#include "clients/cli/demo.h"
#include "clients/cli/russian_names.h"
#include "server/auth/password.h"
#include "server/db/directory_repository.h"
#include "server/db/migrations.h"
#include "server/db/sql.h"
#include "server/domain/directory/person.h"

namespace nms::cli {
namespace {

constexpr const char* kRegion = "Московская область (демо)";

const std::vector<std::string> kDistricts = {
    "Северный межмуниципальный округ", "Южный межмуниципальный округ",
    "Восточный межмуниципальный округ", "Западный межмуниципальный округ",
    "Центральный межмуниципальный округ"};
const std::vector<std::string> kMunicipalities = {
    "г.о. Балашиха", "г.о. Химки", "г.о. Подольск", "г.о. Мытищи", "г.о. Королёв",
    "г.о. Люберцы", "г.о. Красногорск", "г.о. Электросталь", "г.о. Коломна", "Одинцовский г.о.",
    "г.о. Домодедово", "г.о. Серпухов", "г.о. Щёлково", "Раменский г.о.", "г.о. Долгопрудный",
    "г.о. Жуковский", "г.о. Пушкинский", "г.о. Реутов", "Сергиево-Посадский г.о.",
    "Богородский г.о.", "Орехово-Зуевский г.о.", "Дмитровский г.о.", "г.о. Чехов", "г.о. Клин"};
struct OrgKind {
  int type;
  const char* prefix;
  const char* position;
};

// Finds the demo region's anchors by the sign-ins the directory stage created.
absl::Status LoadDemoWorld(db::ConnectionPool& pool, DemoWorld& w) {
  return db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    auto rs = db::Stmt(c, "SELECT id FROM regions WHERE display_name = ?").Str(kRegion).Query();
    if (!rs->next()) return absl::NotFoundError("demo region missing");
    w.region_id = rs->getInt64(1);
    auto person = [&](const char* login, int64_t* person_id, int64_t* scope_id) -> absl::Status {
      auto r = db::Stmt(c, "SELECT a.id, IFNULL(a.person_id, 0), g.scope_id FROM accounts a "
                           "JOIN role_grants g ON g.account_id = a.id WHERE a.login = ? ORDER BY g.id LIMIT 1")
                   .Str(login)
                   .Query();
      if (!r->next()) return absl::NotFoundError(absl::StrCat("demo sign-in ", login, " missing"));
      if (person_id != nullptr) *person_id = r->getInt64(2);
      if (scope_id != nullptr) *scope_id = r->getInt64(3);
      if (std::string(login) == "admin@demo.nms") w.regional_admin_account_id = r->getInt64(1);
      return absl::OkStatus();
    };
    if (auto s = person("admin@demo.nms", &w.regional_admin_person_id, nullptr); !s.ok()) return s;
    if (auto s = person("metodist@demo.nms", &w.regional_methodist_person_id, nullptr); !s.ok()) return s;
    if (auto s = person("mun@demo.nms", &w.municipal_methodist_person_id, &w.first_municipality_id); !s.ok()) return s;
    if (auto s = person("school@demo.nms", &w.school_admin_person_id, &w.first_school_id); !s.ok()) return s;
    if (auto s = person("teacher@demo.nms", &w.teacher_person_id, nullptr); !s.ok()) return s;
    auto org = db::Stmt(c, "SELECT id FROM organizations WHERE region_id = ? AND type = 5 ORDER BY id LIMIT 1")
                   .Int(w.region_id)
                   .Query();
    if (org->next()) w.cnppm_org_id = org->getInt64(1);
    return absl::OkStatus();
  });
}

}  // namespace

uint64_t DemoLot(uint64_t seed, int64_t id, uint64_t purpose) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(id) * 0xC2B2AE3D27D4EB4Full ^ purpose;
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x;
}

int Demo(const Options& o) {
  auto opened = OpenMigratedDatabase(o);
  if (opened == nullptr) return 1;
  db::ConnectionPool& pool = *opened;
  auto hash = auth::HashPassword(o.demo_password);
  if (!hash.ok()) return 1;
  std::mt19937_64 rng(o.seed);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
  };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(3 * 3600));

  struct Login {
    std::string role, login, scope;
  };
  std::vector<Login> logins;
  int people_count = 0, org_count = 0;
  DemoWorld world;
  world.today = today;
  world.seed = o.seed;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto exists = db::Stmt(c, "SELECT id FROM regions WHERE display_name = ?").Str(kRegion).Query();
    if (exists->next()) return absl::AlreadyExistsError("demo region already loaded");
    logins.clear();
    people_count = org_count = 0;
    db::Stmt(c, "INSERT INTO regions (display_name, time_zone) VALUES (?, 'Europe/Moscow')").Str(kRegion).Execute();
    int64_t region = db::LastInsertId(c);
    std::vector<int64_t> districts;
    for (const auto& d : kDistricts) {
      db::Stmt(c, "INSERT INTO districts (region_id, display_name) VALUES (?, ?)").Int(region).Str(d).Execute();
      districts.push_back(db::LastInsertId(c));
    }
    auto add_org = [&](int type, int64_t mun, const std::string& name, const std::string& short_name) {
      db::Stmt(c, "INSERT INTO organizations (region_id, municipality_id, type, display_name, short_name, "
                  "external_id) VALUES (?, ?, ?, ?, ?, ?)")
          .Int(region).OptInt(mun).Int(type).Str(name).Str(short_name)
          .Str(absl::StrFormat("ORG-%05d", ++org_count))
          .Execute();
      return db::LastInsertId(c);
    };
    int64_t cnppm = add_org(5, 0, "Центр непрерывного повышения профессионального мастерства педагогических работников",
                            "ЦНППМ");
    add_org(6, 0, "Академия социального управления", "АСОУ");
    for (size_t i = 0; i < districts.size(); ++i) {
      db::Stmt(c, "UPDATE districts SET base_organization_id = ? WHERE id = ?").Int(cnppm).Int(districts[i]).Execute();
    }

    int orgs_per_mun = std::max(4, o.schools / static_cast<int>(kMunicipalities.size()));
    int teachers_per_org = std::max(3, o.teachers / (orgs_per_mun * static_cast<int>(kMunicipalities.size())));
    int64_t first_mun = 0, first_school = 0, first_teacher_person = 0, school_admin_person = 0,
            mun_methodist_person = 0;
    auto add_person = [&](int64_t mun, int64_t org, const std::string& position, bool young,
                          int management_role, const std::vector<std::string>& subjects) {
      directory::PersonRecord p;
      bool female = chance(0.82);  // the profession is mostly women
      p.last_name = pick(kSurnames) + (female ? "а" : "");
      p.first_name = female ? pick(kFemaleFirst) : pick(kMaleFirst);
      p.middle_name = pick(kPatronymicStems) + (female ? "на" : "ич");
      int age = young ? std::uniform_int_distribution<int>(22, 33)(rng)
                      : std::uniform_int_distribution<int>(28, 64)(rng);
      p.birth_date = absl::CivilDay(today.year() - age, std::uniform_int_distribution<int>(1, 12)(rng),
                                    std::uniform_int_distribution<int>(1, 28)(rng));
      int years = young ? std::uniform_int_distribution<int>(0, 2)(rng)
                        : std::uniform_int_distribution<int>(3, std::max(3, age - 22))(rng);
      p.work_start_date = absl::CivilDay(today.year() - years, 9, 1);
      if (*p.work_start_date > today) p.work_start_date = absl::CivilDay(today.year() - years - 1, 9, 1);
      p.position = position;
      p.subjects = subjects;
      p.qualification_category = young ? 1 : std::uniform_int_distribution<int>(2, 4)(rng);
      p.education = chance(0.85) ? 4 : 2;
      p.management_role = management_role;
      p.external_id = absl::StrFormat("T-%06d", ++people_count);
      p.email = absl::StrFormat("t%06d@demo.nms", people_count);
      auto place = db::DirectoryRepository::PlaceOrganization(c, org);
      if (!place.ok()) return int64_t{0};
      return db::DirectoryRepository::InsertPerson(c, p, *place, today);
    };
    int school_no = 0, kinder_no = 0, college_no = 0;
    for (size_t m = 0; m < kMunicipalities.size(); ++m) {
      db::Stmt(c, "INSERT INTO municipalities (region_id, district_id, display_name, external_id) VALUES (?, ?, ?, ?)")
          .Int(region).Int(districts[m % districts.size()]).Str(kMunicipalities[m])
          .Str(absl::StrFormat("46%03d000", static_cast<int>(m + 1)))
          .Execute();
      int64_t mun = db::LastInsertId(c);
      if (first_mun == 0) first_mun = mun;
      int64_t mms = add_org(8, mun, "Муниципальная методическая служба " + kMunicipalities[m],
                            "ММС " + kMunicipalities[m]);
      int64_t methodist = add_person(mun, mms, "методист", false, 0, {});
      if (mun_methodist_person == 0) mun_methodist_person = methodist;
      for (int k = 0; k < orgs_per_mun; ++k) {
        // Mix by level of education as in the regulation's sample (ОО dominates).
        double r = std::uniform_real_distribution<double>(0, 1)(rng);
        OrgKind kind = r < 0.72 ? OrgKind{1, "МБОУ СОШ №", "учитель"}
                     : r < 0.88 ? OrgKind{2, "МБДОУ Детский сад №", "воспитатель"}
                     : r < 0.96 ? OrgKind{3, "ГБПОУ Колледж №", "преподаватель"}
                                : OrgKind{9, "МБУДО Центр дополнительного образования детей №", "педагог дополнительного образования"};
        int number = kind.type == 1 ? ++school_no : kind.type == 2 ? ++kinder_no : ++college_no;
        std::string short_name = absl::StrCat(kind.prefix, " ", number);
        int64_t org = add_org(kind.type, mun, short_name + " (" + kMunicipalities[m] + ")", short_name);
        bool is_first_school = first_school == 0 && kind.type == 1;
        if (is_first_school) first_school = org;
        int64_t head = add_person(mun, org, kind.type == 2 ? "заведующий" : "директор", false, 1, {});
        if (is_first_school) school_admin_person = head;
        add_person(mun, org, "заместитель директора", false, 2, {});
        for (int t = 0; t < teachers_per_org; ++t) {
          std::vector<std::string> subjects;
          if (kind.type == 1) {
            subjects.push_back(pick(kSubjects));
            if (chance(0.25)) subjects.push_back(pick(kSubjects));
            if (subjects.size() == 2 && subjects[0] == subjects[1]) subjects.pop_back();
          }
          int64_t id = add_person(mun, org, kind.position, chance(0.14), 0, subjects);
          if (is_first_school && first_teacher_person == 0) first_teacher_person = id;
        }
      }
    }
    auto account = [&](int64_t person, const std::string& login, const std::string& display, int role,
                       int scope_kind, int64_t scope_id, const std::string& role_name, const std::string& scope) {
      db::Stmt(c, "INSERT INTO accounts (login, person_id, display_name, password_hash, is_service) VALUES (?, ?, ?, ?, ?)")
          .Str(login).OptInt(person).Str(display).Str(*hash).Bool(person == 0)
          .Execute();
      int64_t id = db::LastInsertId(c);
      db::Stmt(c, "INSERT INTO role_grants (account_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)")
          .Int(id).Int(role).Int(scope_kind).Int(scope_id).Execute();
      logins.push_back({role_name, login, scope});
      return id;
    };
    int64_t regional_admin_person = add_person(0, cnppm, "начальник отдела министерства", false, 0, {});
    int64_t regional_methodist_person = add_person(0, cnppm, "региональный методист", false, 0, {});
    // The ministry official is other staff (PositionCategory OTHER): never counted by indicators.
    db::Stmt(c, "UPDATE employments SET position_category = 3 WHERE person_id = ?").Int(regional_admin_person).Execute();
    account(regional_admin_person, "admin@demo.nms", "", 5, 1, region, "regional_admin", kRegion);
    account(regional_methodist_person, "metodist@demo.nms", "", 4, 1, region, "regional_methodist", kRegion);
    account(mun_methodist_person, "mun@demo.nms", "", 3, 2, first_mun, "municipal_methodist", kMunicipalities[0]);
    account(school_admin_person, "school@demo.nms", "", 2, 3, first_school, "school_admin", "первая школа");
    account(first_teacher_person, "teacher@demo.nms", "", 1, 3, first_school, "teacher", "первая школа");
    int64_t sync = account(0, "sync@demo.nms", "Федеральная синхронизация", 6, 1, region, "federal_sync", kRegion);
    db::Stmt(c, "UPDATE accounts SET cert_subject = ? WHERE id = ?").Str("CN=nms-federal-sync").Int(sync).Execute();
    return absl::OkStatus();
  });
  bool already = st.code() == absl::StatusCode::kAlreadyExists;
  if (!st.ok() && !already) {
    std::cerr << "demo load failed: " << st.message() << "\n";
    return 1;
  }
  if (auto w = LoadDemoWorld(pool, world); !w.ok()) {
    std::cerr << "demo load failed: " << w.message() << "\n";
    return 1;
  }
  if (already) {
    std::cout << "demo directory already present\n";
  } else {
    std::cout << "demo data loaded: " << org_count << " organisations, " << people_count << " people\n";
  }
  // The areas' stages, in dependency order; each skips itself when its data is there.
  const std::pair<const char*, absl::Status (*)(db::ConnectionPool&, const DemoWorld&)> stages[] = {
      {"diagnostics", SeedDemoDiagnostics},
      {"routes", SeedDemoRoutes},
      {"mentoring", SeedDemoMentoring},
      {"young teachers", SeedDemoYoungTeachers},
      {"monitoring facts", SeedDemoMonitoring},
      {"practices", SeedDemoPractices},
      {"events", SeedDemoEvents},
  };
  for (const auto& [name, stage] : stages) {
    if (auto s = stage(pool, world); !s.ok()) {
      std::cerr << "demo stage " << name << " failed: " << s.message() << "\n";
      return 1;
    }
  }
  if (!already) {
    for (const auto& l : logins) {
      std::cout << absl::StrFormat("  %-20s %-22s password %s  (%s)\n", l.role, l.login, o.demo_password, l.scope);
    }
  }
  return 0;
}

}  // namespace nms::cli
