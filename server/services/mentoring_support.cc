#include "server/services/mentoring_support.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/field_mask.pb.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/person.h"
#include "server/services/convert.h"
#include "server/services/scope.h"

namespace nms::services::mentoring_support {

namespace v1 = nms::v1;
using access::Placement;
using Repo = db::MentoringRepository;

absl::StatusOr<db::EntityRef> ParseEntity(absl::string_view name, absl::string_view field) {
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  ASSIGN_OR_RETURN(AnyName n, ParseAnyName(name, field));
  if (n.collection != "people" && n.collection != "organizations") {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ожидается people/… или organizations/…"));
  }
  return db::EntityRef{n.collection == "organizations", n.id};
}

absl::StatusOr<std::pair<int64_t, int64_t>> ParseChildName(absl::string_view name, absl::string_view child,
                                                           absl::string_view field) {
  ASSIGN_OR_RETURN(std::vector<int64_t> ids, ParseNamePattern(name, absl::StrCat("mentoringPairs/{}/", child, "/{}"), field));
  return std::make_pair(ids[0], ids[1]);
}

absl::StatusOr<int64_t> ParsePairName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, "mentoringPairs", field);
}

absl::Status ValidList(const google::protobuf::RepeatedPtrField<std::string>& v, absl::string_view field,
                       int max_items) {
  if (v.size() > max_items) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": не больше ", max_items, " значений"));
  }
  for (const auto& s : v) {
    if (absl::StripAsciiWhitespace(s).empty() || s.size() > 100 || !IsValidUtf8(s) ||
        s.find('|') != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("Поле ", field, ": каждое значение — непустая строка UTF-8 до 100 байт без символа «|»"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidEnums(const google::protobuf::RepeatedField<int>& v, const google::protobuf::EnumDescriptor* e,
                        absl::string_view field) {
  if (v.size() > 20) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": не больше 20 значений"));
  for (int x : v) RETURN_IF_ERROR(CheckEnum(x, e, field, EnumUse::kRequired));
  return absl::OkStatus();
}

absl::Status ValidDate(const v1::Date& d, absl::string_view field) {
  ASSIGN_OR_RETURN(auto day, FromProtoDate(d, field));
  if (day && (day->year() < 1900 || day->year() > 2200)) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": год от 1900 до 2200"));
  }
  return absl::OkStatus();
}

absl::Status AuthorizeEither(const access::Principal& p, access::Action action, const Placement& a,
                             const Placement& b) {
  absl::Status first = access::Authorize(p, action, a);
  if (first.ok() || access::Authorize(p, action, b).ok()) return absl::OkStatus();
  return first;
}

namespace {

// The caller speaks for an organisation side as its school admin.
bool IsOrganisationRepresentative(const access::Principal& p, int64_t organization_id) {
  for (const auto& g : p.grants) {
    if (g.role == access::Role::kSchoolAdmin && g.scope_kind == access::ScopeKind::kOrganization &&
        g.scope_id == organization_id) {
      return true;
    }
  }
  return false;
}

bool IsSide(const access::Principal& p, const db::EntityRef& side) {
  if (side.organization) return IsOrganisationRepresentative(p, side.id);
  return p.person_id != 0 && p.person_id == side.id;
}

}  // namespace

absl::StatusOr<PairContext> LoadPair(sql::Connection& c, const access::Principal& p, int64_t pair_id,
                                     bool for_update) {
  auto row = Repo::GetPair(c, pair_id, for_update);
  if (!row.ok()) {
    RETURN_IF_ERROR(CheckAccess(p, access::Action::kReadMentoring, absl::StatusOr<Placement>(row.status())));
    return row.status();
  }
  PairContext ctx;
  ctx.row = *std::move(row);
  ASSIGN_OR_RETURN(db::EntityPlace mentor, Repo::PlaceEntity(c, ctx.row.mentor));
  ASSIGN_OR_RETURN(db::EntityPlace mentee, Repo::PlaceEntity(c, ctx.row.mentee));
  ctx.mentor_place = mentor.placement;
  ctx.mentee_place = mentee.placement;
  ctx.actor.mentor_side = IsSide(p, ctx.row.mentor);
  ctx.actor.mentee_side = IsSide(p, ctx.row.mentee);
  ctx.actor.manager = AuthorizeEither(p, access::Action::kManageMentoring, ctx.mentee_place, ctx.mentor_place).ok();
  // The sides always see their own pair; everyone else needs read access to either side.
  if (!ctx.actor.mentor_side && !ctx.actor.mentee_side) {
    RETURN_IF_ERROR(AuthorizeEither(p, access::Action::kReadMentoring, ctx.mentee_place, ctx.mentor_place));
  }
  ctx.state.status = static_cast<mentoring::PairStatus>(ctx.row.pair.status());
  ctx.state.mentor_accepted = ctx.row.mentor_accepted;
  ctx.state.mentee_accepted = ctx.row.mentee_accepted;
  return ctx;
}

void RecordPairChange(sql::Connection& c, int64_t account_id, absl::string_view action, int64_t region_id,
                      const v1::MentoringPair* before, const v1::MentoringPair& after) {
  db::WriteAudit(c, account_id, action, after.name(), before, &after);
  db::WriteOutbox(c, region_id, "mentoring_pair", after.name(), before == nullptr ? federal::kCreate : federal::kUpdate,
                  after);
}

absl::StatusOr<RunScope> ResolveRunScope(sql::Connection& c, const access::Principal& p, access::Action action,
                                         const std::string& name, absl::string_view field) {
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, " обязательно"));
  ASSIGN_OR_RETURN(AnyName n, ParseAnyName(name, field));
  if (n.collection != "regions" && n.collection != "districts" && n.collection != "municipalities" &&
      n.collection != "organizations") {
    return absl::InvalidArgumentError(
        absl::StrCat("Поле ", field, ": ожидается regions/…, districts/…, municipalities/… или organizations/…"));
  }
  RunScope out;
  out.name = ResourceName(n.collection, n.id);
  ASSIGN_OR_RETURN(out.filter, ResolveListScope(c, p, action, out.name, field));
  ASSIGN_OR_RETURN(out.place, Repo::PlaceScope(c, out.filter));
  return out;
}

v1::MentorEligibility EligibilityToProto(const mentoring::Eligibility& e, absl::Time at) {
  v1::MentorEligibility out;
  out.set_eligible(e.eligible);
  for (const auto& c : e.checks) {
    auto* x = out.add_checks();
    x->set_code(c.code);
    x->set_passed(c.passed);
    x->set_detail(c.detail);
  }
  *out.mutable_evaluate_time() = ToProtoTime(at);
  return out;
}

mentoring::Eligibility EligibilityFromProto(const v1::MentorEligibility& e) {
  mentoring::Eligibility out;
  out.eligible = e.eligible();
  for (const auto& c : e.checks()) out.checks.push_back({c.code(), c.passed(), c.detail()});
  return out;
}

v1::MentoringSettings SettingsToProto(int64_t region_id, const Repo::Settings& s) {
  v1::MentoringSettings out;
  out.set_name(absl::StrCat("regions/", region_id, "/mentoringSettings"));
  out.set_min_experience_years(s.rule.min_experience_years);
  out.set_min_qualification_category(mentoring::QualificationCode(s.rule.min_qualification));
  out.set_require_diagnostics(s.rule.require_diagnostics);
  out.set_min_diagnostic_level(static_cast<v1::CompetencyLevel>(s.rule.min_diagnostic_level));
  out.set_default_capacity(s.rule.default_capacity);
  out.set_meeting_gap_weeks(s.meeting_gap_weeks);
  out.set_version(s.version);
  return out;
}

absl::Status FillFromRecord(sql::Connection& c, const db::EntityRef& mentee, v1::MenteeRequest* r) {
  if (mentee.organization) return absl::OkStatus();
  if (r->subjects().empty()) {
    ASSIGN_OR_RETURN(v1::Person person, db::DirectoryRepository::GetPerson(c, mentee.id));
    *r->mutable_subjects() = person.subjects();
  }
  if (r->deficit_indicator_codes().empty()) {
    auto [codes, areas] = Repo::LatestDeficits(c, mentee.id);
    for (auto& code : codes) r->add_deficit_indicator_codes(code);
    if (r->areas().empty()) {
      for (int a : areas) r->add_areas(static_cast<v1::CompetencyArea>(a));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<FilterTerm>> ParseEqualityFilter(absl::string_view filter,
                                                            std::initializer_list<absl::string_view> fields) {
  ASSIGN_OR_RETURN(std::vector<FilterTerm> terms, ParseFilter(filter, {fields.begin(), fields.end()}));
  for (const auto& t : terms) RETURN_IF_ERROR(FilterOps(t, {"="}));
  return terms;
}

absl::StatusOr<std::vector<std::string>> UpdatePaths(const google::protobuf::FieldMask& mask,
                                                     std::initializer_list<absl::string_view> allowed) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError("Поле update_mask обязательно: перечислите изменяемые поля");
  }
  return MaskPaths(mask, allowed);
}

}  // namespace nms::services::mentoring_support
