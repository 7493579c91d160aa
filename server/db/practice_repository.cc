#include "server/db/practice_repository.h"

#include <functional>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/db/deficit_tags.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {

namespace v1 = nms::v1;

namespace {

constexpr char kSelect[] =
    "SELECT pr.id, pr.region_id, pr.municipality_id, pr.organization_id, pr.author_id, pr.title, pr.description, "
    "pr.links, pr.level, pr.subject, pr.status, pr.return_comment, pr.score_percent, pr.version, "
    "CAST(UNIX_TIMESTAMP(pr.created_at) * 1000000 AS SIGNED) AS c_us, "
    "CAST(UNIX_TIMESTAMP(pr.updated_at) * 1000000 AS SIGNED) AS u_us, "
    "CAST(UNIX_TIMESTAMP(pr.published_at) * 1000000 AS SIGNED) AS p_us, "
    "TRIM(CONCAT(pe.last_name, ' ', pe.first_name, ' ', pe.middle_name)) AS author_name, "
    "o.short_name AS org_title FROM practices pr JOIN people pe ON pe.id = pr.author_id "
    "JOIN organizations o ON o.id = pr.organization_id ";

v1::Practice FromRow(sql::ResultSet& rs, access::Placement* place) {
  v1::Practice p;
  const int64_t id = rs.getInt64("id");
  p.set_name(ResourceName("practices", id));
  p.set_title(GetStr(rs, "title"));
  p.set_description(GetStr(rs, "description"));
  for (absl::string_view l : absl::StrSplit(GetStr(rs, "links"), '\n', absl::SkipEmpty())) p.add_links(std::string(l));
  p.set_level(static_cast<v1::PracticeLevel>(rs.getInt("level")));
  p.set_subject(GetStr(rs, "subject"));
  p.set_author(ResourceName("people", rs.getInt64("author_id")));
  p.set_author_name(GetStr(rs, "author_name"));
  p.set_organization(ResourceName("organizations", rs.getInt64("organization_id")));
  p.set_organization_title(GetStr(rs, "org_title"));
  const int64_t mun = GetInt(rs, "municipality_id");
  if (mun != 0) p.set_municipality(ResourceName("municipalities", mun));
  p.set_status(static_cast<v1::PracticeStatus>(rs.getInt("status")));
  p.set_return_comment(GetStr(rs, "return_comment"));
  p.set_score_percent(rs.getInt("score_percent"));
  p.set_version(rs.getInt64("version"));
  *p.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("c_us")));
  *p.mutable_update_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("u_us")));
  if (!rs.isNull("p_us")) *p.mutable_publish_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("p_us")));
  if (place != nullptr) {
    *place = access::Placement{rs.getInt64("region_id"), mun, rs.getInt64("organization_id"), rs.getInt64("author_id")};
  }
  return p;
}

constexpr TagTables kTags{"practice_areas", "practice_indicators", "practice_id"};

// Areas and indicator codes of the rows in `out`.
void LoadTags(sql::Connection& c, const std::vector<v1::Practice*>& out) {
  std::map<int64_t, v1::Practice*> by_id;
  std::vector<int64_t> ids;
  for (auto* p : out) {
    const int64_t id = CanonicalId(absl::StripPrefix(p->name(), "practices/"));
    by_id[id] = p;
    ids.push_back(id);
  }
  LoadDeficitTags(
      c, kTags, ids, [&](int64_t id, int area) { by_id[id]->add_areas(static_cast<v1::CompetencyArea>(area)); },
      [&](int64_t id, std::string code) { by_id[id]->add_indicator_codes(std::move(code)); });
}

void WriteTags(sql::Connection& c, int64_t id, const practices::Draft& d) {
  WriteDeficitTags(c, kTags, id, d.areas, d.indicator_codes);
}

}  // namespace

absl::StatusOr<PracticeRecord> PracticeRepository::Get(sql::Connection& c, int64_t id, bool for_update) {
  auto rs = Stmt(c, absl::StrCat(kSelect, "WHERE pr.id = ?", for_update ? " FOR UPDATE" : "")).Int(id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Практика practices/", id, " не найдена"));
  PracticeRecord r;
  r.practice = FromRow(*rs, &r.place);
  LoadTags(c, {&r.practice});
  auto rv = Stmt(c,
                 "SELECT r.reviewer_id, r.scores, r.total_score, r.max_total_score, r.recommend, r.comment, "
                 "CAST(UNIX_TIMESTAMP(r.created_at) * 1000000 AS SIGNED) AS c_us, "
                 "TRIM(CONCAT(pe.last_name, ' ', pe.first_name, ' ', pe.middle_name)) AS reviewer_name "
                 "FROM practice_reviews r JOIN people pe ON pe.id = r.reviewer_id WHERE r.practice_id = ? "
                 "ORDER BY r.id")
                .Int(id)
                .Query();
  while (rv->next()) {
    v1::PracticeReview* review = r.practice.add_reviews();
    const int64_t reviewer = rv->getInt64("reviewer_id");
    r.reviewer_ids.push_back(reviewer);
    review->set_reviewer(ResourceName("people", reviewer));
    review->set_reviewer_name(GetStr(*rv, "reviewer_name"));
    for (absl::string_view part : absl::StrSplit(GetStr(*rv, "scores"), ';', absl::SkipEmpty())) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(part, '=');
      int score = 0;
      (void)absl::SimpleAtoi(kv.second, &score);
      auto* s = review->add_scores();
      s->set_criterion(std::string(kv.first));
      s->set_score(score);
    }
    review->set_total_score(rv->getInt("total_score"));
    review->set_max_total_score(rv->getInt("max_total_score"));
    review->set_recommend(rv->getBoolean("recommend"));
    review->set_comment(GetStr(*rv, "comment"));
    *review->mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rv->getInt64("c_us")));
  }
  return r;
}

PracticePage PracticeRepository::List(sql::Connection& c, const PracticeVisibility& visible,
                                      const practices::Query& q, practices::Order order, int64_t offset, int size) {
  std::vector<std::string> where;
  std::vector<std::function<void(Stmt&)>> binds;
  // Visibility: published in the caller's regions, or anything in the caller's scope.
  std::vector<std::string> vis;
  if (!visible.published_regions.empty()) {
    std::vector<std::string> ids;
    for (int64_t r : visible.published_regions) ids.push_back(absl::StrCat(r));
    vis.push_back(absl::StrCat("(pr.status = 4 AND pr.region_id IN (", absl::StrJoin(ids, ","), "))"));
  }
  if (visible.has_scope) {
    const char* col = "pr.region_id";
    switch (visible.scope.kind) {
      case ScopeFilter::Kind::kRegion: col = "pr.region_id"; break;
      case ScopeFilter::Kind::kDistrict:
        col = "(SELECT m.district_id FROM municipalities m WHERE m.id = pr.municipality_id)";
        break;
      case ScopeFilter::Kind::kMunicipality: col = "pr.municipality_id"; break;
      case ScopeFilter::Kind::kOrganization: col = "pr.organization_id"; break;
      case ScopeFilter::Kind::kPerson: col = "pr.author_id"; break;
    }
    vis.push_back(absl::StrCat(col, " = ", visible.scope.id));
  }
  if (vis.empty()) return {};
  where.push_back(absl::StrCat("(", absl::StrJoin(vis, " OR "), ")"));
  if (q.status != 0) where.push_back(absl::StrCat("pr.status ", q.status_not ? "<>" : "=", " ", q.status));
  if (q.area != 0) {
    where.push_back(absl::StrCat("EXISTS (SELECT 1 FROM practice_areas a WHERE a.practice_id = pr.id AND a.area = ",
                                 q.area, ")"));
  }
  if (!q.indicator.empty()) {
    where.push_back("EXISTS (SELECT 1 FROM practice_indicators i WHERE i.practice_id = pr.id AND i.code = ?)");
    binds.push_back([&](Stmt& s) { s.Str(q.indicator); });
  }
  if (!q.subject.empty()) {
    where.push_back("pr.subject = ?");
    binds.push_back([&](Stmt& s) { s.Str(q.subject); });
  }
  if (q.level != 0) where.push_back(absl::StrCat("pr.level = ", q.level));
  if (q.author_id != 0) where.push_back(absl::StrCat("pr.author_id = ", q.author_id));
  if (q.organization_id != 0) where.push_back(absl::StrCat("pr.organization_id = ", q.organization_id));
  if (q.municipality_id != 0) where.push_back(absl::StrCat("pr.municipality_id = ", q.municipality_id));
  for (const auto& w : q.words) {
    where.push_back("(pr.title LIKE ? OR pr.description LIKE ?)");
    binds.push_back([&w](Stmt& s) { s.Str(LikePattern(w)).Str(LikePattern(w)); });
  }
  const std::string cond = absl::StrCat(" WHERE ", absl::StrJoin(where, " AND "));
  PracticePage page;
  {
    Stmt count(c, absl::StrCat("SELECT COUNT(*) AS n FROM practices pr", cond));
    for (auto& b : binds) b(count);
    auto rs = count.Query();
    if (rs->next()) page.total_size = rs->getInt64("n");
  }
  const char* order_sql = order == practices::Order::kTitle       ? " ORDER BY pr.title, pr.id"
                          : order == practices::Order::kScoreDesc ? " ORDER BY pr.score_percent DESC, pr.id DESC"
                                                                  : " ORDER BY pr.updated_at DESC, pr.id DESC";
  Stmt list(c, absl::StrCat(kSelect, cond, order_sql, " LIMIT ", size + 1, " OFFSET ", offset));
  for (auto& b : binds) b(list);
  auto rs = list.Query();
  while (rs->next()) page.practices.push_back(FromRow(*rs, nullptr));
  if (static_cast<int>(page.practices.size()) > size) {
    page.more = true;
    page.practices.pop_back();
  }
  std::vector<v1::Practice*> ptrs;
  for (auto& p : page.practices) ptrs.push_back(&p);
  LoadTags(c, ptrs);
  return page;
}

int64_t PracticeRepository::Insert(sql::Connection& c, const access::Placement& place, const practices::Draft& d) {
  Stmt(c,
       "INSERT INTO practices (region_id, municipality_id, organization_id, author_id, title, description, links, "
       "level, subject, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")
      .Int(place.region_id)
      .OptInt(place.municipality_id)
      .Int(place.organization_id)
      .Int(place.person_id)
      .Str(d.title)
      .Str(d.description)
      .Str(absl::StrJoin(d.links, "\n"))
      .Int(d.level)
      .Str(d.subject)
      .Execute();
  const int64_t id = LastInsertId(c);
  WriteTags(c, id, d);
  return id;
}

void PracticeRepository::UpdateContent(sql::Connection& c, int64_t id, const practices::Draft& d) {
  Stmt(c,
       "UPDATE practices SET title = ?, description = ?, links = ?, level = ?, subject = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(d.title)
      .Str(d.description)
      .Str(absl::StrJoin(d.links, "\n"))
      .Int(d.level)
      .Str(d.subject)
      .Int(id)
      .Execute();
  WriteTags(c, id, d);
}

void PracticeRepository::SetStatus(sql::Connection& c, int64_t id, practices::Status s,
                                   const std::string& return_comment) {
  Stmt(c,
       "UPDATE practices SET status = ?, return_comment = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6), "
       "published_at = IF(? = 4, CURRENT_TIMESTAMP(6), published_at) WHERE id = ?")
      .Int(static_cast<int>(s))
      .Str(return_comment)
      .Int(static_cast<int>(s))
      .Int(id)
      .Execute();
}

void PracticeRepository::AddReview(sql::Connection& c, int64_t id, int64_t reviewer_id,
                                   const std::vector<std::pair<std::string, int>>& scores, int total, bool recommend,
                                   const std::string& comment) {
  std::vector<std::string> parts;
  for (const auto& [code, score] : scores) parts.push_back(absl::StrCat(code, "=", score));
  Stmt(c,
       "INSERT INTO practice_reviews (practice_id, reviewer_id, scores, total_score, max_total_score, recommend, "
       "comment) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .Int(id)
      .Int(reviewer_id)
      .Str(absl::StrJoin(parts, ";"))
      .Int(total)
      .Int(practices::RubricMax())
      .Bool(recommend)
      .Str(comment)
      .Execute();
  std::vector<int> totals;
  auto rs = Stmt(c, "SELECT total_score FROM practice_reviews WHERE practice_id = ?").Int(id).Query();
  while (rs->next()) totals.push_back(rs->getInt("total_score"));
  Stmt(c,
       "UPDATE practices SET status = 3, score_percent = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
       "WHERE id = ?")
      .Int(practices::ScorePercent(totals))
      .Int(id)
      .Execute();
}

}  // namespace nms::db
