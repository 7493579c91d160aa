#pragma once
// Writes a notification to a person inside the caller's transaction (the event's), with the
// acting principal's name as the sender. Nobody is notified of their own action.

#include <cppconn/connection.h>

#include "absl/strings/string_view.h"
#include "server/domain/access/principal.h"
#include "server/domain/inbox/notifications.h"

namespace nms::services {

void Notify(sql::Connection& c, int64_t person_id, const inbox::NotificationText& text, absl::string_view subject,
            const access::Principal& sender, absl::string_view dedup_key = "");

}  // namespace nms::services
