#pragma once
// The change feed's pure rules: opaque cursors, entity-type names, and which outbox rows are
// safe to deliver given that auto-increment sequence numbers are allocated at insert time but
// become visible at commit time — a later seq can commit before an earlier one; what each record
// kind carries (payload minimisation), external ids, and how a batch is cut to the message
// limit. Pure C++.

#include <cstddef>
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

// Operations as the outbox stores them: "create" (first appearance of the entity in the feed),
// "update", "delete". "upsert" is what rows written before the contract was kept carry; it is
// read as UPDATE.
inline constexpr absl::string_view kCreate = "create";
inline constexpr absl::string_view kUpdate = "update";
inline constexpr absl::string_view kDelete = "delete";

// The documented external id of an exported entity: "nms:{region}:{entity_type}:{id}", where id is
// the last number of its resource name ("people/12" -> 12, "routes/7/items/31" -> 31; route item
// ids are unique across routes). Stable and never reused (ids are never reused). Empty when the
// resource has no id.
std::string ExternalId(int64_t region_id, absl::string_view entity_type, absl::string_view resource);

// The payload fields a record kind carries, as proto field names of its message: "field" keeps a
// field whole; "field.sub" entries keep only those sub-fields of a message (or repeated message)
// field. Everything else — birth date, e-mail, phone, free texts, signatures, evidence — is
// dropped before the row is written. Empty for an unknown kind (nothing is carried).
const std::vector<std::string>& PayloadFields(absl::string_view entity_type);

// Payload schema version of the minimised payloads (1 = the full entity, rows written before).
inline constexpr int kPayloadSchemaVersion = 2;

// How many of the next records (their serialised sizes, in order) fit in one message of at most
// `budget` bytes, counting `overhead` for the message's own fields and `per_record` for each
// record's framing. 0 when even the first record alone does not fit.
size_t RecordsThatFit(const std::vector<size_t>& record_bytes, size_t budget, size_t overhead, size_t per_record);

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
