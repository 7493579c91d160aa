#include "server/db/route_operation_repository.h"
#include "server/db/stored_proto.h"

#include "absl/strings/str_cat.h"
#include "server/db/route_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {
namespace {

namespace v1 = nms::v1;
constexpr int kMaxErrors = 1000;

}  // namespace

int64_t RouteOperationRepository::Insert(sql::Connection& c, int64_t region_id, int64_t campaign_id,
                                         const std::string& scope, const v1::RouteGenerationOptions& options,
                                         absl::CivilDay start_date, int64_t account_id, int64_t actor_person_id) {
  Stmt(c,
       "INSERT INTO route_operations (region_id, kind, state, campaign_id, scope, options_blob, account_id, "
       "actor_person_id, start_date, phase) VALUES (?,?,?,?,?,?,?,?,?,?)")
      .Int(region_id)
      .Int(v1::ROUTE_OPERATION_KIND_BULK_GENERATE)
      .Int(v1::ROUTE_OPERATION_STATE_PENDING)
      .Int(campaign_id)
      .Str(scope)
      .Blob(options.SerializeAsString())
      .OptInt(account_id)
      .OptInt(actor_person_id)
      .Day(start_date)
      .Str("В очереди")
      .Execute();
  return LastInsertId(c);
}

absl::StatusOr<OperationRow> RouteOperationRepository::GetRow(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT id, region_id, campaign_id, IFNULL(account_id, 0) AS acc, "
                                 "IFNULL(actor_person_id, 0) AS actor, scope, options_blob, start_date, state, total, "
                                 "done, cursor_person_id, worker FROM route_operations WHERE id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Операция routeOperations/", id, " не найдена"));
  OperationRow r;
  r.id = id;
  r.region_id = rs->getInt64("region_id");
  r.campaign_id = rs->getInt64("campaign_id");
  r.account_id = rs->getInt64("acc");
  r.actor_person_id = rs->getInt64("actor");
  r.scope = GetStr(*rs, "scope");
  ParseStoredBinary(std::string(rs->getString("options_blob")), &r.options, "route_operations.options_blob");
  r.start_date = GetDay(*rs, "start_date").value_or(absl::CivilDay(1970, 1, 1));
  r.state = rs->getInt("state");
  r.total = rs->getInt64("total");
  r.done = rs->getInt64("done");
  r.cursor_person_id = rs->getInt64("cursor_person_id");
  r.worker = GetStr(*rs, "worker");
  return r;
}

absl::StatusOr<v1::RouteOperation> RouteOperationRepository::Get(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, absl::StrCat("SELECT kind, state, campaign_id, scope, total, done, phase, routes_created, "
                                 "skipped_existing, skipped_without_diagnosis, error_message, ",
                                 MicrosOf("created_at", "c_us"), ", ", MicrosOf("updated_at", "u_us"), ", ",
                                 MicrosOf("ended_at", "e_us"), " FROM route_operations WHERE id = ?"))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Операция routeOperations/", id, " не найдена"));
  v1::RouteOperation op;
  op.set_name(ResourceName("routeOperations", id));
  op.set_kind(static_cast<v1::RouteOperationKind>(rs->getInt("kind")));
  op.set_state(static_cast<v1::RouteOperationState>(rs->getInt("state")));
  op.set_campaign(ResourceName("campaigns", rs->getInt64("campaign_id")));
  op.set_scope(GetStr(*rs, "scope"));
  op.mutable_progress()->set_total(rs->getInt64("total"));
  op.mutable_progress()->set_done(rs->getInt64("done"));
  op.mutable_progress()->set_phase(GetStr(*rs, "phase"));
  op.set_routes_created(rs->getInt64("routes_created"));
  op.set_skipped_existing(rs->getInt64("skipped_existing"));
  op.set_skipped_without_diagnosis(rs->getInt64("skipped_without_diagnosis"));
  op.set_error_message(GetStr(*rs, "error_message"));
  *op.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs->getInt64("c_us")));
  *op.mutable_update_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs->getInt64("u_us")));
  if (!rs->isNull("e_us")) *op.mutable_end_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs->getInt64("e_us")));
  auto errs = Stmt(c, "SELECT person_id, message FROM route_operation_errors WHERE operation_id = ? ORDER BY person_id "
                      "LIMIT 1000")
                  .Int(id)
                  .Query();
  while (errs->next()) {
    auto* e = op.add_errors();
    e->set_person(ResourceName("people", errs->getInt64(1)));
    e->set_message(errs->getString(2));
  }
  return op;
}

std::optional<int64_t> RouteOperationRepository::Claim(sql::Connection& c, const std::string& worker, int stale_seconds) {
  auto rs = Stmt(c,
                 "SELECT id FROM route_operations WHERE state = 1 OR (state = 2 AND (heartbeat_at IS NULL OR "
                 "heartbeat_at < NOW(6) - INTERVAL ? SECOND)) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
                .Int(stale_seconds)
                .Query();
  if (!rs->next()) return std::nullopt;
  int64_t id = rs->getInt64(1);
  Stmt(c,
       "UPDATE route_operations SET state = 2, worker = ?, heartbeat_at = NOW(6), phase = 'Формирование ИОМ', "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(worker)
      .Int(id)
      .Execute();
  return id;
}

bool RouteOperationRepository::Advance(sql::Connection& c, int64_t id, const std::string& worker, int64_t processed,
                                       int64_t cursor_person_id, int64_t created, int64_t skipped_existing,
                                       int64_t skipped_without_diagnosis,
                                       const std::vector<std::pair<int64_t, std::string>>& errors) {
  int n = Stmt(c,
               "UPDATE route_operations SET done = done + ?, cursor_person_id = ?, routes_created = routes_created + ?, "
               "skipped_existing = skipped_existing + ?, skipped_without_diagnosis = skipped_without_diagnosis + ?, "
               "error_count = error_count + ?, heartbeat_at = NOW(6), updated_at = CURRENT_TIMESTAMP(6) "
               "WHERE id = ? AND worker = ? AND state = 2")
              .Int(processed)
              .Int(cursor_person_id)
              .Int(created)
              .Int(skipped_existing)
              .Int(skipped_without_diagnosis)
              .Int(static_cast<int64_t>(errors.size()))
              .Int(id)
              .Str(worker)
              .Execute();
  if (n == 0) return false;
  if (!errors.empty()) {
    auto rs = Stmt(c, "SELECT COUNT(*) FROM route_operation_errors WHERE operation_id = ?").Int(id).Query();
    int have = rs->next() ? rs->getInt(1) : 0;
    for (const auto& [person, message] : errors) {
      if (have++ >= kMaxErrors) break;
      Stmt(c, "INSERT IGNORE INTO route_operation_errors (operation_id, person_id, message) VALUES (?,?,?)")
          .Int(id)
          .Int(person)
          .Str(message.substr(0, 1000))
          .Execute();
    }
  }
  return true;
}

void RouteOperationRepository::SetTotal(sql::Connection& c, int64_t id, int64_t total) {
  Stmt(c, "UPDATE route_operations SET total = ?, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?").Int(total).Int(id).Execute();
}

void RouteOperationRepository::Finish(sql::Connection& c, int64_t id, bool ok, const std::string& error_message) {
  Stmt(c,
       "UPDATE route_operations SET state = ?, phase = ?, error_message = ?, ended_at = CURRENT_TIMESTAMP(6), "
       "updated_at = CURRENT_TIMESTAMP(6), worker = '' WHERE id = ?")
      .Int(ok ? v1::ROUTE_OPERATION_STATE_SUCCEEDED : v1::ROUTE_OPERATION_STATE_FAILED)
      .Str(ok ? "Завершено" : "Остановлено из-за ошибки")
      .Str(error_message.substr(0, 2000))
      .Int(id)
      .Execute();
}

void RouteOperationRepository::Release(sql::Connection& c, int64_t id, const std::string& worker) {
  Stmt(c,
       "UPDATE route_operations SET state = 1, worker = '', phase = 'В очереди (сервер перезапускается)', "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ? AND worker = ? AND state = 2")
      .Int(id)
      .Str(worker)
      .Execute();
}

}  // namespace nms::db
