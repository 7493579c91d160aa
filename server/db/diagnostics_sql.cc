#include "server/db/diagnostics_sql.h"

#include "server/common/proto_enum.h"
#include "server/common/status_macros.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"

namespace nms::db::diag {

Stmt& BindTime(Stmt& st, const std::optional<absl::Time>& t) {
  if (!t.has_value()) return st.Null().Null();
  int64_t micros = absl::ToUnixMicros(*t);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  return st.Int(seconds).Int(rest);
}

google::protobuf::Timestamp ToTimestamp(const std::optional<absl::Time>& t) {
  google::protobuf::Timestamp out;
  if (t.has_value()) {
    int64_t micros = absl::ToUnixMicros(*t);
    out.set_seconds(micros / 1000000);
    out.set_nanos(static_cast<int>((micros % 1000000) * 1000));
  }
  return out;
}

std::optional<absl::Time> FromTimestamp(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return std::nullopt;
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::optional<absl::Time> ReadTime(sql::ResultSet& rs, const char* alias) {
  if (rs.isNull(alias)) return std::nullopt;
  std::string s = rs.getString(alias);
  std::vector<std::string> parts = absl::StrSplit(s, '.');
  int64_t seconds = 0;
  if (parts.empty() || !absl::SimpleAtoi(parts[0], &seconds)) return std::nullopt;
  int64_t micros = 0;
  if (parts.size() > 1) {
    std::string frac = parts[1].substr(0, 6);
    frac.append(6 - frac.size(), '0');
    absl::SimpleAtoi(frac, &micros);
  }
  return absl::FromUnixMicros(seconds * 1000000 + micros);
}

Where& Where::Add(const std::string& condition) {
  absl::StrAppend(&sql_, " AND (", condition, ")");
  return *this;
}

Where& Where::Int(const std::string& condition, int64_t v) {
  Add(condition);
  binds_.push_back([v](Stmt& st) { st.Int(v); });
  return *this;
}

Where& Where::Str(const std::string& condition, const std::string& v) {
  Add(condition);
  binds_.push_back([v](Stmt& st) { st.Str(v); });
  return *this;
}

void Where::Bind(Stmt& st) const {
  for (const auto& b : binds_) b(st);
}

void AddPeopleScope(Where& w, const ScopeFilter& s, const std::string& a) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: w.Int(a + ".region_id = ?", s.id); break;
    case ScopeFilter::Kind::kDistrict:
      w.Int(a + ".municipality_id IN (SELECT id FROM municipalities WHERE district_id = ?)", s.id);
      break;
    case ScopeFilter::Kind::kMunicipality: w.Int(a + ".municipality_id = ?", s.id); break;
    case ScopeFilter::Kind::kOrganization: w.Int(a + ".organization_id = ?", s.id); break;
    case ScopeFilter::Kind::kPerson: w.Int(a + ".id = ?", s.id); break;
  }
}

absl::Status ApplyFilter(const std::vector<FilterTerm>& clauses, const std::vector<FilterField>& fields,
                         Where& w) {
  using K = FilterField::Kind;
  for (const auto& clause : clauses) {
    const FilterField* f = nullptr;
    for (const auto& candidate : fields) {
      if (candidate.name == clause.field) f = &candidate;
    }
    if (f == nullptr) {
      std::string known;
      for (const auto& candidate : fields) absl::StrAppend(&known, known.empty() ? "" : ", ", candidate.name);
      return absl::InvalidArgumentError(
          absl::StrCat("Поле filter: неизвестное поле «", clause.field.substr(0, 64), "»; допустимы: ", known));
    }
    if (f->kind == K::kDate || f->kind == K::kInt) {
      RETURN_IF_ERROR(FilterOps(clause, {"=", "!=", "<", "<=", ">", ">="}));
    } else {
      RETURN_IF_ERROR(FilterOps(clause, {"=", "!="}));
    }
    std::string cond = absl::StrCat(f->column, " ", clause.op == "!=" ? "<>" : clause.op, " ?");
    switch (f->kind) {
      case K::kRef: {
        ASSIGN_OR_RETURN(int64_t id, FilterName(clause, f->collection));
        w.Int(cond, id);
        break;
      }
      case K::kEnum: {
        ASSIGN_OR_RETURN(int n, FilterEnum(clause, f->enum_type));
        w.Int(cond, n);
        break;
      }
      case K::kDate: {
        ASSIGN_OR_RETURN(absl::CivilDay day, FilterDay(clause));
        w.Str(cond, FormatDay(day));
        break;
      }
      case K::kInt: {
        ASSIGN_OR_RETURN(int64_t n, FilterNumber(clause));
        w.Int(cond, n);
        break;
      }
      case K::kBool: {
        ASSIGN_OR_RETURN(bool on, FilterBool(clause));  // `!= true` already reads as false
        w.Int(absl::StrCat(f->column, " = ?"), on ? 1 : 0);
        break;
      }
      case K::kStr:
        w.Str(cond, clause.value);
        break;
    }
  }
  return absl::OkStatus();
}

int64_t CountWhere(sql::Connection& c, const std::string& from, const Where& where) {
  Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM ", from, " WHERE ", where.sql()));
  where.Bind(st);
  auto rs = st.Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::unique_ptr<sql::ResultSet> QueryPage(sql::Connection& c, const std::string& select_from, const Where& where,
                                          const std::string& key, bool descending, const PageRequest& paging) {
  Stmt st(c, absl::StrCat(select_from, " WHERE ", where.sql(), " AND ", key, descending ? " < ?" : " > ?",
                          " ORDER BY ", key, descending ? " DESC" : "", " LIMIT ?"));
  where.Bind(st);
  st.Int(descending && paging.first() ? INT64_MAX : paging.AfterNumber()).Int(paging.size() + 1);
  return st.Query();
}

void InsertRows(sql::Connection& c, const std::string& head, int columns, size_t rows,
                const std::function<void(Stmt&, size_t)>& bind, size_t chunk) {
  std::string one = "(";
  for (int k = 0; k < columns; ++k) absl::StrAppend(&one, k ? ", ?" : "?");
  one += ")";
  for (size_t start = 0; start < rows; start += chunk) {
    size_t n = std::min(chunk, rows - start);
    std::string sql = absl::StrCat("INSERT INTO ", head, " VALUES ");
    for (size_t i = 0; i < n; ++i) absl::StrAppend(&sql, i ? ", " : "", one);
    Stmt st(c, sql);
    for (size_t i = 0; i < n; ++i) bind(st, start + i);
    st.Execute();
  }
}

absl::Status NotFound(absl::string_view what, int64_t id) {
  return absl::NotFoundError(absl::StrCat(what, " ", id, " не найден(а)"));
}

}  // namespace nms::db::diag
