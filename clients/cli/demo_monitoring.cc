// Demo stage: the monitoring facts of a working region (see demo.h), so the indicator
// dashboard shows numbers a ministry would recognise instead of zeros: further-training
// completions (about half of the diagnosed teachers in the last year, most from the federal
// registry and chosen from their deficits; the management teams' quality-management course),
// internship platforms with management trainees of some schools, methodological associations,
// expert work, ЦНППМ staff, the region's events, and the Moscow Oblast indicator set.
// Deterministic for the seed (each person's lot is drawn from the seed and their id), one
// transaction, skipped when completions exist.

#include <iostream>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cli/demo.h"
#include "nms/v1/monitoring.pb.h"
#include "server/db/audit.h"
#include "server/db/monitoring_repository.h"
#include "server/services/convert.h"
#include "server/db/sql.h"
#include "server/domain/monitoring/indicators.h"

namespace nms::cli {
namespace {

namespace v1 = nms::v1;
using Repo = db::MonitoringRepository;
using Day = absl::CivilDay;

struct Person {
  int64_t id = 0, org = 0;
  int management_role = 0;
  bool diagnosed = false;
  std::string subject;
};

std::vector<Person> PeopleOf(sql::Connection& c, int64_t region) {
  std::vector<Person> out;
  auto rs = db::Stmt(c,
                     "SELECT p.id, IFNULL(p.organization_id, 0), p.management_role, "
                     "EXISTS(SELECT 1 FROM diagnostic_results r WHERE r.person_id = p.id AND r.status = 2), "
                     "IFNULL(SUBSTRING_INDEX(p.subjects, '|', 1), '') FROM people p WHERE p.region_id = ? ORDER BY p.id")
                .Int(region)
                .Query();
  while (rs->next()) {
    out.push_back({rs->getInt64(1), rs->getInt64(2), rs->getInt(3), rs->getBoolean(4), std::string(rs->getString(5))});
  }
  return out;
}

std::vector<int64_t> SchoolsOf(sql::Connection& c, int64_t region) {
  std::vector<int64_t> out;
  auto rs = db::Stmt(c, "SELECT id FROM organizations WHERE region_id = ? AND type = 1 ORDER BY id").Int(region).Query();
  while (rs->next()) out.push_back(rs->getInt64(1));
  return out;
}

constexpr const char* kProgrammes[] = {
    "Формирующее оценивание в современной школе",
    "Школа современного учителя: развитие предметных компетенций",
    "Проектирование урока в соответствии с обновлёнными ФГОС",
    "Цифровые образовательные ресурсы в работе педагога",
    "Функциональная грамотность: методика формирования и оценки",
};

}  // namespace

absl::Status SeedDemoMonitoring(db::ConnectionPool& pool, const DemoWorld& world) {
  int completions = 0, platforms = 0, trainees = 0, members = 0, experts = 0, staff = 0, events = 0;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    completions = platforms = trainees = members = experts = staff = events = 0;
    // Completions the demo's done ИОМ items produced (source ROUTE) are not the recorded facts.
    auto has = db::Stmt(c, "SELECT 1 FROM training_completions WHERE region_id = ? AND source <> ? LIMIT 1")
                   .Int(world.region_id)
                   .Int(v1::FACT_SOURCE_ROUTE)
                   .Query();
    if (has->next()) return absl::OkStatus();
    const Day today = world.today;
    auto audit = [&](const char* action, const std::string& name, const google::protobuf::Message& created) {
      db::WriteAudit(c, world.regional_admin_account_id, action, name, nullptr, &created);
    };
    std::vector<Person> people = PeopleOf(c, world.region_id);
    for (const Person& p : people) {
      std::mt19937_64 rng(DemoLot(world.seed, p.id, 11));
      auto pct = [&] { return std::uniform_int_distribution<int>(0, 99)(rng); };
      auto days_ago = [&](int lo, int hi) { return today - std::uniform_int_distribution<int>(lo, hi)(rng); };
      if (p.management_role > 0 && pct() < 55) {  // the management team's course (МО-06)
        v1::TrainingCompletion t;
        t.set_programme_title("Управление качеством образования в общеобразовательной организации");
        t.set_provider_title("ЦНППМ");
        t.set_hours(72);
        t.set_federal_registry(true);
        t.set_quality_management(true);
        t.set_attestation_passed(true);
        t.set_source(v1::FACT_SOURCE_MANUAL);
        Day end = days_ago(20, 300);
        *t.mutable_start_date() = services::ToProtoDate(end - 30);
        *t.mutable_end_date() = services::ToProtoDate(end);
        audit("CreateTrainingCompletion", absl::StrCat("trainingCompletions/",
                                                       Repo::InsertTrainingCompletion(c, world.region_id, p.id, 0, t)), t);
        ++completions;
      } else if (p.diagnosed && pct() < 50) {  // a programme after the diagnosis (МО-05)
        v1::TrainingCompletion t;
        t.set_programme_title(kProgrammes[rng() % std::size(kProgrammes)]);
        t.set_provider_title(pct() < 60 ? "ЦНППМ" : "Академия Минпросвещения России");
        t.set_hours(pct() < 50 ? 36 : 72);
        t.set_federal_registry(pct() < 75);
        t.set_chosen_from_diagnostics(pct() < 85);
        t.set_attestation_passed(pct() < 92);
        t.set_source(v1::FACT_SOURCE_MANUAL);
        Day end = days_ago(10, 330);
        *t.mutable_start_date() = services::ToProtoDate(end - 21);
        *t.mutable_end_date() = services::ToProtoDate(end);
        audit("CreateTrainingCompletion", absl::StrCat("trainingCompletions/",
                                                       Repo::InsertTrainingCompletion(c, world.region_id, p.id, 0, t)), t);
        ++completions;
      }
      if (p.management_role == 0 && p.org != world.cnppm_org_id) {
        if (pct() < 22) {  // a methodological association of the subject
          v1::CommunityMembership m;
          m.set_community_title(p.subject.empty() ? "Региональное методическое объединение педагогов"
                                                  : absl::StrCat("РМО учителей: ", p.subject));
          m.set_community_kind(v1::COMMUNITY_KIND_METHODOLOGICAL_ASSOCIATION);
          m.set_level(pct() < 70 ? v1::COMMUNITY_LEVEL_MUNICIPAL : v1::COMMUNITY_LEVEL_REGIONAL);
          *m.mutable_start_date() = services::ToProtoDate(days_ago(60, 900));
          audit("CreateCommunityMembership",
                absl::StrCat("communityMemberships/", Repo::InsertCommunityMembership(c, world.region_id, p.id, m)), m);
          ++members;
        }
        if (pct() < 5) {  // expert work: attestation commissions, competition juries
          v1::ExpertActivity e;
          e.set_kind(pct() < 60 ? v1::EXPERT_ACTIVITY_KIND_ATTESTATION : v1::EXPERT_ACTIVITY_KIND_COMPETITION_JURY);
          e.set_title(e.kind() == v1::EXPERT_ACTIVITY_KIND_ATTESTATION ? "Эксперт аттестационной комиссии"
                                                                       : "Жюри конкурса «Учитель года»");
          Day start = days_ago(30, 300);
          *e.mutable_start_date() = services::ToProtoDate(start);
          *e.mutable_end_date() = services::ToProtoDate(start + 60);
          audit("CreateExpertActivity",
                absl::StrCat("expertActivities/", Repo::InsertExpertActivity(c, world.region_id, p.id, e)), e);
          ++experts;
        }
      }
      if (p.org == world.cnppm_org_id && p.org != 0) {  // ЦНППМ staff, two in three trained federally
        v1::CnppmStaffMember s;
        s.set_position("методист");
        *s.mutable_start_date() = services::ToProtoDate(today - 700);
        s.set_federally_trained(staff % 3 != 2);
        if (s.federally_trained()) {
          *s.mutable_federal_training_date() = services::ToProtoDate(days_ago(30, 400));
          s.set_federal_training_title("Тьюторское сопровождение педагогов (Академия Минпросвещения России)");
        }
        audit("CreateCnppmStaffMember",
              absl::StrCat("cnppmStaff/", Repo::InsertCnppmStaff(c, world.region_id, p.id, world.cnppm_org_id, s)), s);
        ++staff;
      }
    }
    // Internship platforms in three schools; the heads of about one school in eight train there (МО-10).
    std::vector<int64_t> schools = SchoolsOf(c, world.region_id);
    std::vector<int64_t> platform_ids;
    const char* kPlatforms[] = {"Управление качеством образования", "Наставничество в школе",
                                "Цифровая образовательная среда"};
    for (size_t i = 0; i < 3 && i * 40 < schools.size(); ++i) {
      v1::InternshipPlatform pl;
      pl.set_title(absl::StrCat("Стажировочная площадка «", kPlatforms[i], "»"));
      pl.set_register_number(absl::StrCat("СП-", 101 + i));
      *pl.mutable_start_date() = services::ToProtoDate(today - 400);
      int64_t id = Repo::InsertInternshipPlatform(c, world.region_id, schools[i * 40], pl);
      audit("CreateInternshipPlatform", absl::StrCat("internshipPlatforms/", id), pl);
      platform_ids.push_back(id);
      ++platforms;
    }
    if (!platform_ids.empty()) {
      for (const Person& p : people) {
        if (p.management_role == 0 || p.org == 0) continue;
        if (DemoLot(world.seed, p.org, 12) % 8 != 0) continue;
        v1::InternshipParticipant part;
        part.set_role(v1::INTERNSHIP_PARTICIPANT_ROLE_MANAGEMENT_TRAINEE);
        *part.mutable_start_date() = services::ToProtoDate(today - 60);
        int64_t platform = platform_ids[static_cast<size_t>(p.org) % platform_ids.size()];
        audit("CreateInternshipParticipant",
              absl::StrCat("internshipPlatforms/", platform, "/participants/",
                           Repo::InsertInternshipParticipant(c, platform, world.region_id, p.id, p.org, part)), part);
        ++trainees;
      }
    }
    // The Moscow Oblast indicator set (Moscow Oblast regulation §VI, docs/domain.md §6.1), so the dashboard has indicators to show.
    for (const auto& d : monitoring::FindPreset(monitoring::Preset::kMoscowOblast)->definitions) {
      if (!Repo::FindDefinitionByCode(c, world.region_id, d.code)) Repo::InsertDefinition(c, world.region_id, d);
    }
    // The region's events over the year.
    const char* kEvents[] = {"Августовское педагогическое совещание", "Региональный форум наставников",
                             "Методический марафон «Функциональная грамотность»", "Фестиваль открытых уроков",
                             "Конференция «Школа современного учителя»", "Форум молодых педагогов"};
    for (int i = 0; i < 6; ++i) {
      v1::RegionalEvent e;
      e.set_title(kEvents[i]);
      Day start = today - 330 + i * 55;
      *e.mutable_start_date() = services::ToProtoDate(start);
      *e.mutable_end_date() = services::ToProtoDate(start + 1);
      audit("CreateRegionalEvent",
            absl::StrCat("regionalEvents/", Repo::InsertRegionalEvent(c, world.region_id, world.cnppm_org_id, e)), e);
      ++events;
    }
    return absl::OkStatus();
  });
  if (st.ok() && completions > 0) {
    std::cout << "monitoring facts: " << completions << " further-training completions, " << platforms
              << " internship platforms with " << trainees << " management trainees, " << members
              << " association members, " << experts << " experts, " << staff << " ЦНППМ staff, " << events
              << " regional events\n";
  }
  return st;
}

}  // namespace nms::cli
