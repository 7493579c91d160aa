#include "server/services/route_generation.h"

#include "absl/strings/str_cat.h"
#include "server/db/activity_repository.h"
#include "server/db/route_feed.h"
#include "server/db/route_generation_store.h"
#include "server/db/sql.h"
#include "server/services/convert.h"

namespace nms::services {

absl::StatusOr<GenerationSetup> PrepareGeneration(sql::Connection& c, int64_t region_id,
                                                  const nms::v1::RouteGenerationOptions& o, absl::CivilDay today) {
  if (o.max_items_per_deficit() < 0 || o.max_items_per_deficit() > 10) {
    return absl::InvalidArgumentError("Поле options.max_items_per_deficit: от 1 до 10 (0 — по настройкам региона)");
  }
  if (o.horizon_months() < 0 || o.horizon_months() > 36) {
    return absl::InvalidArgumentError("Поле options.horizon_months: от 1 до 36 месяцев (0 — по настройкам региона)");
  }
  auto start = FromProtoDate(o.start_date(), "options.start_date");
  if (!start.ok()) return start.status();
  // Routes kept in the old register are entered with their real, past start.
  if (*start && (**start < today - 3 * 366 || **start > today + 3 * 366)) {
    return absl::InvalidArgumentError("Поле options.start_date: в пределах трёх лет от сегодняшнего дня");
  }
  nms::v1::RouteSettings settings = db::RouteRepository::GetSettings(c, region_id);
  GenerationSetup s;
  s.region_id = region_id;
  s.options.start_date = start->value_or(today);
  s.options.horizon_months = o.horizon_months() > 0 ? o.horizon_months() : settings.default_horizon_months();
  s.options.max_items_per_deficit =
      o.max_items_per_deficit() > 0 ? o.max_items_per_deficit() : settings.default_max_items_per_deficit();
  s.options.include_mentoring = o.include_mentoring();
  s.replace_draft = o.replace_draft();
  s.goal = settings.default_goal();
  if (db::ActivityRepository::FederalSyncPending(c, region_id)) db::ActivityRepository::SyncFederalProgrammes(c, region_id);
  s.catalogue = db::ActivityRepository::LoadCatalogue(c, region_id);
  return s;
}

db::NewRoute PlanRoute(const GenerationSetup& setup, const db::TeacherCard& teacher, const db::DiagnosisInput& diagnosis,
                       int64_t replace_route_id) {
  db::NewRoute r;
  r.teacher = teacher;
  r.diagnosis = diagnosis;
  r.goal = setup.goal;
  r.replace_route_id = replace_route_id;
  r.plan = route::Generate(diagnosis.deficits, setup.catalogue, route::Teacher{teacher.position, teacher.subjects},
                           setup.options);
  return r;
}

absl::StatusOr<std::vector<nms::v1::Route>> WriteRoutes(sql::Connection& c, const std::vector<db::NewRoute>& routes,
                                                        const db::RouteActor& actor, int64_t operation_id,
                                                        const std::string& action, const std::string& comment) {
  auto ids = db::RouteGenerationStore::Write(c, routes, actor, operation_id, comment);
  if (!ids.ok()) return ids.status();
  std::vector<nms::v1::Route> written = db::RouteRepository::GetMany(c, *ids);
  std::vector<int64_t> regions;
  for (const auto& r : routes) regions.push_back(r.teacher.region_id);
  if (written.size() != routes.size()) return absl::InternalError("Маршрут не прочитан после записи");
  db::PublishCreatedRoutes(c, actor.account_id, action, written, regions);
  return written;
}

absl::StatusOr<BatchResult> GenerateBatch(sql::Connection& c, const GenerationSetup& setup,
                                          const std::vector<int64_t>& people, int64_t campaign_id,
                                          const db::RouteActor& actor, int64_t operation_id) {
  BatchResult out;
  auto teachers = db::RouteGenerationStore::Teachers(c, people);
  auto diagnoses = db::RouteGenerationStore::LatestDiagnoses(c, people, campaign_id);
  auto open = db::RouteGenerationStore::OpenRoutes(c, people);
  std::vector<db::NewRoute> plans;
  plans.reserve(people.size());
  for (int64_t person : people) {
    auto t = teachers.find(person);
    if (t == teachers.end() || t->second.region_id != setup.region_id) {
      out.errors.push_back({person, "Педагог не найден в регионе кампании"});
      continue;
    }
    auto d = diagnoses.find(person);
    if (d == diagnoses.end()) {
      ++out.skipped_without_diagnosis;
      continue;
    }
    int64_t replace = 0;
    if (auto o = open.find(person); o != open.end()) {
      if (!o->second.replaceable || !setup.replace_draft) {
        ++out.skipped_existing;
        continue;
      }
      replace = o->second.id;
    }
    plans.push_back(PlanRoute(setup, t->second, d->second, replace));
  }
  if (plans.empty()) return out;
  // The history speaks to people: the campaign by its title, never by its resource name.
  std::string campaign_title;
  if (campaign_id != 0) campaign_title = db::RouteGenerationStore::CampaignTitle(c, campaign_id);
  auto written = WriteRoutes(c, plans, actor, operation_id, "BulkGenerateRoutes",
                             campaign_title.empty()
                                 ? std::string("Сформирован автоматически по итоговым результатам диагностики")
                                 : absl::StrCat("Сформирован автоматически по результатам кампании «", campaign_title, "»"));
  if (!written.ok()) return written.status();
  out.created = static_cast<int64_t>(written->size());
  return out;
}

}  // namespace nms::services
