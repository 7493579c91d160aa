#include "server/db/monitoring_facts_repository.h"

#include "server/common/proto_enum.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nms/v1/common.pb.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using K = FactColumn::Kind;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string NameOf(const FactTable& t, int64_t id, int64_t parent) {
  if (t.parent_collection != nullptr) {
    return absl::StrCat(t.parent_collection, "/", parent, "/", t.collection, "/", id);
  }
  return ResourceName(t.collection, id);
}

std::string SelectList(const FactTable& t) {
  std::string s = absl::StrCat("t.id, t.version, t.", t.place_column);
  if (t.parent_column != nullptr) absl::StrAppend(&s, ", t.", t.parent_column);
  for (const auto& col : t.columns) absl::StrAppend(&s, ", t.", col.column);
  return s;
}

FactRow ReadRow(sql::ResultSet& rs, const FactTable& t, Message* out) {
  FactRow row;
  row.id = rs.getInt64(1);
  row.version = rs.getInt64(2);
  row.place_id = rs.isNull(3) ? 0 : rs.getInt64(3);
  int col = 4;
  int64_t parent = 0;
  if (t.parent_column != nullptr) parent = rs.getInt64(col++);
  const auto* d = out->GetDescriptor();
  const auto* r = out->GetReflection();
  r->SetString(out, d->FindFieldByName("name"), NameOf(t, row.id, parent));
  r->SetInt64(out, d->FindFieldByName("version"), row.version);
  for (const auto& c : t.columns) {
    const FieldDescriptor* f = d->FindFieldByName(c.field);
    int idx = col++;
    if (f == nullptr || rs.isNull(idx)) continue;
    switch (c.kind) {
      case K::kStr: r->SetString(out, f, rs.getString(idx)); break;
      case K::kBool: r->SetBool(out, f, rs.getBoolean(idx)); break;
      case K::kRef: r->SetString(out, f, ResourceName(c.collection, rs.getInt64(idx))); break;
      case K::kNum:
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) r->SetEnumValue(out, f, rs.getInt(idx));
        else if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) r->SetInt32(out, f, rs.getInt(idx));
        else r->SetInt64(out, f, rs.getInt64(idx));
        break;
      case K::kDate: {
        int y = 0, m = 0, dd = 0;
        std::string s = rs.getString(idx);
        if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &dd) == 3) {
          auto* date = static_cast<nms::v1::Date*>(r->MutableMessage(out, f));
          date->set_year(y);
          date->set_month(m);
          date->set_day(dd);
        }
        break;
      }
    }
  }
  return row;
}

// WHERE fragment placing rows of `t` in `scope` (one '?' bound to scope.id).
std::string ScopeSql(const FactTable& t, const ScopeFilter& s) {
  using SK = ScopeFilter::Kind;
  if (t.place_kind == 'r') {
    if (s.kind == SK::kRegion) return absl::StrCat("t.", t.place_column, " = ?");
    return "FALSE AND ? > 0";
  }
  const char* join_table = t.place_kind == 'p' ? "people" : "organizations";
  std::string cond;
  switch (s.kind) {
    case SK::kRegion: cond = "x.region_id = ?"; break;
    case SK::kDistrict: cond = "x.municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)"; break;
    case SK::kMunicipality: cond = "x.municipality_id = ?"; break;
    case SK::kOrganization: cond = t.place_kind == 'p' ? "x.organization_id = ?" : "x.id = ?"; break;
    case SK::kPerson: cond = t.place_kind == 'p' ? "x.id = ?" : "FALSE AND ? > 0"; break;
  }
  return absl::StrCat("t.", t.place_column, " IN (SELECT x.id FROM ", join_table, " x WHERE ", cond, ")");
}

}  // namespace

#define COL(f, c, k) FactColumn{f, c, K::k}
#define REF(f, c, coll) FactColumn{f, c, K::kRef, coll}

const FactTable& TrainingCompletionsTable() {
  static const auto* t = new FactTable{
      "training_completions", "trainingCompletions", nullptr, nullptr, "person_id", 'p',
      {REF("person", "person_id", "people"), REF("activity", "activity_id", "activities"),
       COL("programme_title", "programme_title", kStr), COL("provider_title", "provider_title", kStr),
       COL("hours", "hours", kNum), COL("federal_registry", "federal_registry", kBool),
       COL("federal_registry_id", "federal_registry_id", kStr),
       COL("chosen_from_diagnostics", "chosen_from_diagnostics", kBool), COL("route_item", "route_item", kStr),
       COL("quality_management", "quality_management", kBool), COL("federal_operator", "federal_operator", kBool),
       COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate),
       COL("attestation_passed", "attestation_passed", kBool), COL("certificate_number", "certificate_number", kStr),
       COL("source", "source", kNum), COL("external_id", "external_id", kStr)}};
  return *t;
}

const FactTable& ManagementMembershipsTable() {
  static const auto* t = new FactTable{
      "management_team_memberships", "managementTeamMemberships", nullptr, nullptr, "person_id", 'p',
      {REF("person", "person_id", "people"), REF("organization", "organization_id", "organizations"),
       COL("role", "role", kNum), COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate),
       REF("source", "employment_id", "employments")}};
  return *t;
}

const FactTable& CommunityMembershipsTable() {
  static const auto* t = new FactTable{
      "community_memberships", "communityMemberships", nullptr, nullptr, "person_id", 'p',
      {REF("person", "person_id", "people"), COL("community_title", "community_title", kStr),
       REF("activity", "activity_id", "activities"), COL("community_kind", "community_kind", kNum),
       COL("level", "level", kNum), COL("networked", "networked", kBool), COL("member_status", "member_status", kStr),
       COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate)}};
  return *t;
}

const FactTable& ExpertActivitiesTable() {
  static const auto* t = new FactTable{
      "expert_activities", "expertActivities", nullptr, nullptr, "person_id", 'p',
      {REF("person", "person_id", "people"), COL("kind", "kind", kNum), COL("title", "title", kStr),
       COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate)}};
  return *t;
}

const FactTable& InternshipPlatformsTable() {
  static const auto* t = new FactTable{
      "internship_platforms", "internshipPlatforms", nullptr, nullptr, "organization_id", 'o',
      {REF("region", "region_id", "regions"), REF("organization", "organization_id", "organizations"),
       COL("title", "title", kStr), COL("register_number", "register_number", kStr),
       COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate)}};
  return *t;
}

const FactTable& InternshipParticipantsTable() {
  static const auto* t = new FactTable{
      "internship_participants", "participants", "internshipPlatforms", "platform_id", "person_id", 'p',
      {REF("person", "person_id", "people"), REF("organization", "organization_id", "organizations"),
       COL("role", "role", kNum), COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate)}};
  return *t;
}

const FactTable& RegionalEventsTable() {
  static const auto* t = new FactTable{
      "regional_events", "regionalEvents", nullptr, nullptr, "region_id", 'r',
      {REF("region", "region_id", "regions"), COL("title", "title", kStr), COL("kind", "kind", kStr),
       COL("level", "level", kNum), REF("organizer", "organizer_id", "organizations"),
       REF("activity", "activity_id", "activities"), COL("start_date", "start_date", kDate),
       COL("end_date", "end_date", kDate)}};
  return *t;
}

const FactTable& EventParticipantsTable() {
  static const auto* t = new FactTable{"regional_event_participants", "participants", "regionalEvents", "event_id",
                                       "person_id", 'p',
                                       {REF("person", "person_id", "people"), COL("role", "role", kNum)}};
  return *t;
}

const FactTable& CnppmStaffTable() {
  static const auto* t = new FactTable{
      "cnppm_staff", "cnppmStaffMembers", nullptr, nullptr, "organization_id", 'o',
      {REF("person", "person_id", "people"), REF("organization", "organization_id", "organizations"),
       COL("position", "position", kStr), COL("start_date", "start_date", kDate), COL("end_date", "end_date", kDate),
       COL("federally_trained", "federally_trained", kBool), COL("federal_training_date", "federal_training_date", kDate),
       COL("federal_training_title", "federal_training_title", kStr)}};
  return *t;
}

const FactTable& MethodistAssignmentsTable() {
  static const auto* t = new FactTable{
      "methodist_assignments", "methodistAssignments", nullptr, nullptr, "teacher_person_id", 'p',
      {REF("methodist", "methodist_person_id", "people"), REF("teacher", "teacher_person_id", "people"),
       COL("role", "role", kNum), REF("route", "route_id", "routes"), COL("start_date", "start_date", kDate),
       COL("end_date", "end_date", kDate)}};
  return *t;
}

#undef COL
#undef REF

absl::StatusOr<int64_t> ParseFactName(const FactTable& t, const std::string& name, const char* field) {
  if (t.parent_collection == nullptr) return ParseResourceName(name, t.collection, field);
  auto ids = ParseNamePattern(name, absl::StrCat(t.parent_collection, "/{}/", t.collection, "/{}"), field);
  if (!ids.ok()) return ids.status();
  return (*ids)[1];
}

absl::StatusOr<FactRow> ReadFact(sql::Connection& c, const FactTable& t, int64_t id, Message* out, bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", SelectList(t), " FROM ", t.table, " t WHERE t.id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Запись ", t.collection, "/", id, " не найдена"));
  return ReadRow(*rs, t, out);
}

absl::Status ListFacts(sql::Connection& c, const FactTable& t, const ScopeFilter& scope, const std::string& filter,
                       int64_t parent_id, const PageRequest& page,
                       const google::protobuf::Descriptor* item, std::vector<std::unique_ptr<Message>>* out,
                       std::string* next_page_token, int64_t* total_size) {
  std::string where = ScopeSql(t, scope);
  std::vector<std::string> binds_str;
  std::vector<int> bind_kind;  // 0 = int, 1 = str
  std::vector<int64_t> binds_int;
  if (parent_id > 0) absl::StrAppend(&where, " AND t.", t.parent_column, " = ", parent_id);
  auto terms = ParseFilter(filter, {});  // fields: `active` and the table's columns, checked below
  if (!terms.ok()) return terms.status();
  for (const FilterTerm& term : *terms) {
    if (auto st = FilterOps(term, {"="}); !st.ok()) return st;
    if (term.field == "active") {
      auto on = FilterBool(term);
      if (!on.ok()) return on.status();
      absl::StrAppend(&where, *on ? " AND (t.start_date IS NULL OR t.start_date <= CURDATE()) AND (t.end_date IS NULL OR "
                                    "t.end_date >= CURDATE())"
                                  : " AND (t.start_date > CURDATE() OR t.end_date < CURDATE())");
      continue;
    }
    const FactColumn* col = nullptr;
    for (const auto& cc : t.columns) {
      if (term.field == cc.field) col = &cc;
    }
    if (col == nullptr) {
      std::vector<std::string> known = {"active"};
      for (const auto& cc : t.columns) known.push_back(cc.field);
      return absl::InvalidArgumentError(absl::StrCat("Поле filter: неизвестное поле «", term.field.substr(0, 64),
                                                     "»; допустимы: ", absl::StrJoin(known, ", ")));
    }
    int64_t n = 0;
    switch (col->kind) {
      case K::kRef: {
        auto id = FilterName(term, col->collection);
        if (!id.ok()) return id.status();
        n = *id;
        break;
      }
      case K::kBool: {
        auto on = FilterBool(term);
        if (!on.ok()) return on.status();
        n = *on;
        break;
      }
      case K::kNum: {
        const auto* fd = item->FindFieldByName(col->field);
        auto v = fd != nullptr && fd->enum_type() != nullptr ? absl::StatusOr<int64_t>(FilterEnum(term, fd->enum_type()))
                                                             : FilterNumber(term);
        if (!v.ok()) return v.status();
        n = *v;
        break;
      }
      case K::kDate: {
        auto day = FilterDay(term);
        if (!day.ok()) return day.status();
        absl::StrAppend(&where, " AND t.", col->column, " = ?");
        bind_kind.push_back(1);
        binds_str.push_back(FormatDay(*day));
        continue;
      }
      case K::kStr:
        absl::StrAppend(&where, " AND t.", col->column, " = ?");
        bind_kind.push_back(1);
        binds_str.push_back(term.value);
        continue;
    }
    absl::StrAppend(&where, " AND t.", col->column, " = ?");
    bind_kind.push_back(0);
    binds_int.push_back(n);
  }
  const int64_t after = page.AfterNumber();
  auto bind = [&](Stmt& st) {
    st.Int(scope.id);
    size_t si = 0, ii = 0;
    for (int k : bind_kind) {
      if (k == 1) st.Str(binds_str[si++]);
      else st.Int(binds_int[ii++]);
    }
  };
  {
    Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM ", t.table, " t WHERE ", where));
    bind(st);
    auto rs = st.Query();
    *total_size = rs->next() ? rs->getInt64(1) : 0;
  }
  Stmt st(c, absl::StrCat("SELECT ", SelectList(t), " FROM ", t.table, " t WHERE ", where, " AND t.id > ? ORDER BY t.id LIMIT ?"));
  bind(st);
  st.Int(after).Int(page.size() + 1);
  auto rs = st.Query();
  int64_t last = 0;
  while (rs->next()) {
    if (static_cast<int>(out->size()) == page.size()) {
      *next_page_token = page.NextNumber(last);
      break;
    }
    std::unique_ptr<Message> m(google::protobuf::MessageFactory::generated_factory()->GetPrototype(item)->New());
    last = ReadRow(*rs, t, m.get()).id;
    out->push_back(std::move(m));
  }
  return absl::OkStatus();
}

std::vector<std::string> UpdatableFields(const FactTable& t) {
  std::vector<std::string> out;
  for (const auto& col : t.columns) {
    if (col.kind != K::kRef && std::string(col.field) != "source" && std::string(col.field) != "external_id") {
      out.push_back(col.field);
    }
  }
  return out;
}

void UpdateFact(sql::Connection& c, const FactTable& t, int64_t id, const Message& m,
                const std::vector<std::string>& fields) {
  std::string set;
  std::vector<const FactColumn*> cols;
  for (const auto& name : fields) {
    for (const auto& col : t.columns) {
      if (name == col.field && col.kind != K::kRef) {
        absl::StrAppend(&set, set.empty() ? "" : ", ", col.column, " = ?");
        cols.push_back(&col);
      }
    }
  }
  Stmt st(c, absl::StrCat("UPDATE ", t.table, " SET ", set, set.empty() ? "" : ", ", "version = version + 1 WHERE id = ?"));
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (const auto* col : cols) {
    const FieldDescriptor* f = d->FindFieldByName(col->field);
    switch (col->kind) {
      case K::kStr: st.Str(r->GetString(m, f)); break;
      case K::kBool: st.Bool(r->GetBool(m, f)); break;
      case K::kNum:
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) st.Int(r->GetEnumValue(m, f));
        else if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) st.Int(r->GetInt32(m, f));
        else st.Int(r->GetInt64(m, f));
        break;
      case K::kDate: {
        const auto& date = static_cast<const nms::v1::Date&>(r->GetMessage(m, f));
        if (date.year() == 0) st.Null();
        else st.Day(absl::CivilDay(date.year(), date.month(), date.day()));
        break;
      }
      case K::kRef: break;
    }
  }
  st.Int(id).Execute();
}

void DeleteFact(sql::Connection& c, const FactTable& t, int64_t id) {
  Stmt(c, absl::StrCat("DELETE FROM ", t.table, " WHERE id = ?")).Int(id).Execute();
}

}  // namespace nms::db
