#include "server/db/event_repository.h"

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "server/db/deficit_tags.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {

namespace v1 = nms::v1;

namespace {

constexpr char kSelect[] =
    "SELECT e.id, e.region_id, e.level, e.kind, e.organizer_id, e.municipality_id, e.scope_municipality_id, "
    "e.scope_organization_id, e.title, e.description, e.place, e.link, e.capacity, e.status, e.cancel_reason, "
    "e.version, CAST(UNIX_TIMESTAMP(e.start_at) AS SIGNED) AS s_s, CAST(UNIX_TIMESTAMP(e.end_at) AS SIGNED) AS e_s, "
    "CAST(UNIX_TIMESTAMP(e.created_at) * 1000000 AS SIGNED) AS c_us, "
    "CAST(UNIX_TIMESTAMP(e.updated_at) * 1000000 AS SIGNED) AS u_us, o.short_name AS org_title, "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status IN (1, 3, 4)) AS taken, "
    "(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 3) AS attended, "
    "mine.id AS mine_id, mine.status AS mine_status, mine.version AS mine_version, mine.route_item_id AS mine_item "
    "FROM events e JOIN organizations o ON o.id = e.organizer_id "
    "LEFT JOIN event_registrations mine ON mine.event_id = e.id AND mine.person_id = ? ";

v1::Event FromRow(sql::ResultSet& rs, EventRecord* rec) {
  v1::Event e;
  const int64_t id = rs.getInt64("id");
  e.set_name(ResourceName("events", id));
  e.set_level(static_cast<v1::EventLevel>(rs.getInt("level")));
  e.set_kind(static_cast<v1::EventKind>(rs.getInt("kind")));
  e.set_title(GetStr(rs, "title"));
  e.set_description(GetStr(rs, "description"));
  e.set_organizer(ResourceName("organizations", rs.getInt64("organizer_id")));
  e.set_organizer_title(GetStr(rs, "org_title"));
  const int64_t mun = GetInt(rs, "municipality_id");
  if (mun != 0) e.set_municipality(ResourceName("municipalities", mun));
  const absl::Time start = absl::FromUnixSeconds(rs.getInt64("s_s"));
  const absl::Time end = absl::FromUnixSeconds(rs.getInt64("e_s"));
  *e.mutable_start_time() = mapping::ToProtoTime(start);
  *e.mutable_end_time() = mapping::ToProtoTime(end);
  e.set_place(GetStr(rs, "place"));
  e.set_link(GetStr(rs, "link"));
  e.set_capacity(rs.getInt("capacity"));
  e.set_status(static_cast<v1::EventStatus>(rs.getInt("status")));
  e.set_cancel_reason(GetStr(rs, "cancel_reason"));
  e.set_registered_count(rs.getInt("taken"));
  e.set_attended_count(rs.getInt("attended"));
  const int64_t mine = GetInt(rs, "mine_id");
  const int mine_status = static_cast<int>(GetInt(rs, "mine_status"));
  if (mine != 0 && mine_status != static_cast<int>(events::RegStatus::kCancelled)) {
    e.set_my_registration(absl::StrCat("events/", id, "/registrations/", mine));
    e.set_my_registration_status(static_cast<v1::EventRegistrationStatus>(mine_status));
    e.set_my_registration_version(GetInt(rs, "mine_version"));
    e.set_in_my_route(GetInt(rs, "mine_item") != 0);
  }
  e.set_version(rs.getInt64("version"));
  *e.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("c_us")));
  *e.mutable_update_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("u_us")));
  if (rec != nullptr) {
    rec->place = access::Placement{rs.getInt64("region_id"), GetInt(rs, "scope_municipality_id"),
                                   GetInt(rs, "scope_organization_id"), 0};
    rec->organizer_id = rs.getInt64("organizer_id");
    rec->start = start;
    rec->end = end;
    rec->taken = rs.getInt("taken");
  }
  return e;
}

constexpr TagTables kTags{"event_areas", "event_indicators", "event_id"};

// Areas and indicator codes of the rows in `out`.
void LoadTags(sql::Connection& c, const std::vector<v1::Event*>& out) {
  std::map<int64_t, v1::Event*> by_id;
  std::vector<int64_t> ids;
  for (auto* p : out) {
    const int64_t id = CanonicalId(absl::StripPrefix(p->name(), "events/"));
    by_id[id] = p;
    ids.push_back(id);
  }
  LoadDeficitTags(
      c, kTags, ids, [&](int64_t id, int area) { by_id[id]->add_areas(static_cast<v1::CompetencyArea>(area)); },
      [&](int64_t id, std::string code) { by_id[id]->add_indicator_codes(std::move(code)); });
}

void WriteTags(sql::Connection& c, int64_t id, const events::Draft& d) {
  WriteDeficitTags(c, kTags, id, d.areas, d.indicator_codes);
}

std::vector<v1::Event*> Pointers(std::vector<v1::Event>& events) {
  std::vector<v1::Event*> out;
  for (auto& e : events) out.push_back(&e);
  return out;
}

v1::EventRegistration RegFromRow(sql::ResultSet& rs, RegistrationRecord* rec) {
  v1::EventRegistration r;
  const int64_t id = rs.getInt64("id");
  const int64_t event_id = rs.getInt64("event_id");
  r.set_name(absl::StrCat("events/", event_id, "/registrations/", id));
  r.set_person(ResourceName("people", rs.getInt64("person_id")));
  r.set_person_name(GetStr(rs, "person_name"));
  r.set_organization_title(GetStr(rs, "org_title"));
  r.set_status(static_cast<v1::EventRegistrationStatus>(rs.getInt("status")));
  const int64_t item = GetInt(rs, "route_item_id");
  if (item != 0) r.set_route_item(absl::StrCat("routes/", GetInt(rs, "route_id"), "/items/", item));
  r.set_version(rs.getInt64("version"));
  *r.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("c_us")));
  if (rec != nullptr) {
    rec->id = id;
    rec->event_id = event_id;
    rec->person_id = rs.getInt64("person_id");
    rec->route_item_id = item;
    rec->status = static_cast<events::RegStatus>(rs.getInt("status"));
    rec->version = rs.getInt64("version");
  }
  return r;
}

constexpr char kRegSelect[] =
    "SELECT r.id, r.event_id, r.person_id, r.status, r.route_item_id, ri.route_id, r.version, "
    "CAST(UNIX_TIMESTAMP(r.created_at) * 1000000 AS SIGNED) AS c_us, "
    "TRIM(CONCAT(pe.last_name, ' ', pe.first_name, ' ', pe.middle_name)) AS person_name, "
    "IFNULL(o.short_name, '') AS org_title "
    "FROM event_registrations r JOIN people pe ON pe.id = r.person_id "
    "LEFT JOIN organizations o ON o.id = pe.organization_id "
    "LEFT JOIN route_items ri ON ri.id = r.route_item_id ";

}  // namespace

absl::StatusOr<EventRecord> EventRepository::Get(sql::Connection& c, int64_t id, bool for_update, int64_t viewer) {
  auto rs = Stmt(c, absl::StrCat(kSelect, "WHERE e.id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(viewer)
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Мероприятие events/", id, " не найдено"));
  EventRecord r;
  r.event = FromRow(*rs, &r);
  LoadTags(c, {&r.event});
  return r;
}

EventPage EventRepository::List(sql::Connection& c, const EventVisibility& visible, const events::Query& q,
                                std::optional<absl::Time> start_from, std::optional<absl::Time> start_before,
                                int64_t offset, int size, int64_t viewer) {
  std::vector<std::string> where;
  std::vector<std::function<void(Stmt&)>> binds;
  std::vector<std::string> vis;
  if (!visible.regions.empty()) {
    std::vector<std::string> ids;
    for (int64_t r : visible.regions) ids.push_back(absl::StrCat(r));
    vis.push_back(absl::StrCat("(e.status <> 1 AND e.region_id IN (", absl::StrJoin(ids, ","), "))"));
  }
  if (visible.has_scope) {
    std::string col;
    switch (visible.scope.kind) {
      case ScopeFilter::Kind::kRegion: col = "e.region_id"; break;
      case ScopeFilter::Kind::kDistrict:
        col = "(SELECT m.district_id FROM municipalities m WHERE m.id = e.scope_municipality_id)";
        break;
      case ScopeFilter::Kind::kMunicipality: col = "e.scope_municipality_id"; break;
      case ScopeFilter::Kind::kOrganization: col = "e.scope_organization_id"; break;
      case ScopeFilter::Kind::kPerson: col = "NULL"; break;  // nobody organises as a person
    }
    vis.push_back(absl::StrCat(col, " = ", visible.scope.id));
  }
  if (vis.empty()) return {};
  where.push_back(absl::StrCat("(", absl::StrJoin(vis, " OR "), ")"));
  if (q.status != 0) where.push_back(absl::StrCat("e.status ", q.status_not ? "<>" : "=", " ", q.status));
  if (q.level != 0) where.push_back(absl::StrCat("e.level = ", q.level));
  if (q.kind != 0) where.push_back(absl::StrCat("e.kind = ", q.kind));
  if (q.area != 0) {
    where.push_back(
        absl::StrCat("EXISTS (SELECT 1 FROM event_areas a WHERE a.event_id = e.id AND a.area = ", q.area, ")"));
  }
  if (!q.indicator.empty()) {
    where.push_back("EXISTS (SELECT 1 FROM event_indicators i WHERE i.event_id = e.id AND i.code = ?)");
    binds.push_back([&](Stmt& s) { s.Str(q.indicator); });
  }
  if (q.organizer_id != 0) where.push_back(absl::StrCat("e.organizer_id = ", q.organizer_id));
  if (q.municipality_id != 0) where.push_back(absl::StrCat("e.municipality_id = ", q.municipality_id));
  if (start_from) where.push_back(absl::StrCat("e.start_at >= FROM_UNIXTIME(", absl::ToUnixSeconds(*start_from), ")"));
  if (start_before) {
    where.push_back(absl::StrCat("e.start_at < FROM_UNIXTIME(", absl::ToUnixSeconds(*start_before), ")"));
  }
  for (const auto& w : q.words) {
    where.push_back("(e.title LIKE ? OR e.description LIKE ?)");
    binds.push_back([&w](Stmt& s) { s.Str(LikePattern(w)).Str(LikePattern(w)); });
  }
  const std::string cond = absl::StrCat(" WHERE ", absl::StrJoin(where, " AND "));
  EventPage page;
  {
    Stmt count(c, absl::StrCat("SELECT COUNT(*) AS n FROM events e", cond));
    for (auto& b : binds) b(count);
    auto rs = count.Query();
    if (rs->next()) page.total_size = rs->getInt64("n");
  }
  Stmt list(c, absl::StrCat(kSelect, cond, " ORDER BY e.start_at, e.id LIMIT ", size + 1, " OFFSET ", offset));
  list.Int(viewer);
  for (auto& b : binds) b(list);
  auto rs = list.Query();
  while (rs->next()) page.events.push_back(FromRow(*rs, nullptr));
  if (static_cast<int>(page.events.size()) > size) {
    page.more = true;
    page.events.pop_back();
  }
  LoadTags(c, Pointers(page.events));
  return page;
}

std::vector<v1::Event> EventRepository::Upcoming(sql::Connection& c, const access::Placement& person, absl::Time now,
                                                 int limit, int64_t viewer) {
  auto rs = Stmt(c, absl::StrCat(kSelect,
                                 "WHERE e.region_id = ? AND e.status = 2 AND e.start_at > FROM_UNIXTIME(?) AND "
                                 "(e.level = 1 OR (e.level = 2 AND e.scope_municipality_id = ?) OR "
                                 "(e.level = 3 AND e.scope_organization_id = ?)) ORDER BY e.start_at, e.id LIMIT ",
                                 limit))
                .Int(viewer)
                .Int(person.region_id)
                .Int(absl::ToUnixSeconds(now))
                .Int(person.municipality_id)
                .Int(person.organization_id)
                .Query();
  std::vector<v1::Event> out;
  while (rs->next()) out.push_back(FromRow(*rs, nullptr));
  LoadTags(c, Pointers(out));
  return out;
}

int64_t EventRepository::Insert(sql::Connection& c, const access::Placement& place, int64_t organizer_id,
                                int64_t organizer_municipality, const events::Draft& d, events::Status status) {
  Stmt(c,
       "INSERT INTO events (region_id, level, kind, organizer_id, municipality_id, scope_municipality_id, "
       "scope_organization_id, title, description, start_at, end_at, place, link, capacity, status) "
       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FROM_UNIXTIME(?), FROM_UNIXTIME(?), ?, ?, ?, ?)")
      .Int(place.region_id)
      .Int(d.level)
      .Int(d.kind)
      .Int(organizer_id)
      .OptInt(organizer_municipality)
      .OptInt(place.municipality_id)
      .OptInt(place.organization_id)
      .Str(d.title)
      .Str(d.description)
      .Int(absl::ToUnixSeconds(d.start))
      .Int(absl::ToUnixSeconds(d.end))
      .Str(d.place)
      .Str(d.link)
      .Int(d.capacity)
      .Int(static_cast<int>(status))
      .Execute();
  const int64_t id = LastInsertId(c);
  WriteTags(c, id, d);
  return id;
}

void EventRepository::UpdateContent(sql::Connection& c, int64_t id, const events::Draft& d) {
  Stmt(c,
       "UPDATE events SET kind = ?, title = ?, description = ?, start_at = FROM_UNIXTIME(?), end_at = FROM_UNIXTIME(?), "
       "place = ?, link = ?, capacity = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(d.kind)
      .Str(d.title)
      .Str(d.description)
      .Int(absl::ToUnixSeconds(d.start))
      .Int(absl::ToUnixSeconds(d.end))
      .Str(d.place)
      .Str(d.link)
      .Int(d.capacity)
      .Int(id)
      .Execute();
  WriteTags(c, id, d);
}

void EventRepository::SetStatus(sql::Connection& c, int64_t id, events::Status s, const std::string& cancel_reason) {
  Stmt(c,
       "UPDATE events SET status = ?, cancel_reason = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
       "WHERE id = ?")
      .Int(static_cast<int>(s))
      .Str(cancel_reason)
      .Int(id)
      .Execute();
}

absl::StatusOr<RegistrationRecord> EventRepository::GetRegistration(sql::Connection& c, int64_t event_id, int64_t id,
                                                                    bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kRegSelect, "WHERE r.id = ? AND r.event_id = ?", for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Int(event_id)
                .Query();
  if (!rs->next()) {
    return absl::NotFoundError(absl::StrCat("Запись events/", event_id, "/registrations/", id, " не найдена"));
  }
  RegistrationRecord r;
  r.registration = RegFromRow(*rs, &r);
  return r;
}

std::optional<RegistrationRecord> EventRepository::FindRegistration(sql::Connection& c, int64_t event_id,
                                                                    int64_t person_id, bool for_update) {
  auto rs =
      Stmt(c, absl::StrCat(kRegSelect, "WHERE r.event_id = ? AND r.person_id = ?", for_update ? " FOR UPDATE" : ""))
          .Int(event_id)
          .Int(person_id)
          .Query();
  if (!rs->next()) return std::nullopt;
  RegistrationRecord r;
  r.registration = RegFromRow(*rs, &r);
  return r;
}

int64_t EventRepository::Register(sql::Connection& c, int64_t event_id, int64_t person_id) {
  Stmt(c,
       "INSERT INTO event_registrations (event_id, person_id, status) VALUES (?, ?, 1) "
       "ON DUPLICATE KEY UPDATE status = 1, marked_by = NULL, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6), id = LAST_INSERT_ID(id)")
      .Int(event_id)
      .Int(person_id)
      .Execute();
  return LastInsertId(c);
}

void EventRepository::SetRegistrationStatus(sql::Connection& c, int64_t id, events::RegStatus s, int64_t marked_by) {
  Stmt(c,
       "UPDATE event_registrations SET status = ?, marked_by = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(static_cast<int>(s))
      .OptInt(marked_by)
      .Int(id)
      .Execute();
}

void EventRepository::SetRouteItem(sql::Connection& c, int64_t id, int64_t route_item_id) {
  Stmt(c,
       "UPDATE event_registrations SET route_item_id = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
       "WHERE id = ?")
      .OptInt(route_item_id)
      .Int(id)
      .Execute();
}

absl::Status EventRepository::ListRegistrations(sql::Connection& c, int64_t event_id, const events::RegQuery& q,
                                                int64_t offset, int size, v1::ListEventRegistrationsResponse* out,
                                                bool* more) {
  std::string cond = " WHERE r.event_id = ?";
  if (q.status != 0) absl::StrAppend(&cond, " AND r.status ", q.status_not ? "<>" : "=", " ", q.status);
  {
    auto rs = Stmt(c, absl::StrCat("SELECT COUNT(*) FROM event_registrations r", cond)).Int(event_id).Query();
    if (rs->next()) out->set_total_size(rs->getInt64(1));
  }
  auto rs = Stmt(c, absl::StrCat(kRegSelect, cond, " ORDER BY pe.last_name, pe.first_name, r.id LIMIT ", size + 1,
                                 " OFFSET ", offset))
                .Int(event_id)
                .Query();
  int n = 0;
  *more = false;
  while (rs->next()) {
    if (n++ == size) {
      *more = true;
      break;
    }
    *out->add_registrations() = RegFromRow(*rs, nullptr);
  }
  return absl::OkStatus();
}

void EventRepository::SyncFact(sql::Connection& c, int64_t event_id, absl::CivilDay start, absl::CivilDay end) {
  // kind: the Russian name of the form, as facts entered by hand spell it.
  auto ev = Stmt(c, "SELECT region_id, title, kind, level, organizer_id FROM events WHERE id = ?").Int(event_id).Query();
  if (!ev->next()) return;
  Stmt(c,
       "INSERT INTO regional_events (region_id, title, kind, level, organizer_id, start_date, end_date, "
       "calendar_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
       "ON DUPLICATE KEY UPDATE title = VALUES(title), kind = VALUES(kind), level = VALUES(level), "
       "organizer_id = VALUES(organizer_id), start_date = VALUES(start_date), end_date = VALUES(end_date), "
       "version = version + 1, id = LAST_INSERT_ID(id)")
      .Int(ev->getInt64("region_id"))
      .Str(GetStr(*ev, "title"))
      .Str(events::KindTitle(ev->getInt("kind")))
      .Int(ev->getInt("level"))
      .Int(ev->getInt64("organizer_id"))
      .Day(start)
      .Day(end)
      .Int(event_id)
      .Execute();
  const int64_t fact_id = LastInsertId(c);
  // Participants: exactly the attended (EventParticipantRole PARTICIPANT = 1).
  Stmt(c,
       "DELETE FROM regional_event_participants WHERE event_id = ? AND person_id NOT IN "
       "(SELECT r.person_id FROM event_registrations r WHERE r.event_id = ? AND r.status = 3)")
      .Int(fact_id)
      .Int(event_id)
      .Execute();
  Stmt(c,
       "INSERT IGNORE INTO regional_event_participants (event_id, person_id, role) "
       "SELECT ?, r.person_id, 1 FROM event_registrations r WHERE r.event_id = ? AND r.status = 3")
      .Int(fact_id)
      .Int(event_id)
      .Execute();
}

}  // namespace nms::db
