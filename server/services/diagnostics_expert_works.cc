// DiagnosticsService: the works a teacher hands in for the externally scored items of a session
// (a written answer, a file, a link) and what a scorer reads of them (issue 13 §6).

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/expert_work_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/diagnostics/expert_work.h"
#include "server/domain/diagnostics/session_rules.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_common.h"
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
using Works = db::ExpertWorkRepository;

namespace {

// The item and its block, when `item_id` is an externally scored item of the instrument.
struct ExternalItem {
  const dx::BlockDef* block = nullptr;
  const dx::ItemDef* item = nullptr;
};

absl::StatusOr<ExternalItem> FindExternalItem(diag::ScoringCache& cache, int64_t instrument_id,
                                              const std::string& item_id, absl::string_view field) {
  ASSIGN_OR_RETURN(const dx::InstrumentDef* inst, cache.Instrument(instrument_id));
  for (const auto& b : inst->blocks) {
    for (const auto& i : b.items) {
      if (i.item_id == item_id && i.kind == dx::ItemKind::kExternalScore) return ExternalItem{&b, &i};
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("Поле ", field, ": «", item_id.substr(0, 64), "» не задание экспертной оценки этой сессии"));
}

dx::WorkInput InputOf(const v1::ExpertWork& w) {
  dx::WorkInput in;
  in.kind = static_cast<dx::WorkKind>(w.kind());
  in.text = w.text();
  in.file_name = w.file_name();
  in.content_type = w.content_type();
  in.file_size = static_cast<int64_t>(w.file_content().size());
  in.link_url = w.link_url();
  return in;
}

}  // namespace

grpc::Status DiagnosticsServiceImpl::SubmitExpertWork(grpc::ServerContext* ctx,
                                                      const v1::SubmitExpertWorkRequest* req,
                                                      v1::SubmitExpertWorkResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/SubmitExpertWork", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->session(), "sessions", "session"));
    return db::IdempotentWrite(pool_, p.account_id, "SubmitExpertWork", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto s = Repo::GetSession(c, id, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kTakeDiagnostics,
                                  s.ok() ? Dir::PlacePerson(c, s->person_id)
                                         : absl::StatusOr<access::Placement>(s.status())));
      if (s->person_id != p.person_id) {
        return absl::PermissionDeniedError("Сдать работу может только педагог, который проходит эту диагностику");
      }
      RETURN_IF_ERROR(RequireText(req->work().item_id(), "work.item_id", 64));
      if (req->version() < 0) return absl::InvalidArgumentError("Поле version: не может быть отрицательным");
      RETURN_IF_ERROR(dx::ValidateWork(InputOf(req->work()), "work."));
      diag::ScoringCache cache(c);
      ASSIGN_OR_RETURN(ExternalItem item, FindExternalItem(cache, s->instrument_id, req->work().item_id(),
                                                           "work.item_id"));
      auto campaign = Repo::GetCampaign(c, s->campaign_id);
      RETURN_IF_ERROR(campaign.status());
      auto earlier = Works::Get(c, id, req->work().item_id(), false, true);
      if (req->version() != 0) {
        if (!earlier) {
          return absl::FailedPreconditionError("Работа по этому заданию ещё не сдавалась: отправьте её с version 0");
        }
        RETURN_IF_ERROR(CheckVersion(req->version(), earlier->version()));
      }
      absl::Time now = absl::Now();
      RETURN_IF_ERROR(dx::CheckCanHandIn(static_cast<dx::SessionState>(s->state), s->deadline,
                                         static_cast<dx::CampaignState>(campaign->state),
                                         diag::CampaignWindow(campaign->campaign).close,
                                         Works::IsScored(c, id, req->work().item_id()), now));
      v1::ExpertWork work = req->work();
      work.clear_session();
      work.clear_file_size();
      work.clear_version();
      work.clear_submit_time();
      work.clear_scored();
      work.clear_score();
      work.clear_score_comment();
      work.clear_score_time();
      Works::Upsert(c, id, work);
      Repo::BumpSession(c, id);
      auto stored = Works::Get(c, id, work.item_id(), false);
      if (!stored) return absl::InternalError("работа не сохранилась");
      *resp->mutable_work() = *stored;
      db::WriteAudit(c, p.account_id, "SubmitExpertWork", req->session(), earlier ? &*earlier : nullptr,
                     &resp->work());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetExpertWork(grpc::ServerContext* ctx, const v1::GetExpertWorkRequest* req,
                                                   v1::GetExpertWorkResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetExpertWork", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->session(), "sessions", "session"));
      auto s = Repo::GetSession(c, id);
      auto where = s.ok() ? Dir::PlacePerson(c, s->person_id) : absl::StatusOr<access::Placement>(s.status());
      // The teacher reads their own work; scorers read the works of the people they score.
      bool own = s.ok() && p.person_id != 0 && s->person_id == p.person_id &&
                 CheckAccess(p, Action::kReadDiagnostics, where).ok();
      if (!own) RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, where));
      RETURN_IF_ERROR(RequireText(req->item_id(), "item_id", 64));
      diag::ScoringCache cache(c);
      ASSIGN_OR_RETURN(ExternalItem item, FindExternalItem(cache, s->instrument_id, req->item_id(), "item_id"));
      auto work = Works::Get(c, id, req->item_id(), req->include_file());
      if (!work) return absl::NotFoundError("Работа по этому заданию ещё не сдана");
      Works::Context context = Works::ContextOf(c, id);
      *resp->mutable_work() = *std::move(work);
      resp->set_person(ResourceName("people", s->person_id));
      resp->set_person_name(context.person_name);
      resp->set_organization_title(context.organization_title);
      resp->set_campaign_title(context.campaign_title);
      resp->set_block_title(item.block->title);
      resp->set_block_instructions(item.block->instructions);
      resp->set_item_text(item.item->text);
      resp->set_max_score(item.item->max_score);
      resp->set_session_version(s->version);
      if (s->result_id != 0) {
        ASSIGN_OR_RETURN(v1::DiagnosticResult result, Repo::GetResult(c, s->result_id));
        resp->set_result(result.name());
        resp->set_result_status(result.status());
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
