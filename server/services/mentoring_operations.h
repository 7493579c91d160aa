#pragma once
// The mentoring operations that are more than one repository call, shared by the service
// handlers and the demo loader (`nmsctl demo` runs the same code on the demo region): the
// automatic-request sync of a scope, a matching run that stores its proposal, and applying a
// proposal. Each runs inside the caller's transaction; access is the caller's business.

#include <cstdint>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "nms/v1/mentoring.pb.h"
#include "server/db/mentoring_repository.h"
#include "server/domain/common/parallel.h"
#include "server/services/mentoring_support.h"

namespace nms::services {

// Creates the missing automatic requests of the scope and closes those no longer needed
// (young-teacher cohort at `ref`, ИОМ items "with a mentor").
absl::StatusOr<nms::v1::SyncAutoRequestsResponse> SyncAutoRequestsIn(sql::Connection& c,
                                                                      const mentoring_support::RunScope& scope,
                                                                      absl::CivilDay ref, int64_t account_id);

// Runs the matcher over the open requests of the scope (eligibility re-evaluated and stored),
// supersedes overlapping open proposals, and stores the new OPEN proposal; returns its id.
absl::StatusOr<int64_t> ProposeIn(sql::Connection& c, const mentoring_support::RunScope& scope,
                                  const nms::v1::MatchingOptions& options, int64_t person_id, int64_t account_id,
                                  ParallelRunner& parallel);

// Applies an OPEN proposal (all new pairs when `indices` is empty): checks everything first,
// releases replaced pending pairs, creates PROPOSED pairs and marks the proposal APPLIED.
// Returns the first `max_listed` created pairs and the count in *created.
absl::StatusOr<std::vector<nms::v1::MentoringPair>> ApplyIn(sql::Connection& c,
                                                           const db::MentoringRepository::ProposalRow& row,
                                                           const std::vector<int>& indices, int64_t account_id,
                                                           int max_listed, int* created);

}  // namespace nms::services
