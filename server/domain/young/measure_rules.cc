#include "server/domain/young/measure_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/names.h"
#include "server/domain/directory/person.h"

namespace nms::young {
namespace {

constexpr int kMaxKind = static_cast<int>(MeasureKind::kOther);
constexpr int kMaxStatus = static_cast<int>(MeasureStatus::kCancelled);

// Resources a recorded measure may point at; pairs and routes are the derived measures' own.
bool ValidSource(const std::string& source) {
  if (source.empty()) return true;
  auto name = ParseAnyName(source, "source");
  if (!name.ok()) return false;
  return name->collection == "activities" || name->collection == "regionalEvents" ||
         name->collection == "communityMemberships";
}

}  // namespace

bool IsDerivedKind(int kind) {
  return kind == static_cast<int>(MeasureKind::kMentor) || kind == static_cast<int>(MeasureKind::kRoute);
}

MeasureStatus DefaultStatus(absl::CivilDay start, const std::optional<absl::CivilDay>& end, absl::CivilDay today) {
  if (start > today) return MeasureStatus::kPlanned;
  if (end.has_value() && *end < today) return MeasureStatus::kCompleted;
  return MeasureStatus::kActive;
}

bool CanTransition(MeasureStatus from, MeasureStatus to) {
  using S = MeasureStatus;
  if (from == to) return true;
  switch (from) {
    case S::kPlanned: return to == S::kActive || to == S::kCompleted || to == S::kCancelled;
    case S::kActive: return to == S::kCompleted || to == S::kCancelled;
    case S::kCompleted: return to == S::kActive;
    case S::kCancelled: return to == S::kPlanned;
    default: return false;
  }
}

std::vector<std::string> ValidateMeasure(const MeasureDraft& m, absl::CivilDay today, const std::string& prefix) {
  std::vector<std::string> errors;
  auto field = [&](absl::string_view name) { return absl::StrCat("Поле ", prefix, ".", name); };
  if (m.kind <= 0 || m.kind > kMaxKind) {
    errors.push_back(absl::StrCat(field("kind"), ": укажите вид меры поддержки"));
  } else if (IsDerivedKind(m.kind)) {
    errors.push_back(absl::StrCat(field("kind"),
                                  ": наставник и ИОМ учитываются автоматически из разделов «Наставничество» и «ИОМ», "
                                  "вручную их не вносят"));
  }
  if (m.status <= 0 || m.status > kMaxStatus) errors.push_back(absl::StrCat(field("status"), ": неизвестный статус"));
  if (absl::StripAsciiWhitespace(m.title).empty()) {
    errors.push_back(absl::StrCat(field("title"), " обязательно"));
  } else if (m.title.size() > kMaxTitleBytes || !IsValidUtf8(m.title)) {
    errors.push_back(absl::StrCat(field("title"), ": не длиннее ", kMaxTitleBytes, " байт UTF-8"));
  }
  if (m.notes.size() > kMaxNotesBytes || !IsValidUtf8(m.notes)) {
    errors.push_back(absl::StrCat(field("notes"), ": не длиннее ", kMaxNotesBytes, " байт UTF-8"));
  }
  if (!ValidSource(m.source)) {
    errors.push_back(absl::StrCat(field("source"),
                                  ": ссылка вида activities/…, regionalEvents/… или communityMemberships/…"));
  }
  if (!m.start.has_value()) {
    errors.push_back(absl::StrCat(field("start_date"), " обязательно"));
    return errors;
  }
  if (m.end.has_value() && *m.end < *m.start) errors.push_back(absl::StrCat(field("end_date"), ": раньше даты начала"));
  auto status = static_cast<MeasureStatus>(m.status);
  if ((status == MeasureStatus::kActive || status == MeasureStatus::kCompleted) && *m.start > today) {
    errors.push_back(absl::StrCat(field("status"), ": мера ещё не началась — её статус «запланирована»"));
  }
  if (status == MeasureStatus::kCompleted) {
    if (!m.end.has_value()) {
      errors.push_back(absl::StrCat(field("end_date"), ": у завершённой меры укажите дату окончания"));
    } else if (*m.end > today) {
      errors.push_back(absl::StrCat(field("status"), ": мера ещё не закончилась — завершить её можно не раньше ",
                                    RussianDate(*m.end)));
    }
  }
  return errors;
}

}  // namespace nms::young
