#pragma once
// Audit and federal change-feed records of routes and route items, written in the caller's
// transaction. The audit keeps the route as the API shows it minus what is derived (progress,
// deficit coverage) or internal (the generator's reasons); the feed carries only the fields of
// federal::PayloadFields("route") / ("route_item").

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/strings/string_view.h"
#include "server/domain/federal/change_feed.h"
#include "nms/v1/route.pb.h"

namespace nms::db {

nms::v1::Route FeedPayload(const nms::v1::Route& route);
nms::v1::RouteItem FeedPayload(const nms::v1::RouteItem& item);

// Outbox "route" update of an existing route (edits, status changes); creations go through
// PublishCreatedRoutes.
void WriteRouteFeed(sql::Connection& c, int64_t region_id, const nms::v1::Route& route);
// Outbox "route_item" change; `operation` is federal::kCreate, kUpdate or kDelete.
void WriteItemFeed(sql::Connection& c, int64_t region_id, const nms::v1::RouteItem& item, absl::string_view operation);

// Audit and outbox rows of many created routes at once (multi-row inserts).
void PublishCreatedRoutes(sql::Connection& c, int64_t account_id, const std::string& action,
                          const std::vector<nms::v1::Route>& routes, const std::vector<int64_t>& region_ids);

}  // namespace nms::db
