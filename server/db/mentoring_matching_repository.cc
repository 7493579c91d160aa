// MentoringRepository: what a matching run reads, proposals, and matching constraints.
#include <google/protobuf/util/json_util.h>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/status_macros.h"
#include "server/db/stored_proto.h"
#include "server/db/mentoring_repository.h"
#include "server/db/mentoring_sql.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

using namespace msql;  // NOLINT
namespace v1 = nms::v1;

std::string ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, opts);
  return out;
}

mentoring::Place PlaceOf(sql::ResultSet& rs, int64_t region_id) {
  return mentoring::Place{region_id, GetInt(rs, "district_id"), GetInt(rs, "mun_id"), GetInt(rs, "org_id")};
}

// "area:N" tags next to indicator codes, as the matcher compares them.
void AddAreaTags(const std::string& areas, std::vector<std::string>* out) {
  for (int a : SplitInts(areas)) out->push_back(absl::StrCat("area:", a));
}

std::string ProposalColumns() {
  return "pr.id, pr.region_id, pr.scope, pr.scope_district_id, pr.scope_municipality_id, pr.scope_organization_id, "
         "pr.options_json, pr.state, pr.mentees, pr.mentors, pr.candidate_edges, pr.matched, pr.total_cost, "
         "pr.compute_millis, pr.created_by_person_id, pr.version, UNIX_TIMESTAMP(pr.created_at) AS created_unix ";
}

MentoringRepository::ProposalRow ReadProposal(sql::ResultSet& rs) {
  MentoringRepository::ProposalRow row;
  row.id = rs.getInt64("id");
  row.region_id = rs.getInt64("region_id");
  v1::MatchingProposal& p = row.proposal;
  p.set_name(ResourceName("matchingProposals", row.id));
  p.set_scope(GetStr(rs, "scope"));
  ParseStoredJson(GetStr(rs, "options_json"), p.mutable_options(), "matching_proposals.options_json");
  p.set_state(static_cast<v1::MatchingProposalState>(rs.getInt("state")));
  auto* st = p.mutable_stats();
  st->set_mentees(rs.getInt("mentees"));
  st->set_mentors(rs.getInt("mentors"));
  st->set_candidate_edges(rs.getInt64("candidate_edges"));
  st->set_matched(rs.getInt("matched"));
  st->set_total_cost(rs.getInt64("total_cost"));
  st->set_compute_millis(rs.getInt64("compute_millis"));
  if (int64_t by = GetInt(rs, "created_by_person_id")) p.set_created_by(ResourceName("people", by));
  p.set_version(rs.getInt64("version"));
  *p.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  auto any = ParseAnyName(p.scope(), "scope");
  row.scope.region_id = row.region_id;
  row.scope.district_id = GetInt(rs, "scope_district_id");
  row.scope.municipality_id = GetInt(rs, "scope_municipality_id");
  row.scope.organization_id = GetInt(rs, "scope_organization_id");
  row.scope.kind = !any.ok() || any->collection == "regions" ? mentoring::ScopeKind::kRegion
                   : any->collection == "districts"        ? mentoring::ScopeKind::kDistrict
                   : any->collection == "municipalities"   ? mentoring::ScopeKind::kMunicipality
                                                           : mentoring::ScopeKind::kOrganization;
  return row;
}

std::string ConstraintColumns() {
  return "k.id, k.region_id, k.kind, k.mentor_profile_id, k.mentee_key, k.scope, k.reason, k.created_by_person_id, "
         "k.version, UNIX_TIMESTAMP(k.created_at) AS created_unix ";
}

MentoringRepository::ConstraintRow ReadConstraint(sql::ResultSet& rs) {
  MentoringRepository::ConstraintRow row;
  row.id = rs.getInt64("id");
  row.region_id = rs.getInt64("region_id");
  v1::MatchingConstraint& k = row.constraint;
  k.set_name(ResourceName("matchingConstraints", row.id));
  k.set_kind(static_cast<v1::MatchingConstraintKind>(rs.getInt("kind")));
  k.set_mentor_profile(ResourceName("mentorProfiles", rs.getInt64("mentor_profile_id")));
  k.set_mentee(GetStr(rs, "mentee_key"));
  k.set_scope(GetStr(rs, "scope"));
  k.set_reason(GetStr(rs, "reason"));
  if (int64_t by = GetInt(rs, "created_by_person_id")) k.set_created_by(ResourceName("people", by));
  k.set_version(rs.getInt64("version"));
  *k.mutable_create_time() = Seconds(GetInt(rs, "created_unix"));
  return row;
}

}  // namespace

// ---------------------------------------------------------------- matching input

std::vector<MentoringRepository::MatchingMentor> MentoringRepository::LoadRegionMentors(
    sql::Connection& c, int64_t region_id, bool active_only, const absl::flat_hash_map<int64_t, int>& released) {
  std::vector<MatchingMentor> out;
  const std::string status = active_only ? " AND mp.status = 1" : "";
  {
    auto rs = Stmt(c, absl::StrCat(
                          "SELECT mp.id, mp.mentor_person_id, mp.mentor_organization_id, mp.status, mp.eligibility_json, "
                          "mp.subjects, mp.strong_areas, mp.strong_indicator_codes, mp.capacity, mp.accepting, "
                          "mp.available_from, mp.available_until, mp.pair_types, xo.id AS org_id, xo.municipality_id AS "
                          "mun_id, m.district_id, xp.work_start_date, xp.qualification_category, "
                          "(SELECT COUNT(*) FROM mentoring_pairs q WHERE q.mentor_profile_id = mp.id AND q.status IN (1, 2)) "
                          "AS live FROM mentor_profiles mp",
                          SideJoins("xp", "xo", "mp.mentor_person_id", "mp.mentor_organization_id"),
                          " LEFT JOIN municipalities m ON m.id = xo.municipality_id WHERE mp.region_id = ?", status, " "
                          "ORDER BY mp.id"))
                  .Int(region_id)
                  .Query();
    while (rs->next()) {
      MatchingMentor mm;
      mentoring::Mentor& m = mm.mentor;
      m.id = rs->getInt64("id");
      const int64_t person = GetInt(*rs, "mentor_person_id");
      m.is_organization = person == 0;
      m.entity_id = person != 0 ? person : GetInt(*rs, "mentor_organization_id");
      m.place = PlaceOf(*rs, region_id);
      m.subjects = SplitList(GetStr(*rs, "subjects"));
      m.strengths = SplitList(GetStr(*rs, "strong_indicator_codes"));
      AddAreaTags(GetStr(*rs, "strong_areas"), &m.strengths);
      m.pair_types = SplitInts(GetStr(*rs, "pair_types"));
      m.capacity = rs->getInt("capacity");
      auto rel = released.find(m.id);
      m.current_load = static_cast<int>(rs->getInt64("live")) - (rel == released.end() ? 0 : rel->second);
      mm.facts.is_organization = m.is_organization;
      mm.facts.work_start_date = GetDay(*rs, "work_start_date");
      mm.facts.qualification_category = rs->isNull("qualification_category") ? 0 : rs->getInt("qualification_category");
      ParseStoredJson(GetStr(*rs, "eligibility_json"), &mm.stored, "mentor_profiles.eligibility_json");
      mm.status = rs->getInt("status");
      mm.accepting = rs->getBoolean("accepting");
      mm.available_from = GetDay(*rs, "available_from");
      mm.available_until = GetDay(*rs, "available_until");
      out.push_back(std::move(mm));
    }
  }
  {
    // Diagnostics of the mentors: the overall level of the latest FINAL result (eligibility)
    // and what it shows at high or advanced level (strengths for competency pairs).
    absl::flat_hash_map<int64_t, MatchingMentor*> by_id;
    for (auto& mm : out) by_id[mm.mentor.id] = &mm;
    const std::string latest =
        "FROM mentor_profiles mp JOIN diagnostic_results r ON r.id = (SELECT r2.id FROM diagnostic_results r2 WHERE "
        "r2.person_id = mp.mentor_person_id AND r2.status = 2 ORDER BY r2.diagnosis_date DESC, r2.id DESC LIMIT 1) ";
    auto rs = Stmt(c, absl::StrCat("SELECT mp.id, r.overall_level ", latest, "WHERE mp.region_id = ?", status))
                  .Int(region_id)
                  .Query();
    while (rs->next()) {
      auto it = by_id.find(rs->getInt64(1));
      if (it != by_id.end()) it->second->facts.diagnostic_level = rs->getInt(2);
    }
    auto ri = Stmt(c, absl::StrCat("SELECT mp.id, i.indicator_code ", latest,
                                   "JOIN diagnostic_result_indicators i ON i.result_id = r.id AND i.level >= 3 "
                                   "WHERE mp.region_id = ?", status))
                  .Int(region_id)
                  .Query();
    while (ri->next()) {
      auto it = by_id.find(ri->getInt64(1));
      if (it != by_id.end()) it->second->mentor.strengths.push_back(ri->getString(2));
    }
    auto ra = Stmt(c, absl::StrCat("SELECT mp.id, a.area ", latest,
                                   "JOIN diagnostic_result_areas a ON a.result_id = r.id AND a.level >= 3 "
                                   "WHERE mp.region_id = ?", status))
                  .Int(region_id)
                  .Query();
    while (ra->next()) {
      auto it = by_id.find(ra->getInt64(1));
      if (it != by_id.end()) it->second->mentor.strengths.push_back(absl::StrCat("area:", ra->getInt(2)));
    }
  }
  return out;
}

MentoringRepository::MatchingInput MentoringRepository::LoadMatchingInput(sql::Connection& c, int64_t region_id,
                                                                          const ScopeFilter& scope,
                                                                          const std::vector<int>& pair_types,
                                                                          bool replace_pending) {
  MatchingInput in;
  const std::string side = SideJoins("xp", "xo", "r.mentee_person_id", "r.mentee_organization_id");
  {
    std::string types;
    if (!pair_types.empty()) types = absl::StrCat(" AND r.pair_type IN (", absl::StrJoin(pair_types, ","), ")");
    const std::string pending =
        replace_pending
            ? " OR (r.status = 2 AND EXISTS(SELECT 1 FROM mentoring_pairs q WHERE q.id = r.pair_id AND q.status = 1 "
              "AND q.mentor_accepted_at IS NULL AND q.mentee_accepted_at IS NULL))"
            : "";
    auto rs = Stmt(c, absl::StrCat("SELECT r.id, r.mentee_person_id, r.mentee_organization_id, r.pair_type, r.subjects, "
                                   "r.areas, r.deficit_indicator_codes, r.status, r.pair_id, xo.id AS org_id, "
                                   "xo.municipality_id AS mun_id, m.district_id FROM mentee_requests r",
                                   side, " LEFT JOIN municipalities m ON m.id = xo.municipality_id WHERE r.region_id = ? AND ",
                                   SideInScope(scope, "r.region_id", "xo", "r.mentee_person_id"), " AND (r.status = 1",
                                   pending, ")", types, " ORDER BY r.id"))
                  .Int(region_id)
                  .Int(scope.id)
                  .Query();
    while (rs->next()) {
      mentoring::Mentee e;
      e.id = rs->getInt64("id");
      const int64_t person = GetInt(*rs, "mentee_person_id");
      const EntityRef ref = person != 0 ? EntityRef{false, person} : EntityRef{true, GetInt(*rs, "mentee_organization_id")};
      e.entity_id = ref.id;
      e.is_organization = ref.organization;
      e.place = PlaceOf(*rs, region_id);
      e.subjects = SplitList(GetStr(*rs, "subjects"));
      e.deficits = SplitList(GetStr(*rs, "deficit_indicator_codes"));
      AddAreaTags(GetStr(*rs, "areas"), &e.deficits);
      e.pair_type = rs->getInt("pair_type");
      in.mentee_entity[e.id] = ref;
      if (rs->getInt("status") == 2) in.released[e.id] = GetInt(*rs, "pair_id");
      in.mentees.push_back(std::move(e));
    }
  }
  absl::flat_hash_map<int64_t, int> released_per_profile;
  absl::flat_hash_set<int64_t> released_pairs;
  for (const auto& [request, pair] : in.released) released_pairs.insert(pair);
  if (!released_pairs.empty()) {
    std::vector<int64_t> ids(released_pairs.begin(), released_pairs.end());
    std::sort(ids.begin(), ids.end());
    auto rs = Stmt(c, absl::StrCat("SELECT mentor_profile_id, COUNT(*) FROM mentoring_pairs WHERE id IN (",
                                   absl::StrJoin(ids, ","), ") GROUP BY mentor_profile_id"))
                  .Query();
    while (rs->next()) released_per_profile[rs->getInt64(1)] = static_cast<int>(rs->getInt64(2));
  }
  in.mentors = LoadRegionMentors(c, region_id, true, released_per_profile);
  {
    // Constraints name mentees, not requests: each applies to every request of its mentee.
    absl::flat_hash_map<std::string, std::vector<int64_t>> requests_of;
    for (const auto& [request, ref] : in.mentee_entity) requests_of[ref.Name()].push_back(request);
    auto rs = Stmt(c, "SELECT kind, mentor_profile_id, mentee_key FROM matching_constraints WHERE region_id = ? ORDER BY id")
                  .Int(region_id)
                  .Query();
    while (rs->next()) {
      auto it = requests_of.find(GetStr(*rs, "mentee_key"));
      if (it == requests_of.end()) continue;
      for (int64_t request : it->second) {
        mentoring::PairRef ref{request, rs->getInt64("mentor_profile_id")};
        (rs->getInt("kind") == static_cast<int>(v1::MATCHING_CONSTRAINT_KIND_PIN) ? in.pins : in.forbidden).push_back(ref);
      }
    }
  }
  {
    const std::string pside = SideJoins("xp", "xo", "q.mentee_person_id", "q.mentee_organization_id");
    auto rs = Stmt(c, absl::StrCat("SELECT q.id, q.mentor_profile_id, q.mentee_request_id, q.mentee_person_id, "
                                   "q.mentee_organization_id, q.pair_type, q.explanation FROM mentoring_pairs q",
                                   pside, " WHERE q.region_id = ? AND ",
                                   SideInScope(scope, "q.region_id", "xo", "q.mentee_person_id"),
                                   " AND q.status IN (1, 2) ORDER BY q.id"))
                  .Int(region_id)
                  .Int(scope.id)
                  .Query();
    while (rs->next()) {
      if (released_pairs.contains(rs->getInt64("id"))) continue;
      KeptPair k;
      k.pair_id = rs->getInt64("id");
      k.profile_id = rs->getInt64("mentor_profile_id");
      k.request_id = GetInt(*rs, "mentee_request_id");
      const int64_t person = GetInt(*rs, "mentee_person_id");
      k.mentee = person != 0 ? EntityRef{false, person} : EntityRef{true, GetInt(*rs, "mentee_organization_id")};
      k.pair_type = rs->getInt("pair_type");
      k.explanation = GetBytes(*rs, "explanation");
      in.kept.push_back(std::move(k));
    }
  }
  return in;
}

// ---------------------------------------------------------------- proposals

int64_t MentoringRepository::InsertProposal(sql::Connection& c, int64_t region_id, const std::string& scope_name,
                                            const mentoring::ScopePlace& scope, const v1::MatchingOptions& options,
                                            const v1::MatchingStats& stats, int64_t person_id, int64_t account_id) {
  Stmt(c,
       "INSERT INTO matching_proposals (region_id, scope, scope_district_id, scope_municipality_id, "
       "scope_organization_id, options_json, state, mentees, mentors, candidate_edges, matched, total_cost, "
       "compute_millis, created_by_person_id, created_by_account_id) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)")
      .Int(region_id)
      .Str(scope_name)
      .OptInt(scope.district_id)
      .OptInt(scope.municipality_id)
      .OptInt(scope.organization_id)
      .Str(ToJson(options))
      .Int(stats.mentees())
      .Int(stats.mentors())
      .Int(stats.candidate_edges())
      .Int(stats.matched())
      .Int(stats.total_cost())
      .Int(stats.compute_millis())
      .OptInt(person_id)
      .OptInt(account_id)
      .Execute();
  return LastInsertId(c);
}

void MentoringRepository::InsertProposalPairs(sql::Connection& c, int64_t proposal_id,
                                              const std::vector<StoredPair>& pairs) {
  // Multi-row inserts: a region-wide proposal has thousands of pairs.
  constexpr size_t kBatch = 500;
  for (size_t from = 0; from < pairs.size(); from += kBatch) {
    const size_t to = std::min(pairs.size(), from + kBatch);
    std::string sql =
        "INSERT INTO matching_proposal_pairs (proposal_id, idx, mentor_profile_id, mentee_request_id, pair_type, cost, "
        "pinned, kept_pair_id, released_pair_id, explanation) VALUES ";
    for (size_t k = from; k < to; ++k) absl::StrAppend(&sql, k == from ? "" : ", ", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    Stmt st(c, sql);
    for (size_t k = from; k < to; ++k) {
      const StoredPair& p = pairs[k];
      st.Int(proposal_id).Int(p.idx).Int(p.profile_id).Int(p.request_id).Int(p.pair_type).Int(p.cost).Bool(p.pinned)
          .OptInt(p.kept_pair_id).OptInt(p.released_pair_id);
      if (p.explanation.empty()) st.Null(); else st.Blob(p.explanation);
    }
    st.Execute();
  }
}

void MentoringRepository::InsertProposalUnmatched(sql::Connection& c, int64_t proposal_id,
                                                  const std::vector<StoredUnmatched>& unmatched) {
  constexpr size_t kBatch = 500;
  for (size_t from = 0; from < unmatched.size(); from += kBatch) {
    const size_t to = std::min(unmatched.size(), from + kBatch);
    std::string sql = "INSERT INTO matching_proposal_unmatched (proposal_id, idx, mentee_request_id, reason, detail) VALUES ";
    for (size_t k = from; k < to; ++k) absl::StrAppend(&sql, k == from ? "" : ", ", "(?, ?, ?, ?, ?)");
    Stmt st(c, sql);
    for (size_t k = from; k < to; ++k) {
      const StoredUnmatched& u = unmatched[k];
      st.Int(proposal_id).Int(u.idx).Int(u.request_id).Int(u.reason).Str(u.detail);
    }
    st.Execute();
  }
}

absl::StatusOr<MentoringRepository::ProposalRow> MentoringRepository::GetProposal(sql::Connection& c, int64_t id,
                                                                                 bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", ProposalColumns(), "FROM matching_proposals pr WHERE pr.id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Предложение подбора ", id, " не найдено"));
  return ReadProposal(*rs);
}

void MentoringRepository::LoadProposalPage(sql::Connection& c, int64_t proposal_id, int from, int count,
                                           v1::MatchingProposal* out, bool* more) {
  {
    auto rs = Stmt(c, absl::StrCat(
                          "SELECT pp.idx, pp.mentor_profile_id, pp.mentee_request_id, pp.pair_type, pp.cost, pp.pinned, "
                          "pp.kept_pair_id, pp.explanation, mp.mentor_person_id, mp.mentor_organization_id, ",
                          DisplayNameSql("ap", "ao"), " AS mentor_name, COALESCE(r.mentee_person_id, kp.mentee_person_id) "
                          "AS mentee_person_id, COALESCE(r.mentee_organization_id, kp.mentee_organization_id) AS "
                          "mentee_organization_id, ",
                          DisplayNameSql("ep", "eo"),
                          " AS mentee_name FROM matching_proposal_pairs pp JOIN mentor_profiles mp ON mp.id = "
                          "pp.mentor_profile_id",
                          SideJoins("ap", "ao", "mp.mentor_person_id", "mp.mentor_organization_id"),
                          " LEFT JOIN mentee_requests r ON r.id = pp.mentee_request_id LEFT JOIN mentoring_pairs kp ON "
                          "kp.id = pp.kept_pair_id",
                          SideJoins("ep", "eo", "COALESCE(r.mentee_person_id, kp.mentee_person_id)",
                                    "COALESCE(r.mentee_organization_id, kp.mentee_organization_id)"),
                          " WHERE pp.proposal_id = ? AND pp.idx >= ? AND pp.idx < ? ORDER BY pp.idx"))
                  .Int(proposal_id)
                  .Int(from)
                  .Int(static_cast<int64_t>(from) + count)
                  .Query();
    while (rs->next()) {
      v1::ProposedPair* p = out->add_pairs();
      p->set_index(rs->getInt("idx"));
      p->set_mentor_profile(ResourceName("mentorProfiles", rs->getInt64("mentor_profile_id")));
      const int64_t mperson = GetInt(*rs, "mentor_person_id");
      p->set_mentor(mperson != 0 ? ResourceName("people", mperson)
                                 : ResourceName("organizations", GetInt(*rs, "mentor_organization_id")));
      p->set_mentor_display_name(GetStr(*rs, "mentor_name"));
      if (int64_t req = GetInt(*rs, "mentee_request_id")) p->set_mentee_request(ResourceName("menteeRequests", req));
      const int64_t eperson = GetInt(*rs, "mentee_person_id");
      p->set_mentee(eperson != 0 ? ResourceName("people", eperson)
                                 : ResourceName("organizations", GetInt(*rs, "mentee_organization_id")));
      p->set_mentee_display_name(GetStr(*rs, "mentee_name"));
      p->set_pair_type(static_cast<v1::PairType>(rs->getInt("pair_type")));
      p->set_cost(rs->getInt64("cost"));
      p->set_pinned(rs->getBoolean("pinned"));
      if (int64_t kept = GetInt(*rs, "kept_pair_id")) p->set_kept_pair(ResourceName("mentoringPairs", kept));
      if (!rs->isNull("explanation")) ParseStoredBinary(GetBytes(*rs, "explanation"), p->mutable_explanation(), "matching_proposal_pairs.explanation");
    }
  }
  {
    auto rs = Stmt(c, absl::StrCat("SELECT u.idx, u.mentee_request_id, u.reason, u.detail, r.mentee_person_id, "
                                   "r.mentee_organization_id, ",
                                   DisplayNameSql("ep", "eo"),
                                   " AS mentee_name FROM matching_proposal_unmatched u JOIN mentee_requests r ON r.id = "
                                   "u.mentee_request_id",
                                   SideJoins("ep", "eo", "r.mentee_person_id", "r.mentee_organization_id"),
                                   " WHERE u.proposal_id = ? AND u.idx >= ? AND u.idx < ? ORDER BY u.idx"))
                  .Int(proposal_id)
                  .Int(from)
                  .Int(static_cast<int64_t>(from) + count)
                  .Query();
    while (rs->next()) {
      v1::UnmatchedMentee* u = out->add_unmatched();
      u->set_mentee_request(ResourceName("menteeRequests", rs->getInt64("mentee_request_id")));
      const int64_t person = GetInt(*rs, "mentee_person_id");
      u->set_mentee(person != 0 ? ResourceName("people", person)
                                : ResourceName("organizations", GetInt(*rs, "mentee_organization_id")));
      u->set_mentee_display_name(GetStr(*rs, "mentee_name"));
      u->set_reason(static_cast<v1::UnmatchedReason>(rs->getInt("reason")));
      u->set_detail(GetStr(*rs, "detail"));
    }
  }
  auto rs = Stmt(c,
                 "SELECT (SELECT COUNT(*) FROM matching_proposal_pairs WHERE proposal_id = ? AND idx >= ?) + "
                 "(SELECT COUNT(*) FROM matching_proposal_unmatched WHERE proposal_id = ? AND idx >= ?)")
                .Int(proposal_id)
                .Int(static_cast<int64_t>(from) + count)
                .Int(proposal_id)
                .Int(static_cast<int64_t>(from) + count)
                .Query();
  *more = rs->next() && rs->getInt64(1) > 0;
}

std::vector<MentoringRepository::StoredPair> MentoringRepository::LoadProposalPairs(sql::Connection& c,
                                                                                   int64_t proposal_id) {
  std::vector<StoredPair> out;
  auto rs = Stmt(c,
                 "SELECT idx, mentor_profile_id, mentee_request_id, pair_type, cost, pinned, kept_pair_id, "
                 "released_pair_id, explanation FROM matching_proposal_pairs WHERE proposal_id = ? ORDER BY idx")
                .Int(proposal_id)
                .Query();
  while (rs->next()) {
    StoredPair p;
    p.idx = rs->getInt("idx");
    p.profile_id = rs->getInt64("mentor_profile_id");
    p.request_id = rs->getInt64("mentee_request_id");
    p.pair_type = rs->getInt("pair_type");
    p.cost = rs->getInt64("cost");
    p.pinned = rs->getBoolean("pinned");
    p.kept_pair_id = GetInt(*rs, "kept_pair_id");
    p.released_pair_id = GetInt(*rs, "released_pair_id");
    p.explanation = GetBytes(*rs, "explanation");
    out.push_back(std::move(p));
  }
  return out;
}

void MentoringRepository::SetProposalState(sql::Connection& c, int64_t id, int state) {
  Stmt(c, "UPDATE matching_proposals SET state = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(6) WHERE id = ?")
      .Int(state)
      .Int(id)
      .Execute();
}

std::vector<std::pair<int64_t, mentoring::ScopePlace>> MentoringRepository::OpenProposals(sql::Connection& c,
                                                                                          int64_t region_id) {
  std::vector<std::pair<int64_t, mentoring::ScopePlace>> out;
  auto rs = Stmt(c, absl::StrCat("SELECT ", ProposalColumns(), "FROM matching_proposals pr WHERE pr.region_id = ? AND "
                                 "pr.state = 1 ORDER BY pr.id FOR UPDATE"))
                .Int(region_id)
                .Query();
  while (rs->next()) {
    ProposalRow row = ReadProposal(*rs);
    out.emplace_back(row.id, row.scope);
  }
  return out;
}

absl::Status MentoringRepository::ListProposals(sql::Connection& c, const ScopeFilter& scope,
                                                const std::vector<FilterTerm>& filter, const PageRequest& page,
                                                std::vector<v1::MatchingProposal>* out, int64_t* next_after,
                                                int64_t* total) {
  Where w;
  switch (scope.kind) {
    case ScopeFilter::Kind::kRegion: w.Add("pr.region_id = ?", scope.id); break;
    case ScopeFilter::Kind::kDistrict: w.Add("pr.scope_district_id = ?", scope.id); break;
    case ScopeFilter::Kind::kMunicipality: w.Add("pr.scope_municipality_id = ?", scope.id); break;
    case ScopeFilter::Kind::kOrganization: w.Add("pr.scope_organization_id = ?", scope.id); break;
    case ScopeFilter::Kind::kPerson: w.Add("FALSE"); break;
  }
  for (const auto& t : filter) {
    if (t.field == "scope") {
      w.Add("pr.scope = ?", t.value);
    } else if (t.field == "state") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MatchingProposalState_descriptor(), "pr.state = ?"));
    }
  }
  RunList(c, ProposalColumns(), "matching_proposals pr", w, "pr.id", page,
          [&](sql::ResultSet& rs) { out->push_back(ReadProposal(rs).proposal); }, next_after, total);
  return absl::OkStatus();
}

// ---------------------------------------------------------------- constraints

absl::StatusOr<MentoringRepository::ConstraintRow> MentoringRepository::GetConstraint(sql::Connection& c, int64_t id,
                                                                                     bool for_update) {
  auto rs = Stmt(c, absl::StrCat("SELECT ", ConstraintColumns(), "FROM matching_constraints k WHERE k.id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(id)
                .Query();
  if (!rs->next()) return absl::NotFoundError(absl::StrCat("Ограничение подбора ", id, " не найдено"));
  return ReadConstraint(*rs);
}

int64_t MentoringRepository::InsertConstraint(sql::Connection& c, int64_t region_id, int kind, int64_t profile_id,
                                              const EntityRef& mentee, const std::string& scope,
                                              const std::string& reason, int64_t person_id, int64_t account_id) {
  Stmt st(c,
          "INSERT INTO matching_constraints (region_id, kind, mentor_profile_id, mentee_person_id, "
          "mentee_organization_id, mentee_key, scope, reason, created_by_person_id, created_by_account_id) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.Int(region_id).Int(kind).Int(profile_id);
  if (mentee.organization) st.Null().Int(mentee.id); else st.Int(mentee.id).Null();
  st.Str(mentee.Name()).Str(scope).Str(reason).OptInt(person_id).OptInt(account_id).Execute();
  return LastInsertId(c);
}

void MentoringRepository::DeleteConstraint(sql::Connection& c, int64_t id) {
  Stmt(c, "DELETE FROM matching_constraints WHERE id = ?").Int(id).Execute();
}

absl::Status MentoringRepository::ListConstraints(sql::Connection& c, const ScopeFilter& scope,
                                                  const std::vector<FilterTerm>& filter,
                                                  const PageRequest& page, std::vector<v1::MatchingConstraint>* out,
                                                  int64_t* next_after, int64_t* total) {
  Where w;
  w.Add(SideInScope(scope, "k.region_id", "xo", "k.mentee_person_id"), scope.id);
  for (const auto& t : filter) {
    if (t.field == "kind") {
      RETURN_IF_ERROR(AddEnum(w, t, v1::MatchingConstraintKind_descriptor(), "k.kind = ?"));
    } else if (t.field == "mentor_profile") {
      RETURN_IF_ERROR(AddRef(w, t, "mentorProfiles", "k.mentor_profile_id = ?"));
    } else if (t.field == "mentee") {
      auto e = EntityValue(t);
      if (!e.ok()) return e.status();
      w.Add("k.mentee_key = ?", e->Name());
    } else if (t.field == "scope") {
      w.Add("k.scope = ?", t.value);
    }
  }
  RunList(c, ConstraintColumns(), absl::StrCat("matching_constraints k", SideJoins("xp", "xo", "k.mentee_person_id",
                                                                                   "k.mentee_organization_id")),
          w, "k.id", page, [&](sql::ResultSet& rs) { out->push_back(ReadConstraint(rs).constraint); }, next_after,
          total);
  return absl::OkStatus();
}

}  // namespace nms::db
