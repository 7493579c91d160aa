// The one page-token codec: tokens round-trip their key, and a token that is damaged, truncated,
// forged or issued for another request is refused, never read as "start again".
#include "server/domain/common/page_token.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "nms/v1/directory.pb.h"
#include "nms/v1/route.pb.h"
#include "server/services/convert.h"

namespace nms {
namespace {

constexpr std::initializer_list<KeyPart> kShape = {KeyPart::kText, KeyPart::kNumber};

TEST(PageToken, RoundTripsAnyBytesInTheKey) {
  const std::string fp = RequestFingerprint({"ListPeople", "parent=organizations/5"});
  const std::vector<std::string> key = {std::string("Иванова:\x1f|/\0x", 19), "42"};
  auto back = DecodePageToken(EncodePageToken(fp, key), fp, kShape);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, key);
  EXPECT_TRUE(DecodePageToken("", fp, kShape)->empty());
}

TEST(PageToken, RefusesDamagedTruncatedForgedAndForeignTokens) {
  const std::string fp = RequestFingerprint({"a"});
  const std::string token = EncodePageToken(fp, {"Петров", "7"});
  std::vector<std::string> bad = {
      "garbage!", "123", "AAAA", std::string(5000, 'A'),
      token.substr(0, token.size() - 1),  // truncated
      token.substr(0, token.size() / 2),
      token + "AA",
      EncodePageToken(RequestFingerprint({"b"}), {"Петров", "7"}),  // another request
      EncodePageToken(fp, {"Петров"}),                               // another shape
      EncodePageToken(fp, {"Петров", "7", "x"}),
      EncodePageToken(fp, {"Петров", "-7"}),                         // not a number
      EncodePageToken(fp, {"Петров", "007x"}),
  };
  // A flipped byte inside the body fails the checksum.
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  raw[raw.size() / 2] ^= 1;
  bad.push_back(absl::WebSafeBase64Escape(raw));
  for (const auto& t : bad) {
    auto got = DecodePageToken(t, fp, kShape);
    ASSERT_FALSE(got.ok()) << t;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << t;
    EXPECT_EQ(got.status().message().find("Поле page_token"), 0u) << t;
  }
  EXPECT_NE(RequestFingerprint({"ab", "c"}), RequestFingerprint({"a", "bc"}));
}

TEST(PageToken, PageSizeDefaultsCapsAndRefusesNegatives) {
  EXPECT_EQ(*ValidPageSize(0), 50);
  EXPECT_EQ(*ValidPageSize(7), 7);
  EXPECT_EQ(*ValidPageSize(100000), 500);
  EXPECT_EQ(*ValidPageSize(0, 30, 200), 30);
  auto negative = ValidPageSize(-1);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(negative.status().message().find("Поле page_size"), 0u);
}

TEST(PageToken, TakePageWalksRowsOnceByOffset) {
  std::vector<int> rows = {1, 2, 3, 4, 5, 6, 7};
  const std::string fp = RequestFingerprint({"rows"});
  std::vector<int> seen;
  std::string token;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = ParsePageRequest(3, token, fp, {KeyPart::kNumber});
    ASSERT_TRUE(page.ok()) << page.status();
    std::string next;
    for (int r : TakePage(rows, *page, &next)) seen.push_back(r);
    if (next.empty()) break;
    token = next;
  }
  EXPECT_EQ(seen, rows);
}

// services::Paging binds tokens to the request: every field but page_size and page_token.
TEST(Paging, TokensAreBoundToTheMethodAndEveryOtherField) {
  v1::ListPeopleRequest req;
  req.set_parent("organizations/5");
  req.set_query("Ива");
  auto first = services::Paging(req, {KeyPart::kNumber});
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->first());
  const std::string token = first->NextNumber(40);

  v1::ListPeopleRequest same = req;
  same.set_page_token(token);
  same.set_page_size(10);  // the size may change between pages
  auto second = services::Paging(same, {KeyPart::kNumber});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->AfterNumber(), 40);
  EXPECT_EQ(second->size(), 10);

  v1::ListPeopleRequest other_query = same;
  other_query.set_query("Пет");
  EXPECT_EQ(services::Paging(other_query, {KeyPart::kNumber}).status().code(), absl::StatusCode::kInvalidArgument);
  v1::ListPeopleRequest other_parent = same;
  other_parent.set_parent("organizations/6");
  EXPECT_EQ(services::Paging(other_parent, {KeyPart::kNumber}).status().code(), absl::StatusCode::kInvalidArgument);
  v1::ListRoutesRequest other_method;
  other_method.set_page_token(token);
  EXPECT_EQ(services::Paging(other_method, {KeyPart::kNumber}).status().code(), absl::StatusCode::kInvalidArgument);
  v1::ListPeopleRequest negative = req;
  negative.set_page_size(-5);
  EXPECT_EQ(services::Paging(negative, {KeyPart::kNumber}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nms
