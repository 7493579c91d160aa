// DiagnosticsService: sessions (start or resume, durable answers one at a time, submit with
// scoring, a deadline enforced by the server), expert scores, results and the import of
// results from external assessment systems into the same profile.

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/status_macros.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/calibration_repository.h"
#include "server/db/expert_work_repository.h"
#include "server/db/hot_path_repository.h"
#include "server/db/idempotency.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/diagnostics/session_rules.h"
#include "server/services/convert.h"
#include "server/services/diagnostics_calibration.h"
#include "server/services/diagnostics_common.h"
#include "server/services/diagnostics_convert.h"
#include "server/services/diagnostics_service.h"
#include "server/services/notify.h"
#include "server/services/rpc.h"
#include "server/services/scope.h"

namespace nms::services {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
using access::Action;
using access::Placement;
using access::Principal;
using Dir = db::DirectoryRepository;
using Repo = db::DiagnosticsRepository;

namespace {

constexpr int kMaxImportRecords = 10000;
constexpr int kMaxExternalScores = 500;

absl::StatusOr<Placement> PlaceSessionPerson(sql::Connection& c, const absl::StatusOr<db::SessionRecord>& s) {
  if (!s.ok()) return s.status();
  return Dir::PlacePerson(c, s->person_id);
}

absl::StatusOr<v1::Session> SessionMessage(sql::Connection& c, diag::ScoringCache& cache, int64_t id, bool answers,
                                           absl::Time now) {
  ASSIGN_OR_RETURN(db::SessionRecord s, Repo::GetSession(c, id));
  ASSIGN_OR_RETURN(int items, cache.OnlineItemCount(s.instrument_id));
  auto steps = db::CalibrationRepository::AdaptiveSteps(c, id);
  std::map<std::string, v1::ItemAnswer> saved;
  if (answers || !steps.empty()) saved = Repo::LoadAnswers(c, id);
  v1::Session out = diag::SessionToProto(s, answers ? &saved : nullptr, items, now);
  if (!steps.empty()) {
    // Adaptive: the pending step is the next item on every device until it is answered.
    out.set_adaptive(true);
    if (s.state == static_cast<int>(dx::SessionState::kInProgress) && saved.count(steps.back().item_id) == 0) {
      out.set_next_item_id(steps.back().item_id);
    }
  }
  if (!answers) return out;
  ASSIGN_OR_RETURN(std::vector<dx::ItemDef> defs, cache.Items(s.instrument_id));
  int expert_items = 0;
  for (const auto& d : defs) expert_items += d.kind == dx::ItemKind::kExternalScore;
  out.set_expert_item_count(expert_items);
  for (auto& w : db::ExpertWorkRepository::ListForSession(c, id)) *out.add_expert_works() = std::move(w);
  return out;
}

const dx::ItemDef* FindItem(const std::vector<dx::ItemDef>& items, const std::string& id) {
  for (const auto& i : items) {
    if (i.item_id == id) return &i;
  }
  return nullptr;
}

std::string ContentHash(const v1::DiagnosticResult& r) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    r.SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

bool ValidPercent(double v) { return std::isfinite(v) && v >= 0 && v <= 100; }

}  // namespace

grpc::Status DiagnosticsServiceImpl::StartSession(grpc::ServerContext* ctx, const v1::StartSessionRequest* req,
                                                  v1::StartSessionResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/StartSession", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t campaign_id, ParseResourceName(req->campaign(), "campaigns", "campaign"));
    ASSIGN_OR_RETURN(int64_t named, ParseOptionalResourceName(req->person(), "people", "person"));
    int64_t person = named != 0 ? named : p.person_id;
    if (person == 0) return absl::InvalidArgumentError("Поле person обязательно для служебной учётной записи");
    // The person and the campaign, authorised (a teacher starts their own session; a proctor, a
    // campaign manager, may start one for a teacher) before anything about them is touched.
    auto authorise = [&](sql::Connection& c) -> absl::StatusOr<db::CampaignRecord> {
      auto where = Dir::PlacePerson(c, person);
      absl::Status allowed = person == p.person_id ? CheckAccess(p, Action::kTakeDiagnostics, where)
                                                   : absl::PermissionDeniedError("");
      if (!allowed.ok()) RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, where));
      auto campaign = Repo::GetCampaign(c, campaign_id);
      RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, campaign));
      return campaign;
    };
    // A session left open past its deadline is scored first, in its own transaction, so the
    // time-out stands even if starting a new one is refused below.
    std::optional<int64_t> open;
    RETURN_IF_ERROR(db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      RETURN_IF_ERROR(authorise(c).status());
      open = Repo::InProgressSession(c, campaign_id, person);
      return absl::OkStatus();
    }));
    if (open) RETURN_IF_ERROR(diag::FinalizeIfExpired(pool_, p.account_id, *open));
    return db::IdempotentWrite(pool_, p.account_id, "StartSession", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto campaign = authorise(c);
      RETURN_IF_ERROR(campaign.status());
      ASSIGN_OR_RETURN(db::ParticipantRecord participant, Repo::GetParticipant(c, campaign_id, person, true));
      absl::Time now = absl::Now();
      diag::ScoringCache cache(c);
      if (auto id = Repo::InProgressSession(c, campaign_id, person)) {
        ASSIGN_OR_RETURN(db::SessionRecord s, Repo::GetSession(c, *id, true));
        if (!dx::IsExpired(s.deadline, now)) {
          ASSIGN_OR_RETURN(*resp->mutable_session(), SessionMessage(c, cache, s.id, true, now));
          resp->set_resumed(true);
          return absl::OkStatus();
        }
        RETURN_IF_ERROR(diag::EndSession(c, cache, p.account_id, s, dx::SessionState::kTimedOut, now).status());
        ASSIGN_OR_RETURN(participant, Repo::GetParticipant(c, campaign_id, person, true));
      }
      dx::Window window = diag::CampaignWindow(campaign->campaign);
      RETURN_IF_ERROR(dx::CheckCanStart(static_cast<dx::CampaignState>(campaign->state), window, now));
      dx::AttemptPolicy policy{campaign->campaign.allow_retake(), campaign->campaign.max_attempts()};
      RETURN_IF_ERROR(dx::CheckNewAttempt(policy, {participant.attempts, participant.retakes_granted,
                                                   static_cast<dx::ParticipantStatus>(participant.status)}));
      db::SessionRecord s;
      s.campaign_id = campaign_id;
      s.person_id = person;
      s.instrument_id = campaign->instrument_id;
      s.attempt = participant.attempts + 1;
      s.started = now;
      s.deadline = dx::SessionDeadline(now, window);
      int64_t id = Repo::InsertSession(c, s);
      if (campaign->campaign.adaptive()) {
        s.id = id;
        ASSIGN_OR_RETURN(std::string first, diag::AdvanceAdaptive(c, cache, s, campaign->campaign));
        if (first.empty()) return absl::FailedPreconditionError("В калибровке инструмента нет заданий для адаптивной диагностики");
      }
      participant.attempts += 1;
      participant.status = static_cast<int>(dx::ParticipantStatus::kInProgress);
      participant.last_session_id = id;
      Repo::UpdateParticipant(c, participant);
      ASSIGN_OR_RETURN(*resp->mutable_session(), SessionMessage(c, cache, id, true, now));
      db::WriteAudit(c, p.account_id, "StartSession", resp->session().name(), nullptr, &resp->session());
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetSession(grpc::ServerContext* ctx, const v1::GetSessionRequest* req,
                                                v1::GetSessionResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetSession", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "sessions", "name"));
    bool expired = false;
    auto read = [&](sql::Connection& c) -> absl::Status {
      auto s = Repo::GetSession(c, id);
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics, PlaceSessionPerson(c, s)));
      absl::Time now = absl::Now();
      expired = s->state == static_cast<int>(dx::SessionState::kInProgress) && dx::IsExpired(s->deadline, now);
      diag::ScoringCache cache(c);
      ASSIGN_OR_RETURN(*resp->mutable_session(), SessionMessage(c, cache, id, true, now));
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(db::WithConnection(pool_, read));
    if (!expired) return absl::OkStatus();
    // Past its deadline: the server ends it now, so every device sees it scored.
    RETURN_IF_ERROR(diag::FinalizeIfExpired(pool_, p.account_id, id));
    return db::WithConnection(pool_, read);
  });
}

grpc::Status DiagnosticsServiceImpl::ListSessions(grpc::ServerContext* ctx, const v1::ListSessionsRequest* req,
                                                  v1::ListSessionsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListSessions", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(db::ScopeFilter people, diag::PeopleInReach(c, p));
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      db::ListPage page;
      diag::ScoringCache cache(c);
      absl::Time now = absl::Now();
      ASSIGN_OR_RETURN(auto rows, Repo::ListSessions(c, people, args, &page));
      for (const auto& s : rows) {
        ASSIGN_OR_RETURN(int items, cache.OnlineItemCount(s.instrument_id));
        *resp->add_sessions() = diag::SessionToProto(s, nullptr, items, now);
      }
      resp->set_next_page_token(page.next_page_token);
      resp->set_total_size(page.total_size);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::SaveAnswer(grpc::ServerContext* ctx, const v1::SaveAnswerRequest* req,
                                                v1::SaveAnswerResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/SaveAnswer", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->session(), "sessions", "session"));
    const auto& answer = req->answer();
    bool timed_out = false;
    absl::Status st = db::IdempotentWrite(pool_, p.account_id, "SaveAnswer", req->request_id(), *req, resp,
                                          [&](sql::Connection& c) -> absl::Status {
      timed_out = false;
      // The session (locked), its person's placement and its answer rows in one read.
      auto locked = db::LockSessionForAnswer(c, id, answer.item_id());
      RETURN_IF_ERROR(CheckAccess(p, Action::kTakeDiagnostics,
                                  locked.ok() ? absl::StatusOr<Placement>(locked->place) : locked.status()));
      RETURN_IF_ERROR(RequireText(answer.item_id(), "answer.item_id", 64));
      if (answer.selected_option_ids_size() > 100) {
        return absl::InvalidArgumentError("Поле answer.selected_option_ids: не больше 100");
      }
      const db::SessionRecord* s = &locked->session;
      if (req->version() != 0) RETURN_IF_ERROR(CheckVersion(req->version(), s->version));
      absl::Time now = absl::Now();
      absl::Status open = dx::CheckCanSave(static_cast<dx::SessionState>(s->state), s->deadline, now);
      if (!open.ok()) {
        timed_out = s->state == static_cast<int>(dx::SessionState::kInProgress);
        return open;
      }
      diag::ScoringCache cache(c);
      ASSIGN_OR_RETURN(std::vector<dx::ItemDef> items, cache.Items(s->instrument_id));
      const dx::ItemDef* item = FindItem(items, answer.item_id());
      if (item == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("Поле answer.item_id: задания «", answer.item_id(), "» нет в этой сессии"));
      }
      dx::Answer a = AnswerFromProto(answer);
      RETURN_IF_ERROR(dx::ValidateAnswer(*item, a));
      // An adaptive session takes the answer to its pending item only, once.
      const auto steps = db::CalibrationRepository::AdaptiveSteps(c, id);
      const bool adaptive = !steps.empty();
      if (adaptive) {
        if (steps.back().item_id != answer.item_id() || locked->item_saved) {
          return absl::FailedPreconditionError(
              "В адаптивной диагностике отвечают только на текущее задание, один раз: обновите сессию, чтобы "
              "получить следующее задание");
        }
        if (dx::IsEmptyAnswer(a)) return absl::InvalidArgumentError("Поле answer: в адаптивной диагностике нужен ответ");
      }
      v1::ItemAnswer stored = answer;
      stored.clear_save_time();
      // Saved with the server's clock to the microsecond, so the stored answer is known without
      // reading it back; the count and version follow from the locked row (TouchSession still
      // recounts in SQL, and under the lock the two agree).
      const absl::Time saved_at = absl::FromUnixMicros(absl::ToUnixMicros(now));
      int answered = locked->answer_rows;
      if (dx::IsEmptyAnswer(a)) {
        Repo::DeleteAnswer(c, id, answer.item_id());
        if (locked->item_saved) --answered;
      } else {
        stored = db::UpsertAnswerAt(c, id, stored, saved_at);
        if (!locked->item_saved) ++answered;
      }
      Repo::TouchSession(c, id, answer.item_id());
      db::SessionRecord after = *s;
      after.version = s->version + 1;
      after.answered_count = answered;
      *resp->mutable_answer() = stored;
      resp->set_version(after.version);
      resp->set_remaining_seconds(dx::RemainingSeconds(after.deadline, now));
      *resp->mutable_server_time() = ToProtoTime(now);
      resp->set_answered_count(after.answered_count);
      db::WriteAudit(c, p.account_id, "SaveAnswer", req->session(), nullptr, &stored);
      if (adaptive) {
        // The server chooses the next item now; when every area's stop rule fired, the session
        // ends and is scored like a submitted one.
        ASSIGN_OR_RETURN(db::CampaignRecord campaign, Repo::GetCampaign(c, s->campaign_id));
        ASSIGN_OR_RETURN(std::string next, diag::AdvanceAdaptive(c, cache, after, campaign.campaign));
        resp->set_next_item_id(next);
        if (next.empty()) {
          ASSIGN_OR_RETURN(v1::DiagnosticResult result,
                           diag::EndSession(c, cache, p.account_id, after, dx::SessionState::kSubmitted, now));
          resp->set_result(result.name());
          ASSIGN_OR_RETURN(db::SessionRecord ended, Repo::GetSession(c, id));
          resp->set_version(ended.version);
        }
      }
      return absl::OkStatus();
    });
    // Refused because time ran out: the session is ended and scored now, not at the next look.
    if (timed_out) (void)diag::FinalizeIfExpired(pool_, p.account_id, id);
    return st;
  });
}

grpc::Status DiagnosticsServiceImpl::SubmitSession(grpc::ServerContext* ctx, const v1::SubmitSessionRequest* req,
                                                   v1::SubmitSessionResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/SubmitSession", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "sessions", "name"));
    return db::IdempotentWrite(pool_, p.account_id, "SubmitSession", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto s = Repo::GetSession(c, id, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kTakeDiagnostics, PlaceSessionPerson(c, s)));
      if (req->version() != 0) RETURN_IF_ERROR(CheckVersion(req->version(), s->version));
      if (s->state != static_cast<int>(dx::SessionState::kInProgress)) {
        return absl::FailedPreconditionError("Сессия уже завершена: результат подсчитан");
      }
      absl::Time now = absl::Now();
      diag::ScoringCache cache(c);
      // After the deadline the saved answers count as they are (TIMED_OUT), like at a time-out.
      dx::SessionState end = dx::SessionState::kTimedOut;
      const bool adaptive = !db::CalibrationRepository::AdaptiveSteps(c, id).empty();
      if (!dx::IsExpired(s->deadline, now)) {
        ASSIGN_OR_RETURN(std::vector<dx::ItemDef> items, cache.Items(s->instrument_id));
        // An adaptive session shows only the items it chose: nothing else is required.
        auto missing = adaptive ? std::vector<std::string>{}
                                : dx::MissingRequired(items, AnswersFromProto(Repo::LoadAnswers(c, id)));
        if (!missing.empty()) {
          if (missing.size() > 10) missing.resize(10);
          return absl::FailedPreconditionError(
              absl::StrCat("Не даны ответы на обязательные задания: ", absl::StrJoin(missing, ", ")));
        }
        end = dx::SessionState::kSubmitted;
      }
      ASSIGN_OR_RETURN(*resp->mutable_result(), diag::EndSession(c, cache, p.account_id, *s, end, now));
      ASSIGN_OR_RETURN(*resp->mutable_session(), SessionMessage(c, cache, id, true, now));
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::RecordExternalScores(grpc::ServerContext* ctx,
                                                          const v1::RecordExternalScoresRequest* req,
                                                          v1::RecordExternalScoresResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/RecordExternalScores", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->session(), "sessions", "session"));
    return db::IdempotentWrite(pool_, p.account_id, "RecordExternalScores", req->request_id(), *req, resp,
                               [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      auto s = Repo::GetSession(c, id, true);
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, PlaceSessionPerson(c, s)));
      if (req->scores().empty()) return absl::InvalidArgumentError("Поле scores: укажите хотя бы одну оценку");
      if (req->scores_size() > kMaxExternalScores) return absl::InvalidArgumentError("Поле scores: не больше 500");
      for (int i = 0; i < req->scores_size(); ++i) {
        RETURN_IF_ERROR(RequireText(req->scores(i).item_id(), absl::StrCat("scores[", i, "].item_id"), 64));
        RETURN_IF_ERROR(OptionalText(req->scores(i).comment(), absl::StrCat("scores[", i, "].comment"), 2000));
      }
      RETURN_IF_ERROR(CheckVersion(req->version(), s->version));
      if (s->state == static_cast<int>(dx::SessionState::kInProgress) || s->result_id == 0) {
        return absl::FailedPreconditionError("Сессия ещё не завершена: экспертные оценки вносятся после неё");
      }
      db::ResultKeys keys;
      ASSIGN_OR_RETURN(v1::DiagnosticResult before, Repo::GetResult(c, s->result_id, &keys));
      if (before.status() == v1::DIAGNOSTIC_RESULT_STATUS_FINAL) {
        return absl::FailedPreconditionError(
            "Результат уже окончательный и не меняется; при ошибке назначьте пересдачу");
      }
      diag::ScoringCache cache(c);
      ASSIGN_OR_RETURN(std::vector<dx::ItemDef> items, cache.Items(s->instrument_id));
      for (int i = 0; i < req->scores_size(); ++i) {
        const auto& score = req->scores(i);
        const dx::ItemDef* item = FindItem(items, score.item_id());
        if (item == nullptr || item->kind != dx::ItemKind::kExternalScore) {
          return absl::InvalidArgumentError(absl::StrCat("Поле scores[", i, "].item_id: «", score.item_id(),
                                                         "» не задание экспертной оценки этой сессии"));
        }
        if (!std::isfinite(score.score()) || score.score() < 0 || score.score() > item->max_score) {
          return absl::InvalidArgumentError(
              absl::StrCat("Поле scores[", i, "].score: оценка от 0 до ", item->max_score));
        }
        Repo::UpsertExternalScore(c, id, score, p.account_id);
      }
      v1::DiagnosticResult next = before;
      RETURN_IF_ERROR(diag::ScoreSessionInto(c, cache, *s, keys.framework_id, &next));
      Repo::ReplaceResult(c, keys, next);
      Repo::BumpSession(c, id);
      ASSIGN_OR_RETURN(*resp->mutable_result(), Repo::GetResult(c, s->result_id));
      ASSIGN_OR_RETURN(*resp->mutable_session(), SessionMessage(c, cache, id, false, absl::Now()));
      db::WriteAudit(c, p.account_id, "RecordExternalScores", resp->result().name(), &before, &resp->result());
      if (resp->result().status() == v1::DIAGNOSTIC_RESULT_STATUS_FINAL) {
        diag::ResultOutbox(c, keys.region_id, resp->result(), before.status() == v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
      }
      // The teacher waits for this: told in the same transaction, with what is still missing.
      int expert_items = 0;
      for (const auto& d : items) expert_items += d.kind == dx::ItemKind::kExternalScore;
      int waiting = std::max(0, expert_items - static_cast<int>(Repo::LoadExternalScores(c, id).size()));
      if (resp->result().status() == v1::DIAGNOSTIC_RESULT_STATUS_FINAL) waiting = 0;
      Notify(c, s->person_id,
             inbox::ExpertScoreRecorded(db::ExpertWorkRepository::ContextOf(c, id).campaign_title, req->scores_size(),
                                        waiting),
             resp->result().name(), p);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::GetDiagnosticResult(grpc::ServerContext* ctx,
                                                         const v1::GetDiagnosticResultRequest* req,
                                                         v1::GetDiagnosticResultResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/GetDiagnosticResult", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(int64_t id, ParseResourceName(req->name(), "results", "name"));
      db::ResultKeys keys;
      auto r = Repo::GetResult(c, id, &keys);
      RETURN_IF_ERROR(CheckAccess(p, Action::kReadDiagnostics,
                                  r.ok() ? Dir::PlacePerson(c, keys.person_id) : absl::StatusOr<Placement>(r.status())));
      *resp->mutable_result() = std::move(*r);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ListDiagnosticResults(grpc::ServerContext* ctx,
                                                           const v1::ListDiagnosticResultsRequest* req,
                                                           v1::ListDiagnosticResultsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ListDiagnosticResults", [&](const Principal& p) {
    return db::WithConnection(pool_, [&](sql::Connection& c) -> absl::Status {
      ASSIGN_OR_RETURN(db::ScopeFilter people, diag::PeopleInReach(c, p));
      ASSIGN_OR_RETURN(db::ListQuery args, diag::ParseListArgs(*req, req->filter()));
      db::ListPage page;
      ASSIGN_OR_RETURN(auto rows, Repo::ListResults(c, people, args, &page));
      diag::FillPage(std::move(rows), resp->mutable_results(), page, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status DiagnosticsServiceImpl::ImportExternalResults(grpc::ServerContext* ctx,
                                                           const v1::ImportExternalResultsRequest* req,
                                                           v1::ImportExternalResultsResponse* resp) {
  return Run(ctx, authn_, "DiagnosticsService/ImportExternalResults", [&](const Principal& p) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t region, ParseResourceName(req->region(), "regions", "region"));
    ASSIGN_OR_RETURN(int64_t framework_named, ParseOptionalResourceName(req->framework(), "frameworks", "framework"));
    ASSIGN_OR_RETURN(int64_t campaign_id, ParseOptionalResourceName(req->campaign(), "campaigns", "campaign"));
    auto write = [&](sql::Connection& c) -> absl::Status {
      resp->Clear();
      RETURN_IF_ERROR(CheckAccess(p, Action::kManageCampaign, Dir::PlaceRegion(c, region)));
      // The framework and campaign a request names are authorised before they are compared
      // with the region: another region's look exactly like missing ones.
      if (framework_named != 0) {
        auto named = Repo::GetFramework(c, framework_named);
        RETURN_IF_ERROR(diag::CheckRegionReader(p, diag::RegionOfLoaded(named.status(), named.ok() ? named->region() : "")));
      }
      std::optional<db::CampaignRecord> campaign;
      if (campaign_id != 0) {
        auto named = Repo::GetCampaign(c, campaign_id);
        RETURN_IF_ERROR(diag::CheckCampaignReader(c, p, named));
        campaign = *std::move(named);
      }
      RETURN_IF_ERROR(OptionalText(req->external_source(), "external_source", 255));
      if (req->records().empty()) return absl::InvalidArgumentError("Поле records: нет ни одной записи");
      if (req->records_size() > kMaxImportRecords) {
        return absl::InvalidArgumentError("Поле records: не больше 10 000 записей за один вызов");
      }
      int64_t framework_id = framework_named;
      if (framework_id == 0) {
        ASSIGN_OR_RETURN(framework_id, Repo::PublishedFrameworkId(c, region));
      }
      auto framework = Repo::GetFramework(c, framework_id);
      if (!framework.ok() || framework->region() != req->region()) {
        return absl::InvalidArgumentError("Поле framework: рамка не найдена в регионе");
      }
      if (campaign) {
        if (campaign->region_id != region) {
          return absl::InvalidArgumentError("Поле campaign: кампания не найдена в регионе");
        }
      }
      dx::Framework fw = FrameworkFromProto(*framework);
      std::set<std::string> codes;
      std::set<int> areas;
      for (const auto& i : fw.indicators) codes.insert(i.code);
      for (const auto& a : fw.areas) areas.insert(a.area);
      absl::CivilDay today = diag::RegionToday(c, region);
      std::set<std::string> seen;
      for (int i = 0; i < req->records_size(); ++i) {
        const auto& rec = req->records(i);
        auto* out = resp->add_results();
        out->set_index(i);
        out->set_external_id(rec.external_id());
        auto reject = [&](absl::string_view message) {
          out->set_outcome(v1::IMPORT_RECORD_OUTCOME_REJECTED);
          out->set_message(std::string(message));
          resp->set_rejected_count(resp->rejected_count() + 1);
        };
        if (auto st = RequireText(rec.external_id(), "external_id", 128); !st.ok()) {
          reject(st.message());
          continue;
        }
        if (!seen.insert(rec.external_id()).second) {
          reject("Повтор external_id в одном пакете");
          continue;
        }
        int64_t person = 0;
        if (!rec.person().empty()) {
          auto parsed = ParseResourceName(rec.person(), "people", "person");
          if (!parsed.ok()) {
            reject(parsed.status().message());
            continue;
          }
          person = *parsed;
        } else if (!rec.person_external_id().empty()) {
          person = Dir::FindPersonByExternalId(c, region, rec.person_external_id()).value_or(0);
        } else {
          reject("Поле person или person_external_id обязательно");
          continue;
        }
        auto where = person != 0 ? Dir::PlacePerson(c, person) : absl::StatusOr<Placement>(absl::NotFoundError(""));
        if (!where.ok() || where->region_id != region || !CheckAccess(p, Action::kManageCampaign, where).ok()) {
          reject("Педагог не найден в регионе");
          continue;
        }
        auto date = FromProtoDate(rec.diagnosis_date(), "diagnosis_date");
        if (!date.ok() || !date->has_value() || **date > today) {
          reject("Поле diagnosis_date: укажите дату диагностики, не позже сегодняшней");
          continue;
        }
        std::map<std::string, double> indicator_scores;
        std::map<int, double> area_scores;
        std::string problem;
        for (const auto& s : rec.indicator_scores()) {
          if (!codes.count(s.indicator_code())) problem = absl::StrCat("индикатора «", s.indicator_code().substr(0, 64), "» нет в рамке");
          else if (!ValidPercent(s.score_percent())) problem = absl::StrCat("балл индикатора ", s.indicator_code(), " вне 0..100");
          else if (!indicator_scores.emplace(s.indicator_code(), s.score_percent()).second) problem = absl::StrCat("индикатор ", s.indicator_code(), " указан дважды");
          if (!problem.empty()) break;
        }
        for (const auto& s : rec.area_scores()) {
          if (!problem.empty()) break;
          if (!areas.count(s.area())) problem = "область компетенций не входит в рамку";
          else if (!ValidPercent(s.score_percent())) problem = "балл области вне 0..100";
          else if (!area_scores.emplace(s.area(), s.score_percent()).second) problem = "область указана дважды";
        }
        if (problem.empty() && indicator_scores.empty() && area_scores.empty()) problem = "нет ни одного балла";
        if (!problem.empty()) {
          reject(absl::StrCat("Запись отклонена: ", problem));
          continue;
        }
        v1::DiagnosticResult result;
        result.set_person(ResourceName("people", person));
        if (campaign_id) result.set_campaign(req->campaign());
        result.set_source(v1::DIAGNOSTIC_RESULT_SOURCE_EXTERNAL_IMPORT);
        result.set_framework(ResourceName("frameworks", framework_id));
        *result.mutable_diagnosis_date() = rec.diagnosis_date();
        result.set_status(v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
        result.set_external_id(rec.external_id());
        result.set_external_source(req->external_source());
        FillProfile(dx::ProfileFromScores(fw, indicator_scores, area_scores), &result);
        db::ResultKeys keys;
        keys.person_id = person;
        keys.region_id = region;
        keys.municipality_id = where->municipality_id;
        keys.organization_id = where->organization_id;
        keys.campaign_id = campaign_id;
        keys.framework_id = framework_id;
        keys.content_hash = ContentHash(result);
        auto existing = Repo::FindExternalResult(c, region, rec.external_id());
        if (existing && existing->person_id != person) {
          reject("external_id уже принадлежит результату другого педагога");
          continue;
        }
        if (existing && existing->content_hash == keys.content_hash) {
          out->set_outcome(v1::IMPORT_RECORD_OUTCOME_UNCHANGED);
          out->set_result(ResourceName("results", existing->id));
          resp->set_unchanged_count(resp->unchanged_count() + 1);
          continue;
        }
        std::optional<v1::DiagnosticResult> before;
        if (existing) {
          keys.id = existing->id;
          ASSIGN_OR_RETURN(before, Repo::GetResult(c, existing->id));
          Repo::ReplaceResult(c, keys, result);
          out->set_outcome(v1::IMPORT_RECORD_OUTCOME_UPDATED);
          resp->set_updated_count(resp->updated_count() + 1);
        } else {
          keys.id = Repo::InsertResult(c, keys, result);
          out->set_outcome(v1::IMPORT_RECORD_OUTCOME_CREATED);
          resp->set_created_count(resp->created_count() + 1);
        }
        ASSIGN_OR_RETURN(v1::DiagnosticResult stored, Repo::GetResult(c, keys.id));
        out->set_result(stored.name());
        db::WriteAudit(c, p.account_id, "ImportExternalResults", stored.name(), before ? &*before : nullptr, &stored);
        diag::ResultOutbox(c, region, stored, before && before->status() == v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
      }
      return absl::OkStatus();
    };
    if (req->dry_run()) {
      // The whole import runs and is rolled back: the report is exact and nothing is kept.
      RETURN_IF_ERROR(db::InRolledBackTransaction(pool_, write));
      for (auto& r : *resp->mutable_results()) {
        if (r.outcome() == v1::IMPORT_RECORD_OUTCOME_CREATED) r.clear_result();
      }
      return absl::OkStatus();
    }
    return db::IdempotentWrite(pool_, p.account_id, "ImportExternalResults", req->request_id(), *req, resp, write);
  });
}

}  // namespace nms::services
