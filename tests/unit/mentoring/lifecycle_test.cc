#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "server/domain/mentoring/lifecycle.h"

namespace nms::mentoring {
namespace {

enum class Who { kMentor, kMentee, kManager, kOutsider };

PairActor ActorOf(Who w) {
  PairActor a;
  a.mentor_side = w == Who::kMentor;
  a.mentee_side = w == Who::kMentee;
  a.manager = w == Who::kManager;
  return a;
}

struct Cmd {
  const char* name;
  PairCommand command;
  Side side;
};

// The whole rule set as two tables: who may issue a command at all, and in which statuses.
// Every (command, caller, status) combination is checked against them.
const Cmd kCommands[] = {
    {"accept-as-mentor", PairCommand::kAccept, Side::kMentor},
    {"accept-as-mentee", PairCommand::kAccept, Side::kMentee},
    {"reject-as-mentor", PairCommand::kReject, Side::kMentor},
    {"reject-as-mentee", PairCommand::kReject, Side::kMentee},
    {"complete", PairCommand::kComplete, Side::kMentor},
    {"cancel", PairCommand::kCancel, Side::kMentor},
    {"edit-plan", PairCommand::kEditPlan, Side::kMentor},
    {"meeting", PairCommand::kRecordMeeting, Side::kMentor},
    {"feedback", PairCommand::kLeaveFeedback, Side::kMentor},
};

const std::map<std::string, std::set<Who>> kWho = {
    {"accept-as-mentor", {Who::kMentor}},
    {"accept-as-mentee", {Who::kMentee}},
    {"reject-as-mentor", {Who::kMentor}},
    {"reject-as-mentee", {Who::kMentee}},
    {"complete", {Who::kMentor, Who::kManager}},
    {"cancel", {Who::kMentor, Who::kMentee, Who::kManager}},
    {"edit-plan", {Who::kMentor, Who::kManager}},
    {"meeting", {Who::kMentor, Who::kMentee, Who::kManager}},
    {"feedback", {Who::kMentor, Who::kMentee}},
};

const std::map<std::string, std::set<PairStatus>> kWhen = {
    {"accept-as-mentor", {PairStatus::kProposed}},
    {"accept-as-mentee", {PairStatus::kProposed}},
    {"reject-as-mentor", {PairStatus::kProposed}},
    {"reject-as-mentee", {PairStatus::kProposed}},
    {"complete", {PairStatus::kActive}},
    {"cancel", {PairStatus::kProposed, PairStatus::kActive}},
    {"edit-plan", {PairStatus::kProposed, PairStatus::kActive}},
    {"meeting", {PairStatus::kActive}},
    {"feedback", {PairStatus::kActive, PairStatus::kCompleted}},
};

const std::map<std::string, PairStatus> kNext = {
    {"reject-as-mentor", PairStatus::kRejected}, {"reject-as-mentee", PairStatus::kRejected},
    {"complete", PairStatus::kCompleted},        {"cancel", PairStatus::kCancelled},
};

TEST(PairLifecycle, EveryCommandCallerAndStatusFollowsTheTables) {
  const PairStatus statuses[] = {PairStatus::kProposed, PairStatus::kActive, PairStatus::kRejected,
                                 PairStatus::kCompleted, PairStatus::kCancelled};
  int checked = 0;
  for (const Cmd& cmd : kCommands) {
    for (Who who : {Who::kMentor, Who::kMentee, Who::kManager, Who::kOutsider}) {
      for (PairStatus status : statuses) {
        PairState state{status, false, false};
        PairRequest req{cmd.command, cmd.side, "причина", Outcome::kAchieved};
        auto out = ApplyPairCommand(state, ActorOf(who), req);
        SCOPED_TRACE(std::string(cmd.name) + " by " + std::to_string(static_cast<int>(who)) + " in " +
                     PairStatusTitle(status));
        ++checked;
        if (!kWho.at(cmd.name).contains(who)) {
          EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
        } else if (!kWhen.at(cmd.name).contains(status)) {
          EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
        } else {
          ASSERT_TRUE(out.ok()) << out.status();
          auto next = kNext.find(cmd.name);
          EXPECT_EQ(out->next.status, next == kNext.end() ? status : next->second);
          EXPECT_EQ(out->closed, next != kNext.end());
          EXPECT_FALSE(out->activated);  // one acceptance alone never activates
        }
      }
    }
  }
  EXPECT_EQ(checked, 9 * 4 * 5);
}

TEST(PairLifecycle, BothAcceptancesActivateInEitherOrder) {
  for (Side first : {Side::kMentor, Side::kMentee}) {
    const Side second = first == Side::kMentor ? Side::kMentee : Side::kMentor;
    PairState s;
    auto a = ApplyPairCommand(s, ActorOf(first == Side::kMentor ? Who::kMentor : Who::kMentee),
                              {PairCommand::kAccept, first, "", Outcome::kUnspecified});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->next.status, PairStatus::kProposed);
    // The same side cannot accept twice.
    auto again = ApplyPairCommand(a->next, ActorOf(first == Side::kMentor ? Who::kMentor : Who::kMentee),
                                  {PairCommand::kAccept, first, "", Outcome::kUnspecified});
    EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
    auto b = ApplyPairCommand(a->next, ActorOf(second == Side::kMentor ? Who::kMentor : Who::kMentee),
                              {PairCommand::kAccept, second, "", Outcome::kUnspecified});
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->next.status, PairStatus::kActive);
    EXPECT_TRUE(b->activated);
    EXPECT_TRUE(b->next.mentor_accepted && b->next.mentee_accepted);
  }
}

TEST(PairLifecycle, ASideThatAcceptedCancelsInsteadOfRejecting) {
  PairState s{PairStatus::kProposed, true, false};
  auto r = ApplyPairCommand(s, ActorOf(Who::kMentor), {PairCommand::kReject, Side::kMentor, "передумал", Outcome::kUnspecified});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  // The other side may still reject.
  auto e = ApplyPairCommand(s, ActorOf(Who::kMentee), {PairCommand::kReject, Side::kMentee, "не подходит график", Outcome::kUnspecified});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->next.status, PairStatus::kRejected);
  auto c = ApplyPairCommand(s, ActorOf(Who::kMentor), {PairCommand::kCancel, Side::kMentor, "передумал", Outcome::kUnspecified});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->next.status, PairStatus::kCancelled);
}

// Who before what: someone who is neither side is refused for who they are, whatever side the
// request names (an invalid one would otherwise answer INVALID_ARGUMENT to them).
TEST(PairLifecycle, NeitherSideIsRefusedBeforeTheSideIsRead) {
  PairState s{PairStatus::kProposed, false, false};
  for (Who who : {Who::kManager, Who::kOutsider}) {
    for (PairCommand command : {PairCommand::kAccept, PairCommand::kReject}) {
      auto r = ApplyPairCommand(s, ActorOf(who), {command, static_cast<Side>(99), "причина", Outcome::kUnspecified});
      EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied) << static_cast<int>(command);
    }
  }
  // One of the sides naming no valid side is still told what is missing.
  auto r = ApplyPairCommand(s, ActorOf(Who::kMentor), {PairCommand::kAccept, static_cast<Side>(99), "", Outcome::kUnspecified});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PairLifecycle, ReasonsOutcomesAndSidesAreRequired) {
  const PairState proposed;
  const PairState active{PairStatus::kActive, true, true};
  EXPECT_EQ(ApplyPairCommand(proposed, ActorOf(Who::kMentee), {PairCommand::kReject, Side::kMentee, "  ", Outcome::kUnspecified})
                .status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPairCommand(active, ActorOf(Who::kManager), {PairCommand::kCancel, Side::kMentor, "", Outcome::kUnspecified})
                .status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPairCommand(active, ActorOf(Who::kMentor), {PairCommand::kComplete, Side::kMentor, "", Outcome::kUnspecified})
                .status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyPairCommand(proposed, ActorOf(Who::kMentor), {PairCommand::kAccept, static_cast<Side>(0), "", Outcome::kUnspecified})
                .status().code(),
            absl::StatusCode::kInvalidArgument);
  // A caller who is both a manager and the mentor may do what either may.
  PairActor both{true, false, true};
  EXPECT_TRUE(ApplyPairCommand(active, both, {PairCommand::kLeaveFeedback, Side::kMentor, "", Outcome::kUnspecified}).ok());
}

TEST(PairLifecycle, RequestFollowsItsPair) {
  EXPECT_EQ(RequestStatusForPair(PairStatus::kProposed), RequestStatus::kProposed);
  EXPECT_EQ(RequestStatusForPair(PairStatus::kActive), RequestStatus::kPaired);
  EXPECT_EQ(RequestStatusForPair(PairStatus::kCompleted), RequestStatus::kPaired);
  EXPECT_EQ(RequestStatusForPair(PairStatus::kRejected), RequestStatus::kOpen);
  EXPECT_EQ(RequestStatusForPair(PairStatus::kCancelled), RequestStatus::kOpen);
  EXPECT_TRUE(IsLive(PairStatus::kProposed));
  EXPECT_TRUE(IsLive(PairStatus::kActive));
  EXPECT_FALSE(IsLive(PairStatus::kCompleted));
  EXPECT_EQ(*FeedbackSide(ActorOf(Who::kMentee)), Side::kMentee);
  EXPECT_EQ(FeedbackSide(ActorOf(Who::kManager)).status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace nms::mentoring
