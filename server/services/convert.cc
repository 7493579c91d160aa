#include "server/services/convert.h"

#include "absl/strings/str_cat.h"
#include "server/domain/common/dates.h"

namespace nms::services {

absl::StatusOr<std::optional<absl::CivilDay>> FromProtoDate(const nms::v1::Date& d,
                                                            absl::string_view field) {
  if (d.year() == 0 && d.month() == 0 && d.day() == 0) return std::optional<absl::CivilDay>();
  auto day = MakeDay(d.year(), d.month(), d.day(), field);
  if (!day.ok()) return day.status();
  return std::optional<absl::CivilDay>(*day);
}

nms::v1::Date ToProtoDate(const std::optional<absl::CivilDay>& day) {
  nms::v1::Date d;
  if (day.has_value()) {
    d.set_year(static_cast<int>(day->year()));
    d.set_month(day->month());
    d.set_day(day->day());
  }
  return d;
}

google::protobuf::Timestamp ToProtoTime(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(ts.seconds()))));
  return ts;
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

absl::CivilDay TodayInRegion(absl::string_view time_zone) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(time_zone), &tz)) tz = absl::FixedTimeZone(3 * 3600);
  return absl::ToCivilDay(absl::Now(), tz);
}

int PageSize(int requested, int def, int max) {
  if (requested <= 0) return def;
  return requested > max ? max : requested;
}

}  // namespace nms::services
