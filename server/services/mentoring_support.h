#pragma once
// Shared by the MentoringService handler files: name parsing, input validation, access over a
// pair's two sides, scopes of matching runs, and the audit/outbox of pair changes.

#include <cstdint>
#include <string>

#include <cppconn/connection.h>
#include <google/protobuf/repeated_field.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nms/v1/mentoring.pb.h"
#include "server/db/mentoring_repository.h"
#include "server/domain/access/policy.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/text.h"
#include "server/domain/mentoring/eligibility.h"
#include "server/domain/mentoring/lifecycle.h"
#include "server/services/convert.h"
#include "server/services/scope.h"

namespace nms::services::mentoring_support {

// "people/{id}" or "organizations/{id}".
absl::StatusOr<db::EntityRef> ParseEntity(absl::string_view name, absl::string_view field);

// "mentoringPairs/{pair}/<child>/{id}" → (pair, id).
absl::StatusOr<std::pair<int64_t, int64_t>> ParseChildName(absl::string_view name, absl::string_view child,
                                                           absl::string_view field);
// "mentoringPairs/{pair}" parent.
absl::StatusOr<int64_t> ParsePairName(absl::string_view name, absl::string_view field);

// Text fields: RequireText / OptionalText of server/domain/common/text.h.
// Short list values (subjects, indicator codes): at most `max_items`, each non-empty UTF-8 of at
// most 100 bytes without '|'.
absl::Status ValidList(const google::protobuf::RepeatedPtrField<std::string>& v, absl::string_view field,
                       int max_items = 50);
// Enum values that the proto defines, none unspecified (see CheckEnum).
absl::Status ValidEnums(const google::protobuf::RepeatedField<int>& v, const google::protobuf::EnumDescriptor* e,
                        absl::string_view field);
// A date given by a client (unset is fine).
absl::Status ValidDate(const nms::v1::Date& d, absl::string_view field);

// OK when `action` is allowed on either placement; otherwise the denial for `a` (the same
// message an absent resource gives).
absl::Status AuthorizeEither(const access::Principal& p, access::Action action, const access::Placement& a,
                             const access::Placement& b);

// Who the caller is to a pair (side, manager of either side's place).
struct PairContext {
  db::MentoringRepository::PairRow row;
  access::Placement mentor_place, mentee_place;
  mentoring::PairActor actor;
  mentoring::PairState state;
};
// Loads a pair (locked when for_update), checks the caller may read it, and works out the actor.
absl::StatusOr<PairContext> LoadPair(sql::Connection& c, const access::Principal& p, int64_t pair_id,
                                     bool for_update);

// Audit and federal outbox ("mentoring_pair") of a pair change, in the caller's transaction.
void RecordPairChange(sql::Connection& c, int64_t account_id, absl::string_view action, int64_t region_id,
                      const nms::v1::MentoringPair* before, const nms::v1::MentoringPair& after);

// The scope of a matching run or a sync: access for `action`, filter, and place in the territory.
struct RunScope {
  std::string name;
  db::ScopeFilter filter;
  mentoring::ScopePlace place;
};
absl::StatusOr<RunScope> ResolveRunScope(sql::Connection& c, const access::Principal& p, access::Action action,
                                         const std::string& name, absl::string_view field);

// Eligibility and settings in proto form.
nms::v1::MentorEligibility EligibilityToProto(const mentoring::Eligibility& e, absl::Time at);
mentoring::Eligibility EligibilityFromProto(const nms::v1::MentorEligibility& e);
nms::v1::MentoringSettings SettingsToProto(int64_t region_id, const db::MentoringRepository::Settings& s);

// Fills what the mentee's record says when the request leaves it empty: the subjects they teach
// and the deficits of their latest diagnosis (most severe first) with their areas.
absl::Status FillFromRecord(sql::Connection& c, const db::EntityRef& mentee, nms::v1::MenteeRequest* r);

// The filter of a mentoring list: `field = value` terms of `fields` (the repositories compare
// for equality only).
absl::StatusOr<std::vector<FilterTerm>> ParseEqualityFilter(absl::string_view filter,
                                                            std::initializer_list<absl::string_view> fields);

// The next page token of a repository list that stopped after id `next` (0: the last page).
inline std::string NextToken(const PageRequest& page, int64_t next) { return next > 0 ? page.NextNumber(next) : ""; }

// A repository list over a scope (MentoringRepository::ListProfiles, ListPairs, ...).
template <class Item>
using ScopedLister = absl::Status (*)(sql::Connection&, const db::ScopeFilter&,
                                      const std::vector<FilterTerm>&, const PageRequest&,
                                      std::vector<Item>*, int64_t*, int64_t*);
// The list RPCs: the filter (of `fields`) and page of the request `req` over the widest scope in
// which the caller may do `action`; the items go to `items` of `resp`, with its next page token
// and total size.
template <class Item, class Req, class Resp>
absl::Status ListInScope(sql::Connection& c, const access::Principal& p, access::Action action, const Req& req,
                         std::initializer_list<absl::string_view> fields, ScopedLister<Item> list, Resp* resp,
                         google::protobuf::RepeatedPtrField<Item>* items) {
  // Who asks first, then what is asked.
  auto scope = ResolveListScope(c, p, action, "", "filter");
  if (!scope.ok()) return scope.status();
  auto terms = ParseEqualityFilter(req.filter(), fields);
  if (!terms.ok()) return terms.status();
  auto page = Paging(req, {KeyPart::kNumber});
  if (!page.ok()) return page.status();
  std::vector<Item> out;
  int64_t next = 0, total = 0;
  if (absl::Status st = list(c, *scope, *terms, *page, &out, &next, &total); !st.ok()) return st;
  for (auto& x : out) *items->Add() = std::move(x);
  resp->set_next_page_token(NextToken(*page, next));
  resp->set_total_size(total);
  return absl::OkStatus();
}

// The paths of an update mask; unlike the directory's, an empty mask is refused here.
absl::StatusOr<std::vector<std::string>> UpdatePaths(const google::protobuf::FieldMask& mask,
                                                     std::initializer_list<absl::string_view> allowed);

}  // namespace nms::services::mentoring_support
