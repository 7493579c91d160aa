#pragma once
// People's notifications: written by the services inside the transaction of their event (so a
// rolled-back event leaves no notification), read and marked by their own person only.

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nms/v1/inbox.pb.h"
#include "server/domain/inbox/notifications.h"

namespace nms::db {

class NotificationRepository {
 public:
  struct Sender {
    int64_t person_id = 0;  // 0 = the system
    std::string full_name;
  };

  // Adds a notification for `person_id` about `subject` ("routes/12"). With a `dedup_key`, a
  // second notification with the same key for the same person is dropped (false returned).
  static bool Add(sql::Connection& c, int64_t person_id, const inbox::NotificationText& text,
                  absl::string_view subject, const Sender& sender, absl::string_view dedup_key = "");

  // The person's notifications newest first, after the id `before_id` (0 = from the newest).
  static std::vector<v1::Notification> List(sql::Connection& c, int64_t person_id, bool unread_only,
                                            int64_t before_id, int limit);
  static int64_t UnreadCount(sql::Connection& c, int64_t person_id);

  // Of `ids`, those that belong to `person_id`.
  static std::vector<int64_t> Owned(sql::Connection& c, int64_t person_id, const std::vector<int64_t>& ids);
  // Marks unread ones read; `ids` empty = all of the person's. Returns how many changed.
  static int MarkRead(sql::Connection& c, int64_t person_id, const std::vector<int64_t>& ids);
};

}  // namespace nms::db
