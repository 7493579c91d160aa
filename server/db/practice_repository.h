#pragma once
// SQL of the bank of practices (issue 16 §1): practices with their areas, indicator codes and
// reviews. The service checks access and rules; this layer only reads and writes rows.

#include <cstdint>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "absl/status/statusor.h"
#include "nms/v1/practices.pb.h"
#include "server/db/directory_repository.h"
#include "server/domain/access/principal.h"
#include "server/domain/practices/rules.h"

namespace nms::db {

struct PracticeRecord {
  nms::v1::Practice practice;
  access::Placement place;  // region, municipality, organisation, author
  std::vector<int64_t> reviewer_ids;
};

// Which practices a list may show: the published ones of `published_regions` plus all of
// `scope` (when has_scope).
struct PracticeVisibility {
  std::vector<int64_t> published_regions;
  bool has_scope = false;
  ScopeFilter scope;
};

struct PracticePage {
  std::vector<nms::v1::Practice> practices;
  bool more = false;
  int64_t total_size = 0;
};

class PracticeRepository {
 public:
  // NOT_FOUND ("Практика practices/N не найдена"). `for_update` locks the row.
  static absl::StatusOr<PracticeRecord> Get(sql::Connection& c, int64_t id, bool for_update = false);

  static PracticePage List(sql::Connection& c, const PracticeVisibility& visible, const practices::Query& q,
                           practices::Order order, int64_t offset, int size);

  static int64_t Insert(sql::Connection& c, const access::Placement& place, const practices::Draft& d);
  // Replaces the content and bumps the version.
  static void UpdateContent(sql::Connection& c, int64_t id, const practices::Draft& d);
  // Sets the status (and the return comment, and the publish time when publishing); bumps the version.
  static void SetStatus(sql::Connection& c, int64_t id, practices::Status s, const std::string& return_comment);
  // Adds a review, recomputes the practice's score and moves it to REVIEWED; bumps the version.
  static void AddReview(sql::Connection& c, int64_t id, int64_t reviewer_id,
                        const std::vector<std::pair<std::string, int>>& scores, int total, bool recommend,
                        const std::string& comment);
};

}  // namespace nms::db
