// EventService: the events calendar. Every write runs in one transaction with its audit row, is
// idempotent by request_id and checks the version the caller saw. Attendance closes the ИОМ
// item of the event and keeps the monitoring facts of the event (regionalEvents) in step.

#include "server/services/event_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/directory_repository.h"
#include "server/db/event_repository.h"
#include "server/db/idempotency.h"
#include "server/db/route_feed.h"
#include "server/db/route_item_repository.h"
#include "server/db/route_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/common/text.h"
#include "server/domain/events/rules.h"
#include "server/domain/route/items.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::EventRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;
namespace ev = nms::events;

namespace {

ev::Draft DraftOf(const v1::Event& m) {
  ev::Draft d;
  d.level = m.level();
  d.kind = m.kind();
  d.title = m.title();
  d.description = m.description();
  if (m.has_start_time()) d.start = FromProtoTime(m.start_time());
  if (m.has_end_time()) d.end = FromProtoTime(m.end_time());
  d.place = m.place();
  d.link = m.link();
  d.capacity = m.capacity();
  for (int a : m.areas()) d.areas.push_back(a);
  d.indicator_codes.assign(m.indicator_codes().begin(), m.indicator_codes().end());
  return d;
}

absl::StatusOr<Placement> PlaceOf(const absl::StatusOr<db::EventRecord>& rec) {
  if (!rec.ok()) return rec.status();
  return rec->place;
}

ev::Status StatusOf(const db::EventRecord& r) { return static_cast<ev::Status>(r.event.status()); }
ev::Level LevelOf(const db::EventRecord& r) { return static_cast<ev::Level>(r.event.level()); }

// Anything past its draft is the region's calendar: everyone working in its region reads it.
// A draft is read by its organisers only; out of scope looks like missing.
absl::Status CheckRead(const Principal& p, const absl::StatusOr<db::EventRecord>& rec) {
  if (rec.ok() && StatusOf(*rec) != ev::Status::kDraft &&
      access::MemberOfRegion(p, rec->place.region_id, Action::kReadEvents)) {
    return absl::OkStatus();
  }
  return CheckAccess(p, Action::kManageEvents, PlaceOf(rec));
}

absl::StatusOr<int64_t> ParseEventName(absl::string_view name, absl::string_view field) {
  return ParseResourceName(name, "events", field);
}

absl::StatusOr<std::pair<int64_t, int64_t>> ParseRegistrationName(absl::string_view name, absl::string_view field) {
  ASSIGN_OR_RETURN(std::vector<int64_t> ids, ParseNamePattern(name, "events/{}/registrations/{}", field));
  return std::make_pair(ids[0], ids[1]);
}

absl::TimeZone RegionZone(sql::Connection& c, int64_t region_id) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(db::DiagnosticsRepository::RegionTimeZone(c, region_id), &tz)) {
    tz = absl::FixedTimeZone(3 * 3600);
  }
  return tz;
}

// Reads, locks and authorises the event of an organiser's write.
absl::StatusOr<db::EventRecord> LockForOrganizer(sql::Connection& c, const Principal& p, int64_t id) {
  auto rec = Repo::Get(c, id, /*for_update=*/true);
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageEvents, PlaceOf(rec)));
  return rec;
}

absl::Status Reload(sql::Connection& c, int64_t id, int64_t viewer, v1::Event* out) {
  ASSIGN_OR_RETURN(db::EventRecord r, Repo::Get(c, id, false, viewer));
  *out = std::move(r.event);
  return absl::OkStatus();
}

absl::Status ReloadRegistration(sql::Connection& c, int64_t event_id, int64_t id, v1::EventRegistration* out) {
  ASSIGN_OR_RETURN(db::RegistrationRecord r, Repo::GetRegistration(c, event_id, id));
  *out = std::move(r.registration);
  return absl::OkStatus();
}

// The person a registration is for, authorised for the caller (own person, or the school's
// teacher for its admin); a missing person looks like one out of scope.
absl::StatusOr<Placement> AuthorizePerson(sql::Connection& c, const Principal& p, int64_t person_id) {
  auto place = Dir::PlacePerson(c, person_id);
  RETURN_IF_ERROR(CheckAccess(p, Action::kRegisterForEvents, place));
  return place;
}

// Registers `person` for the locked event (or takes their withdrawn registration again).
absl::StatusOr<int64_t> RegisterPerson(sql::Connection& c, const db::EventRecord& rec, int64_t event_id,
                                       int64_t person_id, const Placement& person) {
  RETURN_IF_ERROR(ev::CheckAudience(LevelOf(rec), rec.place, person));
  auto existing = Repo::FindRegistration(c, event_id, person_id, true);
  RETURN_IF_ERROR(ev::CanRegister(StatusOf(rec), rec.start, absl::Now(), rec.event.capacity(), rec.taken,
                                  existing ? existing->status : ev::RegStatus::kUnspecified));
  return Repo::Register(c, event_id, person_id);
}

// Closes the ИОМ item of an attended event: done on the event's last day (today at the latest)
// when the route is being carried out; otherwise the teacher closes it when the route runs.
absl::Status CloseRouteItem(sql::Connection& c, const Principal& p, const db::RegistrationRecord& reg,
                            absl::CivilDay done) {
  if (reg.route_item_id == 0) return absl::OkStatus();
  const std::string& name = reg.registration.route_item();
  auto ids = ParseNamePattern(name, "routes/{}/items/{}", "route_item");
  if (!ids.ok()) return absl::OkStatus();
  const int64_t route_id = (*ids)[0];
  ASSIGN_OR_RETURN(db::RouteHead head, db::RouteRepository::GetHead(c, route_id, true));
  if (head.state.status != route::Status::kInProgress) return absl::OkStatus();
  ASSIGN_OR_RETURN(db::ItemHead item, db::RouteItemRepository::GetHead(c, route_id, reg.route_item_id, true));
  if (item.status == route::ItemStatus::kDone) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::RouteItem before, db::RouteItemRepository::Get(c, route_id, reg.route_item_id));
  db::RouteItemRepository::SetStatus(c, reg.route_item_id, route::ItemStatus::kDone, "", done);
  db::RouteRepository::Touch(c, route_id);
  ASSIGN_OR_RETURN(v1::RouteItem after, db::RouteItemRepository::Get(c, route_id, reg.route_item_id));
  db::WriteAudit(c, p.account_id, "MarkEventAttendance", after.name(), &before, &after);
  db::WriteItemFeed(c, head.region_id, after, federal::kUpdate);
  return absl::OkStatus();
}

}  // namespace

grpc::Status EventServiceImpl::GetEvent(grpc::ServerContext* ctx, const v1::GetEventRequest* req,
                                        v1::GetEventResponse* resp) {
  return Run(ctx, authn_, "EventService/GetEvent", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseEventName(req->name(), "name"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      auto rec = Repo::Get(c, id, false, p.person_id);
      RETURN_IF_ERROR(CheckRead(p, rec));
      *resp->mutable_event() = std::move(rec->event);
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::ListEvents(grpc::ServerContext* ctx, const v1::ListEventsRequest* req,
                                          v1::ListEventsResponse* resp) {
  return Run(ctx, authn_, "EventService/ListEvents", [&](const Principal& p) -> absl::Status {
    if (access::WidestGrantFor(p, Action::kReadEvents) == nullptr) {
      return access::Authorize(p, Action::kReadEvents, Placement{});
    }
    ASSIGN_OR_RETURN(ev::Query q, ev::ParseQuery(req->filter()));
    ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}, 50, 200));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      db::EventVisibility visible;
      if (access::WidestGrantFor(p, Action::kManageEvents) != nullptr) {
        ASSIGN_OR_RETURN(visible.scope, ResolveListScope(c, p, Action::kManageEvents, "", "filter"));
        visible.has_scope = true;
      }
      const auto& roles = access::RolesFor(Action::kReadEvents);
      for (const auto& g : p.grants) {
        if (std::find(roles.begin(), roles.end(), g.role) != roles.end() &&
            std::find(visible.regions.begin(), visible.regions.end(), g.region_id) == visible.regions.end()) {
          visible.regions.push_back(g.region_id);
        }
      }
      // The period's days in the zone of the caller's region.
      const absl::TimeZone tz = RegionZone(c, visible.regions.empty() ? 0 : visible.regions.front());
      std::optional<absl::Time> from, before;
      if (q.start_from) from = absl::FromCivil(absl::CivilSecond(*q.start_from), tz);
      if (q.start_before) before = absl::FromCivil(absl::CivilSecond(*q.start_before), tz);
      const int64_t offset = paging.AfterNumber();
      db::EventPage page = Repo::List(c, visible, q, from, before, offset, paging.size(), p.person_id);
      for (auto& e : page.events) *resp->add_events() = std::move(e);
      resp->set_total_size(page.total_size);
      if (page.more) resp->set_next_page_token(paging.NextNumber(offset + resp->events_size()));
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::CreateEvent(grpc::ServerContext* ctx, const v1::CreateEventRequest* req,
                                           v1::CreateEventResponse* resp) {
  return Run(ctx, authn_, "EventService/CreateEvent", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t organizer, ParseResourceName(req->event().organizer(), "organizations", "event.organizer"));
    const ev::Draft draft = DraftOf(req->event());
    const auto status = static_cast<ev::Status>(req->event().status());
    return db::IdempotentWrite(pool_, p.account_id, "CreateEvent", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto org = Dir::PlaceOrganization(c, organizer);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageEvents, org));
      if (draft.level >= 1 && draft.level <= 3) {
        // The level decides the scope the organiser needs: the region for a regional event.
        ASSIGN_OR_RETURN(Placement place, ev::PlaceOf(static_cast<ev::Level>(draft.level), *org));
        RETURN_IF_ERROR(access::Authorize(p, Action::kManageEvents, place));
      }
      RETURN_IF_ERROR(ev::ValidateDraft(draft, "event"));
      ASSIGN_OR_RETURN(Placement place, ev::PlaceOf(static_cast<ev::Level>(draft.level), *org));
      if (status != ev::Status::kUnspecified && status != ev::Status::kDraft && status != ev::Status::kPublished) {
        return absl::InvalidArgumentError("Поле event.status: новое мероприятие — черновик или сразу опубликованное");
      }
      if (status == ev::Status::kPublished) RETURN_IF_ERROR(ev::CanPublish(ev::Status::kDraft, draft.start, absl::Now()));
      const int64_t id = Repo::Insert(c, place, organizer, org->municipality_id, draft,
                                      status == ev::Status::kPublished ? status : ev::Status::kDraft);
      RETURN_IF_ERROR(Reload(c, id, p.person_id, resp->mutable_event()));
      db::WriteAudit(c, p.account_id, "CreateEvent", resp->event().name(), nullptr, &resp->event());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::UpdateEvent(grpc::ServerContext* ctx, const v1::UpdateEventRequest* req,
                                           v1::UpdateEventResponse* resp) {
  return Run(ctx, authn_, "EventService/UpdateEvent", [&](const Principal& p) -> absl::Status {
    const auto& in = req->event();
    ASSIGN_OR_RETURN(int64_t id, ParseEventName(in.name(), "event.name"));
    return db::IdempotentWrite(pool_, p.account_id, "UpdateEvent", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::EventRecord rec, LockForOrganizer(c, p, id));
      if (req->update_mask().paths().empty()) return absl::InvalidArgumentError("Поле update_mask обязательно");
      ASSIGN_OR_RETURN(auto paths, MaskPaths(req->update_mask(), {"kind", "title", "description", "start_time",
                                                                   "end_time", "place", "link", "capacity", "areas",
                                                                   "indicator_codes"}));
      RETURN_IF_ERROR(CheckVersion(in.version(), rec.event.version()));
      RETURN_IF_ERROR(ev::CanEdit(StatusOf(rec)));
      v1::Event next = rec.event;
      for (const auto& path : paths) {
        if (path == "kind") next.set_kind(in.kind());
        if (path == "title") next.set_title(in.title());
        if (path == "description") next.set_description(in.description());
        if (path == "start_time") {
          if (in.has_start_time()) *next.mutable_start_time() = in.start_time(); else next.clear_start_time();
        }
        if (path == "end_time") {
          if (in.has_end_time()) *next.mutable_end_time() = in.end_time(); else next.clear_end_time();
        }
        if (path == "place") next.set_place(in.place());
        if (path == "link") next.set_link(in.link());
        if (path == "capacity") next.set_capacity(in.capacity());
        if (path == "areas") *next.mutable_areas() = in.areas();
        if (path == "indicator_codes") *next.mutable_indicator_codes() = in.indicator_codes();
      }
      const ev::Draft d = DraftOf(next);
      RETURN_IF_ERROR(ev::ValidateDraft(d, "event"));
      RETURN_IF_ERROR(ev::CheckCapacity(d.capacity, rec.taken));
      Repo::UpdateContent(c, id, d);
      RETURN_IF_ERROR(Reload(c, id, p.person_id, resp->mutable_event()));
      db::WriteAudit(c, p.account_id, "UpdateEvent", in.name(), &rec.event, &resp->event());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::PublishEvent(grpc::ServerContext* ctx, const v1::PublishEventRequest* req,
                                            v1::PublishEventResponse* resp) {
  return Run(ctx, authn_, "EventService/PublishEvent", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseEventName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "PublishEvent", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::EventRecord rec, LockForOrganizer(c, p, id));
      RETURN_IF_ERROR(CheckVersion(req->version(), rec.event.version()));
      RETURN_IF_ERROR(ev::CanPublish(StatusOf(rec), rec.start, absl::Now()));
      Repo::SetStatus(c, id, ev::Status::kPublished, "");
      RETURN_IF_ERROR(Reload(c, id, p.person_id, resp->mutable_event()));
      db::WriteAudit(c, p.account_id, "PublishEvent", req->name(), &rec.event, &resp->event());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::CancelEvent(grpc::ServerContext* ctx, const v1::CancelEventRequest* req,
                                           v1::CancelEventResponse* resp) {
  return Run(ctx, authn_, "EventService/CancelEvent", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseEventName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "CancelEvent", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::EventRecord rec, LockForOrganizer(c, p, id));
      RETURN_IF_ERROR(CheckVersion(req->version(), rec.event.version()));
      RETURN_IF_ERROR(RequireText(req->reason(), "reason", 2000));
      RETURN_IF_ERROR(ev::CanCancel(StatusOf(rec)));
      Repo::SetStatus(c, id, ev::Status::kCancelled, req->reason());
      RETURN_IF_ERROR(Reload(c, id, p.person_id, resp->mutable_event()));
      db::WriteAudit(c, p.account_id, "CancelEvent", req->name(), &rec.event, &resp->event());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::RegisterForEvent(grpc::ServerContext* ctx, const v1::RegisterForEventRequest* req,
                                                v1::RegisterForEventResponse* resp) {
  return Run(ctx, authn_, "EventService/RegisterForEvent", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t event_id, ParseEventName(req->parent(), "parent"));
    ASSIGN_OR_RETURN(int64_t person_id, ParseResourceName(req->person(), "people", "person"));
    return db::IdempotentWrite(pool_, p.account_id, "RegisterForEvent", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(Placement person, AuthorizePerson(c, p, person_id));
      auto rec = Repo::Get(c, event_id, /*for_update=*/true);
      RETURN_IF_ERROR(CheckRead(p, rec));
      ASSIGN_OR_RETURN(int64_t id, RegisterPerson(c, *rec, event_id, person_id, person));
      RETURN_IF_ERROR(ReloadRegistration(c, event_id, id, resp->mutable_registration()));
      db::WriteAudit(c, p.account_id, "RegisterForEvent", resp->registration().name(), nullptr, &resp->registration());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::CancelEventRegistration(grpc::ServerContext* ctx,
                                                       const v1::CancelEventRegistrationRequest* req,
                                                       v1::CancelEventRegistrationResponse* resp) {
  return Run(ctx, authn_, "EventService/CancelEventRegistration", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseRegistrationName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "CancelEventRegistration", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto reg = Repo::GetRegistration(c, ids.first, ids.second, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kRegisterForEvents,
                                  reg.ok() ? Dir::PlacePerson(c, reg->person_id)
                                           : absl::StatusOr<Placement>(reg.status())));
      ASSIGN_OR_RETURN(db::EventRecord rec, Repo::Get(c, ids.first, true));
      RETURN_IF_ERROR(CheckVersion(req->version(), reg->version));
      RETURN_IF_ERROR(ev::CanWithdraw(reg->status, rec.start, absl::Now()));
      Repo::SetRegistrationStatus(c, reg->id, ev::RegStatus::kCancelled, 0);
      RETURN_IF_ERROR(ReloadRegistration(c, ids.first, ids.second, resp->mutable_registration()));
      db::WriteAudit(c, p.account_id, "CancelEventRegistration", req->name(), &reg->registration,
                     &resp->registration());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::ListEventRegistrations(grpc::ServerContext* ctx,
                                                      const v1::ListEventRegistrationsRequest* req,
                                                      v1::ListEventRegistrationsResponse* resp) {
  return Run(ctx, authn_, "EventService/ListEventRegistrations", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t event_id, ParseEventName(req->parent(), "parent"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageEvents, PlaceOf(Repo::Get(c, event_id))));
      ASSIGN_OR_RETURN(ev::RegQuery q, ev::ParseRegQuery(req->filter()));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}, 100, 500));
      const int64_t offset = paging.AfterNumber();
      bool more = false;
      RETURN_IF_ERROR(Repo::ListRegistrations(c, event_id, q, offset, paging.size(), resp, &more));
      if (more) resp->set_next_page_token(paging.NextNumber(offset + resp->registrations_size()));
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::MarkEventAttendance(grpc::ServerContext* ctx, const v1::MarkEventAttendanceRequest* req,
                                                   v1::MarkEventAttendanceResponse* resp) {
  return Run(ctx, authn_, "EventService/MarkEventAttendance", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(auto ids, ParseRegistrationName(req->name(), "name"));
    return db::IdempotentWrite(pool_, p.account_id, "MarkEventAttendance", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(db::EventRecord rec, LockForOrganizer(c, p, ids.first));
      ASSIGN_OR_RETURN(db::RegistrationRecord reg, Repo::GetRegistration(c, ids.first, ids.second, true));
      RETURN_IF_ERROR(CheckVersion(req->version(), reg.version));
      const absl::Time now = absl::Now();
      RETURN_IF_ERROR(ev::CanMarkAttendance(StatusOf(rec), rec.start, now, reg.status));
      Repo::SetRegistrationStatus(c, reg.id, req->attended() ? ev::RegStatus::kAttended : ev::RegStatus::kAbsent,
                                  p.person_id);
      if (StatusOf(rec) == ev::Status::kPublished) {
        Repo::SetStatus(c, ids.first, ev::Status::kHeld, "");
        v1::Event held;
        RETURN_IF_ERROR(Reload(c, ids.first, 0, &held));
        db::WriteAudit(c, p.account_id, "MarkEventAttendance", held.name(), &rec.event, &held);
      }
      const absl::TimeZone tz = RegionZone(c, rec.place.region_id);
      const absl::CivilDay today = absl::ToCivilDay(now, tz);
      const absl::CivilDay last = std::min(absl::ToCivilDay(rec.end, tz), today);
      Repo::SyncFact(c, ids.first, absl::ToCivilDay(rec.start, tz), absl::ToCivilDay(rec.end, tz));
      if (req->attended()) RETURN_IF_ERROR(CloseRouteItem(c, p, reg, last));
      RETURN_IF_ERROR(ReloadRegistration(c, ids.first, ids.second, resp->mutable_registration()));
      db::WriteAudit(c, p.account_id, "MarkEventAttendance", req->name(), &reg.registration, &resp->registration());
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::ListSuggestedEvents(grpc::ServerContext* ctx, const v1::ListSuggestedEventsRequest* req,
                                                   v1::ListSuggestedEventsResponse* resp) {
  return Run(ctx, authn_, "EventService/ListSuggestedEvents", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t person_id, ParseResourceName(req->person(), "people", "person"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(Placement person, AuthorizePerson(c, p, person_id));
      ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}, 20, 100));
      auto result = db::DiagnosticsRepository::LatestFinalResult(c, person_id);
      resp->set_has_diagnostics(result.has_value());
      if (!result) return absl::OkStatus();
      std::vector<ev::Deficit> deficits;
      for (auto& [id, list] : db::RouteRepository::Deficits(c, {*result})) {
        for (const auto& d : list) deficits.push_back({d.indicator_code, d.area});
      }
      // A region's upcoming calendar is small (tens to hundreds): matched here, paged by offset.
      std::vector<v1::SuggestedEvent> matched;
      for (auto& e : Repo::Upcoming(c, person, absl::Now(), 1000, person_id)) {
        std::vector<int> areas(e.areas().begin(), e.areas().end());
        std::vector<std::string> codes(e.indicator_codes().begin(), e.indicator_codes().end());
        ev::Match m = ev::MatchDeficits(areas, codes, deficits);
        if (!m.any()) continue;
        v1::SuggestedEvent s;
        *s.mutable_event() = std::move(e);
        for (const auto& code : m.indicator_codes) s.add_matched_indicator_codes(code);
        for (int a : m.areas) s.add_matched_areas(static_cast<v1::CompetencyArea>(a));
        matched.push_back(std::move(s));
      }
      const int64_t offset = paging.AfterNumber();
      for (int64_t i = offset; i < static_cast<int64_t>(matched.size()) && i < offset + paging.size(); ++i) {
        *resp->add_events() = std::move(matched[i]);
      }
      if (offset + paging.size() < static_cast<int64_t>(matched.size())) {
        resp->set_next_page_token(paging.NextNumber(offset + resp->events_size()));
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status EventServiceImpl::AddEventToRoute(grpc::ServerContext* ctx, const v1::AddEventToRouteRequest* req,
                                               v1::AddEventToRouteResponse* resp) {
  return Run(ctx, authn_, "EventService/AddEventToRoute", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t event_id, ParseEventName(req->name(), "name"));
    ASSIGN_OR_RETURN(int64_t person_id, ParseResourceName(req->person(), "people", "person"));
    return db::IdempotentWrite(pool_, p.account_id, "AddEventToRoute", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      ASSIGN_OR_RETURN(Placement person, AuthorizePerson(c, p, person_id));
      // The ИОМ is the teacher's own to edit (a school admin registers, but does not edit it).
      RETURN_IF_ERROR(access::Authorize(p, Action::kEditRoute, person));
      auto rec = Repo::Get(c, event_id, /*for_update=*/true);
      RETURN_IF_ERROR(CheckRead(p, rec));
      auto route = db::RouteRepository::OpenRouteOf(c, person_id, /*for_update=*/true);
      if (!route) {
        return absl::FailedPreconditionError(
            "Нет действующего ИОМ: мероприятие добавляют в маршрут, который составляется или выполняется");
      }
      RETURN_IF_ERROR(route::CheckItemCreate(route->state.status));
      auto existing = Repo::FindRegistration(c, event_id, person_id, true);
      if (existing && existing->route_item_id != 0 && existing->status != ev::RegStatus::kCancelled) {
        return absl::FailedPreconditionError("Это мероприятие уже есть в вашем ИОМ");
      }
      int64_t reg_id = 0;
      if (existing && existing->status != ev::RegStatus::kCancelled) {
        reg_id = existing->id;
      } else {
        ASSIGN_OR_RETURN(reg_id, RegisterPerson(c, *rec, event_id, person_id, person));
      }
      // The item: section 1.3, closing the route's deficits the event addresses.
      const absl::TimeZone tz = RegionZone(c, rec->place.region_id);
      db::ItemWrite w;
      w.section = route::Section::kEvents;
      w.title = rec->event.title();
      std::vector<std::string> form = {ev::KindTitle(rec->event.kind())};
      form.push_back(rec->event.place().empty() ? "онлайн" : rec->event.place());
      form.push_back(rec->event.organizer_title());
      w.form = absl::StrJoin(form, ", ");
      w.deadline = absl::ToCivilDay(rec->end, tz);
      std::vector<ev::Deficit> deficits;
      for (auto& [id, list] : db::RouteRepository::Deficits(c, {route->result_id})) {
        for (const auto& d : list) deficits.push_back({d.indicator_code, d.area});
      }
      std::vector<std::string> codes(rec->event.indicator_codes().begin(), rec->event.indicator_codes().end());
      w.closes = ev::MatchDeficits({}, codes, deficits).indicator_codes;
      std::sort(w.closes.begin(), w.closes.end());
      w.reason = absl::StrCat("Мероприятие из календаря (", rec->event.name(), ")");
      const int64_t item_id = db::RouteItemRepository::Insert(c, route->id, w);
      db::RouteRepository::Touch(c, route->id);
      ASSIGN_OR_RETURN(v1::RouteItem item, db::RouteItemRepository::Get(c, route->id, item_id));
      db::WriteAudit(c, p.account_id, "AddEventToRoute", item.name(), nullptr, &item);
      db::WriteItemFeed(c, route->region_id, item, federal::kCreate);
      Repo::SetRouteItem(c, reg_id, item_id);
      RETURN_IF_ERROR(ReloadRegistration(c, event_id, reg_id, resp->mutable_registration()));
      db::WriteAudit(c, p.account_id, "AddEventToRoute", resp->registration().name(), nullptr, &resp->registration());
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
