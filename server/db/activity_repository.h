#pragma once
// SQL of the activity catalogue (ИОМ): entries with the indicators and areas they address, the
// generation view of a region's catalogue, and the federal registry programmes (0045) brought
// into the catalogue as read-only entries.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/route.pb.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/page_token.h"
#include "server/domain/route/generation.h"

namespace nms::db {

class ActivityRepository {
 public:
  static absl::StatusOr<nms::v1::Activity> Get(sql::Connection& c, int64_t id, bool for_update = false);
  // Region of an activity; NOT_FOUND when missing.
  static absl::StatusOr<int64_t> RegionOf(sql::Connection& c, int64_t id);
  // `provider` is organizations.id or 0.
  static int64_t Insert(sql::Connection& c, int64_t region_id, const nms::v1::Activity& a, int64_t provider);
  // Overwrites the entry and bumps the version.
  static void Update(sql::Connection& c, int64_t id, const nms::v1::Activity& a, int64_t provider);
  static bool UsedByItems(sql::Connection& c, int64_t id);
  static void Delete(sql::Connection& c, int64_t id);
  static std::optional<int64_t> FindByRegistryId(sql::Connection& c, int64_t region_id, const std::string& registry_id);

  // Lists the region's entries matching `terms` (fields of ListActivitiesRequest.filter), by id.
  static absl::Status List(sql::Connection& c, int64_t region_id, const std::vector<FilterTerm>& terms,
                           const PageRequest& page, std::vector<nms::v1::Activity>* out,
                           std::string* next_page_token, int64_t* total_size);

  // The active entries of a region as generation sees them.
  static std::vector<route::Activity> LoadCatalogue(sql::Connection& c, int64_t region_id);

  // Whether federal programmes of the region are missing from the catalogue or changed since.
  static bool FederalSyncPending(sql::Connection& c, int64_t region_id);
  // Creates or refreshes the catalogue entries of the region's federal programmes; a local
  // entry with the same registry id is adopted rather than duplicated. Returns entries written.
  static int SyncFederalProgrammes(sql::Connection& c, int64_t region_id);
};

}  // namespace nms::db
