#pragma once
// Rules of route items (docs/domain.md §3, §9): when items may be added, edited, deleted and carried
// out, item status changes, evidence, the completion condition, and the ДПП enrolment
// mini-workflow (apply → the manager approves → enrolled; the teacher may withdraw until
// enrolled). Pure; the service loads the route and applies what these allow.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/route/generation.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {

// ---- editing
// Items are added while the route is a draft, and while it is carried out (additions agreed
// with the methodist); agreed and approved routes are frozen until returned for revision.
absl::Status CheckItemCreate(Status route);
// Deleting is for drafts only; later an item is skipped with a reason, so history stays. In a
// draft revised after a re-diagnosis, items already carried out (or skipped) stay too.
absl::Status CheckItemDelete(Status route, ItemStatus item = ItemStatus::kPlanned);

// Groups of item fields with the same editing rule.
enum class ItemField {
  kContent,   // section, activity, title, reason, closes (what the teacher agreed to)
  kSchedule,  // form, hours, deadline (the methodist may reschedule a route in progress)
  kCommunityStatus,
  kMentoringPair,
  kTemplateDetails,  // the template's row details below (often known only while carrying out)
};

// The ИОМ template's row details (docs/domain.md §3): 2.1 «Тема» / «Мероприятие, на котором представлен
// опыт», 2.2 «Наименование продукта» / «Где представлены, размещены, используются», section 3's
// sub-row («с наставником» / «в качестве наставника») and the mentee's position.
struct TemplateDetails {
  std::string experience_topic, experience_event;
  std::string product_title, product_placement;
  MentoringRole mentoring_role = MentoringRole::kNone;
  std::string mentee_position;
  bool operator==(const TemplateDetails&) const = default;
};
// Checks the details against the item's section and, when the item names a catalogue activity,
// its kind; fills an unset section 3 sub-row (the activity's, else «с наставником»).
// INVALID_ARGUMENT naming the field ("item.experience_topic") with a Russian message.
absl::Status NormalizeTemplateDetails(Section section, const ActivityKind* activity_kind, TemplateDetails& d);
// An item moved to `section`: the details of other sections are dropped, except those in `keep`
// (field names the request sets anew, which NormalizeTemplateDetails then judges).
void DropOtherSectionsDetails(Section section, const std::vector<std::string>& keep, TemplateDetails& d);
absl::Status CheckItemFieldEdit(Status route, ItemField field, absl::string_view field_name);

// ---- carrying out
// Evidence and reflective reports are added while the route is carried out.
absl::Status CheckCarryOut(Status route, absl::string_view what);

// Item status change: only while the route is in progress; SKIPPED needs a reason.
absl::Status CheckItemStatusChange(Status route, ItemStatus from, ItemStatus to, absl::string_view skip_reason);

struct ItemClosure {
  ItemStatus status = ItemStatus::kPlanned;
  std::string skip_reason;
};
// A route completes when it has items and each is DONE or SKIPPED with a reason.
absl::Status CheckCompletable(const std::vector<ItemClosure>& items);

// Values equal nms.v1.RouteItemEvidenceKind.
enum class EvidenceKind : int { kCertificate = 1, kLink = 2, kFile = 3, kOther = 4 };
struct Evidence {
  EvidenceKind kind = EvidenceKind::kOther;
  std::string certificate_number;
  std::string url;
  std::string file_ref;
  std::string description;
  bool operator==(const Evidence&) const = default;
};
constexpr int kMaxEvidencePerItem = 20;
// INVALID_ARGUMENT naming the field ("evidence.url") when the evidence is unusable.
absl::Status ValidateEvidence(const Evidence& e);

// A reflective report (рефлексивный отчёт): non-empty UTF-8 text of at most 20 000 bytes.
absl::Status ValidateReflection(const std::string& text);

// ---- ДПП enrolment
// The next enrolment status, or why not: FAILED_PRECONDITION from the wrong state,
// INVALID_ARGUMENT for a rejection without a reason.
absl::StatusOr<Enrolment> NextEnrolment(Enrolment current, Enrolment target, absl::string_view comment);
// The teacher applies and withdraws; the school's manager approves or rejects; the provider's
// enrolment is confirmed by the regional operator, the municipal service or the school.
bool EnrolmentRoleMay(const Actor& actor, Enrolment target);
// Enrolment is for section 1.1 items of an agreed, approved or running route whose item is
// not closed yet.
absl::Status CheckEnrolmentContext(Status route, Section section, ItemStatus item);
// An enrolled ДПП item is being carried out as soon as the route runs.
ItemStatus ItemStatusAfterEnrolment(Status route, ItemStatus item);
ItemStatus ItemStatusOnRouteStart(Enrolment enrolment, ItemStatus item);

}  // namespace nms::route
