#pragma once
// SQL of route items: the roadmap rows with their evidence, reflective report and ДПП
// enrolment. Every write bumps the item's version; the service bumps the route's too (a
// signature covers the content the signer saw).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/route.pb.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/page_token.h"
#include "server/domain/route/generation.h"
#include "server/domain/route/items.h"

namespace nms::db {

struct ItemHead {
  int64_t id = 0;
  int64_t route_id = 0;
  route::Section section = route::Section::kEvents;
  route::ItemStatus status = route::ItemStatus::kPlanned;
  route::Enrolment enrolment = route::Enrolment::kNone;
  int64_t version = 0;
  std::string skip_reason;
  std::string reflective_report;
  std::vector<route::Evidence> evidence;
};

// The editable content of an item.
struct ItemWrite {
  route::Section section = route::Section::kEvents;
  int64_t activity_id = 0;
  std::string title, form;
  int hours = 0;
  std::optional<absl::CivilDay> deadline;
  std::vector<std::string> closes;
  std::string reason;
  std::string community_status;
  int64_t mentoring_pair_id = 0;
  route::TemplateDetails details;
};

class RouteItemRepository {
 public:
  // NOT_FOUND when the item does not exist or belongs to another route.
  static absl::StatusOr<ItemHead> GetHead(sql::Connection& c, int64_t route_id, int64_t item_id, bool for_update = false);
  static absl::StatusOr<nms::v1::RouteItem> Get(sql::Connection& c, int64_t route_id, int64_t item_id);
  // Items of many routes, each ordered by section, position.
  static std::map<int64_t, std::vector<nms::v1::RouteItem>> ItemsOf(sql::Connection& c,
                                                                     const std::vector<int64_t>& route_ids);
  static absl::Status List(sql::Connection& c, int64_t route_id, const std::vector<FilterTerm>& terms,
                           const PageRequest& page, nms::v1::ListRouteItemsResponse* out);

  // Appends the item at the end of its section.
  static int64_t Insert(sql::Connection& c, int64_t route_id, const ItemWrite& w);
  static int64_t Count(sql::Connection& c, int64_t route_id);
  static void Update(sql::Connection& c, int64_t route_id, int64_t item_id, route::Section old_section, const ItemWrite& w);
  static void Delete(sql::Connection& c, int64_t route_id, int64_t item_id, route::Section section);
  static ItemWrite ToWrite(const nms::v1::RouteItem& item);

  static void SetStatus(sql::Connection& c, int64_t item_id, route::ItemStatus status, const std::string& skip_reason,
                        const std::optional<absl::CivilDay>& done_date);
  static void AddEvidence(sql::Connection& c, int64_t item_id, const route::Evidence& e);
  static void SetReflection(sql::Connection& c, int64_t item_id, const std::string& text);
  static void SetEnrolment(sql::Connection& c, int64_t item_id, route::Enrolment to, int64_t decided_by,
                           const std::string& comment, route::ItemStatus item_status);
  // On route start: enrolled ДПП items are being carried out. Returns the items changed.
  static std::vector<int64_t> StartEnrolledItems(sql::Connection& c, int64_t route_id);
  static std::vector<route::ItemClosure> Closures(sql::Connection& c, int64_t route_id);
};

// "routes/{route}/items/{item}".
std::string ItemName(int64_t route_id, int64_t item_id);

}  // namespace nms::db
