#include "server/domain/diagnostics/item_scoring.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "server/domain/directory/person.h"

namespace nms::diagnostics {

namespace {

absl::Status Invalid(absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("Поле answer: ", message));
}

const ItemOption* FindOption(const ItemDef& item, const std::string& id) {
  for (const auto& o : item.options) {
    if (o.option_id == id) return &o;
  }
  return nullptr;
}

bool IsChoice(ItemKind k) { return k == ItemKind::kSingleChoice || k == ItemKind::kMultipleChoice; }

// A decimal number as teachers type it ("0,5", " 12 "), or nothing.
std::optional<double> AsNumber(const std::string& s) {
  std::string t = absl::StrReplaceAll(s, {{",", "."}, {" ", ""}});
  double v = 0;
  if (t.empty() || !absl::SimpleAtod(t, &v) || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

bool IsEmptyAnswer(const Answer& a) {
  return a.selected_option_ids.empty() && absl::StripAsciiWhitespace(a.text).empty() && !a.likert_value.has_value();
}

absl::Status ValidateAnswer(const ItemDef& item, const Answer& a) {
  if (item.kind == ItemKind::kExternalScore) {
    return Invalid("задание оценивается экспертом, ответ в сессии не вводится");
  }
  if (!IsChoice(item.kind) && !a.selected_option_ids.empty()) {
    return Invalid("selected_option_ids задаются только для заданий с выбором ответа");
  }
  if (item.kind != ItemKind::kShortAnswer && !a.text.empty()) {
    return Invalid("text задаётся только для заданий с кратким ответом");
  }
  if (item.kind != ItemKind::kLikert && a.likert_value.has_value()) {
    return Invalid("likert_value задаётся только для шкалы самооценки");
  }
  switch (item.kind) {
    case ItemKind::kSingleChoice:
      if (a.selected_option_ids.size() > 1) return Invalid("в этом задании выбирается один вариант ответа");
      [[fallthrough]];
    case ItemKind::kMultipleChoice: {
      std::set<std::string> seen;
      for (const auto& id : a.selected_option_ids) {
        if (FindOption(item, id) == nullptr) {
          return Invalid(absl::StrCat("в задании нет варианта «", id.substr(0, 64), "»"));
        }
        if (!seen.insert(id).second) return Invalid(absl::StrCat("вариант «", id.substr(0, 64), "» выбран дважды"));
      }
      return absl::OkStatus();
    }
    case ItemKind::kShortAnswer:
      if (a.text.size() > kMaxAnswerTextBytes || !IsValidUtf8(a.text)) {
        return Invalid(absl::StrCat("ответ — текст UTF-8 не длиннее ", kMaxAnswerTextBytes, " байт"));
      }
      return absl::OkStatus();
    case ItemKind::kLikert:
      if (a.likert_value.has_value() && (*a.likert_value < item.likert_min || *a.likert_value > item.likert_max)) {
        return Invalid(absl::StrCat("оценка по шкале должна быть от ", item.likert_min, " до ", item.likert_max));
      }
      return absl::OkStatus();
    default:
      return Invalid("неизвестный тип задания");
  }
}

std::string LowerRu(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xD0 && i + 1 < text.size()) {
      unsigned char n = static_cast<unsigned char>(text[i + 1]);
      if (n >= 0x90 && n <= 0x9F) {  // А..П -> а..п
        out += static_cast<char>(0xD0);
        out += static_cast<char>(n + 0x20);
        ++i;
        continue;
      }
      if (n >= 0xA0 && n <= 0xAF) {  // Р..Я -> р..я
        out += static_cast<char>(0xD1);
        out += static_cast<char>(n - 0x20);
        ++i;
        continue;
      }
      if (n == 0x81) {  // Ё -> ё
        out += static_cast<char>(0xD1);
        out += static_cast<char>(0x91);
        ++i;
        continue;
      }
    }
    out += static_cast<char>(absl::ascii_tolower(c));
  }
  return out;
}

std::string NormalizeShortAnswer(absl::string_view text, bool case_sensitive) {
  std::string collapsed;
  bool space = false;
  for (char c : absl::StripAsciiWhitespace(text)) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = true;
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += c;
  }
  if (case_sensitive) return collapsed;
  return absl::StrReplaceAll(LowerRu(collapsed), {{"ё", "е"}});
}

double AnswerFraction(const ItemDef& item, const Answer& a) {
  switch (item.kind) {
    case ItemKind::kSingleChoice: {
      if (a.selected_option_ids.size() != 1) return 0;
      const ItemOption* o = FindOption(item, a.selected_option_ids[0]);
      return o != nullptr && o->correct ? 1.0 : 0.0;
    }
    case ItemKind::kMultipleChoice: {
      int right_total = 0, right = 0, wrong = 0;
      for (const auto& o : item.options) right_total += o.correct ? 1 : 0;
      std::set<std::string> chosen(a.selected_option_ids.begin(), a.selected_option_ids.end());
      for (const auto& id : chosen) {
        const ItemOption* o = FindOption(item, id);
        if (o == nullptr) continue;
        (o->correct ? right : wrong) += 1;
      }
      if (right_total == 0) return 0;
      if (item.choice_scoring == ChoiceScoring::kPartial) {
        return std::max(0.0, static_cast<double>(right - wrong) / right_total);
      }
      return right == right_total && wrong == 0 ? 1.0 : 0.0;
    }
    case ItemKind::kShortAnswer: {
      std::string given = NormalizeShortAnswer(a.text, item.case_sensitive);
      if (given.empty()) return 0;
      auto given_number = AsNumber(given);
      for (const auto& accepted : item.accepted_answers) {
        std::string key = NormalizeShortAnswer(accepted, item.case_sensitive);
        if (key == given) return 1;
        auto key_number = AsNumber(key);
        if (given_number && key_number && std::fabs(*given_number - *key_number) <= 1e-9) return 1;
      }
      return 0;
    }
    case ItemKind::kLikert: {
      if (!a.likert_value.has_value() || item.likert_max <= item.likert_min) return 0;
      int v = std::clamp(*a.likert_value, item.likert_min, item.likert_max);
      double f = static_cast<double>(v - item.likert_min) / (item.likert_max - item.likert_min);
      return item.likert_reversed ? 1.0 - f : f;
    }
    default:
      return 0;
  }
}

SessionScore ScoreSession(const std::vector<ItemDef>& items, const std::map<std::string, Answer>& answers,
                          const std::map<std::string, double>& external_scores) {
  SessionScore out;
  for (const auto& item : items) {
    double fraction = 0;
    if (item.kind == ItemKind::kExternalScore) {
      auto it = external_scores.find(item.item_id);
      if (it == external_scores.end()) {
        ++out.missing_external;
        continue;
      }
      fraction = item.max_score > 0 ? it->second / item.max_score : 0;
    } else if (auto it = answers.find(item.item_id); it != answers.end()) {
      fraction = AnswerFraction(item, it->second);
    }
    out.items.push_back({item.item_id, std::clamp(fraction, 0.0, 1.0), item.weights});
  }
  return out;
}

std::vector<std::string> MissingRequired(const std::vector<ItemDef>& items,
                                         const std::map<std::string, Answer>& answers) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    if (!item.required || item.kind == ItemKind::kExternalScore) continue;
    auto it = answers.find(item.item_id);
    if (it == answers.end() || IsEmptyAnswer(it->second)) out.push_back(item.item_id);
  }
  return out;
}

}  // namespace nms::diagnostics
