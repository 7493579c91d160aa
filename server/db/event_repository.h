#pragma once
// SQL of the events calendar (issue 16 §3): events with their areas and indicator codes,
// registrations, and the monitoring facts a held event produces (regional_events rows with
// calendar_event_id and their participants). The service checks access and rules; this layer
// only reads and writes rows.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "nms/v1/events.pb.h"
#include "server/db/directory_repository.h"
#include "server/domain/access/principal.h"
#include "server/domain/events/rules.h"

namespace nms::db {

struct EventRecord {
  nms::v1::Event event;
  access::Placement place;  // the event's placement by level (see events::PlaceOf)
  int64_t organizer_id = 0;
  absl::Time start, end;
  int taken = 0;  // live registrations
};

// Which events a list may show: those not in draft of `regions`, plus all of `scope` (when
// has_scope: the organisers' side).
struct EventVisibility {
  std::vector<int64_t> regions;
  bool has_scope = false;
  ScopeFilter scope;
};

struct EventPage {
  std::vector<nms::v1::Event> events;
  bool more = false;
  int64_t total_size = 0;
};

struct RegistrationRecord {
  nms::v1::EventRegistration registration;
  int64_t id = 0;
  int64_t event_id = 0;
  int64_t person_id = 0;
  int64_t route_item_id = 0;
  events::RegStatus status = events::RegStatus::kUnspecified;
  int64_t version = 0;
};

class EventRepository {
 public:
  // NOT_FOUND ("Мероприятие events/N не найдено"). `for_update` locks the row; `viewer` (a person
  // id or 0) fills my_registration.
  static absl::StatusOr<EventRecord> Get(sql::Connection& c, int64_t id, bool for_update = false, int64_t viewer = 0);

  // `start_from`/`start_before`: the filter's period already turned into instants.
  static EventPage List(sql::Connection& c, const EventVisibility& visible, const events::Query& q,
                        std::optional<absl::Time> start_from, std::optional<absl::Time> start_before, int64_t offset,
                        int size, int64_t viewer);

  // PUBLISHED events starting after `now` whose audience holds a person placed at `person`
  // (the region's regional events, the municipality's municipal ones, the organisation's school
  // ones), soonest first, at most `limit`.
  static std::vector<nms::v1::Event> Upcoming(sql::Connection& c, const access::Placement& person, absl::Time now,
                                              int limit, int64_t viewer);

  static int64_t Insert(sql::Connection& c, const access::Placement& place, int64_t organizer_id,
                        int64_t organizer_municipality, const events::Draft& d, events::Status status);
  // Replaces the content (not level or organiser) and bumps the version.
  static void UpdateContent(sql::Connection& c, int64_t id, const events::Draft& d);
  // Sets the status (and the cancel reason); bumps the version.
  static void SetStatus(sql::Connection& c, int64_t id, events::Status s, const std::string& cancel_reason);

  // ---- registrations
  // NOT_FOUND when missing or of another event.
  static absl::StatusOr<RegistrationRecord> GetRegistration(sql::Connection& c, int64_t event_id, int64_t id,
                                                            bool for_update = false);
  static std::optional<RegistrationRecord> FindRegistration(sql::Connection& c, int64_t event_id, int64_t person_id,
                                                            bool for_update = false);
  // A new registration, or the person's withdrawn one taken again; returns its id.
  static int64_t Register(sql::Connection& c, int64_t event_id, int64_t person_id);
  static void SetRegistrationStatus(sql::Connection& c, int64_t id, events::RegStatus s, int64_t marked_by);
  static void SetRouteItem(sql::Connection& c, int64_t id, int64_t route_item_id);
  static absl::Status ListRegistrations(sql::Connection& c, int64_t event_id, const events::RegQuery& q,
                                        int64_t offset, int size, nms::v1::ListEventRegistrationsResponse* out,
                                        bool* more);

  // ---- monitoring facts
  // Keeps the event's regional_events row (level, title, kind, organiser, days) and its
  // participants (the attended) in step with the calendar.
  static void SyncFact(sql::Connection& c, int64_t event_id, absl::CivilDay start, absl::CivilDay end);
};

}  // namespace nms::db
