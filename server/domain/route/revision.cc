#include "server/domain/route/revision.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace nms::route {

namespace {

std::string Pct(double v) { return absl::StrFormat("%.0f %%", v); }

}  // namespace

std::string DayText(const std::optional<absl::CivilDay>& day) {
  if (!day) return "без даты";
  return absl::StrFormat("%02d.%02d.%04d", day->day(), day->month(), static_cast<int>(day->year()));
}

absl::StatusOr<RevisionMode> RevisionModeOf(Status status) {
  if (IsOpen(status)) return RevisionMode::kInPlace;
  if (status == Status::kCompleted) return RevisionMode::kNextPeriod;
  return absl::FailedPreconditionError(
      "Маршрут отменён: по новой диагностике формируется новый маршрут, а не пересмотр отменённого");
}

bool IsNewer(const ResultStamp& baseline, const ResultStamp& candidate) {
  if (candidate.id == baseline.id) return false;
  // A result without a date sorts first (it cannot be placed after anything dated).
  auto day = [](const ResultStamp& r) { return r.date.value_or(absl::CivilDay(1900, 1, 1)); };
  if (day(candidate) != day(baseline)) return day(candidate) > day(baseline);
  return candidate.id > baseline.id;
}

absl::Status CheckNewerResult(const ResultStamp& baseline, const ResultStamp& candidate) {
  if (!candidate.final) {
    return absl::FailedPreconditionError(
        "Результат диагностики ещё не итоговый (ожидаются экспертные оценки): маршрут пересматривается по итоговому");
  }
  if (candidate.id == baseline.id) {
    return absl::FailedPreconditionError("Маршрут уже построен по этому результату диагностики");
  }
  if (!IsNewer(baseline, candidate)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Результат от ", DayText(candidate.date), " не новее диагностики от ", DayText(baseline.date),
        ", по которой построен маршрут: пересмотр идёт только по более поздней диагностике"));
  }
  return absl::OkStatus();
}

RevisionPlan PlanRevision(const RevisionInput& in) {
  RevisionPlan out;
  const bool next = in.mode == RevisionMode::kNextPeriod;
  const std::string on = absl::StrCat("по диагностике от ", DayText(in.diagnosis_date));
  std::map<std::string, const Deficit*> before, after;
  for (const auto& d : in.before) before.emplace(d.indicator_code, &d);
  for (const auto& d : in.after) after.emplace(d.indicator_code, &d);
  auto title = [&](const std::string& code) -> std::string {
    for (const auto* m : {&after, &before}) {
      auto it = m->find(code);
      if (it != m->end() && !it->second->title.empty()) return it->second->title;
    }
    return code;
  };
  auto quoted = [&](const std::vector<std::string>& codes) {
    std::vector<std::string> parts;
    for (const auto& c : codes) parts.push_back(absl::StrCat("«", title(c), "»"));
    return absl::StrJoin(parts, ", ");
  };

  // Existing items: what stays, what is no longer needed, which current deficits stay covered.
  std::set<std::string> covered;
  std::set<int64_t> used_activities;
  std::map<Section, int> last_position;
  std::vector<Change> item_changes_kept, item_changes_not_needed;
  for (const auto& it : in.items) {
    if (next) {
      // A new period starts clean; courses already done are not offered again.
      if (it.status == ItemStatus::kDone && it.activity_id != 0) used_activities.insert(it.activity_id);
      continue;
    }
    if (it.activity_id != 0) used_activities.insert(it.activity_id);
    last_position[it.section] = std::max(last_position[it.section], it.position);
    if (it.status == ItemStatus::kDone || it.status == ItemStatus::kSkipped) continue;  // history, untouched
    std::vector<std::string> current, gone;
    for (const auto& c : it.closes) (after.count(c) ? current : gone).push_back(c);
    Change ch;
    ch.item_id = it.id;
    ch.title = it.title;
    if (!it.closes.empty()) ch.indicator_code = it.closes.front();
    if (current.empty() && !gone.empty() && it.status == ItemStatus::kPlanned) {
      ch.kind = ChangeKind::kItemNotNeeded;
      ch.reason = absl::StrCat("Не требуется: ", gone.size() == 1 ? "дефицит " : "дефициты ", quoted(gone),
                               gone.size() == 1 ? " закрыт " : " закрыты ", on);
      out.not_needed.push_back(it.id);
      out.not_needed_reasons.push_back({it.id, ch.reason});
      item_changes_not_needed.push_back(std::move(ch));
      continue;
    }
    ch.kind = ChangeKind::kItemKept;
    if (!current.empty()) {
      ch.reason = absl::StrCat("Оставлен: ", current.size() == 1 ? "дефицит " : "дефициты ", quoted(current),
                               current.size() == 1 ? " сохраняется" : " сохраняются");
      covered.insert(current.begin(), current.end());
    } else if (!gone.empty()) {
      ch.reason = absl::StrCat("Оставлен: мероприятие уже выполняется, хотя ", gone.size() == 1 ? "дефицит " : "дефициты ",
                               quoted(gone), gone.size() == 1 ? " закрыт" : " закрыты");
    } else {
      ch.reason = "Оставлен: пункт не привязан к дефициту (добавлен по согласованию с методистом)";
    }
    item_changes_kept.push_back(std::move(ch));
  }

  // Deficits that need new items: new ones, and persisting ones no open item addresses any more.
  std::vector<Deficit> need;
  for (const auto& d : in.after) {
    if (!covered.count(d.indicator_code)) need.push_back(d);
  }
  std::vector<Activity> catalogue;
  for (const auto& a : in.catalogue) {
    if (!used_activities.count(a.id)) catalogue.push_back(a);
  }
  GeneratedRoute gen = Generate(need, catalogue, in.teacher, in.options);
  out.planned_end = gen.planned_end;
  out.uncovered = gen.uncovered;
  std::vector<Change> item_changes_added;
  for (auto& item : gen.items) {
    item.position = ++last_position[item.section];
    Change ch;
    ch.kind = ChangeKind::kItemAdded;
    ch.added_index = static_cast<int>(out.added.size());
    ch.title = item.title;
    if (!item.closes.empty()) ch.indicator_code = item.closes.front();
    std::vector<std::string> fresh, persisting;
    for (const auto& c : item.closes) (before.count(c) ? persisting : fresh).push_back(c);
    std::vector<std::string> why;
    if (!fresh.empty()) {
      why.push_back(absl::StrCat(fresh.size() == 1 ? "новый дефицит " : "новые дефициты ", quoted(fresh), " ", on));
    }
    if (!persisting.empty()) {
      why.push_back(absl::StrCat(persisting.size() == 1 ? "дефицит " : "дефициты ", quoted(persisting),
                                 persisting.size() == 1 ? " сохраняется" : " сохраняются",
                                 next ? " после завершённого маршрута" : ", а мероприятий по нему не осталось"));
    }
    ch.reason = absl::StrCat("Добавлен: ", absl::StrJoin(why, "; "));
    item_changes_added.push_back(std::move(ch));
    out.added.push_back(std::move(item));
  }
  out.items_added = static_cast<int>(item_changes_added.size());
  out.items_kept = static_cast<int>(item_changes_kept.size());
  out.items_not_needed = static_cast<int>(item_changes_not_needed.size());
  for (auto* v : {&item_changes_added, &item_changes_not_needed, &item_changes_kept}) {
    for (auto& ch : *v) out.changes.push_back(std::move(ch));
  }

  // Deficits: closed, new, remaining — in the order of severity of the diagnosis that shows them.
  for (const auto& d : in.before) {
    if (after.count(d.indicator_code)) continue;
    out.changes.push_back({ChangeKind::kDeficitClosed, 0, -1, d.indicator_code, title(d.indicator_code),
                           absl::StrCat("Закрыт ", on, " (было ", Pct(d.score), ")")});
    ++out.deficits_closed;
  }
  for (const auto& d : in.after) {
    auto b = before.find(d.indicator_code);
    if (b != before.end()) continue;
    out.changes.push_back({ChangeKind::kDeficitNew, 0, -1, d.indicator_code, title(d.indicator_code),
                           absl::StrCat("Выявлен ", on, " (", Pct(d.score), ")")});
    ++out.deficits_new;
  }
  for (const auto& d : in.after) {
    auto b = before.find(d.indicator_code);
    if (b == before.end()) continue;
    out.changes.push_back({ChangeKind::kDeficitRemaining, 0, -1, d.indicator_code, title(d.indicator_code),
                           absl::StrCat("Сохраняется: было ", Pct(b->second->score), ", стало ", Pct(d.score))});
    ++out.deficits_remaining;
  }
  return out;
}

}  // namespace nms::route
