#pragma once
// Who may accompany a route as a tutor (педагог-тьютор). The Mordovia regulation: tutors are teachers "who
// successfully passed the diagnostics of methodological and subject competencies" — here, whose
// latest final diagnostic result has both areas at the basic level or above.
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace nms::route {

// One area of a diagnostic result (nms.v1.CompetencyArea, nms.v1.CompetencyLevel numbers).
struct ResultArea {
  int area = 0;
  int level = 0;
};

// OK when the areas of the tutor's latest final result qualify; FAILED_PRECONDITION naming
// what is missing otherwise (nullopt = no final result at all).
absl::Status CheckTutorEligible(const std::optional<std::vector<ResultArea>>& latest_final_result);

// The Mordovia regulation also has tutors trained in tutor support ("обучение педагогов-тьюторов
// технологиям тьюторского сопровождения"): a further-training programme whose title is about
// tutoring or the methodological support of teachers, e.g. the Academy's «Организация
// методического сопровождения профессионального развития педагогов…» or «Подготовка тьюторов…».
bool IsMethodologicalSupportProgramme(const std::string& title);
// OK when one of the programmes the person passed (final attestation) is such a programme;
// FAILED_PRECONDITION in Russian otherwise.
absl::Status CheckTutorTrained(const std::vector<std::string>& passed_programme_titles);

}  // namespace nms::route
