#include "server/db/route_revision_repository.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/db/bulk_insert.h"
#include "server/db/route_item_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {

namespace v1 = nms::v1;

std::vector<route::ExistingItem> RouteRevisionRepository::Items(sql::Connection& c, int64_t route_id) {
  std::vector<route::ExistingItem> out;
  auto rs = Stmt(c, "SELECT id, section, position, IFNULL(activity_id, 0), title, status, closes_codes FROM route_items "
                    "WHERE route_id = ? ORDER BY section, position, id FOR UPDATE")
                .Int(route_id)
                .Query();
  while (rs->next()) {
    route::ExistingItem it;
    it.id = rs->getInt64(1);
    it.section = static_cast<route::Section>(rs->getInt(2));
    it.position = rs->getInt(3);
    it.activity_id = rs->getInt64(4);
    it.title = rs->getString(5);
    it.status = static_cast<route::ItemStatus>(rs->getInt(6));
    it.closes = absl::StrSplit(std::string(rs->getString(7)), '\n', absl::SkipEmpty());
    out.push_back(std::move(it));
  }
  return out;
}

void RouteRevisionRepository::MarkNotNeeded(sql::Connection& c, int64_t item_id, int revision, const std::string& reason) {
  Stmt(c, "UPDATE route_items SET status = ?, skip_reason = ?, not_needed_revision = ?, version = version + 1, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(static_cast<int>(route::ItemStatus::kSkipped))
      .Str(reason.substr(0, 2000))
      .Int(revision)
      .Int(item_id)
      .Execute();
}

std::vector<int64_t> RouteRevisionRepository::AddItems(sql::Connection& c, int64_t route_id, int revision,
                                                       const std::vector<route::GeneratedItem>& items) {
  std::vector<int64_t> ids;
  for (const auto& it : items) {
    Stmt(c, "INSERT INTO route_items (route_id, section, position, activity_id, title, form, hours, deadline, "
            "closes_codes, reason, added_revision, mentoring_role) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
        .Int(route_id)
        .Int(static_cast<int>(it.section))
        .Int(it.position)
        .OptInt(it.activity_id)
        .Str(it.title.substr(0, 1000))
        .Str(it.form.substr(0, 1000))
        .Int(it.hours)
        .Day(it.deadline)
        .Str(absl::StrJoin(it.closes, "\n").substr(0, 4000))
        .Str(it.reason)
        .Int(revision)
        .Int(static_cast<int>(it.mentoring_role))
        .Execute();
    ids.push_back(LastInsertId(c));
  }
  return ids;
}

void RouteRevisionRepository::ReviseInPlace(sql::Connection& c, int64_t route_id, const DiagnosisInput& d,
                                            const std::string& comment, absl::CivilDay planned_end) {
  Stmt(c, "UPDATE routes SET result_id = ?, campaign_id = ?, diagnosis_date = ?, overall_level = ?, deficit_count = ?, "
          "status = ?, revision = revision + 1, revision_comment = ?, "
          "planned_end_date = IF(planned_end_date IS NULL OR planned_end_date < ?, ?, planned_end_date), "
          "version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(d.result_id)
      .OptInt(d.campaign_id)
      .Day(d.date)
      .Int(d.overall_level)
      .Int(static_cast<int>(d.deficits.size()))
      .Int(static_cast<int>(route::Status::kDraft))
      .Str(comment.substr(0, 4000))
      .Day(planned_end)
      .Day(planned_end)
      .Int(route_id)
      .Execute();
  Stmt(c, "DELETE FROM route_signatures WHERE route_id = ?").Int(route_id).Execute();
}

void RouteRevisionRepository::SetPrevious(sql::Connection& c, int64_t route_id, int64_t previous_route_id) {
  Stmt(c, "UPDATE routes SET previous_route_id = ? WHERE id = ?").Int(previous_route_id).Int(route_id).Execute();
}

void RouteRevisionRepository::Insert(sql::Connection& c, const RevisionRecord& r) {
  const route::RevisionPlan& p = *r.plan;
  Stmt(c, "INSERT INTO route_revisions (route_id, revision, kind, result_id, previous_result_id, previous_route_id, "
          "from_status, comment, actor_person_id, actor_account_id, actor_full_name, items_added, items_kept, "
          "items_not_needed, deficits_closed, deficits_new, deficits_remaining) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
      .Int(r.route_id)
      .Int(r.revision)
      .Int(static_cast<int>(r.kind))
      .Int(r.result_id)
      .OptInt(r.previous_result_id)
      .OptInt(r.previous_route_id)
      .Int(static_cast<int>(r.from_status))
      .Str(r.comment.substr(0, 4000))
      .OptInt(r.actor.person_id)
      .OptInt(r.actor.account_id)
      .Str(r.actor.full_name)
      .Int(p.items_added)
      .Int(p.items_kept)
      .Int(p.items_not_needed)
      .Int(p.deficits_closed)
      .Int(p.deficits_new)
      .Int(p.deficits_remaining)
      .Execute();
  int ordinal = 0;
  for (const auto& ch : p.changes) {
    int64_t item = ch.item_id;
    if (ch.kind == route::ChangeKind::kItemAdded && ch.added_index >= 0 &&
        ch.added_index < static_cast<int>(r.added_ids.size())) {
      item = r.added_ids[ch.added_index];
    }
    Stmt(c, "INSERT INTO route_revision_changes (route_id, revision, ordinal, kind, item_id, indicator_code, title, "
            "reason) VALUES (?,?,?,?,?,?,?,?)")
        .Int(r.route_id)
        .Int(r.revision)
        .Int(++ordinal)
        .Int(static_cast<int>(ch.kind))
        .OptInt(item)
        .Str(ch.indicator_code.substr(0, 64))
        .Str(ch.title.substr(0, 1000))
        .Str(ch.reason.substr(0, 2000))
        .Execute();
  }
}

namespace {

constexpr char kRevisionSelect[] =
    "SELECT v.route_id, v.revision, v.kind, v.result_id, v.previous_result_id, v.previous_route_id, v.from_status, "
    "v.comment, v.actor_person_id, v.actor_full_name, v.items_added, v.items_kept, v.items_not_needed, "
    "v.deficits_closed, v.deficits_new, v.deficits_remaining, r1.diagnosis_date AS new_date, "
    "r0.diagnosis_date AS old_date, CAST(UNIX_TIMESTAMP(v.created_at) * 1000000 AS SIGNED) AS created_us "
    "FROM route_revisions v JOIN diagnostic_results r1 ON r1.id = v.result_id "
    "LEFT JOIN diagnostic_results r0 ON r0.id = v.previous_result_id ";

v1::RouteRevision ReadRevision(sql::ResultSet& rs) {
  v1::RouteRevision r;
  r.set_route(ResourceName("routes", rs.getInt64("route_id")));
  r.set_revision(rs.getInt("revision"));
  r.set_kind(static_cast<v1::RouteRevisionKind>(rs.getInt("kind")));
  r.set_diagnostic_result(ResourceName("results", rs.getInt64("result_id")));
  if (int64_t prev = GetInt(rs, "previous_result_id")) r.set_previous_result(ResourceName("results", prev));
  *r.mutable_diagnosis_date() = mapping::ToProtoDate(GetDay(rs, "new_date"));
  *r.mutable_previous_diagnosis_date() = mapping::ToProtoDate(GetDay(rs, "old_date"));
  if (int64_t prev = GetInt(rs, "previous_route_id")) r.set_previous_route(ResourceName("routes", prev));
  r.set_from_status(static_cast<v1::RouteStatus>(rs.getInt("from_status")));
  r.set_comment(GetStr(rs, "comment"));
  if (int64_t p = GetInt(rs, "actor_person_id")) r.set_actor(ResourceName("people", p));
  r.set_actor_full_name(GetStr(rs, "actor_full_name"));
  r.set_items_added(rs.getInt("items_added"));
  r.set_items_kept(rs.getInt("items_kept"));
  r.set_items_not_needed(rs.getInt("items_not_needed"));
  r.set_deficits_closed(rs.getInt("deficits_closed"));
  r.set_deficits_new(rs.getInt("deficits_new"));
  r.set_deficits_remaining(rs.getInt("deficits_remaining"));
  *r.mutable_create_time() = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64("created_us")));
  return r;
}

void AttachChanges(sql::Connection& c, int64_t route_id, std::vector<v1::RouteRevision*>& revs) {
  if (revs.empty()) return;
  std::vector<int64_t> numbers;
  for (auto* r : revs) numbers.push_back(r->revision());
  auto rs = Stmt(c, absl::StrCat("SELECT revision, kind, item_id, indicator_code, title, reason FROM "
                                 "route_revision_changes WHERE route_id = ? AND revision IN (", IdList(numbers),
                                 ") ORDER BY revision, ordinal"))
                .Int(route_id)
                .Query();
  while (rs->next()) {
    int rev = rs->getInt(1);
    for (auto* r : revs) {
      if (r->revision() != rev) continue;
      auto* ch = r->add_changes();
      ch->set_kind(static_cast<v1::RouteChangeKind>(rs->getInt(2)));
      if (int64_t item = GetInt(*rs, "item_id")) ch->set_item(ItemName(route_id, item));
      ch->set_indicator_code(GetStr(*rs, "indicator_code"));
      ch->set_title(GetStr(*rs, "title"));
      ch->set_reason(GetStr(*rs, "reason"));
    }
  }
}

}  // namespace

absl::Status RouteRevisionRepository::List(sql::Connection& c, int64_t route_id, const PageRequest& paging,
                                           v1::ListRouteRevisionsResponse* out) {
  // Newest first: a token carries the last revision shown, the next page starts below it.
  const int64_t before = paging.AfterNumber();
  const int page_size = paging.size();
  auto rs = Stmt(c, absl::StrCat(kRevisionSelect, "WHERE v.route_id = ? AND (? = 0 OR v.revision < ?) "
                                                  "ORDER BY v.revision DESC LIMIT ?"))
                .Int(route_id)
                .Int(before)
                .Int(before)
                .Int(page_size + 1)
                .Query();
  std::vector<v1::RouteRevision*> revs;
  while (rs->next()) {
    if (out->revisions_size() == page_size) {
      out->set_next_page_token(paging.NextNumber(out->revisions(page_size - 1).revision()));
      break;
    }
    auto* r = out->add_revisions();
    *r = ReadRevision(*rs);
  }
  for (auto& r : *out->mutable_revisions()) revs.push_back(&r);
  AttachChanges(c, route_id, revs);
  return absl::OkStatus();
}

absl::StatusOr<v1::RouteRevision> RouteRevisionRepository::Get(sql::Connection& c, int64_t route_id, int revision) {
  auto rs = Stmt(c, absl::StrCat(kRevisionSelect, "WHERE v.route_id = ? AND v.revision = ?")).Int(route_id).Int(revision).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Редакция ", revision, " маршрута routes/", route_id, " не найдена"));
  v1::RouteRevision r = ReadRevision(*rs);
  std::vector<v1::RouteRevision*> revs{&r};
  AttachChanges(c, route_id, revs);
  return r;
}

int64_t RouteRevisionRepository::BaselineResult(sql::Connection& c, int64_t route_id, int64_t current_result) {
  auto rs = Stmt(c, "SELECT IFNULL(previous_result_id, 0) FROM route_revisions WHERE route_id = ? AND kind = 1 "
                    "ORDER BY revision LIMIT 1")
                .Int(route_id)
                .Query();
  if (rs->next() && rs->getInt64(1) != 0) return rs->getInt64(1);
  return current_result;
}

}  // namespace nms::db
