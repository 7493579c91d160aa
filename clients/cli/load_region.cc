// `nmsctl load-region [TEACHERS] [NAME]`: a full-size region (default 100 000 teachers) written
// straight into the database as fast as it allows, for load tests and demos at scale: districts,
// municipalities, ~1 700 organisations, the teachers with Russian names, ages, subjects, primary
// employments, the monitoring facts of a working region (further training, communities, expert
// work, management teams, methodists, ЦНППМ staff, regional events), support measures of young
// teachers, the Moscow Oblast indicator set, and one sign-in per role (`*@load.nms`, the demo
// password). Deterministic for --seed; skipped when a region of that name exists.
//
// Speed: rows are generated once and sent as multi-row INSERTs of ~1 000 rows with explicit ids
// (no read-back of generated keys), by two writer connections in parallel (each table on one of
// them), each committing every few statements with foreign-key and unique checks off for its
// session (the generator produces consistent data by construction). Run it on a quiet database:
// the id ranges are taken from the tables' current maxima at the start.
//
// Then the areas, unless --areas=false: the demo's own stages (demo_<area>.cc) run over the
// loaded region — a finished region-wide diagnostic campaign with scored results and two open
// ones, ИОМ routes generated from the deficits in every status, and mentoring (profiles,
// programmes, requests, the region's matching walked to active and completed pairs). They write
// through the areas' repositories and domain code, so they are slower per row than the bulk part
// and timed apart.

#include <condition_variable>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "clients/cli/commands.h"
#include "clients/cli/demo.h"
#include "clients/cli/russian_names.h"
#include "server/auth/password.h"
#include "server/db/migrations.h"
#include "server/db/monitoring_repository.h"
#include "server/db/sql.h"
#include "server/domain/monitoring/indicators.h"

namespace nms::cli {
namespace {

constexpr int kRowsPerStatement = 1000;
constexpr int kStatementsPerCommit = 8;
constexpr int kWriters = 2;

// Statements flow from the generator to the writer connections through bounded queues, one per
// writer. Each table goes to one writer, so two connections never insert into the same indexes
// at once (no lock waits between them); a transaction that still loses a deadlock is replayed.
class WriterPool {
 public:
  explicit WriterPool(db::ConnectionPool& pool) : queues_(kWriters) {
    for (int i = 0; i < kWriters; ++i) threads_.emplace_back([this, &pool, i] { Run(pool, i); });
  }
  ~WriterPool() { (void)Finish(); }

  static int WriterFor(const std::string& table) {
    return table == "people" || table == "person_subjects" ? 0 : 1;
  }

  void Submit(const std::string& table, std::string sql) {
    auto& q = queues_[WriterFor(table)];
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return q.size() < 8 || !error_.ok(); });
    if (!error_.ok()) return;  // the writers stopped; Finish reports why
    q.push_back(std::move(sql));
    ready_.notify_all();
  }

  // Waits for every statement to commit; the first error, if any.
  absl::Status Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      ready_.notify_all();
    }
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  void Run(db::ConnectionPool& pool, int index) {
    auto& q = queues_[index];
    absl::Status st = db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
      db::Stmt(c, "SET SESSION foreign_key_checks = 0").Execute();
      db::Stmt(c, "SET SESSION unique_checks = 0").Execute();
      c.setAutoCommit(false);
      std::vector<std::string> batch;
      auto commit = [&] {
        for (int attempt = 0;; ++attempt) {
          try {
            std::unique_ptr<sql::Statement> stmt(c.createStatement());
            for (const auto& sql : batch) stmt->execute(sql);
            db::Commit(c);
            batch.clear();
            return;
          } catch (const sql::SQLException& e) {
            db::Rollback(c);
            if ((e.getErrorCode() != 1213 && e.getErrorCode() != 1205) || attempt >= 5) throw;
          }
        }
      };
      for (;;) {
        std::string sql;
        {
          std::unique_lock<std::mutex> lock(mu_);
          ready_.wait(lock, [&] { return !q.empty() || done_ || !error_.ok(); });
          if (!error_.ok() || q.empty()) break;
          sql = std::move(q.front());
          q.pop_front();
          space_.notify_all();
        }
        batch.push_back(std::move(sql));
        if (batch.size() >= kStatementsPerCommit) commit();
      }
      commit();
      c.setAutoCommit(true);
      db::Stmt(c, "SET SESSION foreign_key_checks = 1").Execute();
      db::Stmt(c, "SET SESSION unique_checks = 1").Execute();
      return absl::OkStatus();
    });
    std::lock_guard<std::mutex> lock(mu_);
    if (!st.ok() && error_.ok()) error_ = st;
    space_.notify_all();
    ready_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::vector<std::deque<std::string>> queues_;
  bool done_ = false;
  absl::Status error_;
  std::vector<std::thread> threads_;
};

// Builds the multi-row INSERTs of one table.
class Rows {
 public:
  Rows(WriterPool& writers, std::string head, std::map<std::string, int64_t>& counts)
      : writers_(writers), head_(std::move(head)), table_(head_.substr(12, head_.find(' ', 12) - 12)), counts_(counts) {}
  ~Rows() { Flush(); }
  void Add(const std::string& values) {
    absl::StrAppend(&sql_, n_ == 0 ? "" : ",", "(", values, ")");
    ++counts_[table_];
    if (++n_ >= kRowsPerStatement) Flush();
  }
  void Flush() {
    if (n_ == 0) return;
    writers_.Submit(table_, absl::StrCat(head_, " VALUES ", sql_));
    sql_.clear();
    n_ = 0;
  }

 private:
  WriterPool& writers_;
  std::string head_, table_, sql_;
  std::map<std::string, int64_t>& counts_;
  int n_ = 0;
};

// A SQL string literal. Generated values never need it, names from arguments might.
std::string Q(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

std::string Day(absl::CivilDay d) { return absl::StrFormat("'%04d-%02d-%02d'", d.year(), d.month(), d.day()); }

int64_t MaxId(sql::Connection& c, const char* table) {
  auto rs = db::Stmt(c, absl::StrCat("SELECT IFNULL(MAX(id), 0) FROM ", table)).Query();
  rs->next();
  return rs->getInt64(1);
}

struct Ids {
  int64_t next = 0;
  int64_t Take() { return next++; }
};

}  // namespace

int LoadRegion(const Options& o) {
  int teachers = 100000;
  if (!o.args.empty() && !absl::SimpleAtoi(o.args[0], &teachers)) {
    std::cerr << "usage: nmsctl load-region [TEACHERS] [REGION_NAME] --db DSN\n";
    return 2;
  }
  std::string region_name = o.args.size() > 1 ? o.args[1] : "Полноразмерный регион (нагрузка)";
  auto opened = OpenMigratedDatabase(o, kWriters + 2);
  if (opened == nullptr) return 1;
  db::ConnectionPool& pool = *opened;
  auto hash = auth::HashPassword(o.demo_password);
  if (!hash.ok()) return 1;
  absl::Time start = absl::Now();
  std::mt19937_64 rng(o.seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& { return v[rng() % v.size()]; };
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::FixedTimeZone(3 * 3600));

  // Ids continue the tables' current maxima.
  std::map<std::string, Ids> ids;
  bool exists = false;
  std::string login_suffix;  // the first loaded region gets the plain sign-ins
  auto st = db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
    exists = db::Stmt(c, "SELECT 1 FROM regions WHERE display_name = ?").Str(region_name).Query()->next();
    if (db::Stmt(c, "SELECT 1 FROM accounts WHERE login = 'admin@load.nms'").Query()->next()) {
      login_suffix = absl::StrCat("-", MaxId(c, "regions") + 1);
    }
    for (const char* t : {"regions", "districts", "municipalities", "organizations", "people", "employments",
                          "accounts", "role_grants", "training_completions", "community_memberships",
                          "expert_activities", "management_team_memberships", "methodist_assignments",
                          "cnppm_staff", "regional_events", "support_measures"}) {
      ids[t].next = MaxId(c, t) + 1;
    }
    return absl::OkStatus();
  });
  if (!st.ok()) {
    std::cerr << "load-region: " << st.message() << "\n";
    return 1;
  }
  if (exists) {
    std::cout << "region \"" << region_name << "\" already loaded\n";
    return 0;
  }

  std::map<std::string, int64_t> counts;
  DemoWorld world;  // the anchors the areas' stages need
  WriterPool writers(pool);
  const int64_t region = ids["regions"].Take();
  const int municipalities = std::max(4, teachers / 1700);
  const int per_org = 60;
  struct Org {
    int64_t id, municipality;
    int type;
  };
  std::vector<Org> schools;
  std::vector<int64_t> mun_ids, teacher_ids, young_ids, staff_ids;
  int64_t cnppm = 0;
  {
    Rows r(writers, "INSERT INTO regions (id, display_name, time_zone)", counts);
    r.Add(absl::StrCat(region, ",", Q(region_name), ",'Europe/Moscow'"));
  }
  // The region row must exist before anything else commits that names it only when checks are
  // on; with them off, order does not matter, so everything streams.
  {
    Rows districts(writers, "INSERT INTO districts (id, region_id, display_name)", counts);
    Rows muns(writers, "INSERT INTO municipalities (id, region_id, district_id, display_name, external_id)", counts);
    Rows orgs(writers, "INSERT INTO organizations (id, region_id, municipality_id, type, display_name, short_name, "
                       "external_id)", counts);
    std::vector<int64_t> district_ids;
    for (int d = 0; d < 8; ++d) {
      district_ids.push_back(ids["districts"].Take());
      districts.Add(absl::StrCat(district_ids.back(), ",", region, ",'Межмуниципальный округ № ", d + 1, "'"));
    }
    cnppm = ids["organizations"].Take();
    orgs.Add(absl::StrCat(cnppm, ",", region, ",NULL,5,'Центр непрерывного повышения профессионального мастерства',"
                          "'ЦНППМ','L-ORG-CNPPM'"));
    int school_no = 0;
    for (int m = 0; m < municipalities; ++m) {
      int64_t mun = ids["municipalities"].Take();
      mun_ids.push_back(mun);
      muns.Add(absl::StrCat(mun, ",", region, ",", district_ids[m % district_ids.size()], ",'Муниципальный округ № ",
                            m + 1, "','L-MUN-", m + 1, "'"));
      int64_t mms = ids["organizations"].Take();
      orgs.Add(absl::StrCat(mms, ",", region, ",", mun, ",8,'Методическая служба округа № ", m + 1,
                            "','ММС № ", m + 1, "','L-MMS-", m + 1, "'"));
    }
    int org_count = std::max(1, teachers / per_org);
    for (int k = 0; k < org_count; ++k) {
      int64_t mun = mun_ids[k % mun_ids.size()];
      double r = std::uniform_real_distribution<double>(0, 1)(rng);
      int type = r < 0.72 ? 1 : r < 0.88 ? 2 : r < 0.96 ? 3 : 4;
      const char* prefix = type == 1 ? "МБОУ СОШ №" : type == 2 ? "МБДОУ Детский сад №" : type == 3 ? "ГБПОУ Колледж №"
                                                                                                     : "МБУДО ЦДО №";
      int64_t id = ids["organizations"].Take();
      schools.push_back({id, mun, type});
      std::string short_name = absl::StrCat(prefix, " ", ++school_no);
      orgs.Add(absl::StrCat(id, ",", region, ",", mun, ",", type, ",", Q(short_name + " (округ " + std::to_string(k % municipalities + 1) + ")"),
                            ",", Q(short_name), ",'L-ORG-", school_no, "'"));
    }
  }
  // People with their primary employment and subjects.
  {
    Rows people(writers, "INSERT INTO people (id, region_id, municipality_id, organization_id, external_id, last_name, "
                         "first_name, middle_name, birth_date, email, position, subjects, work_start_date, "
                         "qualification_category, education, management_role)", counts);
    Rows employments(writers, "INSERT INTO employments (id, person_id, organization_id, position, is_primary, "
                              "management_role, start_date)", counts);
    Rows subjects(writers, "INSERT INTO person_subjects (person_id, subject)", counts);
    int64_t n = 0;
    auto person = [&](const Org& org, const std::string& position, bool young, int management) {
      bool female = chance(0.82);
      int age = young ? uniform(22, 33) : uniform(28, 64);
      absl::CivilDay birth(today.year() - age, uniform(1, 12), uniform(1, 28));
      int years = young ? uniform(0, 2) : uniform(3, std::max(3, age - 22));
      absl::CivilDay work(today.year() - years, 9, 1);
      if (work > today) work = absl::CivilDay(today.year() - years - 1, 9, 1);
      std::vector<std::string> subj;
      if (org.type == 1 && management == 0) {
        subj.push_back(pick(kSubjects));
        if (chance(0.25)) subj.push_back(pick(kSubjects));
        if (subj.size() == 2 && subj[0] == subj[1]) subj.pop_back();
      }
      int64_t id = ids["people"].Take();
      ++n;
      std::string joined;
      for (const auto& s : subj) absl::StrAppend(&joined, joined.empty() ? "" : "|", s);
      people.Add(absl::StrCat(id, ",", region, ",", org.municipality == 0 ? "NULL" : std::to_string(org.municipality),
                              ",", org.id, ",'L-", n, "',",
                              Q(pick(kSurnames) + (female ? "а" : "")), ",", Q(female ? pick(kFemaleFirst) : pick(kMaleFirst)),
                              ",", Q(pick(kPatronymicStems) + (female ? "на" : "ич")), ",", Day(birth), ",'l", n,
                              "@load.nms',", Q(position), ",", Q(joined), ",", Day(work), ",", young ? 1 : uniform(2, 4),
                              ",", chance(0.85) ? 4 : 2, ",", management));
      employments.Add(absl::StrCat(ids["employments"].Take(), ",", id, ",", org.id, ",", Q(position), ",TRUE,",
                                   management, ",", Day(work)));
      for (const auto& s : subj) subjects.Add(absl::StrCat(id, ",", Q(s)));
      if (young) young_ids.push_back(id);
      return id;
    };
    Org cnppm_org{cnppm, 0, 5};
    for (int i = 0; i < 60; ++i) staff_ids.push_back(person(cnppm_org, "методист ЦНППМ", false, 0));
    for (size_t k = 0; k < schools.size() && static_cast<int64_t>(teacher_ids.size()) < teachers; ++k) {
      const Org& org = schools[k];
      person(org, org.type == 2 ? "заведующий" : "директор", false, 1);
      person(org, "заместитель директора", false, 2);
      const char* position = org.type == 1 ? "учитель" : org.type == 2 ? "воспитатель" : org.type == 3
                                                                                         ? "преподаватель"
                                                                                         : "педагог дополнительного образования";
      int count = k + 1 == schools.size() ? teachers - static_cast<int>(teacher_ids.size()) : per_org - 2;
      for (int t = 0; t < count; ++t) teacher_ids.push_back(person(org, position, chance(0.14), 0));
    }
  }
  // Monitoring facts of a working region.
  {
    auto any_teacher = [&] { return teacher_ids[rng() % teacher_ids.size()]; };
    absl::CivilDay year_start(today.year(), 1, 1);
    auto recent = [&](int back_years) {
      return absl::CivilDay(today.year() - uniform(0, back_years), uniform(1, 12), uniform(1, 28));
    };
    Rows tc(writers, "INSERT INTO training_completions (id, region_id, person_id, programme_title, hours, "
                     "federal_registry, chosen_from_diagnostics, attestation_passed, quality_management, start_date, "
                     "end_date, source)", counts);
    for (size_t i = 0; i < teacher_ids.size() * 3 / 10; ++i) {
      absl::CivilDay end = recent(3);
      tc.Add(absl::StrCat(ids["training_completions"].Take(), ",", region, ",", any_teacher(),
                          ",'Программа повышения квалификации',", 36 * uniform(1, 4), ",", i % 2, ",", i % 3 == 0, ",",
                          i % 7 != 0, ",", i % 11 == 0, ",", Day(end - 30), ",", Day(end), ",1"));
    }
    Rows cm(writers, "INSERT INTO community_memberships (id, region_id, person_id, community_title, community_kind, "
                     "level, start_date)", counts);
    for (size_t i = 0; i < teacher_ids.size() / 4; ++i) {
      cm.Add(absl::StrCat(ids["community_memberships"].Take(), ",", region, ",", any_teacher(),
                          ",'Методическое объединение',", uniform(1, 3), ",", uniform(1, 4), ",", Day(recent(5))));
    }
    Rows ea(writers, "INSERT INTO expert_activities (id, region_id, person_id, kind, start_date, end_date)", counts);
    for (size_t i = 0; i < teacher_ids.size() / 30; ++i) {
      ea.Add(absl::StrCat(ids["expert_activities"].Take(), ",", region, ",", any_teacher(), ",", uniform(1, 5), ",",
                          Day(year_start), ",", Day(year_start + 364)));
    }
    Rows mt(writers, "INSERT INTO management_team_memberships (id, region_id, person_id, organization_id, role, "
                     "start_date)", counts);
    for (const auto& org : schools) {
      mt.Add(absl::StrCat(ids["management_team_memberships"].Take(), ",", region, ",", any_teacher(), ",", org.id,
                          ",2,'2020-01-01'"));
    }
    Rows ma(writers, "INSERT INTO methodist_assignments (id, region_id, methodist_person_id, teacher_person_id, role, "
                     "start_date)", counts);
    for (size_t i = 0; i < teacher_ids.size() / 2; ++i) {
      ma.Add(absl::StrCat(ids["methodist_assignments"].Take(), ",", region, ",", staff_ids[i % staff_ids.size()], ",",
                          teacher_ids[i * 2], ",1,", Day(recent(1))));
    }
    Rows cs(writers, "INSERT INTO cnppm_staff (id, region_id, person_id, organization_id, position, federally_trained)",
            counts);
    for (size_t i = 0; i < staff_ids.size(); ++i) {
      cs.Add(absl::StrCat(ids["cnppm_staff"].Take(), ",", region, ",", staff_ids[i], ",", cnppm, ",'методист',", i % 3 != 0));
    }
    Rows ev(writers, "INSERT INTO regional_events (id, region_id, title, start_date)", counts);
    for (int i = 0; i < 40; ++i) {
      ev.Add(absl::StrCat(ids["regional_events"].Take(), ",", region, ",'Региональный форум № ", i + 1, "',",
                          Day(recent(2))));
    }
    Rows sm(writers, "INSERT INTO support_measures (id, person_id, kind, title, start_date, status)", counts);
    for (size_t i = 0; i < young_ids.size(); ++i) {
      if (i % 5 < 3) {
        sm.Add(absl::StrCat(ids["support_measures"].Take(), ",", young_ids[i], ",", 3 + static_cast<int>(i % 2),
                            ",'Школа молодого педагога',", Day(recent(1)), ",2"));
      }
    }
  }
  // One sign-in per role.
  {
    Rows accounts(writers, "INSERT INTO accounts (id, login, person_id, password_hash, is_service)", counts);
    Rows grants(writers, "INSERT INTO role_grants (id, account_id, role, scope_kind, scope_id)", counts);
    struct Login {
      const char* login;
      int64_t person;
      int role, kind;
      int64_t scope;
    };
    const Login logins[] = {
        {"admin", staff_ids[0], 5, 1, region},       {"metodist", staff_ids[1], 4, 1, region},
        {"mun", staff_ids[2], 3, 2, mun_ids[0]},     {"school", teacher_ids[0], 2, 3, schools[0].id},
        {"teacher", teacher_ids[1], 1, 3, schools[0].id}, {"sync", 0, 6, 1, region},
    };
    for (const auto& l : logins) {
      int64_t account = ids["accounts"].Take();
      if (std::string(l.login) == "admin") world.regional_admin_account_id = account;
      accounts.Add(absl::StrCat(account, ",", Q(absl::StrCat(l.login, login_suffix, "@load.nms")), ",", l.person == 0 ? "NULL" : std::to_string(l.person), ",",
                                Q(*hash), ",", l.person == 0));
      grants.Add(absl::StrCat(ids["role_grants"].Take(), ",", account, ",", l.role, ",", l.kind, ",", l.scope));
    }
  }
  if (auto w = writers.Finish(); !w.ok()) {
    std::cerr << "load-region failed: " << w.message() << "\n";
    return 1;
  }
  // The Moscow Oblast indicator set, through the repository (a few dozen rows).
  st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    for (const auto& preset : monitoring::Presets()) {
      if (preset.preset != monitoring::Preset::kMoscowOblast) continue;
      for (const auto& d : preset.definitions) db::MonitoringRepository::InsertDefinition(c, region, d);
      counts["indicator_definitions"] += static_cast<int64_t>(preset.definitions.size());
    }
    return absl::OkStatus();
  });
  if (!st.ok()) {
    std::cerr << "load-region: indicator set: " << st.message() << "\n";
    return 1;
  }
  double secs = absl::ToDoubleSeconds(absl::Now() - start);
  int64_t total = 0;
  for (const auto& [t, n] : counts) total += n;
  std::cout << absl::StrFormat("region \"%s\" (regions/%d): %d teachers, %d organisations, %d rows in %.1f s "
                               "(%.0f rows/s)\n",
                               region_name, region, static_cast<int>(teacher_ids.size()),
                               static_cast<int>(schools.size()), total, secs, total / secs);
  for (const auto& [t, n] : counts) std::cout << absl::StrFormat("  %-28s %d\n", t, n);
  if (o.areas) {
    world.region_id = region;
    world.cnppm_org_id = cnppm;
    world.first_municipality_id = mun_ids[0];
    world.first_school_id = schools[0].id;
    world.teacher_person_id = teacher_ids[1];
    world.school_admin_person_id = teacher_ids[0];
    world.municipal_methodist_person_id = staff_ids[2];
    world.regional_methodist_person_id = staff_ids[1];
    world.regional_admin_person_id = staff_ids[0];
    world.today = today;
    world.seed = o.seed;
    world.walk_every_nth_route = std::max(1, teachers / 6000);  // about as many walked as in the demo
    absl::Time areas_start = absl::Now();
    const std::pair<const char*, absl::Status (*)(db::ConnectionPool&, const DemoWorld&)> stages[] = {
        {"diagnostics", SeedDemoDiagnostics}, {"routes", SeedDemoRoutes}, {"mentoring", SeedDemoMentoring}};
    for (const auto& [name, stage] : stages) {
      if (auto s = stage(pool, world); !s.ok()) {
        std::cerr << "load-region: " << name << ": " << s.message() << "\n";
        return 1;
      }
    }
    std::cout << absl::StrFormat("areas (campaigns, routes, mentoring) in %.1f s\n",
                                 absl::ToDoubleSeconds(absl::Now() - areas_start));
  }
  std::cout << "sign-ins:";
  for (const char* role : {"admin", "metodist", "mun", "school", "teacher", "sync"}) {
    std::cout << " " << role << login_suffix << "@load.nms";
  }
  std::cout << " (password " << o.demo_password << ")\n";
  return 0;
}

}  // namespace nms::cli
