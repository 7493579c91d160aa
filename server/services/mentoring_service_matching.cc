// MentoringService: matching proposals (propose, read, apply, discard) and constraints.
#include <algorithm>
#include <limits>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/mentoring/matching.h"
#include "server/domain/mentoring/scope_overlap.h"
#include "server/services/convert.h"
#include "server/services/mentoring_service.h"
#include "server/services/mentoring_operations.h"
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

absl::Status ValidOptions(const v1::MatchingOptions& o) {
  RETURN_IF_ERROR(ms::ValidEnums(o.pair_types(), v1::PairType_descriptor(), "options.pair_types"));
  if (o.max_candidates_per_mentee() < 0 || o.max_candidates_per_mentee() > 200) {
    return absl::InvalidArgumentError("Поле options.max_candidates_per_mentee: от 1 до 200 (0 — по умолчанию 30)");
  }
  return absl::OkStatus();
}

// The paging of GetMatchingProposal: every answer that carries a proposal hands out tokens that
// GetMatchingProposal of that proposal continues (the token holds the offset).
absl::StatusOr<PageRequest> ProposalPaging(const v1::GetMatchingProposalRequest& req) {
  return Paging(req, {KeyPart::kNumber}, kDefaultPairsPage, kMaxPairsPage);
}

// Fills a page of pairs and unmatched mentees of a proposal (the first one without `page`).
void FillPage(sql::Connection& c, int64_t id, const PageRequest* page, v1::MatchingProposal* out) {
  PageRequest first;
  if (page == nullptr) {
    v1::GetMatchingProposalRequest get;
    get.set_name(out->name());
    first = *ProposalPaging(get);  // no token, no size: cannot fail
    page = &first;
  }
  const int from =
      static_cast<int>(std::min<int64_t>(page->AfterNumber(), std::numeric_limits<int>::max() - kMaxPairsPage));
  out->clear_pairs();
  out->clear_unmatched();
  bool more = false;
  Repo::LoadProposalPage(c, id, from, page->size(), out, &more);
  out->set_next_page_token(more ? page->NextNumber(static_cast<int64_t>(from) + page->size()) : "");
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
      ASSIGN_OR_RETURN(const int64_t id, ProposeIn(c, scope, options, p.person_id, p.account_id, parallel_));
      ASSIGN_OR_RETURN(Repo::ProposalRow row, Repo::GetProposal(c, id));
      db::WriteAudit(c, p.account_id, "ProposeMatching", row.proposal.name(), nullptr, &row.proposal);
      *resp->mutable_proposal() = row.proposal;
      FillPage(c, id, nullptr, resp->mutable_proposal());
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
      ASSIGN_OR_RETURN(PageRequest page, ProposalPaging(*req));
      ASSIGN_OR_RETURN(Repo::ProposalRow row, LoadProposal(c, p, id, false));
      *resp->mutable_proposal() = row.proposal;
      FillPage(c, id, &page, resp->mutable_proposal());
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMatchingProposals(grpc::ServerContext* ctx,
                                                         const v1::ListMatchingProposalsRequest* req,
                                                         v1::ListMatchingProposalsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMatchingProposals", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      return ms::ListInScope<v1::MatchingProposal>(c, p, Action::kRunMatching, *req,
          {"scope", "state"},
          &Repo::ListProposals, resp, resp->mutable_proposals());
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
      std::vector<int> indices(req->pair_indices().begin(), req->pair_indices().end());
      int created = 0;
      ASSIGN_OR_RETURN(std::vector<v1::MentoringPair> pairs,
                       ApplyIn(c, row, indices, p.account_id, kMaxCreatedListed, &created));
      for (auto& pair : pairs) *resp->add_pairs() = std::move(pair);
      resp->set_created_count(created);
      ASSIGN_OR_RETURN(Repo::ProposalRow after, Repo::GetProposal(c, id));
      db::WriteAudit(c, p.account_id, "ApplyMatchingProposal", after.proposal.name(), &row.proposal, &after.proposal);
      *resp->mutable_proposal() = after.proposal;
      FillPage(c, id, nullptr, resp->mutable_proposal());
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
      FillPage(c, id, nullptr, resp->mutable_proposal());
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
    ASSIGN_OR_RETURN(int64_t profile_id, ParseResourceName(in.mentor_profile(), "mentorProfiles", "constraint.mentor_profile"));
    ASSIGN_OR_RETURN(db::EntityRef mentee, ms::ParseEntity(in.mentee(), "constraint.mentee"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMatchingConstraint", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      // Every named resource before anything about it is compared: the scope and the mentee
      // within the caller's reach; the mentor any of the region's (a run draws on all of them).
      ASSIGN_OR_RETURN(ms::RunScope scope, ms::ResolveRunScope(c, p, Action::kRunMatching, in.scope(), "constraint.scope"));
      auto place = Repo::PlaceEntity(c, mentee);
      RETURN_IF_ERROR(CheckAccess(p, Action::kRunMatching,
                                  place.ok() ? absl::StatusOr<Placement>(place->placement)
                                             : absl::StatusOr<Placement>(place.status())));
      auto profile = Repo::GetProfile(c, profile_id);
      RETURN_IF_ERROR(CheckRegionAccess(p, Action::kRunMatching,
                                        profile.ok() ? absl::StatusOr<Placement>(profile->place)
                                                     : absl::StatusOr<Placement>(absl::NotFoundError(absl::StrCat(
                                                           "Профиль наставника ", in.mentor_profile(), " не найден")))));
      RETURN_IF_ERROR(CheckEnum(in.kind(), v1::MatchingConstraintKind_descriptor(), "constraint.kind", EnumUse::kRequired));
      RETURN_IF_ERROR(OptionalText(in.reason(), "constraint.reason"));
      if (profile->region_id != scope.place.region_id) {
        return absl::InvalidArgumentError("Поле constraint.mentor_profile: наставник другого региона, чем ограничение");
      }
      if (!InScope(scope.filter, *place)) {
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
      return ms::ListInScope<v1::MatchingConstraint>(c, p, Action::kRunMatching, *req,
          {"kind", "mentor_profile", "mentee", "scope"},
          &Repo::ListConstraints, resp, resp->mutable_constraints());
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
