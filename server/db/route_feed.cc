#include "server/db/route_feed.h"

#include "server/db/audit.h"
#include "server/db/bulk_insert.h"
#include "server/domain/federal/change_feed.h"

namespace nms::db {
nms::v1::Route FeedPayload(const nms::v1::Route& route) {
  nms::v1::Route r = route;
  r.clear_deficits();
  r.clear_progress();
  r.clear_newer_result();  // derived from the teacher's results at read time
  for (auto& it : *r.mutable_items()) it = FeedPayload(it);
  return r;
}

nms::v1::RouteItem FeedPayload(const nms::v1::RouteItem& item) {
  nms::v1::RouteItem it = item;
  it.clear_reason();
  return it;
}

void WriteRouteFeed(sql::Connection& c, int64_t region_id, const nms::v1::Route& route) {
  WriteOutbox(c, region_id, "route", route.name(), federal::kUpdate, route);
}

void WriteItemFeed(sql::Connection& c, int64_t region_id, const nms::v1::RouteItem& item, absl::string_view operation) {
  WriteOutbox(c, region_id, "route_item", item.name(), operation, item);
}

void PublishCreatedRoutes(sql::Connection& c, int64_t account_id, const std::string& action,
                          const std::vector<nms::v1::Route>& routes, const std::vector<int64_t>& region_ids) {
  BulkInsert audit(c, "INSERT INTO audit_log (account_id, action, resource, before_json, after_json) VALUES ", 5, 200);
  BulkInsert outbox(c,
                    "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json, "
                    "payload_schema_version) VALUES ",
                    7, 200);
  for (size_t i = 0; i < routes.size(); ++i) {
    audit.OptInt(account_id).Str(action).Str(routes[i].name()).Null().Str(AuditJson(FeedPayload(routes[i])));
    audit.EndRow();
    outbox.OptInt(region_ids[i])
        .Str("route")
        .Str(routes[i].name())
        .Str(federal::ExternalId(region_ids[i], "route", routes[i].name()))
        .Str(federal::kCreate)
        .Str(FeedJson("route", routes[i]))
        .Int(federal::kPayloadSchemaVersion);
    outbox.EndRow();
  }
  audit.Flush();
  outbox.Flush();
}

}  // namespace nms::db
