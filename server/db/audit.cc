#include "server/db/audit.h"

#include <google/protobuf/util/json_util.h>

#include "server/db/sql.h"

namespace nms::db {
std::string AuditJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

void WriteAudit(sql::Connection& c, int64_t account_id, absl::string_view action,
                absl::string_view resource, const google::protobuf::Message* before,
                const google::protobuf::Message* after) {
  Stmt st(c,
          "INSERT INTO audit_log (account_id, action, resource, before_json, after_json) "
          "VALUES (?, ?, ?, ?, ?)");
  st.OptInt(account_id).Str(action).Str(resource);
  if (before) st.Str(AuditJson(*before)); else st.Null();
  if (after) st.Str(AuditJson(*after)); else st.Null();
  st.Execute();
}

void WriteOutbox(sql::Connection& c, int64_t region_id, absl::string_view entity_type,
                 absl::string_view resource, absl::string_view external_id,
                 absl::string_view operation, const google::protobuf::Message& payload) {
  Stmt(c,
       "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json) "
       "VALUES (?, ?, ?, ?, ?, ?)")
      .OptInt(region_id)
      .Str(entity_type)
      .Str(resource)
      .Str(external_id)
      .Str(operation)
      .Str(AuditJson(payload))
      .Execute();
}

}  // namespace nms::db
