#include "server/domain/mentoring/auto_requests.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

namespace nms::mentoring {
namespace {

bool Pending(RequestStatus s) { return s == RequestStatus::kOpen || s == RequestStatus::kProposed; }

}  // namespace

AutoPlan PlanAutoRequests(const std::vector<AutoPerson>& people, const std::vector<AutoRouteItem>& items,
                          const std::vector<ExistingAutoRequest>& existing) {
  AutoPlan plan;
  absl::flat_hash_map<int64_t, const AutoPerson*> person;
  for (const AutoPerson& p : people) person[p.person_id] = &p;

  // Route items: one pending request per item that still needs a mentor.
  std::map<std::string, const AutoRouteItem*> needed_items;  // ordered: deterministic output
  for (const AutoRouteItem& it : items) {
    if (it.wants_mentor && !it.has_pair && person.contains(it.person_id)) needed_items[it.route_item] = &it;
  }
  absl::flat_hash_set<std::string> covered_items;
  absl::flat_hash_set<int64_t> has_route_request;  // people with a pending route request after the plan
  std::vector<const ExistingAutoRequest*> sorted;
  for (const auto& e : existing) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->request_id < b->request_id; });

  for (const ExistingAutoRequest* e : sorted) {
    if (e->source != RequestSource::kAutoRoute || !Pending(e->status)) continue;
    const bool needed = needed_items.contains(e->route_item) && !covered_items.contains(e->route_item);
    // A proposed pair is left to its sides; a duplicate of an item already covered is closed.
    if (needed || e->status == RequestStatus::kProposed) {
      covered_items.insert(e->route_item);
      has_route_request.insert(e->person_id);
      ++plan.unchanged;
      continue;
    }
    plan.close.push_back({e->request_id, "Пункт ИОМ больше не требует подбора наставника"});
  }
  for (const auto& [item, it] : needed_items) {
    if (covered_items.contains(item)) continue;
    plan.create_route.push_back({item, it->person_id, person.at(it->person_id)->in_cohort});
    has_route_request.insert(it->person_id);
  }

  // Young teachers: one pending request while in the cohort without a mentor or another request.
  absl::flat_hash_set<int64_t> has_young_request;
  for (const ExistingAutoRequest* e : sorted) {
    if (e->source != RequestSource::kAutoYoungTeacher || !Pending(e->status)) continue;
    if (e->status == RequestStatus::kProposed) {
      has_young_request.insert(e->person_id);
      ++plan.unchanged;
      continue;
    }
    auto pit = person.find(e->person_id);
    const char* reason = nullptr;
    if (pit == person.end() || !pit->second->in_cohort) {
      reason = "Педагог больше не входит в когорту молодых педагогов";
    } else if (pit->second->has_live_pair) {
      reason = "У педагога уже есть наставник";
    } else if (pit->second->has_manual_request) {
      reason = "У педагога есть другая заявка на наставника";
    } else if (has_route_request.contains(e->person_id)) {
      reason = "Объединена с заявкой по пункту ИОМ «с наставником»";
    } else if (has_young_request.contains(e->person_id)) {
      reason = "Повторная автоматическая заявка";
    }
    if (reason != nullptr) {
      plan.close.push_back({e->request_id, reason});
      continue;
    }
    has_young_request.insert(e->person_id);
    ++plan.unchanged;
  }
  std::vector<int64_t> ids;
  for (const AutoPerson& p : people) ids.push_back(p.person_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (int64_t id : ids) {
    const AutoPerson& p = *person.at(id);
    if (!p.in_cohort || p.has_live_pair || p.has_manual_request) continue;
    if (has_route_request.contains(id) || has_young_request.contains(id)) continue;
    plan.create_young.push_back(id);
  }
  std::sort(plan.close.begin(), plan.close.end(),
            [](const AutoClose& a, const AutoClose& b) { return a.request_id < b.request_id; });
  return plan;
}

}  // namespace nms::mentoring
