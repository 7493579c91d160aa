#include "server/db/monitoring_facts_cache.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/db/monitoring_repository.h"
#include "server/db/sql.h"

namespace nms::db {
namespace {

// Every table MonitoringRepository::LoadFacts reads that has an id, and the audit log.
constexpr const char* kTables[] = {
    "audit_log",          "organizations",         "municipalities",          "employments",
    "people",             "diagnostic_results",    "routes",                  "training_completions",
    "management_team_memberships", "community_memberships", "expert_activities", "support_measures",
    "mentoring_pairs",    "mentoring_programmes",  "internship_participants", "methodist_assignments",
    "cnppm_staff",        "regional_events",
};

// One row of MAX(id)s (index ends, no scans); empty when a table is missing or unreadable.
std::string Fingerprint(sql::Connection& c) {
  static const std::string* const kQuery = [] {
    auto* q = new std::string("SELECT CONCAT_WS(','");
    for (const char* t : kTables) absl::StrAppend(q, ", IFNULL((SELECT MAX(id) FROM ", t, "), 0)");
    *q += ")";
    return q;
  }();
  try {
    auto rs = Stmt(c, *kQuery).Query();
    return rs->next() ? std::string(rs->getString(1)) : std::string();
  } catch (const sql::SQLException&) {
    return {};
  }
}

}  // namespace

absl::StatusOr<std::shared_ptr<const monitoring::FactInputs>> MonitoringFactsCache::Get(sql::Connection& c,
                                                                                      int64_t region_id) {
  const absl::Duration ttl = ttl_;
  std::string fingerprint = ttl > absl::ZeroDuration() ? Fingerprint(c) : std::string();
  absl::Time now = absl::Now();
  if (!fingerprint.empty()) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(region_id);
    if (it != entries_.end() && it->second.fingerprint == fingerprint && now - it->second.loaded < ttl_) {
      return it->second.facts;
    }
  }
  auto facts = std::make_shared<monitoring::FactInputs>();
  if (auto s = MonitoringRepository::LoadFacts(c, region_id, facts.get()); !s.ok()) return s;
  if (!fingerprint.empty()) {
    absl::MutexLock lock(&mu_);
    if (max_regions_ <= 0) return facts;
    if (static_cast<int>(entries_.size()) >= max_regions_ && !entries_.contains(region_id)) {
      auto oldest = entries_.begin();  // not end(): the map holds max_regions_ > 0 entries
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->second.loaded < oldest->second.loaded) oldest = it;
      }
      entries_.erase(oldest);
    }
    entries_[region_id] = Entry{fingerprint, now, facts};
  }
  return facts;
}

}  // namespace nms::db
