#pragma once
// A person's card as the domain sees it, and the rules a card must satisfy. Used by
// CreatePerson/UpdatePerson and by the CSV import, so both reject the same things the same way.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/common/text.h"  // IsValidUtf8

namespace nms::directory {

struct PersonRecord {
  std::string external_id;
  std::string last_name;
  std::string first_name;
  std::string middle_name;
  std::optional<absl::CivilDay> birth_date;
  std::string email;
  std::string phone;
  std::string position;
  std::vector<std::string> subjects;
  std::optional<absl::CivilDay> work_start_date;
  int qualification_category = 0;  // nms.v1.QualificationCategory
  int education = 0;               // nms.v1.EducationLevel
  int management_role = 0;         // nms.v1.ManagementRole

  bool operator==(const PersonRecord&) const = default;
};

// Every problem with the card, each a Russian sentence naming the field; empty when valid.
// `today` bounds the dates (no birth in the future, at least 16 years old, ...).
std::vector<std::string> ValidatePerson(const PersonRecord& person, absl::CivilDay today);

// Normalises what people type: trims, collapses spaces, lower-cases e-mail, strips phone
// punctuation, de-duplicates subjects (lower case, order kept).
void NormalizePerson(PersonRecord& person);

// The fields of their own card a person keeps themselves (contacts: phone, e-mail); the rest
// (name, birth date, position, subjects, organisation data) is kept by the school.
bool SelfEditable(absl::string_view field);
// OK when every path is self-editable; PERMISSION_DENIED naming the first one that is not.
absl::Status CheckSelfEdit(const std::vector<std::string>& paths);

// Field-level validators, shared with other inputs.
bool IsValidEmail(const std::string& email);
bool IsValidPhone(const std::string& phone);
bool IsValidPersonName(const std::string& name);

}  // namespace nms::directory
