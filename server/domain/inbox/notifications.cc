#include "server/domain/inbox/notifications.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/domain/common/dates.h"

namespace nms::inbox {
namespace {

// " Комментарий: «…»." when there is one.
std::string Said(absl::string_view label, absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t.empty()) return "";
  return absl::StrCat(" ", label, ": «", t, "».");
}

std::string By(absl::string_view name) { return name.empty() ? "" : absl::StrCat(" (", name, ")"); }

}  // namespace

NotificationText CampaignReminder(absl::string_view sender_name, absl::string_view campaign_title, bool started,
                                  std::optional<absl::CivilDay> close_day, absl::string_view message) {
  NotificationText t{NotificationKind::kCampaignReminder, "Напоминание о диагностике", ""};
  t.body = absl::StrCat(started ? "Завершите диагностику «" : "Пройдите диагностику «", campaign_title, "»",
                        close_day ? absl::StrCat(" до ", FormatDayRu(*close_day)) : "", ".",
                        sender_name.empty() ? "" : absl::StrCat(" Напоминает: ", sender_name, "."),
                        Said("Сообщение", message));
  return t;
}

NotificationText RouteSigned(absl::string_view signer_name, bool approved) {
  if (approved) {
    return {NotificationKind::kRouteSigned, "ИОМ утверждён",
            absl::StrCat("Ваш индивидуальный образовательный маршрут утверждён", By(signer_name),
                         ". Можно приступать к выполнению.")};
  }
  return {NotificationKind::kRouteSigned, "ИОМ согласован образовательной организацией",
          absl::StrCat("Ваш индивидуальный образовательный маршрут подписан представителем образовательной организации",
                       By(signer_name), ".")};
}

NotificationText RouteReturned(absl::string_view actor_name, absl::string_view comment) {
  return {NotificationKind::kRouteReturned, "ИОМ возвращён на доработку",
          absl::StrCat("Ваш индивидуальный образовательный маршрут возвращён на доработку", By(actor_name), ".",
                       Said("Причина", comment))};
}

NotificationText EnrolmentDecided(absl::string_view item_title, absl::string_view actor_name, bool approved,
                                  absl::string_view comment) {
  if (approved) {
    return {NotificationKind::kEnrolmentApproved, "Заявка на обучение одобрена",
            absl::StrCat("Заявка на программу «", item_title, "» одобрена", By(actor_name), ".",
                         Said("Комментарий", comment))};
  }
  return {NotificationKind::kEnrolmentRejected, "Заявка на обучение отклонена",
          absl::StrCat("Заявка на программу «", item_title, "» отклонена", By(actor_name), ".",
                       Said("Причина", comment))};
}

NotificationText RetakeGranted(absl::string_view campaign_title, absl::string_view actor_name,
                               absl::string_view comment) {
  return {NotificationKind::kRetakeGranted, "Разрешена повторная попытка",
          absl::StrCat("Вам разрешено пройти диагностику «", campaign_title, "» ещё раз", By(actor_name), ".",
                       Said("Комментарий", comment))};
}

NotificationText MeetingPlanned(absl::string_view topic, absl::CivilDay day, absl::string_view other_side_name) {
  return {NotificationKind::kMeetingPlanned, "Запланирована встреча наставничества",
          absl::StrCat("Встреча «", topic, "» — ", FormatDayRu(day),
                       other_side_name.empty() ? "" : absl::StrCat(". Участник пары: ", other_side_name), ".")};
}

NotificationText ExpertScoreRecorded(absl::string_view campaign_title, int scored_now, int waiting) {
  NotificationText t{NotificationKind::kExpertScoreRecorded, "", ""};
  std::string works = scored_now == 1 ? "вашу работу" : "ваши работы";
  if (waiting == 0) {
    t.title = "Результат диагностики окончательный";
    t.body = absl::StrCat("Эксперт оценил ", works, " в диагностике «", campaign_title,
                          "». Результат окончательный — откройте его, чтобы увидеть дефициты и баллы.");
  } else {
    t.title = "Эксперт оценил работу";
    t.body = absl::StrCat("Эксперт оценил ", works, " в диагностике «", campaign_title,
                          "». Результат пока предварительный: ждут оценки ещё ", waiting, " ",
                          waiting % 10 == 1 && waiting % 100 != 11 ? "работа"
                          : (waiting % 10 >= 2 && waiting % 10 <= 4 && (waiting % 100 < 12 || waiting % 100 > 14))
                              ? "работы"
                              : "работ",
                          ".");
  }
  return t;
}

}  // namespace nms::inbox
