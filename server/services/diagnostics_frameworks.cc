// DiagnosticsService: competency frameworks (versioned; a published version never changes, so
// past results keep the bands they were scored with) and instruments (drafts, publication,
// JSON import/export).

#include <google/protobuf/util/json_util.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_common.h"
#include "server/services/diagnostics_convert.h"
#include "server/services/diagnostics_service.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
using access::Action;
using access::Principal;
using Dir = db::DirectoryRepository;
using Repo = db::DiagnosticsRepository;

namespace {

constexpr size_t kMaxImportJsonBytes = 5 * 1024 * 1024;

const char* DefaultAreaTitle(int area) {
  switch (area) {
    case 1: return "Предметные компетенции";
    case 2: return "Методические компетенции";
    case 3: return "Психолого-педагогические компетенции";
    case 4: return "Коммуникативные компетенции";
    case 5: return "Цифровые компетенции";
    default: return "";
  }
}

// Text limits, default area titles, then the domain's structural rules.
absl::Status ValidateFramework(v1::CompetencyFramework& f) {
  RETURN_IF_ERROR(RequireText(f.title(), "framework.title", 512));
  for (int i = 0; i < f.areas_size(); ++i) {
    auto* a = f.mutable_areas(i);
    if (a->title().empty()) a->set_title(DefaultAreaTitle(a->area()));
    RETURN_IF_ERROR(OptionalText(a->title(), absl::StrCat("framework.areas[", i, "].title"), 255));
    RETURN_IF_ERROR(OptionalText(a->description(), absl::StrCat("framework.areas[", i, "].description"), 10000));
  }
  for (int i = 0; i < f.indicators_size(); ++i) {
    const auto& d = f.indicators(i);
    RETURN_IF_ERROR(OptionalText(d.code(), absl::StrCat("framework.indicators[", i, "].code"), 64));
    RETURN_IF_ERROR(OptionalText(d.title(), absl::StrCat("framework.indicators[", i, "].title"), 512));
    RETURN_IF_ERROR(OptionalText(d.description(), absl::StrCat("framework.indicators[", i, "].description"), 10000));
  }
  if (f.indicators_size() > 1000) return absl::InvalidArgumentError("Поле framework.indicators: не больше 1000");
  auto errors = dx::ValidateFramework(FrameworkFromProto(f));
  if (!errors.empty()) return absl::InvalidArgumentError(absl::StrJoin(errors, "; "));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> RegionOfFramework(sql::Connection& c, int64_t id) {
  auto f = Repo::GetFramework(c, id);
  if (!f.ok()) return f.status();
  return ParseResourceName(f->region(), "regions", "region");
}

// Positions and subjects of an instrument: short, UTF-8, joinable with '|'.
absl::Status ValidateTags(const google::protobuf::RepeatedPtrField<std::string>& v, absl::string_view field) {
  size_t total = 0;
  for (const auto& s : v) {
    RETURN_IF_ERROR(RequireText(s, field, 100));
    if (s.find('|') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": без символа «|»"));
    }
    total += s.size() + 1;
  }
  if (total > 1000) return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": слишком много значений"));
  return absl::OkStatus();
}

// Validates an instrument against its framework and fills the derived totals.
absl::Status ValidateInstrument(sql::Connection& c, int64_t region, int64_t framework_id, v1::Instrument& in,
                                std::vector<std::string>* warnings = nullptr) {
  RETURN_IF_ERROR(ValidateTags(in.positions(), "instrument.positions"));
  RETURN_IF_ERROR(ValidateTags(in.subjects(), "instrument.subjects"));
  RETURN_IF_ERROR(OptionalText(in.external_id(), "instrument.external_id", 64));
  auto framework = Repo::GetFramework(c, framework_id);
  if (!framework.ok() || framework->region() != ResourceName("regions", region)) {
    return absl::InvalidArgumentError("Поле instrument.framework: рамка не найдена в регионе инструмента");
  }
  dx::Framework fw = FrameworkFromProto(*framework);
  dx::InstrumentDef def = InstrumentFromProto(in);
  if (warnings != nullptr) {
    *warnings = dx::DropUnknownIndicators(def, fw);
    std::set<std::string> known;
    for (const auto& i : fw.indicators) known.insert(i.code);
    for (auto& block : *in.mutable_blocks()) {
      for (auto& item : *block.mutable_items()) {
        auto* weights = item.mutable_indicator_weights();
        weights->erase(std::remove_if(weights->begin(), weights->end(),
                                      [&](const v1::ItemIndicatorWeight& w) { return !known.count(w.indicator_code()); }),
                       weights->end());
      }
    }
  }
  auto errors = dx::ValidateInstrument(def, fw);
  if (!errors.empty()) {
    if (errors.size() > 20) errors.resize(20);
    return absl::InvalidArgumentError(absl::StrCat("Инструмент составлен с ошибками: ", absl::StrJoin(errors, "; ")));
  }
  in.set_max_score(dx::MaxScore(def));
  in.set_item_count(dx::ItemCount(def));
  return absl::OkStatus();
}

bool CanManageFramework(const Principal& p, int64_t region) {
  return access::Authorize(p, Action::kManageFramework, access::Placement{region, 0, 0, 0}).ok();
}

// A framework an instrument names: the region's reference data, so anyone working in its region
// may name it; another region's looks exactly like a missing one.
absl::Status AuthorizeFramework(sql::Connection& c, const Principal& p, int64_t framework_id) {
  auto fw = Repo::GetFramework(c, framework_id);
  return diag::CheckRegionReader(p, diag::RegionOfLoaded(fw.status(), fw.ok() ? fw->region() : ""));
}

absl::StatusOr<v1::Instrument> LoadInstrumentAuthorised(sql::Connection& c, const Principal& p, int64_t id) {
  auto current = Repo::GetInstrument(c, id, true);
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework,
                              diag::PlaceInRegion(current.status(), current.ok() ? current->region() : "")));
  return current;
}

// Version and state of an instrument about to change (after its request is validated).
absl::Status CheckInstrumentWritable(const v1::Instrument& current, int64_t expected_version) {
  RETURN_IF_ERROR(CheckVersion(expected_version, current.version()));
  if (current.state() != v1::INSTRUMENT_STATE_DRAFT) {
    return absl::FailedPreconditionError(
        "Опубликованный инструмент не изменяется: создайте новый (например, через экспорт и импорт JSON)");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Instrument> LoadInstrumentForWrite(sql::Connection& c, const Principal& p, int64_t id,
                                                      int64_t expected_version) {
  ASSIGN_OR_RETURN(v1::Instrument current, LoadInstrumentAuthorised(c, p, id));
  RETURN_IF_ERROR(CheckInstrumentWritable(current, expected_version));
  return current;
}

// Creates a draft instrument after validation; shared by Create and Import.
absl::StatusOr<v1::Instrument> CreateDraftInstrument(sql::Connection& c, const Principal& p, int64_t region,
                                                     int64_t framework_id, v1::Instrument in, const char* method,
                                                     std::vector<std::string>* warnings) {
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework, Dir::PlaceRegion(c, region)));
  RETURN_IF_ERROR(AuthorizeFramework(c, p, framework_id));
  RETURN_IF_ERROR(ValidateInstrument(c, region, framework_id, in, warnings));
  int64_t id = Repo::InsertInstrument(c, region, framework_id, in);
  ASSIGN_OR_RETURN(v1::Instrument created, Repo::GetInstrument(c, id));
  db::WriteAudit(c, p.account_id, method, created.name(), nullptr, &created);
  return created;
}

}  // namespace

// ---------------------------------------------------------------- frameworks

grpc::Status DiagnosticsServiceImpl::CreateCompetencyFramework(grpc::ServerContext* ctx,
                                                               const v1::CreateCompetencyFrameworkRequest* req,
                                                               v1::CreateCompetencyFrameworkResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/CreateCompetencyFramework", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->framework().region(), "regions", "framework.region"));
    ASSIGN_OR_RETURN(int64_t based_on,
                     ParseOptionalResourceName(req->framework().based_on(), "frameworks", "framework.based_on"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateCompetencyFramework", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework, Dir::PlaceRegion(c, region)));
      // The version it is based on is authorised first: another region's looks like a missing one.
      if (based_on != 0) RETURN_IF_ERROR(AuthorizeFramework(c, p, based_on));
      v1::CompetencyFramework f = req->framework();
      if (based_on != 0) {
        auto base = Repo::GetFramework(c, based_on);
        if (!base.ok() || base->region() != f.region()) {
          return absl::InvalidArgumentError("Поле framework.based_on: версия рамки этого региона не найдена");
        }
        // A new version starts as a copy of the one it is based on unless given content.
        if (f.areas_size() == 0 && f.indicators_size() == 0) {
          *f.mutable_areas() = base->areas();
          *f.mutable_indicators() = base->indicators();
          if (!f.has_overall_thresholds()) *f.mutable_overall_thresholds() = base->overall_thresholds();
        }
        if (f.title().empty()) f.set_title(base->title());
      }
      RETURN_IF_ERROR(ValidateFramework(f));
      int64_t id = Repo::InsertFramework(c, region, based_on, f);
      ASSIGN_OR_RETURN(*resp->mutable_framework(), Repo::GetFramework(c, id));
      db::WriteAudit(c, p.account_id, "CreateCompetencyFramework", resp->framework().name(), nullptr, &resp->framework());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetCompetencyFramework(grpc::ServerContext* ctx,
                                                            const v1::GetCompetencyFrameworkRequest* req,
                                                            v1::GetCompetencyFrameworkResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetCompetencyFramework", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "frameworks", "name"));
      auto f = Repo::GetFramework(c, id);
      RETURN_IF_ERROR(diag::CheckRegionReader(p, diag::RegionOfLoaded(f.status(), f.ok() ? f->region() : "")));
      *resp->mutable_framework() = std::move(*f);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ListCompetencyFrameworks(grpc::ServerContext* ctx,
                                                              const v1::ListCompetencyFrameworksRequest* req,
                                                              v1::ListCompetencyFrameworksResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListCompetencyFrameworks", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      auto regions = diag::RegionsOf(p);
      if (regions.empty()) return access::Authorize(p, Action::kReadDiagnostics, access::Placement{});
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      db::ListPage page;
      ASSIGN_OR_RETURN(auto rows, Repo::ListFrameworks(c, regions, args, &page));
      diag::FillPage(std::move(rows), resp->mutable_frameworks(), page, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::UpdateCompetencyFramework(grpc::ServerContext* ctx,
                                                               const v1::UpdateCompetencyFrameworkRequest* req,
                                                               v1::UpdateCompetencyFrameworkResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/UpdateCompetencyFramework", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->framework().name(), "frameworks", "framework.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateCompetencyFramework", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto current = Repo::GetFramework(c, id, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework,
                                  diag::PlaceInRegion(current.status(), current.ok() ? current->region() : "")));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"title", "areas", "indicators", "overall_thresholds"}));
      v1::CompetencyFramework next = *current;
      const auto& in = req->framework();
      for (const auto& path : paths) {
        if (path == "title") next.set_title(in.title());
        if (path == "areas") *next.mutable_areas() = in.areas();
        if (path == "indicators") *next.mutable_indicators() = in.indicators();
        if (path == "overall_thresholds") *next.mutable_overall_thresholds() = in.overall_thresholds();
      }
      RETURN_IF_ERROR(ValidateFramework(next));
      RETURN_IF_ERROR(CheckVersion(req->framework().version(), current->version()));
      RETURN_IF_ERROR(dx::CheckFrameworkEditable(current->state()));
      Repo::UpdateFramework(c, id, next);
      ASSIGN_OR_RETURN(*resp->mutable_framework(), Repo::GetFramework(c, id));
      db::WriteAudit(c, p.account_id, "UpdateCompetencyFramework", resp->framework().name(), &*current,
                     &resp->framework());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::PublishCompetencyFramework(grpc::ServerContext* ctx,
                                                                const v1::PublishCompetencyFrameworkRequest* req,
                                                                v1::PublishCompetencyFrameworkResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/PublishCompetencyFramework", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "frameworks", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "PublishCompetencyFramework", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto current = Repo::GetFramework(c, id, true);
      auto where = diag::PlaceInRegion(current.status(), current.ok() ? current->region() : "");
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework, where));
      int64_t region = where->region_id;
      RETURN_IF_ERROR(CheckVersion(req->version(), current->version()));
      if (current->state() != v1::COMPETENCY_FRAMEWORK_STATE_DRAFT) {
        return absl::FailedPreconditionError("Опубликовать можно только черновик версии рамки");
      }
      for (const auto& a : current->areas()) {
        bool has = false;
        for (const auto& i : current->indicators()) has = has || i.area() == a.area();
        if (!has) {
          return absl::FailedPreconditionError(
              absl::StrCat("В области «", a.title(), "» нет ни одного индикатора: рамку нельзя опубликовать"));
        }
      }
      Repo::PublishFramework(c, id, region);
      ASSIGN_OR_RETURN(*resp->mutable_framework(), Repo::GetFramework(c, id));
      db::WriteAudit(c, p.account_id, "PublishCompetencyFramework", resp->framework().name(), &*current,
                     &resp->framework());
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- instruments

grpc::Status DiagnosticsServiceImpl::CreateInstrument(grpc::ServerContext* ctx, const v1::CreateInstrumentRequest* req,
                                                      v1::CreateInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/CreateInstrument", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->instrument().region(), "regions", "instrument.region"));
    ASSIGN_OR_RETURN(int64_t framework,
                     ParseResourceName(req->instrument().framework(), "frameworks", "instrument.framework"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateInstrument", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(*resp->mutable_instrument(), CreateDraftInstrument(c, p, region, framework, req->instrument(),
                                                                          "CreateInstrument", nullptr));
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetInstrument(grpc::ServerContext* ctx, const v1::GetInstrumentRequest* req,
                                                   v1::GetInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetInstrument", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "instruments", "name"));
      auto in = Repo::GetInstrument(c, id);
      auto region = diag::RegionOfLoaded(in.status(), in.ok() ? in->region() : "");
      RETURN_IF_ERROR(diag::CheckRegionReader(p, region));
      bool manager = CanManageFramework(p, *region);
      if (req->view() == v1::INSTRUMENT_VIEW_FULL && !manager) {
        return absl::PermissionDeniedError("Недостаточно прав: ключ ответов доступен только составителям инструментов");
      }
      if (req->view() == v1::INSTRUMENT_VIEW_TAKER || !manager) StripAnswerKey(&*in);
      *resp->mutable_instrument() = std::move(*in);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ListInstruments(grpc::ServerContext* ctx, const v1::ListInstrumentsRequest* req,
                                                     v1::ListInstrumentsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListInstruments", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      auto regions = diag::RegionsOf(p);
      if (regions.empty()) return access::Authorize(p, Action::kReadDiagnostics, access::Placement{});
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      db::ListPage page;
      ASSIGN_OR_RETURN(auto rows, Repo::ListInstruments(c, regions, args, &page));
      diag::FillPage(std::move(rows), resp->mutable_instruments(), page, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::UpdateInstrument(grpc::ServerContext* ctx, const v1::UpdateInstrumentRequest* req,
                                                      v1::UpdateInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/UpdateInstrument", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->instrument().name(), "instruments", "instrument.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateInstrument", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(v1::Instrument current, LoadInstrumentAuthorised(c, p, id));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"title", "purpose", "positions", "subjects", "blocks",
                                                                  "external_id", "framework"}));
      v1::Instrument next = current;
      const auto& in = req->instrument();
      for (const auto& path : paths) {
        if (path == "title") next.set_title(in.title());
        if (path == "purpose") next.set_purpose(in.purpose());
        if (path == "positions") *next.mutable_positions() = in.positions();
        if (path == "subjects") *next.mutable_subjects() = in.subjects();
        if (path == "blocks") *next.mutable_blocks() = in.blocks();
        if (path == "external_id") next.set_external_id(in.external_id());
        if (path == "framework") next.set_framework(in.framework());
      }
      ASSIGN_OR_RETURN(int64_t region, ParseResourceName(next.region(), "regions", "region"));
      ASSIGN_OR_RETURN(int64_t framework, ParseResourceName(next.framework(), "frameworks", "instrument.framework"));
      if (next.framework() != current.framework()) RETURN_IF_ERROR(AuthorizeFramework(c, p, framework));
      RETURN_IF_ERROR(ValidateInstrument(c, region, framework, next));
      RETURN_IF_ERROR(CheckInstrumentWritable(current, req->instrument().version()));
      Repo::UpdateInstrument(c, id, framework, next);
      ASSIGN_OR_RETURN(*resp->mutable_instrument(), Repo::GetInstrument(c, id));
      db::WriteAudit(c, p.account_id, "UpdateInstrument", resp->instrument().name(), &current, &resp->instrument());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::DeleteInstrument(grpc::ServerContext* ctx, const v1::DeleteInstrumentRequest* req,
                                                      v1::DeleteInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/DeleteInstrument", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "instruments", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteInstrument", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(v1::Instrument current, LoadInstrumentForWrite(c, p, id, req->version()));
      Repo::DeleteInstrument(c, id);
      db::WriteAudit(c, p.account_id, "DeleteInstrument", current.name(), &current, nullptr);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::PublishInstrument(grpc::ServerContext* ctx,
                                                       const v1::PublishInstrumentRequest* req,
                                                       v1::PublishInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/PublishInstrument", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "instruments", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "PublishInstrument", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto current = LoadInstrumentForWrite(c, p, id, req->version());
      if (!current.ok() && current.status().code() == absl::StatusCode::kFailedPrecondition) {
        return absl::FailedPreconditionError("Инструмент уже опубликован");
      }
      RETURN_IF_ERROR(current.status());
      ASSIGN_OR_RETURN(int64_t framework_id, ParseResourceName(current->framework(), "frameworks", "framework"));
      ASSIGN_OR_RETURN(v1::CompetencyFramework framework, Repo::GetFramework(c, framework_id));
      if (framework.state() != v1::COMPETENCY_FRAMEWORK_STATE_PUBLISHED) {
        return absl::FailedPreconditionError(
            "Рамка компетенций инструмента не опубликована или заменена новой версией: привяжите инструмент к "
            "действующей рамке");
      }
      dx::InstrumentDef def = InstrumentFromProto(*current);
      auto errors = dx::ValidateInstrument(def, FrameworkFromProto(framework));
      for (auto& e : dx::ValidateForPublish(def)) errors.push_back(std::move(e));
      if (!errors.empty()) {
        if (errors.size() > 20) errors.resize(20);
        return absl::FailedPreconditionError(
            absl::StrCat("Инструмент не готов к публикации: ", absl::StrJoin(errors, "; ")));
      }
      Repo::SetInstrumentState(c, id, v1::INSTRUMENT_STATE_PUBLISHED);
      ASSIGN_OR_RETURN(*resp->mutable_instrument(), Repo::GetInstrument(c, id));
      db::WriteAudit(c, p.account_id, "PublishInstrument", resp->instrument().name(), &*current, &resp->instrument());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ImportInstrument(grpc::ServerContext* ctx, const v1::ImportInstrumentRequest* req,
                                                      v1::ImportInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ImportInstrument", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->region(), "regions", "region"));
    return db::IdempotentWrite(pool_, p.account_id, "ImportInstrument", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      // The region is authorised before its frameworks are looked at (they are not the caller's to probe).
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework, Dir::PlaceRegion(c, region)));
      if (!req->framework().empty()) {
        ASSIGN_OR_RETURN(int64_t chosen, ParseResourceName(req->framework(), "frameworks", "framework"));
        RETURN_IF_ERROR(AuthorizeFramework(c, p, chosen));
      }
      if (req->json_content().empty()) return absl::InvalidArgumentError("Поле json_content обязательно");
      if (req->json_content().size() > kMaxImportJsonBytes) {
        return absl::InvalidArgumentError("Поле json_content: файл больше 5 МБ");
      }
      v1::Instrument parsed;
      google::protobuf::util::JsonParseOptions opts;
      opts.ignore_unknown_fields = false;
      auto st = google::protobuf::util::JsonStringToMessage(req->json_content(), &parsed, opts);
      if (!st.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("Поле json_content: не JSON инструмента (", std::string(st.message()).substr(0, 200), ")"));
      }
      // The importing region owns the copy; identity and lifecycle start afresh.
      parsed.clear_name();
      parsed.clear_version();
      parsed.clear_state();
      parsed.clear_create_time();
      parsed.clear_update_time();
      parsed.set_region(req->region());
      if (!req->framework().empty()) parsed.set_framework(req->framework());
      v1::Instrument in = parsed;
      // A file from another region names a framework this region does not have: it is mapped
      // onto this region's published framework unless the caller chose one.
      int64_t framework = 0;
      auto named = ParseOptionalResourceName(in.framework(), "frameworks", "framework");
      if (named.ok() && *named != 0) {
        auto owner = RegionOfFramework(c, *named);
        if (owner.ok() && *owner == region) framework = *named;
      }
      if (framework == 0) {
        if (!req->framework().empty()) return absl::InvalidArgumentError("Поле framework: рамка не найдена в регионе");
        ASSIGN_OR_RETURN(framework, Repo::PublishedFrameworkId(c, region));
        in.set_framework(ResourceName("frameworks", framework));
      }
      std::vector<std::string> warnings;
      ASSIGN_OR_RETURN(*resp->mutable_instrument(),
                       CreateDraftInstrument(c, p, region, framework, in, "ImportInstrument", &warnings));
      for (auto& w : warnings) resp->add_warnings(std::move(w));
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ExportInstrument(grpc::ServerContext* ctx, const v1::ExportInstrumentRequest* req,
                                                      v1::ExportInstrumentResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ExportInstrument", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "instruments", "name"));
      auto in = Repo::GetInstrument(c, id);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework,
                                  diag::PlaceInRegion(in.status(), in.ok() ? in->region() : "")));
      google::protobuf::util::JsonPrintOptions opts;
      opts.add_whitespace = true;
      std::string json;
      auto st = google::protobuf::util::MessageToJsonString(*in, &json, opts);
      if (!st.ok()) return absl::InternalError("Не удалось сформировать JSON инструмента");
      resp->set_json_content(std::move(json));
      resp->set_filename(absl::StrCat("instrument-", id, ".json"));
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
