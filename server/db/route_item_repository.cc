#include "server/db/route_item_repository.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "server/common/proto_enum.h"
#include "server/db/bulk_insert.h"
#include "server/db/monitoring_repository.h"
#include "server/db/route_repository.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"
#include "server/mapping/proto_time.h"

namespace nms::db {
namespace {

namespace v1 = nms::v1;

std::string ItemSelect() {
  return absl::StrCat(
      "SELECT i.id, i.route_id, i.section, i.position, i.activity_id, i.title, i.form, i.hours, i.deadline, "
      "i.closes_codes, i.reason, i.status, i.skip_reason, i.reflective_report, ",
      MicrosOf("i.reflection_at", "refl_us"), ", i.community_status, i.mentoring_pair_id, i.enrolment_status, ",
      MicrosOf("i.enrol_applied_at", "applied_us"), ", i.enrol_decided_by, ", MicrosOf("i.enrol_decided_at", "decided_us"),
      ", i.enrol_comment, ", MicrosOf("i.enrolled_at", "enrolled_us"), ", ", MicrosOf("i.withdrawn_at", "withdrawn_us"),
      ", i.done_date, i.version, i.added_revision, i.not_needed_revision, i.experience_topic, i.experience_event, "
      "i.product_title, i.product_placement, i.mentoring_role, i.mentee_position, ",
      MicrosOf("i.updated_at", "upd_us"),
      " FROM route_items i ");
}

void SetTime(sql::ResultSet& rs, const char* col, google::protobuf::Timestamp* out) {
  if (!rs.isNull(col)) *out = mapping::ToProtoTime(absl::FromUnixMicros(rs.getInt64(col)));
}

v1::RouteItem ReadItem(sql::ResultSet& rs) {
  v1::RouteItem it;
  int64_t route = rs.getInt64("route_id");
  it.set_name(ItemName(route, rs.getInt64("id")));
  it.set_section(static_cast<v1::RouteSection>(rs.getInt("section")));
  it.set_position(rs.getInt("position"));
  if (int64_t a = GetInt(rs, "activity_id")) it.set_activity(ResourceName("activities", a));
  it.set_title(GetStr(rs, "title"));
  it.set_form(GetStr(rs, "form"));
  it.set_hours(rs.getInt("hours"));
  it.set_allocated_deadline(mapping::NewProtoDate(GetDay(rs, "deadline")));
  for (auto code : absl::StrSplit(GetStr(rs, "closes_codes"), '\n', absl::SkipEmpty())) {
    it.add_closes_indicator_codes(std::string(code));
  }
  it.set_reason(GetStr(rs, "reason"));
  it.set_status(static_cast<v1::RouteItemStatus>(rs.getInt("status")));
  it.set_skip_reason(GetStr(rs, "skip_reason"));
  it.set_reflective_report(GetStr(rs, "reflective_report"));
  SetTime(rs, "refl_us", it.mutable_reflection_time());
  it.set_community_status(GetStr(rs, "community_status"));
  if (int64_t pair = GetInt(rs, "mentoring_pair_id")) it.set_mentoring_pair(ResourceName("mentoringPairs", pair));
  auto* e = it.mutable_enrolment();
  e->set_status(static_cast<v1::EnrolmentStatus>(rs.getInt("enrolment_status")));
  SetTime(rs, "applied_us", e->mutable_apply_time());
  if (int64_t by = GetInt(rs, "enrol_decided_by")) e->set_decided_by(ResourceName("people", by));
  SetTime(rs, "decided_us", e->mutable_decision_time());
  e->set_decision_comment(GetStr(rs, "enrol_comment"));
  SetTime(rs, "enrolled_us", e->mutable_enrol_time());
  SetTime(rs, "withdrawn_us", e->mutable_withdraw_time());
  if (e->status() == v1::ENROLMENT_STATUS_UNSPECIFIED && !e->has_apply_time()) it.clear_enrolment();
  it.set_allocated_done_date(mapping::NewProtoDate(GetDay(rs, "done_date")));
  it.set_version(rs.getInt64("version"));
  SetTime(rs, "upd_us", it.mutable_update_time());
  it.set_added_in_revision(rs.getInt("added_revision"));
  it.set_not_needed_since_revision(rs.getInt("not_needed_revision"));
  it.set_experience_topic(GetStr(rs, "experience_topic"));
  it.set_experience_event(GetStr(rs, "experience_event"));
  it.set_product_title(GetStr(rs, "product_title"));
  it.set_product_placement(GetStr(rs, "product_placement"));
  it.set_mentoring_role(static_cast<v1::RouteMentoringRole>(rs.getInt("mentoring_role")));
  it.set_mentee_position(GetStr(rs, "mentee_position"));
  return it;
}

int64_t ItemIdOf(const v1::RouteItem& it) {
  int64_t id = 0;
  (void)absl::SimpleAtoi(it.name().substr(it.name().rfind('/') + 1), &id);
  return id;
}

// Evidence of items, in the order added.
std::map<int64_t, std::vector<std::pair<route::Evidence, int64_t>>> EvidenceOf(sql::Connection& c,
                                                                              const std::vector<int64_t>& item_ids) {
  std::map<int64_t, std::vector<std::pair<route::Evidence, int64_t>>> out;
  if (item_ids.empty()) return out;
  Stmt st(c, absl::StrCat("SELECT item_id, kind, certificate_number, url, file_ref, description, ",
                          MicrosOf("added_at", "added_us"), " FROM route_item_evidence WHERE item_id IN (",
                          Marks(item_ids.size()), ") ORDER BY item_id, id"));
  BindIds(st, item_ids);
  auto rs = st.Query();
  while (rs->next()) {
    route::Evidence e{static_cast<route::EvidenceKind>(rs->getInt("kind")), GetStr(*rs, "certificate_number"),
                      GetStr(*rs, "url"), GetStr(*rs, "file_ref"), GetStr(*rs, "description")};
    out[rs->getInt64("item_id")].push_back({e, rs->getInt64("added_us")});
  }
  return out;
}

void AttachEvidence(sql::Connection& c, std::vector<v1::RouteItem*>& items) {
  std::vector<int64_t> ids;
  for (auto* it : items) ids.push_back(ItemIdOf(*it));
  auto ev = EvidenceOf(c, ids);
  for (auto* it : items) {
    for (const auto& [e, us] : ev[ItemIdOf(*it)]) {
      auto* p = it->add_evidence();
      p->set_kind(static_cast<v1::RouteItemEvidenceKind>(e.kind));
      p->set_certificate_number(e.certificate_number);
      p->set_url(e.url);
      p->set_file_ref(e.file_ref);
      p->set_description(e.description);
      *p->mutable_add_time() = mapping::ToProtoTime(absl::FromUnixMicros(us));
    }
  }
}

// The editable columns, in the order both INSERT and UPDATE list them.
Stmt& BindContent(Stmt& st, const ItemWrite& w) {
  return st.Int(static_cast<int>(w.section))
      .OptInt(w.activity_id)
      .Str(w.title)
      .Str(w.form)
      .Int(w.hours)
      .Day(w.deadline)
      .Str(absl::StrJoin(w.closes, "\n"))
      .Str(w.reason)
      .Str(w.community_status)
      .OptInt(w.mentoring_pair_id)
      .Str(w.details.experience_topic)
      .Str(w.details.experience_event)
      .Str(w.details.product_title)
      .Str(w.details.product_placement)
      .Int(static_cast<int>(w.details.mentoring_role))
      .Str(w.details.mentee_position);
}

void Renumber(sql::Connection& c, int64_t route_id, int section) {
  auto rs = Stmt(c, "SELECT id FROM route_items WHERE route_id = ? AND section = ? ORDER BY position, id FOR UPDATE")
                .Int(route_id)
                .Int(section)
                .Query();
  int pos = 0;
  std::vector<std::pair<int64_t, int>> todo;
  while (rs->next()) todo.push_back({rs->getInt64(1), ++pos});
  for (auto [id, p] : todo) Stmt(c, "UPDATE route_items SET position = ? WHERE id = ?").Int(p).Int(id).Execute();
}

}  // namespace

std::string ItemName(int64_t route_id, int64_t item_id) { return absl::StrCat("routes/", route_id, "/items/", item_id); }

absl::StatusOr<ItemHead> RouteItemRepository::GetHead(sql::Connection& c, int64_t route_id, int64_t item_id,
                                                      bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT id, route_id, section, status, enrolment_status, version, skip_reason, "
                                 "reflective_report FROM route_items WHERE id = ? AND route_id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(item_id)
                .Int(route_id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Пункт ", ItemName(route_id, item_id), " не найден"));
  ItemHead h;
  h.id = item_id;
  h.route_id = route_id;
  h.section = static_cast<route::Section>(rs->getInt("section"));
  h.status = static_cast<route::ItemStatus>(rs->getInt("status"));
  h.enrolment = static_cast<route::Enrolment>(rs->getInt("enrolment_status"));
  h.version = rs->getInt64("version");
  h.skip_reason = GetStr(*rs, "skip_reason");
  h.reflective_report = GetStr(*rs, "reflective_report");
  auto evidence = EvidenceOf(c, {item_id});
  for (auto& [e, us] : evidence[item_id]) h.evidence.push_back(e);
  return h;
}

absl::StatusOr<v1::RouteItem> RouteItemRepository::Get(sql::Connection& c, int64_t route_id, int64_t item_id) {
  auto rs = Stmt(c, ItemSelect() + "WHERE i.id = ? AND i.route_id = ?").Int(item_id).Int(route_id).Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Пункт ", ItemName(route_id, item_id), " не найден"));
  v1::RouteItem it = ReadItem(*rs);
  std::vector<v1::RouteItem*> one = {&it};
  AttachEvidence(c, one);
  return it;
}

std::map<int64_t, std::vector<v1::RouteItem>> RouteItemRepository::ItemsOf(sql::Connection& c,
                                                                            const std::vector<int64_t>& route_ids) {
  std::map<int64_t, std::vector<v1::RouteItem>> out;
  if (route_ids.empty()) return out;
  Stmt st(c, absl::StrCat(ItemSelect(), "WHERE i.route_id IN (", Marks(route_ids.size()),
                          ") ORDER BY i.route_id, i.section, i.position, i.id"));
  BindIds(st, route_ids);
  auto rs = st.Query();
  while (rs->next()) out[rs->getInt64("route_id")].push_back(ReadItem(*rs));
  std::vector<v1::RouteItem*> all;
  for (auto& [id, items] : out) {
    for (auto& it : items) all.push_back(&it);
  }
  AttachEvidence(c, all);
  return out;
}

absl::Status RouteItemRepository::List(sql::Connection& c, int64_t route_id, const std::vector<FilterTerm>& terms,
                                       const PageRequest& page, v1::ListRouteItemsResponse* out) {
  std::string where = "i.route_id = ?";
  std::vector<int64_t> binds;
  for (const auto& t : terms) {
    if (t.op != "=") return absl::InvalidArgumentError(absl::StrCat("Поле filter: для «", t.field, "» поддерживается только ="));
    auto n = FilterEnum(t, t.field == "section" ? v1::RouteSection_descriptor() : v1::RouteItemStatus_descriptor());
    if (!n.ok()) return n.status();
    absl::StrAppend(&where, t.field == "section" ? " AND i.section = ?" : " AND i.status = ?");
    binds.push_back(*n);
  }
  const int64_t offset = page.AfterNumber();
  auto bind = [&](Stmt& st) {
    st.Int(route_id);
    for (int64_t b : binds) st.Int(b);
  };
  {
    Stmt st(c, absl::StrCat("SELECT COUNT(*) FROM route_items i WHERE ", where));
    bind(st);
    auto rs = st.Query();
    out->set_total_size(rs->next() ? rs->getInt64(1) : 0);
  }
  // A route has tens of items: position order with an offset token is exact and cheap.
  Stmt st(c, absl::StrCat(ItemSelect(), "WHERE ", where, " ORDER BY i.section, i.position, i.id LIMIT ? OFFSET ?"));
  bind(st);
  st.Int(page.size() + 1).Int(offset);
  auto rs = st.Query();
  std::vector<v1::RouteItem*> ptrs;
  while (rs->next()) {
    if (out->items_size() == page.size()) {
      out->set_next_page_token(page.NextNumber(offset + page.size()));
      break;
    }
    *out->add_items() = ReadItem(*rs);
  }
  for (auto& it : *out->mutable_items()) ptrs.push_back(&it);
  AttachEvidence(c, ptrs);
  return absl::OkStatus();
}

ItemWrite RouteItemRepository::ToWrite(const v1::RouteItem& it) {
  ItemWrite w;
  w.section = static_cast<route::Section>(it.section());
  int64_t id = 0;
  if (!it.activity().empty()) (void)absl::SimpleAtoi(it.activity().substr(11), &id);
  w.activity_id = id;
  w.title = it.title();
  w.form = it.form();
  w.hours = it.hours();
  if (it.deadline().year() != 0) w.deadline = absl::CivilDay(it.deadline().year(), it.deadline().month(), it.deadline().day());
  w.closes.assign(it.closes_indicator_codes().begin(), it.closes_indicator_codes().end());
  w.reason = it.reason();
  w.community_status = it.community_status();
  int64_t pair = 0;
  if (!it.mentoring_pair().empty()) (void)absl::SimpleAtoi(it.mentoring_pair().substr(15), &pair);
  w.mentoring_pair_id = pair;
  w.details.experience_topic = it.experience_topic();
  w.details.experience_event = it.experience_event();
  w.details.product_title = it.product_title();
  w.details.product_placement = it.product_placement();
  w.details.mentoring_role = static_cast<route::MentoringRole>(it.mentoring_role());
  w.details.mentee_position = it.mentee_position();
  return w;
}

int64_t RouteItemRepository::Count(sql::Connection& c, int64_t route_id) {
  auto rs = Stmt(c, "SELECT COUNT(*) FROM route_items WHERE route_id = ?").Int(route_id).Query();
  return rs->next() ? rs->getInt64(1) : 0;
}

int64_t RouteItemRepository::Insert(sql::Connection& c, int64_t route_id, const ItemWrite& w) {
  auto rs = Stmt(c, "SELECT IFNULL(MAX(position), 0) FROM route_items WHERE route_id = ? AND section = ?")
                .Int(route_id)
                .Int(static_cast<int>(w.section))
                .Query();
  int position = rs->next() ? rs->getInt(1) + 1 : 1;
  Stmt st(c,
          "INSERT INTO route_items (section, activity_id, title, form, hours, deadline, closes_codes, reason, "
          "community_status, mentoring_pair_id, experience_topic, experience_event, product_title, product_placement, "
          "mentoring_role, mentee_position, route_id, position) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindContent(st, w).Int(route_id).Int(position).Execute();
  return LastInsertId(c);
}

void RouteItemRepository::Update(sql::Connection& c, int64_t route_id, int64_t item_id, route::Section old_section,
                                 const ItemWrite& w) {
  Stmt st(c,
          "UPDATE route_items SET section = ?, activity_id = ?, title = ?, form = ?, hours = ?, deadline = ?, "
          "closes_codes = ?, reason = ?, community_status = ?, mentoring_pair_id = ?, experience_topic = ?, "
          "experience_event = ?, product_title = ?, product_placement = ?, mentoring_role = ?, mentee_position = ?, "
          "version = version + 1, "
          "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?");
  BindContent(st, w).Int(item_id).Execute();
  if (w.section != old_section) {
    // Moved to another section: last there, and the old section closes the gap.
    Stmt(c,
         "UPDATE route_items SET position = (SELECT p FROM (SELECT IFNULL(MAX(position), 0) + 1 AS p FROM route_items "
         "WHERE route_id = ? AND section = ? AND id <> ?) x) WHERE id = ?")
        .Int(route_id)
        .Int(static_cast<int>(w.section))
        .Int(item_id)
        .Int(item_id)
        .Execute();
    Renumber(c, route_id, static_cast<int>(old_section));
  }
}

void RouteItemRepository::Delete(sql::Connection& c, int64_t route_id, int64_t item_id, route::Section section) {
  Stmt(c, "DELETE FROM route_items WHERE id = ?").Int(item_id).Execute();
  Renumber(c, route_id, static_cast<int>(section));
}

void RouteItemRepository::SetStatus(sql::Connection& c, int64_t item_id, route::ItemStatus status,
                                    const std::string& skip_reason, const std::optional<absl::CivilDay>& done_date) {
  Stmt(c,
       "UPDATE route_items SET status = ?, skip_reason = ?, done_date = ?, version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(static_cast<int>(status))
      .Str(skip_reason)
      .Day(done_date)
      .Int(item_id)
      .Execute();
  // A done ФР ДПП item is the teacher's completion of the programme (indicator 5) — derived
  // here, in the same transaction, so no one has to record it by hand; undone, it goes.
  MonitoringRepository::SyncRouteItemCompletion(c, item_id,
                                                status == route::ItemStatus::kDone ? done_date : std::nullopt);
}

void RouteItemRepository::AddEvidence(sql::Connection& c, int64_t item_id, const route::Evidence& e) {
  Stmt(c,
       "INSERT INTO route_item_evidence (item_id, kind, certificate_number, url, file_ref, description) "
       "VALUES (?,?,?,?,?,?)")
      .Int(item_id)
      .Int(static_cast<int>(e.kind))
      .Str(e.certificate_number)
      .Str(e.url)
      .Str(e.file_ref)
      .Str(e.description)
      .Execute();
  Stmt(c, "UPDATE route_items SET version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(item_id)
      .Execute();
}

void RouteItemRepository::SetReflection(sql::Connection& c, int64_t item_id, const std::string& text) {
  Stmt(c,
       "UPDATE route_items SET reflective_report = ?, reflection_at = CURRENT_TIMESTAMP(6), version = version + 1, "
       "updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Str(text)
      .Int(item_id)
      .Execute();
}

void RouteItemRepository::SetEnrolment(sql::Connection& c, int64_t item_id, route::Enrolment to, int64_t decided_by,
                                       const std::string& comment, route::ItemStatus item_status) {
  std::string stamp;
  switch (to) {
    case route::Enrolment::kApplied:
      stamp = "enrol_applied_at = CURRENT_TIMESTAMP(6), enrol_decided_by = NULL, enrol_decided_at = NULL, "
              "enrolled_at = NULL, withdrawn_at = NULL, enrol_comment = ?";
      break;
    case route::Enrolment::kApproved:
    case route::Enrolment::kRejected:
      stamp = "enrol_decided_by = ?, enrol_decided_at = CURRENT_TIMESTAMP(6), enrol_comment = ?";
      break;
    case route::Enrolment::kEnrolled: stamp = "enrolled_at = CURRENT_TIMESTAMP(6), enrol_comment = ?"; break;
    case route::Enrolment::kWithdrawn: stamp = "withdrawn_at = CURRENT_TIMESTAMP(6), enrol_comment = ?"; break;
    default: return;
  }
  Stmt st(c, absl::StrCat("UPDATE route_items SET enrolment_status = ?, status = ?, ", stamp,
                          ", version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?"));
  st.Int(static_cast<int>(to)).Int(static_cast<int>(item_status));
  if (to == route::Enrolment::kApproved || to == route::Enrolment::kRejected) st.OptInt(decided_by);
  st.Str(comment).Int(item_id).Execute();
}

std::vector<int64_t> RouteItemRepository::StartEnrolledItems(sql::Connection& c, int64_t route_id) {
  std::vector<int64_t> ids;
  auto rs = Stmt(c, "SELECT id, enrolment_status, status FROM route_items WHERE route_id = ? FOR UPDATE")
                .Int(route_id)
                .Query();
  while (rs->next()) {
    auto now = static_cast<route::ItemStatus>(rs->getInt(3));
    if (route::ItemStatusOnRouteStart(static_cast<route::Enrolment>(rs->getInt(2)), now) != now) {
      ids.push_back(rs->getInt64(1));
    }
  }
  if (!ids.empty()) {
    Stmt(c, absl::StrCat("UPDATE route_items SET status = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) "
                         "WHERE id IN (", IdList(ids), ")"))
        .Int(static_cast<int>(route::ItemStatus::kInProgress))
        .Execute();
  }
  return ids;
}

std::vector<route::ItemClosure> RouteItemRepository::Closures(sql::Connection& c, int64_t route_id) {
  std::vector<route::ItemClosure> out;
  auto rs = Stmt(c, "SELECT status, skip_reason FROM route_items WHERE route_id = ?").Int(route_id).Query();
  while (rs->next()) out.push_back({static_cast<route::ItemStatus>(rs->getInt(1)), GetStr(*rs, "skip_reason")});
  return out;
}

}  // namespace nms::db
