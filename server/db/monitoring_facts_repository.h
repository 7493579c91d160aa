#pragma once
// Generic reading, listing and deleting of monitoring fact records. Each fact table is
// described once (table, resource collection, columns <-> proto fields); rows are mapped to and
// from the proto messages by reflection, so the nine fact kinds share one tested code path.

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>
#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "server/db/directory_repository.h"

namespace nms::db {

struct FactColumn {
  enum class Kind { kStr, kNum, kBool, kDate, kRef };
  const char* field;
  const char* column;
  Kind kind;
  const char* collection = nullptr;  // kRef: "people", "organizations", ...
};

struct FactTable {
  const char* table;
  const char* collection;         // "communityMemberships"
  const char* parent_collection;  // "internshipPlatforms" for nested resources, else nullptr
  const char* parent_column;      // "platform_id"
  const char* place_column;       // column whose person / organisation / region places the row
  char place_kind;                // 'p' person, 'o' organisation, 'r' region
  std::vector<FactColumn> columns;
};

// The nine fact tables of MonitoringService.
const FactTable& TrainingCompletionsTable();
const FactTable& ManagementMembershipsTable();
const FactTable& CommunityMembershipsTable();
const FactTable& ExpertActivitiesTable();
const FactTable& InternshipPlatformsTable();
const FactTable& InternshipParticipantsTable();
const FactTable& RegionalEventsTable();
const FactTable& EventParticipantsTable();
const FactTable& CnppmStaffTable();
const FactTable& MethodistAssignmentsTable();

struct FactRow {
  int64_t id = 0;
  int64_t version = 0;
  int64_t place_id = 0;  // value of place_column
};

// Parses "collection/{id}" or "parent/{pid}/<collection>/{id}" for the table.
absl::StatusOr<int64_t> ParseFactName(const FactTable& t, const std::string& name, const char* field);

// Reads one row into `out` (fields by reflection). NOT_FOUND when missing.
absl::StatusOr<FactRow> ReadFact(sql::Connection& c, const FactTable& t, int64_t id, google::protobuf::Message* out,
                                 bool for_update = false);

// Lists rows visible in `scope` matching `filter` (AIP-160 subset: `field = value` joined by
// AND, plus `active = true|false`), keyset-paged by id.
absl::Status ListFacts(sql::Connection& c, const FactTable& t, const ScopeFilter& scope, const std::string& filter,
                       int64_t parent_id, const PageRequest& page,
                       const google::protobuf::Descriptor* item, std::vector<std::unique_ptr<google::protobuf::Message>>* out,
                       std::string* next_page_token, int64_t* total_size);

void DeleteFact(sql::Connection& c, const FactTable& t, int64_t id);

// The fields of `t` an update mask may name: its non-reference columns.
std::vector<std::string> UpdatableFields(const FactTable& t);

// Writes the listed fields of `m` (names from UpdatableFields) and bumps the version.
void UpdateFact(sql::Connection& c, const FactTable& t, int64_t id, const google::protobuf::Message& m,
                const std::vector<std::string>& fields);

}  // namespace nms::db
