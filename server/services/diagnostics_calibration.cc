// DiagnosticsService: item calibration (a long-running operation per published instrument, run
// by CalibrationWorker) and item analytics for the instrument's owners (issue 18). Both are for
// those who author instruments (manage_framework in the instrument's region).

#include "server/services/diagnostics_calibration.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/diagnostics/irt/dif.h"
#include "server/domain/diagnostics/irt/item_bank.h"
#include "server/domain/diagnostics/item_analysis.h"
#include "server/services/calibration_worker.h"
#include "server/services/diagnostics_common.h"
#include "server/services/diagnostics_convert.h"
#include "server/services/diagnostics_service.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
namespace irt = nms::diagnostics::irt;
using access::Action;
using access::Principal;
using CalRepo = db::CalibrationRepository;
using Repo = db::DiagnosticsRepository;

namespace diag {

absl::StatusOr<CalibrationInputs> LoadCalibrationInputs(sql::Connection& c, int64_t instrument_id) {
  CalibrationInputs in;
  in.instrument_id = instrument_id;
  ASSIGN_OR_RETURN(in.instrument, Repo::GetInstrument(c, instrument_id));
  ASSIGN_OR_RETURN(in.region_id, ParseResourceName(in.instrument.region(), "regions", "region"));
  ASSIGN_OR_RETURN(int64_t framework_id, ParseResourceName(in.instrument.framework(), "frameworks", "framework"));
  ASSIGN_OR_RETURN(v1::CompetencyFramework framework, Repo::GetFramework(c, framework_id));
  in.framework = FrameworkFromProto(framework);
  in.items = dx::AllItems(InstrumentFromProto(in.instrument));
  in.sessions = CalRepo::LoadFinishedSessions(c, instrument_id);
  return in;
}

std::vector<std::map<std::string, double>> SessionFractions(const CalibrationInputs& in) {
  std::vector<std::map<std::string, double>> out;
  out.reserve(in.sessions.size());
  for (const auto& s : in.sessions) {
    std::map<std::string, double> row;
    for (const auto& item : dx::ScoreSession(in.items, AnswersFromProto(s.answers), s.external_scores).items) {
      // An adaptive session was not shown the items it did not answer: they are not wrong.
      if (s.adaptive && s.answers.count(item.item_id) == 0) continue;
      row[item.item_id] = item.fraction;
    }
    out.push_back(std::move(row));
  }
  return out;
}

namespace {

v1::ItemResponseModel ModelToProto(irt::ItemModel m) {
  switch (m) {
    case irt::ItemModel::kTwoPl:
      return v1::ITEM_RESPONSE_MODEL_TWO_PL;
    case irt::ItemModel::kRasch:
      return v1::ITEM_RESPONSE_MODEL_RASCH;
    case irt::ItemModel::kExcluded:
      break;
  }
  return v1::ITEM_RESPONSE_MODEL_EXCLUDED;
}

}  // namespace

v1::ItemCalibration CalibrationToProto(const CalibrationInputs& in, const irt::InstrumentCalibration& cal) {
  v1::ItemCalibration out;
  out.set_instrument(ResourceName("instruments", in.instrument_id));
  out.set_sessions_used(static_cast<int32_t>(in.sessions.size()));
  for (const irt::AreaCalibration& a : cal.areas) {
    auto* area = out.add_areas();
    area->set_area(static_cast<v1::CompetencyArea>(a.area));
    area->set_calibrated(a.status.ok());
    area->set_message(std::string(a.status.message()));
    area->set_persons_used(a.result.persons_used);
    area->set_iterations(a.result.iterations);
    area->set_converged(a.result.converged);
    area->set_bank_size(static_cast<int32_t>(a.bank.size()));
    if (a.status.ok()) {
      if (std::isfinite(a.cuts.basic)) area->set_theta_basic(a.cuts.basic);
      if (std::isfinite(a.cuts.advanced)) area->set_theta_advanced(a.cuts.advanced);
      if (std::isfinite(a.cuts.high)) area->set_theta_high(a.cuts.high);
    }
    for (size_t j = 0; j < a.item_ids.size(); ++j) {
      auto* item = out.add_items();
      item->set_item_id(a.item_ids[j]);
      item->set_area(static_cast<v1::CompetencyArea>(a.area));
      if (j >= a.result.items.size()) {
        item->set_model(v1::ITEM_RESPONSE_MODEL_EXCLUDED);
        item->set_note(std::string(a.status.message()));
        continue;
      }
      const irt::ItemCalibration& ic = a.result.items[j];
      item->set_model(ModelToProto(ic.model));
      if (ic.model != irt::ItemModel::kExcluded) {
        item->set_discrimination(ic.params.a);
        item->set_difficulty(ic.params.b);
        if (std::isfinite(ic.se_a)) item->set_discrimination_se(ic.se_a);
        if (std::isfinite(ic.se_b)) item->set_difficulty_se(ic.se_b);
      }
      item->set_responses(ic.responses);
      item->set_correct(ic.correct);
      item->set_fit_chi_square(std::isfinite(ic.fit_chi2) ? ic.fit_chi2 : 0);
      item->set_fit_df(ic.fit_df);
      item->set_fit_p(std::isfinite(ic.fit_p) ? ic.fit_p : 1);
      item->set_misfit(ic.misfit);
      item->set_note(ic.note);
    }
  }
  return out;
}

namespace {

irt::ItemModel ModelFromProto(v1::ItemResponseModel m) {
  switch (m) {
    case v1::ITEM_RESPONSE_MODEL_TWO_PL:
      return irt::ItemModel::kTwoPl;
    case v1::ITEM_RESPONSE_MODEL_RASCH:
      return irt::ItemModel::kRasch;
    default:
      return irt::ItemModel::kExcluded;
  }
}

const dx::ItemDef* FindDef(const std::vector<dx::ItemDef>& items, const std::string& id) {
  for (const auto& i : items) {
    if (i.item_id == id) return &i;
  }
  return nullptr;
}

// Defaults of a campaign's stop rule when it leaves them at 0.
constexpr double kDefaultTargetSe = 0.35;
constexpr int kDefaultMaxItems = 12;

// The answered steps of one area as the domain's responses (bank index, correct).
std::vector<irt::Response> AreaResponses(const irt::AreaCalibration& area, const std::vector<db::AdaptiveStep>& steps,
                                         const std::map<std::string, v1::ItemAnswer>& answers,
                                         const std::vector<dx::ItemDef>& items, const dx::Framework& framework) {
  std::vector<irt::Response> out;
  for (const auto& step : steps) {
    if (step.area != area.area) continue;
    auto answer = answers.find(step.item_id);
    const dx::ItemDef* def = FindDef(items, step.item_id);
    if (answer == answers.end() || def == nullptr) continue;
    for (size_t k = 0; k < area.bank.size(); ++k) {
      if (area.bank[k].item_id != step.item_id) continue;
      const double fraction = dx::AnswerFraction(*def, AnswerFromProto(answer->second));
      out.push_back({static_cast<int>(k), irt::Dichotomise(fraction, irt::PassFraction(framework, *def))});
    }
  }
  return out;
}

}  // namespace

irt::InstrumentCalibration CalibrationFromProto(const v1::ItemCalibration& stored, const dx::Framework& framework,
                                                const std::vector<dx::ItemDef>& items) {
  irt::InstrumentCalibration out;
  for (const auto& a : stored.areas()) {
    if (!a.calibrated()) continue;
    irt::AreaCalibration ac;
    ac.area = a.area();
    irt::AreaData data;
    data.area = a.area();
    for (const auto& ip : stored.items()) {
      if (ip.area() != a.area()) continue;
      data.item_ids.push_back(ip.item_id());
      irt::ItemCalibration ic;
      ic.model = ModelFromProto(ip.model());
      ic.params = {ip.discrimination(), ip.difficulty()};
      ic.responses = ip.responses();
      ic.correct = ip.correct();
      ic.misfit = ip.misfit();
      ac.result.items.push_back(ic);
    }
    ac.item_ids = data.item_ids;
    ac.result.persons_used = a.persons_used();
    ac.bank = irt::AreaBank(data, ac.result, items);
    ac.blueprint = irt::AreaBlueprintFor(framework, data, ac.result, items);
    for (const auto& def : framework.areas) {
      if (def.area == ac.area) ac.cuts = irt::AreaCuts(ac.blueprint, def.thresholds);
    }
    out.areas.push_back(std::move(ac));
  }
  return out;
}

namespace {

// What an adaptive session works from, read once per call.
struct AdaptiveContext {
  const dx::Framework* framework = nullptr;
  std::vector<dx::ItemDef> items;
  irt::InstrumentCalibration calibration;
  std::vector<db::AdaptiveStep> steps;
  std::map<std::string, v1::ItemAnswer> answers;
};

absl::StatusOr<AdaptiveContext> LoadAdaptive(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s,
                                             int64_t framework_id) {
  AdaptiveContext ctx;
  ASSIGN_OR_RETURN(ctx.framework, cache.Framework(framework_id));
  ASSIGN_OR_RETURN(ctx.items, cache.Items(s.instrument_id));
  auto stored = CalRepo::GetCalibration(c, s.instrument_id);
  if (!stored.ok()) {
    return absl::FailedPreconditionError(
        "Калибровка заданий инструмента удалена: адаптивную сессию продолжить нельзя, обратитесь в ЦНППМ");
  }
  ctx.calibration = CalibrationFromProto(*stored, *ctx.framework, ctx.items);
  ctx.steps = CalRepo::AdaptiveSteps(c, s.id);
  ctx.answers = Repo::LoadAnswers(c, s.id);
  return ctx;
}

}  // namespace

absl::StatusOr<std::string> AdvanceAdaptive(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s,
                                            const v1::Campaign& campaign) {
  ASSIGN_OR_RETURN(int64_t framework_id, ParseResourceName(campaign.framework(), "frameworks", "framework"));
  ASSIGN_OR_RETURN(AdaptiveContext ctx, LoadAdaptive(c, cache, s, framework_id));
  if (!ctx.steps.empty() && ctx.answers.count(ctx.steps.back().item_id) == 0) return ctx.steps.back().item_id;
  irt::AdaptiveConfig config;
  config.target_se = campaign.adaptive_target_se() > 0 ? campaign.adaptive_target_se() : kDefaultTargetSe;
  config.max_items = campaign.adaptive_max_items() > 0 ? campaign.adaptive_max_items() : kDefaultMaxItems;
  config.min_items = std::min(config.min_items, config.max_items);
  for (const auto& area : ctx.calibration.areas) {
    if (area.bank.empty()) continue;
    auto responses = AreaResponses(area, ctx.steps, ctx.answers, ctx.items, *ctx.framework);
    // The seed is the session's and the area's: the same session chooses the same items again.
    ASSIGN_OR_RETURN(irt::AdaptiveStep step,
                     irt::NextStep(area.bank, config, responses,
                                   irt::Mix64(static_cast<uint64_t>(s.id) * 8 + static_cast<uint64_t>(area.area))));
    if (step.stop != irt::StopReason::kContinue) continue;
    db::AdaptiveStep next{static_cast<int>(ctx.steps.size()) + 1, area.bank[step.next_item].item_id, area.area};
    CalRepo::InsertAdaptiveStep(c, s.id, next);
    return next.item_id;
  }
  return std::string();
}

absl::Status ScoreAdaptiveInto(sql::Connection& c, ScoringCache& cache, const db::SessionRecord& s,
                               int64_t framework_id, v1::DiagnosticResult* result) {
  ASSIGN_OR_RETURN(AdaptiveContext ctx, LoadAdaptive(c, cache, s, framework_id));
  irt::AdaptiveAnswers answers;
  for (const auto& area : ctx.calibration.areas) {
    auto responses = AreaResponses(area, ctx.steps, ctx.answers, ctx.items, *ctx.framework);
    if (!responses.empty()) answers[area.area] = std::move(responses);
  }
  irt::AdaptiveResult scored = irt::ScoreAdaptive(*ctx.framework, ctx.calibration, answers, /*collateral=*/false);
  FillProfile(scored.profile, result);
  result->set_status(v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
  return absl::OkStatus();
}

}  // namespace diag

namespace {

// The instrument, authorised for its owners (manage_framework in its region).
absl::StatusOr<v1::Instrument> LoadOwnedInstrument(sql::Connection& c, const Principal& p, int64_t id) {
  auto instrument = Repo::GetInstrument(c, id);
  RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework,
                              diag::PlaceInRegion(instrument.status(), instrument.ok() ? instrument->region() : "")));
  return instrument;
}

// DIF groups: the most frequent organisation type is the reference, every other type with
// respondents a focal group.
int MostFrequentType(const std::vector<db::StoredSession>& sessions) {
  std::map<int, int> count;
  for (const auto& s : sessions) {
    if (s.organization_type != 0) ++count[s.organization_type];
  }
  int best = 0, n = 0;
  for (const auto& [type, k] : count) {
    if (k > n) best = type, n = k;
  }
  return best;
}

}  // namespace

grpc::Status DiagnosticsServiceImpl::StartItemCalibration(grpc::ServerContext* ctx,
                                                          const v1::StartItemCalibrationRequest* req,
                                                          v1::StartItemCalibrationResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/StartItemCalibration", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->instrument(), "instruments", "instrument"));
    RETURN_IF_ERROR(db::IdempotentWrite(pool_, p.account_id, "StartItemCalibration", req->request_id(), *req, resp,
                                        [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(v1::Instrument instrument, LoadOwnedInstrument(c, p, id));
      if (instrument.state() == v1::INSTRUMENT_STATE_DRAFT) {
        return absl::FailedPreconditionError(
            "Калибруют только опубликованный инструмент: черновик ещё меняется, и ответов на него нет");
      }
      ASSIGN_OR_RETURN(int64_t region, ParseResourceName(instrument.region(), "regions", "region"));
      // One calibration of an instrument at a time: a second request joins the running one.
      std::optional<int64_t> op = CalRepo::ActiveOperation(c, id);
      if (!op) {
        op = CalRepo::InsertOperation(c, region, id, p.account_id);
        db::WriteAudit(c, p.account_id, "StartItemCalibration", ResourceName("calibrationOperations", *op), nullptr,
                       nullptr);
      }
      ASSIGN_OR_RETURN(*resp->mutable_operation(), CalRepo::GetOperation(c, *op));
      return absl::OkStatus();
    }));
    if (calibration_ != nullptr) calibration_->Notify();
    return absl::OkStatus();
  });
}

grpc::Status DiagnosticsServiceImpl::GetCalibrationOperation(grpc::ServerContext* ctx,
                                                             const v1::GetCalibrationOperationRequest* req,
                                                             v1::GetCalibrationOperationResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetCalibrationOperation", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "calibrationOperations", "name"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      db::CalibrationOperationRow row;
      auto op = CalRepo::GetOperation(c, id, &row);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageFramework,
                                  op.ok() ? absl::StatusOr<access::Placement>(access::Placement{row.region_id, 0, 0, 0})
                                          : absl::StatusOr<access::Placement>(op.status())));
      *resp->mutable_operation() = *std::move(op);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetItemCalibration(grpc::ServerContext* ctx,
                                                        const v1::GetItemCalibrationRequest* req,
                                                        v1::GetItemCalibrationResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetItemCalibration", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->instrument(), "instruments", "instrument"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(LoadOwnedInstrument(c, p, id).status());
      ASSIGN_OR_RETURN(*resp->mutable_calibration(), CalRepo::GetCalibration(c, id));
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetItemAnalytics(grpc::ServerContext* ctx, const v1::GetItemAnalyticsRequest* req,
                                                      v1::GetItemAnalyticsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetItemAnalytics", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->instrument(), "instruments", "instrument"));
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(LoadOwnedInstrument(c, p, id).status());
      ASSIGN_OR_RETURN(diag::CalibrationInputs in, diag::LoadCalibrationInputs(c, id));
      std::optional<v1::ItemCalibration> calibration;
      if (auto stored = CalRepo::GetCalibration(c, id); stored.ok()) calibration = *std::move(stored);

      // Classical statistics over every finished session.
      const auto fractions = diag::SessionFractions(in);
      std::vector<dx::RespondentAnswers> respondents;
      for (size_t s = 0; s < in.sessions.size(); ++s) {
        dx::RespondentAnswers r;
        for (const auto& [item, fraction] : fractions[s]) {
          dx::ItemResponse answer{fraction, {}};
          if (auto a = in.sessions[s].answers.find(item); a != in.sessions[s].answers.end()) {
            answer.selected_option_ids.assign(a->second.selected_option_ids().begin(),
                                              a->second.selected_option_ids().end());
          }
          r[item] = std::move(answer);
        }
        respondents.push_back(std::move(r));
      }
      const std::vector<dx::ItemStats> stats = dx::AnalyseItems(in.items, respondents);

      // DIF on the dichotomised calibratable items, matched on the other items.
      std::vector<std::string> dif_items;
      std::vector<double> pass;
      for (const auto& item : in.items) {
        if (irt::Calibratable(item)) {
          dif_items.push_back(item.item_id);
          pass.push_back(irt::PassFraction(in.framework, item));
        }
      }
      auto matrix = irt::ResponseMatrix::Empty(static_cast<int>(in.sessions.size()), static_cast<int>(dif_items.size()));
      for (size_t s = 0; s < in.sessions.size(); ++s) {
        for (size_t j = 0; j < dif_items.size(); ++j) {
          auto f = fractions[s].find(dif_items[j]);
          if (f != fractions[s].end()) {
            matrix.at(static_cast<int>(s), static_cast<int>(j)) = irt::Dichotomise(f->second, pass[j]) ? 1 : 0;
          }
        }
      }
      const int reference = MostFrequentType(in.sessions);
      std::map<int, std::vector<irt::DifStats>> dif_by_type;
      if (reference != 0) {
        std::set<int> types;
        for (const auto& s : in.sessions) types.insert(s.organization_type);
        for (int type : types) {
          if (type == 0 || type == reference) continue;
          std::vector<int> group;
          for (const auto& s : in.sessions) {
            group.push_back(s.organization_type == reference ? 0 : s.organization_type == type ? 1 : -1);
          }
          dif_by_type[type] = irt::MantelHaenszelDif(matrix, group);
        }
      }

      resp->set_instrument(ResourceName("instruments", id));
      resp->set_respondents(static_cast<int32_t>(in.sessions.size()));
      resp->set_dif_reference(static_cast<v1::OrganizationType>(reference));
      if (calibration) *resp->mutable_calibrate_time() = calibration->calibrate_time();
      for (size_t k = 0; k < stats.size(); ++k) {
        const dx::ItemStats& st = stats[k];
        auto* out = resp->add_items();
        out->set_item_id(st.item_id);
        out->set_position(st.position);
        for (const auto& item : in.items) {
          if (item.item_id == st.item_id) out->set_text(item.text);
        }
        out->set_responses(st.responses);
        out->set_difficulty(st.difficulty);
        if (st.discrimination) out->set_discrimination(*st.discrimination);
        out->set_everyone_passes(st.everyone_passes);
        out->set_everyone_fails(st.everyone_fails);
        for (const auto& o : st.options) {
          auto* opt = out->add_options();
          opt->set_option_id(o.option_id);
          opt->set_text(o.text);
          opt->set_correct(o.correct);
          opt->set_chosen(o.chosen);
          opt->set_share(o.share);
          if (o.mean_rest) opt->set_mean_rest(*o.mean_rest);
        }
        for (const auto& f : st.flags) out->add_flags(f);
        if (calibration) {
          for (const auto& ip : calibration->items()) {
            if (ip.item_id() == st.item_id) *out->mutable_calibration() = ip;
          }
        }
        for (size_t j = 0; j < dif_items.size(); ++j) {
          if (dif_items[j] != st.item_id) continue;
          for (const auto& [type, dif] : dif_by_type) {
            const irt::DifStats& d = dif[j];
            auto* o = out->add_dif();
            o->set_focal(static_cast<v1::OrganizationType>(type));
            o->set_reference_count(d.reference);
            o->set_focal_count(d.focal);
            o->set_enough(d.enough);
            o->set_delta(std::isfinite(d.delta) ? d.delta : 0);
            o->set_p(std::isfinite(d.p) ? d.p : 1);
            o->set_category(std::string(1, d.category));
          }
        }
      }
      return absl::OkStatus();
    });
  });
}

}  // namespace nms::services
