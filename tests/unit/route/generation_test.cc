// Generation of a draft ИОМ: every deficit the catalogue can cover is covered, the same inputs
// give the same route (catalogue order does not matter), the hour bound holds except to cover a
// deficit nothing cheaper covers, deadlines lie within the horizon, and unsuitable activities
// (inactive, other positions/subjects, out of dates) are never chosen. Plus derived progress and
// the re-diagnosis effect.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/route/generation.h"

namespace nms::route {
namespace {

std::string Dump(const GeneratedRoute& r) {
  std::string out = absl::StrCat(absl::FormatCivilTime(r.planned_start), "..", absl::FormatCivilTime(r.planned_end),
                                 " h", r.total_hours, " unc[", absl::StrJoin(r.uncovered, ","), "]\n");
  for (const auto& i : r.items) {
    absl::StrAppend(&out, static_cast<int>(i.section), ".", i.position, " a", i.activity_id, " ", i.title, " | ",
                    i.form, " | ", i.hours, " | ", absl::FormatCivilTime(i.deadline), " | ",
                    absl::StrJoin(i.closes, ","), " | ", i.reason, "\n");
  }
  return out;
}

Activity Act(int64_t id, ActivityKind kind, int hours, std::vector<std::string> codes, std::vector<int> areas = {}) {
  Activity a;
  a.id = id;
  a.kind = kind;
  a.title = absl::StrCat("Мероприятие ", id);
  a.hours = hours;
  a.format_title = "дистанционно";
  a.indicator_codes = std::move(codes);
  a.areas = std::move(areas);
  return a;
}

GenerationOptions Opts(int horizon = 12) {
  GenerationOptions o;
  o.start_date = absl::CivilDay(2026, 1, 31);
  o.horizon_months = horizon;
  return o;
}

// A random world: deficits over 5 areas, catalogue entries addressing random indicators/areas,
// some inactive or for other positions.
struct World {
  std::vector<Deficit> deficits;
  std::vector<Activity> catalogue;
  Teacher teacher{"учитель", {"математика"}};
};
World RandomWorld(uint32_t seed) {
  std::mt19937 rng(seed);
  auto r = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  World w;
  int nd = r(0, 8);
  for (int i = 0; i < nd; ++i) {
    int area = r(1, 5);
    w.deficits.push_back({absl::StrCat("A", area, ".", r(1, 6)), area, "Показатель", r(0, 40) * 1.0, i + 1});
  }
  int na = r(0, 25);
  for (int i = 0; i < na; ++i) {
    std::vector<std::string> codes;
    for (int k = r(0, 3); k > 0; --k) codes.push_back(absl::StrCat("A", r(1, 5), ".", r(1, 6)));
    std::vector<int> areas;
    if (r(0, 3) == 0) areas.push_back(r(1, 5));
    Activity a = Act(100 + i * 7 % 53, static_cast<ActivityKind>(r(1, 9)), r(0, 6) * 12, codes, areas);
    a.id = 1000 + i;
    a.active = r(0, 9) != 0;
    if (r(0, 6) == 0) a.positions = {"воспитатель"};
    if (r(0, 6) == 0) a.subjects = {"история"};
    if (r(0, 4) == 0) a.federal_registry_id = absl::StrCat("ФР-", i);
    if (r(0, 8) == 0) a.end_date = absl::CivilDay(2025, 6, 1);  // over before the route starts
    w.catalogue.push_back(a);
  }
  return w;
}

bool Suitable(const Activity& a, const Teacher& t) {
  if (!a.active) return false;
  if (!a.positions.empty() && std::find(a.positions.begin(), a.positions.end(), t.position) == a.positions.end()) return false;
  if (!a.subjects.empty()) {
    bool any = false;
    for (const auto& s : t.subjects) any |= std::find(a.subjects.begin(), a.subjects.end(), s) != a.subjects.end();
    if (!any) return false;
  }
  return !(a.end_date && *a.end_date < absl::CivilDay(2026, 1, 31));
}

TEST(RouteGeneration, CoversEveryDeficitTheCatalogueCanCover) {
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    World w = RandomWorld(seed);
    GeneratedRoute r = Generate(w.deficits, w.catalogue, w.teacher, Opts());
    std::set<std::string> covered;
    for (const auto& i : r.items) covered.insert(i.closes.begin(), i.closes.end());
    std::set<std::string> uncovered(r.uncovered.begin(), r.uncovered.end());
    for (const auto& d : w.deficits) {
      bool coverable = false;
      for (const auto& a : w.catalogue) {
        bool addresses = std::find(a.indicator_codes.begin(), a.indicator_codes.end(), d.indicator_code) !=
                             a.indicator_codes.end() ||
                         std::find(a.areas.begin(), a.areas.end(), d.area) != a.areas.end();
        coverable |= addresses && Suitable(a, w.teacher);
      }
      EXPECT_EQ(covered.count(d.indicator_code) > 0, coverable) << "seed " << seed << " " << d.indicator_code;
      EXPECT_EQ(uncovered.count(d.indicator_code) > 0, !coverable) << "seed " << seed << " " << d.indicator_code;
    }
    for (const auto& i : r.items) {
      const Activity* a = nullptr;
      for (const auto& x : w.catalogue) {
        if (x.id == i.activity_id) a = &x;
      }
      ASSERT_NE(a, nullptr);
      EXPECT_TRUE(Suitable(*a, w.teacher)) << "seed " << seed << " chose unsuitable activity " << a->id;
      EXPECT_FALSE(i.reason.empty());
      EXPECT_EQ(i.section, SectionOf(a->kind));
    }
  }
}

TEST(RouteGeneration, IsDeterministicWhateverTheCatalogueOrder) {
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    World w = RandomWorld(seed);
    std::string first = Dump(Generate(w.deficits, w.catalogue, w.teacher, Opts()));
    EXPECT_EQ(first, Dump(Generate(w.deficits, w.catalogue, w.teacher, Opts())));
    std::mt19937 rng(seed);
    std::shuffle(w.catalogue.begin(), w.catalogue.end(), rng);
    EXPECT_EQ(first, Dump(Generate(w.deficits, w.catalogue, w.teacher, Opts()))) << "seed " << seed;
  }
}

TEST(RouteGeneration, HourBoundHoldsExceptToCoverADeficit) {
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    World w = RandomWorld(seed);
    GenerationOptions o = Opts();
    o.max_total_hours = 60;
    GeneratedRoute r = Generate(w.deficits, w.catalogue, w.teacher, o);
    int total = 0, forced = 0;
    for (const auto& i : r.items) {
      total += i.hours;
      if (i.reason.find("сверх лимита") != std::string::npos) forced += i.hours;
    }
    EXPECT_EQ(total, r.total_hours);
    EXPECT_LE(total - forced, 60) << "seed " << seed;
  }
  // Forced over the bound: the cheapest covering activity is taken.
  std::vector<Deficit> d = {{"M.1", 2, "Проектирование урока", 10, 1}};
  std::vector<Activity> cat = {Act(1, ActivityKind::kFurtherTraining, 144, {"M.1"}),
                               Act(2, ActivityKind::kInternship, 72, {"M.1"})};
  GenerationOptions o = Opts();
  o.max_total_hours = 36;
  GeneratedRoute r = Generate(d, cat, {}, o);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].activity_id, 2);
  EXPECT_NE(r.items[0].reason.find("сверх лимита"), std::string::npos);
}

TEST(RouteGeneration, DeadlinesLieWithinTheHorizon) {
  for (int horizon : {1, 3, 6, 12, 24}) {
    for (uint32_t seed = 1; seed <= 60; ++seed) {
      World w = RandomWorld(seed);
      for (auto& a : w.catalogue) {
        if (a.id % 5 == 0) a.end_date = absl::CivilDay(2026, 3, 15);
      }
      GeneratedRoute r = Generate(w.deficits, w.catalogue, w.teacher, Opts(horizon));
      EXPECT_EQ(r.planned_start, absl::CivilDay(2026, 1, 31));
      for (const auto& i : r.items) {
        EXPECT_GE(i.deadline, r.planned_start);
        EXPECT_LE(i.deadline, r.planned_end) << "horizon " << horizon << " seed " << seed;
      }
    }
  }
  // 31 January + 1 month is the last day of February, not 3 March.
  EXPECT_EQ(Generate({}, {}, {}, Opts(1)).planned_end, absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(Generate({}, {}, {}, Opts(13)).planned_end, absl::CivilDay(2027, 2, 28));
  // Courses and internships are due mid-route; other items at the end; dated ones at their end.
  std::vector<Deficit> d = {{"M.1", 2, "", 10, 1}, {"M.2", 2, "", 12, 2}, {"M.3", 2, "", 14, 3}};
  std::vector<Activity> cat = {Act(1, ActivityKind::kFurtherTraining, 36, {"M.1"}),
                               Act(2, ActivityKind::kCommunity, 0, {"M.2"}),
                               Act(3, ActivityKind::kEvent, 8, {"M.3"})};
  cat[2].end_date = absl::CivilDay(2026, 4, 10);
  GeneratedRoute r = Generate(d, cat, {}, Opts(12));
  ASSERT_EQ(r.items.size(), 3u);
  EXPECT_EQ(r.items[0].deadline, absl::CivilDay(2026, 7, 31));
  EXPECT_EQ(r.items[1].deadline, absl::CivilDay(2026, 4, 10));
  EXPECT_EQ(r.items[2].deadline, absl::CivilDay(2027, 1, 31));
}

TEST(RouteGeneration, PrefersIndicatorMatchesAndTheFederalRegistryAndLimitsItemsPerDeficit) {
  std::vector<Deficit> d = {{"D.1", 5, "Цифровые образовательные ресурсы", 20, 1}};
  std::vector<Activity> cat = {Act(1, ActivityKind::kEvent, 8, {}, {5}),
                               Act(2, ActivityKind::kFurtherTraining, 36, {"D.1"}),
                               Act(3, ActivityKind::kFurtherTraining, 36, {"D.1"}),
                               Act(4, ActivityKind::kCommunity, 0, {"D.1"})};
  cat[2].federal_registry_id = "ФР-2024-118";
  GenerationOptions o = Opts();
  o.max_items_per_deficit = 2;
  GeneratedRoute r = Generate(d, cat, {}, o);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].activity_id, 3);  // indicator match from the registry first
  EXPECT_NE(r.items[0].reason.find("ФР-2024-118"), std::string::npos);
  EXPECT_EQ(r.items[1].activity_id, 4);  // then another section, not a second course
  EXPECT_EQ(r.items[0].position, 1);
  EXPECT_EQ(r.items[1].position, 1);
  o.max_items_per_deficit = 1;
  EXPECT_EQ(Generate(d, cat, {}, o).items.size(), 1u);
}

TEST(RouteGeneration, OneActivityClosesSeveralDeficitsOnce) {
  std::vector<Deficit> d = {{"P.1", 3, "", 10, 1}, {"P.2", 3, "", 12, 2}};
  std::vector<Activity> cat = {Act(7, ActivityKind::kFurtherTraining, 72, {"P.1", "P.2"})};
  GeneratedRoute r = Generate(d, cat, {}, Opts());
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].closes, (std::vector<std::string>{"P.1", "P.2"}));
  EXPECT_EQ(r.total_hours, 72);
  EXPECT_EQ(r.items[0].form, "дистанционно, 72 ч");
}

TEST(RouteGeneration, MentoringCoversWhatTheCatalogueCannot) {
  std::vector<Deficit> d = {{"K.1", 4, "Диалог с родителями", 5, 1}, {"K.2", 4, "", 7, 2}};
  GenerationOptions o = Opts();
  GeneratedRoute without = Generate(d, {}, {}, o);
  EXPECT_TRUE(without.items.empty());
  EXPECT_EQ(without.uncovered, (std::vector<std::string>{"K.1", "K.2"}));
  o.include_mentoring = true;
  GeneratedRoute with = Generate(d, {}, {}, o);
  ASSERT_EQ(with.items.size(), 1u);
  EXPECT_EQ(with.items[0].section, Section::kMentoring);
  EXPECT_EQ(with.items[0].closes, (std::vector<std::string>{"K.1", "K.2"}));
  EXPECT_TRUE(with.uncovered.empty());
}

TEST(RouteGeneration, SectionsAreOrderedAndNumbered) {
  for (uint32_t seed = 1; seed <= 100; ++seed) {
    World w = RandomWorld(seed);
    GeneratedRoute r = Generate(w.deficits, w.catalogue, w.teacher, Opts());
    for (size_t k = 1; k < r.items.size(); ++k) {
      const auto& a = r.items[k - 1];
      const auto& b = r.items[k];
      ASSERT_LE(static_cast<int>(a.section), static_cast<int>(b.section));
      EXPECT_EQ(b.position, a.section == b.section ? a.position + 1 : 1);
    }
  }
  EXPECT_STREQ(SectionNumber(Section::kCommunities), "1.4");
  EXPECT_STREQ(SectionNumber(Section::kMentoring), "3");
  EXPECT_EQ(SectionOf(ActivityKind::kRetraining), Section::kFurtherTraining);
  EXPECT_EQ(SectionOf(ActivityKind::kMentoringAsMentor), Section::kMentoring);
}

TEST(RouteProgress, IsDerivedFromItems) {
  std::vector<ItemFacts> items = {{ItemStatus::kDone, 36, {"A"}},
                                  {ItemStatus::kSkipped, 8, {"B"}},
                                  {ItemStatus::kInProgress, 12, {"C"}},
                                  {ItemStatus::kPlanned, 0, {"A", "D"}}};
  Progress p = ComputeProgress(items, {"A", "B", "C", "D", "E"});
  EXPECT_EQ(p.total, 4);
  EXPECT_EQ(p.done, 1);
  EXPECT_EQ(p.skipped, 1);
  EXPECT_EQ(p.in_progress, 1);
  EXPECT_EQ(p.planned, 1);
  EXPECT_DOUBLE_EQ(p.percent_closed, 50.0);
  EXPECT_EQ(p.hours_planned, 56);
  EXPECT_EQ(p.hours_done, 36);
  EXPECT_EQ(p.deficits_total, 5);
  EXPECT_EQ(p.deficits_covered, 3);  // B only by a skipped item; E by nothing
  EXPECT_DOUBLE_EQ(ComputeProgress({}, {}).percent_closed, 0.0);
}

TEST(RouteEffect, DeltaPerAreaAndDeficitsClosedRemainingNew) {
  Effect e = ComputeEffect({{1, 40, 1}, {2, 55, 2}}, {{2, 70, 3}, {3, 30, 1}}, {"S.1", "M.2", "M.3"},
                           {"M.3", "P.1"});
  ASSERT_EQ(e.areas.size(), 3u);
  EXPECT_EQ(e.areas[0].area, 1);
  EXPECT_DOUBLE_EQ(e.areas[0].delta, -40);
  EXPECT_EQ(e.areas[1].area, 2);
  EXPECT_DOUBLE_EQ(e.areas[1].delta, 15);
  EXPECT_EQ(e.areas[1].before_level, 2);
  EXPECT_EQ(e.areas[1].after_level, 3);
  EXPECT_EQ(e.closed, (std::vector<std::string>{"M.2", "S.1"}));
  EXPECT_EQ(e.remaining, (std::vector<std::string>{"M.3"}));
  EXPECT_EQ(e.appeared, (std::vector<std::string>{"P.1"}));
}

}  // namespace
}  // namespace nms::route
