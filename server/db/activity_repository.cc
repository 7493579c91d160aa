#include "server/db/activity_repository.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/proto_enum.h"
#include "server/db/bulk_insert.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/domain/route/catalogue.h"
#include "server/mapping/proto_time.h"

namespace nms::db {
namespace {

namespace v1 = nms::v1;

constexpr char kSelect[] =
    "SELECT a.id, a.region_id, a.kind, a.event_kind, a.title, a.description, a.hours, a.format, a.learning_form, "
    "a.provider_organization_id, a.provider_title, a.federal_registry_id, a.positions, a.subjects, a.start_date, "
    "a.end_date, a.url, a.active, a.federal, a.version, CAST(UNIX_TIMESTAMP(a.created_at) * 1000000 AS SIGNED) AS c_us, "
    "CAST(UNIX_TIMESTAMP(a.updated_at) * 1000000 AS SIGNED) AS u_us FROM activities a ";

std::vector<std::string> Lines(const std::string& s) { return absl::StrSplit(s, '\n', absl::SkipEmpty()); }

v1::Activity Read(sql::ResultSet& rs) {
  v1::Activity a;
  a.set_name(ResourceName("activities", rs.getInt64("id")));
  a.set_region(ResourceName("regions", rs.getInt64("region_id")));
  a.set_kind(static_cast<v1::ActivityKind>(rs.getInt("kind")));
  a.set_event_kind(static_cast<v1::ActivityEventKind>(rs.getInt("event_kind")));
  a.set_section(static_cast<v1::RouteSection>(route::SectionOf(static_cast<route::ActivityKind>(a.kind()))));
  a.set_title(GetStr(rs, "title"));
  a.set_description(GetStr(rs, "description"));
  a.set_hours(rs.getInt("hours"));
  a.set_format(static_cast<v1::ActivityFormat>(rs.getInt("format")));
  a.set_learning_form(static_cast<v1::LearningForm>(rs.getInt("learning_form")));
  if (int64_t p = GetInt(rs, "provider_organization_id")) a.set_provider(ResourceName("organizations", p));
  a.set_provider_title(GetStr(rs, "provider_title"));
  a.set_federal_registry_id(GetStr(rs, "federal_registry_id"));
  for (auto& s : Lines(GetStr(rs, "positions"))) a.add_positions(s);
  for (auto& s : Lines(GetStr(rs, "subjects"))) a.add_subjects(s);
  a.set_allocated_start_date(mapping::NewProtoDate(GetDay(rs, "start_date")));
  a.set_allocated_end_date(mapping::NewProtoDate(GetDay(rs, "end_date")));
  a.set_url(GetStr(rs, "url"));
  a.set_active(rs.getBoolean("active"));
  a.set_federal(rs.getBoolean("federal"));
  a.set_version(rs.getInt64("version"));
  *a.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("c_us")));
  *a.mutable_update_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("u_us")));
  return a;
}

// Attaches addressed indicators and areas to the activities (by id).
void AttachTargets(sql::Connection& c, std::vector<v1::Activity*>& acts) {
  if (acts.empty()) return;
  std::map<int64_t, v1::Activity*> by_id;
  std::vector<int64_t> ids;
  for (auto* a : acts) {
    int64_t id = 0;
    (void)absl::SimpleAtoi(a->name().substr(11), &id);
    by_id[id] = a;
    ids.push_back(id);
  }
  auto rs = Stmt(c, absl::StrCat("SELECT activity_id, indicator_code FROM activity_indicators WHERE activity_id IN (",
                                 IdList(ids), ") ORDER BY activity_id, indicator_code"))
                .Query();
  while (rs->next()) by_id[rs->getInt64(1)]->add_addressed_indicator_codes(rs->getString(2));
  auto ra = Stmt(c, absl::StrCat("SELECT activity_id, area FROM activity_areas WHERE activity_id IN (", IdList(ids),
                                 ") ORDER BY activity_id, area"))
                .Query();
  while (ra->next()) by_id[ra->getInt64(1)]->add_addressed_areas(static_cast<v1::CompetencyArea>(ra->getInt(2)));
}

void WriteTargets(sql::Connection& c, int64_t id, const std::vector<std::string>& codes, const std::vector<int>& areas) {
  Stmt(c, "DELETE FROM activity_indicators WHERE activity_id = ?").Int(id).Execute();
  Stmt(c, "DELETE FROM activity_areas WHERE activity_id = ?").Int(id).Execute();
  BulkInsert ind(c, "INSERT IGNORE INTO activity_indicators (activity_id, indicator_code) VALUES ", 2);
  for (const auto& code : codes) {
    ind.Int(id).Str(code);
    ind.EndRow();
  }
  ind.Flush();
  BulkInsert ar(c, "INSERT IGNORE INTO activity_areas (activity_id, area) VALUES ", 2);
  for (int area : areas) {
    ar.Int(id).Int(area);
    ar.EndRow();
  }
  ar.Flush();
}

std::optional<absl::CivilDay> Day(const v1::Date& d) {
  if (d.year() == 0) return std::nullopt;
  return absl::CivilDay(d.year(), d.month(), d.day());
}

void Bind(Stmt& st, const v1::Activity& a, int64_t provider) {
  st.Int(a.kind())
      .Int(a.event_kind())
      .Str(a.title())
      .Str(a.description())
      .Int(a.hours())
      .Int(a.format())
      .Int(a.learning_form())
      .OptInt(provider)
      .Str(a.provider_title())
      .OptStr(a.federal_registry_id())
      .Str(absl::StrJoin(a.positions(), "\n"))
      .Str(absl::StrJoin(a.subjects(), "\n"))
      .Day(Day(a.start_date()))
      .Day(Day(a.end_date()))
      .Str(a.url())
      .Bool(a.active());
}

std::vector<int> Areas(const v1::Activity& a) { return {a.addressed_areas().begin(), a.addressed_areas().end()}; }
std::vector<std::string> Codes(const v1::Activity& a) {
  return {a.addressed_indicator_codes().begin(), a.addressed_indicator_codes().end()};
}

}  // namespace

absl::StatusOr<v1::Activity> ActivityRepository::Get(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kSelect, "WHERE a.id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Мероприятие activities/", id, " не найдено"));
  v1::Activity a = Read(*rs);
  std::vector<v1::Activity*> one = {&a};
  AttachTargets(c, one);
  return a;
}

absl::StatusOr<int64_t> ActivityRepository::RegionOf(sql::Connection& c, int64_t id) {
  auto rs = Stmt(c, "SELECT region_id FROM activities WHERE id = ?").Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Мероприятие activities/", id, " не найдено"));
  return rs->getInt64(1);
}

int64_t ActivityRepository::Insert(sql::Connection& c, int64_t region_id, const v1::Activity& a, int64_t provider) {
  Stmt st(c,
          "INSERT INTO activities (kind, event_kind, title, description, hours, format, learning_form, "
          "provider_organization_id, provider_title, federal_registry_id, positions, subjects, start_date, end_date, "
          "url, active, region_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Bind(st, a, provider);
  st.Int(region_id).Execute();
  int64_t id = LastInsertId(c);
  WriteTargets(c, id, Codes(a), Areas(a));
  return id;
}

void ActivityRepository::Update(sql::Connection& c, int64_t id, const v1::Activity& a, int64_t provider) {
  Stmt st(c,
          "UPDATE activities SET kind = ?, event_kind = ?, title = ?, description = ?, hours = ?, format = ?, "
          "learning_form = ?, provider_organization_id = ?, provider_title = ?, federal_registry_id = ?, positions = ?, "
          "subjects = ?, start_date = ?, end_date = ?, url = ?, active = ?, version = version + 1, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?");
  Bind(st, a, provider);
  st.Int(id).Execute();
  WriteTargets(c, id, Codes(a), Areas(a));
}

bool ActivityRepository::UsedByItems(sql::Connection& c, int64_t id) {
  return Stmt(c, "SELECT 1 FROM route_items WHERE activity_id = ? LIMIT 1").Int(id).Query()->next();
}

void ActivityRepository::Delete(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM activities WHERE id = ?").Int(id).Execute();
}

std::optional<int64_t> ActivityRepository::FindByRegistryId(sql::Connection& c, int64_t region_id,
                                                           const std::string& registry_id) {
  auto rs = Stmt(c, "SELECT id FROM activities WHERE region_id = ? AND federal_registry_id = ? ORDER BY id LIMIT 1")
                .Int(region_id)
                .Str(registry_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return rs->getInt64(1);
}

absl::Status ActivityRepository::List(sql::Connection& c, int64_t region_id, const std::vector<FilterTerm>& terms,
                                      const PageRequest& page, std::vector<v1::Activity>* out,
                                      std::string* next_page_token, int64_t* total_size) {
  std::string where = "a.region_id = ?";
  // Every filter value is bound as text; MariaDB compares it with the integer columns exactly.
  std::vector<std::string> binds;
  auto add_int = [&](const std::string& sql, int64_t v) {
    absl::StrAppend(&where, sql);
    binds.push_back(absl::StrCat(v));
  };
  auto add_str = [&](const std::string& sql, const std::string& v) {
    absl::StrAppend(&where, sql);
    binds.push_back(v);
  };
  absl::Status bad;
  auto enum_value = [&](const google::protobuf::EnumDescriptor* e, const FilterTerm& t, int64_t* out) {
    auto n = FilterEnum(t, e);
    if (!n.ok()) bad = n.status();
    else *out = *n;
    return n.ok();
  };
  for (const auto& t : terms) {
    if (t.op != "=" && !(t.op == ":" && (t.field == "addressed_indicator_codes" || t.field == "addressed_areas"))) {
      return absl::InvalidArgumentError(absl::StrCat("Поле filter: для «", t.field, "» поддерживается только ="));
    }
    int64_t n = 0;
    if (t.field == "region") {
      // The region is resolved by the service; the term is only checked there.
      continue;
    } else if (t.field == "kind") {
      if (!enum_value(v1::ActivityKind_descriptor(), t, &n)) return bad;
      add_int(" AND a.kind = ?", n);
    } else if (t.field == "event_kind") {
      if (!enum_value(v1::ActivityEventKind_descriptor(), t, &n)) return bad;
      add_int(" AND a.event_kind = ?", n);
    } else if (t.field == "format") {
      if (!enum_value(v1::ActivityFormat_descriptor(), t, &n)) return bad;
      add_int(" AND a.format = ?", n);
    } else if (t.field == "active") {
      auto on = FilterBool(t);
      if (!on.ok()) return on.status();
      add_int(" AND a.active = ?", *on);
    } else if (t.field == "addressed_indicator_codes") {
      add_str(" AND EXISTS (SELECT 1 FROM activity_indicators i WHERE i.activity_id = a.id AND i.indicator_code = ?)",
              t.value);
    } else if (t.field == "addressed_areas") {
      if (!enum_value(v1::CompetencyArea_descriptor(), t, &n)) return bad;
      add_int(" AND EXISTS (SELECT 1 FROM activity_areas x WHERE x.activity_id = a.id AND x.area = ?)", n);
    } else if (t.field == "federal_registry_id") {
      add_str(" AND a.federal_registry_id = ?", t.value);
    }
  }
  const int64_t after = page.AfterNumber();
  auto bind = [&](Stmt& st) {
    st.Int(region_id);
    for (const auto& b : binds) st.Str(b);
  };
  {
    Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM activities a WHERE ", where));
    bind(st);
    auto rs = st.Query();
    *total_size = rs->next() ? rs->getInt64(1) : 0;
  }
  Stmt st(c, absl::StrCat(kSelect, "WHERE ", where, " AND a.id > ? ORDER BY a.id LIMIT ?"));
  bind(st);
  st.Int(after).Int(page.size() + 1);
  auto rs = st.Query();
  int64_t last = 0;
  while (rs->next()) {
    if (static_cast<int>(out->size()) == page.size()) {
      *next_page_token = page.NextNumber(last);
      break;
    }
    last = rs->getInt64("id");
    out->push_back(Read(*rs));
  }
  std::vector<v1::Activity*> ptrs;
  for (auto& a : *out) ptrs.push_back(&a);
  AttachTargets(c, ptrs);
  return absl::OkStatus();
}

std::vector<route::Activity> ActivityRepository::LoadCatalogue(sql::Connection& c, int64_t region_id) {
  std::vector<route::Activity> out;
  std::map<int64_t, size_t> index;
  auto rs = Stmt(c,
                 "SELECT id, kind, title, hours, format, provider_title, federal_registry_id, positions, subjects, "
                 "start_date, end_date FROM activities WHERE region_id = ? AND active ORDER BY id")
                .Int(region_id)
                .Query();
  while (rs->next()) {
    route::Activity a;
    a.id = rs->getInt64("id");
    a.kind = static_cast<route::ActivityKind>(rs->getInt("kind"));
    a.title = GetStr(*rs, "title");
    a.hours = rs->getInt("hours");
    a.format_title = route::FormatTitle(rs->getInt("format"));
    a.provider_title = GetStr(*rs, "provider_title");
    a.federal_registry_id = GetStr(*rs, "federal_registry_id");
    a.positions = Lines(GetStr(*rs, "positions"));
    a.subjects = Lines(GetStr(*rs, "subjects"));
    a.start_date = GetDay(*rs, "start_date");
    a.end_date = GetDay(*rs, "end_date");
    index[a.id] = out.size();
    out.push_back(std::move(a));
  }
  auto ri = Stmt(c,
                 "SELECT i.activity_id, i.indicator_code FROM activity_indicators i JOIN activities a ON a.id = "
                 "i.activity_id WHERE a.region_id = ? AND a.active ORDER BY i.activity_id, i.indicator_code")
                .Int(region_id)
                .Query();
  while (ri->next()) {
    auto it = index.find(ri->getInt64(1));
    if (it != index.end()) out[it->second].indicator_codes.push_back(ri->getString(2));
  }
  auto ra = Stmt(c,
                 "SELECT x.activity_id, x.area FROM activity_areas x JOIN activities a ON a.id = x.activity_id "
                 "WHERE a.region_id = ? AND a.active ORDER BY x.activity_id, x.area")
                .Int(region_id)
                .Query();
  while (ra->next()) {
    auto it = index.find(ra->getInt64(1));
    if (it != index.end()) out[it->second].areas.push_back(ra->getInt(2));
  }
  return out;
}

bool ActivityRepository::FederalSyncPending(sql::Connection& c, int64_t region_id) {
  return Stmt(c,
              "SELECT 1 FROM federal_programmes fp LEFT JOIN activities a ON a.federal_programme_id = fp.id "
              "WHERE fp.region_id = ? AND (a.id IS NULL OR a.federal_programme_version <> fp.version) LIMIT 1")
      .Int(region_id)
      .Query()
      ->next();
}

int ActivityRepository::SyncFederalProgrammes(sql::Connection& c, int64_t region_id) {
  struct Programme {
    int64_t id, version, activity_id;
    std::string external_id, title, provider_title, areas, codes, annotation, url;
    int hours;
    bool active;
  };
  std::vector<Programme> todo;
  auto rs = Stmt(c,
                 "SELECT fp.id, fp.version, IFNULL(a.id, 0), fp.external_id, fp.title, fp.provider_title, fp.areas, "
                 "fp.indicator_codes, fp.annotation, fp.url, fp.hours, fp.active FROM federal_programmes fp "
                 "LEFT JOIN activities a ON a.federal_programme_id = fp.id WHERE fp.region_id = ? AND "
                 "(a.id IS NULL OR a.federal_programme_version <> fp.version) ORDER BY fp.id FOR UPDATE")
                .Int(region_id)
                .Query();
  while (rs->next()) {
    todo.push_back({rs->getInt64(1), rs->getInt64(2), rs->getInt64(3), rs->getString(4), rs->getString(5),
                    rs->getString(6), rs->getString(7), rs->getString(8), rs->getString(9), rs->getString(10),
                    rs->getInt(11), rs->getBoolean(12)});
  }
  for (auto& p : todo) {
    v1::Activity a;
    a.set_kind(static_cast<v1::ActivityKind>(route::FederalProgrammeKind(p.hours)));
    a.set_title(p.title.substr(0, 1000));
    a.set_description(p.annotation);
    a.set_hours(p.hours);
    a.set_learning_form(v1::LEARNING_FORM_FORMAL);
    a.set_provider_title(p.provider_title.substr(0, 1000));
    a.set_federal_registry_id(p.external_id);
    a.set_url(p.url);
    a.set_active(p.active);
    for (auto code : absl::StrSplit(p.codes, ',', absl::SkipWhitespace())) {
      a.add_addressed_indicator_codes(std::string(absl::StripAsciiWhitespace(code)));
    }
    for (auto area : absl::StrSplit(p.areas, ',', absl::SkipWhitespace())) {
      int v = 0;
      if (absl::SimpleAtoi(area, &v) && v >= 1 && v <= 5) a.add_addressed_areas(static_cast<v1::CompetencyArea>(v));
    }
    int64_t id = p.activity_id;
    if (id == 0) {
      // Adopt an entry a methodist typed in with the same registry id.
      auto local = Stmt(c,
                        "SELECT id FROM activities WHERE region_id = ? AND federal_registry_id = ? AND "
                        "federal_programme_id IS NULL ORDER BY id LIMIT 1 FOR UPDATE")
                       .Int(region_id)
                       .Str(p.external_id)
                       .Query();
      if (local->next()) id = local->getInt64(1);
    }
    if (id == 0) {
      id = Insert(c, region_id, a, 0);
    } else {
      Update(c, id, a, 0);
    }
    Stmt(c, "UPDATE activities SET federal = TRUE, federal_programme_id = ?, federal_programme_version = ? WHERE id = ?")
        .Int(p.id)
        .Int(p.version)
        .Int(id)
        .Execute();
  }
  return static_cast<int>(todo.size());
}

}  // namespace nms::db
