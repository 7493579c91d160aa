#include "tests/support/keyed_writes.h"

#include "absl/strings/str_cat.h"
#include "server/db/sql.h"

namespace nms::testing {

nms::v1::CreateTrainingCompletionRequest KeyedWrite(int64_t person, const std::string& key) {
  nms::v1::CreateTrainingCompletionRequest req;
  req.set_request_id(key);
  req.mutable_completion()->set_person(absl::StrCat("people/", person));
  req.mutable_completion()->set_programme_title(key);
  req.mutable_completion()->set_hours(16);
  return req;
}

std::map<std::string, std::vector<int64_t>> KeyedRows(db::ConnectionPool& pool, const std::string& prefix) {
  std::map<std::string, std::vector<int64_t>> out;
  (void)db::WithConnection(pool, [&](sql::Connection& c) {
    auto rs = db::Stmt(c, "SELECT id, programme_title FROM training_completions WHERE programme_title LIKE ?")
                  .Str(prefix + "%")
                  .Query();
    while (rs->next()) out[rs->getString(2)].push_back(rs->getInt64(1));
    return absl::OkStatus();
  });
  return out;
}

}  // namespace nms::testing
