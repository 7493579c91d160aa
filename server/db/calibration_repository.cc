#include "server/db/calibration_repository.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/db/diagnostics_sql.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

namespace v1 = nms::v1;

// Finished sessions: submitted or timed out (nms.v1.SessionState 2, 3).
constexpr char kFinished[] = "s.state IN (2, 3)";

Stmt& OptDouble(Stmt& st, bool has, double v) {
  if (has && std::isfinite(v)) return st.Double(v);
  return st.Null();
}

}  // namespace

int64_t CalibrationRepository::InsertOperation(sql::Connection& c, int64_t region_id, int64_t instrument_id,
                                               int64_t account_id) {
  Stmt(c,
       "INSERT INTO diagnostic_calibration_operations (region_id, instrument_id, state, phase, account_id) "
       "VALUES (?,?,?,?,?)")
      .Int(region_id)
      .Int(instrument_id)
      .Int(v1::CALIBRATION_OPERATION_STATE_PENDING)
      .Str("В очереди")
      .OptInt(account_id)
      .Execute();
  return LastInsertId(c);
}

std::optional<int64_t> CalibrationRepository::ActiveOperation(sql::Connection& c, int64_t instrument_id) {
  auto rs = Stmt(c,
                 "SELECT id FROM diagnostic_calibration_operations WHERE instrument_id = ? AND state IN (1, 2) "
                 "ORDER BY id DESC LIMIT 1")
                .Int(instrument_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

absl::StatusOr<v1::CalibrationOperation> CalibrationRepository::GetOperation(sql::Connection& c, int64_t id,
                                                                             CalibrationOperationRow* row) {
  auto rs = Stmt(c,
                 "SELECT region_id, instrument_id, state, done, total, phase, areas_calibrated, items_calibrated, "
                 "error_message, UNIX_TIMESTAMP(created_at) AS c_at, UNIX_TIMESTAMP(updated_at) AS u_at, "
                 "UNIX_TIMESTAMP(ended_at) AS e_at FROM diagnostic_calibration_operations WHERE id = ?")
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Операция калибровки calibrationOperations/", id, " не найдена"));
  v1::CalibrationOperation op;
  op.set_name(ResourceName("calibrationOperations", id));
  op.set_instrument(ResourceName("instruments", rs->getInt64("instrument_id")));
  op.set_state(static_cast<v1::CalibrationOperationState>(rs->getInt("state")));
  op.mutable_progress()->set_done(rs->getInt64("done"));
  op.mutable_progress()->set_total(rs->getInt64("total"));
  op.mutable_progress()->set_phase(GetStr(*rs, "phase"));
  op.set_areas_calibrated(rs->getInt("areas_calibrated"));
  op.set_items_calibrated(rs->getInt("items_calibrated"));
  op.set_error_message(GetStr(*rs, "error_message"));
  *op.mutable_create_time() = diag::ToTimestamp(diag::ReadTime(*rs, "c_at"));
  *op.mutable_update_time() = diag::ToTimestamp(diag::ReadTime(*rs, "u_at"));
  if (auto ended = diag::ReadTime(*rs, "e_at")) *op.mutable_end_time() = diag::ToTimestamp(ended);
  if (row != nullptr) {
    row->id = id;
    row->region_id = rs->getInt64("region_id");
    row->instrument_id = rs->getInt64("instrument_id");
    row->state = rs->getInt("state");
  }
  return op;
}

std::optional<CalibrationOperationRow> CalibrationRepository::Claim(sql::Connection& c, const std::string& worker,
                                                                    int stale_seconds) {
  auto rs = Stmt(c,
                 "SELECT id, region_id, instrument_id FROM diagnostic_calibration_operations WHERE state = 1 OR "
                 "(state = 2 AND (heartbeat_at IS NULL OR heartbeat_at < NOW(6) - INTERVAL ? SECOND)) "
                 "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
                .Int(stale_seconds)
                .Query();
  if (!rs->next()) return std::nullopt;
  CalibrationOperationRow r;
  r.id = rs->getInt64("id");
  r.region_id = rs->getInt64("region_id");
  r.instrument_id = rs->getInt64("instrument_id");
  r.state = v1::CALIBRATION_OPERATION_STATE_RUNNING;
  Stmt(c,
       "UPDATE diagnostic_calibration_operations SET state = 2, worker = ?, heartbeat_at = NOW(6), done = 0, "
       "phase = 'Чтение ответов', updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(worker)
      .Int(r.id)
      .Execute();
  return r;
}

bool CalibrationRepository::Advance(sql::Connection& c, int64_t id, const std::string& worker, int percent,
                                    const std::string& phase) {
  return Stmt(c,
              "UPDATE diagnostic_calibration_operations SET done = ?, phase = ?, heartbeat_at = NOW(6), "
              "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ? AND worker = ? AND state = 2")
             .Int(percent)
             .Str(phase)
             .Int(id)
             .Str(worker)
             .Execute() > 0;
}

void CalibrationRepository::Finish(sql::Connection& c, int64_t id, bool ok, const std::string& error_message,
                                   int areas, int items) {
  Stmt(c,
       "UPDATE diagnostic_calibration_operations SET state = ?, done = IF(?, 100, done), phase = ?, "
       "error_message = ?, areas_calibrated = ?, items_calibrated = ?, ended_at = CURRENT_TIMESTAMP(6), "
       "updated_at = CURRENT_TIMESTAMP(6), worker = '' WHERE id = ?")
      .Int(ok ? v1::CALIBRATION_OPERATION_STATE_SUCCEEDED : v1::CALIBRATION_OPERATION_STATE_FAILED)
      .Bool(ok)
      .Str(ok ? "Завершено" : "Остановлено из-за ошибки")
      .Str(error_message.substr(0, 2000))
      .Int(areas)
      .Int(items)
      .Int(id)
      .Execute();
}

void CalibrationRepository::Release(sql::Connection& c, int64_t id, const std::string& worker) {
  Stmt(c,
       "UPDATE diagnostic_calibration_operations SET state = 1, worker = '', phase = 'В очереди (сервер "
       "перезапускается)', updated_at = CURRENT_TIMESTAMP(6) WHERE id = ? AND worker = ? AND state = 2")
      .Int(id)
      .Str(worker)
      .Execute();
}

void CalibrationRepository::StoreCalibration(sql::Connection& c, int64_t instrument_id, int64_t operation_id,
                                             const v1::ItemCalibration& cal) {
  Stmt(c, "DELETE FROM diagnostic_item_calibrations WHERE instrument_id = ?").Int(instrument_id).Execute();
  Stmt(c, "DELETE FROM diagnostic_area_calibrations WHERE instrument_id = ?").Int(instrument_id).Execute();
  int ordinal = 0;
  for (const auto& a : cal.areas()) {
    Stmt st(c,
            "INSERT INTO diagnostic_area_calibrations (instrument_id, area, ordinal, operation_id, calibrated, "
            "message, persons_used, sessions_used, iterations, converged, bank_size, theta_basic, theta_advanced, "
            "theta_high) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.Int(instrument_id).Int(a.area()).Int(ordinal++).Int(operation_id).Bool(a.calibrated()).Str(a.message().substr(0, 1000));
    st.Int(a.persons_used()).Int(cal.sessions_used()).Int(a.iterations()).Bool(a.converged()).Int(a.bank_size());
    OptDouble(st, a.has_theta_basic(), a.theta_basic());
    OptDouble(st, a.has_theta_advanced(), a.theta_advanced());
    OptDouble(st, a.has_theta_high(), a.theta_high());
    st.Execute();
  }
  ordinal = 0;
  for (const auto& i : cal.items()) {
    Stmt st(c,
            "INSERT INTO diagnostic_item_calibrations (instrument_id, item_id, area, ordinal, model, a, b, se_a, "
            "se_b, responses, correct, fit_chi2, fit_df, fit_p, misfit, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.Int(instrument_id).Str(i.item_id()).Int(i.area()).Int(ordinal++).Int(i.model()).Double(i.discrimination());
    st.Double(i.difficulty());
    OptDouble(st, i.has_discrimination_se(), i.discrimination_se());
    OptDouble(st, i.has_difficulty_se(), i.difficulty_se());
    st.Int(i.responses()).Int(i.correct()).Double(std::isfinite(i.fit_chi_square()) ? i.fit_chi_square() : 0);
    st.Int(i.fit_df()).Double(i.fit_p()).Bool(i.misfit()).Str(i.note().substr(0, 1000)).Execute();
  }
}

absl::StatusOr<v1::ItemCalibration> CalibrationRepository::GetCalibration(sql::Connection& c, int64_t instrument_id) {
  auto rs = Stmt(c,
                 "SELECT area, operation_id, calibrated, message, persons_used, sessions_used, iterations, converged, "
                 "bank_size, theta_basic, theta_advanced, theta_high, UNIX_TIMESTAMP(calibrated_at) AS at "
                 "FROM diagnostic_area_calibrations WHERE instrument_id = ? ORDER BY ordinal")
                .Int(instrument_id)
                .Query();
  v1::ItemCalibration cal;
  cal.set_instrument(ResourceName("instruments", instrument_id));
  bool any = false;
  while (rs->next()) {
    any = true;
    cal.set_operation(ResourceName("calibrationOperations", rs->getInt64("operation_id")));
    cal.set_sessions_used(rs->getInt("sessions_used"));
    *cal.mutable_calibrate_time() = diag::ToTimestamp(diag::ReadTime(*rs, "at"));
    auto* a = cal.add_areas();
    a->set_area(static_cast<v1::CompetencyArea>(rs->getInt("area")));
    a->set_calibrated(rs->getBoolean("calibrated"));
    a->set_message(GetStr(*rs, "message"));
    a->set_persons_used(rs->getInt("persons_used"));
    a->set_iterations(rs->getInt("iterations"));
    a->set_converged(rs->getBoolean("converged"));
    a->set_bank_size(rs->getInt("bank_size"));
    if (!rs->isNull("theta_basic")) a->set_theta_basic(rs->getDouble("theta_basic"));
    if (!rs->isNull("theta_advanced")) a->set_theta_advanced(rs->getDouble("theta_advanced"));
    if (!rs->isNull("theta_high")) a->set_theta_high(rs->getDouble("theta_high"));
  }
  if (!any) {
    return absl::FailedPreconditionError(absl::StrCat("Инструмент instruments/", instrument_id,
                                            " ещё не калиброван: запустите калибровку заданий"));
  }
  auto items = Stmt(c,
                    "SELECT item_id, area, model, a, b, se_a, se_b, responses, correct, fit_chi2, fit_df, fit_p, "
                    "misfit, note FROM diagnostic_item_calibrations WHERE instrument_id = ? ORDER BY ordinal")
                   .Int(instrument_id)
                   .Query();
  while (items->next()) {
    auto* i = cal.add_items();
    i->set_item_id(GetStr(*items, "item_id"));
    i->set_area(static_cast<v1::CompetencyArea>(items->getInt("area")));
    i->set_model(static_cast<v1::ItemResponseModel>(items->getInt("model")));
    i->set_discrimination(items->getDouble("a"));
    i->set_difficulty(items->getDouble("b"));
    if (!items->isNull("se_a")) i->set_discrimination_se(items->getDouble("se_a"));
    if (!items->isNull("se_b")) i->set_difficulty_se(items->getDouble("se_b"));
    i->set_responses(items->getInt("responses"));
    i->set_correct(items->getInt("correct"));
    i->set_fit_chi_square(items->getDouble("fit_chi2"));
    i->set_fit_df(items->getInt("fit_df"));
    i->set_fit_p(items->getDouble("fit_p"));
    i->set_misfit(items->getBoolean("misfit"));
    i->set_note(GetStr(*items, "note"));
  }
  return cal;
}

bool CalibrationRepository::HasUsableCalibration(sql::Connection& c, int64_t instrument_id) {
  auto rs = Stmt(c,
                 "SELECT 1 FROM diagnostic_area_calibrations WHERE instrument_id = ? AND calibrated AND bank_size > 0 "
                 "LIMIT 1")
                .Int(instrument_id)
                .Query();
  return rs->next();
}

std::vector<AdaptiveStep> CalibrationRepository::AdaptiveSteps(sql::Connection& c, int64_t session_id) {
  auto rs = Stmt(c, "SELECT step, item_id, area FROM diagnostic_adaptive_steps WHERE session_id = ? ORDER BY step")
                .Int(session_id)
                .Query();
  std::vector<AdaptiveStep> out;
  while (rs->next()) out.push_back({rs->getInt("step"), GetStr(*rs, "item_id"), rs->getInt("area")});
  return out;
}

void CalibrationRepository::InsertAdaptiveStep(sql::Connection& c, int64_t session_id, const AdaptiveStep& step) {
  Stmt(c, "INSERT INTO diagnostic_adaptive_steps (session_id, step, item_id, area) VALUES (?, ?, ?, ?)")
      .Int(session_id)
      .Int(step.step)
      .Str(step.item_id)
      .Int(step.area)
      .Execute();
}

std::vector<StoredSession> CalibrationRepository::LoadFinishedSessions(sql::Connection& c, int64_t instrument_id) {
  std::vector<StoredSession> out;
  std::map<int64_t, size_t> index;
  auto rs = Stmt(c, absl::StrCat("SELECT s.id, IFNULL(cp.organization_type, 0) AS org_type, EXISTS(SELECT 1 FROM "
                                 "diagnostic_adaptive_steps st WHERE st.session_id = s.id) AS adaptive "
                                 "FROM diagnostic_sessions s "
                                 "LEFT JOIN diagnostic_campaign_participants cp ON cp.campaign_id = s.campaign_id AND "
                                 "cp.person_id = s.person_id WHERE s.instrument_id = ? AND ",
                                 kFinished, " ORDER BY s.id"))
                .Int(instrument_id)
                .Query();
  while (rs->next()) {
    index[rs->getInt64("id")] = out.size();
    out.push_back(StoredSession{rs->getInt64("id"), rs->getInt("org_type"), rs->getBoolean("adaptive"), {}, {}});
  }
  auto answers = Stmt(c, absl::StrCat("SELECT a.session_id, a.item_id, a.selected_options, a.answer_text, "
                                      "a.likert_value FROM diagnostic_answers a JOIN diagnostic_sessions s ON "
                                      "s.id = a.session_id WHERE s.instrument_id = ? AND ",
                                      kFinished))
                     .Int(instrument_id)
                     .Query();
  while (answers->next()) {
    auto it = index.find(answers->getInt64("session_id"));
    if (it == index.end()) continue;
    v1::ItemAnswer a;
    a.set_item_id(GetStr(*answers, "item_id"));
    for (auto id : absl::StrSplit(GetStr(*answers, "selected_options"), '|', absl::SkipEmpty())) {
      a.add_selected_option_ids(std::string(id));
    }
    a.set_text(GetStr(*answers, "answer_text"));
    if (!answers->isNull("likert_value")) a.set_likert_value(answers->getInt("likert_value"));
    out[it->second].answers[a.item_id()] = std::move(a);
  }
  auto scores = Stmt(c, absl::StrCat("SELECT e.session_id, e.item_id, e.score FROM diagnostic_external_scores e "
                                     "JOIN diagnostic_sessions s ON s.id = e.session_id WHERE s.instrument_id = ? AND ",
                                     kFinished))
                    .Int(instrument_id)
                    .Query();
  while (scores->next()) {
    auto it = index.find(scores->getInt64("session_id"));
    if (it == index.end()) continue;
    out[it->second].external_scores[GetStr(*scores, "item_id")] = scores->getDouble("score");
  }
  return out;
}

}  // namespace nms::db
