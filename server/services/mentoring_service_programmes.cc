// MentoringService: the schools' mentoring programmes (целевая модель наставничества).
#include "absl/strings/str_cat.h"
#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
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
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;
namespace ms = mentoring_support;

namespace {

absl::Status ValidProgramme(const v1::MentoringProgramme& p) {
  RETURN_IF_ERROR(RequireText(p.title(), "programme.title", 512));
  RETURN_IF_ERROR(OptionalText(p.adoption_document(), "programme.adoption_document", 512));
  RETURN_IF_ERROR(ms::ValidDate(p.adoption_date(), "programme.adoption_date"));
  RETURN_IF_ERROR(ms::ValidDate(p.start_date(), "programme.start_date"));
  RETURN_IF_ERROR(ms::ValidDate(p.end_date(), "programme.end_date"));
  ASSIGN_OR_RETURN(auto start, FromProtoDate(p.start_date(), "programme.start_date"));
  ASSIGN_OR_RETURN(auto end, FromProtoDate(p.end_date(), "programme.end_date"));
  if (start && end && *end < *start) return absl::InvalidArgumentError("Поле programme.end_date: раньше даты начала");
  RETURN_IF_ERROR(ms::ValidEnums(p.pair_types(), v1::PairType_descriptor(), "programme.pair_types"));
  return CheckEnum(p.status(), v1::MentoringProgrammeStatus_descriptor(), "programme.status", EnumUse::kOptional);
}

// The coordinator (куратор) is a person of the programme's region; 0 when none is named.
// The coordinator named is a person the caller manages mentoring for (a school names its own
// staff): someone out of the caller's scope, or nobody, is refused as any out-of-scope name is —
// before anything else about the programme is looked at.
absl::StatusOr<int64_t> Coordinator(sql::Connection& c, const Principal& p, const std::string& name,
                                    int64_t region_id) {
  ASSIGN_OR_RETURN(int64_t id, ParseOptionalResourceName(name, "people", "programme.coordinator"));
  if (id == 0) return 0;
  auto place = Dir::PlacePerson(c, id);
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, place));
  if (place->region_id != region_id) {
    return absl::InvalidArgumentError("Поле programme.coordinator: человек не из региона программы");
  }
  return id;
}

// One programme in force (active or suspended) per school.
absl::Status OnlyOneLive(sql::Connection& c, int64_t organization_id, int64_t except_id, int status) {
  if (status == v1::MENTORING_PROGRAMME_STATUS_CLOSED) return absl::OkStatus();
  if (auto other = Repo::FindLiveProgramme(c, organization_id, except_id)) {
    return absl::AlreadyExistsError(absl::StrCat("У организации уже есть действующая программа наставничества: ",
                                                 ResourceName("mentoringProgrammes", *other)));
  }
  return absl::OkStatus();
}

// Loads a programme for a change by a manager of its organisation.
absl::StatusOr<Repo::ProgrammeRow> LoadForChange(sql::Connection& c, const Principal& p, int64_t id) {
  auto row = Repo::GetProgramme(c, id, true);
  if (!row.ok()) {
    RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, absl::StatusOr<Placement>(row.status())));
    return row.status();
  }
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, Dir::PlaceOrganization(c, row->organization_id)));
  return row;
}

}  // namespace

grpc::Status MentoringServiceImpl::CreateMentoringProgramme(grpc::ServerContext* ctx,
                                                            const v1::CreateMentoringProgrammeRequest* req,
                                                            v1::CreateMentoringProgrammeResponse* resp) {
  return Run(ctx, authn_, "MentoringService/CreateMentoringProgramme", [&](const Principal& p) -> absl::Status {
    v1::MentoringProgramme in = req->programme();
    ASSIGN_OR_RETURN(int64_t org, ParseResourceName(in.organization(), "organizations", "programme.organization"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateMentoringProgramme", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto place = Dir::PlaceOrganization(c, org);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageMentoring, place));
      ASSIGN_OR_RETURN(int64_t coordinator, Coordinator(c, p, in.coordinator(), place->region_id));
      if (in.status() == v1::MENTORING_PROGRAMME_STATUS_UNSPECIFIED) in.set_status(v1::MENTORING_PROGRAMME_STATUS_ACTIVE);
      RETURN_IF_ERROR(ValidProgramme(in));
      RETURN_IF_ERROR(OnlyOneLive(c, org, 0, in.status()));
      const int64_t id = Repo::InsertProgramme(c, place->region_id, org, coordinator, in);
      ASSIGN_OR_RETURN(Repo::ProgrammeRow row, Repo::GetProgramme(c, id));
      *resp->mutable_programme() = row.programme;
      db::WriteAudit(c, p.account_id, "CreateMentoringProgramme", row.programme.name(), nullptr, &row.programme);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::GetMentoringProgramme(grpc::ServerContext* ctx,
                                                         const v1::GetMentoringProgrammeRequest* req,
                                                         v1::GetMentoringProgrammeResponse* resp) {
  return Run(ctx, authn_, "MentoringService/GetMentoringProgramme", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "mentoringProgrammes", "name"));
      auto row = Repo::GetProgramme(c, id);
      if (!row.ok()) return CheckAccess(p, Action::kReadMentoring, absl::StatusOr<Placement>(row.status()));
      // A teacher reads the programme of their own school.
      bool own = false;
      if (p.person_id != 0) {
        auto me = Dir::PlacePerson(c, p.person_id);
        own = me.ok() && me->organization_id == row->organization_id &&
              access::Authorize(p, Action::kReadMentoring, *me).ok();
      }
      if (!own) RETURN_IF_ERROR(CheckAccess(p, Action::kReadMentoring, Dir::PlaceOrganization(c, row->organization_id)));
      *resp->mutable_programme() = row->programme;
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::ListMentoringProgrammes(grpc::ServerContext* ctx,
                                                           const v1::ListMentoringProgrammesRequest* req,
                                                           v1::ListMentoringProgrammesResponse* resp) {
  return Run(ctx, authn_, "MentoringService/ListMentoringProgrammes", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      return ms::ListInScope<v1::MentoringProgramme>(c, p, Action::kReadMentoring, *req,
          {"organization", "municipality", "status"},
          &Repo::ListProgrammes, resp, resp->mutable_programmes());
    });
  });
}

grpc::Status MentoringServiceImpl::UpdateMentoringProgramme(grpc::ServerContext* ctx,
                                                            const v1::UpdateMentoringProgrammeRequest* req,
                                                            v1::UpdateMentoringProgrammeResponse* resp) {
  return Run(ctx, authn_, "MentoringService/UpdateMentoringProgramme", [&](const Principal& p) -> absl::Status {
    const v1::MentoringProgramme& in = req->programme();
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(in.name(), "mentoringProgrammes", "programme.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateMentoringProgramme", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Repo::ProgrammeRow row, LoadForChange(c, p, id));
      ASSIGN_OR_RETURN(auto paths, ms::UpdatePaths(req->update_mask(), {"title", "coordinator", "adoption_document", "adoption_date",
                                                                  "start_date", "end_date", "pair_types", "status"}));
      v1::MentoringProgramme next = row.programme;
      for (const auto& path : paths) {
        if (path == "title") next.set_title(in.title());
        if (path == "coordinator") next.set_coordinator(in.coordinator());
        if (path == "adoption_document") next.set_adoption_document(in.adoption_document());
        if (path == "adoption_date") *next.mutable_adoption_date() = in.adoption_date();
        if (path == "start_date") *next.mutable_start_date() = in.start_date();
        if (path == "end_date") *next.mutable_end_date() = in.end_date();
        if (path == "pair_types") *next.mutable_pair_types() = in.pair_types();
        if (path == "status") next.set_status(in.status());
      }
      RETURN_IF_ERROR(ValidProgramme(next));
      if (next.status() == v1::MENTORING_PROGRAMME_STATUS_UNSPECIFIED) {
        return absl::InvalidArgumentError("Поле programme.status не может быть пустым");
      }
      ASSIGN_OR_RETURN(int64_t coordinator, Coordinator(c, p, next.coordinator(), row.region_id));
      RETURN_IF_ERROR(CheckVersion(in.version(), row.programme.version()));
      RETURN_IF_ERROR(OnlyOneLive(c, row.organization_id, id, next.status()));
      Repo::UpdateProgramme(c, id, coordinator, next);
      ASSIGN_OR_RETURN(Repo::ProgrammeRow after, Repo::GetProgramme(c, id));
      *resp->mutable_programme() = after.programme;
      db::WriteAudit(c, p.account_id, "UpdateMentoringProgramme", after.programme.name(), &row.programme, &after.programme);
      return absl::OkStatus();
    });
  });
}

grpc::Status MentoringServiceImpl::DeleteMentoringProgramme(grpc::ServerContext* ctx,
                                                            const v1::DeleteMentoringProgrammeRequest* req,
                                                            v1::DeleteMentoringProgrammeResponse* resp) {
  return Run(ctx, authn_, "MentoringService/DeleteMentoringProgramme", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "mentoringProgrammes", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteMentoringProgramme", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Repo::ProgrammeRow row, LoadForChange(c, p, id));
      RETURN_IF_ERROR(CheckVersion(req->version(), row.programme.version()));
      if (Repo::CountProgrammePairs(c, id) > 0) {
        // Its pairs keep their programme: it is closed instead.
        Repo::SetProgrammeStatus(c, id, v1::MENTORING_PROGRAMME_STATUS_CLOSED);
        ASSIGN_OR_RETURN(Repo::ProgrammeRow after, Repo::GetProgramme(c, id));
        db::WriteAudit(c, p.account_id, "CloseMentoringProgramme", after.programme.name(), &row.programme, &after.programme);
        return absl::OkStatus();
      }
      Repo::DeleteProgramme(c, id);
      db::WriteAudit(c, p.account_id, "DeleteMentoringProgramme", row.programme.name(), &row.programme, nullptr);
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
