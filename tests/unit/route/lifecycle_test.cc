// The ИОМ state machine, checked exhaustively against a table written from the regulations:
// every (status × transition × role × own route × region settings) combination is either in
// the table of allowed moves (and must succeed with the listed next status) or must be refused
// with the right code. The table is the specification; Apply is the implementation.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {
namespace {

using access::Role;

const Role kRoles[] = {Role::kTeacher, Role::kSchoolAdmin, Role::kMunicipalMethodist, Role::kRegionalMethodist,
                       Role::kRegionalAdmin, Role::kFederalSync};
const Status kStatuses[] = {Status::kDraft, Status::kAgreed, Status::kApproved, Status::kInProgress,
                            Status::kCompleted, Status::kCancelled};

// A command as the API asks for it: signing as teacher / school, or one of the other methods.
enum class Ask { kSignTeacher, kSignSchool, kApprove, kStart, kComplete, kCancel, kReturn };
const Ask kAsks[] = {Ask::kSignTeacher, Ask::kSignSchool, Ask::kApprove, Ask::kStart,
                     Ask::kComplete,    Ask::kCancel,     Ask::kReturn};

Command ToCommand(Ask a) {
  Command c;
  c.comment = "причина";
  switch (a) {
    case Ask::kSignTeacher: c.transition = Transition::kSign; c.signature = SignatureKind::kTeacher; break;
    case Ask::kSignSchool: c.transition = Transition::kSign; c.signature = SignatureKind::kSchoolRepresentative; break;
    case Ask::kApprove: c.transition = Transition::kApprove; break;
    case Ask::kStart: c.transition = Transition::kStart; break;
    case Ask::kComplete: c.transition = Transition::kComplete; break;
    case Ask::kCancel: c.transition = Transition::kCancel; break;
    case Ask::kReturn: c.transition = Transition::kReturnForRevision; break;
  }
  return c;
}

// Who may ask (the role rule, independent of status). `own` = the caller is the route's teacher.
bool RoleRule(Ask a, Role r, bool own) {
  switch (a) {
    case Ask::kSignTeacher: return own;
    case Ask::kSignSchool: return r == Role::kSchoolAdmin && !own;
    case Ask::kApprove: return (r == Role::kRegionalMethodist || r == Role::kRegionalAdmin) && !own;
    case Ask::kStart:
    case Ask::kComplete: return own || r == Role::kRegionalMethodist || r == Role::kMunicipalMethodist;
    case Ask::kCancel:
      return r == Role::kRegionalMethodist || r == Role::kMunicipalMethodist || r == Role::kRegionalAdmin;
    case Ask::kReturn:
      return r == Role::kSchoolAdmin || r == Role::kRegionalMethodist || r == Role::kMunicipalMethodist ||
             r == Role::kRegionalAdmin;
  }
  return false;
}

// Allowed moves: (ask, from, teacher signed, school signed, approval required) → to.
// Signing needs both signatures by default; the second one agrees the route.
struct Move {
  Ask ask;
  Status from;
  bool t_signed, s_signed;
  bool approval_required;
  Status to;
};
std::vector<Move> AllowedMoves() {
  std::vector<Move> m;
  for (bool appr : {true, false}) {
    m.push_back({Ask::kSignTeacher, Status::kDraft, false, false, appr, Status::kDraft});
    m.push_back({Ask::kSignTeacher, Status::kDraft, false, true, appr, Status::kAgreed});
    m.push_back({Ask::kSignSchool, Status::kDraft, false, false, appr, Status::kDraft});
    m.push_back({Ask::kSignSchool, Status::kDraft, true, false, appr, Status::kAgreed});
    if (appr) {
      m.push_back({Ask::kStart, Status::kApproved, false, false, appr, Status::kInProgress});
    } else {
      m.push_back({Ask::kStart, Status::kAgreed, false, false, appr, Status::kInProgress});
      m.push_back({Ask::kStart, Status::kApproved, false, false, appr, Status::kInProgress});
    }
    m.push_back({Ask::kComplete, Status::kInProgress, false, false, appr, Status::kCompleted});
    for (Status s : {Status::kDraft, Status::kAgreed, Status::kApproved, Status::kInProgress}) {
      m.push_back({Ask::kCancel, s, false, false, appr, Status::kCancelled});
    }
    m.push_back({Ask::kReturn, Status::kAgreed, false, false, appr, Status::kDraft});
    m.push_back({Ask::kReturn, Status::kApproved, false, false, appr, Status::kDraft});
  }
  m.push_back({Ask::kApprove, Status::kAgreed, false, false, true, Status::kApproved});
  return m;
}

TEST(RouteLifecycle, EveryCombinationFollowsTheTable) {
  auto moves = AllowedMoves();
  int allowed = 0, refused = 0;
  for (Ask ask : kAsks) {
    for (Status from : kStatuses) {
      for (bool t_signed : {false, true}) {
        for (bool s_signed : {false, true}) {
          for (bool appr : {true, false}) {
            for (Role role : kRoles) {
              for (bool own : {false, true}) {
                const Move* move = nullptr;
                for (const auto& mv : moves) {
                  bool signs_matter = mv.ask == Ask::kSignTeacher || mv.ask == Ask::kSignSchool;
                  if (mv.ask == ask && mv.from == from && mv.approval_required == appr &&
                      (!signs_matter || (mv.t_signed == t_signed && mv.s_signed == s_signed))) {
                    move = &mv;
                  }
                }
                RouteState state{from, t_signed, s_signed};
                LifecycleSettings settings{true, true, appr};
                auto out = Apply(state, settings, Actor{role, own}, ToCommand(ask));
                std::string where = absl::StrCat("ask ", static_cast<int>(ask), " from ", StatusTitle(from), " t", t_signed,
                                                 " s", s_signed, " appr", appr, " role ", access::RoleName(role), " own",
                                                 own);
                bool role_ok = RoleRule(ask, role, own);
                if (move != nullptr && role_ok) {
                  ++allowed;
                  ASSERT_TRUE(out.ok()) << where << ": " << out.status();
                  EXPECT_EQ(out->next.status, move->to) << where;
                } else {
                  ++refused;
                  ASSERT_FALSE(out.ok()) << where;
                  EXPECT_EQ(out.status().code(), role_ok ? absl::StatusCode::kFailedPrecondition
                                                         : absl::StatusCode::kPermissionDenied)
                      << where << ": " << out.status();
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(allowed, 100);
  EXPECT_GT(refused, 1000);
}

TEST(RouteLifecycle, SigningRecordsAgreeOnlyWithTheLastSignature) {
  LifecycleSettings both;
  auto first = Apply({Status::kDraft, false, false}, both, {Role::kTeacher, true}, ToCommand(Ask::kSignTeacher));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->recorded, Transition::kSign);
  EXPECT_TRUE(first->next.teacher_signed);
  auto second = Apply(first->next, both, {Role::kSchoolAdmin, false}, ToCommand(Ask::kSignSchool));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->recorded, Transition::kAgree);
  EXPECT_EQ(second->next.status, Status::kAgreed);
}

TEST(RouteLifecycle, RegionWithoutSchoolSignatureAgreesOnTheTeachersSignature) {
  LifecycleSettings teacher_only{true, false, false};
  auto out = Apply({Status::kDraft, false, false}, teacher_only, {Role::kTeacher, true}, ToCommand(Ask::kSignTeacher));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->next.status, Status::kAgreed);
  EXPECT_EQ(out->recorded, Transition::kAgree);
}

TEST(RouteLifecycle, SigningTwiceInOneCapacityIsRefused) {
  auto out = Apply({Status::kDraft, true, false}, {}, {Role::kTeacher, true}, ToCommand(Ask::kSignTeacher));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RouteLifecycle, CancelAndReturnNeedAReason) {
  for (Ask a : {Ask::kCancel, Ask::kReturn}) {
    Command c = ToCommand(a);
    c.comment = "   ";
    auto out = Apply({Status::kAgreed, true, true}, {}, {Role::kRegionalMethodist, false}, c);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(RouteLifecycle, ReturnForRevisionClearsSignatures) {
  auto out = Apply({Status::kApproved, true, true}, {}, {Role::kSchoolAdmin, false}, ToCommand(Ask::kReturn));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->next.status, Status::kDraft);
  EXPECT_FALSE(out->next.teacher_signed);
  EXPECT_FALSE(out->next.school_signed);
}

TEST(RouteLifecycle, CompleteCarriesTheItemsVerdict) {
  Command c = ToCommand(Ask::kComplete);
  c.completable = absl::FailedPreconditionError("не закрыто пунктов — 2");
  auto out = Apply({Status::kInProgress, true, true}, {}, {Role::kTeacher, true}, c);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(out.status().message(), "не закрыто пунктов — 2");
}

TEST(RouteLifecycle, ApproverSignatureAndCreateAreNotCommands) {
  Command sign = ToCommand(Ask::kSignTeacher);
  sign.signature = SignatureKind::kApprover;
  EXPECT_EQ(Apply({}, {}, {Role::kRegionalMethodist, false}, sign).status().code(), absl::StatusCode::kInvalidArgument);
  Command create;
  create.transition = Transition::kCreate;
  EXPECT_EQ(Apply({}, {}, {Role::kRegionalMethodist, false}, create).status().code(), absl::StatusCode::kInvalidArgument);
  Command bogus;
  bogus.transition = static_cast<Transition>(42);
  EXPECT_EQ(Apply({}, {}, {Role::kRegionalMethodist, false}, bogus).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RouteLifecycle, ApplyAsAnyPicksTheGrantThatMayAct) {
  // A head of school who is also the route's teacher: signs as teacher, never as the school.
  std::vector<Actor> actors = {{Role::kSchoolAdmin, true}};
  Actor chosen;
  auto t = ApplyAsAny({Status::kDraft, false, false}, {}, actors, ToCommand(Ask::kSignTeacher), &chosen);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(chosen.role, Role::kSchoolAdmin);
  auto s = ApplyAsAny({Status::kDraft, true, false}, {}, actors, ToCommand(Ask::kSignSchool), &chosen);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kPermissionDenied);
  // A status refusal of an allowed role wins over a role refusal of another grant.
  std::vector<Actor> two = {{Role::kTeacher, false}, {Role::kRegionalMethodist, false}};
  auto a = ApplyAsAny({Status::kDraft, false, false}, {}, two, ToCommand(Ask::kApprove), &chosen);
  EXPECT_EQ(a.status().code(), absl::StatusCode::kFailedPrecondition);
  auto none = ApplyAsAny({Status::kAgreed, false, false}, {}, {}, ToCommand(Ask::kApprove), &chosen);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(RouteLifecycle, OpenStatusesAndEditability) {
  std::set<Status> open;
  for (Status s : kStatuses) {
    if (IsOpen(s)) open.insert(s);
    EXPECT_EQ(ContentEditable(s), s == Status::kDraft);
  }
  EXPECT_EQ(open, (std::set<Status>{Status::kDraft, Status::kAgreed, Status::kApproved, Status::kInProgress}));
}

}  // namespace
}  // namespace nms::route
