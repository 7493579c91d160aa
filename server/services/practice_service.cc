// PracticeService: the bank of practices. Every write runs in one transaction with its audit
// row, is idempotent by request_id and checks the version the caller saw.

#include "server/services/practice_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/practice_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/common/text.h"
#include "server/domain/practices/rules.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::PracticeRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;
namespace pr = nms::practices;

namespace {

pr::Draft DraftOf(const v1::Practice& m) {
  pr::Draft d;
  d.title = m.title();
  d.description = m.description();
  d.links.assign(m.links().begin(), m.links().end());
  for (int a : m.areas()) d.areas.push_back(a);
  d.indicator_codes.assign(m.indicator_codes().begin(), m.indicator_codes().end());
  d.level = m.level();
  d.subject = m.subject();
  return d;
}

absl::StatusOr<Placement> PlaceOf(const absl::StatusOr<db::PracticeRecord>& rec) {
  if (!rec.ok()) return rec.status();
  return rec->place;
}

pr::Status StatusOf(const db::PracticeRecord& r) { return static_cast<pr::Status>(r.practice.status()); }

// A published practice is the region's reference: anyone working in its region reads it. The
// rest is read in scope; out of scope looks like missing.
absl::Status CheckRead(const Principal& p, const absl::StatusOr<db::PracticeRecord>& rec) {
  if (rec.ok() && pr::ReadableRegionWide(StatusOf(*rec)) &&
      access::MemberOfRegion(p, rec->place.region_id, Action::kReadPractices)) {
    return absl::OkStatus();
  }
  return CheckAccess(p, Action::kReadPractices, PlaceOf(rec));
}

absl::StatusOr<int64_t> ParsePracticeName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, "practices", field);
}

// Reads, locks and authorises the practice of a write; the answer of a transition.
absl::StatusOr<db::PracticeRecord> LockFor(sql::Connection& c, const Principal& p, Action action, int64_t id) {
  auto rec = Repo::Get(c, id, /*for_update=*/true);
  RETURN_IF_ERROR(CheckAccess(p, action, PlaceOf(rec)));
  return rec;
}

absl::Status Reload(sql::Connection& c, int64_t id, v1::Practice* out) {
  ASSIGN_OR_RETURN(db::PracticeRecord r, Repo::Get(c, id));
  *out = std::move(r.practice);
  return absl::OkStatus();
}

}  // namespace

grpc::Status PracticeServiceImpl::GetPractice(grpc::ServerContext* ctx, const v1::GetPracticeRequest* req,
                                              v1::GetPracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/GetPractice", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParsePracticeName(req->name(), "name"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      auto rec = Repo::Get(c, id);
      RETURN_IF_ERROR(CheckRead(p, rec));
      *resp->mutable_practice() = std::move(rec->practice);
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::ListPractices(grpc::ServerContext* ctx, const v1::ListPracticesRequest* req,
                                                v1::ListPracticesResponse* resp) {
  return Run(ctx, authn_, "PracticeService/ListPractices", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(pr::Query q, pr::ParseQuery(req->filter()));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      db::PracticeVisibility visible;
      ASSIGN_OR_RETURN(visible.scope, ResolveListScope(c, p, Action::kReadPractices, "", "filter"));
      ASSIGN_OR_RETURN(pr::Order order, pr::ParseOrder(req->order_by()));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}, 50, 200));
      visible.has_scope = true;
      for (const auto& g : p.grants) {
        const auto& roles = access::RolesFor(Action::kReadPractices);
        if (std::find(roles.begin(), roles.end(), g.role) != roles.end() &&
            std::find(visible.published_regions.begin(), visible.published_regions.end(), g.region_id) ==
                visible.published_regions.end()) {
          visible.published_regions.push_back(g.region_id);
        }
      }
      const int64_t offset = paging.AfterNumber();
      db::PracticePage page = Repo::List(c, visible, q, order, offset, paging.size());
      for (auto& m : page.practices) *resp->add_practices() = std::move(m);
      resp->set_total_size(page.total_size);
      if (page.more) resp->set_next_page_token(paging.NextNumber(offset + resp->practices_size()));
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::CreatePractice(grpc::ServerContext* ctx, const v1::CreatePracticeRequest* req,
                                                 v1::CreatePracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/CreatePractice", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t author, ParseResourceName(req->practice().author(), "people", "practice.author"));
    return db::IdempotentWrite(pool_, p.account_id, "CreatePractice", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto place = Dir::PlacePerson(c, author);
      RETURN_IF_ERROR(CheckAccess(p, Action::kSubmitPractice, place));
      const pr::Draft draft = DraftOf(req->practice());
      RETURN_IF_ERROR(pr::ValidateDraft(draft, "practice"));
      if (place->organization_id == 0) {
        return absl::FailedPreconditionError(
            "У автора в карточке не указана организация: практика относится к организации автора");
      }
      const int64_t id = Repo::Insert(c, *place, draft);
      RETURN_IF_ERROR(Reload(c, id, resp->mutable_practice()));
      db::WriteAudit(c, p.account_id, "CreatePractice", resp->practice().name(), nullptr, &resp->practice());
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::UpdatePractice(grpc::ServerContext* ctx, const v1::UpdatePracticeRequest* req,
                                                 v1::UpdatePracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/UpdatePractice", [&](const Principal& p) -> absl::Status {
    const auto& in = req->practice();
    ASSIGN_OR_RETURN(int64_t id, ParsePracticeName(in.name(), "practice.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdatePractice", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::PracticeRecord rec, LockFor(c, p, Action::kSubmitPractice, id));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"title", "description", "links", "areas",
                                                                   "indicator_codes", "level", "subject"}));
      RETURN_IF_ERROR(CheckVersion(in.version(), rec.practice.version()));
      RETURN_IF_ERROR(pr::CanEdit(StatusOf(rec)));
      v1::Practice next = rec.practice;
      for (const auto& path : paths) {
        if (path == "title") next.set_title(in.title());
        if (path == "description") next.set_description(in.description());
        if (path == "links") *next.mutable_links() = in.links();
        if (path == "areas") *next.mutable_areas() = in.areas();
        if (path == "indicator_codes") *next.mutable_indicator_codes() = in.indicator_codes();
        if (path == "level") next.set_level(in.level());
        if (path == "subject") next.set_subject(in.subject());
      }
      const pr::Draft d = DraftOf(next);
      RETURN_IF_ERROR(pr::ValidateDraft(d, "practice"));
      Repo::UpdateContent(c, id, d);
      RETURN_IF_ERROR(Reload(c, id, resp->mutable_practice()));
      db::WriteAudit(c, p.account_id, "UpdatePractice", in.name(), &rec.practice, &resp->practice());
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::SubmitPractice(grpc::ServerContext* ctx, const v1::SubmitPracticeRequest* req,
                                                 v1::SubmitPracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/SubmitPractice", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParsePracticeName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "SubmitPractice", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::PracticeRecord rec, LockFor(c, p, Action::kSubmitPractice, id));
      RETURN_IF_ERROR(CheckVersion(req->version(), rec.practice.version()));
      RETURN_IF_ERROR(pr::CanSubmit(StatusOf(rec)));
      Repo::SetStatus(c, id, pr::Status::kSubmitted, rec.practice.return_comment());
      RETURN_IF_ERROR(Reload(c, id, resp->mutable_practice()));
      db::WriteAudit(c, p.account_id, "SubmitPractice", req->name(), &rec.practice, &resp->practice());
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::ReviewPractice(grpc::ServerContext* ctx, const v1::ReviewPracticeRequest* req,
                                                 v1::ReviewPracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/ReviewPractice", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParsePracticeName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "ReviewPractice", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::PracticeRecord rec, LockFor(c, p, Action::kReviewPractice, id));
      std::vector<std::pair<std::string, int>> scores;
      for (const auto& s : req->review().scores()) scores.emplace_back(s.criterion(), s.score());
      RETURN_IF_ERROR(CheckVersion(req->version(), rec.practice.version()));
      RETURN_IF_ERROR(pr::CanReview(StatusOf(rec)));
      const bool already =
          std::find(rec.reviewer_ids.begin(), rec.reviewer_ids.end(), p.person_id) != rec.reviewer_ids.end();
      RETURN_IF_ERROR(pr::CanReviewAs(rec.place.person_id, p.person_id, already));
      ASSIGN_OR_RETURN(int total, pr::ScoreReview(scores, "review.scores"));
      RETURN_IF_ERROR(RequireText(req->review().comment(), "review.comment", 4000));
      Repo::AddReview(c, id, p.person_id, scores, total, req->review().recommend(), req->review().comment());
      RETURN_IF_ERROR(Reload(c, id, resp->mutable_practice()));
      db::WriteAudit(c, p.account_id, "ReviewPractice", req->name(), &rec.practice, &resp->practice());
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::PublishPractice(grpc::ServerContext* ctx, const v1::PublishPracticeRequest* req,
                                                  v1::PublishPracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/PublishPractice", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParsePracticeName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "PublishPractice", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::PracticeRecord rec, LockFor(c, p, Action::kPublishPractice, id));
      RETURN_IF_ERROR(CheckVersion(req->version(), rec.practice.version()));
      RETURN_IF_ERROR(pr::CanPublish(StatusOf(rec), rec.practice.reviews_size()));
      Repo::SetStatus(c, id, pr::Status::kPublished, "");
      RETURN_IF_ERROR(Reload(c, id, resp->mutable_practice()));
      db::WriteAudit(c, p.account_id, "PublishPractice", req->name(), &rec.practice, &resp->practice());
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::ReturnPractice(grpc::ServerContext* ctx, const v1::ReturnPracticeRequest* req,
                                                 v1::ReturnPracticeResponse* resp) {
  return Run(ctx, authn_, "PracticeService/ReturnPractice", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParsePracticeName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "ReturnPractice", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::PracticeRecord rec, LockFor(c, p, Action::kPublishPractice, id));
      RETURN_IF_ERROR(CheckVersion(req->version(), rec.practice.version()));
      RETURN_IF_ERROR(RequireText(req->comment(), "comment", 4000));
      RETURN_IF_ERROR(pr::CanReturn(StatusOf(rec)));
      Repo::SetStatus(c, id, pr::Status::kReturned, req->comment());
      RETURN_IF_ERROR(Reload(c, id, resp->mutable_practice()));
      db::WriteAudit(c, p.account_id, "ReturnPractice", req->name(), &rec.practice, &resp->practice());
      return absl::OkStatus();
    });
  });
}

grpc::Status PracticeServiceImpl::GetPracticeRubric(grpc::ServerContext* ctx, const v1::GetPracticeRubricRequest*,
                                                    v1::GetPracticeRubricResponse* resp) {
  return Run(ctx, authn_, "PracticeService/GetPracticeRubric", [&](const Principal& p) -> absl::Status {
    if (access::WidestGrantFor(p, Action::kReadPractices) == nullptr) {
      return access::Authorize(p, Action::kReadPractices, Placement{});
    }
    for (const auto& k : pr::Rubric()) {
      auto* c = resp->add_criteria();
      c->set_code(k.code);
      c->set_title(k.title);
      c->set_description(k.description);
      c->set_max_score(k.max_score);
    }
    return absl::OkStatus();
  });
}

}  // namespace nms::services
