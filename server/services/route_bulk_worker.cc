#include "server/services/route_bulk_worker.h"

#include <unistd.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "nms/v1/route.pb.h"
#include "server/common/log.h"
#include "server/db/route_generation_store.h"
#include "server/db/route_operation_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/services/route_generation.h"

namespace nms::services {
namespace {

constexpr int kStaleSeconds = 60;
constexpr absl::Duration kPoll = absl::Seconds(5);

std::string MakeWorkerId() {
  char host[64] = {0};
  gethostname(host, sizeof(host) - 1);
  std::random_device rd;
  return absl::StrCat(host, ":", getpid(), ":", rd() % 100000);
}

absl::StatusOr<db::ScopeFilter> ScopeOf(const std::string& scope) {
  auto n = ParseAnyName(scope, "scope");
  if (!n.ok()) return n.status();
  using K = db::ScopeFilter::Kind;
  if (n->collection == "regions") return db::ScopeFilter{K::kRegion, n->id};
  if (n->collection == "districts") return db::ScopeFilter{K::kDistrict, n->id};
  if (n->collection == "municipalities") return db::ScopeFilter{K::kMunicipality, n->id};
  if (n->collection == "organizations") return db::ScopeFilter{K::kOrganization, n->id};
  return absl::InvalidArgumentError("Поле scope: неизвестная область");
}

}  // namespace

RouteBulkWorker::RouteBulkWorker(db::ConnectionPool& pool, int batch_size)
    : pool_(pool), batch_size_(batch_size), worker_id_(MakeWorkerId()) {
  thread_ = std::thread([this] { Loop(); });
}

RouteBulkWorker::~RouteBulkWorker() {
  stop_ = true;
  Notify();
  thread_.join();
}

void RouteBulkWorker::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void RouteBulkWorker::Loop() {
  while (!stop_) {
    std::optional<int64_t> claimed;
    absl::Status st = db::InTransaction(pool_, [&](sql::Connection& c) -> absl::Status {
      claimed = db::RouteOperationRepository::Claim(c, worker_id_, kStaleSeconds);
      return absl::OkStatus();
    });
    if (st.ok() && claimed) {
      log::Info("route operation claimed", {{"operation", absl::StrCat(*claimed)}, {"worker", worker_id_}});
      absl::Status run = Run(pool_, *claimed, worker_id_, batch_size_, &stop_);
      if (!run.ok()) log::Warn("route operation stopped", {{"operation", absl::StrCat(*claimed)}, {"code", absl::StatusCodeToString(run.code())}});
      continue;
    }
    absl::MutexLock lock(&mu_);
    auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wake_; };
    mu_.AwaitWithTimeout(absl::Condition(&woken), kPoll);
    wake_ = false;
  }
}

absl::Status RouteBulkWorker::Run(db::ConnectionPool& pool, int64_t id, const std::string& worker, int batch_size,
                                  const std::atomic<bool>* stop) {
  db::OperationRow op;
  GenerationSetup setup;
  std::optional<db::ScopeFilter> scope;
  db::RouteActor actor;
  auto fail = [&](const absl::Status& why) {
    (void)db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
      db::RouteOperationRepository::Finish(c, id, false, std::string(why.message()));
      return absl::OkStatus();
    });
    return why;
  };
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto row = db::RouteOperationRepository::GetRow(c, id);
    if (!row.ok()) return row.status();
    op = *row;
    if (!op.scope.empty()) {
      auto s = ScopeOf(op.scope);
      if (!s.ok()) return s.status();
      scope = *s;
    }
    auto prepared = PrepareGeneration(c, op.region_id, op.options, op.start_date);
    if (!prepared.ok()) return prepared.status();
    setup = std::move(*prepared);
    actor.account_id = op.account_id;
    actor.person_id = op.actor_person_id;
    actor.role = access::Role::kRegionalMethodist;
    if (auto who = db::RouteRepository::ActorOfAccount(c, op.account_id)) {
      if (who->role) actor.role = *who->role;
      actor.full_name = who->full_name;
    }
    if (op.total == 0) {
      db::RouteOperationRepository::SetTotal(c, id, db::RouteGenerationStore::CountParticipants(
                                                        c, op.campaign_id, scope ? &*scope : nullptr));
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return fail(st);
  int64_t cursor = op.cursor_person_id;
  int outages = 0;
  while (true) {
    if (stop != nullptr && *stop) {
      (void)db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
        db::RouteOperationRepository::Release(c, id, worker);
        return absl::OkStatus();
      });
      return absl::CancelledError("shutdown");
    }
    bool finished = false, lost = false;
    auto batch = [&](sql::Connection& c) -> absl::Status {
      std::vector<int64_t> people =
          db::RouteGenerationStore::Participants(c, op.campaign_id, scope ? &*scope : nullptr, cursor, batch_size);
      if (people.empty()) {
        finished = true;
        db::RouteOperationRepository::Finish(c, id, true, "");
        return absl::OkStatus();
      }
      auto result = GenerateBatch(c, setup, people, op.campaign_id, actor, id);
      if (!result.ok()) return result.status();
      if (!db::RouteOperationRepository::Advance(c, id, worker, static_cast<int64_t>(people.size()), people.back(),
                                                 result->created, result->skipped_existing,
                                                 result->skipped_without_diagnosis, result->errors)) {
        lost = true;
        return absl::FailedPreconditionError("lost");
      }
      cursor = people.back();
      return absl::OkStatus();
    };
    int64_t before = cursor;
    st = db::InTransaction(pool, batch);
    if (lost) return absl::AbortedError("Операция передана другому обработчику");
    if (st.code() == absl::StatusCode::kUnavailable || st.code() == absl::StatusCode::kDeadlineExceeded) {
      // The database is away: keep the operation (its heartbeat goes stale and a worker takes
      // it up again) rather than blame the teachers of this batch.
      if (++outages > 5) return st;
      absl::SleepFor(absl::Seconds(2));
      continue;
    }
    outages = 0;
    if (!st.ok()) {
      cursor = before;
      // One teacher's bad data must not stop a region: retry the batch teacher by teacher and
      // record who failed.
      std::vector<int64_t> people;
      (void)db::WithConnection(pool, [&](sql::Connection& c) {
        people = db::RouteGenerationStore::Participants(c, op.campaign_id, scope ? &*scope : nullptr, cursor, batch_size);
        return absl::OkStatus();
      });
      if (people.empty()) return fail(st);
      for (int64_t person : people) {
        absl::Status one = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
          auto r = GenerateBatch(c, setup, {person}, op.campaign_id, actor, id);
          if (!r.ok()) return r.status();
          if (!db::RouteOperationRepository::Advance(c, id, worker, 1, person, r->created, r->skipped_existing,
                                                     r->skipped_without_diagnosis, r->errors)) {
            return absl::FailedPreconditionError("lost");
          }
          return absl::OkStatus();
        });
        if (!one.ok()) {
          absl::Status rec = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
            if (!db::RouteOperationRepository::Advance(c, id, worker, 1, person, 0, 0, 0,
                                                       {{person, std::string(one.message())}})) {
              return absl::FailedPreconditionError("lost");
            }
            return absl::OkStatus();
          });
          if (!rec.ok()) return rec;
        }
        cursor = person;
      }
      continue;
    }
    if (finished) return absl::OkStatus();
  }
}

}  // namespace nms::services
