// Frameworks and instruments. Items are stored as rows for ordering and indicator lookups and
// as the proto3 JSON of nms.v1.InstrumentItem for their options, keys and scale.

#include "server/db/diagnostics_repository.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {

namespace v1 = nms::v1;
using diag::NotFound;
using diag::ReadTime;
using diag::Where;

namespace {

v1::LevelThresholds Thresholds(sql::ResultSet& rs, const char* basic, const char* advanced, const char* high) {
  v1::LevelThresholds t;
  t.set_basic_min_percent(rs.getDouble(basic));
  t.set_advanced_min_percent(rs.getDouble(advanced));
  t.set_high_min_percent(rs.getDouble(high));
  return t;
}

constexpr char kFrameworkSelect[] =
    "SELECT id, region_id, title, revision, based_on_id, state, overall_basic, overall_advanced, overall_high, "
    "version, UNIX_TIMESTAMP(created_at) AS created, UNIX_TIMESTAMP(updated_at) AS updated, "
    "UNIX_TIMESTAMP(published_at) AS published FROM diagnostic_frameworks ";

v1::CompetencyFramework ReadFrameworkHeader(sql::ResultSet& rs) {
  v1::CompetencyFramework f;
  f.set_name(ResourceName("frameworks", rs.getInt64("id")));
  f.set_region(ResourceName("regions", rs.getInt64("region_id")));
  f.set_title(GetStr(rs, "title"));
  f.set_revision(rs.getInt("revision"));
  if (int64_t b = GetInt(rs, "based_on_id")) f.set_based_on(ResourceName("frameworks", b));
  f.set_state(static_cast<v1::CompetencyFrameworkState>(rs.getInt("state")));
  *f.mutable_overall_thresholds() = Thresholds(rs, "overall_basic", "overall_advanced", "overall_high");
  f.set_version(rs.getInt64("version"));
  *f.mutable_create_time() = diag::ToTimestamp(ReadTime(rs, "created"));
  *f.mutable_update_time() = diag::ToTimestamp(ReadTime(rs, "updated"));
  if (auto p = ReadTime(rs, "published")) *f.mutable_publish_time() = diag::ToTimestamp(p);
  return f;
}

void LoadFrameworkContent(sql::Connection& c, int64_t id, v1::CompetencyFramework& f) {
  auto areas = Stmt(c, "SELECT area, title, description, basic_min, advanced_min, high_min "
                       "FROM diagnostic_framework_areas WHERE framework_id = ? ORDER BY ordinal, area")
                   .Int(id)
                   .Query();
  while (areas->next()) {
    auto* a = f.add_areas();
    a->set_area(static_cast<v1::CompetencyArea>(areas->getInt("area")));
    a->set_title(GetStr(*areas, "title"));
    a->set_description(GetStr(*areas, "description"));
    *a->mutable_thresholds() = Thresholds(*areas, "basic_min", "advanced_min", "high_min");
  }
  auto inds = Stmt(c, "SELECT code, area, title, description, basic_min FROM competency_indicators "
                      "WHERE framework_version = ? ORDER BY ordinal, code")
                  .Int(id)
                  .Query();
  while (inds->next()) {
    auto* i = f.add_indicators();
    i->set_code(GetStr(*inds, "code"));
    i->set_area(static_cast<v1::CompetencyArea>(inds->getInt("area")));
    i->set_title(GetStr(*inds, "title"));
    i->set_description(GetStr(*inds, "description"));
    if (!inds->isNull("basic_min")) i->set_basic_min_percent(inds->getDouble("basic_min"));
  }
}

void WriteFrameworkContent(sql::Connection& c, int64_t id, const v1::CompetencyFramework& f) {
  Stmt(c, "DELETE FROM diagnostic_framework_areas WHERE framework_id = ?").Int(id).Execute();
  Stmt(c, "DELETE FROM competency_indicators WHERE framework_version = ?").Int(id).Execute();
  diag::InsertRows(c,
                   "diagnostic_framework_areas (framework_id, area, ordinal, title, description, basic_min, "
                   "advanced_min, high_min)",
                   8, f.areas_size(), [&](Stmt& st, size_t i) {
                     const auto& a = f.areas(static_cast<int>(i));
                     st.Int(id).Int(a.area()).Int(static_cast<int64_t>(i)).Str(a.title()).OptStr(a.description())
                         .Double(a.thresholds().basic_min_percent())
                         .Double(a.thresholds().advanced_min_percent())
                         .Double(a.thresholds().high_min_percent());
                   });
  diag::InsertRows(c,
                   "competency_indicators (framework_version, code, area, ordinal, title, description, basic_min)", 7,
                   f.indicators_size(), [&](Stmt& st, size_t i) {
                     const auto& d = f.indicators(static_cast<int>(i));
                     st.Int(id).Str(d.code()).Int(d.area()).Int(static_cast<int64_t>(i)).Str(d.title())
                         .OptStr(d.description());
                     if (d.has_basic_min_percent()) st.Double(d.basic_min_percent()); else st.Null();
                   });
}

std::string Joined(const google::protobuf::RepeatedPtrField<std::string>& v) { return absl::StrJoin(v, "|"); }

void Split(const std::string& s, google::protobuf::RepeatedPtrField<std::string>* out) {
  for (auto part : absl::StrSplit(s, '|', absl::SkipEmpty())) out->Add(std::string(part));
}

constexpr char kInstrumentSelect[] =
    "SELECT id, region_id, framework_id, title, purpose, positions, subjects, state, external_id, max_score, "
    "item_count, version, UNIX_TIMESTAMP(created_at) AS created, UNIX_TIMESTAMP(updated_at) AS updated "
    "FROM diagnostic_instruments ";

v1::Instrument ReadInstrumentHeader(sql::ResultSet& rs) {
  v1::Instrument i;
  i.set_name(ResourceName("instruments", rs.getInt64("id")));
  i.set_region(ResourceName("regions", rs.getInt64("region_id")));
  i.set_framework(ResourceName("frameworks", rs.getInt64("framework_id")));
  i.set_title(GetStr(rs, "title"));
  i.set_purpose(GetStr(rs, "purpose"));
  Split(GetStr(rs, "positions"), i.mutable_positions());
  Split(GetStr(rs, "subjects"), i.mutable_subjects());
  i.set_state(static_cast<v1::InstrumentState>(rs.getInt("state")));
  i.set_external_id(GetStr(rs, "external_id"));
  i.set_max_score(rs.getDouble("max_score"));
  i.set_item_count(rs.getInt("item_count"));
  i.set_version(rs.getInt64("version"));
  *i.mutable_create_time() = diag::ToTimestamp(ReadTime(rs, "created"));
  *i.mutable_update_time() = diag::ToTimestamp(ReadTime(rs, "updated"));
  return i;
}

void WriteInstrumentContent(sql::Connection& c, int64_t id, const v1::Instrument& in) {
  // Items and weights cascade from their blocks.
  Stmt(c, "DELETE FROM diagnostic_instrument_blocks WHERE instrument_id = ?").Int(id).Execute();
  diag::InsertRows(c,
                   "diagnostic_instrument_blocks (instrument_id, block_id, ordinal, title, instructions, kind, "
                   "suggested_minutes)",
                   7, in.blocks_size(), [&](Stmt& st, size_t b) {
                     const auto& block = in.blocks(static_cast<int>(b));
                     st.Int(id).Str(block.block_id()).Int(static_cast<int64_t>(b)).Str(block.title())
                         .OptStr(block.instructions()).Int(block.kind()).Int(block.suggested_minutes());
                   });
  struct ItemRef {
    const v1::InstrumentItem* item;
    const std::string* block_id;
  };
  std::vector<ItemRef> items;
  for (const auto& block : in.blocks()) {
    for (const auto& item : block.items()) items.push_back({&item, &block.block_id()});
  }
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  diag::InsertRows(c,
                   "diagnostic_instrument_items (instrument_id, item_id, block_id, ordinal, kind, max_score, "
                   "required, body_json)",
                   8, items.size(), [&](Stmt& st, size_t k) {
                     const auto& item = *items[k].item;
                     std::string json;
                     (void)google::protobuf::util::MessageToJsonString(item, &json, opts);
                     st.Int(id).Str(item.item_id()).Str(*items[k].block_id).Int(static_cast<int64_t>(k))
                         .Int(item.kind()).Double(item.max_score()).Bool(item.required()).Str(json);
                   });
  struct WeightRef {
    const std::string* item_id;
    const v1::ItemIndicatorWeight* w;
  };
  std::vector<WeightRef> weights;
  for (const auto& ref : items) {
    for (const auto& w : ref.item->indicator_weights()) weights.push_back({&ref.item->item_id(), &w});
  }
  diag::InsertRows(c, "diagnostic_item_indicators (instrument_id, item_id, indicator_code, weight)", 4,
                   weights.size(), [&](Stmt& st, size_t k) {
                     st.Int(id).Str(*weights[k].item_id).Str(weights[k].w->indicator_code()).Double(weights[k].w->weight());
                   });
}

}  // namespace

// ---------------------------------------------------------------- frameworks

absl::StatusOr<v1::CompetencyFramework> DiagnosticsRepository::GetFramework(sql::Connection& c, int64_t id,
                                                                            bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kFrameworkSelect, "WHERE id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return NotFound("Рамка компетенций", id);
  v1::CompetencyFramework f = ReadFrameworkHeader(*rs);
  LoadFrameworkContent(c, id, f);
  return f;
}

static std::vector<v1::CompetencyFramework> ListFrameworksWhere(sql::Connection& c, const Where& where,
                                                                const PageRequest& paging, ListPage* page) {
  page->total_size = diag::CountWhere(c, "diagnostic_frameworks", where);
  auto rs = diag::QueryPage(c, kFrameworkSelect, where, "id", false, paging);
  std::vector<v1::CompetencyFramework> out;
  std::vector<int64_t> ids;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    out.push_back(ReadFrameworkHeader(r));
    ids.push_back(r.getInt64("id"));
    return ids.back();
  });
  for (size_t i = 0; i < out.size(); ++i) LoadFrameworkContent(c, ids[i], out[i]);
  return out;
}

int64_t DiagnosticsRepository::InsertFramework(sql::Connection& c, int64_t region_id, int64_t based_on_id,
                                               const v1::CompetencyFramework& f) {
  Stmt(c, "SELECT id FROM regions WHERE id = ? FOR UPDATE").Int(region_id).Query();
  auto rs = Stmt(c, "SELECT COALESCE(MAX(revision), 0) + 1 FROM diagnostic_frameworks WHERE region_id = ?")
                .Int(region_id)
                .Query();
  rs->next();
  int64_t revision = rs->getInt64(1);
  Stmt(c, "INSERT INTO diagnostic_frameworks (region_id, title, revision, based_on_id, state, overall_basic, "
          "overall_advanced, overall_high) VALUES (?, ?, ?, ?, 1, ?, ?, ?)")
      .Int(region_id)
      .Str(f.title())
      .Int(revision)
      .OptInt(based_on_id)
      .Double(f.overall_thresholds().basic_min_percent())
      .Double(f.overall_thresholds().advanced_min_percent())
      .Double(f.overall_thresholds().high_min_percent())
      .Execute();
  int64_t id = LastInsertId(c);
  WriteFrameworkContent(c, id, f);
  return id;
}

void DiagnosticsRepository::UpdateFramework(sql::Connection& c, int64_t id, const v1::CompetencyFramework& f) {
  Stmt(c, "UPDATE diagnostic_frameworks SET title = ?, overall_basic = ?, overall_advanced = ?, overall_high = ?, "
          "version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(f.title())
      .Double(f.overall_thresholds().basic_min_percent())
      .Double(f.overall_thresholds().advanced_min_percent())
      .Double(f.overall_thresholds().high_min_percent())
      .Int(id)
      .Execute();
  WriteFrameworkContent(c, id, f);
}

void DiagnosticsRepository::PublishFramework(sql::Connection& c, int64_t id, int64_t region_id) {
  Stmt(c, "UPDATE diagnostic_frameworks SET state = 3, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE region_id = ? AND state = 2")
      .Int(region_id)
      .Execute();
  Stmt(c, "UPDATE diagnostic_frameworks SET state = 2, version = version + 1, updated_at = CURRENT_TIMESTAMP(6), "
          "published_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(id)
      .Execute();
}

absl::StatusOr<int64_t> DiagnosticsRepository::PublishedFrameworkId(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT id FROM diagnostic_frameworks WHERE region_id = ? AND state = 2 ORDER BY revision DESC "
                    "LIMIT 1")
                .Int(region_id)
                .Query();
  if (!rs->next()) {
    return absl::FailedPreconditionError("В регионе нет опубликованной рамки компетенций");
  }
  return rs->getInt64(1);
}

// ---------------------------------------------------------------- instruments

absl::StatusOr<v1::Instrument> DiagnosticsRepository::GetInstrument(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kInstrumentSelect, "WHERE id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return NotFound("Инструмент", id);
  v1::Instrument out = ReadInstrumentHeader(*rs);
  auto blocks = Stmt(c, "SELECT block_id, title, instructions, kind, suggested_minutes FROM "
                        "diagnostic_instrument_blocks WHERE instrument_id = ? ORDER BY ordinal")
                    .Int(id)
                    .Query();
  std::map<std::string, v1::InstrumentBlock*> by_id;
  while (blocks->next()) {
    auto* b = out.add_blocks();
    b->set_block_id(GetStr(*blocks, "block_id"));
    b->set_title(GetStr(*blocks, "title"));
    b->set_instructions(GetStr(*blocks, "instructions"));
    b->set_kind(static_cast<v1::InstrumentBlockKind>(blocks->getInt("kind")));
    b->set_suggested_minutes(blocks->getInt("suggested_minutes"));
  }
  for (auto& b : *out.mutable_blocks()) by_id[b.block_id()] = &b;
  auto items = Stmt(c, "SELECT block_id, body_json FROM diagnostic_instrument_items WHERE instrument_id = ? "
                       "ORDER BY ordinal")
                   .Int(id)
                   .Query();
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  while (items->next()) {
    auto it = by_id.find(GetStr(*items, "block_id"));
    if (it == by_id.end()) continue;
    v1::InstrumentItem item;
    if (!google::protobuf::util::JsonStringToMessage(GetStr(*items, "body_json"), &item, opts).ok()) {
      return absl::InternalError(absl::StrCat("Повреждено задание инструмента ", id));
    }
    *it->second->add_items() = std::move(item);
  }
  return out;
}

static std::vector<v1::Instrument> ListInstrumentsWhere(sql::Connection& c, const Where& where,
                                                        const PageRequest& paging, ListPage* page) {
  page->total_size = diag::CountWhere(c, "diagnostic_instruments", where);
  auto rs = diag::QueryPage(c, kInstrumentSelect, where, "id", false, paging);
  std::vector<v1::Instrument> out;
  diag::ReadPage(*rs, paging, &page->next_page_token, [&](sql::ResultSet& r) {
    out.push_back(ReadInstrumentHeader(r));
    return r.getInt64("id");
  });
  return out;
}

int64_t DiagnosticsRepository::InsertInstrument(sql::Connection& c, int64_t region_id, int64_t framework_id,
                                                const v1::Instrument& i) {
  Stmt(c, "INSERT INTO diagnostic_instruments (region_id, framework_id, title, purpose, positions, subjects, state, "
          "external_id, max_score, item_count) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)")
      .Int(region_id)
      .Int(framework_id)
      .Str(i.title())
      .OptStr(i.purpose())
      .Str(Joined(i.positions()))
      .Str(Joined(i.subjects()))
      .OptStr(i.external_id())
      .Double(i.max_score())
      .Int(i.item_count())
      .Execute();
  int64_t id = LastInsertId(c);
  WriteInstrumentContent(c, id, i);
  return id;
}

void DiagnosticsRepository::UpdateInstrument(sql::Connection& c, int64_t id, int64_t framework_id,
                                             const v1::Instrument& i) {
  Stmt(c, "UPDATE diagnostic_instruments SET framework_id = ?, title = ?, purpose = ?, positions = ?, subjects = ?, "
          "external_id = ?, max_score = ?, item_count = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?")
      .Int(framework_id)
      .Str(i.title())
      .OptStr(i.purpose())
      .Str(Joined(i.positions()))
      .Str(Joined(i.subjects()))
      .OptStr(i.external_id())
      .Double(i.max_score())
      .Int(i.item_count())
      .Int(id)
      .Execute();
  WriteInstrumentContent(c, id, i);
}

void DiagnosticsRepository::SetInstrumentState(sql::Connection& c, int64_t id, int state) {
  Stmt(c, "UPDATE diagnostic_instruments SET state = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?")
      .Int(state)
      .Int(id)
      .Execute();
}

void DiagnosticsRepository::DeleteInstrument(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM diagnostic_instruments WHERE id = ?").Int(id).Execute();
}

// ---------------------------------------------------------------- lists

namespace {

using FF = diag::FilterField;

Where InRegions(const std::vector<int64_t>& regions) {
  Where w;
  // Region ids are integers from the caller's grants: safe to inline.
  w.Add(regions.empty() ? "FALSE" : absl::StrCat("region_id IN (", absl::StrJoin(regions, ","), ")"));
  return w;
}

}  // namespace

absl::StatusOr<std::vector<v1::CompetencyFramework>> DiagnosticsRepository::ListFrameworks(
    sql::Connection& c, const std::vector<int64_t>& regions, const ListQuery& q, ListPage* page) {
  Where w = InRegions(regions);
  RETURN_IF_ERROR(diag::ApplyFilter(q.filter,
                                    {{"region", "region_id", FF::Kind::kRef, "regions"},
                                     {"state", "state", FF::Kind::kEnum, "", v1::CompetencyFrameworkState_descriptor()}},
                                    w));
  return ListFrameworksWhere(c, w, q.paging, page);
}

absl::StatusOr<std::vector<v1::Instrument>> DiagnosticsRepository::ListInstruments(
    sql::Connection& c, const std::vector<int64_t>& regions, const ListQuery& q, ListPage* page) {
  Where w = InRegions(regions);
  // Positions and subjects are '|'-joined lists: the filter matches one element.
  std::vector<FilterTerm> rest;
  for (const auto& cl : q.filter) {
    if ((cl.field == "position" || cl.field == "subject") && cl.op == "=") {
      w.Str(absl::StrCat("CONCAT('|', ", cl.field == "position" ? "positions" : "subjects",
                         ", '|') LIKE CONCAT('%|', ?, '|%')"),
            cl.value);
    } else {
      rest.push_back(cl);
    }
  }
  RETURN_IF_ERROR(diag::ApplyFilter(rest,
                                    {{"region", "region_id", FF::Kind::kRef, "regions"},
                                     {"framework", "framework_id", FF::Kind::kRef, "frameworks"},
                                     {"state", "state", FF::Kind::kEnum, "", v1::InstrumentState_descriptor()}},
                                    w));
  return ListInstrumentsWhere(c, w, q.paging, page);
}

}  // namespace nms::db
