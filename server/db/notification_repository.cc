#include "server/db/notification_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {

bool NotificationRepository::Add(sql::Connection& c, int64_t person_id, const inbox::NotificationText& text,
                                 absl::string_view subject, const Sender& sender, absl::string_view dedup_key) {
  return Stmt(c,
              "INSERT IGNORE INTO notifications (person_id, kind, title, body, subject, sender_person_id, "
              "sender_name, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
             .Int(person_id)
             .Int(static_cast<int>(text.kind))
             .Str(text.title)
             .Str(text.body)
             .Str(subject)
             .OptInt(sender.person_id)
             .Str(sender.full_name)
             .OptStr(dedup_key)
             .Execute() > 0;
}

std::vector<v1::Notification> NotificationRepository::List(sql::Connection& c, int64_t person_id, bool unread_only,
                                                           int64_t before_id, int limit) {
  Stmt s(c, absl::StrCat("SELECT id, kind, title, body, subject, sender_name, "
                         "CAST(UNIX_TIMESTAMP(created_at) AS SIGNED) AS ts, "
                                 "read_at IS NOT NULL AS is_read FROM notifications WHERE person_id = ?",
                                 unread_only ? " AND read_at IS NULL" : "", before_id > 0 ? " AND id < ?" : "",
                                 " ORDER BY id DESC LIMIT ?"));
  s.Int(person_id);
  if (before_id > 0) s.Int(before_id);
  auto rows = s.Int(limit).Query();
  std::vector<v1::Notification> out;
  while (rows->next()) {
    v1::Notification n;
    n.set_name(ResourceName("notifications", rows->getInt64("id")));
    n.set_kind(static_cast<v1::NotificationKind>(rows->getInt("kind")));
    n.set_title(GetStr(*rows, "title"));
    n.set_body(GetStr(*rows, "body"));
    n.set_subject(GetStr(*rows, "subject"));
    n.set_sender_name(GetStr(*rows, "sender_name"));
    n.mutable_create_time()->set_seconds(static_cast<int64_t>(rows->getInt64("ts")));
    n.set_read(rows->getBoolean("is_read"));
    out.push_back(std::move(n));
  }
  return out;
}

int64_t NotificationRepository::UnreadCount(sql::Connection& c, int64_t person_id) {
  auto rs = Stmt(c, "SELECT COUNT(*) FROM notifications WHERE person_id = ? AND read_at IS NULL").Int(person_id).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::vector<int64_t> NotificationRepository::Owned(sql::Connection& c, int64_t person_id,
                                                   const std::vector<int64_t>& ids) {
  std::vector<int64_t> out;
  if (ids.empty()) return out;
  std::vector<std::string> marks(ids.size(), "?");
  Stmt s(c, absl::StrCat("SELECT id FROM notifications WHERE person_id = ? AND id IN (", absl::StrJoin(marks, ","), ")"));
  s.Int(person_id);
  for (int64_t id : ids) s.Int(id);
  auto rs = s.Query();
  while (rs->next()) out.push_back(rs->getInt64(1));
  return out;
}

int NotificationRepository::MarkRead(sql::Connection& c, int64_t person_id, const std::vector<int64_t>& ids) {
  if (ids.empty()) {
    return Stmt(c, "UPDATE notifications SET read_at = CURRENT_TIMESTAMP(6) WHERE person_id = ? AND read_at IS NULL")
        .Int(person_id)
        .Execute();
  }
  std::vector<std::string> marks(ids.size(), "?");
  Stmt s(c, absl::StrCat("UPDATE notifications SET read_at = CURRENT_TIMESTAMP(6) WHERE person_id = ? AND read_at IS NULL "
                         "AND id IN (", absl::StrJoin(marks, ","), ")"));
  s.Int(person_id);
  for (int64_t id : ids) s.Int(id);
  return s.Execute();
}

}  // namespace nms::db
