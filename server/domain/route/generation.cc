#include "server/domain/route/generation.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/route/titles.h"

namespace nms::route {

namespace {

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

absl::CivilDay AddMonths(absl::CivilDay d, int months) {
  absl::CivilMonth m = absl::CivilMonth(d) + months;
  absl::CivilDay r(m.year(), m.month(), d.day());
  // Clamp to the month's last day (31 Jan + 1 month = 28/29 Feb, not 3 Mar).
  while (absl::CivilMonth(r) != m) r -= 1;
  return r;
}

bool Suits(const Activity& a, const Teacher& t, absl::CivilDay start, absl::CivilDay end) {
  if (!a.active) return false;
  if (!a.positions.empty() && !Contains(a.positions, t.position)) return false;
  if (!a.subjects.empty()) {
    bool any = false;
    for (const auto& s : t.subjects) any |= Contains(a.subjects, s);
    if (!any) return false;
  }
  if (a.end_date && *a.end_date < start) return false;
  if (a.start_date && *a.start_date > end) return false;
  return true;
}

std::string FormOf(const Activity& a) {
  std::vector<std::string> parts;
  if (!a.format_title.empty()) parts.push_back(a.format_title);
  if (a.hours > 0) parts.push_back(absl::StrCat(a.hours, " ч"));
  if (!a.provider_title.empty()) parts.push_back(a.provider_title);
  return absl::StrJoin(parts, ", ");
}

struct Candidate {
  const Activity* a;
  int match;  // 2 = indicator, 1 = area
};

}  // namespace

Section SectionOf(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::kFurtherTraining:
    case ActivityKind::kRetraining: return Section::kFurtherTraining;
    case ActivityKind::kInternship: return Section::kInternship;
    case ActivityKind::kEvent: return Section::kEvents;
    case ActivityKind::kCommunity: return Section::kCommunities;
    case ActivityKind::kExperiencePresentation: return Section::kExperiencePresentation;
    case ActivityKind::kMethodologicalMaterials: return Section::kMethodologicalMaterials;
    case ActivityKind::kMentoringWithMentor:
    case ActivityKind::kMentoringAsMentor: return Section::kMentoring;
  }
  return Section::kEvents;
}

MentoringRole MentoringRoleOf(ActivityKind kind) {
  if (kind == ActivityKind::kMentoringWithMentor) return MentoringRole::kWithMentor;
  if (kind == ActivityKind::kMentoringAsMentor) return MentoringRole::kAsMentor;
  return MentoringRole::kNone;
}

const char* SectionNumber(Section s) {
  static const char* kNumbers[] = {"", "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3"};
  int i = static_cast<int>(s);
  return i >= 1 && i <= 7 ? kNumbers[i] : "";
}

const char* SectionTitle(Section s) {
  switch (s) {
    case Section::kFurtherTraining:
      return "Обучение по дополнительным профессиональным программам повышения квалификации и/или профессиональной переподготовки";
    case Section::kInternship: return "Стажировка (индивидуальная или групповая)";
    case Section::kEvents:
      return "Мероприятия, направленные на профессиональное развитие и обмен опытом (форум, конференция, семинар, вебинар, мастер-класс, конкурс, посещение занятий учителей-методистов)";
    case Section::kCommunities: return "Работа в профессиональных сообществах, методических объединениях";
    case Section::kExperiencePresentation: return "Представление личного опыта";
    case Section::kMethodologicalMaterials: return "Разработка собственных методических, учебно-методических материалов";
    case Section::kMentoring: return "Наставничество";
  }
  return "";
}

GeneratedRoute Generate(const std::vector<Deficit>& deficits_in, const std::vector<Activity>& catalogue,
                        const Teacher& teacher, const GenerationOptions& opt) {
  GeneratedRoute out;
  const int horizon = std::max(1, opt.horizon_months);
  out.planned_start = opt.start_date;
  out.planned_end = AddMonths(opt.start_date, horizon);
  const absl::CivilDay mid = AddMonths(opt.start_date, std::max(1, horizon / 2));

  std::vector<Deficit> deficits = deficits_in;
  std::stable_sort(deficits.begin(), deficits.end(), [](const Deficit& a, const Deficit& b) {
    return std::tie(a.rank, a.indicator_code) < std::tie(b.rank, b.indicator_code);
  });
  std::vector<const Activity*> usable;
  for (const auto& a : catalogue) {
    if (Suits(a, teacher, out.planned_start, out.planned_end)) usable.push_back(&a);
  }
  std::sort(usable.begin(), usable.end(), [](const Activity* a, const Activity* b) { return a->id < b->id; });

  // Chosen items in order of choice, keyed by activity id.
  std::vector<GeneratedItem> chosen;
  std::map<int64_t, size_t> by_activity;
  int hours = 0;
  const int budget = std::max(0, opt.max_total_hours);
  const int per_deficit = std::max(1, opt.max_items_per_deficit);
  std::set<std::string> seen;

  for (const auto& d : deficits) {
    if (!seen.insert(d.indicator_code).second) continue;
    std::vector<Candidate> cands;
    for (const Activity* a : usable) {
      int match = Contains(a->indicator_codes, d.indicator_code) ? 2 : Contains(a->areas, d.area) ? 1 : 0;
      if (match > 0) cands.push_back({a, match});
    }
    if (cands.empty()) {
      out.uncovered.push_back(d.indicator_code);
      continue;
    }
    // Best first: closer match, federal registry, already in the route (no extra hours),
    // earlier template section, then id for determinism.
    auto key = [&](const Candidate& c) {
      return std::make_tuple(-c.match, c.a->federal_registry_id.empty() ? 1 : 0,
                             by_activity.count(c.a->id) ? 0 : 1, static_cast<int>(SectionOf(c.a->kind)),
                             c.a->id);
    };
    std::stable_sort(cands.begin(), cands.end(),
                     [&](const Candidate& x, const Candidate& y) { return key(x) < key(y); });

    auto take = [&](const Candidate& c, bool over_budget) {
      std::string why = absl::StrCat(
          "Дефицит «", d.title.empty() ? d.indicator_code : d.title, "» (", d.indicator_code, ", ранг ", d.rank,
          "): ",
          c.match == 2 ? "мероприятие адресовано этому показателю"
                       : absl::StrCat("мероприятие адресовано области «", AreaTitle(d.area), "»"));
      if (!c.a->federal_registry_id.empty()) {
        absl::StrAppend(&why, "; программа из федерального реестра ДПП (", c.a->federal_registry_id, ")");
      }
      if (over_budget) absl::StrAppend(&why, "; сверх лимита часов — других подходящих мероприятий нет");
      auto it = by_activity.find(c.a->id);
      if (it != by_activity.end()) {
        GeneratedItem& item = chosen[it->second];
        item.closes.push_back(d.indicator_code);
        absl::StrAppend(&item.reason, "; ", why);
        return;
      }
      GeneratedItem item;
      item.section = SectionOf(c.a->kind);
      item.mentoring_role = MentoringRoleOf(c.a->kind);
      item.activity_id = c.a->id;
      item.title = c.a->title;
      item.form = FormOf(*c.a);
      item.hours = c.a->hours;
      if (c.a->end_date && *c.a->end_date <= out.planned_end) {
        item.deadline = std::max(*c.a->end_date, out.planned_start);
      } else if (item.section == Section::kFurtherTraining || item.section == Section::kInternship) {
        item.deadline = mid;
      } else {
        item.deadline = out.planned_end;
      }
      item.closes.push_back(d.indicator_code);
      item.reason = why;
      hours += item.hours;
      by_activity[c.a->id] = chosen.size();
      chosen.push_back(std::move(item));
    };
    auto fits = [&](const Candidate& c) {
      return by_activity.count(c.a->id) > 0 || hours + c.a->hours <= budget;
    };

    // First item: coverage is mandatory.
    std::vector<const Activity*> used;
    std::set<int> sections;
    const Candidate* first = nullptr;
    for (const auto& c : cands) {
      if (fits(c)) { first = &c; break; }
    }
    bool over = false;
    if (first == nullptr) {
      over = true;
      first = &cands.front();
      for (const auto& c : cands) {
        if (c.a->hours < first->a->hours) first = &c;
      }
    }
    take(*first, over);
    used.push_back(first->a);
    sections.insert(static_cast<int>(SectionOf(first->a->kind)));
    // Further items within the budget, preferring sections not used for this deficit yet.
    for (int pass = 0; pass < 2 && static_cast<int>(used.size()) < per_deficit; ++pass) {
      for (const auto& c : cands) {
        if (static_cast<int>(used.size()) >= per_deficit) break;
        if (Contains(used, c.a) || !fits(c)) continue;
        if (pass == 0 && sections.count(static_cast<int>(SectionOf(c.a->kind)))) continue;
        take(c, false);
        used.push_back(c.a);
        sections.insert(static_cast<int>(SectionOf(c.a->kind)));
      }
    }
  }

  if (opt.include_mentoring && !out.uncovered.empty()) {
    GeneratedItem item;
    item.section = Section::kMentoring;
    item.mentoring_role = MentoringRole::kWithMentor;
    item.title = "Работа с наставником";
    item.form = "индивидуально, с наставником, владеющим этими компетенциями";
    item.deadline = out.planned_end;
    item.closes = out.uncovered;
    item.reason = absl::StrCat("В каталоге нет мероприятий по дефицитам ", absl::StrJoin(out.uncovered, ", "),
                               ": наставник, владеющий этими компетенциями, помогает их сформировать");
    chosen.push_back(std::move(item));
    out.uncovered.clear();
  }

  std::stable_sort(chosen.begin(), chosen.end(), [](const GeneratedItem& a, const GeneratedItem& b) {
    return static_cast<int>(a.section) < static_cast<int>(b.section);
  });
  std::map<Section, int> pos;
  for (auto& item : chosen) item.position = ++pos[item.section];
  out.items = std::move(chosen);
  out.total_hours = hours;
  return out;
}

Progress ComputeProgress(const std::vector<ItemFacts>& items, const std::vector<std::string>& deficit_codes) {
  Progress p;
  std::set<std::string> covered;
  for (const auto& i : items) {
    ++p.total;
    p.hours_planned += i.hours;
    switch (i.status) {
      case ItemStatus::kPlanned: ++p.planned; break;
      case ItemStatus::kInProgress: ++p.in_progress; break;
      case ItemStatus::kDone: ++p.done; p.hours_done += i.hours; break;
      case ItemStatus::kSkipped: ++p.skipped; break;
    }
    if (i.status != ItemStatus::kSkipped) covered.insert(i.closes.begin(), i.closes.end());
  }
  std::set<std::string> all(deficit_codes.begin(), deficit_codes.end());
  p.deficits_total = static_cast<int>(all.size());
  for (const auto& c : all) p.deficits_covered += covered.count(c) ? 1 : 0;
  p.percent_closed = p.total == 0 ? 0.0 : 100.0 * (p.done + p.skipped) / p.total;
  return p;
}

Effect ComputeEffect(const std::vector<AreaScore>& before, const std::vector<AreaScore>& after,
                     const std::vector<std::string>& before_deficits,
                     const std::vector<std::string>& after_deficits) {
  Effect e;
  std::map<int, AreaDelta> areas;
  for (const auto& a : before) {
    auto& d = areas[a.area];
    d.area = a.area;
    d.before = a.score;
    d.before_level = a.level;
  }
  for (const auto& a : after) {
    auto& d = areas[a.area];
    d.area = a.area;
    d.after = a.score;
    d.after_level = a.level;
  }
  for (auto& [k, d] : areas) {
    d.delta = d.after - d.before;
    e.areas.push_back(d);
  }
  std::set<std::string> b(before_deficits.begin(), before_deficits.end());
  std::set<std::string> a(after_deficits.begin(), after_deficits.end());
  for (const auto& c : b) (a.count(c) ? e.remaining : e.closed).push_back(c);
  for (const auto& c : a) {
    if (!b.count(c)) e.appeared.push_back(c);
  }
  return e;
}

}  // namespace nms::route
