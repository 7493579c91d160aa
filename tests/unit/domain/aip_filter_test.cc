// The AIP-160 subset of the list filters: comparisons joined by AND, quoted values, and clear
// refusals of what is not supported.
#include <gtest/gtest.h>

#include "server/domain/common/aip_filter.h"

namespace nms {
namespace {

const std::vector<std::string> kFields = {"status", "methodist", "teachers_assigned", "title"};

TEST(AipFilter, ParsesComparisonsJoinedByAnd) {
  auto f = ParseFilter(R"(status = ROUTE_STATUS_DRAFT AND methodist="people/12" and teachers_assigned>=250)", kFields);
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 3u);
  EXPECT_EQ((*f)[0].field, "status");
  EXPECT_EQ((*f)[0].op, "=");
  EXPECT_EQ((*f)[0].value, "ROUTE_STATUS_DRAFT");
  EXPECT_EQ((*f)[1].value, "people/12");
  EXPECT_EQ((*f)[2].op, ">=");
  EXPECT_EQ((*f)[2].value, "250");
  auto q = ParseFilter(R"(title != "Школа \"Успех\" \\ 1")", kFields);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ((*q)[0].op, "!=");
  EXPECT_EQ((*q)[0].value, "Школа \"Успех\" \\ 1");
  EXPECT_TRUE(ParseFilter("   ", kFields)->empty());
}

TEST(AipFilter, RefusesWhatItDoesNotSupport) {
  for (const char* bad : {"status = A OR status = B", "NOT status = A", "unknown = 1", "status", "status =",
                          "status = \"open", "status = A status = B", "= A", "(status = A)"}) {
    auto f = ParseFilter(bad, kFields);
    ASSERT_FALSE(f.ok()) << bad;
    EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(f.status().message().find("Поле filter"), 0u) << bad;
  }
  EXPECT_FALSE(ParseFilter(std::string(2001, 'a'), kFields).ok());
}

}  // namespace
}  // namespace nms
