#pragma once
// Russian first names, patronymic stems, surnames and school subjects for generated people
// (the demo region and the full-size load region share them).

#include <string>
#include <vector>

namespace nms::cli {

extern const std::vector<std::string> kMaleFirst;
extern const std::vector<std::string> kFemaleFirst;
// Patronymic stems: add "на" (female) or "ич" (male).
extern const std::vector<std::string> kPatronymicStems;
// Surnames in masculine form; the feminine adds "а".
extern const std::vector<std::string> kSurnames;
extern const std::vector<std::string> kSubjects;

}  // namespace nms::cli
