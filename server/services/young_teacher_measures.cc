// YoungTeacherService: support measures. Recorded measures are created, edited (field mask,
// version, status transitions) and deleted here; derived ones (MENTOR from a mentoring pair,
// ROUTE from an approved ИОМ) are read here and changed only in their own areas.

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/db/support_measure_repository.h"
#include "server/db/young_teacher_repository.h"
#include "server/domain/common/names.h"
#include "server/domain/young/measure_rules.h"
#include "server/domain/young/measures.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"
#include "server/services/young_teacher_service.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::SupportMeasureRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;

namespace {

const char* StatusTitle(young::MeasureStatus s) {
  switch (s) {
    case young::MeasureStatus::kPlanned: return "запланирована";
    case young::MeasureStatus::kActive: return "идёт";
    case young::MeasureStatus::kCompleted: return "завершена";
    case young::MeasureStatus::kCancelled: return "отменена";
    default: return "не задан";
  }
}

absl::StatusOr<young::MeasureDraft> DraftFromProto(const v1::SupportMeasure& m) {
  young::MeasureDraft d;
  d.kind = m.kind();
  d.status = m.status();
  ASSIGN_OR_RETURN(d.start, FromProtoDate(m.start_date(), "measure.start_date"));
  ASSIGN_OR_RETURN(d.end, FromProtoDate(m.end_date(), "measure.end_date"));
  d.title = m.title();
  d.source = m.source();
  d.notes = m.notes();
  return d;
}

// The measure's place is its teacher's; a missing measure keeps the out-of-scope answer.
absl::StatusOr<Placement> PlaceOf(sql::Connection& c, const absl::StatusOr<db::MeasureRecord>& rec) {
  if (!rec.ok()) return rec.status();
  return Dir::PlacePerson(c, rec->person_id);
}

// Derived measures are answered after the access check, so their existence is not revealed
// to someone who could not read them.
absl::Status RefuseDerived(const young::MeasureRef& ref) {
  const char* where = ref.source == young::MeasureSource::kMentoringPair ? "«Наставничество» (пара наставника)"
                                                                         : "«ИОМ» (маршрут педагога)";
  return absl::FailedPreconditionError(
      absl::StrCat("Эта мера поддержки учитывается автоматически; изменить её можно только в разделе ", where));
}

absl::Status Validate(const young::MeasureDraft& d, absl::CivilDay today) {
  auto errors = young::ValidateMeasure(d, today, "measure");
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  return absl::OkStatus();
}

// The organiser, if named, must be an organisation of the teacher's region.
// The organiser is often outside the caller's scope (the ЦНППМ, a college): any organisation of
// the caller's region may be named, another region's is refused like a missing one.
absl::StatusOr<int64_t> CheckOrganizer(sql::Connection& c, const Principal& p, const std::string& name,
                                       int64_t region_id) {
  ASSIGN_OR_RETURN(int64_t id, ParseOptionalResourceName(name, "organizations", "measure.organizer"));
  if (id == 0) return id;
  auto org = Dir::PlaceOrganization(c, id);
  RETURN_IF_ERROR(CheckRegionAccess(p, Action::kManageSupport, org));
  if (org->region_id != region_id) {
    return absl::InvalidArgumentError("Поле measure.organizer: нет такой организации в регионе педагога");
  }
  return id;
}

absl::CivilDay TodayFor(sql::Connection& c, int64_t region_id) {
  return TodayInRegion(db::YoungTeacherRepository::RegionTimeZone(c, region_id));
}

}  // namespace

grpc::Status YoungTeacherServiceImpl::GetSupportMeasure(grpc::ServerContext* ctx,
                                                        const v1::GetSupportMeasureRequest* req,
                                                        v1::GetSupportMeasureResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/GetSupportMeasure", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(young::MeasureRef ref, young::ParseMeasureName(req->name(), "name"));
      auto rec = Repo::Get(c, ref);
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadYoungTeachers, PlaceOf(c, rec)));
      *resp->mutable_measure() = rec->measure;
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::ListSupportMeasures(grpc::ServerContext* ctx,
                                                          const v1::ListSupportMeasuresRequest* req,
                                                          v1::ListSupportMeasuresResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/ListSupportMeasures", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto conditions, young::ParseMeasureFilter(req->filter()));
      // Lists are scoped to where the caller may read (a teacher: their own measures); the
      // filter narrows inside that.
      ASSIGN_OR_RETURN(db::ScopeFilter scope, ResolveListScope(c, p, Action::kReadYoungTeachers, "", "filter"));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, young::kMeasureCursorShape));
      ASSIGN_OR_RETURN(db::MeasurePage page, Repo::List(c, scope, conditions, paging));
      for (auto& m : page.measures) *resp->add_measures() = std::move(m);
      resp->set_next_page_token(page.next_page_token);
      resp->set_total_size(page.total_size);
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::CreateSupportMeasure(grpc::ServerContext* ctx,
                                                           const v1::CreateSupportMeasureRequest* req,
                                                           v1::CreateSupportMeasureResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/CreateSupportMeasure", [&](const Principal& p) -> absl::Status {
    const auto& m = req->measure();
    ASSIGN_OR_RETURN(int64_t person, ParseResourceName(m.person(), "people", "measure.person"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateSupportMeasure", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto place = Dir::PlacePerson(c, person);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageSupport, place));
      ASSIGN_OR_RETURN(young::MeasureDraft draft, DraftFromProto(m));
      ASSIGN_OR_RETURN(int64_t organizer, CheckOrganizer(c, p, m.organizer(), place->region_id));
      absl::CivilDay today = TodayFor(c, place->region_id);
      young::MeasureDraft d = draft;
      if (d.status == 0 && d.start) d.status = static_cast<int>(young::DefaultStatus(*d.start, d.end, today));
      RETURN_IF_ERROR(Validate(d, today));
      int64_t id = Repo::Insert(c, person, organizer, d);
      ASSIGN_OR_RETURN(db::MeasureRecord created, Repo::Get(c, {young::MeasureSource::kRecorded, id}));
      *resp->mutable_measure() = created.measure;
      db::WriteAudit(c, p.account_id, "CreateSupportMeasure", resp->measure().name(), nullptr, &resp->measure());
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::UpdateSupportMeasure(grpc::ServerContext* ctx,
                                                           const v1::UpdateSupportMeasureRequest* req,
                                                           v1::UpdateSupportMeasureResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/UpdateSupportMeasure", [&](const Principal& p) -> absl::Status {
    const auto& in = req->measure();
    ASSIGN_OR_RETURN(young::MeasureRef ref, young::ParseMeasureName(in.name(), "measure.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateSupportMeasure", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto rec = Repo::Get(c, ref, /*for_update=*/true);
      auto place = PlaceOf(c, rec);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageSupport, place));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      for (const auto& path : req->update_mask().paths()) {
        if (path == "person") {
          return absl::InvalidArgumentError("update_mask: педагога у меры поддержки не меняют; создайте новую меру");
        }
      }
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"kind", "title", "start_date", "end_date", "status",
                                                                   "source", "organizer", "notes"}));
      if (ref.source != young::MeasureSource::kRecorded) return RefuseDerived(ref);
      v1::SupportMeasure next = rec->measure;
      for (const auto& path : paths) {
        if (path == "kind") next.set_kind(in.kind());
        if (path == "title") next.set_title(in.title());
        if (path == "start_date") *next.mutable_start_date() = in.start_date();
        if (path == "end_date") *next.mutable_end_date() = in.end_date();
        if (path == "status") next.set_status(in.status());
        if (path == "source") next.set_source(in.source());
        if (path == "organizer") next.set_organizer(in.organizer());
        if (path == "notes") next.set_notes(in.notes());
      }
      ASSIGN_OR_RETURN(int64_t organizer, CheckOrganizer(c, p, next.organizer(), place->region_id));
      ASSIGN_OR_RETURN(young::MeasureDraft d, DraftFromProto(next));
      RETURN_IF_ERROR(Validate(d, TodayFor(c, place->region_id)));
      RETURN_IF_ERROR(CheckVersion(in.version(), rec->measure.version()));
      auto from = static_cast<young::MeasureStatus>(rec->measure.status());
      auto to = static_cast<young::MeasureStatus>(next.status());
      if (!young::CanTransition(from, to) && to != young::MeasureStatus::kUnspecified &&
          static_cast<int>(to) <= static_cast<int>(young::MeasureStatus::kCancelled)) {
        return absl::FailedPreconditionError(absl::StrCat("Меру со статусом «", StatusTitle(from),
                                                          "» нельзя перевести в статус «", StatusTitle(to), "»"));
      }
      Repo::Update(c, ref.id, organizer, d);
      ASSIGN_OR_RETURN(db::MeasureRecord updated, Repo::Get(c, ref));
      *resp->mutable_measure() = updated.measure;
      db::WriteAudit(c, p.account_id, "UpdateSupportMeasure", in.name(), &rec->measure, &resp->measure());
      return absl::OkStatus();
    });
  });
}

grpc::Status YoungTeacherServiceImpl::DeleteSupportMeasure(grpc::ServerContext* ctx,
                                                           const v1::DeleteSupportMeasureRequest* req,
                                                           v1::DeleteSupportMeasureResponse* resp) {
  return Run(ctx, authn_, "YoungTeacherService/DeleteSupportMeasure", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(young::MeasureRef ref, young::ParseMeasureName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteSupportMeasure", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto rec = Repo::Get(c, ref, /*for_update=*/true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageSupport, PlaceOf(c, rec)));
      if (ref.source != young::MeasureSource::kRecorded) return RefuseDerived(ref);
      RETURN_IF_ERROR(CheckVersion(req->version(), rec->measure.version()));
      Repo::Delete(c, ref.id);
      db::WriteAudit(c, p.account_id, "DeleteSupportMeasure", req->name(), &rec->measure, nullptr);
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
