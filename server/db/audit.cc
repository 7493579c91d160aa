#include "server/db/audit.h"

#include <google/protobuf/util/json_util.h>

#include <memory>
#include <set>

#include "nms/v1/diagnostics.pb.h"
#include "nms/v1/directory.pb.h"
#include "nms/v1/mentoring.pb.h"
#include "nms/v1/monitoring.pb.h"
#include "nms/v1/route.pb.h"
#include "server/db/sql.h"
#include "server/domain/federal/change_feed.h"

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

namespace {

// Clears every field of `m` not named in `keep` ("field" or "prefix.field").
void Project(google::protobuf::Message& m, const std::set<std::string>& keep, const std::string& prefix) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    std::string path = prefix + f->name();
    if (!keep.contains(path)) {
      r->ClearField(&m, f);
      continue;
    }
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    std::string sub = path + ".";
    auto it = keep.lower_bound(sub);
    if (it == keep.end() || it->compare(0, sub.size(), sub) != 0) continue;  // kept whole
    if (f->is_repeated()) {
      for (int k = 0; k < r->FieldSize(m, f); ++k) Project(*r->MutableRepeatedMessage(&m, f, k), keep, sub);
    } else if (r->HasField(m, f)) {
      Project(*r->MutableMessage(&m, f), keep, sub);
    }
  }
}

std::unique_ptr<google::protobuf::Message> NewPayload(absl::string_view entity_type) {
  if (entity_type == "teacher") return std::make_unique<nms::v1::Person>();
  if (entity_type == "organization") return std::make_unique<nms::v1::Organization>();
  if (entity_type == "diagnostic_result") return std::make_unique<nms::v1::DiagnosticResult>();
  if (entity_type == "route") return std::make_unique<nms::v1::Route>();
  if (entity_type == "route_item") return std::make_unique<nms::v1::RouteItem>();
  if (entity_type == "training_completion") return std::make_unique<nms::v1::TrainingCompletion>();
  if (entity_type == "mentoring_pair") return std::make_unique<nms::v1::MentoringPair>();
  return nullptr;
}

}  // namespace

std::string FeedJson(absl::string_view entity_type, const google::protobuf::Message& payload) {
  const auto& fields = federal::PayloadFields(entity_type);
  std::unique_ptr<google::protobuf::Message> copy(payload.New());
  copy->CopyFrom(payload);
  Project(*copy, std::set<std::string>(fields.begin(), fields.end()), "");
  return AuditJson(*copy);
}

std::string MinimiseStoredFeedJson(absl::string_view entity_type, const std::string& json) {
  auto m = NewPayload(entity_type);
  if (m == nullptr) return "{}";
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(json, m.get(), opts).ok()) return "{}";
  return FeedJson(entity_type, *m);
}

void WriteOutbox(sql::Connection& c, int64_t region_id, absl::string_view entity_type,
                 absl::string_view resource, absl::string_view operation,
                 const google::protobuf::Message& payload) {
  Stmt(c,
       "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json, "
       "payload_schema_version) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .OptInt(region_id)
      .Str(entity_type)
      .Str(resource)
      .Str(federal::ExternalId(region_id, entity_type, resource))
      .Str(operation)
      .Str(operation == federal::kDelete ? "{}" : FeedJson(entity_type, payload))
      .Int(federal::kPayloadSchemaVersion)
      .Execute();
}

}  // namespace nms::db
