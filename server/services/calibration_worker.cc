#include "server/services/calibration_worker.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/log.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/calibration_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/services/diagnostics_calibration.h"

namespace nms::services {
namespace {

namespace irt = nms::diagnostics::irt;
using CalRepo = db::CalibrationRepository;

constexpr int kStaleSeconds = 120;
constexpr absl::Duration kPoll = absl::Seconds(5);
constexpr absl::Duration kProgressEvery = absl::Milliseconds(500);

std::string MakeWorkerId() {
  char host[64] = {0};
  gethostname(host, sizeof(host) - 1);
  std::random_device rd;
  return absl::StrCat(host, ":", getpid(), ":calibration:", rd() % 100000);
}

// Progress in its own short transaction so a poller sees it while EM runs.
bool WriteProgress(db::ConnectionPool& pool, int64_t id, const std::string& worker, int percent,
                   const std::string& phase) {
  bool mine = true;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) {
    mine = CalRepo::Advance(c, id, worker, percent, phase);
    return absl::OkStatus();
  });
  return !st.ok() || mine;  // a failed write is retried at the next step; a lost claim stops
}

}  // namespace

CalibrationWorker::CalibrationWorker(db::ConnectionPool& pool) : pool_(pool), worker_id_(MakeWorkerId()) {}

void CalibrationWorker::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

void CalibrationWorker::Stop() {
  stop_ = true;
  Notify();
}

void CalibrationWorker::Loop() {
  while (!stop_) {
    std::optional<db::CalibrationOperationRow> claimed;
    absl::Status st = db::InTransaction(pool_, [&](sql::Connection& c) -> absl::Status {
      claimed = CalRepo::Claim(c, worker_id_, kStaleSeconds);
      return absl::OkStatus();
    });
    if (st.ok() && claimed) {
      log::Info("calibration claimed", {{"operation", absl::StrCat(claimed->id)}, {"worker", worker_id_}});
      absl::Status run = Run(pool_, claimed->id, claimed->instrument_id, worker_id_, &stop_);
      if (!run.ok()) {
        log::Warn("calibration stopped", {{"operation", absl::StrCat(claimed->id)},
                                          {"code", absl::StatusCodeToString(run.code())}});
      }
      continue;
    }
    absl::MutexLock lock(&mu_);
    auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wake_; };
    mu_.AwaitWithTimeout(absl::Condition(&woken), kPoll);
    wake_ = false;
  }
}

absl::Status CalibrationWorker::Run(db::ConnectionPool& pool, int64_t id, int64_t instrument_id,
                                    const std::string& worker, const std::atomic<bool>* stop) {
  // Reading is one consistent snapshot; EM then runs without holding a connection.
  absl::StatusOr<diag::CalibrationInputs> in = absl::UnknownError("");
  absl::Status read = db::WithConnection(pool, [&](sql::Connection& c) {
    in = diag::LoadCalibrationInputs(c, instrument_id);
    return absl::OkStatus();
  });
  if (read.ok()) read = in.status();
  auto fail = [&](const std::string& message) {
    return db::InTransaction(pool, [&](sql::Connection& c) {
      CalRepo::Finish(c, id, false, message, 0, 0);
      return absl::OkStatus();
    });
  };
  if (!read.ok()) {
    (void)fail(absl::StrCat("Ответы инструмента не прочитаны: ", read.message()));
    return read;
  }
  if (!WriteProgress(pool, id, worker, 5, "Оценка параметров заданий")) return absl::AbortedError("claim lost");

  absl::Time last = absl::Now();
  bool lost = false;
  irt::InstrumentCalibration cal = irt::CalibrateInstrument(
      in->framework, in->items, diag::SessionFractions(*in), {}, [&](double done) {
        if (lost || absl::Now() - last < kProgressEvery) return;
        last = absl::Now();
        const int percent = 5 + static_cast<int>(std::lround(std::clamp(done, 0.0, 1.0) * 90));
        lost = !WriteProgress(pool, id, worker, percent, "Оценка параметров заданий");
      });
  if (stop != nullptr && *stop) {
    (void)db::InTransaction(pool, [&](sql::Connection& c) {
      CalRepo::Release(c, id, worker);
      return absl::OkStatus();
    });
    return absl::CancelledError("shutdown");
  }
  if (lost) return absl::AbortedError("claim lost");

  int areas = 0, items = 0;
  std::string first_failure;
  for (const auto& a : cal.areas) {
    if (a.status.ok()) {
      ++areas;
      for (const auto& ic : a.result.items) items += ic.model != irt::ItemModel::kExcluded;
    } else if (first_failure.empty()) {
      first_failure = std::string(a.status.message());
    }
  }
  if (areas == 0) {
    std::string why = cal.areas.empty() ? "В инструменте нет заданий, которые можно калибровать (кроме шкал Лайкерта)"
                                        : absl::StrCat("Ни одна область не откалибрована: ", first_failure);
    RETURN_IF_ERROR(fail(why));
    return absl::OkStatus();
  }
  nms::v1::ItemCalibration stored = diag::CalibrationToProto(*in, cal);
  stored.set_operation(ResourceName("calibrationOperations", id));
  return db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto op = CalRepo::GetOperation(c, id);
    if (!op.ok() || op->state() != nms::v1::CALIBRATION_OPERATION_STATE_RUNNING) return absl::AbortedError("claim lost");
    CalRepo::StoreCalibration(c, instrument_id, id, stored);
    CalRepo::Finish(c, id, true, "", areas, items);
    db::WriteAudit(c, 0, "CalibrateItems", ResourceName("instruments", instrument_id), nullptr, nullptr);
    return absl::OkStatus();
  });
}

}  // namespace nms::services
