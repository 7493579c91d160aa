// ListPeople with a search query (surname prefix or exact external id) runs as a union of two
// index ranges: pages must still come in (surname, name, id) order, each match exactly once, with
// the external-id match in its place, for every page size.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

namespace nms::testing {
namespace {

constexpr char kDb[] = "it_people_search";

TEST(PeopleSearch, PrefixOrExternalIdPagesInOrderWithoutDuplicates) {
  ResetDatabase(kDb);
  Fixture f = SeedFixture(kDb);
  db::ConnectionPool pool(*db::ParseDsn(TestDsn(kDb)));
  ASSERT_TRUE(db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
                for (int i = 0; i < 40; ++i) {
                  // Equal surnames and first names in groups: the keyset must break ties by id.
                  db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, external_id, "
                              "last_name, first_name) VALUES (?, ?, ?, ?, ?, ?)")
                      .Int(f.region).Int(f.mun_a).Int(f.school_a1).Str(absl::StrCat("S-", i))
                      .Str(i % 3 == 0 ? "Поисков" : "Поискова").Str(i % 2 == 0 ? "Анна" : "Борис").Execute();
                }
                // Found by its external id, though its surname does not match the prefix.
                db::Stmt(c, "INSERT INTO people (region_id, municipality_id, organization_id, external_id, "
                            "last_name, first_name) VALUES (?, ?, ?, 'Поиск', 'Яковлева', 'Вера')")
                    .Int(f.region).Int(f.mun_a).Int(f.school_a1).Execute();
                return absl::OkStatus();
              }).ok());
  ServerProcess server(kDb);
  std::string admin = SignIn(*server.Channel(), "regional.admin");
  auto dir = v1::DirectoryService::NewStub(server.Channel());
  for (int size : {1, 7, 41, 100}) {
    v1::ListPeopleRequest req;
    req.set_query("Поиск");
    req.set_page_size(size);
    std::vector<v1::Person> all;
    int64_t total = -1;
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListPeopleResponse resp;
      ASSERT_TRUE(dir->ListPeople(Ctx(admin).get(), req, &resp).ok());
      total = resp.total_size();
      // Counted once on the first page; every later page repeats it from its token.
      EXPECT_EQ(resp.total_size(), 41) << "page " << pages << " of size " << size;
      for (const auto& p : resp.people()) all.push_back(p);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    EXPECT_EQ(total, 41) << "page size " << size;
    ASSERT_EQ(all.size(), 41u) << "page size " << size;
    std::set<std::string> names;
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_TRUE(names.insert(all[i].name()).second) << all[i].name() << " twice at page size " << size;
      if (i == 0) continue;
      auto key = [](const v1::Person& p) {
        return std::make_tuple(p.last_name(), p.first_name(), std::stoll(p.name().substr(7)));
      };
      EXPECT_LT(key(all[i - 1]), key(all[i])) << "order at " << i << ", page size " << size;
    }
    EXPECT_EQ(all.back().last_name(), "Яковлева") << "the external-id match sorts by its surname";
  }
}

}  // namespace
}  // namespace nms::testing
