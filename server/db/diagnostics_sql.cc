#include "server/db/diagnostics_sql.h"

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

absl::Status ApplyFilter(const std::vector<diagnostics::FilterClause>& clauses, const std::vector<FilterField>& fields,
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
          absl::StrCat("Поле filter: неизвестное поле «", clause.field.substr(0, 64), "»; можно: ", known));
    }
    bool ordered = clause.op != diagnostics::FilterOp::kEq && clause.op != diagnostics::FilterOp::kNe;
    if (ordered && f->kind != K::kDate && f->kind != K::kInt) {
      return absl::InvalidArgumentError(
          absl::StrCat("Поле filter: для «", f->name, "» допустимы только = и !="));
    }
    std::string cond = absl::StrCat(f->column, " ", diagnostics::SqlOperator(clause.op), " ?");
    switch (f->kind) {
      case K::kRef: {
        auto id = ParseResourceName(clause.value, f->collection, "filter");
        if (!id.ok()) return id.status();
        w.Int(cond, *id);
        break;
      }
      case K::kEnum: {
        const google::protobuf::EnumValueDescriptor* v = f->enum_type->FindValueByName(clause.value);
        if (v == nullptr) {
          // Short names: "PUBLISHED" for COMPETENCY_FRAMEWORK_STATE_PUBLISHED.
          for (int i = 0; i < f->enum_type->value_count() && v == nullptr; ++i) {
            const auto* candidate = f->enum_type->value(i);
            const std::string& full = candidate->name();
            if (full.size() > clause.value.size() + 1 && absl::EndsWith(full, "_" + clause.value)) v = candidate;
          }
        }
        int64_t n = 0;
        if (v != nullptr) n = v->number();
        else if (!absl::SimpleAtoi(clause.value, &n) || f->enum_type->FindValueByNumber(static_cast<int>(n)) == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat("Поле filter: неизвестное значение «", clause.value.substr(0, 64), "» поля ", f->name));
        }
        w.Int(cond, n);
        break;
      }
      case K::kDate: {
        auto day = ParseDay(clause.value, "filter");
        if (!day.ok()) return day.status();
        w.Str(cond, FormatDay(*day));
        break;
      }
      case K::kInt: {
        int64_t n = 0;
        if (!absl::SimpleAtoi(clause.value, &n)) {
          return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", f->name, " — целое число"));
        }
        w.Int(cond, n);
        break;
      }
      case K::kBool: {
        if (clause.value != "true" && clause.value != "false") {
          return absl::InvalidArgumentError(absl::StrCat("Поле filter: ", f->name, " = true или false"));
        }
        w.Int(cond, clause.value == "true" ? 1 : 0);
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
                                          const std::string& key, bool descending, const Paging& paging) {
  Stmt st(c, absl::StrCat(select_from, " WHERE ", where.sql(), " AND ", key, descending ? " < ?" : " > ?",
                          " ORDER BY ", key, descending ? " DESC" : "", " LIMIT ?"));
  where.Bind(st);
  st.Int(descending && paging.after <= 0 ? INT64_MAX : paging.after).Int(paging.page_size + 1);
  return st.Query();
}

std::string EncodeIdToken(int64_t id) { return absl::WebSafeBase64Escape(absl::StrCat("d1:", id)); }

absl::StatusOr<int64_t> DecodeIdToken(const std::string& token) {
  std::string raw;
  int64_t id = 0;
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, "d1:") ||
      !absl::SimpleAtoi(raw.substr(3), &id) || id < 0) {
    return absl::InvalidArgumentError("Поле page_token: неверный токен страницы");
  }
  return id;
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
