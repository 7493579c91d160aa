#include <gtest/gtest.h>

#include "server/domain/mentoring/auto_requests.h"

namespace nms::mentoring {
namespace {

using RS = RequestSource;
using St = RequestStatus;

TEST(AutoRequests, YoungTeachersWithoutAMentorGetOneRequest) {
  const std::vector<AutoPerson> people = {
      {1, true, false, false},   // needs one
      {2, true, true, false},    // has a mentor
      {3, false, false, false},  // not in the cohort
      {4, true, false, true},    // asked for a mentor herself
      {5, true, false, false},   // already has an open automatic request
  };
  const AutoPlan plan = PlanAutoRequests(people, {}, {{50, RS::kAutoYoungTeacher, 5, "", St::kOpen}});
  EXPECT_EQ(plan.create_young, (std::vector<int64_t>{1}));
  EXPECT_TRUE(plan.create_route.empty());
  EXPECT_TRUE(plan.close.empty());
  EXPECT_EQ(plan.unchanged, 1);
}

TEST(AutoRequests, RequestsThatNoLongerApplyAreClosedWithTheReason) {
  const std::vector<AutoPerson> people = {
      {1, false, false, false},  // left the cohort (birthday, third year)
      {2, true, true, false},    // got a mentor through another request
      {3, true, false, true},    // asked herself
      {4, true, false, false},   // proposed pair pending: left alone
  };
  const std::vector<ExistingAutoRequest> existing = {
      {10, RS::kAutoYoungTeacher, 1, "", St::kOpen},
      {11, RS::kAutoYoungTeacher, 2, "", St::kOpen},
      {12, RS::kAutoYoungTeacher, 3, "", St::kOpen},
      {13, RS::kAutoYoungTeacher, 4, "", St::kProposed},
      {14, RS::kAutoYoungTeacher, 99, "", St::kOpen},  // no longer in the scope's people
  };
  const AutoPlan plan = PlanAutoRequests(people, {}, existing);
  ASSERT_EQ(plan.close.size(), 4u);
  EXPECT_EQ(plan.close[0].request_id, 10);
  EXPECT_EQ(plan.close[0].reason, "Педагог больше не входит в когорту молодых педагогов");
  EXPECT_EQ(plan.close[1].reason, "У педагога уже есть наставник");
  EXPECT_EQ(plan.close[2].reason, "У педагога есть другая заявка на наставника");
  EXPECT_EQ(plan.close[3].request_id, 14);
  EXPECT_TRUE(plan.create_young.empty());
  EXPECT_EQ(plan.unchanged, 1);
}

TEST(AutoRequests, RouteItemsWithAMentorAndTheirRequests) {
  const std::vector<AutoPerson> people = {{1, true, false, false}, {2, false, false, false}};
  const std::vector<AutoRouteItem> items = {
      {"routes/1/items/1", 1, true, false},   // needs a mentor: replaces the young request
      {"routes/2/items/5", 2, true, false},   // needs one, request exists
      {"routes/2/items/6", 2, true, true},    // already carried out by a pair
      {"routes/2/items/7", 2, false, false},  // no longer "with a mentor"
  };
  const std::vector<ExistingAutoRequest> existing = {
      {20, RS::kAutoYoungTeacher, 1, "", St::kOpen},
      {21, RS::kAutoRoute, 2, "routes/2/items/5", St::kOpen},
      {22, RS::kAutoRoute, 2, "routes/2/items/6", St::kOpen},
      {23, RS::kAutoRoute, 2, "routes/2/items/7", St::kOpen},
      {24, RS::kAutoRoute, 2, "routes/2/items/5", St::kOpen},  // duplicate
  };
  const AutoPlan plan = PlanAutoRequests(people, items, existing);
  ASSERT_EQ(plan.create_route.size(), 1u);
  EXPECT_EQ(plan.create_route[0].route_item, "routes/1/items/1");
  EXPECT_TRUE(plan.create_route[0].young);
  ASSERT_EQ(plan.close.size(), 4u);
  EXPECT_EQ(plan.close[0].request_id, 20);
  EXPECT_EQ(plan.close[0].reason, "Объединена с заявкой по пункту ИОМ «с наставником»");
  EXPECT_EQ(plan.close[1].request_id, 22);
  EXPECT_EQ(plan.close[2].request_id, 23);
  EXPECT_EQ(plan.close[3].request_id, 24);
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_TRUE(plan.create_young.empty());
}

TEST(AutoRequests, RunningThePlanTwiceChangesNothing) {
  const std::vector<AutoPerson> people = {{1, true, false, false}, {2, true, false, false}};
  const std::vector<AutoRouteItem> items = {{"routes/9/items/1", 2, true, false}};
  AutoPlan first = PlanAutoRequests(people, items, {});
  ASSERT_EQ(first.create_young, (std::vector<int64_t>{1}));
  ASSERT_EQ(first.create_route.size(), 1u);
  // What the first run created now exists.
  std::vector<ExistingAutoRequest> existing = {{1, RS::kAutoYoungTeacher, 1, "", St::kOpen},
                                               {2, RS::kAutoRoute, 2, "routes/9/items/1", St::kOpen}};
  AutoPlan second = PlanAutoRequests(people, items, existing);
  EXPECT_TRUE(second.create_young.empty());
  EXPECT_TRUE(second.create_route.empty());
  EXPECT_TRUE(second.close.empty());
  EXPECT_EQ(second.unchanged, 2);
}

}  // namespace
}  // namespace nms::mentoring
