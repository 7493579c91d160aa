#include "server/db/support_measure_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/db/monitoring_repository.h"
#include "server/mapping/proto_time.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using young::MeasureCondition;
using young::MeasureRef;
using young::MeasureSource;

// Every part yields the same columns: the measure as clients see it plus the person's
// placement (p_region, p_mun, p_org) for scoping.
constexpr char kRecordedPart[] =
    "SELECT 0 AS src, s.id, s.person_id, s.kind, s.title, s.start_date, s.end_date, s.status, "
    "IFNULL(s.source, '') AS source, s.organizer_organization_id AS organizer_id, IFNULL(s.notes, '') AS notes, "
    "s.version, UNIX_TIMESTAMP(s.created_at) AS created_unix, UNIX_TIMESTAMP(s.updated_at) AS updated_unix, "
    "p.region_id AS p_region, p.municipality_id AS p_mun, p.organization_id AS p_org "
    "FROM support_measures s JOIN people p ON p.id = s.person_id";

// A mentee's pair while ACTIVE (nms.v1.MentoringPairStatus 2) or after COMPLETED (4) is a
// MENTOR measure over the pair's dates; proposals, rejections and cancellations are not.
constexpr char kPairPart[] =
    "SELECT 1 AS src, mp.id, mp.mentee_person_id AS person_id, 1 AS kind, "
    "CASE WHEN mt.id IS NULL THEN 'Наставничество' ELSE CONCAT('Наставник: ', CONCAT_WS(' ', mt.last_name, "
    "mt.first_name, NULLIF(mt.middle_name, ''))) END AS title, "
    "DATE(mp.started_at) AS start_date, "
    "CASE WHEN mp.status = 4 THEN DATE(IFNULL(mp.ended_at, mp.started_at)) ELSE DATE(mp.ended_at) END AS end_date, "
    "CASE WHEN mp.status = 4 THEN 3 ELSE 2 END AS status, CONCAT('mentoringPairs/', mp.id) AS source, "
    "mt.organization_id AS organizer_id, '' AS notes, 0 AS version, UNIX_TIMESTAMP(mp.started_at) AS created_unix, "
    "UNIX_TIMESTAMP(mp.started_at) AS updated_unix, "
    "p.region_id AS p_region, p.municipality_id AS p_mun, p.organization_id AS p_org "
    "FROM mentoring_pairs mp JOIN people p ON p.id = mp.mentee_person_id "
    "LEFT JOIN people mt ON mt.id = mp.mentor_person_id "
    "WHERE mp.status IN (2, 4) AND mp.started_at IS NOT NULL";

// A route APPROVED (nms.v1.RouteStatus 3) or IN_PROGRESS (4) is an ACTIVE ROUTE measure; a
// COMPLETED one (5) a COMPLETED measure ending on completion.
constexpr char kRoutePart[] =
    "SELECT 2 AS src, r.id, r.person_id, 2 AS kind, 'Индивидуальный образовательный маршрут (ИОМ)' AS title, "
    "DATE(r.created_at) AS start_date, "
    "CASE WHEN r.status = 5 THEN DATE(IFNULL(r.completed_at, r.created_at)) END AS end_date, "
    "CASE WHEN r.status = 5 THEN 3 ELSE 2 END AS status, CONCAT('routes/', r.id) AS source, "
    "NULL AS organizer_id, '' AS notes, 0 AS version, UNIX_TIMESTAMP(r.created_at) AS created_unix, "
    "UNIX_TIMESTAMP(r.created_at) AS updated_unix, "
    "p.region_id AS p_region, p.municipality_id AS p_mun, p.organization_id AS p_org "
    "FROM routes r JOIN people p ON p.id = r.person_id WHERE r.status IN (3, 4, 5)";

MeasureRecord ReadMeasure(sql::ResultSet& rs) {
  MeasureRecord r;
  r.person_id = rs.getInt64("person_id");
  auto& m = r.measure;
  auto source = static_cast<MeasureSource>(rs.getInt("src"));
  m.set_name(young::MeasureName({source, rs.getInt64("id")}));
  m.set_person(ResourceName("people", r.person_id));
  m.set_kind(static_cast<nms::v1::SupportMeasureKind>(rs.getInt("kind")));
  m.set_title(GetStr(rs, "title"));
  m.set_allocated_start_date(mapping::NewProtoDate(GetDay(rs, "start_date")));
  m.set_allocated_end_date(mapping::NewProtoDate(GetDay(rs, "end_date")));
  m.set_status(static_cast<nms::v1::SupportMeasureStatus>(rs.getInt("status")));
  m.set_source(GetStr(rs, "source"));
  m.set_derived(source != MeasureSource::kRecorded);
  if (int64_t org = GetInt(rs, "organizer_id")) m.set_organizer(ResourceName("organizations", org));
  m.set_notes(GetStr(rs, "notes"));
  m.set_version(GetInt(rs, "version"));
  m.mutable_create_time()->set_seconds(GetInt(rs, "created_unix"));
  m.mutable_update_time()->set_seconds(GetInt(rs, "updated_unix"));
  return r;
}

}  // namespace

std::string SupportMeasureRepository::AllMeasures(sql::Connection& c) {
  std::vector<std::string> parts = {kRecordedPart};
  if (MonitoringRepository::TableExists(c, "mentoring_pairs")) parts.push_back(kPairPart);
  if (MonitoringRepository::TableExists(c, "routes")) parts.push_back(kRoutePart);
  return absl::StrCat("(", absl::StrJoin(parts, " UNION ALL "), ") u");
}

namespace {

std::string ScopeSql(const ScopeFilter& s) {
  switch (s.kind) {
    case ScopeFilter::Kind::kRegion: return "u.p_region = ?";
    case ScopeFilter::Kind::kDistrict: return "u.p_mun IN (SELECT id FROM municipalities WHERE district_id = ?)";
    case ScopeFilter::Kind::kMunicipality: return "u.p_mun = ?";
    case ScopeFilter::Kind::kOrganization: return "u.p_org = ?";
    case ScopeFilter::Kind::kPerson: return "u.person_id = ?";
  }
  return "FALSE";
}

// SQL for one parsed condition; operators come from the parser's closed set.
std::string ConditionSql(const MeasureCondition& m) {
  using F = MeasureCondition::Field;
  std::string op = m.op == "!=" ? "<>" : m.op;
  switch (m.field) {
    case F::kPerson: return absl::StrCat("u.person_id ", op, " ?");
    case F::kOrganization: return absl::StrCat("u.p_org ", op, " ?");
    case F::kKind: return absl::StrCat("u.kind ", op, " ?");
    case F::kStatus: return absl::StrCat("u.status ", op, " ?");
    case F::kStartDate: return absl::StrCat("u.start_date ", op, " ?");
    case F::kDerived: return m.number != 0 ? "u.src <> 0" : "u.src = 0";
  }
  return "FALSE";
}

void BindCondition(Stmt& st, const MeasureCondition& m) {
  if (m.field == MeasureCondition::Field::kDerived) return;
  if (m.field == MeasureCondition::Field::kStartDate) {
    st.Day(m.day);
  } else {
    st.Int(m.number);
  }
}

}  // namespace

absl::StatusOr<MeasureRecord> SupportMeasureRepository::Get(sql::Connection& c, const MeasureRef& ref,
                                                            bool for_update) {
  std::unique_ptr<sql::ResultSet> rs;
  if (ref.source == MeasureSource::kRecorded) {
    rs = Stmt(c, absl::StrCat(kRecordedPart, " WHERE s.id = ?", for_update ? " FOR UPDATE" : "")).Int(ref.id).Query();
  } else {
    rs = Stmt(c, absl::StrCat("SELECT * FROM ", AllMeasures(c), " WHERE u.src = ? AND u.id = ?"))
             .Int(static_cast<int>(ref.source))
             .Int(ref.id)
             .Query();
  }
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Мера поддержки ", young::MeasureName(ref), " не найдена"));
  return ReadMeasure(*rs);
}

absl::StatusOr<MeasurePage> SupportMeasureRepository::List(sql::Connection& c, const ScopeFilter& scope,
                                                           const std::vector<MeasureCondition>& conditions,
                                                           const PageRequest& paging) {
  std::string where = ScopeSql(scope);
  for (const auto& m : conditions) absl::StrAppend(&where, " AND ", ConditionSql(m));
  auto bind = [&](Stmt& st) {
    st.Int(scope.id);
    for (const auto& m : conditions) BindCondition(st, m);
  };
  std::string from = AllMeasures(c);
  MeasurePage page;
  {
    Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM ", from, " WHERE ", where));
    bind(st);
    auto rs = st.Query();
    page.total_size = rs->next() ? rs->getInt64(1) : 0;
  }
  std::optional<young::MeasureCursor> after;
  if (!paging.first()) {
    auto cursor = young::MeasureCursorFromKey(paging.after());
    if (!cursor.ok()) return cursor.status();
    after = *cursor;
    absl::StrAppend(&where, " AND (u.start_date < ? OR (u.start_date = ? AND (u.src > ? OR (u.src = ? AND u.id > ?))))");
  }
  Stmt st(c, absl::StrCat("SELECT * FROM ", from, " WHERE ", where, " ORDER BY u.start_date DESC, u.src, u.id LIMIT ?"));
  bind(st);
  if (after) {
    int src = static_cast<int>(after->ref.source);
    st.Day(after->start).Day(after->start).Int(src).Int(src).Int(after->ref.id);
  }
  st.Int(paging.size() + 1);
  auto rs = st.Query();
  while (rs->next()) {
    if (static_cast<int>(page.measures.size()) == paging.size()) {
      const auto& last = page.measures.back();
      young::MeasureCursor next{absl::CivilDay(last.start_date().year(), last.start_date().month(), last.start_date().day()),
                                *young::ParseMeasureName(last.name(), "name")};
      page.next_page_token = paging.Next(young::MeasureCursorKey(next));
      break;
    }
    page.measures.push_back(ReadMeasure(*rs).measure);
  }
  return page;
}

namespace {
// Binds kind, title, dates, status, source, organizer and notes in the order both writes use.
void BindDraft(Stmt& st, int64_t organizer_id, const young::MeasureDraft& m) {
  st.Int(m.kind).Str(m.title).Day(m.start).Day(m.end).Int(m.status).OptStr(m.source).OptInt(organizer_id).OptStr(m.notes);
}
}  // namespace

int64_t SupportMeasureRepository::Insert(sql::Connection& c, int64_t person_id, int64_t organizer_id,
                                         const young::MeasureDraft& m) {
  Stmt st(c,
          "INSERT INTO support_measures (person_id, kind, title, start_date, end_date, status, source, "
          "organizer_organization_id, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.Int(person_id);
  BindDraft(st, organizer_id, m);
  st.Execute();
  return LastInsertId(c);
}

void SupportMeasureRepository::Update(sql::Connection& c, int64_t id, int64_t organizer_id,
                                      const young::MeasureDraft& m) {
  Stmt st(c,
          "UPDATE support_measures SET kind = ?, title = ?, start_date = ?, end_date = ?, status = ?, source = ?, "
          "organizer_organization_id = ?, notes = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
          "WHERE id = ?");
  BindDraft(st, organizer_id, m);
  st.Int(id).Execute();
}

void SupportMeasureRepository::Delete(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM support_measures WHERE id = ?").Int(id).Execute();
}

bool SupportMeasureRepository::RegionHasRecorded(sql::Connection& c, int64_t region_id) {
  auto rs = Stmt(c, "SELECT 1 FROM support_measures s JOIN people p ON p.id = s.person_id WHERE p.region_id = ? LIMIT 1")
                .Int(region_id)
                .Query();
  return rs->next();
}

}  // namespace nms::db
