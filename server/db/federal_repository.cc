#include "server/db/federal_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/sql.h"

namespace nms::db {

std::vector<OutboxRow> FederalRepository::ReadOutbox(sql::Connection& c, int64_t after, int limit, bool with_payload) {
  auto rs = Stmt(c, absl::StrCat("SELECT seq, IFNULL(region_id, 0), entity_type, resource, external_id, operation, ",
                                 with_payload ? "payload_json" : "''",
                                 ", CAST(UNIX_TIMESTAMP(created_at) * 1000000 AS SIGNED), "
                                 "TIMESTAMPDIFF(MICROSECOND, created_at, NOW(6)), payload_schema_version "
                                 "FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?"))
                .Int(after)
                .Int(limit)
                .Query();
  std::vector<OutboxRow> out;
  while (rs->next()) {
    OutboxRow r;
    r.seq = rs->getInt64(1);
    r.region_id = rs->getInt64(2);
    r.entity_type = rs->getString(3);
    r.resource = rs->getString(4);
    r.external_id = rs->getString(5);
    r.operation = rs->getString(6);
    r.payload_json = rs->getString(7);
    r.created_micros = rs->getInt64(8);
    r.age_micros = rs->getInt64(9);
    r.payload_schema_version = rs->getInt(10);
    out.push_back(std::move(r));
  }
  return out;
}

int64_t FederalRepository::HeadSeq(sql::Connection& c, int64_t* head_created_micros) {
  auto rs = Stmt(c, "SELECT seq, CAST(UNIX_TIMESTAMP(created_at) * 1000000 AS SIGNED) FROM outbox ORDER BY seq DESC LIMIT 1")
                .Query();
  if (!rs->next()) {
    if (head_created_micros) *head_created_micros = 0;
    return 0;
  }
  if (head_created_micros) *head_created_micros = rs->getInt64(2);
  return rs->getInt64(1);
}

int64_t FederalRepository::OldestSeq(sql::Connection& c) {
  auto rs = Stmt(c, "SELECT IFNULL(MIN(seq), 0) FROM outbox").Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

int64_t FederalRepository::CountAfter(sql::Connection& c, int64_t after, const std::vector<int64_t>& regions) {
  std::string sql = "SELECT COUNT(*) FROM outbox WHERE seq > ?";
  if (!regions.empty()) sql += absl::StrCat(" AND region_id IN (", absl::StrJoin(regions, ","), ")");
  auto rs = Stmt(c, sql).Int(after).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::optional<ProgrammeRow> FederalRepository::FindProgramme(sql::Connection& c, int64_t region_id,
                                                             const std::string& external_id) {
  auto rs = Stmt(c,
                 "SELECT id, content_hash, IFNULL(CAST(UNIX_TIMESTAMP(modify_time) * 1000000 AS SIGNED), 0), title, "
                 "hours FROM federal_programmes WHERE region_id = ? AND external_id = ? FOR UPDATE")
                .Int(region_id)
                .Str(external_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  ProgrammeRow r;
  r.id = rs->getInt64(1);
  r.fingerprint = rs->getString(2);
  r.modify_micros = rs->getInt64(3);
  r.title = rs->getString(4);
  r.hours = rs->getInt(5);
  return r;
}

namespace {
std::string ModifyTime(const nms::v1::FederalProgrammeRecord& r) {
  if (r.modify_time().seconds() == 0 && r.modify_time().nanos() == 0) return "";
  return absl::StrCat(r.modify_time().seconds(), ".", r.modify_time().nanos() / 1000);
}
std::string Areas(const nms::v1::FederalProgrammeRecord& r) {
  std::vector<int> v(r.areas().begin(), r.areas().end());
  return absl::StrJoin(v, ",");
}
}  // namespace

int64_t FederalRepository::InsertProgramme(sql::Connection& c, int64_t region_id,
                                           const nms::v1::FederalProgrammeRecord& r, const std::string& fingerprint) {
  std::string mt = ModifyTime(r);
  Stmt(c,
       "INSERT INTO federal_programmes (region_id, external_id, title, hours, provider_title, provider_inn, "
       "competencies, areas, indicator_codes, annotation, url, active, modify_time, content_hash) "
       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,IF(? = '', NULL, FROM_UNIXTIME(?)),?)")
      .Int(region_id)
      .Str(r.external_id())
      .Str(r.title())
      .Int(r.hours())
      .Str(r.provider_title())
      .Str(r.provider_inn())
      .Str(absl::StrJoin(r.competencies(), "\n"))
      .Str(Areas(r))
      .Str(absl::StrJoin(r.indicator_codes(), ","))
      .Str(r.annotation())
      .Str(r.url())
      .Bool(r.active())
      .Str(mt)
      .Str(mt.empty() ? "0" : mt)
      .Str(fingerprint)
      .Execute();
  return LastInsertId(c);
}

void FederalRepository::UpdateProgramme(sql::Connection& c, int64_t id, const nms::v1::FederalProgrammeRecord& r,
                                        const std::string& fingerprint) {
  std::string mt = ModifyTime(r);
  Stmt(c,
       "UPDATE federal_programmes SET title = ?, hours = ?, provider_title = ?, provider_inn = ?, competencies = ?, "
       "areas = ?, indicator_codes = ?, annotation = ?, url = ?, active = ?, modify_time = IF(? = '', modify_time, "
       "FROM_UNIXTIME(?)), content_hash = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(r.title())
      .Int(r.hours())
      .Str(r.provider_title())
      .Str(r.provider_inn())
      .Str(absl::StrJoin(r.competencies(), "\n"))
      .Str(Areas(r))
      .Str(absl::StrJoin(r.indicator_codes(), ","))
      .Str(r.annotation())
      .Str(r.url())
      .Bool(r.active())
      .Str(mt)
      .Str(mt.empty() ? "0" : mt)
      .Str(fingerprint)
      .Int(id)
      .Execute();
}

int64_t FederalRepository::CountProgrammes(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT COUNT(*) FROM federal_programmes WHERE region_id = ?").Int(region_id).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

int64_t FederalRepository::CountFederalCompletions(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT COUNT(*) FROM training_completions WHERE region_id = ? AND source = 3").Int(region_id).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::optional<int64_t> FederalRepository::FindPersonInRegion(sql::Connection& c, int64_t region_id, int64_t person_id,
                                                             const std::string& external_id) {
  auto rs = person_id > 0 ? Stmt(c, "SELECT id FROM people WHERE region_id = ? AND id = ?").Int(region_id).Int(person_id).Query()
                          : Stmt(c, "SELECT id FROM people WHERE region_id = ? AND external_id = ?")
                                .Int(region_id)
                                .Str(external_id)
                                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

void FederalRepository::InsertImportRun(sql::Connection& c, int64_t region_id, const std::string& kind, int records,
                                        int rejected, int64_t account_id) {
  Stmt(c, "INSERT INTO federal_import_runs (region_id, kind, record_count, rejected_count, account_id) VALUES (?,?,?,?,?)")
      .Int(region_id)
      .Str(kind)
      .Int(records)
      .Int(rejected)
      .Int(account_id)
      .Execute();
}

std::optional<ImportRun> FederalRepository::LastImportRun(sql::Connection& c, int64_t region_id, const std::string& kind) {
  auto rs = Stmt(c,
                 "SELECT UNIX_TIMESTAMP(created_at), record_count, rejected_count FROM federal_import_runs "
                 "WHERE region_id = ? AND kind = ? ORDER BY id DESC LIMIT 1")
                .Int(region_id)
                .Str(kind)
                .Query();
  if (!rs->next()) return std::nullopt;
  return ImportRun{rs->getInt64(1), rs->getInt(2), rs->getInt(3)};
}

}  // namespace nms::db
