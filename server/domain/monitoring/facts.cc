#include "server/domain/monitoring/facts.h"

#include <algorithm>

namespace nms::monitoring {

namespace {
const std::vector<int> kDefaultTypes = {kOrgSchool, kOrgKindergarten, kOrgCollege, kOrgAdditional, kOrgChildrenAdditional};
const Day kEpoch(1900, 1, 1);  // start of the cumulative period (PeriodRange)

// Which people a person fact counts: "педагогические работники" only, or with the
// "управленческие кадры" (heads and deputies) as the regulations word each indicator.
bool PedagogicalOnly(Fact f) {
  switch (f) {
    case Fact::kPedagogicalWorkers:
    case Fact::kTeachersCompletedFrDpp:
    case Fact::kTeachersCompletedFrDppFromDiagnostics:
    case Fact::kYoungTeachers:
    case Fact::kYoungTeachersSupported:
    case Fact::kTeachersAssignedToRegionalMethodist:
      return true;
    default:
      return false;
  }
}

// A course the person took part in during the period: it ran in the period (start..end
// overlaps it), whatever the attestation said.
bool TookPart(const CompletionRec& c, const DateRange& r) {
  OptDay start = c.start_date.has_value() ? c.start_date : c.end_date;
  if (!start.has_value() && !c.end_date.has_value()) return false;
  return Overlaps(start, c.end_date, r);
}
constexpr int kRouteDraft = 1, kRouteApproved = 3, kRouteCompleted = 5, kRouteCancelled = 6;
constexpr int kRoleRegionalMethodist = 1;

bool InRange(const OptDay& d, const DateRange& r) { return d.has_value() && *d >= r.start && *d <= r.end; }
}  // namespace

bool ActiveAt(const OptDay& start, const OptDay& end, Day d) {
  if (start.has_value() && *start > d) return false;
  if (end.has_value() && *end < d) return false;
  return true;
}

bool Overlaps(const OptDay& start, const OptDay& end, const DateRange& r) {
  if (start.has_value() && *start > r.end) return false;
  if (end.has_value() && *end < r.start) return false;
  return true;
}

bool IsBasicOrAbove(int level) { return level >= 2 && level <= 4; }

int EffectiveCategory(const TeacherRec& t) {
  if (t.category >= kCategoryPedagogical && t.category <= kCategoryOther) return t.category;
  return t.management_role > 0 ? kCategoryManager : kCategoryPedagogical;
}

FactCounter::FactCounter(const FactInputs& in, Day ref) : in_(in), ref_(ref) {
  for (const auto& o : in.organizations) orgs_[o.id] = &o;
  for (const auto& t : in.teachers) {
    if (!ActiveAt(t.employed_from, t.employed_to, ref)) continue;
    if (person_org_.emplace(t.person_id, t.organization_id).second) {
      teachers_.push_back(&t);
      person_cat_[t.person_id] = EffectiveCategory(t);
    }
  }
}

bool FactCounter::SpanCounts(const OptDay& start, const OptDay& end, const DateRange& period) const {
  if (period.start <= kEpoch) return ActiveAt(start, end, ref_);
  return Overlaps(start, end, {period.start, std::min(period.end, ref_)});
}

const absl::flat_hash_map<int64_t, int64_t>& FactCounter::TeamsAndMms(const FactRef& f, const DateRange& period) const {
  CacheKey key{static_cast<int>(f.fact), f.organization_types, period.start, period.end};
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  // The Mordovia regulation (§7) item 6 counts management teams of educational organisations and the
  // specialists of municipal methodological services (ММС) side by side: a team is one unit
  // of its organisation, each ММС specialist one unit of the service.
  const bool took_part = f.fact == Fact::kTeamsAndMmsSpecialistsTookPart;
  absl::flat_hash_set<int64_t> trained;
  if (took_part) {
    for (const auto& c : in_.completions) {
      if (TookPart(c, period)) trained.insert(c.person_id);
    }
  }
  const std::vector<int> team_types = f.organization_types.empty() ? kDefaultTypes : f.organization_types;
  absl::flat_hash_set<int64_t> teams;
  auto team_member = [&](int64_t person, int64_t org) {
    if (took_part && !trained.contains(person)) return;
    auto o = orgs_.find(org);
    if (o == orgs_.end() || o->second->type == kOrgMunicipalService) return;
    if (std::find(team_types.begin(), team_types.end(), o->second->type) == team_types.end()) return;
    teams.insert(org);
  };
  for (const auto& m : in_.management) {
    if (ActiveAt(m.start, m.end, ref_)) team_member(m.person_id, m.organization_id);
  }
  absl::flat_hash_map<int64_t, int64_t> per_org;
  for (const auto* t : teachers_) {
    if (t->management_role > 0 || EffectiveCategory(*t) == kCategoryManager) team_member(t->person_id, t->organization_id);
    auto o = orgs_.find(t->organization_id);
    if (o != orgs_.end() && o->second->type == kOrgMunicipalService && EffectiveCategory(*t) != kCategoryOther &&
        (!took_part || trained.contains(t->person_id))) {
      ++per_org[t->organization_id];
    }
  }
  for (int64_t org : teams) ++per_org[org];
  return cache_.emplace(std::move(key), std::move(per_org)).first->second;
}

bool FactCounter::OrgInScope(int64_t org_id, const Scope& s, const std::vector<int>& types) const {
  auto it = orgs_.find(org_id);
  if (it == orgs_.end()) return false;
  const OrgRec& o = *it->second;
  const auto& ts = types.empty() ? kDefaultTypes : types;
  if (std::find(ts.begin(), ts.end(), o.type) == ts.end()) return false;
  switch (s.level) {
    case ScopeLevel::kDistrict: return o.district_id == s.id;
    case ScopeLevel::kMunicipality: return o.municipality_id == s.id;
    case ScopeLevel::kOrganization: return o.id == s.id;
    default: return true;
  }
}

bool FactCounter::PersonInScope(int64_t person_id, const Scope& s, const std::vector<int>& types) const {
  auto it = person_org_.find(person_id);
  return it != person_org_.end() && OrgInScope(it->second, s, types);
}

bool FactCounter::OrgMatches(int64_t org_id, const Scope& s) const {
  if (s.level == ScopeLevel::kRegion || s.level == ScopeLevel::kUnspecified) return true;
  auto o = orgs_.find(org_id);
  if (o == orgs_.end()) return false;
  const OrgRec& r = *o->second;
  return (s.level == ScopeLevel::kDistrict && r.district_id == s.id) ||
         (s.level == ScopeLevel::kMunicipality && r.municipality_id == s.id) ||
         (s.level == ScopeLevel::kOrganization && r.id == s.id);
}

int64_t FactCounter::Count(const Scope& s, const FactRef& f, const DateRange& period) const {
  if (f.fact == Fact::kRegionalMethodists) {
    // Distinct methodists do not add up across organisations: bucket the sets per
    // organisation once, then unite the buckets of the scope.
    auto it = methodists_.find(f.organization_types);
    if (it == methodists_.end()) {
      absl::flat_hash_map<int64_t, absl::flat_hash_set<int64_t>> by_org;
      for (const auto& a : in_.assignments) {
        if (a.role != 1 || !ActiveAt(a.start, a.end, ref_)) continue;
        auto po = person_org_.find(a.teacher_id);
        if (po == person_org_.end() || !OrgInScope(po->second, Scope{}, f.organization_types)) continue;
        by_org[po->second].insert(a.methodist_id);
      }
      it = methodists_.emplace(f.organization_types, std::move(by_org)).first;
    }
    absl::flat_hash_set<int64_t> all;
    for (const auto& [org, set] : it->second) {
      if (OrgMatches(org, s)) all.insert(set.begin(), set.end());
    }
    return static_cast<int64_t>(all.size());
  }
  if (f.fact == Fact::kTeamsAndMmsSpecialists || f.fact == Fact::kTeamsAndMmsSpecialistsTookPart) {
    int64_t n = 0;
    for (const auto& [org, count] : TeamsAndMms(f, period)) {
      if (OrgMatches(org, s)) n += count;
    }
    return n;
  }
  switch (f.fact) {
    case Fact::kConstantOne:
    case Fact::kAttestation:
    case Fact::kUnspecified:
    case Fact::kCnppmStaff:
    case Fact::kCnppmStaffFederallyTrained:
    case Fact::kRegionalEvents:
      return Collect(s, f, period, nullptr);
    default:
      break;
  }
  // Distinct people or organisations, counted once per organisation over the whole region and
  // cached, so any number of scopes (drill-down) costs one pass per (fact, types, period).
  CacheKey key{static_cast<int>(f.fact), f.organization_types, period.start, period.end};
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    bool by_org = false;
    absl::flat_hash_set<int64_t> ids;
    Collect(Scope{}, f, period, &ids, &by_org);
    absl::flat_hash_map<int64_t, int64_t> per_org;
    for (int64_t id : ids) {
      if (by_org) {
        ++per_org[id];
      } else {
        auto po = person_org_.find(id);
        if (po != person_org_.end()) ++per_org[po->second];
      }
    }
    it = cache_.emplace(std::move(key), std::move(per_org)).first;
  }
  if (s.level == ScopeLevel::kRegion || s.level == ScopeLevel::kUnspecified) {
    int64_t n = 0;
    for (const auto& [org, count] : it->second) n += count;
    return n;
  }
  int64_t n = 0;
  for (const auto& [org, count] : it->second) {
    if (OrgMatches(org, s)) n += count;
  }
  return n;
}

int64_t FactCounter::Collect(const Scope& s, const FactRef& f, const DateRange& period, absl::flat_hash_set<int64_t>* out,
                             bool* by_org) const {
  const auto& types = f.organization_types;
  absl::flat_hash_set<int64_t> local;
  absl::flat_hash_set<int64_t>& ids = out != nullptr ? *out : local;  // distinct people or organisations
  bool org_fact = false;
  const bool pedagogical_only = PedagogicalOnly(f.fact);
  auto person = [&](int64_t id) {
    auto cat = person_cat_.find(id);
    if (cat == person_cat_.end() || cat->second == kCategoryOther) return;
    if (pedagogical_only && cat->second != kCategoryPedagogical) return;
    if (PersonInScope(id, s, types)) ids.insert(id);
  };
  auto org = [&](int64_t id) {
    org_fact = true;
    if (OrgInScope(id, s, types)) ids.insert(id);
  };
  switch (f.fact) {
    case Fact::kConstantOne: return 1;
    case Fact::kAttestation:
    case Fact::kUnspecified: return 0;
    case Fact::kTeachers:
    case Fact::kPedagogicalWorkers:
      for (const auto* t : teachers_) person(t->person_id);
      break;
    case Fact::kTeamsAndMmsSpecialists:
    case Fact::kTeamsAndMmsSpecialistsTookPart:
      return 0;  // counted per organisation in Count()
    case Fact::kTeachersAssignedToRegionalMethodist:
      for (const auto& a : in_.assignments) {
        if (a.role == kRoleRegionalMethodist && ActiveAt(a.start, a.end, ref_)) person(a.teacher_id);
      }
      break;
    case Fact::kTeachersDiagnosed:
      for (const auto& d : in_.diagnoses) {
        if (InRange(d.date, period)) person(d.person_id);
      }
      break;
    case Fact::kTeachersDiagnosedBasicOrAbove: {
      // The latest FINAL result in the period decides the person's level.
      absl::flat_hash_map<int64_t, const DiagnosisRec*> latest;
      for (const auto& d : in_.diagnoses) {
        if (!InRange(d.date, period)) continue;
        auto& slot = latest[d.person_id];
        if (slot == nullptr || slot->date < d.date) slot = &d;
      }
      for (const auto& [id, d] : latest) {
        if (IsBasicOrAbove(d->level)) person(id);
      }
      break;
    }
    case Fact::kTeachersWithRoute:
      for (const auto& r : in_.routes) {
        if (r.from_diagnostics && r.status != kRouteDraft && r.status != kRouteCancelled && r.created <= ref_) {
          person(r.person_id);
        }
      }
      break;
    case Fact::kTeachersRouteCompleted:
      // Of the routes built from diagnostics, those completed (successfully) in the period.
      for (const auto& r : in_.routes) {
        if (r.from_diagnostics && r.status == kRouteCompleted && r.created <= ref_ && InRange(r.completed, period) &&
            *r.completed <= ref_) {
          person(r.person_id);
        }
      }
      break;
    case Fact::kTeachersCompletedFrDpp:
    case Fact::kTeachersCompletedFrDppFromDiagnostics:
      for (const auto& c : in_.completions) {
        if (!c.federal_registry || !c.attestation_passed || !InRange(c.end_date, period)) continue;
        if (f.fact == Fact::kTeachersCompletedFrDppFromDiagnostics && !c.chosen_from_diagnostics) continue;
        person(c.person_id);
      }
      break;
    case Fact::kManagementTeams:
    case Fact::kManagementTeamsTrained:
    case Fact::kManagementTeamsTookPart:
    case Fact::kManagementTeamsTrainedQualityManagement: {
      // Team members at the reference date: recorded memberships plus the directory's
      // management_role of people placed in the organisation.
      absl::flat_hash_map<int64_t, int64_t> member_org;
      std::vector<std::pair<int64_t, int64_t>> members;  // person, org
      for (const auto& m : in_.management) {
        if (ActiveAt(m.start, m.end, ref_)) members.emplace_back(m.person_id, m.organization_id);
      }
      for (const auto* t : teachers_) {
        if (t->management_role > 0 || EffectiveCategory(*t) == kCategoryManager) {
          members.emplace_back(t->person_id, t->organization_id);
        }
      }
      if (f.fact == Fact::kManagementTeams) {
        for (const auto& [p, o] : members) org(o);
        break;
      }
      absl::flat_hash_set<int64_t> trained;
      for (const auto& c : in_.completions) {
        if (f.fact == Fact::kManagementTeamsTookPart) {
          if (TookPart(c, period)) trained.insert(c.person_id);
          continue;
        }
        if (!c.attestation_passed || !InRange(c.end_date, period)) continue;
        if (f.fact == Fact::kManagementTeamsTrainedQualityManagement && !c.quality_management) continue;
        trained.insert(c.person_id);
      }
      for (const auto& [p, o] : members) {
        if (trained.contains(p)) org(o);
      }
      break;
    }
    case Fact::kRegionalMethodists: {
      // Distinct regional methodists with an active assignment to a teacher in the scope.
      absl::flat_hash_set<int64_t> methodists;
      for (const auto& a : in_.assignments) {
        if (a.role == kRoleRegionalMethodist && ActiveAt(a.start, a.end, ref_) && PersonInScope(a.teacher_id, s, types)) {
          methodists.insert(a.methodist_id);
        }
      }
      return static_cast<int64_t>(methodists.size());
    }
    case Fact::kYoungTeachers:
    case Fact::kYoungTeachersSupported: {
      absl::flat_hash_set<int64_t> supported;
      if (f.fact == Fact::kYoungTeachersSupported) {
        for (const auto& m : in_.support_measures) {
          if (ActiveAt(m.start, m.end, ref_)) supported.insert(m.person_id);
        }
        for (const auto& m : in_.mentees) {
          if (ActiveAt(m.start, m.end, ref_)) supported.insert(m.person_id);
        }
        // An ИОМ in force (approved, in progress; a completed one until its completion) is
        // support too, as YoungTeacherService counts its derived ROUTE measures.
        for (const auto& r : in_.routes) {
          if (r.status < kRouteApproved || r.status > kRouteCompleted) continue;
          OptDay end = r.status == kRouteCompleted ? OptDay(r.completed.value_or(r.created)) : std::nullopt;
          if (ActiveAt(r.created, end, ref_)) supported.insert(r.person_id);
        }
      }
      for (const auto* t : teachers_) {
        if (!InYoungCohort(t->birth_date, t->work_start_date, ref_, in_.young_age_limit, in_.young_years_limit)) continue;
        if (f.fact == Fact::kYoungTeachersSupported && !supported.contains(t->person_id)) continue;
        person(t->person_id);
      }
      break;
    }
    case Fact::kOrganizations:
      for (const auto& o : in_.organizations) org(o.id);
      break;
    case Fact::kOrganizationsWithMentoringProgramme:
      for (const auto& m : in_.mentoring_programmes) {
        if (SpanCounts(m.start, m.end, period)) org(m.organization_id);
      }
      break;
    case Fact::kOrganizationsInManagementMentoring:
    case Fact::kOrganizationsInInternshipPlatforms:
      for (const auto& m : in_.internship_orgs) {
        if (SpanCounts(m.start, m.end, period)) org(m.organization_id);
      }
      if (f.fact == Fact::kOrganizationsInManagementMentoring) {
        for (const auto& m : in_.management_mentoring_orgs) {
          if (SpanCounts(m.start, m.end, period)) org(m.organization_id);
        }
      }
      break;
    case Fact::kTeachersInCommunities:
      // Regional and municipal associations and communities (Sakhalin order §6.3 item 4); school ones do not count.
      for (const auto& m : in_.communities) {
        if ((m.level == 1 || m.level == 2) && SpanCounts(m.start, m.end, period)) person(m.person_id);
      }
      break;
    case Fact::kTeachersInExpertActivity:
      for (const auto& m : in_.expert) {
        if (Overlaps(m.start, m.end, period)) person(m.person_id);
      }
      break;
    case Fact::kCnppmStaff:
    case Fact::kCnppmStaffFederallyTrained: {
      // Regional facts: the staff of the region's ЦНППМ, whatever the scope.
      int64_t n = 0;
      for (const auto& st : in_.cnppm_staff) {
        if (!ActiveAt(st.start, st.end, ref_)) continue;
        if (f.fact == Fact::kCnppmStaffFederallyTrained &&
            (!st.federally_trained || (st.federal_training_date.has_value() && *st.federal_training_date > ref_))) {
          continue;
        }
        ++n;
      }
      return n;
    }
    case Fact::kRegionalEvents: {
      int64_t n = 0;
      for (const auto& e : in_.events) {
        if (e.level == 1 && InRange(e.start, period) && *e.start <= ref_) ++n;  // regional level only
      }
      return n;
    }
  }
  if (by_org != nullptr) {
    *by_org = org_fact || f.fact == Fact::kOrganizations || f.fact == Fact::kManagementTeams ||
              f.fact == Fact::kManagementTeamsTrained || f.fact == Fact::kManagementTeamsTrainedQualityManagement ||
              f.fact == Fact::kManagementTeamsTookPart ||
              f.fact == Fact::kOrganizationsWithMentoringProgramme ||
              f.fact == Fact::kOrganizationsInManagementMentoring || f.fact == Fact::kOrganizationsInInternshipPlatforms;
  }
  return static_cast<int64_t>(ids.size());
}

}  // namespace nms::monitoring
