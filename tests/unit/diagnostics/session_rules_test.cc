// Session and campaign rules: the server-side deadline, remaining time, the window, attempts
// and retakes, when answers are accepted, campaign lifecycle and editable fields, and which
// municipality owns a campaign.

#include "server/domain/diagnostics/session_rules.h"

#include <gtest/gtest.h>

#include "server/domain/diagnostics/campaign_rules.h"

namespace nms::diagnostics {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1780000000);

TEST(SessionDeadlineTest, EarlierOfTimeLimitAndCampaignClose) {
  Window w;
  EXPECT_FALSE(SessionDeadline(kT0, w).has_value());
  w.time_limit_seconds = 3600;
  EXPECT_EQ(*SessionDeadline(kT0, w), kT0 + absl::Hours(1));
  w.close = kT0 + absl::Minutes(30);
  EXPECT_EQ(*SessionDeadline(kT0, w), kT0 + absl::Minutes(30));
  w.close = kT0 + absl::Hours(5);
  EXPECT_EQ(*SessionDeadline(kT0, w), kT0 + absl::Hours(1));
  w.time_limit_seconds = 0;
  EXPECT_EQ(*SessionDeadline(kT0, w), kT0 + absl::Hours(5));
}

TEST(RemainingSecondsTest, RoundsDownAndNeverNegative) {
  std::optional<absl::Time> d = kT0 + absl::Seconds(90);
  EXPECT_EQ(RemainingSeconds(d, kT0), 90);
  EXPECT_EQ(RemainingSeconds(d, kT0 + absl::Milliseconds(500)), 89);
  EXPECT_EQ(RemainingSeconds(d, kT0 + absl::Seconds(90)), 0);
  EXPECT_EQ(RemainingSeconds(d, kT0 + absl::Hours(1)), 0);
  EXPECT_EQ(RemainingSeconds(std::nullopt, kT0), 0);
}

TEST(IsExpiredTest, AtTheDeadlineItIsOver) {
  std::optional<absl::Time> d = kT0;
  EXPECT_FALSE(IsExpired(d, kT0 - absl::Microseconds(1)));
  EXPECT_TRUE(IsExpired(d, kT0));
  EXPECT_FALSE(IsExpired(std::nullopt, kT0 + absl::Hours(1000)));
}

TEST(CheckCanStartTest, OnlyLaunchedCampaignsInsideTheirWindow) {
  Window w{kT0, kT0 + absl::Hours(24), 0};
  EXPECT_TRUE(CheckCanStart(CampaignState::kLaunched, w, kT0).ok());
  EXPECT_TRUE(CheckCanStart(CampaignState::kLaunched, w, kT0 + absl::Hours(23)).ok());
  EXPECT_EQ(CheckCanStart(CampaignState::kLaunched, w, kT0 - absl::Seconds(1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckCanStart(CampaignState::kLaunched, w, kT0 + absl::Hours(24)).code(),
            absl::StatusCode::kFailedPrecondition);
  for (auto s : {CampaignState::kDraft, CampaignState::kClosed, CampaignState::kCancelled}) {
    EXPECT_EQ(CheckCanStart(s, w, kT0 + absl::Hours(1)).code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_TRUE(CheckCanStart(CampaignState::kLaunched, Window{}, kT0).ok());  // no window at all
}

TEST(AttemptsTest, OneSessionUnlessRetakesAreAllowedOrGranted) {
  AttemptPolicy none;
  EXPECT_EQ(AllowedAttempts(none, 0), 1);
  EXPECT_EQ(AllowedAttempts(none, 2), 3);
  EXPECT_EQ(AllowedAttempts({true, 0}, 0), -1);
  EXPECT_EQ(AllowedAttempts({true, 3}, 1), 4);

  EXPECT_TRUE(CheckNewAttempt(none, {0, 0, ParticipantStatus::kNotStarted}).ok());
  EXPECT_EQ(CheckNewAttempt(none, {1, 0, ParticipantStatus::kSubmitted}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckNewAttempt(none, {1, 1, ParticipantStatus::kSubmitted}).ok());
  EXPECT_EQ(CheckNewAttempt(none, {2, 1, ParticipantStatus::kSubmitted}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckNewAttempt({true, 2}, {1, 0, ParticipantStatus::kSubmitted}).ok());
  EXPECT_FALSE(CheckNewAttempt({true, 2}, {2, 0, ParticipantStatus::kTimedOut}).ok());
  EXPECT_TRUE(CheckNewAttempt({true, 0}, {50, 0, ParticipantStatus::kSubmitted}).ok());
}

TEST(RetakeGrantTest, OnlyForFinishedParticipantsWhoCannotStartAgain) {
  AttemptPolicy none;
  EXPECT_TRUE(CheckRetakeGrant(none, {1, 0, ParticipantStatus::kSubmitted}).ok());
  EXPECT_TRUE(CheckRetakeGrant(none, {1, 0, ParticipantStatus::kTimedOut}).ok());
  EXPECT_TRUE(CheckRetakeGrant(none, {2, 1, ParticipantStatus::kSubmitted}).ok());  // used the first retake
  EXPECT_EQ(CheckRetakeGrant(none, {0, 0, ParticipantStatus::kNotStarted}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckRetakeGrant(none, {1, 0, ParticipantStatus::kInProgress}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckRetakeGrant(none, {1, 1, ParticipantStatus::kSubmitted}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckRetakeGrant({true, 0}, {1, 0, ParticipantStatus::kSubmitted}).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckRetakeGrant({true, 2}, {2, 0, ParticipantStatus::kSubmitted}).ok());
}

TEST(CheckCanSaveTest, InProgressAndBeforeTheDeadline) {
  std::optional<absl::Time> d = kT0;
  EXPECT_TRUE(CheckCanSave(SessionState::kInProgress, d, kT0 - absl::Seconds(1)).ok());
  EXPECT_TRUE(CheckCanSave(SessionState::kInProgress, std::nullopt, kT0).ok());
  auto late = CheckCanSave(SessionState::kInProgress, d, kT0);
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(late.message().find("Время"), std::string::npos);
  auto done = CheckCanSave(SessionState::kSubmitted, std::nullopt, kT0);
  EXPECT_EQ(done.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(done.message().find("завершена"), std::string::npos);
  auto timed_out = CheckCanSave(SessionState::kTimedOut, std::nullopt, kT0);
  EXPECT_EQ(timed_out.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(timed_out.message().find("Время"), std::string::npos);
}

TEST(StatusAfterTest, MapsSessionEndToParticipantProgress) {
  EXPECT_EQ(StatusAfter(SessionState::kSubmitted), ParticipantStatus::kSubmitted);
  EXPECT_EQ(StatusAfter(SessionState::kTimedOut), ParticipantStatus::kTimedOut);
  EXPECT_EQ(StatusAfter(SessionState::kInProgress), ParticipantStatus::kInProgress);
}

TEST(ValidateWindowTest, NamesTheBrokenField) {
  EXPECT_TRUE(ValidateWindow({kT0, kT0 + absl::Hours(1), 3600}, 0).ok());
  auto st = ValidateWindow({kT0, kT0, 0}, 0);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("close_time"), std::string::npos);
  EXPECT_NE(ValidateWindow({std::nullopt, std::nullopt, -1}, 0).message().find("time_limit_seconds"), std::string::npos);
  EXPECT_FALSE(ValidateWindow({std::nullopt, std::nullopt, kMaxTimeLimitSeconds + 1}, 0).ok());
  EXPECT_NE(ValidateWindow({}, -1).message().find("max_attempts"), std::string::npos);
  EXPECT_FALSE(ValidateWindow({}, kMaxAttempts + 1).ok());
}

TEST(CampaignLifecycleTest, UpdatableFieldsDependOnTheState) {
  Window w{kT0, kT0 + absl::Hours(48), 0};
  EXPECT_TRUE(CheckUpdatable(CampaignState::kDraft, {"population", "instrument"}, w, kT0).ok());
  EXPECT_TRUE(CheckUpdatable(CampaignState::kLaunched, {"title", "close_time", "allow_retake"}, w, kT0).ok());
  EXPECT_EQ(CheckUpdatable(CampaignState::kLaunched, {"population"}, w, kT0).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckUpdatable(CampaignState::kLaunched, {"close_time"}, w, kT0 + absl::Hours(49)).code(),
            absl::StatusCode::kFailedPrecondition);  // into the past
  EXPECT_EQ(CheckUpdatable(CampaignState::kClosed, {"title"}, w, kT0).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckUpdatable(CampaignState::kCancelled, {"title"}, w, kT0).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(CampaignLifecycleTest, LaunchDeleteAndClose) {
  EXPECT_TRUE(CheckLaunch(CampaignState::kDraft).ok());
  EXPECT_FALSE(CheckLaunch(CampaignState::kLaunched).ok());
  EXPECT_TRUE(CheckDeletable(CampaignState::kDraft).ok());
  EXPECT_EQ(CheckDeletable(CampaignState::kLaunched).code(), absl::StatusCode::kFailedPrecondition);
  Window w{kT0, kT0 + absl::Hours(48), 0};
  EXPECT_EQ(*CloseOutcome(CampaignState::kDraft, w, kT0), CampaignState::kCancelled);
  EXPECT_EQ(*CloseOutcome(CampaignState::kLaunched, w, kT0 - absl::Hours(1)), CampaignState::kCancelled);
  EXPECT_EQ(*CloseOutcome(CampaignState::kLaunched, w, kT0 + absl::Hours(1)), CampaignState::kClosed);
  EXPECT_EQ(*CloseOutcome(CampaignState::kLaunched, Window{}, kT0), CampaignState::kClosed);
  EXPECT_EQ(CloseOutcome(CampaignState::kClosed, w, kT0).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(CloseOutcome(CampaignState::kCancelled, w, kT0).ok());
}

TEST(OwnerMunicipalityTest, CommonMunicipalityOrRegional) {
  using access::Placement;
  EXPECT_EQ(OwnerMunicipality({}), 0);
  EXPECT_EQ(OwnerMunicipality({Placement{1, 3, 0, 0}}), 3);
  EXPECT_EQ(OwnerMunicipality({Placement{1, 3, 7, 0}, Placement{1, 3, 8, 0}, Placement{1, 3, 7, 9}}), 3);
  EXPECT_EQ(OwnerMunicipality({Placement{1, 3, 7, 0}, Placement{1, 4, 8, 0}}), 0);
  EXPECT_EQ(OwnerMunicipality({Placement{1, 0, 0, 0}}), 0);           // a region
  EXPECT_EQ(OwnerMunicipality({Placement{1, 3, 0, 0}, Placement{1, 0, 5, 0}}), 0);  // a regional organisation
}

}  // namespace
}  // namespace nms::diagnostics
