// Item rules: when items may be added, edited, deleted and carried out; status changes;
// completion; evidence; and the ДПП enrolment mini-workflow (every state × target, and who).
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "server/domain/route/items.h"

namespace nms::route {
namespace {

using access::Role;
const Status kStatuses[] = {Status::kDraft, Status::kAgreed, Status::kApproved, Status::kInProgress,
                            Status::kCompleted, Status::kCancelled};

TEST(RouteItems, CreateDeleteAndEditFollowTheRouteStatus) {
  for (Status s : kStatuses) {
    EXPECT_EQ(CheckItemCreate(s).ok(), s == Status::kDraft || s == Status::kInProgress) << StatusTitle(s);
    EXPECT_EQ(CheckItemDelete(s).ok(), s == Status::kDraft) << StatusTitle(s);
    EXPECT_EQ(CheckItemFieldEdit(s, ItemField::kContent, "title").ok(), s == Status::kDraft);
    for (ItemField f : {ItemField::kSchedule, ItemField::kCommunityStatus, ItemField::kMentoringPair}) {
      EXPECT_EQ(CheckItemFieldEdit(s, f, "deadline").ok(), s == Status::kDraft || s == Status::kInProgress);
    }
    if (s != Status::kDraft) EXPECT_EQ(CheckItemDelete(s).code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_NE(CheckItemDelete(Status::kInProgress).message().find("пропущенным"), std::string::npos);
  // A draft revised after a re-diagnosis keeps what was already carried out.
  EXPECT_TRUE(CheckItemDelete(Status::kDraft, ItemStatus::kPlanned).ok());
  for (ItemStatus st : {ItemStatus::kInProgress, ItemStatus::kDone, ItemStatus::kSkipped}) {
    EXPECT_EQ(CheckItemDelete(Status::kDraft, st).code(), absl::StatusCode::kFailedPrecondition);
  }
  EXPECT_NE(CheckItemCreate(Status::kAgreed).message().find("доработку"), std::string::npos);
}

TEST(RouteItems, StatusChangesOnlyWhileTheRouteRuns) {
  const ItemStatus all[] = {ItemStatus::kPlanned, ItemStatus::kInProgress, ItemStatus::kDone, ItemStatus::kSkipped};
  for (Status route : kStatuses) {
    for (ItemStatus from : all) {
      for (ItemStatus to : all) {
        auto st = CheckItemStatusChange(route, from, to, "уважительная причина");
        bool expect = route == Status::kInProgress && (from != to || to == ItemStatus::kSkipped);
        EXPECT_EQ(st.ok(), expect) << StatusTitle(route) << " " << static_cast<int>(from) << "->"
                                   << static_cast<int>(to) << ": " << st;
      }
    }
  }
  EXPECT_EQ(CheckItemStatusChange(Status::kInProgress, ItemStatus::kPlanned, ItemStatus::kSkipped, " ").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckItemStatusChange(Status::kInProgress, ItemStatus::kPlanned, static_cast<ItemStatus>(0), "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckItemStatusChange(Status::kInProgress, ItemStatus::kPlanned, static_cast<ItemStatus>(9), "").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RouteItems, CompletionNeedsEveryItemClosed) {
  EXPECT_EQ(CheckCompletable({}).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckCompletable({{ItemStatus::kDone, ""}, {ItemStatus::kSkipped, "болезнь"}}).ok());
  auto open = CheckCompletable({{ItemStatus::kDone, ""}, {ItemStatus::kInProgress, ""}, {ItemStatus::kSkipped, " "}});
  EXPECT_EQ(open.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(open.message().find("2"), std::string::npos);
  EXPECT_EQ(CheckCompletable({{ItemStatus::kPlanned, ""}}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RouteItems, EvidenceNeedsTheFieldOfItsKind) {
  Evidence cert{EvidenceKind::kCertificate, "772400012345", "", "", "удостоверение о ПК"};
  EXPECT_TRUE(ValidateEvidence(cert).ok());
  cert.certificate_number = " ";
  EXPECT_NE(ValidateEvidence(cert).message().find("certificate_number"), std::string::npos);
  Evidence link{EvidenceKind::kLink, "", "https://edu.example.ru/lesson/5", "", ""};
  EXPECT_TRUE(ValidateEvidence(link).ok());
  for (const char* bad : {"javascript:alert(1)", "ftp://x.ru/a", "https://x.ru/a b", "https://"}) {
    link.url = bad;
    EXPECT_NE(ValidateEvidence(link).message().find("evidence.url"), std::string::npos) << bad;
  }
  EXPECT_TRUE(ValidateEvidence({EvidenceKind::kFile, "", "", "files/abc.pdf", ""}).ok());
  EXPECT_FALSE(ValidateEvidence({EvidenceKind::kFile, "", "", "", "описание"}).ok());
  EXPECT_TRUE(ValidateEvidence({EvidenceKind::kOther, "", "", "", "выступление на МО"}).ok());
  EXPECT_FALSE(ValidateEvidence({EvidenceKind::kOther, "", "", "", ""}).ok());
  EXPECT_FALSE(ValidateEvidence({static_cast<EvidenceKind>(0), "1", "", "", ""}).ok());
  EXPECT_FALSE(ValidateEvidence({EvidenceKind::kOther, "", "", "", std::string("\xff\xfe", 2)}).ok());
  EXPECT_FALSE(ValidateEvidence({EvidenceKind::kOther, "", "", "", std::string(2001, 'a')}).ok());
  EXPECT_FALSE(ValidateEvidence({EvidenceKind::kCertificate, "12\n34", "", "", ""}).ok());
}

TEST(RouteItems, ReflectionIsNonEmptyBoundedUtf8) {
  EXPECT_TRUE(ValidateReflection("Освоила приёмы формирующего оценивания.").ok());
  EXPECT_FALSE(ValidateReflection("  ").ok());
  EXPECT_FALSE(ValidateReflection(std::string(20001, 'a')).ok());
  EXPECT_FALSE(ValidateReflection("\xc3\x28").ok());
}

TEST(RouteEnrolment, EveryStateAndTarget) {
  const Enrolment all[] = {Enrolment::kNone, Enrolment::kApplied, Enrolment::kApproved, Enrolment::kEnrolled,
                           Enrolment::kWithdrawn, Enrolment::kRejected};
  auto allowed = [](Enrolment from, Enrolment to) {
    switch (to) {
      case Enrolment::kApplied:
        return from == Enrolment::kNone || from == Enrolment::kWithdrawn || from == Enrolment::kRejected;
      case Enrolment::kApproved:
      case Enrolment::kRejected: return from == Enrolment::kApplied;
      case Enrolment::kEnrolled: return from == Enrolment::kApproved;
      case Enrolment::kWithdrawn: return from == Enrolment::kApplied || from == Enrolment::kApproved;
      default: return false;
    }
  };
  for (Enrolment from : all) {
    for (Enrolment to : all) {
      auto next = NextEnrolment(from, to, "нет мест в группе");
      if (to == Enrolment::kNone) {
        EXPECT_EQ(next.status().code(), absl::StatusCode::kInvalidArgument);
      } else if (allowed(from, to)) {
        ASSERT_TRUE(next.ok()) << static_cast<int>(from) << "->" << static_cast<int>(to);
        EXPECT_EQ(*next, to);
      } else {
        EXPECT_EQ(next.status().code(), absl::StatusCode::kFailedPrecondition)
            << static_cast<int>(from) << "->" << static_cast<int>(to);
      }
    }
  }
  EXPECT_EQ(NextEnrolment(Enrolment::kApplied, Enrolment::kRejected, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_NE(NextEnrolment(Enrolment::kEnrolled, Enrolment::kWithdrawn, "").status().message().find("до зачисления"),
            std::string::npos);
}

TEST(RouteEnrolment, WhoMayMoveIt) {
  const Role roles[] = {Role::kTeacher, Role::kSchoolAdmin, Role::kMunicipalMethodist, Role::kRegionalMethodist,
                        Role::kRegionalAdmin, Role::kFederalSync};
  for (Role r : roles) {
    for (bool own : {false, true}) {
      Actor a{r, own};
      EXPECT_EQ(EnrolmentRoleMay(a, Enrolment::kApplied), own);
      EXPECT_EQ(EnrolmentRoleMay(a, Enrolment::kWithdrawn), own);
      EXPECT_EQ(EnrolmentRoleMay(a, Enrolment::kApproved), r == Role::kSchoolAdmin && !own);
      EXPECT_EQ(EnrolmentRoleMay(a, Enrolment::kRejected), r == Role::kSchoolAdmin && !own);
      EXPECT_EQ(EnrolmentRoleMay(a, Enrolment::kEnrolled),
                r == Role::kSchoolAdmin || r == Role::kMunicipalMethodist || r == Role::kRegionalMethodist ||
                    r == Role::kRegionalAdmin);
      EXPECT_FALSE(EnrolmentRoleMay(a, Enrolment::kNone));
    }
  }
}

TEST(RouteEnrolment, OnlyOpenSection11ItemsOfSignedRoutes) {
  for (Status s : kStatuses) {
    bool expect = s == Status::kAgreed || s == Status::kApproved || s == Status::kInProgress;
    EXPECT_EQ(CheckEnrolmentContext(s, Section::kFurtherTraining, ItemStatus::kPlanned).ok(), expect);
  }
  EXPECT_FALSE(CheckEnrolmentContext(Status::kInProgress, Section::kEvents, ItemStatus::kPlanned).ok());
  EXPECT_FALSE(CheckEnrolmentContext(Status::kInProgress, Section::kFurtherTraining, ItemStatus::kDone).ok());
  EXPECT_FALSE(CheckEnrolmentContext(Status::kInProgress, Section::kFurtherTraining, ItemStatus::kSkipped).ok());
  EXPECT_EQ(ItemStatusAfterEnrolment(Status::kInProgress, ItemStatus::kPlanned), ItemStatus::kInProgress);
  EXPECT_EQ(ItemStatusAfterEnrolment(Status::kApproved, ItemStatus::kPlanned), ItemStatus::kPlanned);
  EXPECT_EQ(ItemStatusOnRouteStart(Enrolment::kEnrolled, ItemStatus::kPlanned), ItemStatus::kInProgress);
  EXPECT_EQ(ItemStatusOnRouteStart(Enrolment::kApproved, ItemStatus::kPlanned), ItemStatus::kPlanned);
  EXPECT_EQ(ItemStatusOnRouteStart(Enrolment::kEnrolled, ItemStatus::kDone), ItemStatus::kDone);
}

TEST(RouteTemplateDetails, BelongToTheirSections) {
  TemplateDetails talk;
  talk.experience_topic = "Формирующее оценивание";
  talk.experience_event = "РМО учителей математики";
  EXPECT_TRUE(NormalizeTemplateDetails(Section::kExperiencePresentation, nullptr, talk).ok());
  auto wrong = NormalizeTemplateDetails(Section::kFurtherTraining, nullptr, talk);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.message().find("item.experience_topic"), std::string::npos);
  EXPECT_NE(wrong.message().find("2.1"), std::string::npos);

  TemplateDetails product;
  product.product_placement = "сайт школы";
  EXPECT_TRUE(NormalizeTemplateDetails(Section::kMethodologicalMaterials, nullptr, product).ok());
  auto p = NormalizeTemplateDetails(Section::kExperiencePresentation, nullptr, product);
  EXPECT_NE(p.message().find("item.product_placement"), std::string::npos);

  TemplateDetails long_topic;
  long_topic.experience_topic = std::string(1001, 'a');
  EXPECT_EQ(NormalizeTemplateDetails(Section::kExperiencePresentation, nullptr, long_topic).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RouteTemplateDetails, Section3SubRowAndMenteePosition) {
  TemplateDetails none;
  ASSERT_TRUE(NormalizeTemplateDetails(Section::kMentoring, nullptr, none).ok());
  EXPECT_EQ(none.mentoring_role, MentoringRole::kWithMentor);  // a custom row is «с наставником»
  TemplateDetails from_activity;
  const ActivityKind as_mentor = ActivityKind::kMentoringAsMentor;
  ASSERT_TRUE(NormalizeTemplateDetails(Section::kMentoring, &as_mentor, from_activity).ok());
  EXPECT_EQ(from_activity.mentoring_role, MentoringRole::kAsMentor);
  // The sub-row must agree with the catalogue activity.
  TemplateDetails clash;
  clash.mentoring_role = MentoringRole::kWithMentor;
  EXPECT_EQ(NormalizeTemplateDetails(Section::kMentoring, &as_mentor, clash).code(), absl::StatusCode::kInvalidArgument);
  // The mentee's position only for «в качестве наставника».
  TemplateDetails mentee;
  mentee.mentee_position = "учитель начальных классов";
  auto m = NormalizeTemplateDetails(Section::kMentoring, nullptr, mentee);
  EXPECT_EQ(m.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(m.message().find("item.mentee_position"), std::string::npos);
  mentee.mentoring_role = MentoringRole::kAsMentor;
  EXPECT_TRUE(NormalizeTemplateDetails(Section::kMentoring, nullptr, mentee).ok());
  EXPECT_FALSE(NormalizeTemplateDetails(Section::kEvents, nullptr, mentee).ok());
  TemplateDetails bogus;
  bogus.mentoring_role = static_cast<MentoringRole>(7);
  EXPECT_EQ(NormalizeTemplateDetails(Section::kMentoring, nullptr, bogus).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RouteTemplateDetails, MovingAnItemDropsTheOldSectionsDetails) {
  TemplateDetails d;
  d.experience_topic = "тема";
  d.experience_event = "семинар";
  d.mentoring_role = MentoringRole::kAsMentor;
  DropOtherSectionsDetails(Section::kMethodologicalMaterials, {"experience_event"}, d);
  EXPECT_EQ(d.experience_topic, "");
  EXPECT_EQ(d.experience_event, "семинар");  // named by the request: judged, not dropped
  EXPECT_EQ(d.mentoring_role, MentoringRole::kNone);
  EXPECT_FALSE(NormalizeTemplateDetails(Section::kMethodologicalMaterials, nullptr, d).ok());
}

}  // namespace
}  // namespace nms::route
