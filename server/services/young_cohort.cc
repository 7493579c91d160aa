#include "server/services/young_cohort.h"

#include <algorithm>

#include "server/domain/young/cohort.h"

namespace nms::services {

std::vector<CohortMember> ComputeCohort(sql::Connection& c, int64_t region_id, const db::ScopeFilter& scope,
                                        absl::CivilDay ref, const young::Settings& s, int window_months) {
  std::vector<db::YoungCandidate> cards = db::YoungTeacherRepository::LoadCandidates(c, region_id, scope, ref, s);
  std::vector<CohortMember> members;
  std::vector<int64_t> ids;
  for (auto& card : cards) {
    if (!young::InYoungCohort(card.birth_date, card.work_start_date, ref, s.age_limit_years,
                              s.experience_limit_years)) {
      continue;
    }
    ids.push_back(card.person_id);
    members.push_back(CohortMember{std::move(card), {}});
  }
  auto support = db::YoungTeacherRepository::LoadSupport(c, region_id, ids);
  for (auto& m : members) {
    const db::PersonSupport& ps = support[m.card.person_id];
    young::CohortRow& row = m.row;
    row.person_id = m.card.person_id;
    row.organization_id = m.card.organization_id;
    row.organization_title = m.card.organization_title;
    row.last_name = m.card.last_name;
    row.first_name = m.card.first_name;
    row.middle_name = m.card.middle_name;
    row.assessment =
        young::Assess(m.card.birth_date, m.card.work_start_date, ps.measures, ps.route_pending, ref, s, window_months);
  }
  std::sort(members.begin(), members.end(),
            [](const CohortMember& a, const CohortMember& b) { return young::KeyOf(a.row) < young::KeyOf(b.row); });
  return members;
}

}  // namespace nms::services
