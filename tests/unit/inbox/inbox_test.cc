// The inbox's pure rules: who sees which kind, list query validation and paging, the pair
// meeting gap, case-folded search, and the Russian texts of notifications.
#include "server/domain/inbox/inbox.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "server/domain/inbox/notifications.h"

namespace nms::inbox {
namespace {

using access::Grant;
using access::Principal;
using access::Role;
using access::ScopeKind;

Principal With(std::vector<Grant> grants) {
  Principal p;
  p.person_id = 7;
  p.grants = std::move(grants);
  return p;
}

TEST(InboxKinds, EachRoleSeesOnlyWorkItMayDo) {
  Principal school = With({{Role::kSchoolAdmin, ScopeKind::kOrganization, 4, 1}});
  EXPECT_NE(GrantFor(school, Kind::kRouteToAgree), nullptr);
  EXPECT_EQ(GrantFor(school, Kind::kRouteToApprove), nullptr);
  EXPECT_EQ(GrantFor(school, Kind::kMatchingProposal), nullptr);
  EXPECT_NE(GrantFor(school, Kind::kCampaignNotDone), nullptr);
  EXPECT_EQ(GrantFor(school, Kind::kItemRemark), nullptr);

  Principal regional = With({{Role::kRegionalMethodist, ScopeKind::kRegion, 1, 1}});
  EXPECT_EQ(GrantFor(regional, Kind::kRouteToAgree), nullptr);
  EXPECT_NE(GrantFor(regional, Kind::kRouteToApprove), nullptr);
  EXPECT_NE(GrantFor(regional, Kind::kItemRemark), nullptr);
  // Expert works are scored by those who run campaigns, not by the school.
  EXPECT_NE(GrantFor(regional, Kind::kExpertWork), nullptr);
  EXPECT_EQ(GrantFor(school, Kind::kExpertWork), nullptr);
  EXPECT_NE(GrantFor(With({{Role::kMunicipalMethodist, ScopeKind::kMunicipality, 2, 1}}), Kind::kExpertWork), nullptr);

  // Teachers read routes but act on none of the inbox's kinds in the web client.
  Principal teacher = With({{Role::kTeacher, ScopeKind::kOrganization, 4, 1}});
  for (Kind k : AllKinds()) EXPECT_EQ(GrantFor(teacher, k), nullptr) << static_cast<int>(k);
  Principal sync = With({{Role::kFederalSync, ScopeKind::kRegion, 1, 1}});
  for (Kind k : AllKinds()) EXPECT_EQ(GrantFor(sync, k), nullptr) << static_cast<int>(k);
}

TEST(InboxKinds, WidestGrantWins) {
  Principal both = With({{Role::kSchoolAdmin, ScopeKind::kOrganization, 4, 1},
                         {Role::kMunicipalMethodist, ScopeKind::kMunicipality, 2, 1}});
  const Grant* g = GrantFor(both, Kind::kCampaignNotDone);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->scope_kind, ScopeKind::kMunicipality);
  // Only the school head decides applications; a methodist confirms approved ones.
  EXPECT_EQ(EnrolmentStatesFor(Role::kSchoolAdmin), (std::vector<int>{1, 2}));
  EXPECT_EQ(EnrolmentStatesFor(Role::kMunicipalMethodist), (std::vector<int>{2}));
}

TEST(InboxQuery, ValidatesKindSortSizeAndText) {
  EXPECT_EQ(ParseQuery(0, "", 0, 0, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery(11, "", 0, 0, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseQuery(10, "", 0, 0, "").ok());
  EXPECT_EQ(ParseQuery(1, "", 9, 0, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery(1, "", 0, -1, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery(1, std::string(201, 'a'), 0, 0, "").status().code(), absl::StatusCode::kInvalidArgument);
  auto q = ParseQuery(2, "  Иванова ", 3, 1000, "");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->text, "Иванова");
  EXPECT_EQ(q->page_size, 200);
  EXPECT_EQ(q->sort, Sort::kName);
  // 200 Cyrillic letters are 400 bytes but still within the limit.
  std::string long_ru;
  for (int i = 0; i < 200; ++i) long_ru += "я";
  EXPECT_TRUE(ParseQuery(1, long_ru, 0, 0, "").ok());
}

TEST(InboxQuery, PageTokensBelongToTheirQuery) {
  auto q = ParseQuery(3, "луч", 1, 20, "");
  ASSERT_TRUE(q.ok());
  std::string token = NextPageToken(*q, 20, 45);
  ASSERT_FALSE(token.empty());
  auto next = ParseQuery(3, "луч", 1, 20, token);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->offset, 20);
  EXPECT_EQ(NextPageToken(*q, 45, 45), "");
  // Another search, kind or order: refused, not silently mixed.
  EXPECT_EQ(ParseQuery(3, "лес", 1, 20, token).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery(4, "луч", 1, 20, token).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery(3, "луч", 2, 20, token).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseQuery(3, "луч", 1, 20, "!!").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(InboxPairs, WeeksAndCutoff) {
  absl::CivilDay today(2026, 12, 7);
  EXPECT_EQ(WeeksSince(absl::CivilDay(2026, 11, 9), today), 4);
  EXPECT_EQ(WeeksSince(absl::CivilDay(2026, 11, 10), today), 3);
  EXPECT_EQ(WeeksSince(absl::CivilDay(2026, 12, 20), today), 0);
  EXPECT_EQ(MeetingCutoff(today, 4), absl::CivilDay(2026, 11, 9));
  EXPECT_TRUE(CheckMeetingGapWeeks(4, "x").ok());
  EXPECT_FALSE(CheckMeetingGapWeeks(0, "x").ok());
  EXPECT_FALSE(CheckMeetingGapWeeks(27, "x").ok());
}

TEST(InboxSearch, FoldsRussianCase) {
  EXPECT_TRUE(ContainsFolded("Иванова Мария Петровна", "мария"));
  EXPECT_TRUE(ContainsFolded("школа № 5 ЛУЧ", "луч"));
  EXPECT_TRUE(ContainsFolded("Ёлкина", "ёлк"));
  EXPECT_TRUE(ContainsFolded("ЯРОСЛАВ", "ярослав"));
  EXPECT_FALSE(ContainsFolded("Петров", "иван"));
  EXPECT_TRUE(ContainsFolded("всё", ""));
}

TEST(InboxRecipients, Bounds) {
  EXPECT_FALSE(CheckRecipients(0).ok());
  EXPECT_TRUE(CheckRecipients(200).ok());
  EXPECT_FALSE(CheckRecipients(201).ok());
}

TEST(Reminders, OnePerTeacherCampaignAndDay) {
  EXPECT_EQ(ReminderKey(3, absl::CivilDay(2026, 12, 7)), "remind:campaigns/3:2026-12-07");
}

TEST(NotificationTexts, ExpertScoreSaysWhetherTheResultIsFinal) {
  auto last = ExpertScoreRecorded("Диагностика 2026", 1, 0);
  EXPECT_EQ(last.kind, NotificationKind::kExpertScoreRecorded);
  EXPECT_EQ(last.title, "Результат диагностики окончательный");
  EXPECT_TRUE(absl::StrContains(last.body, "Эксперт оценил вашу работу в диагностике «Диагностика 2026»"));
  auto more = ExpertScoreRecorded("Д", 2, 1);
  EXPECT_EQ(more.title, "Эксперт оценил работу");
  EXPECT_TRUE(absl::StrContains(more.body, "ваши работы"));
  EXPECT_TRUE(absl::StrContains(more.body, "ждут оценки ещё 1 работа."));
  EXPECT_TRUE(absl::StrContains(ExpertScoreRecorded("Д", 1, 3).body, "ещё 3 работы."));
  EXPECT_TRUE(absl::StrContains(ExpertScoreRecorded("Д", 1, 11).body, "ещё 11 работ."));
}

TEST(NotificationTexts, NamesAndTitlesNeverIds) {
  auto r = CampaignReminder("Смирнова Анна Ивановна", "Диагностика 2026", false, absl::CivilDay(2026, 12, 20),
                            "Пожалуйста, до пятницы");
  EXPECT_EQ(r.kind, NotificationKind::kCampaignReminder);
  EXPECT_EQ(r.body,
            "Пройдите диагностику «Диагностика 2026» до 20.12.2026. Напоминает: Смирнова Анна Ивановна. "
            "Сообщение: «Пожалуйста, до пятницы».");
  EXPECT_TRUE(absl::StartsWith(CampaignReminder("", "Д", true, std::nullopt, "").body, "Завершите диагностику «Д»."));

  EXPECT_EQ(RouteSigned("Петров П. П.", true).title, "ИОМ утверждён");
  EXPECT_EQ(RouteSigned("", false).title, "ИОМ согласован образовательной организацией");
  auto back = RouteReturned("Петров Пётр", "  добавьте стажировку ");
  EXPECT_EQ(back.kind, NotificationKind::kRouteReturned);
  EXPECT_TRUE(absl::StrContains(back.body, "(Петров Пётр)"));
  EXPECT_TRUE(absl::StrContains(back.body, "Причина: «добавьте стажировку»."));

  EXPECT_EQ(EnrolmentDecided("ДПП «Цифровая школа»", "Директор", true, "").kind, NotificationKind::kEnrolmentApproved);
  auto no = EnrolmentDecided("Курс", "Директор", false, "нет мест");
  EXPECT_EQ(no.kind, NotificationKind::kEnrolmentRejected);
  EXPECT_EQ(no.body, "Заявка на программу «Курс» отклонена (Директор). Причина: «нет мест».");
  EXPECT_EQ(RetakeGranted("Д-2026", "", "").body, "Вам разрешено пройти диагностику «Д-2026» ещё раз.");
  EXPECT_EQ(MeetingPlanned("План на четверть", absl::CivilDay(2026, 12, 10), "Орлова Ольга").body,
            "Встреча «План на четверть» — 10.12.2026. Участник пары: Орлова Ольга.");
}

}  // namespace
}  // namespace nms::inbox
