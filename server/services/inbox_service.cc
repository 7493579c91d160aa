// InboxService and NotificationService: validate -> inbox rules -> InboxRepository /
// NotificationRepository. YOUNG_UNSUPPORTED comes from the computed cohort (young_cohort.h).

#include "server/services/inbox_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/directory_repository.h"
#include "server/db/idempotency.h"
#include "server/db/inbox_repository.h"
#include "server/db/monitoring_repository.h"
#include "server/db/notification_repository.h"
#include "server/db/sql.h"
#include "server/db/young_teacher_repository.h"
#include "server/domain/common/names.h"
#include "server/domain/inbox/inbox.h"
#include "server/domain/inbox/notifications.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_common.h"
#include "server/services/notify.h"
#include "server/services/route_service_util.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"
#include "server/services/young_cohort.h"

namespace nms::services {

using access::Action;
using access::Principal;
using db::ScopeFilter;
using inbox::Kind;
using Repo = db::InboxRepository;
using Dir = db::DirectoryRepository;
namespace v1 = nms::v1;

namespace {

ScopeFilter FilterOf(const access::Grant& g) {
  switch (g.scope_kind) {
    case access::ScopeKind::kRegion: return {ScopeFilter::Kind::kRegion, g.scope_id};
    case access::ScopeKind::kMunicipality: return {ScopeFilter::Kind::kMunicipality, g.scope_id};
    case access::ScopeKind::kOrganization: return {ScopeFilter::Kind::kOrganization, g.scope_id};
  }
  return {ScopeFilter::Kind::kOrganization, 0};
}

monitoring::ScopeLevel LevelOf(const access::Grant& g) {
  switch (g.scope_kind) {
    case access::ScopeKind::kRegion: return monitoring::ScopeLevel::kRegion;
    case access::ScopeKind::kMunicipality: return monitoring::ScopeLevel::kMunicipality;
    case access::ScopeKind::kOrganization: return monitoring::ScopeLevel::kOrganization;
  }
  return monitoring::ScopeLevel::kUnspecified;
}

std::string ScopeName(const access::Grant& g) {
  switch (g.scope_kind) {
    case access::ScopeKind::kRegion: return ResourceName("regions", g.scope_id);
    case access::ScopeKind::kMunicipality: return ResourceName("municipalities", g.scope_id);
    case access::ScopeKind::kOrganization: return ResourceName("organizations", g.scope_id);
  }
  return "";
}

Repo::Context ContextFor(sql::Connection& c, const access::Grant& g, Kind kind) {
  Repo::Context ctx;
  ctx.scope = FilterOf(g);
  ctx.today = RegionToday(c, g.region_id);
  if (kind == Kind::kEnrolment) ctx.enrolment_states = inbox::EnrolmentStatesFor(g.role);
  if (kind == Kind::kPairWithoutMeeting) {
    ctx.meeting_cutoff = inbox::MeetingCutoff(ctx.today, Repo::MeetingGapWeeks(c, g.region_id));
  }
  return ctx;
}

std::string JoinName(const young::CohortRow& r) {
  std::vector<absl::string_view> parts;
  for (absl::string_view n : {absl::string_view(r.last_name), absl::string_view(r.first_name),
                              absl::string_view(r.middle_name)}) {
    if (!n.empty()) parts.push_back(n);
  }
  return absl::StrJoin(parts, " ");
}

// Young teachers of the grant's scope with at least one alert, as inbox entries.
std::vector<v1::InboxEntry> YoungUnsupported(sql::Connection& c, const access::Grant& g) {
  db::StoredYoungSettings settings = db::YoungTeacherRepository::GetSettings(c, g.region_id);
  absl::CivilDay today = RegionToday(c, g.region_id);
  std::vector<CohortMember> cohort = ComputeCohort(c, g.region_id, FilterOf(g), today, settings.settings,
                                                   settings.settings.alert_window_months);
  std::vector<v1::InboxEntry> out;
  for (const auto& m : cohort) {
    const auto& a = m.row.assessment;
    if (a.alerts.empty()) continue;
    v1::InboxEntry e;
    e.set_kind(v1::INBOX_ENTRY_KIND_YOUNG_UNSUPPORTED);
    e.set_target(ResourceName("people", m.row.person_id));
    e.set_person(e.target());
    e.set_person_name(JoinName(m.row));
    e.set_organization_title(m.row.organization_title);
    e.set_title(m.card.position);
    std::vector<std::string> details;
    for (const auto& alert : a.alerts) details.push_back(alert.detail);
    e.set_detail(absl::StrJoin(details, "; "));
    *e.mutable_date() = ToProtoDate(m.card.work_start_date);
    e.set_state(static_cast<int64_t>(a.alerts.size()));
    out.push_back(std::move(e));
  }
  return out;
}

std::string DayKey(const v1::Date& d) { return absl::StrFormat("%04d%02d%02d", d.year(), d.month(), d.day()); }

// The in-memory counterpart of InboxRepository::List's search, order and page.
std::vector<v1::InboxEntry> PageInMemory(std::vector<v1::InboxEntry> all, const inbox::Query& q, int64_t* total) {
  std::vector<v1::InboxEntry> hits;
  for (auto& e : all) {
    if (inbox::ContainsFolded(e.person_name(), q.text) || inbox::ContainsFolded(e.organization_title(), q.text) ||
        inbox::ContainsFolded(e.title(), q.text)) {
      hits.push_back(std::move(e));
    }
  }
  auto by_date = [](const v1::InboxEntry& a, const v1::InboxEntry& b) { return DayKey(a.date()) < DayKey(b.date()); };
  switch (q.sort) {
    case inbox::Sort::kDateDesc:
      std::stable_sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) { return by_date(b, a); });
      break;
    case inbox::Sort::kName:
      std::stable_sort(hits.begin(), hits.end(),
                       [](const auto& a, const auto& b) { return a.person_name() < b.person_name(); });
      break;
    default: std::stable_sort(hits.begin(), hits.end(), by_date); break;
  }
  *total = static_cast<int64_t>(hits.size());
  std::vector<v1::InboxEntry> page;
  for (int64_t i = q.offset; i < *total && static_cast<int>(page.size()) < q.page_size; ++i) {
    page.push_back(std::move(hits[i]));
  }
  return page;
}

absl::Status NoKind(Kind kind) {
  return absl::PermissionDeniedError(absl::StrCat(
      "Недостаточно прав: задачи этого вида (действие \"", access::ActionName(inbox::RuleFor(kind).action),
      "\") вам не назначены"));
}

}  // namespace

// ---------------------------------------------------------------- inbox

grpc::Status InboxServiceImpl::GetInboxSummary(grpc::ServerContext* ctx, const v1::GetInboxSummaryRequest*,
                                               v1::GetInboxSummaryResponse* resp) {
  return Run(ctx, authn_, "InboxService/GetInboxSummary", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      for (Kind kind : inbox::AllKinds()) {
        const access::Grant* g = inbox::GrantFor(p, kind);
        if (g == nullptr) continue;
        v1::InboxCount* n = resp->add_counts();
        n->set_kind(static_cast<v1::InboxEntryKind>(kind));
        n->set_count(kind == Kind::kYoungUnsupported ? static_cast<int64_t>(YoungUnsupported(c, *g).size())
                                                     : Repo::Count(c, kind, ContextFor(c, *g, kind)));
        n->set_scope(ScopeName(*g));
        auto row = db::MonitoringRepository::FindScope(c, LevelOf(*g), g->scope_id);
        if (row) n->set_scope_title(row->title);
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status InboxServiceImpl::ListInboxEntries(grpc::ServerContext* ctx, const v1::ListInboxEntriesRequest* req,
                                                v1::ListInboxEntriesResponse* resp) {
  return Run(ctx, authn_, "InboxService/ListInboxEntries", [&](const Principal& p) -> absl::Status {
    // The kind says what is asked for, as a name would: who may see it is decided before the
    // rest of the request is read.
    if (inbox::IsKind(req->kind()) && inbox::GrantFor(p, static_cast<Kind>(req->kind())) == nullptr) {
      return NoKind(static_cast<Kind>(req->kind()));
    }
    ASSIGN_OR_RETURN(inbox::Query q, inbox::ParseQuery(req->kind(), req->query(), req->sort(), req->page_size(),
                                                       req->page_token()));
    RETURN_IF_ERROR(OptionalText(q.text, "query", 1000));
    const access::Grant* g = inbox::GrantFor(p, q.kind);
    if (g == nullptr) return NoKind(q.kind);
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      int64_t total = 0;
      std::vector<v1::InboxEntry> page =
          q.kind == Kind::kYoungUnsupported ? PageInMemory(YoungUnsupported(c, *g), q, &total)
                                            : Repo::List(c, q, ContextFor(c, *g, q.kind), &total);
      const int64_t after = q.offset + static_cast<int64_t>(page.size());
      for (auto& e : page) *resp->add_entries() = std::move(e);
      resp->set_total_size(total);
      resp->set_next_page_token(page.empty() ? "" : inbox::NextPageToken(q, after, total));
      return absl::OkStatus();
    });
  });
}

grpc::Status InboxServiceImpl::RemindTeachers(grpc::ServerContext* ctx, const v1::RemindTeachersRequest* req,
                                              v1::RemindTeachersResponse* resp) {
  return Run(ctx, authn_, "InboxService/RemindTeachers", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t campaign_id, ParseResourceName(req->campaign(), "campaigns", "campaign"));
    RETURN_IF_ERROR(inbox::CheckRecipients(req->people_size()));
    std::vector<int64_t> people;
    for (int i = 0; i < req->people_size(); ++i) {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->people(i), "people", absl::StrCat("people[", i, "]")));
      if (std::find(people.begin(), people.end(), id) != people.end()) {
        return absl::InvalidArgumentError(absl::StrCat("Поле people[", i, "]: педагог указан дважды"));
      }
      people.push_back(id);
    }
    return db::IdempotentWrite(pool_, p.account_id, "RemindTeachers", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      // The teachers first (as GrantRetake): someone out of scope looks missing, whatever the campaign.
      for (int64_t id : people) RETURN_IF_ERROR(CheckAccess(p, Action::kRemindTeachers, Dir::PlacePerson(c, id)));
      auto campaign = Repo::GetCampaign(c, campaign_id);
      // A campaign belongs to a region; reminding needs a grant in that region (the teachers'
      // own scope is checked one by one below). Out of scope looks like missing.
      absl::StatusOr<access::Placement> where =
          campaign ? absl::StatusOr<access::Placement>(access::Placement{campaign->region_id, 0, 0, 0})
                   : absl::NotFoundError(absl::StrCat("Кампания ", req->campaign(), " не найдена"));
      bool in_region = false;
      if (campaign) {
        for (const auto& g : p.grants) {
          for (access::Role r : access::RolesFor(Action::kRemindTeachers)) {
            in_region |= g.role == r && g.region_id == campaign->region_id;
          }
        }
      }
      if (!in_region) RETURN_IF_ERROR(CheckAccess(p, Action::kRemindTeachers, where));
      RETURN_IF_ERROR(OptionalText(req->message(), "message", 500));
      if (!campaign) return where.status();
      // The campaign itself must be one the caller reads (participants or ownership in its scope):
      // another school's campaign looks missing, and its title never reaches the answer.
      RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, db::DiagnosticsRepository::GetCampaign(c, campaign_id)));
      const absl::CivilDay today = RegionToday(c, campaign->region_id);
      if (campaign->state != 2 || (campaign->close_day && *campaign->close_day < today)) {
        return absl::FailedPreconditionError(absl::StrCat("Кампания «", campaign->title,
                                                          "» не идёт: напомнить можно только об открытой кампании"));
      }
      for (int64_t id : people) {
        const int status = Repo::ParticipantStatus(c, campaign_id, id);
        if (status == 0) {
          return absl::FailedPreconditionError(
              absl::StrCat(PersonName(c, id), " не участвует в кампании «", campaign->title, "»"));
        }
        if (status != 1 && status != 2) {
          return absl::FailedPreconditionError(
              absl::StrCat(PersonName(c, id), " уже прошёл(а) диагностику «", campaign->title, "»"));
        }
        inbox::NotificationText text = inbox::CampaignReminder(PersonName(c, p.person_id), campaign->title,
                                                               status == 2, campaign->close_day, req->message());
        db::NotificationRepository::Sender from{p.person_id, PersonName(c, p.person_id)};
        if (db::NotificationRepository::Add(c, id, text, req->campaign(), from,
                                            inbox::ReminderKey(campaign_id, today))) {
          resp->set_reminded(resp->reminded() + 1);
        } else {
          resp->set_already_reminded(resp->already_reminded() + 1);
        }
      }
      db::WriteAudit(c, p.account_id, "RemindTeachers", req->campaign(), nullptr, req);
      return absl::OkStatus();
    });
  });
}

// ---------------------------------------------------------------- notifications

grpc::Status NotificationServiceImpl::ListNotifications(grpc::ServerContext* ctx,
                                                        const v1::ListNotificationsRequest* req,
                                                        v1::ListNotificationsResponse* resp) {
  return Run(ctx, authn_, "NotificationService/ListNotifications", [&](const Principal& p) -> absl::Status {
    // The shared page-token codec: a token is bound to this request and carries the last id shown.
    ASSIGN_OR_RETURN(PageRequest paging, Paging(*req, {KeyPart::kNumber}, 50, 200));
    const int64_t before = paging.AfterNumber();
    const int size = paging.size();
    // Service accounts have no person and so no notifications.
    if (p.person_id == 0) return absl::OkStatus();
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      auto page = db::NotificationRepository::List(c, p.person_id, req->unread_only(), before, size + 1);
      const bool more = static_cast<int>(page.size()) > size;
      if (more) page.pop_back();
      for (auto& n : page) *resp->add_notifications() = std::move(n);
      if (more) {
        ASSIGN_OR_RETURN(int64_t last, ParseResourceName(resp->notifications().rbegin()->name(), "notifications", "name"));
        resp->set_next_page_token(paging.NextNumber(last));
      }
      resp->set_unread_count(db::NotificationRepository::UnreadCount(c, p.person_id));
      return absl::OkStatus();
    });
  });
}

grpc::Status NotificationServiceImpl::MarkNotificationsRead(grpc::ServerContext* ctx,
                                                            const v1::MarkNotificationsReadRequest* req,
                                                            v1::MarkNotificationsReadResponse* resp) {
  return Run(ctx, authn_, "NotificationService/MarkNotificationsRead", [&](const Principal& p) -> absl::Status {
    if (req->all() && req->names_size() > 0) {
      return absl::InvalidArgumentError("Поля names и all: укажите либо уведомления, либо all, но не оба");
    }
    if (!req->all() && req->names_size() == 0) {
      return absl::InvalidArgumentError("Поле names: укажите уведомления или all = true");
    }
    if (req->names_size() > 500) return absl::InvalidArgumentError("Поле names: не больше 500 за раз");
    std::vector<int64_t> ids;
    for (int i = 0; i < req->names_size(); ++i) {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->names(i), "notifications", absl::StrCat("names[", i, "]")));
      ids.push_back(id);
    }
    if (p.person_id == 0) {
      if (ids.empty()) return absl::OkStatus();
      return absl::NotFoundError(absl::StrCat("Уведомление ", req->names(0), " не найдено"));
    }
    return db::InTransaction(pool_, [&](sql::Connection& c) -> absl::Status {
      if (!ids.empty()) {
        std::vector<int64_t> owned = db::NotificationRepository::Owned(c, p.person_id, ids);
        for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
          if (std::find(owned.begin(), owned.end(), ids[i]) == owned.end()) {
            // Another person's notification is as missing as one that never existed.
            return absl::NotFoundError(absl::StrCat("Уведомление ", req->names(i), " не найдено"));
          }
        }
      }
      resp->set_marked(db::NotificationRepository::MarkRead(c, p.person_id, ids));
      resp->set_unread_count(db::NotificationRepository::UnreadCount(c, p.person_id));
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
