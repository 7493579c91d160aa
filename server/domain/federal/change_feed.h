#pragma once
// The change feed's pure rules: opaque cursors, entity-type names, and which outbox rows are
// safe to deliver given that auto-increment sequence numbers are allocated at insert time but
// become visible at commit time — a later seq can commit before an earlier one. Pure C++.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms::federal {

// Opaque cursor: "c1." + base64url(seq). Empty cursor = before the first change (0).
std::string EncodeCursor(int64_t seq);
absl::StatusOr<int64_t> DecodeCursor(absl::string_view cursor);

// Outbox entity_type <-> nms.v1.ChangeEntityType value (0 = not exported).
int EntityTypeValue(absl::string_view entity_type);
const char* EntityTypeName(int value);

// An outbox row as seen by one read: its seq and how long ago (DB clock) it was inserted.
struct SeenRow {
  int64_t seq = 0;
  int64_t age_micros = 0;
};

// Result of SafePrefix: rows [0, count) may be delivered; `cursor` is the highest seq known to
// be final (delivering stops right before a gap that may still fill).
struct SafeWindow {
  size_t count = 0;
  int64_t cursor = 0;
  bool blocked_by_gap = false;
};

// `rows` are the committed rows with seq > `after`, ascending. A missing seq (gap) between
// `after` and a row may belong to a transaction that has not committed yet. The transaction
// that allocated the missing seq inserted its row BEFORE the row following the gap, so once
// the row after a gap is older than `gap_timeout_micros` the gap is taken as permanent
// (rolled back, or a transaction open longer than the timeout — the documented bound).
SafeWindow SafePrefix(int64_t after, const std::vector<SeenRow>& rows, int64_t gap_timeout_micros);

}  // namespace nms::federal
