#pragma once
// The bank of effective pedagogical practices (issue 16 §1): what a practice must hold, the
// review rubric, the status transitions and who takes each. Plain C++; the service maps
// proto <-> these values and the repository stores them.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms::practices {

// Values equal nms.v1.PracticeStatus / PracticeLevel.
enum class Status : int { kUnspecified = 0, kDraft = 1, kSubmitted = 2, kReviewed = 3, kPublished = 4, kReturned = 5 };
enum class Level : int { kUnspecified = 0, kSchool = 1, kMunicipal = 2, kRegional = 3 };

// Russian name of a status for messages ("черновик", "подана", ...).
const char* StatusTitle(Status s);

// The editable content of a practice.
struct Draft {
  std::string title;
  std::string description;
  std::vector<std::string> links;
  std::vector<int> areas;  // nms.v1.CompetencyArea values
  std::vector<std::string> indicator_codes;
  int level = 0;
  std::string subject;
};

// INVALID_ARGUMENT naming the first bad field ("Поле practice.links[1]: ..."), `prefix` being
// the message's path ("practice").
absl::Status ValidateDraft(const Draft& d, absl::string_view prefix);

// The competency areas (nms.v1.CompetencyArea values, at least one, no repeats) and framework
// indicator codes (at most 30, each at most 32 bytes, no repeats) a resource addresses — its
// deficits; shared by every register searched by deficit (practices, events). INVALID_ARGUMENT
// naming "<prefix>.areas[i]" / "<prefix>.indicator_codes[i]".
absl::Status ValidateDeficitTags(const std::vector<int>& areas, const std::vector<std::string>& indicator_codes,
                                 absl::string_view prefix);

// Whether `url` is an absolute http(s) address with a host and no spaces or control characters.
bool IsWebLink(absl::string_view url);

// One criterion of the rubric.
struct Criterion {
  const char* code;
  const char* title;
  const char* description;
  int max_score;
};
// The region-independent rubric of the Mordovia regulation §5.3 (relevance, effect, reproducibility, novelty,
// quality of the description).
const std::vector<Criterion>& Rubric();
int RubricMax();

// Checks a review's scores: every criterion of the rubric exactly once, each 0..max. Returns
// the total. INVALID_ARGUMENT naming the criterion otherwise.
absl::StatusOr<int> ScoreReview(const std::vector<std::pair<std::string, int>>& scores, absl::string_view field);

// Mean total of the reviews in percent of the rubric's maximum (rounded), 0 without reviews.
int ScorePercent(const std::vector<int>& totals);

// The transitions, each FAILED_PRECONDITION with a Russian message when the status forbids it.
absl::Status CanEdit(Status s);      // DRAFT, RETURNED
absl::Status CanSubmit(Status s);    // DRAFT, RETURNED -> SUBMITTED
absl::Status CanReview(Status s);    // SUBMITTED, REVIEWED -> REVIEWED
absl::Status CanPublish(Status s, int reviews);  // REVIEWED with at least one review -> PUBLISHED
absl::Status CanReturn(Status s);    // SUBMITTED, REVIEWED -> RETURNED

// A reviewer never scores their own practice, nor reviews it twice.
absl::Status CanReviewAs(int64_t author_id, int64_t reviewer_id, bool already_reviewed);

// Who reads a practice beyond the access scope: a published one is the region's reference.
inline bool ReadableRegionWide(Status s) { return s == Status::kPublished; }

// ListPractices' filter, parsed (AIP-160 subset; see practices.proto).
struct Query {
  int status = 0;
  bool status_not = false;
  int area = 0;
  std::string indicator;
  std::string subject;
  int level = 0;
  int64_t author_id = 0;
  int64_t organization_id = 0;
  int64_t municipality_id = 0;
  std::vector<std::string> words;  // all must occur in title or description
};
absl::StatusOr<Query> ParseQuery(absl::string_view filter);

enum class Order { kUpdatedDesc, kTitle, kScoreDesc };
absl::StatusOr<Order> ParseOrder(absl::string_view order_by);

}  // namespace nms::practices
