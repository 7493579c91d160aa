#pragma once
// DATE columns as nms.v1.Date, for repositories that return API messages (an unset optional
// becomes the all-zero "not set" date). The service layer has its own converter with
// validation (services/convert.h); this one only formats what the database already holds.

#include <optional>

#include "absl/time/civil_time.h"
#include "nms/v1/common.pb.h"

namespace nms::db {

inline nms::v1::Date ProtoDate(const std::optional<absl::CivilDay>& d) {
  nms::v1::Date out;
  if (d) {
    out.set_year(static_cast<int>(d->year()));
    out.set_month(d->month());
    out.set_day(d->day());
  }
  return out;
}

}  // namespace nms::db
