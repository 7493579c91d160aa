#include "server/domain/diagnostics/instrument.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/domain/directory/person.h"

namespace nms::diagnostics {

namespace {

bool KnownIndicator(const Framework& f, const std::string& code) {
  for (const auto& i : f.indicators) {
    if (i.code == code) return true;
  }
  return false;
}

// Ids are shown in URLs and joined with '|' in storage.
bool ValidId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && id.find('|') == std::string::npos &&
         absl::StripAsciiWhitespace(id).size() == id.size() && IsValidUtf8(id);
}

bool ValidText(const std::string& s, size_t max) { return s.size() <= max && IsValidUtf8(s); }

void CheckItem(const ItemDef& item, BlockKind block_kind, const std::string& at, const Framework& f,
               std::set<std::string>& item_ids, std::vector<std::string>& errors) {
  auto err = [&](absl::string_view field, absl::string_view msg) {
    errors.push_back(absl::StrCat(at, field.empty() ? "" : ".", field, ": ", msg));
  };
  if (!ValidId(item.item_id)) {
    err("item_id", "обязателен, до 64 байт, без пробелов по краям и символа «|»");
  } else if (!item_ids.insert(item.item_id).second) {
    err("item_id", absl::StrCat("«", item.item_id, "» повторяется в инструменте"));
  }
  if (absl::StripAsciiWhitespace(item.text).empty() && item.kind != ItemKind::kExternalScore) {
    err("text", "текст задания обязателен");
  }
  if (!ValidText(item.text, 20000)) err("text", "не длиннее 20000 байт UTF-8");
  if (item.kind == ItemKind::kUnspecified || static_cast<int>(item.kind) > 5) {
    err("kind", "не задан или неизвестен тип задания");
  } else if ((item.kind == ItemKind::kExternalScore) != (block_kind == BlockKind::kExternallyScored)) {
    err("kind", block_kind == BlockKind::kExternallyScored
                    ? "в блоке экспертной оценки допустимы только задания типа EXTERNAL_SCORE"
                    : "задание экспертной оценки должно быть в блоке EXTERNALLY_SCORED");
  }
  if (!std::isfinite(item.max_score) || item.max_score <= 0 || item.max_score > kMaxItemScore) {
    err("max_score", absl::StrCat("должен быть больше 0 и не больше ", kMaxItemScore));
  }
  bool choice = item.kind == ItemKind::kSingleChoice || item.kind == ItemKind::kMultipleChoice;
  if (choice) {
    if (item.options.size() < 2 || item.options.size() > static_cast<size_t>(kMaxOptions)) {
      err("options", absl::StrCat("от 2 до ", kMaxOptions, " вариантов ответа"));
    }
    std::set<std::string> ids;
    for (size_t k = 0; k < item.options.size(); ++k) {
      const auto& o = item.options[k];
      std::string path = absl::StrCat("options[", k, "]");
      if (!ValidId(o.option_id)) err(path, "option_id обязателен, до 64 байт, без символа «|»");
      else if (!ids.insert(o.option_id).second) err(path, absl::StrCat("option_id «", o.option_id, "» повторяется"));
      if (absl::StripAsciiWhitespace(o.text).empty() || !ValidText(o.text, 5000)) {
        err(path, "текст варианта обязателен, не длиннее 5000 байт UTF-8");
      }
    }
  } else if (!item.options.empty() && item.kind != ItemKind::kUnspecified) {
    err("options", "варианты ответа задаются только для заданий с выбором");
  }
  if (item.kind == ItemKind::kShortAnswer) {
    if (item.accepted_answers.size() > static_cast<size_t>(kMaxAcceptedAnswers)) {
      err("accepted_answers", absl::StrCat("не больше ", kMaxAcceptedAnswers, " ответов"));
    }
    for (const auto& a : item.accepted_answers) {
      if (absl::StripAsciiWhitespace(a).empty() || !ValidText(a, kMaxAnswerTextBytes)) {
        err("accepted_answers", "ответы непустые, не длиннее 2000 байт UTF-8");
        break;
      }
    }
  } else if (!item.accepted_answers.empty() && item.kind != ItemKind::kUnspecified) {
    err("accepted_answers", "допустимые ответы задаются только для заданий с кратким ответом");
  }
  if (item.kind == ItemKind::kLikert) {
    if (item.likert_max <= item.likert_min || item.likert_max - item.likert_min > 20) {
      err("likert", "шкала: min_value < max_value, не больше 21 деления");
    } else if (!item.likert_labels.empty() &&
               item.likert_labels.size() != static_cast<size_t>(item.likert_max - item.likert_min + 1)) {
      err("likert.labels", "подписей столько же, сколько делений шкалы, или ни одной");
    }
  }
  std::set<std::string> codes;
  for (size_t k = 0; k < item.weights.size(); ++k) {
    const auto& [code, w] = item.weights[k];
    std::string path = absl::StrCat("indicator_weights[", k, "]");
    if (!KnownIndicator(f, code)) {
      err(path, absl::StrCat("индикатора «", code.substr(0, 64), "» нет в рамке инструмента"));
    } else if (!codes.insert(code).second) {
      err(path, absl::StrCat("индикатор «", code, "» указан дважды"));
    }
    if (!std::isfinite(w) || w <= 0 || w > 1000) err(path, "вес должен быть больше 0 и не больше 1000");
  }
}

}  // namespace

std::vector<std::string> ValidateInstrument(const InstrumentDef& def, const Framework& framework) {
  std::vector<std::string> errors;
  if (absl::StripAsciiWhitespace(def.title).empty() || !ValidText(def.title, 512)) {
    errors.push_back("title: название обязательно, не длиннее 512 байт UTF-8");
  }
  if (!ValidText(def.purpose, 10000)) errors.push_back("purpose: не длиннее 10000 байт UTF-8");
  if (def.blocks.size() > static_cast<size_t>(kMaxBlocks)) {
    errors.push_back(absl::StrCat("blocks: не больше ", kMaxBlocks, " блоков"));
  }
  if (ItemCount(def) > kMaxItems) errors.push_back(absl::StrCat("blocks: не больше ", kMaxItems, " заданий"));
  if (!errors.empty() && def.blocks.size() > static_cast<size_t>(kMaxBlocks)) return errors;
  std::set<std::string> block_ids, item_ids;
  for (size_t b = 0; b < def.blocks.size(); ++b) {
    const auto& block = def.blocks[b];
    std::string at = absl::StrCat("blocks[", b, "]");
    if (!ValidId(block.block_id)) {
      errors.push_back(absl::StrCat(at, ".block_id: обязателен, до 64 байт, без символа «|»"));
    } else if (!block_ids.insert(block.block_id).second) {
      errors.push_back(absl::StrCat(at, ".block_id: «", block.block_id, "» повторяется"));
    }
    if (!ValidText(block.title, 512) || !ValidText(block.instructions, 20000)) {
      errors.push_back(absl::StrCat(at, ": title до 512 байт, instructions до 20000 байт UTF-8"));
    }
    if (block.kind != BlockKind::kOnline && block.kind != BlockKind::kExternallyScored) {
      errors.push_back(absl::StrCat(at, ".kind: укажите ONLINE или EXTERNALLY_SCORED"));
    }
    if (block.suggested_minutes < 0 || block.suggested_minutes > 600) {
      errors.push_back(absl::StrCat(at, ".suggested_minutes: от 0 до 600"));
    }
    for (size_t i = 0; i < block.items.size() && errors.size() < 100; ++i) {
      CheckItem(block.items[i], block.kind, absl::StrCat(at, ".items[", i, "]"), framework, item_ids, errors);
    }
  }
  return errors;
}

std::vector<std::string> ValidateForPublish(const InstrumentDef& def) {
  std::vector<std::string> errors;
  if (ItemCount(def) == 0) errors.push_back("Инструмент без заданий нельзя опубликовать");
  for (size_t b = 0; b < def.blocks.size(); ++b) {
    for (size_t i = 0; i < def.blocks[b].items.size(); ++i) {
      const auto& item = def.blocks[b].items[i];
      std::string at = absl::StrCat("blocks[", b, "].items[", i, "] («", item.item_id, "»)");
      int correct = 0;
      for (const auto& o : item.options) correct += o.correct ? 1 : 0;
      if (item.kind == ItemKind::kSingleChoice && correct != 1) {
        errors.push_back(absl::StrCat(at, ": отметьте ровно один правильный вариант"));
      }
      if (item.kind == ItemKind::kMultipleChoice && correct == 0) {
        errors.push_back(absl::StrCat(at, ": отметьте хотя бы один правильный вариант"));
      }
      if (item.kind == ItemKind::kShortAnswer && item.accepted_answers.empty()) {
        errors.push_back(absl::StrCat(at, ": укажите хотя бы один допустимый ответ"));
      }
      if (item.weights.empty()) {
        errors.push_back(absl::StrCat(at, ": задание должно измерять хотя бы один индикатор"));
      }
    }
  }
  return errors;
}

std::vector<std::string> DropUnknownIndicators(InstrumentDef& def, const Framework& framework) {
  std::vector<std::string> warnings;
  for (auto& block : def.blocks) {
    for (auto& item : block.items) {
      std::vector<std::pair<std::string, double>> kept;
      for (auto& w : item.weights) {
        if (KnownIndicator(framework, w.first)) {
          kept.push_back(std::move(w));
        } else {
          warnings.push_back(absl::StrCat("Задание «", item.item_id.substr(0, 64), "»: индикатор «",
                                          w.first.substr(0, 64), "» не найден в рамке и пропущен"));
        }
      }
      item.weights = std::move(kept);
    }
  }
  return warnings;
}

std::vector<ItemDef> AllItems(const InstrumentDef& def) {
  std::vector<ItemDef> out;
  for (const auto& b : def.blocks) out.insert(out.end(), b.items.begin(), b.items.end());
  return out;
}

double MaxScore(const InstrumentDef& def) {
  double sum = 0;
  for (const auto& b : def.blocks) {
    for (const auto& i : b.items) sum += std::isfinite(i.max_score) && i.max_score > 0 ? i.max_score : 0;
  }
  return sum;
}

int ItemCount(const InstrumentDef& def) {
  size_t n = 0;
  for (const auto& b : def.blocks) n += b.items.size();
  return static_cast<int>(n);
}

int OnlineItemCount(const InstrumentDef& def) {
  int n = 0;
  for (const auto& b : def.blocks) {
    if (b.kind != BlockKind::kExternallyScored) n += static_cast<int>(b.items.size());
  }
  return n;
}

}  // namespace nms::diagnostics
