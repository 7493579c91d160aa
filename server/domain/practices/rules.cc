#include "server/domain/practices/rules.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/domain/common/aip_filter.h"
#include "server/domain/common/names.h"
#include "server/domain/common/text.h"

namespace nms::practices {

const char* StatusTitle(Status s) {
  switch (s) {
    case Status::kDraft: return "черновик";
    case Status::kSubmitted: return "подана на экспертизу";
    case Status::kReviewed: return "прошла экспертизу";
    case Status::kPublished: return "опубликована";
    case Status::kReturned: return "возвращена на доработку";
    default: return "не задан";
  }
}

bool IsWebLink(absl::string_view url) {
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "https://") && !absl::ConsumePrefix(&rest, "http://")) return false;
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch == 0x7f) return false;
  }
  const size_t end = rest.find_first_of("/?#");
  absl::string_view host = rest.substr(0, end);
  return !host.empty() && host.front() != '.' && host.front() != ':' && host.find('@') == absl::string_view::npos;
}

namespace {

absl::Status Bad(absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": ", what));
}

}  // namespace

absl::Status ValidateDeficitTags(const std::vector<int>& areas, const std::vector<std::string>& indicator_codes,
                                 absl::string_view prefix) {
  const std::string p(prefix);
  if (areas.empty()) return Bad(p + ".areas", "укажите хотя бы одну область компетенций");
  std::set<int> seen_areas;
  for (size_t i = 0; i < areas.size(); ++i) {
    const std::string f = absl::StrCat(p, ".areas[", i, "]");
    if (areas[i] < 1 || areas[i] > 5) return Bad(f, "нет такой области компетенций");
    if (!seen_areas.insert(areas[i]).second) return Bad(f, "область указана дважды");
  }
  if (indicator_codes.size() > 30) return Bad(p + ".indicator_codes", "не больше 30 индикаторов");
  std::set<std::string> seen_codes;
  for (size_t i = 0; i < indicator_codes.size(); ++i) {
    const std::string f = absl::StrCat(p, ".indicator_codes[", i, "]");
    if (absl::Status s = RequireText(indicator_codes[i], f, 32); !s.ok()) return s;
    if (absl::StripAsciiWhitespace(indicator_codes[i]) != indicator_codes[i]) {
      return Bad(f, "код без пробелов по краям");
    }
    if (!seen_codes.insert(indicator_codes[i]).second) return Bad(f, "индикатор указан дважды");
  }
  return absl::OkStatus();
}

absl::Status ValidateDraft(const Draft& d, absl::string_view prefix) {
  const std::string p(prefix);
  if (absl::Status s = RequireText(d.title, p + ".title", 300); !s.ok()) return s;
  if (absl::Status s = RequireText(d.description, p + ".description", 20000); !s.ok()) return s;
  if (d.links.size() > 10) return Bad(p + ".links", "не больше 10 ссылок");
  std::set<std::string> seen_links;
  for (size_t i = 0; i < d.links.size(); ++i) {
    const std::string f = absl::StrCat(p, ".links[", i, "]");
    if (absl::Status s = RequireText(d.links[i], f, 2000); !s.ok()) return s;
    if (!IsWebLink(d.links[i])) return Bad(f, "нужен адрес, начинающийся с http:// или https://");
    if (!seen_links.insert(d.links[i]).second) return Bad(f, "ссылка указана дважды");
  }
  if (absl::Status s = ValidateDeficitTags(d.areas, d.indicator_codes, p); !s.ok()) return s;
  if (d.level < 1 || d.level > 3) return Bad(p + ".level", "укажите уровень: школьный, муниципальный или региональный");
  if (absl::Status s = OptionalText(d.subject, p + ".subject", 200); !s.ok()) return s;
  return absl::OkStatus();
}

const std::vector<Criterion>& Rubric() {
  static const auto* rubric = new std::vector<Criterion>{
      {"relevance", "Актуальность", "Практика отвечает на профессиональные дефициты педагогов региона", 3},
      {"effect", "Результативность", "Есть подтверждённые результаты обучающихся или педагогов", 3},
      {"reproducibility", "Воспроизводимость", "Другой педагог может повторить практику по описанию и материалам", 3},
      {"novelty", "Новизна", "Практика предлагает новое решение или новое сочетание известных", 2},
      {"description", "Качество описания", "Описание полное, структурированное, с материалами", 2},
  };
  return *rubric;
}

int RubricMax() {
  int sum = 0;
  for (const auto& c : Rubric()) sum += c.max_score;
  return sum;
}

absl::StatusOr<int> ScoreReview(const std::vector<std::pair<std::string, int>>& scores, absl::string_view field) {
  std::set<std::string> seen;
  int total = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    const std::string f = absl::StrCat(field, "[", i, "]");
    const auto& [code, score] = scores[i];
    const Criterion* c = nullptr;
    for (const auto& k : Rubric()) {
      if (code == k.code) c = &k;
    }
    // The code is not echoed: it may be anything a client sent.
    if (c == nullptr) return Bad(f, "нет такого критерия в рубрике экспертизы");
    if (!seen.insert(code).second) return Bad(f, absl::StrCat("критерий «", c->title, "» оценён дважды"));
    if (score < 0 || score > c->max_score) {
      return Bad(f, absl::StrCat("оценка по критерию «", c->title, "» — от 0 до ", c->max_score));
    }
    total += score;
  }
  for (const auto& k : Rubric()) {
    if (!seen.count(k.code)) return Bad(field, absl::StrCat("нет оценки по критерию «", k.title, "»"));
  }
  return total;
}

int ScorePercent(const std::vector<int>& totals) {
  if (totals.empty()) return 0;
  double sum = 0;
  for (int t : totals) sum += t;
  return static_cast<int>(std::lround(100.0 * sum / (static_cast<double>(totals.size()) * RubricMax())));
}

namespace {

absl::Status Refuse(Status s, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat("Практика ", StatusTitle(s), ": ", what));
}

}  // namespace

absl::Status CanEdit(Status s) {
  if (s == Status::kDraft || s == Status::kReturned) return absl::OkStatus();
  return Refuse(s, "изменять можно только черновик или возвращённую на доработку практику");
}

absl::Status CanSubmit(Status s) {
  if (s == Status::kDraft || s == Status::kReturned) return absl::OkStatus();
  return Refuse(s, "подать на экспертизу можно только черновик или доработанную практику");
}

absl::Status CanReview(Status s) {
  if (s == Status::kSubmitted || s == Status::kReviewed) return absl::OkStatus();
  return Refuse(s, "оценить можно только поданную на экспертизу практику");
}

absl::Status CanPublish(Status s, int reviews) {
  if (s != Status::kReviewed || reviews < 1) {
    return Refuse(s, "опубликовать можно только практику, прошедшую экспертизу");
  }
  return absl::OkStatus();
}

absl::Status CanReturn(Status s) {
  if (s == Status::kSubmitted || s == Status::kReviewed) return absl::OkStatus();
  return Refuse(s, "вернуть на доработку можно только поданную или прошедшую экспертизу практику");
}

absl::Status CanReviewAs(int64_t author_id, int64_t reviewer_id, bool already_reviewed) {
  if (reviewer_id == 0) return absl::PermissionDeniedError("Недостаточно прав: экспертизу проводит педагог-методист");
  if (author_id == reviewer_id) {
    return absl::FailedPreconditionError("Автор не может оценивать собственную практику");
  }
  if (already_reviewed) return absl::AlreadyExistsError("Вы уже оценили эту практику");
  return absl::OkStatus();
}

absl::StatusOr<Query> ParseQuery(absl::string_view filter) {
  Query q;
  auto terms = ParseFilter(filter, {"status", "area", "indicator", "subject", "level", "author", "organization",
                                    "municipality", "text"});
  if (!terms.ok()) return terms.status();
  for (const auto& t : *terms) {
    if (t.field == "status") {
      if (absl::Status s = FilterOps(t, {"=", "!="}); !s.ok()) return s;
      auto v = FilterEnum(t, "PRACTICE_STATUS_", {"DRAFT", "SUBMITTED", "REVIEWED", "PUBLISHED", "RETURNED"});
      if (!v.ok()) return v.status();
      q.status = *v;
      q.status_not = t.op == "!=";
    } else if (t.field == "area") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      auto v = FilterEnum(t, "COMPETENCY_AREA_",
                          {"SUBJECT", "METHODOLOGICAL", "PSYCHOLOGICAL_PEDAGOGICAL", "COMMUNICATIVE", "DIGITAL"});
      if (!v.ok()) return v.status();
      q.area = *v;
    } else if (t.field == "level") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      auto v = FilterEnum(t, "PRACTICE_LEVEL_", {"SCHOOL", "MUNICIPAL", "REGIONAL"});
      if (!v.ok()) return v.status();
      q.level = *v;
    } else if (t.field == "indicator" || t.field == "subject") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      if (absl::Status s = RequireText(t.value, absl::StrCat("filter.", t.field), 200); !s.ok()) return s;
      (t.field == "indicator" ? q.indicator : q.subject) = t.value;
    } else if (t.field == "author" || t.field == "organization" || t.field == "municipality") {
      if (absl::Status s = FilterOps(t, {"="}); !s.ok()) return s;
      const char* collection = t.field == "author" ? "people" : t.field == "organization" ? "organizations"
                                                                                            : "municipalities";
      auto id = FilterName(t, collection);
      if (!id.ok()) return id.status();
      (t.field == "author" ? q.author_id : t.field == "organization" ? q.organization_id : q.municipality_id) = *id;
    } else if (t.field == "text") {
      if (absl::Status s = FilterWords(t, &q.words); !s.ok()) return s;
    }
  }
  return q;
}

absl::StatusOr<Order> ParseOrder(absl::string_view order_by) {
  const std::string o = absl::AsciiStrToLower(absl::StripAsciiWhitespace(order_by));
  if (o.empty() || o == "update_time desc") return Order::kUpdatedDesc;
  if (o == "title") return Order::kTitle;
  if (o == "score desc") return Order::kScoreDesc;
  return Bad("order_by", "можно «update_time desc», «title» или «score desc»");
}

}  // namespace nms::practices
