#include "server/services/notify.h"

#include "server/db/notification_repository.h"
#include "server/services/route_service_util.h"

namespace nms::services {

void Notify(sql::Connection& c, int64_t person_id, const inbox::NotificationText& text, absl::string_view subject,
            const access::Principal& sender, absl::string_view dedup_key) {
  if (person_id == 0 || person_id == sender.person_id) return;
  db::NotificationRepository::Sender from{sender.person_id, PersonName(c, sender.person_id)};
  db::NotificationRepository::Add(c, person_id, text, subject, from, dedup_key);
}

}  // namespace nms::services
