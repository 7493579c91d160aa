#include "server/domain/diagnostics/campaign_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace nms::diagnostics {

absl::Status ValidateWindow(const Window& w, int max_attempts) {
  if (w.open.has_value() && w.close.has_value() && *w.close <= *w.open) {
    return absl::InvalidArgumentError("Поле close_time: окончание кампании должно быть позже начала");
  }
  if (w.time_limit_seconds < 0 || w.time_limit_seconds > kMaxTimeLimitSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat("Поле time_limit_seconds: от 0 (без ограничения) до ", kMaxTimeLimitSeconds, " секунд"));
  }
  if (max_attempts < 0 || max_attempts > kMaxAttempts) {
    return absl::InvalidArgumentError(absl::StrCat("Поле max_attempts: от 0 (без ограничения) до ", kMaxAttempts));
  }
  return absl::OkStatus();
}

absl::Status CheckUpdatable(CampaignState state, const std::vector<std::string>& paths, const Window& after,
                            absl::Time now) {
  static const std::vector<std::string> kAfterLaunch = {"title", "purpose", "voluntary", "close_time",
                                                        "allow_retake", "max_attempts"};
  switch (state) {
    case CampaignState::kDraft: return absl::OkStatus();
    case CampaignState::kLaunched: break;
    default: return absl::FailedPreconditionError("Завершённая или отменённая кампания не изменяется");
  }
  for (const auto& p : paths) {
    if (std::find(kAfterLaunch.begin(), kAfterLaunch.end(), p) == kAfterLaunch.end()) {
      return absl::FailedPreconditionError(absl::StrCat("После запуска кампании нельзя менять ", p,
                                                        "; можно: ", absl::StrJoin(kAfterLaunch, ", ")));
    }
    if (p == "close_time" && after.close.has_value() && *after.close <= now) {
      return absl::FailedPreconditionError(
          "Поле close_time: срок идущей кампании нельзя перенести в прошлое; чтобы завершить её, вызовите CloseCampaign");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLaunch(CampaignState state) {
  if (state == CampaignState::kDraft) return absl::OkStatus();
  return absl::FailedPreconditionError("Запустить можно только кампанию в состоянии черновика");
}

absl::Status CheckDeletable(CampaignState state) {
  if (state == CampaignState::kDraft) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "Удалить можно только черновик кампании; запущенную кампанию завершают (CloseCampaign)");
}

absl::StatusOr<CampaignState> CloseOutcome(CampaignState state, const Window& w, absl::Time now) {
  switch (state) {
    case CampaignState::kDraft: return CampaignState::kCancelled;
    case CampaignState::kLaunched:
      return w.open.has_value() && now < *w.open ? CampaignState::kCancelled : CampaignState::kClosed;
    default: return absl::FailedPreconditionError("Кампания уже завершена или отменена");
  }
}

int64_t OwnerMunicipality(const std::vector<access::Placement>& scopes) {
  int64_t owner = 0;
  for (const auto& s : scopes) {
    if (s.municipality_id == 0) return 0;
    if (owner != 0 && owner != s.municipality_id) return 0;
    owner = s.municipality_id;
  }
  return owner;
}

}  // namespace nms::diagnostics
