#include "server/services/mentoring_operations.h"
#include "server/db/stored_proto.h"

#include <algorithm>
#include <limits>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/sql.h"
#include "server/domain/mentoring/auto_requests.h"
#include "server/domain/mentoring/matching.h"
#include "server/domain/mentoring/scope_overlap.h"
#include "server/domain/route/titles.h"
#include "server/domain/young/cohort.h"
#include "server/services/convert.h"

namespace nms::services {

using Repo = db::MentoringRepository;
namespace v1 = nms::v1;
namespace ms = mentoring_support;

namespace {

// Indicator codes as they are; the matcher's "area:N" tags as the area's Russian title.
std::string DeficitText(const std::string& tag) {
  int area = 0;
  if (absl::StartsWith(tag, "area:") && absl::SimpleAtoi(tag.substr(5), &area)) return route::AreaTitle(area);
  return tag;
}

v1::PairExplanation ExplanationToProto(const mentoring::Explanation& e) {
  v1::PairExplanation out;
  out.set_subject_match(e.subject_match);
  for (const auto& s : e.shared_subjects) out.add_shared_subjects(s);
  for (const auto& d : e.covered_deficits) out.add_covered_deficit_codes(DeficitText(d));
  for (const auto& d : e.uncovered_deficits) out.add_uncovered_deficit_codes(DeficitText(d));
  out.set_distance(static_cast<v1::PairDistance>(e.distance));
  out.set_mentor_load_before(e.mentor_load_before);
  out.set_mentor_load_after(e.mentor_load_after);
  out.set_mentor_capacity(e.mentor_capacity);
  out.set_summary(e.summary);
  return out;
}

bool Available(const Repo::MatchingMentor& m, absl::CivilDay today) {
  if (!m.accepting) return false;
  if (m.available_from && today < *m.available_from) return false;
  if (m.available_until && *m.available_until < today) return false;
  return true;
}

}  // namespace

absl::StatusOr<v1::SyncAutoRequestsResponse> SyncAutoRequestsIn(sql::Connection& c, const ms::RunScope& scope,
                                                                 absl::CivilDay ref, int64_t account_id) {
  const auto [age, years] = Repo::YoungLimits(c, scope.place.region_id);
  Repo::AutoFacts facts = Repo::LoadAutoFacts(c, scope.filter, ref, age, years);
  std::vector<mentoring::AutoPerson> people;
  absl::flat_hash_map<int64_t, const Repo::AutoCandidate*> candidate;
  for (const auto& a : facts.people) {
    people.push_back({a.person_id, young::InYoungCohort(a.birth_date, a.work_start_date, ref, age, years),
                      a.has_live_pair, a.has_manual_request});
    candidate[a.person_id] = &a;
  }
  for (const auto& [id, a] : facts.route_people) {
    if (candidate.contains(id)) continue;
    people.push_back({id, young::InYoungCohort(a.birth_date, a.work_start_date, ref, age, years), a.has_live_pair,
                      a.has_manual_request});
    candidate[id] = &a;
  }
  const mentoring::AutoPlan plan = mentoring::PlanAutoRequests(people, facts.route_items, facts.existing);
  auto create = [&](int64_t person, int pair_type, const std::string& route_item, const std::string& key,
                    const char* note) -> absl::Status {
    const Repo::AutoCandidate& a = *candidate.at(person);
    v1::MenteeRequest r;
    r.set_pair_type(static_cast<v1::PairType>(pair_type));
    for (const auto& s : a.subjects) r.add_subjects(s);
    r.set_route_item(route_item);
    // A route item names the deficits it is to close; otherwise the latest diagnosis does.
    if (auto codes = facts.route_item_codes.find(route_item); codes != facts.route_item_codes.end()) {
      for (const auto& code : codes->second) r.add_deficit_indicator_codes(code);
    }
    r.set_note(note);
    const db::EntityRef mentee{false, person};
    RETURN_IF_ERROR(ms::FillFromRecord(c, mentee, &r));
    const int source = route_item.empty() ? v1::MENTEE_REQUEST_SOURCE_AUTO_YOUNG_TEACHER
                                          : v1::MENTEE_REQUEST_SOURCE_AUTO_ROUTE;
    const int64_t id = Repo::InsertRequest(c, a.region_id, mentee, r, source, key, account_id);
    ASSIGN_OR_RETURN(Repo::RequestRow row, Repo::GetRequest(c, id));
    db::WriteAudit(c, account_id, "SyncAutoRequests", row.request.name(), nullptr, &row.request);
    return absl::OkStatus();
  };
  v1::SyncAutoRequestsResponse out;
  for (int64_t person : plan.create_young) {
    RETURN_IF_ERROR(create(person, v1::PAIR_TYPE_YOUNG_SPECIALIST, "", absl::StrCat("young:", person),
                           "Автоматически: молодой педагог без наставника"));
    out.set_created_young_teacher(out.created_young_teacher() + 1);
  }
  for (const auto& item : plan.create_route) {
    RETURN_IF_ERROR(create(item.person_id, item.young ? v1::PAIR_TYPE_YOUNG_SPECIALIST : v1::PAIR_TYPE_COMPETENCY_PEER,
                           item.route_item, absl::StrCat("route:", item.route_item),
                           "Автоматически: пункт ИОМ «с наставником»"));
    out.set_created_route(out.created_route() + 1);
  }
  for (const auto& close : plan.close) {
    ASSIGN_OR_RETURN(Repo::RequestRow before, Repo::GetRequest(c, close.request_id, true));
    Repo::SetRequestState(c, close.request_id, v1::MENTEE_REQUEST_STATUS_CANCELLED, 0,
                          absl::StrCat("Закрыта автоматически: ", close.reason));
    ASSIGN_OR_RETURN(Repo::RequestRow after, Repo::GetRequest(c, close.request_id));
    db::WriteAudit(c, account_id, "SyncAutoRequests", after.request.name(), &before.request, &after.request);
  }
  out.set_closed(static_cast<int>(plan.close.size()));
  out.set_unchanged(plan.unchanged);
  return out;
}

absl::StatusOr<int64_t> ProposeIn(sql::Connection& c, const ms::RunScope& scope, const v1::MatchingOptions& options,
                                  int64_t person_id, int64_t account_id, ParallelRunner& parallel) {
  const int64_t region = scope.place.region_id;
  const mentoring::EligibilityRule rule = Repo::GetSettings(c, region).rule;
  std::vector<int> types(options.pair_types().begin(), options.pair_types().end());
  Repo::MatchingInput in = Repo::LoadMatchingInput(c, region, scope.filter, types, options.replace_pending_pairs());

  // Eligibility changes as dates pass and diagnoses arrive: evaluated afresh for the run
  // and stored where it changed.
  const absl::CivilDay today = TodayInRegion();
  const absl::Time now = absl::Now();
  std::vector<mentoring::Mentor> mentors;
  for (const auto& mm : in.mentors) {
    const mentoring::Eligibility e = mentoring::EvaluateEligibility(rule, mm.facts, today);
    if (!(e == ms::EligibilityFromProto(mm.stored))) Repo::SetEligibility(c, mm.mentor.id, ms::EligibilityToProto(e, now));
    if (e.eligible && Available(mm, today)) mentors.push_back(mm.mentor);
  }
  mentoring::MatchingOptions mo;
  mo.max_candidates_per_mentee = options.max_candidates_per_mentee();
  mo.allow_cross_municipality = options.allow_cross_municipality();
  mo.parallel = &parallel;
  const size_t considered = in.mentees.size();
  const size_t eligible = mentors.size();
  const absl::Time t0 = absl::Now();
  const mentoring::MatchingResult result = mentoring::Match(std::move(mentors), in.mentees, in.forbidden, in.pins, mo);
  const int64_t millis = absl::ToInt64Milliseconds(absl::Now() - t0);

  // Proposed and kept pairs, ordered by mentee request (kept pairs without one last).
  struct Entry {
    int64_t order;
    Repo::StoredPair pair;
  };
  std::vector<Entry> entries;
  for (const auto& mp : result.pairs) {
    Repo::StoredPair sp;
    sp.profile_id = mp.mentor_id;
    sp.request_id = mp.mentee_id;
    sp.pair_type = mp.pair_type;
    sp.cost = mp.cost;
    sp.pinned = mp.pinned;
    auto rel = in.released.find(mp.mentee_id);
    if (rel != in.released.end()) sp.released_pair_id = rel->second;
    sp.explanation = ExplanationToProto(mp.explanation).SerializeAsString();
    entries.push_back({mp.mentee_id, std::move(sp)});
  }
  for (const auto& k : in.kept) {
    Repo::StoredPair sp;
    sp.profile_id = k.profile_id;
    sp.request_id = k.request_id;
    sp.pair_type = k.pair_type;
    sp.kept_pair_id = k.pair_id;
    sp.explanation = k.explanation;
    entries.push_back({k.request_id != 0 ? k.request_id : std::numeric_limits<int64_t>::max() / 2 + k.pair_id,
                       std::move(sp)});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.order < b.order; });
  std::vector<Repo::StoredPair> pairs;
  for (auto& e : entries) {
    e.pair.idx = static_cast<int>(pairs.size());
    pairs.push_back(std::move(e.pair));
  }
  std::vector<Repo::StoredUnmatched> unmatched;
  for (const auto& u : result.unmatched) {
    unmatched.push_back({static_cast<int>(unmatched.size()), u.mentee_id, static_cast<int>(u.reason), u.detail});
  }
  v1::MatchingStats stats;
  stats.set_mentees(static_cast<int>(considered));
  stats.set_mentors(static_cast<int>(eligible));
  stats.set_candidate_edges(result.candidate_edges);
  stats.set_matched(result.matched + static_cast<int>(in.kept.size()));
  stats.set_total_cost(result.total_cost);
  stats.set_compute_millis(millis);

  // A newer run over an overlapping scope makes older open proposals stale.
  for (const auto& [id, place] : Repo::OpenProposals(c, region)) {
    if (!mentoring::ScopesOverlap(place, scope.place)) continue;
    Repo::SetProposalState(c, id, v1::MATCHING_PROPOSAL_STATE_SUPERSEDED);
    ASSIGN_OR_RETURN(Repo::ProposalRow old, Repo::GetProposal(c, id));
    db::WriteAudit(c, account_id, "SupersedeMatchingProposal", old.proposal.name(), nullptr, &old.proposal);
  }
  const int64_t id = Repo::InsertProposal(c, region, scope.name, scope.place, options, stats, person_id, account_id);
  Repo::InsertProposalPairs(c, id, pairs);
  Repo::InsertProposalUnmatched(c, id, unmatched);
  return id;
}

absl::StatusOr<std::vector<v1::MentoringPair>> ApplyIn(sql::Connection& c, const Repo::ProposalRow& row,
                                                      const std::vector<int>& indices, int64_t account_id,
                                                      int max_listed, int* created) {
  const int64_t id = row.id;
  std::vector<v1::MentoringPair> out;
  if (row.proposal.state() != v1::MATCHING_PROPOSAL_STATE_OPEN) {
    return absl::FailedPreconditionError(
        "Предложение уже применено, отклонено или заменено более новым подбором; пересчитайте подбор");
  }
  const std::vector<Repo::StoredPair> all = Repo::LoadProposalPairs(c, id);
  std::vector<const Repo::StoredPair*> chosen;
  if (indices.empty()) {
    for (const auto& sp : all) {
      if (sp.kept_pair_id == 0) chosen.push_back(&sp);
    }
  } else {
    std::vector<bool> taken(all.size(), false);
    for (int idx : indices) {
      if (idx < 0 || idx >= static_cast<int>(all.size())) {
        return absl::InvalidArgumentError(absl::StrCat("Поле pair_indices: нет пары с номером ", idx));
      }
      // Kept pairs exist already; selecting them changes nothing.
      if (taken[idx] || all[idx].kept_pair_id != 0) continue;
      taken[idx] = true;
      chosen.push_back(&all[idx]);
    }
    std::sort(chosen.begin(), chosen.end(), [](const auto* a, const auto* b) { return a->idx < b->idx; });
  }
  // Everything is checked before anything is written: a proposal applies whole or not at all.
  std::vector<std::string> problems;
  std::map<int64_t, Repo::ProfileRow> profiles;
  std::map<int64_t, int> added, released_from;
  std::map<int64_t, Repo::RequestRow> requests;
  for (const auto* sp : chosen) {
    auto rq = Repo::GetRequest(c, sp->request_id, true);
    if (!rq.ok()) {
      problems.push_back(absl::StrCat("заявка menteeRequests/", sp->request_id, " удалена"));
      continue;
    }
    const auto status = rq->request.status();
    if (sp->released_pair_id != 0) {
      auto old = Repo::GetPair(c, sp->released_pair_id, true);
      if (!old.ok() || old->pair.status() != v1::MENTORING_PAIR_STATUS_PROPOSED || old->mentor_accepted ||
          old->mentee_accepted || rq->pair_id != sp->released_pair_id) {
        problems.push_back(absl::StrCat(rq->request.name(), ": прежнюю пару уже приняли или закрыли"));
      } else {
        ++released_from[old->profile_id];
      }
    } else if (status != v1::MENTEE_REQUEST_STATUS_OPEN) {
      problems.push_back(absl::StrCat(rq->request.name(), ": заявка уже не открыта"));
    }
    if (!profiles.contains(sp->profile_id)) {
      auto prof = Repo::GetProfile(c, sp->profile_id, true);
      if (!prof.ok()) {
        problems.push_back(absl::StrCat("профиль mentorProfiles/", sp->profile_id, " удалён"));
        continue;
      }
      profiles.emplace(sp->profile_id, *std::move(prof));
    }
    ++added[sp->profile_id];
    requests.emplace(sp->request_id, *std::move(rq));
  }
  for (const auto& [pid, prof] : profiles) {
    if (prof.profile.status() != v1::MENTOR_PROFILE_STATUS_ACTIVE) {
      problems.push_back(absl::StrCat(prof.profile.name(), ": наставник больше не участвует в подборе"));
    }
    const int load = prof.live_pairs - released_from[pid] + added[pid];
    if (load > prof.profile.capacity()) {
      problems.push_back(absl::StrCat(prof.profile.name(), ": превышена ёмкость наставника (", load, " из ",
                                      prof.profile.capacity(), ")"));
    }
  }
  if (!problems.empty()) {
    if (problems.size() > 5) problems.resize(5);
    return absl::FailedPreconditionError(absl::StrCat("Данные изменились после подбора: ",
                                                      absl::StrJoin(problems, "; "), ". Пересчитайте подбор"));
  }
  const absl::CivilDay today = TodayInRegion();
  *created = 0;
  for (const auto* sp : chosen) {
    const Repo::RequestRow& rq = requests.at(sp->request_id);
    const Repo::ProfileRow& prof = profiles.at(sp->profile_id);
    if (sp->released_pair_id != 0) {
      ASSIGN_OR_RETURN(Repo::PairRow old, Repo::GetPair(c, sp->released_pair_id));
      Repo::PairLifecycle l;
      l.status = v1::MENTORING_PAIR_STATUS_CANCELLED;
      l.close_reason = "Заменена новым подбором";
      l.ended = today;
      Repo::UpdatePairLifecycle(c, old.id, l);
      ASSIGN_OR_RETURN(Repo::PairRow after, Repo::GetPair(c, old.id));
      ms::RecordPairChange(c, account_id, "ReleaseMentoringPair", row.region_id, &old.pair, after.pair);
    }
    v1::PairExplanation x;
    db::ParseStoredBinary(sp->explanation, &x, "matching_proposal_pairs.explanation");
    Repo::NewPair np;
    np.region_id = row.region_id;
    np.profile_id = sp->profile_id;
    np.mentor = prof.mentor;
    np.mentee = rq.mentee;
    np.request_id = sp->request_id;
    np.pair_type = sp->pair_type;
    // The covered deficits that are indicator codes of the request (area titles are not).
    for (const auto& code : x.covered_deficit_codes()) {
      const auto& codes = rq.request.deficit_indicator_codes();
      if (std::find(codes.begin(), codes.end(), code) != codes.end()) np.indicator_codes.push_back(code);
    }
    np.subjects.assign(x.shared_subjects().begin(), x.shared_subjects().end());
    np.route_item = rq.request.route_item();
    np.proposal_id = id;
    np.explanation = sp->explanation;
    const int64_t pair_id = Repo::InsertPair(c, np);
    Repo::SetRequestState(c, sp->request_id, v1::MENTEE_REQUEST_STATUS_PROPOSED, pair_id, "");
    ASSIGN_OR_RETURN(Repo::PairRow pair, Repo::GetPair(c, pair_id));
    ms::RecordPairChange(c, account_id, "ApplyMatchingProposal", row.region_id, nullptr, pair.pair);
    if (*created < max_listed) out.push_back(pair.pair);
    ++*created;
  }
  Repo::SetProposalState(c, id, v1::MATCHING_PROPOSAL_STATE_APPLIED);
  return out;
}

}  // namespace nms::services
