// MentoringService: regional settings (the eligibility rule) and mentor profiles.
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/services/convert.h"
#include "server/services/mentoring_service.h"
#include "server/domain/inbox/inbox.h"
#include "server/services/mentoring_support.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::MentoringRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;
namespace ms = mentoring_support;

namespace {

absl::StatusOr<int64_t> SettingsRegion(const std::string& name) {
  // "regions/{id}/mentoringSettings"
  absl::string_view n = name;
  if (!absl::ConsumeSuffix(&n, "/mentoringSettings")) {
    return absl::InvalidArgumentError("Поле name: ожидается regions/{id}/mentoringSettings");
  }
  return ParseResourceName(n, "regions", "name");
}

// Re-evaluates the eligibility of every profile of the region (the rule changed) and stores
// the changed ones.
void RefreshRegionEligibility(sql::Connection& c, int64_t region_id, const mentoring::EligibilityRule& rule) {
  const absl::CivilDay today = TodayInRegion();
  for (const auto& m : Repo::LoadRegionMentors(c, region_id, false)) {
    const mentoring::Eligibility e = mentoring::EvaluateEligibility(rule, m.facts, today);
    if (e == ms::EligibilityFromProto(m.stored)) continue;
    Repo::SetEligibility(c, m.mentor.id, ms::EligibilityToProto(e, absl::Now()));
  }
}

// Validates the editable fields of a profile for a mentor of the given kind.
constexpr char kOnlyMentorSharesContact[] =
    "Недостаточно прав: контакты для связи с наставляемыми указывает сам наставник";

absl::Status ValidProfileFields(const v1::MentorProfile& p, bool organization) {
  RETURN_IF_ERROR(CheckEnum(p.nomination(), v1::MentorNomination_descriptor(), "profile.nomination", EnumUse::kOptional));
  RETURN_IF_ERROR(CheckEnum(p.status(), v1::MentorProfileStatus_descriptor(), "profile.status", EnumUse::kOptional));
  RETURN_IF_ERROR(ms::ValidList(p.subjects(), "profile.subjects"));
  RETURN_IF_ERROR(ms::ValidEnums(p.strong_areas(), v1::CompetencyArea_descriptor(), "profile.strong_areas"));
  RETURN_IF_ERROR(ms::ValidList(p.strong_indicator_codes(), "profile.strong_indicator_codes", 100));
  if (p.capacity() < 0 || p.capacity() > 50) {
    return absl::InvalidArgumentError("Поле profile.capacity: от 1 до 50 наставляемых (0 — по настройкам региона)");
  }
  RETURN_IF_ERROR(ms::ValidDate(p.availability().available_from(), "profile.availability.available_from"));
  RETURN_IF_ERROR(ms::ValidDate(p.availability().available_until(), "profile.availability.available_until"));
  ASSIGN_OR_RETURN(auto from, FromProtoDate(p.availability().available_from(), "profile.availability.available_from"));
  ASSIGN_OR_RETURN(auto until, FromProtoDate(p.availability().available_until(), "profile.availability.available_until"));
  if (from && until && *until < *from) {
    return absl::InvalidArgumentError("Поле profile.availability.available_until: раньше даты начала");
  }
  RETURN_IF_ERROR(OptionalText(p.availability().note(), "profile.availability.note"));
  RETURN_IF_ERROR(ms::ValidEnums(p.pair_types(), v1::PairType_descriptor(), "profile.pair_types"));
  for (int t : p.pair_types()) {
    if ((t == v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT) != organization) {
      return absl::InvalidArgumentError(
          organization ? "Поле profile.pair_types: профиль организации — только менторство организаций"
                       : "Поле profile.pair_types: менторство организаций — только для профиля организации");
    }
  }
  RETURN_IF_ERROR(OptionalText(p.note(), "profile.note", 5000));
  RETURN_IF_ERROR(OptionalText(p.shared_contact(), "profile.shared_contact", 600));
  return absl::OkStatus();
}

// Whether the caller is the mentor person acting on their own profile as a teacher.
bool IsSelf(const Principal& p, const db::EntityRef& mentor, const Placement& place) {
  return !mentor.organization && p.person_id == mentor.id &&
         access::Authorize(p, Action::kParticipateMentoring, place).ok();
}

v1::MentorEligibility Evaluate(sql::Connection& c, int64_t region_id, const db::EntityRef& mentor) {
  const Repo::Settings settings = Repo::GetSettings(c, region_id);
  return ms::EligibilityToProto(
      mentoring::EvaluateEligibility(settings.rule, Repo::LoadMentorFacts(c, mentor), TodayInRegion()), absl::Now());
}

}  // namespace

// ---------------------------------------------------------------- settings

grpc::Status MentoringServiceImpl::GetMentoringSettings(grpc::ServerContext* ctx,
                                                        const v1::GetMentoringSettingsRequest* req,
                                                        v1::GetMentoringSettingsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMentoringSettings", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t region, SettingsRegion(req->name()));
      // Everyone working in the region may read its rule (schools nominate mentors by it).
      if (!access::MemberOfRegion(p, region, Action::kReadMentoring)) RETURN_IF_ERROR(CheckAccess(p, Action::kReadMentoring, Dir::PlaceRegion(c, region)));
      *resp->mutable_settings() = ms::SettingsToProto(region, Repo::GetSettings(c, region));
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::UpdateMentoringSettings(grpc::ServerContext* ctx,
                                                           const v1::UpdateMentoringSettingsRequest* req,
                                                           v1::UpdateMentoringSettingsResponse* resp) {
  return Run(ctx, authn_, "MentoringService/UpdateMentoringSettings", [&](const Principal& p) -> absl::Status {
    const auto& s = req->settings();
    ASSIGN_OR_RETURN(int64_t region, SettingsRegion(s.name()));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMentoringSettings", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, Dir::PlaceRegion(c, region)));
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"min_experience_years", "min_qualification_category",
                                                                  "require_diagnostics", "min_diagnostic_level",
                                                                  "default_capacity", "meeting_gap_weeks"}));
      const Repo::Settings current = Repo::GetSettings(c, region, true);
      mentoring::EligibilityRule rule = current.rule;
      int meeting_gap_weeks = current.meeting_gap_weeks;
      for (const auto& path : paths) {
        if (path == "min_experience_years") rule.min_experience_years = s.min_experience_years();
        if (path == "min_qualification_category") {
          ASSIGN_OR_RETURN(rule.min_qualification, mentoring::QualificationFromCode(s.min_qualification_category()));
        }
        if (path == "require_diagnostics") rule.require_diagnostics = s.require_diagnostics();
        if (path == "min_diagnostic_level") rule.min_diagnostic_level = s.min_diagnostic_level();
        if (path == "default_capacity") rule.default_capacity = s.default_capacity();
        if (path == "meeting_gap_weeks") {
          RETURN_IF_ERROR(inbox::CheckMeetingGapWeeks(s.meeting_gap_weeks(), "settings.meeting_gap_weeks"));
          meeting_gap_weeks = s.meeting_gap_weeks();
        }
      }
      RETURN_IF_ERROR(mentoring::ValidateRule(rule));
      RETURN_IF_ERROR(CheckVersion(s.version(), current.version));
      Repo::SaveSettings(c, region, rule, meeting_gap_weeks, current.version + 1);
      RefreshRegionEligibility(c, region, rule);
      const v1::MentoringSettings before = ms::SettingsToProto(region, current);
      *resp->mutable_settings() = ms::SettingsToProto(region, Repo::GetSettings(c, region));
      db::WriteAudit(c, p.account_id, "UpdateMentoringSettings", resp->settings().name(), &before, &resp->settings());
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- profiles

grpc::Status MentoringServiceImpl::CreateMentorProfile(grpc::ServerContext* ctx,
                                                       const v1::CreateMentorProfileRequest* req,
                                                       v1::CreateMentorProfileResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMentorProfile", [&](const Principal& p) -> absl::Status {
    v1::MentorProfile in = req->profile();
    ASSIGN_OR_RETURN(db::EntityRef mentor, ms::ParseEntity(in.mentor(), "profile.mentor"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMentorProfile", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto place = Repo::PlaceEntity(c, mentor);
      if (!place.ok()) return CheckAccess(p, Action::kManageMentoring, absl::StatusOr<Placement>(place.status()));
      const bool self = IsSelf(p, mentor, place->placement);
      if (!self) RETURN_IF_ERROR(access::Authorize(p, Action::kManageMentoring, place->placement));
      if (!self && !in.shared_contact().empty()) return absl::PermissionDeniedError(kOnlyMentorSharesContact);
      RETURN_IF_ERROR(ValidProfileFields(in, mentor.organization));
      if (auto existing = Repo::FindProfile(c, mentor)) {
        return absl::AlreadyExistsError(absl::StrCat("У этого наставника уже есть профиль: ",
                                                     ResourceName("mentorProfiles", *existing)));
      }
      const int64_t region = place->placement.region_id;
      // A teacher volunteers; a school or a methodist nominates.
      if (self) {
        in.set_nomination(v1::MENTOR_NOMINATION_SELF);
      } else if (in.nomination() == v1::MENTOR_NOMINATION_UNSPECIFIED) {
        in.set_nomination(p.HasRole(access::Role::kSchoolAdmin) ? v1::MENTOR_NOMINATION_SCHOOL
                                                                : v1::MENTOR_NOMINATION_METHODIST);
      }
      if (in.status() == v1::MENTOR_PROFILE_STATUS_UNSPECIFIED) in.set_status(v1::MENTOR_PROFILE_STATUS_ACTIVE);
      if (in.capacity() == 0) in.set_capacity(Repo::GetSettings(c, region).rule.default_capacity);
      if (!in.has_availability()) in.mutable_availability()->set_accepting(true);
      if (mentor.organization && in.pair_types().empty()) in.add_pair_types(v1::PAIR_TYPE_ORGANIZATION_MANAGEMENT);
      if (!mentor.organization && in.subjects().empty()) {
        // A teacher mentors in the subjects they teach unless told otherwise.
        ASSIGN_OR_RETURN(v1::Person person, Dir::GetPerson(c, mentor.id));
        *in.mutable_subjects() = person.subjects();
      }
      *in.mutable_eligibility() = Evaluate(c, region, mentor);
      const int64_t id = Repo::InsertProfile(c, region, mentor, in);
      ASSIGN_OR_RETURN(Repo::ProfileRow row, Repo::GetProfile(c, id));
      *resp->mutable_profile() = row.profile;
      db::WriteAudit(c, p.account_id, "CreateMentorProfile", row.profile.name(), nullptr, &row.profile);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::GetMentorProfile(grpc::ServerContext* ctx, const v1::GetMentorProfileRequest* req,
                                                    v1::GetMentorProfileResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMentorProfile", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "mentorProfiles", "name"));
      auto row = Repo::GetProfile(c, id);
      if (!row.ok()) return CheckAccess(p, Action::kReadMentoring, absl::StatusOr<Placement>(row.status()));
      RETURN_IF_ERROR(access::Authorize(p, Action::kReadMentoring, row->place));
      *resp->mutable_profile() = row->profile;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMentorProfiles(grpc::ServerContext* ctx,
                                                      const v1::ListMentorProfilesRequest* req,
                                                      v1::ListMentorProfilesResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMentorProfiles", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      return ms::ListInScope<v1::MentorProfile>(c, p, Action::kReadMentoring, *req,
          {"organization", "municipality", "district", "status", "subjects", "pair_types", "eligible",
           "strong_areas", "mentor"},
          &Repo::ListProfiles, resp, resp->mutable_profiles());
    });
  });
}

grpc::Status MentoringServiceImpl::UpdateMentorProfile(grpc::ServerContext* ctx,
                                                       const v1::UpdateMentorProfileRequest* req,
                                                       v1::UpdateMentorProfileResponse* resp) {
  return Run(ctx, authn_, "MentoringService/UpdateMentorProfile", [&](const Principal& p) -> absl::Status {
    const v1::MentorProfile& in = req->profile();
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(in.name(), "mentorProfiles", "profile.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMentorProfile", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto row = Repo::GetProfile(c, id, true);
      if (!row.ok()) return CheckAccess(p, Action::kManageMentoring, absl::StatusOr<Placement>(row.status()));
      const bool self = IsSelf(p, row->mentor, row->place);
      if (!self) RETURN_IF_ERROR(access::Authorize(p, Action::kManageMentoring, row->place));
      ASSIGN_OR_RETURN(auto paths, ms::UpdatePaths(req->update_mask(), {"nomination", "status", "subjects", "strong_areas",
                                                                  "strong_indicator_codes", "capacity", "availability",
                                                                  "pair_types", "note", "shared_contact"}));
      v1::MentorProfile next = row->profile;
      for (const auto& path : paths) {
        if (path == "nomination") {
          if (self) return absl::PermissionDeniedError("Недостаточно прав: выдвижение наставника меняет школа или методист");
          next.set_nomination(in.nomination());
        } else if (path == "status") {
          next.set_status(in.status());
        } else if (path == "subjects") {
          *next.mutable_subjects() = in.subjects();
        } else if (path == "strong_areas") {
          *next.mutable_strong_areas() = in.strong_areas();
        } else if (path == "strong_indicator_codes") {
          *next.mutable_strong_indicator_codes() = in.strong_indicator_codes();
        } else if (path == "capacity") {
          next.set_capacity(in.capacity());
        } else if (path == "availability") {
          *next.mutable_availability() = in.availability();
        } else if (path == "pair_types") {
          *next.mutable_pair_types() = in.pair_types();
        } else if (path == "note") {
          next.set_note(in.note());
        } else if (path == "shared_contact") {
          // A form that sends every field resends the stored value: allowed; changing it is not.
          if (!self && in.shared_contact() != row->profile.shared_contact()) {
            return absl::PermissionDeniedError(kOnlyMentorSharesContact);
          }
          next.set_shared_contact(in.shared_contact());
        }
      }
      RETURN_IF_ERROR(ValidProfileFields(next, row->mentor.organization));
      if (next.nomination() == v1::MENTOR_NOMINATION_UNSPECIFIED || next.status() == v1::MENTOR_PROFILE_STATUS_UNSPECIFIED) {
        return absl::InvalidArgumentError("Поля profile.nomination и profile.status не могут быть пустыми");
      }
      if (next.capacity() < 1) return absl::InvalidArgumentError("Поле profile.capacity: от 1 до 50 наставляемых");
      RETURN_IF_ERROR(CheckVersion(in.version(), row->profile.version()));
      if (next.capacity() < row->live_pairs) {
        return absl::FailedPreconditionError(absl::StrCat("Сейчас у наставника ", row->live_pairs,
                                                          " наставляемых; ёмкость не может быть меньше"));
      }
      *next.mutable_eligibility() = Evaluate(c, row->region_id, row->mentor);
      Repo::UpdateProfile(c, id, next);
      ASSIGN_OR_RETURN(Repo::ProfileRow after, Repo::GetProfile(c, id));
      *resp->mutable_profile() = after.profile;
      db::WriteAudit(c, p.account_id, "UpdateMentorProfile", after.profile.name(), &row->profile, &after.profile);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::DeleteMentorProfile(grpc::ServerContext* ctx,
                                                       const v1::DeleteMentorProfileRequest* req,
                                                       v1::DeleteMentorProfileResponse* resp) {
  return Run(ctx, authn_, "MentoringService/DeleteMentorProfile", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "mentorProfiles", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteMentorProfile", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto row = Repo::GetProfile(c, id, true);
      if (!row.ok()) return CheckAccess(p, Action::kManageMentoring, absl::StatusOr<Placement>(row.status()));
      if (!IsSelf(p, row->mentor, row->place)) RETURN_IF_ERROR(access::Authorize(p, Action::kManageMentoring, row->place));
      RETURN_IF_ERROR(CheckVersion(req->version(), row->profile.version()));
      if (row->live_pairs > 0) {
        return absl::FailedPreconditionError(absl::StrCat("У наставника ", row->live_pairs,
                                                          " предложенных или действующих пар; сначала завершите или "
                                                          "отмените их"));
      }
      if (Repo::CountProfilePairs(c, id, false) > 0) {
        // Finished pairs keep their mentor: the profile is withdrawn instead.
        v1::MentorProfile next = row->profile;
        next.set_status(v1::MENTOR_PROFILE_STATUS_WITHDRAWN);
        Repo::UpdateProfile(c, id, next);
        ASSIGN_OR_RETURN(Repo::ProfileRow after, Repo::GetProfile(c, id));
        db::WriteAudit(c, p.account_id, "WithdrawMentorProfile", after.profile.name(), &row->profile, &after.profile);
        return absl::OkStatus();
      }
      Repo::DeleteProfile(c, id);
      db::WriteAudit(c, p.account_id, "DeleteMentorProfile", row->profile.name(), &row->profile, nullptr);
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
