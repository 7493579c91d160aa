#pragma once
// Single-round-trip reads of the hottest calls (issue 19: a read costs a small constant number of
// statements). Each one answers what two or three repository calls answered before, so a
// service authorises on the placement it returns before using the rest.

#include <cstdint>
#include <string>

#include <cppconn/connection.h>
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nms/v1/diagnostics.pb.h"
#include "nms/v1/directory.pb.h"
#include "server/db/diagnostics_repository.h"
#include "server/domain/access/principal.h"

namespace nms::db {

// directory_repository.cc: the person's card and placement (PlacePerson + GetPerson).
struct PlacedPerson {
  access::Placement place;
  nms::v1::Person person;
};
absl::StatusOr<PlacedPerson> GetPlacedPerson(sql::Connection& c, int64_t id);

// diagnostics_session_repository.cc: the session locked for an answer to `item_id`, its person's
// placement, its answer rows and whether `item_id` is one of them (stable while the session row
// is locked: every writer of answers locks it first).
struct SessionForAnswer {
  SessionRecord session;
  access::Placement place;
  int answer_rows = 0;
  bool item_saved = false;
};
absl::StatusOr<SessionForAnswer> LockSessionForAnswer(sql::Connection& c, int64_t id, const std::string& item_id);

// Saves `a` as of `saved` and returns it as LoadAnswers would read it back.
nms::v1::ItemAnswer UpsertAnswerAt(sql::Connection& c, int64_t session_id, const nms::v1::ItemAnswer& a,
                                   absl::Time saved);

}  // namespace nms::db
