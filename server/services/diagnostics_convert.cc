#include "server/services/diagnostics_convert.h"

namespace nms::services {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;

namespace {

dx::Thresholds ThresholdsFromProto(const v1::LevelThresholds& t) {
  return {t.basic_min_percent(), t.advanced_min_percent(), t.high_min_percent()};
}

}  // namespace

dx::Framework FrameworkFromProto(const v1::CompetencyFramework& f) {
  dx::Framework out;
  for (const auto& a : f.areas()) out.areas.push_back({a.area(), a.title(), ThresholdsFromProto(a.thresholds())});
  for (const auto& i : f.indicators()) {
    dx::IndicatorDef d{i.code(), i.area(), i.title(), std::nullopt};
    if (i.has_basic_min_percent()) d.basic_min = i.basic_min_percent();
    out.indicators.push_back(std::move(d));
  }
  out.overall = ThresholdsFromProto(f.overall_thresholds());
  return out;
}

dx::ItemDef ItemFromProto(const v1::InstrumentItem& item) {
  dx::ItemDef d;
  d.item_id = item.item_id();
  d.kind = static_cast<dx::ItemKind>(item.kind());
  d.text = item.text();
  for (const auto& o : item.options()) d.options.push_back({o.option_id(), o.text(), o.correct()});
  d.accepted_answers.assign(item.accepted_answers().begin(), item.accepted_answers().end());
  d.case_sensitive = item.case_sensitive();
  d.likert_min = item.likert().min_value();
  d.likert_max = item.likert().max_value();
  d.likert_labels.assign(item.likert().labels().begin(), item.likert().labels().end());
  d.likert_reversed = item.likert().reversed();
  d.max_score = item.max_score();
  d.choice_scoring = static_cast<dx::ChoiceScoring>(item.multiple_choice_scoring());
  for (const auto& w : item.indicator_weights()) d.weights.emplace_back(w.indicator_code(), w.weight());
  d.required = item.required();
  return d;
}

dx::InstrumentDef InstrumentFromProto(const v1::Instrument& i) {
  dx::InstrumentDef out;
  out.title = i.title();
  out.purpose = i.purpose();
  for (const auto& b : i.blocks()) {
    dx::BlockDef block{b.block_id(), b.title(), b.instructions(), static_cast<dx::BlockKind>(b.kind()),
                       b.suggested_minutes(), {}};
    for (const auto& item : b.items()) block.items.push_back(ItemFromProto(item));
    out.blocks.push_back(std::move(block));
  }
  return out;
}

dx::Answer AnswerFromProto(const v1::ItemAnswer& a) {
  dx::Answer out;
  out.selected_option_ids.assign(a.selected_option_ids().begin(), a.selected_option_ids().end());
  out.text = a.text();
  if (a.has_likert_value()) out.likert_value = a.likert_value();
  return out;
}

std::map<std::string, dx::Answer> AnswersFromProto(const std::map<std::string, v1::ItemAnswer>& answers) {
  std::map<std::string, dx::Answer> out;
  for (const auto& [id, a] : answers) out[id] = AnswerFromProto(a);
  return out;
}

void FillProfile(const dx::Profile& p, v1::DiagnosticResult* out) {
  out->set_overall_score_percent(p.overall_score);
  out->set_overall_level(static_cast<v1::CompetencyLevel>(p.overall_level));
  out->clear_area_scores();
  out->clear_indicator_scores();
  out->clear_deficits();
  for (const auto& a : p.areas) {
    auto* s = out->add_area_scores();
    s->set_area(static_cast<v1::CompetencyArea>(a.area));
    s->set_score_percent(a.score);
    s->set_level(static_cast<v1::CompetencyLevel>(a.level));
  }
  for (const auto& i : p.indicators) {
    auto* s = out->add_indicator_scores();
    s->set_indicator_code(i.code);
    s->set_area(static_cast<v1::CompetencyArea>(i.area));
    s->set_score_percent(i.score);
    s->set_level(static_cast<v1::CompetencyLevel>(i.level));
    s->set_deficit(i.deficit);
  }
  for (const auto& d : p.deficits) {
    auto* s = out->add_deficits();
    s->set_indicator_code(d.code);
    s->set_area(static_cast<v1::CompetencyArea>(d.area));
    s->set_title(d.title);
    s->set_score_percent(d.score);
    s->set_threshold_percent(d.threshold);
    s->set_gap_percent(d.gap);
    s->set_rank(d.rank);
  }
}

dx::Profile ProfileFromResult(const v1::DiagnosticResult& r) {
  dx::Profile p;
  for (const auto& a : r.area_scores()) p.areas.push_back({a.area(), a.score_percent(), static_cast<dx::Level>(a.level())});
  for (const auto& i : r.indicator_scores()) {
    p.indicators.push_back({i.indicator_code(), i.area(), i.score_percent(), static_cast<dx::Level>(i.level()), i.deficit()});
  }
  for (const auto& d : r.deficits()) {
    p.deficits.push_back({d.indicator_code(), d.area(), d.title(), d.score_percent(), d.threshold_percent(),
                          d.gap_percent(), d.rank()});
  }
  p.overall_score = r.overall_score_percent();
  p.overall_level = static_cast<dx::Level>(r.overall_level());
  return p;
}

void StripAnswerKey(v1::Instrument* i) {
  for (auto& b : *i->mutable_blocks()) {
    for (auto& item : *b.mutable_items()) {
      item.clear_accepted_answers();
      item.clear_case_sensitive();
      for (auto& o : *item.mutable_options()) o.clear_correct();
    }
  }
}

std::vector<int> AreaOrder(const v1::CompetencyFramework& f) {
  std::vector<int> out;
  for (const auto& a : f.areas()) out.push_back(a.area());
  return out;
}

}  // namespace nms::services
