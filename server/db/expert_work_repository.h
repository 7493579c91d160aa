#pragma once
// SQL of the works teachers hand in for externally scored items (diagnostic_expert_works), with
// their expert scores (diagnostic_external_scores) and what a scorer reads around a work.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <cppconn/connection.h>

#include "nms/v1/diagnostics.pb.h"

namespace nms::db {

class ExpertWorkRepository {
 public:
  // The work of (session, item), with its score when scored; the file's bytes only when
  // `with_content`. `for_update` locks the row.
  static std::optional<v1::ExpertWork> Get(sql::Connection& c, int64_t session_id, const std::string& item_id,
                                           bool with_content, bool for_update = false);
  // Every work of a session (without bytes), by item id.
  static std::vector<v1::ExpertWork> ListForSession(sql::Connection& c, int64_t session_id);
  // Inserts the work or replaces the earlier one of the same item (version + 1).
  static void Upsert(sql::Connection& c, int64_t session_id, const v1::ExpertWork& work);
  // Whether an expert has scored the item of the session.
  static bool IsScored(sql::Connection& c, int64_t session_id, const std::string& item_id);

  // What a scorer reads around a work.
  struct Context {
    std::string person_name;
    std::string organization_title;
    std::string campaign_title;
    int campaign_state = 0;
  };
  static Context ContextOf(sql::Connection& c, int64_t session_id);
};

}  // namespace nms::db
