// MentoringService: matching proposals (propose, read, apply, discard) and constraints.
#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/mentoring/matching.h"
#include "server/domain/mentoring/scope_overlap.h"
#include "server/services/convert.h"
#include "server/services/mentoring_service.h"
#include "server/services/mentoring_support.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::MentoringRepository;
namespace v1 = nms::v1;
namespace ms = mentoring_support;

namespace {

constexpr int kDefaultPairsPage = 1000;
constexpr int kMaxPairsPage = 5000;
constexpr int kMaxCreatedListed = 1000;

const char* AreaTitle(int area) {
  switch (area) {
    case 1: return "предметные компетенции";
    case 2: return "методические компетенции";
    case 3: return "психолого-педагогические компетенции";
    case 4: return "коммуникативные компетенции";
    case 5: return "цифровые компетенции";
  }
  return "область компетенций";
}

// Indicator codes as they are; the matcher's "area:N" tags as the area's Russian title.
std::string DeficitText(const std::string& tag) {
  int area = 0;
  if (absl::StartsWith(tag, "area:") && absl::SimpleAtoi(tag.substr(5), &area)) return AreaTitle(area);
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

absl::Status ValidOptions(const v1::MatchingOptions& o) {
  RETURN_IF_ERROR(ms::ValidEnums(o.pair_types(), v1::PairType_descriptor(), "options.pair_types"));
  if (o.max_candidates_per_mentee() < 0 || o.max_candidates_per_mentee() > 200) {
    return absl::InvalidArgumentError("Поле options.max_candidates_per_mentee: от 1 до 200 (0 — по умолчанию 30)");
  }
  return absl::OkStatus();
}

bool Available(const Repo::MatchingMentor& m, absl::CivilDay today) {
  if (!m.accepting) return false;
  if (m.available_from && today < *m.available_from) return false;
  if (m.available_until && *m.available_until < today) return false;
  return true;
}

// Fills the first page of pairs and unmatched mentees of a proposal.
void FillPage(sql::Connection& c, int64_t id, int from, int count, v1::MatchingProposal* out) {
  out->clear_pairs();
  out->clear_unmatched();
  bool more = false;
  Repo::LoadProposalPage(c, id, from, count, out, &more);
  out->set_next_page_token(more ? mentoring::EncodePageToken(static_cast<int64_t>(from) + count) : "");
}

// Loads a proposal and checks the caller may run matching over its scope.
absl::StatusOr<Repo::ProposalRow> LoadProposal(sql::Connection& c, const Principal& p, int64_t id, bool for_update) {
  auto row = Repo::GetProposal(c, id, for_update);
  if (!row.ok()) {
    RETURN_IF_ERROR(CheckAccess(p, Action::kRunMatching, absl::StatusOr<Placement>(row.status())));
    return row.status();
  }
  RETURN_IF_ERROR(ResolveListScope(c, p, Action::kRunMatching, row->proposal.scope(), "name").status());
  return row;
}

bool InScope(const db::ScopeFilter& s, const db::EntityPlace& e) {
  switch (s.kind) {
    case db::ScopeFilter::Kind::kRegion: return e.placement.region_id == s.id;
    case db::ScopeFilter::Kind::kDistrict: return e.district_id == s.id;
    case db::ScopeFilter::Kind::kMunicipality: return e.placement.municipality_id == s.id;
    case db::ScopeFilter::Kind::kOrganization: return e.placement.organization_id == s.id;
    case db::ScopeFilter::Kind::kPerson: return e.placement.person_id == s.id;
  }
  return false;
}

}  // namespace

grpc::Status MentoringServiceImpl::ProposeMatching(grpc::ServerContext* ctx, const v1::ProposeMatchingRequest* req,
                                                   v1::ProposeMatchingResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ProposeMatching", [&](const Principal& p) -> absl::Status {
    v1::MatchingOptions options = req->options();
    RETURN_IF_ERROR(ValidOptions(options));
    if (options.max_candidates_per_mentee() == 0) options.set_max_candidates_per_mentee(30);
    return db::IdempotentWrite(pool_, p.account_id, "ProposeMatching", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(ms::RunScope scope, ms::ResolveRunScope(c, p, Action::kRunMatching, req->scope(), "scope"));
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
      mo.threads = 2;
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
        db::WriteAudit(c, p.account_id, "SupersedeMatchingProposal", old.proposal.name(), nullptr, &old.proposal);
      }
      const int64_t id = Repo::InsertProposal(c, region, scope.name, scope.place, options, stats, p.person_id, p.account_id);
      Repo::InsertProposalPairs(c, id, pairs);
      Repo::InsertProposalUnmatched(c, id, unmatched);
      ASSIGN_OR_RETURN(Repo::ProposalRow row, Repo::GetProposal(c, id));
      db::WriteAudit(c, p.account_id, "ProposeMatching", row.proposal.name(), nullptr, &row.proposal);
      *resp->mutable_proposal() = row.proposal;
      FillPage(c, id, 0, kDefaultPairsPage, resp->mutable_proposal());
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::GetMatchingProposal(grpc::ServerContext* ctx,
                                                       const v1::GetMatchingProposalRequest* req,
                                                       v1::GetMatchingProposalResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMatchingProposal", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "matchingProposals", "name"));
      const int size = PageSize(req->page_size(), kDefaultPairsPage, kMaxPairsPage);
      ASSIGN_OR_RETURN(int64_t from, mentoring::DecodePageToken(req->page_token()));
      if (from > std::numeric_limits<int>::max() - kMaxPairsPage) {
        return absl::InvalidArgumentError("Поле page_token: неверный токен страницы");
      }
      ASSIGN_OR_RETURN(Repo::ProposalRow row, LoadProposal(c, p, id, false));
      *resp->mutable_proposal() = row.proposal;
      FillPage(c, id, static_cast<int>(from), size, resp->mutable_proposal());
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMatchingProposals(grpc::ServerContext* ctx,
                                                         const v1::ListMatchingProposalsRequest* req,
                                                         v1::ListMatchingProposalsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMatchingProposals", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto filter, mentoring::ParseFilter(req->filter(), {"scope", "state"}));
      ASSIGN_OR_RETURN(db::ListPage page, ms::PageOf(req->page_size(), req->page_token()));
      ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kRunMatching, "", "filter"));
      std::vector<v1::MatchingProposal> out;
      int64_t next = 0, total = 0;
      RETURN_IF_ERROR(Repo::ListProposals(c, scope, filter, page, &out, &next, &total));
      for (auto& x : out) *resp->add_proposals() = std::move(x);
      resp->set_next_page_token(mentoring::EncodePageToken(next));
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ApplyMatchingProposal(grpc::ServerContext* ctx,
                                                         const v1::ApplyMatchingProposalRequest* req,
                                                         v1::ApplyMatchingProposalResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ApplyMatchingProposal", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "matchingProposals", "name"));
    if (req->pair_indices_size() > 100000) return absl::InvalidArgumentError("Поле pair_indices: слишком много значений");
    return db::IdempotentWrite(pool_, p.account_id, "ApplyMatchingProposal", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(Repo::ProposalRow row, LoadProposal(c, p, id, true));
      RETURN_IF_ERROR(CheckVersion(req->version(), row.proposal.version()));
      if (row.proposal.state() != v1::MATCHING_PROPOSAL_STATE_OPEN) {
        return absl::FailedPreconditionError(
            "Предложение уже применено, отклонено или заменено более новым подбором; пересчитайте подбор");
      }
      const std::vector<Repo::StoredPair> all = Repo::LoadProposalPairs(c, id);
      std::vector<const Repo::StoredPair*> chosen;
      if (req->pair_indices().empty()) {
        for (const auto& sp : all) {
          if (sp.kept_pair_id == 0) chosen.push_back(&sp);
        }
      } else {
        std::vector<bool> taken(all.size(), false);
        for (int idx : req->pair_indices()) {
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
      int created = 0;
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
          ms::RecordPairChange(c, p.account_id, "ReleaseMentoringPair", row.region_id, &old.pair, after.pair);
        }
        v1::PairExplanation x;
        (void)x.ParseFromString(sp->explanation);
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
        ms::RecordPairChange(c, p.account_id, "ApplyMatchingProposal", row.region_id, nullptr, pair.pair);
        if (created < kMaxCreatedListed) *resp->add_pairs() = pair.pair;
        ++created;
      }
      resp->set_created_count(created);
      Repo::SetProposalState(c, id, v1::MATCHING_PROPOSAL_STATE_APPLIED);
      ASSIGN_OR_RETURN(Repo::ProposalRow after, Repo::GetProposal(c, id));
      db::WriteAudit(c, p.account_id, "ApplyMatchingProposal", after.proposal.name(), &row.proposal, &after.proposal);
      *resp->mutable_proposal() = after.proposal;
      FillPage(c, id, 0, kDefaultPairsPage, resp->mutable_proposal());
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::DiscardMatchingProposal(grpc::ServerContext* ctx,
                                                           const v1::DiscardMatchingProposalRequest* req,
                                                           v1::DiscardMatchingProposalResponse* resp) {
  return Run(ctx, authn_, "MentoringService/DiscardMatchingProposal", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "matchingProposals", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DiscardMatchingProposal", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Repo::ProposalRow row, LoadProposal(c, p, id, true));
      RETURN_IF_ERROR(CheckVersion(req->version(), row.proposal.version()));
      if (row.proposal.state() != v1::MATCHING_PROPOSAL_STATE_OPEN) {
        return absl::FailedPreconditionError("Отклонить можно только открытое предложение подбора");
      }
      Repo::SetProposalState(c, id, v1::MATCHING_PROPOSAL_STATE_DISCARDED);
      ASSIGN_OR_RETURN(Repo::ProposalRow after, Repo::GetProposal(c, id));
      db::WriteAudit(c, p.account_id, "DiscardMatchingProposal", after.proposal.name(), &row.proposal, &after.proposal);
      *resp->mutable_proposal() = after.proposal;
      FillPage(c, id, 0, kDefaultPairsPage, resp->mutable_proposal());
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- constraints

grpc::Status MentoringServiceImpl::CreateMatchingConstraint(grpc::ServerContext* ctx,
                                                            const v1::CreateMatchingConstraintRequest* req,
                                                            v1::CreateMatchingConstraintResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMatchingConstraint", [&](const Principal& p) -> absl::Status {
    const v1::MatchingConstraint& in = req->constraint();
    RETURN_IF_ERROR(ms::ValidEnum(in.kind(), v1::MatchingConstraintKind_descriptor(), "constraint.kind", false));
    ASSIGN_OR_RETURN(int64_t profile_id, ParseResourceName(in.mentor_profile(), "mentorProfiles", "constraint.mentor_profile"));
    ASSIGN_OR_RETURN(db::EntityRef mentee, ms::ParseEntity(in.mentee(), "constraint.mentee"));
    RETURN_IF_ERROR(ms::OptionalText(in.reason(), "constraint.reason"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMatchingConstraint", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(ms::RunScope scope, ms::ResolveRunScope(c, p, Action::kRunMatching, in.scope(), "constraint.scope"));
      auto profile = Repo::GetProfile(c, profile_id);
      if (!profile.ok() || profile->region_id != scope.place.region_id) {
        return absl::NotFoundError(absl::StrCat("Профиль наставника ", in.mentor_profile(), " не найден в регионе"));
      }
      auto place = Repo::PlaceEntity(c, mentee);
      if (!place.ok() || !InScope(scope.filter, *place)) {
        return absl::InvalidArgumentError("Поле constraint.mentee: наставляемый вне территории ограничения");
      }
      if (profile->mentor == mentee) {
        return absl::InvalidArgumentError("Поле constraint.mentee: наставник и наставляемый совпадают");
      }
      if (profile->mentor.organization != mentee.organization) {
        return absl::InvalidArgumentError("Поле constraint.mentee: организацию сопоставляют с организацией, педагога — с педагогом");
      }
      const int64_t id = Repo::InsertConstraint(c, scope.place.region_id, in.kind(), profile_id, mentee, scope.name,
                                                in.reason(), p.person_id, p.account_id);
      ASSIGN_OR_RETURN(Repo::ConstraintRow row, Repo::GetConstraint(c, id));
      *resp->mutable_constraint() = row.constraint;
      db::WriteAudit(c, p.account_id, "CreateMatchingConstraint", row.constraint.name(), nullptr, &row.constraint);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMatchingConstraints(grpc::ServerContext* ctx,
                                                           const v1::ListMatchingConstraintsRequest* req,
                                                           v1::ListMatchingConstraintsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMatchingConstraints", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto filter, mentoring::ParseFilter(req->filter(), {"kind", "mentor_profile", "mentee", "scope"}));
      ASSIGN_OR_RETURN(db::ListPage page, ms::PageOf(req->page_size(), req->page_token()));
      ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kRunMatching, "", "filter"));
      std::vector<v1::MatchingConstraint> out;
      int64_t next = 0, total = 0;
      RETURN_IF_ERROR(Repo::ListConstraints(c, scope, filter, page, &out, &next, &total));
      for (auto& x : out) *resp->add_constraints() = std::move(x);
      resp->set_next_page_token(mentoring::EncodePageToken(next));
      resp->set_total_size(total);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::DeleteMatchingConstraint(grpc::ServerContext* ctx,
                                                            const v1::DeleteMatchingConstraintRequest* req,
                                                            v1::DeleteMatchingConstraintResponse* resp) {
  return Run(ctx, authn_, "MentoringService/DeleteMatchingConstraint", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "matchingConstraints", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteMatchingConstraint", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto row = Repo::GetConstraint(c, id, true);
      if (!row.ok()) return CheckAccess(p, Action::kRunMatching, absl::StatusOr<Placement>(row.status()));
      RETURN_IF_ERROR(ResolveListScope(c, p, Action::kRunMatching, row->constraint.scope(), "name").status());
      RETURN_IF_ERROR(CheckVersion(req->version(), row->constraint.version()));
      Repo::DeleteConstraint(c, id);
      db::WriteAudit(c, p.account_id, "DeleteMatchingConstraint", row->constraint.name(), &row->constraint, nullptr);
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
