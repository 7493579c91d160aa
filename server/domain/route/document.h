#pragma once
// The printable ИОМ in the layout of the ИОМ template (docs/domain.md §3): «Утверждаю» block (where the region approves
// routes), general information about the teacher, the goal, the roadmap table by template
// section (activity | form, hours | deadline | reflective report; section 3 in its two sub-rows
// «Работа с наставником» / «Работа в качестве наставника») and the signature block.
// A self-contained HTML page (inline CSS, A4); every text from users is HTML-escaped.

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/domain/route/generation.h"
#include "server/domain/route/items.h"
#include "server/domain/route/lifecycle.h"

namespace nms::route {

struct DocumentItem {
  Section section = Section::kEvents;
  std::string title;
  std::string form;
  int hours = 0;
  std::optional<absl::CivilDay> deadline;
  std::string community_status;  // section 1.4
  ItemStatus status = ItemStatus::kPlanned;
  std::string reflective_report;
  TemplateDetails details;  // 2.1 topic / event, 2.2 product / placement, section 3 sub-row
};

struct DocumentSignature {
  std::string full_name;
  std::string position_title;
  std::optional<absl::CivilDay> date;  // unset = not signed yet (blank line to sign by hand)
};

struct Document {
  std::string full_name;
  std::string municipality;
  std::string organization;
  std::string position;
  std::string subject;
  std::optional<absl::CivilDay> diagnosis_date;
  int overall_level = 0;  // nms.v1.CompetencyLevel
  int deficit_count = 0;
  std::string goal;
  std::optional<absl::CivilDay> start, end;
  Status status = Status::kDraft;
  std::vector<DocumentItem> items;  // any order; grouped by section when rendered
  bool approval_required = true;
  std::string approver_title;  // "Директор ЦНППМ"
  DocumentSignature approver, teacher, school;
  std::string methodist;  // accompanying methodist or tutor, "ФИО (роль)"; may be empty
};

std::string RenderDocument(const Document& doc);

}  // namespace nms::route
