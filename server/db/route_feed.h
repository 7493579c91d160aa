#pragma once
// Audit and federal change-feed records of routes and route items, written in the caller's
// transaction. The feed carries the route as the API shows it minus what is derived (progress,
// deficit coverage) or internal (the generator's reasons): consumers rebuild those themselves.

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "nms/v1/route.pb.h"

namespace nms::db {

nms::v1::Route FeedPayload(const nms::v1::Route& route);
nms::v1::RouteItem FeedPayload(const nms::v1::RouteItem& item);

// Outbox "route" upsert of the route (every creation and status change).
void WriteRouteFeed(sql::Connection& c, int64_t region_id, const nms::v1::Route& route);
// Outbox "route_item" upsert or delete.
void WriteItemFeed(sql::Connection& c, int64_t region_id, const nms::v1::RouteItem& item, const char* operation);

// Audit and outbox rows of many created routes at once (multi-row inserts).
void PublishCreatedRoutes(sql::Connection& c, int64_t account_id, const std::string& action,
                          const std::vector<nms::v1::Route>& routes, const std::vector<int64_t>& region_ids);

}  // namespace nms::db
