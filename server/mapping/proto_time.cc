#include "server/mapping/proto_time.h"

#include "server/domain/common/dates.h"

namespace nms::mapping {

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

nms::v1::Date* NewProtoDate(const std::optional<absl::CivilDay>& day) {
  return day.has_value() ? new nms::v1::Date(ToProtoDate(day)) : nullptr;
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

}  // namespace nms::mapping
