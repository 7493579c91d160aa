#include "server/services/federal_exchange_service.h"

#include <cstdlib>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "nms/v1/monitoring.pb.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/federal_repository.h"
#include "server/db/idempotency.h"
#include "server/db/monitoring_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/text.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/person.h"
#include "server/domain/federal/change_feed.h"
#include "server/services/convert.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"
#include "server/services/stream_limit.h"

namespace nms::services {

using access::Action;
using access::Placement;
using access::Principal;
using Repo = db::FederalRepository;
namespace v1 = nms::v1;

namespace {

constexpr int kMaxImportRecords = 5000;

// Regions the caller may exchange: the requested one (checked) or all its regional grants.
absl::StatusOr<std::vector<int64_t>> ExchangeRegions(sql::Connection& c, const Principal& p, const std::string& region) {
  if (!region.empty()) {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(region, "regions", "region"));
    RETURN_IF_ERROR(CheckAccess(p, Action::kFederalExchange, db::DirectoryRepository::PlaceRegion(c, id)));
    return std::vector<int64_t>{id};
  }
  std::set<int64_t> ids;
  for (const auto& g : p.grants) {
    if (g.scope_kind != access::ScopeKind::kRegion) continue;
    if (access::Authorize(p, Action::kFederalExchange, Placement{g.region_id}).ok()) ids.insert(g.region_id);
  }
  if (ids.empty()) return access::Authorize(p, Action::kFederalExchange, Placement{});
  return std::vector<int64_t>(ids.begin(), ids.end());
}

v1::ChangeOperation Operation(const std::string& op) {
  if (op == federal::kDelete) return v1::CHANGE_OPERATION_DELETE;
  if (op == federal::kCreate) return v1::CHANGE_OPERATION_CREATE;
  return v1::CHANGE_OPERATION_UPDATE;  // "update", or "upsert" of rows older than the contract
}

// Bytes a response needs besides its records (cursor, caught_up, server_time), and the framing of
// one record in it (tag + length), both generous.
constexpr size_t kResponseOverhead = 256;
constexpr size_t kRecordFraming = 8;

google::protobuf::Timestamp MicrosToProto(int64_t micros) {
  google::protobuf::Timestamp t;
  t.set_seconds(micros / 1000000);
  t.set_nanos(static_cast<int>(micros % 1000000) * 1000);
  return t;
}

// Stable fingerprint of a programme record (FNV-1a 64 of its canonical serialisation).
std::string Fingerprint(const v1::FederalProgrammeRecord& r) {
  v1::FederalProgrammeRecord copy = r;
  copy.clear_modify_time();
  std::string bytes;
  copy.SerializeToString(&bytes);  // deterministic enough for one schema version
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return absl::StrCat(absl::Hex(h, absl::kZeroPad16));
}

v1::FederalImportResult Rejected(int index, const std::string& external_id, absl::string_view message) {
  v1::FederalImportResult r;
  r.set_index(index);
  r.set_external_id(external_id);
  r.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_REJECTED);
  r.set_message(std::string(message));
  return r;
}

}  // namespace

FederalExchangeServiceImpl::FederalExchangeServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn,
                                                       StreamLimiter& streams, absl::Duration gap_timeout,
                                                       size_t max_message_bytes)
    : pool_(pool),
      authn_(authn),
      streams_(streams),
      gap_timeout_micros_(absl::ToInt64Microseconds(gap_timeout)),
      max_message_bytes_(max_message_bytes) {}

grpc::Status FederalExchangeServiceImpl::StreamChanges(grpc::ServerContext* ctx, const v1::StreamChangesRequest* req,
                                                       grpc::ServerWriter<v1::StreamChangesResponse>* writer) {
  return Run(ctx, authn_, "FederalExchangeService/StreamChanges", [&](const Principal& p) -> absl::Status {
    // A stream holds a handler thread for its whole life: capped per account and in total.
    ASSIGN_OR_RETURN(StreamLimiter::Slot slot, streams_.Acquire(p.account_id));
    ASSIGN_OR_RETURN(int64_t cursor, federal::DecodeCursor(req->after_cursor()));
    if (req->batch_size() < 0 || req->batch_size() > 5000) {
      return absl::InvalidArgumentError("Поле batch_size: от 1 до 5000");
    }
    int batch = req->batch_size() == 0 ? 500 : req->batch_size();
    std::set<int> types;
    for (int t : req->entity_types()) {
      if (t <= 0 || federal::EntityTypeName(t)[0] == '\0') {
        return absl::InvalidArgumentError("Поле entity_types: неизвестный тип сущности");
      }
      types.insert(t);
    }
    std::set<int64_t> regions;
    RETURN_IF_ERROR(db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto list, ExchangeRegions(c, p, req->region()));
      regions.insert(list.begin(), list.end());
      int64_t head = Repo::HeadSeq(c, nullptr);
      if (cursor > head) return absl::OutOfRangeError("Поле after_cursor: курсор впереди журнала изменений");
      return absl::OkStatus();
    }));
    absl::Time last_sent = absl::Now();
    while (!ctx->IsCancelled()) {
      std::vector<db::OutboxRow> rows;
      RETURN_IF_ERROR(db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
        rows = Repo::ReadOutbox(c, cursor, batch);
        return absl::OkStatus();
      }));
      std::vector<federal::SeenRow> seen;
      seen.reserve(rows.size());
      for (const auto& r : rows) seen.push_back({r.seq, r.age_micros});
      federal::SafeWindow w = federal::SafePrefix(cursor, seen, gap_timeout_micros_);
      // The window's records go out in messages cut where the next record would push a message
      // past the limit (5000 large records are well over 8 MiB), one after another from the
      // rows already read.
      size_t next = 0;  // first row of the window not yet sent or filtered out
      bool caught_up = false;
      for (bool split = true; split;) {
        v1::StreamChangesResponse resp;
        size_t message_bytes = 0;
        int64_t through = cursor;  // every row up to here is delivered or filtered out
        split = false;
        for (; next < w.count; ++next) {
          const auto& r = rows[next];
          int type = federal::EntityTypeValue(r.entity_type);
          if (type == 0 || !regions.contains(r.region_id) || (!types.empty() && !types.contains(type))) {
            through = r.seq;
            continue;
          }
          v1::ChangeRecord ch;
          ch.set_cursor(federal::EncodeCursor(r.seq));
          ch.set_sequence(r.seq);
          ch.set_entity_type(static_cast<v1::ChangeEntityType>(type));
          ch.set_external_id(federal::ExternalId(r.region_id, r.entity_type, r.resource));
          ch.set_resource(r.resource);
          ch.set_operation(Operation(r.operation));
          *ch.mutable_commit_time() = MicrosToProto(r.created_micros);
          if (ch.operation() != v1::CHANGE_OPERATION_DELETE) {
            // Rows stored before the payloads were reduced are reduced here.
            ch.set_payload_json(r.payload_schema_version >= federal::kPayloadSchemaVersion
                                    ? r.payload_json
                                    : db::MinimiseStoredFeedJson(r.entity_type, r.payload_json));
          }
          ch.set_payload_schema_version(federal::kPayloadSchemaVersion);
          size_t bytes = ch.ByteSizeLong();
          if (federal::RecordsThatFit({bytes}, max_message_bytes_, kResponseOverhead + message_bytes,
                                      kRecordFraming) == 0) {
            if (resp.changes_size() > 0) {
              split = true;
              break;
            }
            return absl::ResourceExhaustedError(absl::StrCat(
                "Изменение ", r.seq, " больше предельного размера сообщения (", max_message_bytes_,
                " байт); увеличьте --max_message_bytes сервера и клиента"));
          }
          message_bytes += bytes + kRecordFraming;
          *resp.add_changes() = std::move(ch);
          through = r.seq;
        }
        if (!split) through = w.cursor;
        bool advanced = through != cursor;
        cursor = through;
        caught_up = !split && w.count == rows.size() && static_cast<int>(rows.size()) < batch;
        resp.set_cursor(federal::EncodeCursor(cursor));
        resp.set_caught_up(caught_up);
        *resp.mutable_server_time() = ToProtoTime(absl::Now());
        bool heartbeat_due = absl::Now() - last_sent > absl::Seconds(5);
        if (resp.changes_size() > 0 || (caught_up && !req->follow()) || (advanced && !caught_up) || heartbeat_due ||
            (w.blocked_by_gap && !req->follow())) {
          if (!writer->Write(resp)) return absl::OkStatus();  // client went away
          last_sent = absl::Now();
        }
      }
      if (!req->follow() && (caught_up || (w.blocked_by_gap && w.count == 0))) return absl::OkStatus();
      if (caught_up || w.count == 0) absl::SleepFor(absl::Milliseconds(req->follow() ? 200 : 50));
    }
    return absl::OkStatus();
  });
}

grpc::Status FederalExchangeServiceImpl::ImportProgrammes(grpc::ServerContext* ctx, const v1::ImportProgrammesRequest* req,
                                                          v1::ImportProgrammesResponse* resp) {
  return Run(ctx, authn_, "FederalExchangeService/ImportProgrammes", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->region(), "regions", "region"));
    if (req->records_size() > kMaxImportRecords) {
      return absl::InvalidArgumentError("Поле records: не больше 5000 записей за вызов");
    }
    return db::IdempotentWrite(pool_, p.account_id, "ImportProgrammes", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kFederalExchange, db::DirectoryRepository::PlaceRegion(c, region)));
      resp->clear_results();
      std::set<std::string> seen;
      int rejected = 0;
      for (int i = 0; i < req->records_size(); ++i) {
        const auto& r = req->records(i);
        absl::Status valid = RequireText(r.external_id(), "external_id", 128);
        if (valid.ok()) valid = RequireText(r.title(), "title", 1000);
        if (valid.ok()) valid = OptionalText(r.provider_title(), "provider_title", 1000);
        if (valid.ok()) valid = OptionalText(r.url(), "url", 2000);
        if (valid.ok()) valid = OptionalText(r.annotation(), "annotation", 60000);
        if (valid.ok() && (r.provider_inn().size() > 12 ||
                           r.provider_inn().find_first_not_of("0123456789") != std::string::npos)) {
          valid = absl::InvalidArgumentError("Поле provider_inn: 10 или 12 цифр");
        }
        if (valid.ok() && (r.hours() < 0 || r.hours() > 10000)) {
          valid = absl::InvalidArgumentError("Поле hours: от 0 до 10000");
        }
        if (valid.ok() && !seen.insert(r.external_id()).second) {
          valid = absl::InvalidArgumentError("Повтор external_id в одном пакете");
        }
        if (!valid.ok()) {
          *resp->add_results() = Rejected(i, r.external_id(), valid.message());
          ++rejected;
          continue;
        }
        std::string fp = Fingerprint(r);
        v1::FederalImportResult res;
        res.set_index(i);
        res.set_external_id(r.external_id());
        auto existing = Repo::FindProgramme(c, region, r.external_id());
        int64_t incoming_micros = r.modify_time().seconds() * 1000000 + r.modify_time().nanos() / 1000;
        if (!existing) {
          int64_t id = Repo::InsertProgramme(c, region, r, fp);
          res.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_CREATED);
          res.set_resource(ResourceName("federalProgrammes", id));
        } else if (existing->fingerprint == fp ||
                   (incoming_micros > 0 && existing->modify_micros > 0 && incoming_micros < existing->modify_micros)) {
          res.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_UNCHANGED);
          res.set_resource(ResourceName("federalProgrammes", existing->id));
        } else {
          Repo::UpdateProgramme(c, existing->id, r, fp);
          res.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_UPDATED);
          res.set_resource(ResourceName("federalProgrammes", existing->id));
        }
        *resp->add_results() = std::move(res);
      }
      Repo::InsertImportRun(c, region, "programmes", req->records_size(), rejected, p.account_id);
      db::WriteAudit(c, p.account_id, "ImportProgrammes", ResourceName("regions", region), nullptr, nullptr);
      return absl::OkStatus();
    });
  });
}

grpc::Status FederalExchangeServiceImpl::ImportCompletions(grpc::ServerContext* ctx,
                                                           const v1::ImportCompletionsRequest* req,
                                                           v1::ImportCompletionsResponse* resp) {
  return Run(ctx, authn_, "FederalExchangeService/ImportCompletions", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->region(), "regions", "region"));
    if (req->records_size() > kMaxImportRecords) {
      return absl::InvalidArgumentError("Поле records: не больше 5000 записей за вызов");
    }
    return db::IdempotentWrite(pool_, p.account_id, "ImportCompletions", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(CheckAccess(p, Action::kFederalExchange, db::DirectoryRepository::PlaceRegion(c, region)));
      resp->clear_results();
      std::set<std::string> seen;
      int rejected = 0;
      for (int i = 0; i < req->records_size(); ++i) {
        const auto& r = req->records(i);
        auto reject = [&](absl::string_view msg) {
          *resp->add_results() = Rejected(i, r.external_id(), msg);
          ++rejected;
        };
        absl::Status valid = RequireText(r.external_id(), "external_id", 128);
        if (valid.ok()) valid = OptionalText(r.programme_external_id(), "programme_external_id", 128);
        if (valid.ok()) valid = OptionalText(r.programme_title(), "programme_title", 1000);
        if (valid.ok()) valid = OptionalText(r.certificate_number(), "certificate_number", 128);
        if (valid.ok() && (r.hours() < 0 || r.hours() > 10000)) valid = absl::InvalidArgumentError("Поле hours: от 0 до 10000");
        absl::StatusOr<std::optional<absl::CivilDay>> start = FromProtoDate(r.start_date(), "start_date");
        absl::StatusOr<std::optional<absl::CivilDay>> end = FromProtoDate(r.end_date(), "end_date");
        if (valid.ok() && !start.ok()) valid = start.status();
        if (valid.ok() && !end.ok()) valid = end.status();
        if (valid.ok() && !*end) valid = absl::InvalidArgumentError("Поле end_date обязательно");
        if (valid.ok() && *start && **start > **end) valid = absl::InvalidArgumentError("Поле end_date: раньше start_date");
        if (valid.ok() && !seen.insert(r.external_id()).second) valid = absl::InvalidArgumentError("Повтор external_id в одном пакете");
        if (!valid.ok()) {
          reject(valid.message());
          continue;
        }
        int64_t person_id = 0;
        if (!r.person().empty()) {
          auto parsed = ParseResourceName(r.person(), "people", "person");
          if (!parsed.ok()) {
            reject(parsed.status().message());
            continue;
          }
          person_id = *parsed;
        } else if (r.person_external_id().empty()) {
          reject("Поле person или person_external_id обязательно");
          continue;
        }
        auto person = Repo::FindPersonInRegion(c, region, person_id, r.person_external_id());
        if (!person) {
          reject("Педагог не найден в регионе");
          continue;
        }
        v1::TrainingCompletion t;
        t.set_person(ResourceName("people", *person));
        t.set_programme_title(r.programme_title());
        t.set_hours(r.hours());
        if (!r.programme_external_id().empty()) {
          auto programme = Repo::FindProgramme(c, region, r.programme_external_id());
          t.set_federal_registry(true);
          t.set_federal_registry_id(r.programme_external_id());
          if (programme) {
            if (t.programme_title().empty()) t.set_programme_title(programme->title);
            if (t.hours() == 0) t.set_hours(programme->hours);
          }
        }
        if (t.programme_title().empty()) {
          reject("Поле programme_title обязательно, когда программы нет в реестре");
          continue;
        }
        // A date not given stays unset, as stored rows read back (never 0/0/0).
        if (r.start_date().year() != 0) *t.mutable_start_date() = r.start_date();
        if (r.end_date().year() != 0) *t.mutable_end_date() = r.end_date();
        t.set_attestation_passed(r.attestation_passed());
        t.set_certificate_number(r.certificate_number());
        t.set_federal_operator(r.federal_operator());
        t.set_source(v1::FACT_SOURCE_FEDERAL_IMPORT);
        t.set_external_id(r.external_id());
        v1::FederalImportResult res;
        res.set_index(i);
        res.set_external_id(r.external_id());
        auto existing_id = db::MonitoringRepository::FindTrainingCompletionByExternal(
            c, region, v1::FACT_SOURCE_FEDERAL_IMPORT, r.external_id());
        int64_t id = 0;
        if (!existing_id) {
          id = db::MonitoringRepository::InsertTrainingCompletion(c, region, *person, 0, t);
          res.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_CREATED);
        } else {
          id = *existing_id;
          ASSIGN_OR_RETURN(v1::TrainingCompletion current, db::MonitoringRepository::GetTrainingCompletion(c, id));
          // Regional marks (chosen from diagnostics, quality management) are kept.
          v1::TrainingCompletion next = current;
          next.set_programme_title(t.programme_title());
          next.set_hours(t.hours());
          next.set_federal_registry(t.federal_registry());
          next.set_federal_registry_id(t.federal_registry_id());
          next.clear_start_date();
          next.clear_end_date();
          if (t.has_start_date()) *next.mutable_start_date() = t.start_date();
          if (t.has_end_date()) *next.mutable_end_date() = t.end_date();
          next.set_attestation_passed(t.attestation_passed());
          next.set_certificate_number(t.certificate_number());
          next.set_federal_operator(t.federal_operator());
          if (current.person() != t.person()) {
            reject("Запись с этим external_id относится к другому педагогу");
            continue;
          }
          if (next.SerializeAsString() == current.SerializeAsString()) {
            res.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_UNCHANGED);
            res.set_resource(current.name());
            *resp->add_results() = std::move(res);
            continue;
          }
          db::MonitoringRepository::UpdateTrainingCompletion(c, id, next);
          res.set_outcome(v1::FEDERAL_IMPORT_OUTCOME_UPDATED);
        }
        ASSIGN_OR_RETURN(v1::TrainingCompletion stored, db::MonitoringRepository::GetTrainingCompletion(c, id));
        res.set_resource(stored.name());
        db::WriteOutbox(c, region, "training_completion", stored.name(),
                        existing_id ? federal::kUpdate : federal::kCreate, stored);
        *resp->add_results() = std::move(res);
      }
      db::FederalRepository::InsertImportRun(c, region, "completions", req->records_size(), rejected, p.account_id);
      db::WriteAudit(c, p.account_id, "ImportCompletions", ResourceName("regions", region), nullptr, nullptr);
      return absl::OkStatus();
    });
  });
}

grpc::Status FederalExchangeServiceImpl::GetExchangeStatus(grpc::ServerContext* ctx,
                                                           const v1::GetExchangeStatusRequest* req,
                                                           v1::GetExchangeStatusResponse* resp) {
  return Run(ctx, authn_, "FederalExchangeService/GetExchangeStatus", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(auto regions, ExchangeRegions(c, p, req->region()));
      ASSIGN_OR_RETURN(int64_t cursor, federal::DecodeCursor(req->cursor()));
      int64_t head_micros = 0;
      int64_t head = Repo::HeadSeq(c, &head_micros);
      resp->set_head_cursor(federal::EncodeCursor(head));
      int64_t oldest = Repo::OldestSeq(c);
      resp->set_oldest_cursor(federal::EncodeCursor(oldest > 0 ? oldest - 1 : 0));
      resp->set_pending_changes(req->cursor().empty() ? 0 : Repo::CountAfter(c, cursor, regions));
      if (head_micros > 0) *resp->mutable_head_commit_time() = MicrosToProto(head_micros);
      auto fill = [&](const char* kind, v1::FederalImportStatus* st, int64_t total) {
        st->set_total_records(total);
        // The latest run across the regions asked for.
        std::optional<db::ImportRun> best;
        for (int64_t r : regions) {
          auto run = Repo::LastImportRun(c, r, kind);
          if (run && (!best || run->created_unix > best->created_unix)) best = run;
        }
        if (best) {
          st->mutable_last_import_time()->set_seconds(best->created_unix);
          st->set_last_record_count(best->record_count);
          st->set_last_rejected_count(best->rejected_count);
        }
      };
      int64_t programmes = 0, completions = 0;
      for (int64_t r : regions) {
        programmes += Repo::CountProgrammes(c, r);
        completions += Repo::CountFederalCompletions(c, r);
      }
      fill("programmes", resp->mutable_programmes(), programmes);
      fill("completions", resp->mutable_completions(), completions);
      *resp->mutable_server_time() = ToProtoTime(absl::Now());
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
