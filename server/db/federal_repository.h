#pragma once
// SQL for the federal exchange: reading the transactional outbox in sequence order, the
// imported federal registry of programmes, federal course completions and import runs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/federal_exchange.pb.h"

namespace nms::db {

struct OutboxRow {
  int64_t seq = 0;
  int64_t region_id = 0;
  std::string entity_type;
  std::string resource;
  std::string external_id;
  std::string operation;
  std::string payload_json;
  int payload_schema_version = 1;  // 1 = the full entity, reduced on read (federal::PayloadFields)
  int64_t created_micros = 0;  // unix microseconds
  int64_t age_micros = 0;      // DB clock: NOW(6) - created_at
};

struct ProgrammeRow {
  int64_t id = 0;
  std::string fingerprint;
  int64_t modify_micros = 0;  // 0 = unknown
  std::string title;
  int hours = 0;
};

struct ImportRun {
  int64_t created_unix = 0;
  int record_count = 0;
  int rejected_count = 0;
};

class FederalRepository {
 public:
  // Rows with seq > after, ascending, at most `limit` (payloads included when `with_payload`).
  static std::vector<OutboxRow> ReadOutbox(sql::Connection& c, int64_t after, int limit, bool with_payload = true);
  static int64_t HeadSeq(sql::Connection& c, int64_t* head_created_micros);
  static int64_t OldestSeq(sql::Connection& c);
  // Changes after `after` in the listed regions (all when empty).
  static int64_t CountAfter(sql::Connection& c, int64_t after, const std::vector<int64_t>& regions);

  static std::optional<ProgrammeRow> FindProgramme(sql::Connection& c, int64_t region_id, const std::string& external_id);
  static int64_t InsertProgramme(sql::Connection& c, int64_t region_id, const nms::v1::FederalProgrammeRecord& r,
                                 const std::string& fingerprint);
  static void UpdateProgramme(sql::Connection& c, int64_t id, const nms::v1::FederalProgrammeRecord& r,
                              const std::string& fingerprint);
  static int64_t CountProgrammes(sql::Connection& c, int64_t region_id);
  static int64_t CountFederalCompletions(sql::Connection& c, int64_t region_id);

  static std::optional<int64_t> FindPersonInRegion(sql::Connection& c, int64_t region_id, int64_t person_id,
                                                   const std::string& external_id);

  static void InsertImportRun(sql::Connection& c, int64_t region_id, const std::string& kind, int records,
                              int rejected, int64_t account_id);
  static std::optional<ImportRun> LastImportRun(sql::Connection& c, int64_t region_id, const std::string& kind);
};

}  // namespace nms::db
