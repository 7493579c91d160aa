#include "server/domain/directory/person.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/text.h"

namespace nms::directory {
namespace {

std::string CollapseSpaces(absl::string_view s) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(s, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
  return absl::StrJoin(parts, " ");
}

}  // namespace

bool IsValidPersonName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  size_t i = 0;
  uint32_t cp = 0;
  bool has_letter = false;
  while (i < name.size()) {
    if (!DecodeUtf8(name, i, cp)) return false;
    bool cyrillic = (cp >= 0x0410 && cp <= 0x044F) || cp == 0x0401 || cp == 0x0451;
    bool latin = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    bool punct = cp == '-' || cp == ' ' || cp == '\'' || cp == '.' || cp == 0x2019;
    if (!(cyrillic || latin || punct)) return false;
    has_letter |= cyrillic || latin;
  }
  return has_letter;
}

bool IsValidEmail(const std::string& email) {
  if (email.size() > 254) return false;
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  absl::string_view domain = absl::string_view(email).substr(at + 1);
  auto dot = domain.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == ';' || c == '<' || c == '>') {
      return false;
    }
  }
  return true;
}

bool IsValidPhone(const std::string& phone) {
  absl::string_view digits = phone;
  if (absl::ConsumePrefix(&digits, "+")) {
  }
  if (digits.size() < 10 || digits.size() > 15) return false;
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void NormalizePerson(PersonRecord& p) {
  p.external_id = std::string(absl::StripAsciiWhitespace(p.external_id));
  p.last_name = CollapseSpaces(p.last_name);
  p.first_name = CollapseSpaces(p.first_name);
  p.middle_name = CollapseSpaces(p.middle_name);
  p.email = absl::AsciiStrToLower(absl::StripAsciiWhitespace(p.email));
  p.position = CollapseSpaces(p.position);
  std::string phone;
  for (char c : p.phone) {
    if ((c >= '0' && c <= '9') || (c == '+' && phone.empty())) phone.push_back(c);
  }
  // Russian numbers typed as 8XXXXXXXXXX become +7XXXXXXXXXX.
  if (phone.size() == 11 && phone[0] == '8') phone = "+7" + phone.substr(1);
  // Something typed that holds no digit is kept as typed, for ValidatePerson to refuse: a value
  // is never silently cleared.
  p.phone = phone.empty() ? std::string(absl::StripAsciiWhitespace(p.phone)) : phone;
  std::vector<std::string> subjects;
  bool blank_subject = false;
  for (auto& s : p.subjects) {
    std::string v = CollapseSpaces(s);
    blank_subject |= v.empty();
    // Lower-case ASCII and Cyrillic А-Я/Ё so "Математика" and "математика" are one subject.
    std::string lower;
    for (size_t i = 0; i < v.size(); ++i) {
      unsigned char c = v[i];
      if (c == 0xD0 && i + 1 < v.size()) {
        unsigned char n = v[i + 1];
        if (n >= 0x90 && n <= 0x9F) { lower += static_cast<char>(0xD0); lower += static_cast<char>(n + 0x20); ++i; continue; }
        if (n >= 0xA0 && n <= 0xAF) { lower += static_cast<char>(0xD1); lower += static_cast<char>(n - 0x20); ++i; continue; }
        if (n == 0x81) { lower += static_cast<char>(0xD1); lower += static_cast<char>(0x91); ++i; continue; }
      }
      lower += static_cast<char>(absl::ascii_tolower(c));
    }
    if (!lower.empty() && std::find(subjects.begin(), subjects.end(), lower) == subjects.end()) {
      subjects.push_back(lower);
    }
  }
  if (blank_subject) subjects.push_back("");  // refused by ValidatePerson
  p.subjects = std::move(subjects);
}

std::vector<std::string> ValidatePerson(const PersonRecord& p, absl::CivilDay today) {
  std::vector<std::string> errors;
  auto check_name = [&](const std::string& v, absl::string_view field, bool required) {
    if (v.empty()) {
      if (required) errors.push_back(absl::StrCat("Поле ", field, " обязательно"));
      return;
    }
    if (!IsValidPersonName(v)) {
      errors.push_back(absl::StrCat("Поле ", field,
                                    ": допустимы только буквы, пробел, дефис и апостроф (до 100 символов)"));
    }
  };
  check_name(p.last_name, "last_name (фамилия)", true);
  check_name(p.first_name, "first_name (имя)", true);
  check_name(p.middle_name, "middle_name (отчество)", false);
  if (p.external_id.size() > 64) {
    errors.push_back("Поле external_id: не длиннее 64 символов");
  }
  if (!p.birth_date.has_value()) {
    errors.push_back("Поле birth_date (дата рождения) обязательно");
  } else {
    int age = FullYearsBetween(*p.birth_date, today);
    if (*p.birth_date > today) {
      errors.push_back("Поле birth_date (дата рождения): дата в будущем");
    } else if (age < 16 || age > 100) {
      errors.push_back("Поле birth_date (дата рождения): возраст должен быть от 16 до 100 лет");
    }
  }
  if (p.work_start_date.has_value()) {
    if (*p.work_start_date > today) {
      errors.push_back("Поле work_start_date (дата начала работы): дата в будущем");
    } else if (p.birth_date.has_value() && FullYearsBetween(*p.birth_date, *p.work_start_date) < 14) {
      errors.push_back("Поле work_start_date (дата начала работы): раньше 14-летия");
    }
  }
  if (!p.email.empty() && !IsValidEmail(p.email)) {
    errors.push_back(absl::StrCat("Поле email: некорректный адрес \"", p.email.substr(0, 60), "\""));
  }
  if (!p.phone.empty() && !IsValidPhone(p.phone)) {
    errors.push_back("Поле phone (телефон): от 10 до 15 цифр, допускается + в начале");
  }
  if (p.position.empty()) {
    errors.push_back("Поле position (должность) обязательно");
  } else if (p.position.size() > 255 || !IsValidUtf8(p.position)) {
    errors.push_back("Поле position (должность): не длиннее 255 символов");
  }
  for (const auto& s : p.subjects) {
    if (s.empty()) {
      errors.push_back("Поле subjects (предметы): пустое название предмета");
      break;
    }
    if (s.size() > 100 || !IsValidUtf8(s)) {
      errors.push_back("Поле subjects (предметы): название предмета не длиннее 100 символов");
      break;
    }
  }
  if (p.qualification_category < 0 || p.qualification_category > 4) {
    errors.push_back("Поле qualification_category: неизвестное значение");
  }
  if (p.education < 0 || p.education > 4) errors.push_back("Поле education: неизвестное значение");
  if (p.management_role < 0 || p.management_role > 2) {
    errors.push_back("Поле management_role: неизвестное значение");
  }
  return errors;
}

bool SelfEditable(absl::string_view field) { return field == "phone" || field == "email"; }

absl::Status CheckSelfEdit(const std::vector<std::string>& paths) {
  for (const auto& path : paths) {
    if (!SelfEditable(path)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "Поле ", path, " в карточке ведёт образовательная организация; сами вы меняете только телефон и e-mail"));
    }
  }
  return absl::OkStatus();
}

}  // namespace nms::directory
