#include "server/domain/events/rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/text.h"
#include "server/domain/practices/rules.h"

namespace nms::events {

const char* StatusTitle(Status s) {
  switch (s) {
    case Status::kDraft: return "черновик";
    case Status::kPublished: return "опубликовано";
    case Status::kCancelled: return "отменено";
    case Status::kHeld: return "проведено";
    default: return "не задан";
  }
}

const char* KindTitle(int kind) {
  static const char* const kTitles[] = {"мероприятие", "вебинар", "семинар", "мастер-класс", "конкурс",
                                        "конференция", "форум", "открытый урок", "круглый стол"};
  return kind >= 1 && kind <= kMaxKind ? kTitles[kind] : kTitles[0];
}

namespace {

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ", what));
}

absl::Status Refuse(Status s, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat("Мероприятие ", StatusTitle(s), ": ", what));
}

bool Live(RegStatus r) { return r == RegStatus::kRegistered || r == RegStatus::kAttended || r == RegStatus::kAbsent; }

}  // namespace

absl::Status ValidateDraft(const Draft& d, absl::string_view prefix) {
  const std::string p(prefix);
  if (d.level < 1 || d.level > 3) {
    return Bad(p + ".level", "укажите уровень: региональное, муниципальное или школьное");
  }
  if (d.kind < 1 || d.kind > kMaxKind) return Bad(p + ".kind", "укажите форму мероприятия");
  if (absl::Status s = RequireText(d.title, p + ".title", 300); !s.ok()) return s;
  if (absl::Status s = OptionalText(d.description, p + ".description", 20000); !s.ok()) return s;
  if (d.start == absl::InfinitePast()) return Bad(p + ".start_time", "укажите начало");
  if (d.end == absl::InfinitePast()) return Bad(p + ".end_time", "укажите окончание");
  // Calendar years only: far-off instants are typing mistakes (and outside what the columns hold).
  const absl::Time earliest = absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());
  const absl::Time latest = absl::FromCivil(absl::CivilDay(2100, 1, 1), absl::UTCTimeZone());
  if (d.start < earliest || d.start >= latest) return Bad(p + ".start_time", "дата вне 2000–2099 годов");
  if (d.end < earliest || d.end >= latest) return Bad(p + ".end_time", "дата вне 2000–2099 годов");
  if (d.end <= d.start) return Bad(p + ".end_time", "окончание должно быть позже начала");
  if (d.end - d.start > absl::Hours(24 * 31)) return Bad(p + ".end_time", "мероприятие длится не больше 31 дня");
  if (absl::Status s = OptionalText(d.place, p + ".place", 500); !s.ok()) return s;
  if (absl::Status s = OptionalText(d.link, p + ".link", 2000); !s.ok()) return s;
  if (!d.link.empty() && !practices::IsWebLink(d.link)) {
    return Bad(p + ".link", "нужен адрес, начинающийся с http:// или https://");
  }
  if (d.place.empty() && d.link.empty()) return Bad(p + ".place", "укажите место проведения или ссылку на трансляцию");
  if (d.capacity < 0 || d.capacity > 100000) return Bad(p + ".capacity", "от 0 (без ограничения) до 100 000 мест");
  return practices::ValidateDeficitTags(d.areas, d.indicator_codes, p);
}

absl::StatusOr<access::Placement> PlaceOf(Level level, const access::Placement& organizer) {
  switch (level) {
    case Level::kRegional:
      return access::Placement{organizer.region_id, 0, 0, 0};
    case Level::kMunicipal:
      if (organizer.municipality_id == 0) {
        return absl::FailedPreconditionError(
            "Организатор — региональная организация: муниципальное мероприятие проводит организация муниципалитета");
      }
      return access::Placement{organizer.region_id, organizer.municipality_id, 0, 0};
    case Level::kSchool:
      return access::Placement{organizer.region_id, organizer.municipality_id, organizer.organization_id, 0};
    default:
      return Bad("event.level", "укажите уровень: региональное, муниципальное или школьное");
  }
}

absl::Status CheckAudience(Level level, const access::Placement& event, const access::Placement& person) {
  if (person.region_id != event.region_id) {
    return absl::FailedPreconditionError("Мероприятие другого региона");
  }
  if (level == Level::kMunicipal && person.municipality_id != event.municipality_id) {
    return absl::FailedPreconditionError("Муниципальное мероприятие — для педагогов муниципалитета организатора");
  }
  if (level == Level::kSchool && person.organization_id != event.organization_id) {
    return absl::FailedPreconditionError("Школьное мероприятие — для педагогов организации-организатора");
  }
  return absl::OkStatus();
}

absl::Status CanEdit(Status s) {
  if (s == Status::kDraft || s == Status::kPublished) return absl::OkStatus();
  return Refuse(s, "изменять можно только черновик или опубликованное мероприятие");
}

absl::Status CanPublish(Status s, absl::Time start, absl::Time now) {
  if (s != Status::kDraft) return Refuse(s, "опубликовать можно только черновик");
  if (start <= now) return Refuse(s, "начало уже прошло — перенесите дату, чтобы опубликовать");
  return absl::OkStatus();
}

absl::Status CanCancel(Status s) {
  if (s == Status::kDraft || s == Status::kPublished) return absl::OkStatus();
  return Refuse(s, "отменить можно только черновик или опубликованное мероприятие");
}

absl::Status CheckCapacity(int capacity, int taken) {
  if (capacity != 0 && capacity < taken) {
    return absl::FailedPreconditionError(
        absl::StrCat("Поле event.capacity: уже записались ", taken, " — мест не может быть меньше"));
  }
  return absl::OkStatus();
}

absl::Status CanRegister(Status s, absl::Time start, absl::Time now, int capacity, int taken, RegStatus current) {
  if (Live(current)) return absl::AlreadyExistsError("Вы уже записаны на это мероприятие");
  if (s != Status::kPublished) return Refuse(s, "записаться можно только на опубликованное мероприятие");
  if (start <= now) return Refuse(s, "запись закрыта: мероприятие уже началось");
  if (capacity != 0 && taken >= capacity) {
    return absl::FailedPreconditionError(absl::StrCat("Мест нет: все ", capacity, " заняты"));
  }
  return absl::OkStatus();
}

absl::Status CanWithdraw(RegStatus current, absl::Time start, absl::Time now) {
  if (current != RegStatus::kRegistered) {
    return absl::FailedPreconditionError("Отменить можно только действующую запись");
  }
  if (start <= now) return absl::FailedPreconditionError("Мероприятие уже началось — запись не отменить");
  return absl::OkStatus();
}

absl::Status CanMarkAttendance(Status s, absl::Time start, absl::Time now, RegStatus current) {
  if (s != Status::kPublished && s != Status::kHeld) {
    return Refuse(s, "отмечать присутствие можно только на опубликованном или проведённом мероприятии");
  }
  if (start > now) return Refuse(s, "мероприятие ещё не началось — присутствие отмечают после начала");
  if (!Live(current)) return absl::FailedPreconditionError("Запись отменена — отметить присутствие нельзя");
  return absl::OkStatus();
}

Match MatchDeficits(const std::vector<int>& event_areas, const std::vector<std::string>& event_codes,
                    const std::vector<Deficit>& deficits) {
  Match m;
  std::set<int> areas;
  for (const auto& d : deficits) {
    if (std::find(event_codes.begin(), event_codes.end(), d.indicator_code) != event_codes.end() &&
        std::find(m.indicator_codes.begin(), m.indicator_codes.end(), d.indicator_code) == m.indicator_codes.end()) {
      m.indicator_codes.push_back(d.indicator_code);
    }
    if (std::find(event_areas.begin(), event_areas.end(), d.area) != event_areas.end()) areas.insert(d.area);
  }
  m.areas.assign(areas.begin(), areas.end());
  return m;
}

absl::StatusOr<Query> ParseQuery(absl::string_view filter) {
  Query q;
  auto terms = ParseFilter(filter, {"status", "level", "kind", "area", "indicator", "organizer", "municipality",
                                    "start", "text"});
  if (!terms.ok()) return terms.status();
  for (const auto& t : *terms) {
    if (t.field == "status") {
      if (absl::Status s = FilterOps(t, {"=", "!="}); !s.ok()) return s;
      auto v = FilterEnum(t, "EVENT_STATUS_", {"DRAFT", "PUBLISHED", "CANCELLED", "HELD"});
      if (!v.ok()) return v.status();
      q.status = *v;
      q.status_not = t.op == "!=";
    } else if (t.field == "level") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      auto v = FilterEnum(t, "EVENT_LEVEL_", {"REGIONAL", "MUNICIPAL", "SCHOOL"});
      if (!v.ok()) return v.status();
      q.level = *v;
    } else if (t.field == "kind") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      auto v = FilterEnum(t, "EVENT_KIND_", {"WEBINAR", "SEMINAR", "MASTER_CLASS", "COMPETITION", "CONFERENCE",
                                             "FORUM", "OPEN_LESSON", "ROUND_TABLE"});
      if (!v.ok()) return v.status();
      q.kind = *v;
    } else if (t.field == "area") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      auto v = FilterEnum(t, "COMPETENCY_AREA_",
                          {"SUBJECT", "METHODOLOGICAL", "PSYCHOLOGICAL_PEDAGOGICAL", "COMMUNICATIVE", "DIGITAL"});
      if (!v.ok()) return v.status();
      q.area = *v;
    } else if (t.field == "indicator") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      if (absl::Status s = RequireText(t.value, "filter.indicator", 32); !s.ok()) return s;
      q.indicator = t.value;
    } else if (t.field == "organizer" || t.field == "municipality") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      auto id = FilterName(t, t.field == "organizer" ? "organizations" : "municipalities");
      if (!id.ok()) return id.status();
      (t.field == "organizer" ? q.organizer_id : q.municipality_id) = *id;
    } else if (t.field == "start") {
      if (absl::Status s = FilterOps(t, {">=", ">", "<", "<="}); !s.ok()) return s;
      auto day = FilterDay(t);
      if (!day.ok()) return day.status();
      // Everything as a half-open range of days: > d is >= d+1, <= d is < d+1.
      const absl::CivilDay d = (t.op == ">" || t.op == "<=") ? *day + 1 : *day;
      (t.op == ">=" || t.op == ">" ? q.start_from : q.start_before) = d;
    } else if (t.field == "text") {
      if (absl::Status s = FilterWords(t, &q.words); !s.ok()) return s;
    }
  }
  return q;
}

absl::StatusOr<RegQuery> ParseRegQuery(absl::string_view filter) {
  RegQuery q;
  auto terms = ParseFilter(filter, {"status"});
  if (!terms.ok()) return terms.status();
  for (const auto& t : *terms) {
    if (absl::Status s = FilterOps(t, {"=", "!="}); !s.ok()) return s;
    auto v = FilterEnum(t, "EVENT_REGISTRATION_STATUS_", {"REGISTERED", "CANCELLED", "ATTENDED", "ABSENT"});
    if (!v.ok()) return v.status();
    q.status = *v;
    q.status_not = t.op == "!=";
  }
  return q;
}

}  // namespace nms::events
