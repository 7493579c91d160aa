// RouteService: route items — the roadmap rows, carrying them out, and the ДПП enrolment.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/db/activity_repository.h"
#include "server/db/audit.h"
#include "server/db/idempotency.h"
#include "server/db/route_feed.h"
#include "server/db/route_item_repository.h"
#include "server/db/route_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/names.h"
#include "server/domain/inbox/notifications.h"
#include "server/domain/route/catalogue.h"
#include "server/domain/route/items.h"
#include "server/services/convert.h"
#include "server/services/mentoring_support.h"
#include "server/services/notify.h"
#include "server/services/route_access.h"
#include "server/services/route_service.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Principal;
using Repo = db::RouteRepository;
using Items = db::RouteItemRepository;
namespace v1 = nms::v1;

namespace {

// The route and item of a request, locked, with access checked. Out of scope and missing
// look the same.
struct Target {
  db::RouteHead route;
  db::ItemHead item;
};
absl::StatusOr<Target> LockItem(sql::Connection& c, const Principal& p, Action action, int64_t route_id,
                                int64_t item_id) {
  auto head = Repo::GetHead(c, route_id, true);
  RETURN_IF_ERROR(CheckRouteAccess(p, action, head));
  ASSIGN_OR_RETURN(db::ItemHead item, Items::GetHead(c, route_id, item_id, true));
  return Target{*head, std::move(item)};
}

// The catalogue entry and the mentoring pair an item names are authorised before the item is
// checked against them: the entry must be of a region the caller works in (a region's catalogue
// is open to all of it), the pair one the caller may read and one the route's teacher is in.
absl::Status AuthorizeItemRefs(sql::Connection& c, const Principal& p, const db::RouteHead& route,
                               const db::ItemWrite& w) {
  if (w.activity_id != 0) {
    auto region = db::ActivityRepository::RegionOf(c, w.activity_id);
    RETURN_IF_ERROR(CheckRegionAccess(p, Action::kReadRoute,
                                      region.ok() ? absl::StatusOr<access::Placement>(access::Placement{*region, 0, 0, 0})
                                                  : absl::StatusOr<access::Placement>(region.status())));
  }
  if (w.mentoring_pair_id != 0) {
    ASSIGN_OR_RETURN(mentoring_support::PairContext pair, mentoring_support::LoadPair(c, p, w.mentoring_pair_id, false));
    const db::EntityRef teacher{false, route.person_id};
    if (!(pair.row.mentee == teacher) && !(pair.row.mentor == teacher)) {
      return absl::InvalidArgumentError("Поле item.mentoring_pair: пара, в которой нет педагога этого маршрута");
    }
  }
  return absl::OkStatus();
}

// Checks the content of an item against the route: section, catalogue entry of the region,
// deficits it closes, sizes and texts.
absl::Status ValidateItem(sql::Connection& c, const db::RouteHead& route, db::ItemWrite& w, bool fill_from_activity) {
  std::optional<route::ActivityKind> kind;
  if (w.activity_id != 0) {
    auto region = db::ActivityRepository::RegionOf(c, w.activity_id);
    if (!region.ok() || *region != route.region_id) {
      return absl::InvalidArgumentError("Поле item.activity: мероприятие не найдено в каталоге региона");
    }
    ASSIGN_OR_RETURN(v1::Activity a, db::ActivityRepository::Get(c, w.activity_id));
    kind = static_cast<route::ActivityKind>(a.kind());
    auto section = route::SectionOf(*kind);
    if (static_cast<int>(w.section) == 0) w.section = section;
    if (w.section != section) {
      return absl::InvalidArgumentError(absl::StrCat("Поле item.section: мероприятие этого вида относится к разделу ",
                                                     route::SectionNumber(section)));
    }
    if (fill_from_activity) {
      if (w.title.empty()) w.title = a.title();
      if (w.hours == 0) w.hours = a.hours();
      if (w.form.empty()) {
        std::vector<std::string> parts;
        if (*route::FormatTitle(a.format()) != '\0') parts.push_back(route::FormatTitle(a.format()));
        if (a.hours() > 0) parts.push_back(absl::StrCat(a.hours(), " ч"));
        if (!a.provider_title().empty()) parts.push_back(a.provider_title());
        w.form = absl::StrJoin(parts, ", ");
      }
    }
  }
  int section = static_cast<int>(w.section);
  if (section < 1 || section > 7) return absl::InvalidArgumentError("Поле item.section: укажите раздел маршрута");
  RETURN_IF_ERROR(RequireText(w.title, "item.title", 1000));
  RETURN_IF_ERROR(OptionalText(w.form, "item.form", 1000));
  RETURN_IF_ERROR(OptionalText(w.reason, "item.reason", 4000));
  RETURN_IF_ERROR(OptionalText(w.community_status, "item.community_status", 255));
  if (w.hours < 0 || w.hours > 2000) return absl::InvalidArgumentError("Поле item.hours: от 0 до 2000");
  RETURN_IF_ERROR(route::NormalizeTemplateDetails(w.section, kind ? &*kind : nullptr, w.details));
  std::vector<std::string> deficits;
  for (auto& [result, list] : Repo::Deficits(c, {route.result_id})) {
    for (const auto& d : list) deficits.push_back(d.indicator_code);
  }
  std::sort(w.closes.begin(), w.closes.end());
  w.closes.erase(std::unique(w.closes.begin(), w.closes.end()), w.closes.end());
  for (const auto& code : w.closes) {
    if (std::find(deficits.begin(), deficits.end(), code) == deficits.end()) {
      return absl::InvalidArgumentError(absl::StrCat("Поле item.closes_indicator_codes: «", code.substr(0, 64),
                                                     "» не дефицит диагностики этого маршрута"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<db::ItemWrite> WriteFromProto(const v1::RouteItem& in) {
  db::ItemWrite w;
  w.section = static_cast<route::Section>(in.section());
  ASSIGN_OR_RETURN(w.activity_id, ParseOptionalResourceName(in.activity(), "activities", "item.activity"));
  w.title = in.title();
  w.form = in.form();
  w.hours = in.hours();
  ASSIGN_OR_RETURN(w.deadline, FromProtoDate(in.deadline(), "item.deadline"));
  w.closes.assign(in.closes_indicator_codes().begin(), in.closes_indicator_codes().end());
  if (w.closes.size() > 100) return absl::InvalidArgumentError("Поле item.closes_indicator_codes: не более 100 кодов");
  w.reason = in.reason();
  w.community_status = in.community_status();
  ASSIGN_OR_RETURN(w.mentoring_pair_id, ParseOptionalResourceName(in.mentoring_pair(), "mentoringPairs", "item.mentoring_pair"));
  w.details.experience_topic = in.experience_topic();
  w.details.experience_event = in.experience_event();
  w.details.product_title = in.product_title();
  w.details.product_placement = in.product_placement();
  w.details.mentoring_role = static_cast<route::MentoringRole>(in.mentoring_role());
  w.details.mentee_position = in.mentee_position();
  return w;
}

// After an item change: the route's version moves too (signatures cover what was signed),
// then audit and the item's feed record.
absl::Status Finish(sql::Connection& c, const Principal& p, const char* action, const db::RouteHead& route,
                    int64_t item_id, const v1::RouteItem* before, v1::RouteItem* out) {
  Repo::Touch(c, route.id);
  ASSIGN_OR_RETURN(*out, Items::Get(c, route.id, item_id));
  db::WriteAudit(c, p.account_id, action, out->name(), before, out);
  db::WriteItemFeed(c, route.region_id, *out, before == nullptr ? federal::kCreate : federal::kUpdate);
  return absl::OkStatus();
}

}  // namespace

grpc::Status RouteServiceImpl::CreateRouteItem(grpc::ServerContext* ctx, const v1::CreateRouteItemRequest* req,
                                               v1::CreateRouteItemResponse* resp) {
  return Run(ctx, authn_, "RouteService/CreateRouteItem", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t route_id, ParseRouteName(req->parent(), "parent"));
    return db::IdempotentWrite(pool_, p.account_id, "CreateRouteItem", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      auto head = Repo::GetHead(c, route_id, true);
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kEditRoute, head));
      ASSIGN_OR_RETURN(db::ItemWrite w, WriteFromProto(req->item()));
      RETURN_IF_ERROR(AuthorizeItemRefs(c, p, *head, w));
      db::ItemWrite item = w;
      RETURN_IF_ERROR(ValidateItem(c, *head, item, true));
      RETURN_IF_ERROR(route::CheckItemCreate(head->state.status));
      if (Items::Count(c, route_id) >= 200) {
        return absl::FailedPreconditionError("В маршруте уже 200 пунктов — больше добавить нельзя");
      }
      int64_t id = Items::Insert(c, route_id, item);
      return Finish(c, p, "CreateRouteItem", *head, id, nullptr, resp->mutable_item());
    });
  });
}

grpc::Status RouteServiceImpl::GetRouteItem(grpc::ServerContext* ctx, const v1::GetRouteItemRequest* req,
                                            v1::GetRouteItemResponse* resp) {
  return Run(ctx, authn_, "RouteService/GetRouteItem", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto ids, ParseItemName(req->name(), "name"));
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, Repo::GetHead(c, ids.first)));
      ASSIGN_OR_RETURN(*resp->mutable_item(), Items::Get(c, ids.first, ids.second));
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::ListRouteItems(grpc::ServerContext* ctx, const v1::ListRouteItemsRequest* req,
                                              v1::ListRouteItemsResponse* resp) {
  return Run(ctx, authn_, "RouteService/ListRouteItems", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t route_id, ParseRouteName(req->parent(), "parent"));
      RETURN_IF_ERROR(CheckRouteAccess(p, Action::kReadRoute, Repo::GetHead(c, route_id)));
      ASSIGN_OR_RETURN(auto terms, ParseFilter(req->filter(), {"section", "status"}));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}));
      return Items::List(c, route_id, terms, paging, resp);
    });
  });
}

grpc::Status RouteServiceImpl::UpdateRouteItem(grpc::ServerContext* ctx, const v1::UpdateRouteItemRequest* req,
                                               v1::UpdateRouteItemResponse* resp) {
  return Run(ctx, authn_, "RouteService/UpdateRouteItem", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseItemName(req->item().name(), "item.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateRouteItem", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Target t, LockItem(c, p, Action::kEditRoute, ids.first, ids.second));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"section", "activity", "title", "form", "hours", "deadline",
                                                                  "closes_indicator_codes", "reason", "community_status",
                                                                  "mentoring_pair", "experience_topic", "experience_event",
                                                                  "product_title", "product_placement", "mentoring_role",
                                                                  "mentee_position"}));
      ASSIGN_OR_RETURN(db::ItemWrite in, WriteFromProto(req->item()));
      ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids.first, ids.second));
      const db::ItemWrite before_write = Items::ToWrite(before);
      db::ItemWrite next = before_write;
      for (const auto& path : paths) {
        if (path == "section") next.section = in.section;
        if (path == "activity") next.activity_id = in.activity_id;
        if (path == "title") next.title = in.title;
        if (path == "form") next.form = in.form;
        if (path == "hours") next.hours = in.hours;
        if (path == "deadline") next.deadline = in.deadline;
        if (path == "closes_indicator_codes") next.closes = in.closes;
        if (path == "reason") next.reason = in.reason;
        if (path == "community_status") next.community_status = in.community_status;
        if (path == "mentoring_pair") next.mentoring_pair_id = in.mentoring_pair_id;
        if (path == "experience_topic") next.details.experience_topic = in.details.experience_topic;
        if (path == "experience_event") next.details.experience_event = in.details.experience_event;
        if (path == "product_title") next.details.product_title = in.details.product_title;
        if (path == "product_placement") next.details.product_placement = in.details.product_placement;
        if (path == "mentoring_role") next.details.mentoring_role = in.details.mentoring_role;
        if (path == "mentee_position") next.details.mentee_position = in.details.mentee_position;
      }
      if (next.section != before_write.section) route::DropOtherSectionsDetails(next.section, paths, next.details);
      db::ItemWrite named;  // only what this request names anew
      if (next.activity_id != before_write.activity_id) named.activity_id = next.activity_id;
      if (next.mentoring_pair_id != before_write.mentoring_pair_id) named.mentoring_pair_id = next.mentoring_pair_id;
      RETURN_IF_ERROR(AuthorizeItemRefs(c, p, t.route, named));
      RETURN_IF_ERROR(ValidateItem(c, t.route, next, false));
      RETURN_IF_ERROR(CheckVersion(req->item().version(), t.item.version));
      for (const auto& path : paths) {
        route::ItemField group = route::ItemField::kContent;
        if (path == "form" || path == "hours" || path == "deadline") group = route::ItemField::kSchedule;
        if (path == "community_status") group = route::ItemField::kCommunityStatus;
        if (path == "mentoring_pair") group = route::ItemField::kMentoringPair;
        if (path == "experience_topic" || path == "experience_event" || path == "product_title" ||
            path == "product_placement" || path == "mentoring_role" || path == "mentee_position") {
          group = route::ItemField::kTemplateDetails;
        }
        RETURN_IF_ERROR(route::CheckItemFieldEdit(t.route.state.status, group, absl::StrCat("item.", path)));
      }
      Items::Update(c, ids.first, ids.second, t.item.section, next);
      return Finish(c, p, "UpdateRouteItem", t.route, ids.second, &before, resp->mutable_item());
    });
  });
}

grpc::Status RouteServiceImpl::DeleteRouteItem(grpc::ServerContext* ctx, const v1::DeleteRouteItemRequest* req,
                                               v1::DeleteRouteItemResponse* resp) {
  return Run(ctx, authn_, "RouteService/DeleteRouteItem", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseItemName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "DeleteRouteItem", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Target t, LockItem(c, p, Action::kEditRoute, ids.first, ids.second));
      RETURN_IF_ERROR(CheckVersion(req->version(), t.item.version));
      RETURN_IF_ERROR(route::CheckItemDelete(t.route.state.status, t.item.status));
      ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids.first, ids.second));
      Items::Delete(c, ids.first, ids.second, t.item.section);
      Repo::Touch(c, ids.first);
      db::WriteAudit(c, p.account_id, "DeleteRouteItem", before.name(), &before, nullptr);
      db::WriteItemFeed(c, t.route.region_id, before, federal::kDelete);
      return absl::OkStatus();
    });
  });
}

grpc::Status RouteServiceImpl::UpdateRouteItemStatus(grpc::ServerContext* ctx,
                                                     const v1::UpdateRouteItemStatusRequest* req,
                                                     v1::UpdateRouteItemStatusResponse* resp) {
  return Run(ctx, authn_, "RouteService/UpdateRouteItemStatus", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseItemName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateRouteItemStatus", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Target t, LockItem(c, p, Action::kCarryOutRoute, ids.first, ids.second));
      RETURN_IF_ERROR(OptionalText(req->skip_reason(), "skip_reason", 2000));
      ASSIGN_OR_RETURN(auto done, FromProtoDate(req->done_date(), "done_date"));
      RETURN_IF_ERROR(CheckVersion(req->version(), t.item.version));
      auto to = static_cast<route::ItemStatus>(req->status());
      RETURN_IF_ERROR(route::CheckItemStatusChange(t.route.state.status, t.item.status, to, req->skip_reason()));
      std::optional<absl::CivilDay> done_date;
      if (to == route::ItemStatus::kDone) {
        absl::CivilDay today = RegionToday(c, t.route.region_id);
        done_date = done.value_or(today);
        if (*done_date > today) return absl::InvalidArgumentError("Поле done_date: дата выполнения ещё не наступила");
        if (*done_date < today - 5 * 366) return absl::InvalidArgumentError("Поле done_date: слишком давняя дата");
      }
      ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids.first, ids.second));
      Items::SetStatus(c, ids.second, to,
                       to == route::ItemStatus::kSkipped ? std::string(absl::StripAsciiWhitespace(req->skip_reason())) : "",
                       done_date);
      return Finish(c, p, "UpdateRouteItemStatus", t.route, ids.second, &before, resp->mutable_item());
    });
  });
}

grpc::Status RouteServiceImpl::AddRouteItemEvidence(grpc::ServerContext* ctx, const v1::AddRouteItemEvidenceRequest* req,
                                                    v1::AddRouteItemEvidenceResponse* resp) {
  return Run(ctx, authn_, "RouteService/AddRouteItemEvidence", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseItemName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "AddRouteItemEvidence", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Target t, LockItem(c, p, Action::kCarryOutRoute, ids.first, ids.second));
      const auto& in = req->evidence();
      route::Evidence e{static_cast<route::EvidenceKind>(in.kind()), in.certificate_number(), in.url(), in.file_ref(),
                        in.description()};
      RETURN_IF_ERROR(route::ValidateEvidence(e));
      RETURN_IF_ERROR(CheckVersion(req->version(), t.item.version));
      RETURN_IF_ERROR(route::CheckCarryOut(t.route.state.status, "добавлять подтверждения"));
      if (t.item.evidence.size() >= static_cast<size_t>(route::kMaxEvidencePerItem)) {
        return absl::FailedPreconditionError(
            absl::StrCat("У пункта уже ", route::kMaxEvidencePerItem, " подтверждений — больше добавить нельзя"));
      }
      ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids.first, ids.second));
      Items::AddEvidence(c, ids.second, e);
      return Finish(c, p, "AddRouteItemEvidence", t.route, ids.second, &before, resp->mutable_item());
    });
  });
}

grpc::Status RouteServiceImpl::SubmitRouteItemReflection(grpc::ServerContext* ctx,
                                                         const v1::SubmitRouteItemReflectionRequest* req,
                                                         v1::SubmitRouteItemReflectionResponse* resp) {
  return Run(ctx, authn_, "RouteService/SubmitRouteItemReflection", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseItemName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "SubmitRouteItemReflection", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Target t, LockItem(c, p, Action::kCarryOutRoute, ids.first, ids.second));
      RETURN_IF_ERROR(route::ValidateReflection(req->reflective_report()));
      RETURN_IF_ERROR(CheckVersion(req->version(), t.item.version));
      RETURN_IF_ERROR(route::CheckCarryOut(t.route.state.status, "сохранять рефлексивный отчёт"));
      ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids.first, ids.second));
      Items::SetReflection(c, ids.second, std::string(absl::StripAsciiWhitespace(req->reflective_report())));
      return Finish(c, p, "SubmitRouteItemReflection", t.route, ids.second, &before, resp->mutable_item());
    });
  });
}

// ---------------------------------------------------------------- ДПП enrolment

grpc::Status RouteServiceImpl::Enrol(grpc::ServerContext* ctx, const char* method, const std::string& name,
                                     int64_t version, const std::string& comment, const std::string& request_id,
                                     const google::protobuf::Message& req, v1::RouteItem* out, route::Enrolment target) {
  return Run(ctx, authn_, absl::StrCat("RouteService/", method), [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseItemName(name, "name"));
    return db::IdempotentWrite(pool_, p.account_id, method, request_id, req, out,
                               [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Target t, LockItem(c, p, Action::kReadRoute, ids.first, ids.second));
      bool may = false;
      for (const auto& a : ActorsFor(p, t.route)) may |= route::EnrolmentRoleMay(a, target);
      if (!may) {
        return absl::PermissionDeniedError(
            "Заявку подаёт и отзывает педагог, одобряет или отклоняет руководитель ОО, зачисление подтверждает "
            "ЦНППМ, муниципальная методическая служба или ОО");
      }
      RETURN_IF_ERROR(OptionalText(comment, "comment", 2000));
      RETURN_IF_ERROR(CheckVersion(version, t.item.version));
      RETURN_IF_ERROR(route::CheckEnrolmentContext(t.route.state.status, t.item.section, t.item.status));
      ASSIGN_OR_RETURN(route::Enrolment next, route::NextEnrolment(t.item.enrolment, target, comment));
      route::ItemStatus item_status = next == route::Enrolment::kEnrolled
                                          ? route::ItemStatusAfterEnrolment(t.route.state.status, t.item.status)
                                          : t.item.status;
      ASSIGN_OR_RETURN(v1::RouteItem before, Items::Get(c, ids.first, ids.second));
      Items::SetEnrolment(c, ids.second, next, p.person_id, std::string(absl::StripAsciiWhitespace(comment)), item_status);
      if (next == route::Enrolment::kApproved || next == route::Enrolment::kRejected) {
        Notify(c, t.route.person_id,
               inbox::EnrolmentDecided(before.title(), PersonName(c, p.person_id), next == route::Enrolment::kApproved,
                                       comment),
               before.name(), p);
      }
      return Finish(c, p, method, t.route, ids.second, &before, out);
    });
  });
}

grpc::Status RouteServiceImpl::ApplyRouteItemEnrolment(grpc::ServerContext* ctx,
                                                       const v1::ApplyRouteItemEnrolmentRequest* req,
                                                       v1::ApplyRouteItemEnrolmentResponse* resp) {
  return Enrol(ctx, "ApplyRouteItemEnrolment", req->name(), req->version(), req->comment(), req->request_id(), *req,
               resp->mutable_item(), route::Enrolment::kApplied);
}

grpc::Status RouteServiceImpl::ApproveRouteItemEnrolment(grpc::ServerContext* ctx,
                                                         const v1::ApproveRouteItemEnrolmentRequest* req,
                                                         v1::ApproveRouteItemEnrolmentResponse* resp) {
  return Enrol(ctx, "ApproveRouteItemEnrolment", req->name(), req->version(), req->comment(), req->request_id(), *req,
               resp->mutable_item(), route::Enrolment::kApproved);
}

grpc::Status RouteServiceImpl::RejectRouteItemEnrolment(grpc::ServerContext* ctx,
                                                        const v1::RejectRouteItemEnrolmentRequest* req,
                                                        v1::RejectRouteItemEnrolmentResponse* resp) {
  return Enrol(ctx, "RejectRouteItemEnrolment", req->name(), req->version(), req->comment(), req->request_id(), *req,
               resp->mutable_item(), route::Enrolment::kRejected);
}

grpc::Status RouteServiceImpl::ConfirmRouteItemEnrolment(grpc::ServerContext* ctx,
                                                         const v1::ConfirmRouteItemEnrolmentRequest* req,
                                                         v1::ConfirmRouteItemEnrolmentResponse* resp) {
  return Enrol(ctx, "ConfirmRouteItemEnrolment", req->name(), req->version(), req->comment(), req->request_id(), *req,
               resp->mutable_item(), route::Enrolment::kEnrolled);
}

grpc::Status RouteServiceImpl::WithdrawRouteItemEnrolment(grpc::ServerContext* ctx,
                                                          const v1::WithdrawRouteItemEnrolmentRequest* req,
                                                          v1::WithdrawRouteItemEnrolmentResponse* resp) {
  return Enrol(ctx, "WithdrawRouteItemEnrolment", req->name(), req->version(), req->comment(), req->request_id(), *req,
               resp->mutable_item(), route::Enrolment::kWithdrawn);
}

}  // namespace nms::services
