// Enums as requests spell them, read from the descriptors: one filter spelling for every list and
// one message for a value outside the enum.
#include "server/common/proto_enum.h"

#include <gtest/gtest.h>

#include "nms/v1/common.pb.h"
#include "nms/v1/route.pb.h"

namespace nms {
namespace {

TEST(ProtoEnum, PrefixIsWhatEveryValueShares) {
  EXPECT_EQ(EnumPrefix(v1::RouteStatus_descriptor()), "ROUTE_STATUS_");
  EXPECT_EQ(EnumPrefix(v1::OrganizationType_descriptor()), "ORGANIZATION_TYPE_");
}

TEST(ProtoEnum, FilterSpellings) {
  const auto* e = v1::RouteStatus_descriptor();
  const int draft = v1::ROUTE_STATUS_DRAFT;
  EXPECT_EQ(*FilterEnum({"status", "=", "ROUTE_STATUS_DRAFT"}, e), draft);
  EXPECT_EQ(*FilterEnum({"status", "=", "draft"}, e), draft);
  EXPECT_EQ(*FilterEnum({"status", "=", std::to_string(draft)}, e), draft);
  for (const char* bad : {"0", "999", "ROUTE_STATUS_UNSPECIFIED", "DRAFTS"}) {
    auto got = FilterEnum({"status", "=", bad}, e);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_NE(got.status().message().find("status: неизвестное значение"), std::string::npos) << got.status();
  }
}

TEST(ProtoEnum, CheckSaysRequiredOrOutOfRange) {
  const auto* e = v1::OrganizationType_descriptor();
  EXPECT_TRUE(CheckEnum(v1::ORGANIZATION_TYPE_SCHOOL, e, "organization.type", EnumUse::kRequired).ok());
  EXPECT_EQ(CheckEnum(0, e, "organization.type", EnumUse::kRequired).message(), "Поле organization.type обязательно");
  EXPECT_TRUE(CheckEnum(0, e, "organization.type", EnumUse::kOptional).ok());
  auto out = CheckEnum(77, e, "organization.type", EnumUse::kOptional);
  EXPECT_EQ(out.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.message().find("неизвестное значение 77"), std::string::npos) << out;
  EXPECT_NE(out.message().find("SCHOOL"), std::string::npos) << out;
}

}  // namespace
}  // namespace nms
