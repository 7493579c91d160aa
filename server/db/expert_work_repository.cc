#include "server/db/expert_work_repository.h"

#include <istream>
#include <iterator>
#include <memory>

#include "absl/strings/str_cat.h"
#include "server/db/diagnostics_sql.h"
#include "server/db/sql.h"
#include "server/domain/common/names.h"

namespace nms::db {
namespace {

std::string Select(bool with_content) {
  return absl::StrCat(
      "SELECT w.session_id, w.item_id, w.kind, w.answer_text, w.file_name, w.content_type, w.file_size, ",
      with_content ? "w.file_content" : "NULL AS file_content",
      ", w.link_url, w.version, UNIX_TIMESTAMP(w.submitted_at) AS submitted, x.score, x.comment, "
      "UNIX_TIMESTAMP(x.scored_at) AS scored "
      "FROM diagnostic_expert_works w LEFT JOIN diagnostic_external_scores x "
      "ON x.session_id = w.session_id AND x.item_id = w.item_id ");
}

v1::ExpertWork Read(sql::ResultSet& rs) {
  v1::ExpertWork w;
  w.set_session(ResourceName("sessions", rs.getInt64("session_id")));
  w.set_item_id(GetStr(rs, "item_id"));
  w.set_kind(static_cast<v1::ExpertWorkKind>(rs.getInt("kind")));
  w.set_text(GetStr(rs, "answer_text"));
  w.set_file_name(GetStr(rs, "file_name"));
  w.set_content_type(GetStr(rs, "content_type"));
  w.set_file_size(rs.getInt64("file_size"));
  if (!rs.isNull("file_content")) {
    // Read as a stream: the bytes of a file, not text.
    std::unique_ptr<std::istream> in(rs.getBlob("file_content"));
    if (in) w.set_file_content(std::string(std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()));
  }
  w.set_link_url(GetStr(rs, "link_url"));
  w.set_version(rs.getInt64("version"));
  *w.mutable_submit_time() = diag::ToTimestamp(diag::ReadTime(rs, "submitted"));
  if (!rs.isNull("score")) {
    w.set_scored(true);
    w.set_score(rs.getDouble("score"));
    w.set_score_comment(GetStr(rs, "comment"));
    *w.mutable_score_time() = diag::ToTimestamp(diag::ReadTime(rs, "scored"));
  }
  return w;
}

}  // namespace

std::optional<v1::ExpertWork> ExpertWorkRepository::Get(sql::Connection& c, int64_t session_id,
                                                        const std::string& item_id, bool with_content,
                                                        bool for_update) {
  auto rs = Stmt(c, absl::StrCat(Select(with_content), "WHERE w.session_id = ? AND w.item_id = ?",
                                 for_update ? " FOR UPDATE" : ""))
                .Int(session_id)
                .Str(item_id)
                .Query();
  if (!rs->next()) return std::nullopt;
  return Read(*rs);
}

std::vector<v1::ExpertWork> ExpertWorkRepository::ListForSession(sql::Connection& c, int64_t session_id) {
  auto rs = Stmt(c, absl::StrCat(Select(false), "WHERE w.session_id = ? ORDER BY w.item_id")).Int(session_id).Query();
  std::vector<v1::ExpertWork> out;
  while (rs->next()) out.push_back(Read(*rs));
  return out;
}

void ExpertWorkRepository::Upsert(sql::Connection& c, int64_t session_id, const v1::ExpertWork& w) {
  Stmt st(c, "INSERT INTO diagnostic_expert_works (session_id, item_id, kind, answer_text, file_name, content_type, "
          "file_size, file_content, link_url, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(6)) "
          "ON DUPLICATE KEY UPDATE kind = VALUES(kind), answer_text = VALUES(answer_text), "
          "file_name = VALUES(file_name), content_type = VALUES(content_type), file_size = VALUES(file_size), "
          "file_content = VALUES(file_content), link_url = VALUES(link_url), version = version + 1, "
          "submitted_at = VALUES(submitted_at)");
  st.Int(session_id)
      .Str(w.item_id())
      .Int(w.kind())
      .OptStr(w.text())
      .OptStr(w.file_name())
      .OptStr(w.content_type())
      .Int(static_cast<int64_t>(w.file_content().size()));
  if (w.file_content().empty()) {
    st.Null();
  } else {
    st.Blob(w.file_content());
  }
  st.OptStr(w.link_url()).Execute();
}

bool ExpertWorkRepository::IsScored(sql::Connection& c, int64_t session_id, const std::string& item_id) {
  auto rs = Stmt(c, "SELECT 1 FROM diagnostic_external_scores WHERE session_id = ? AND item_id = ?")
                .Int(session_id)
                .Str(item_id)
                .Query();
  return rs->next();
}

ExpertWorkRepository::Context ExpertWorkRepository::ContextOf(sql::Connection& c, int64_t session_id) {
  auto rs = Stmt(c, "SELECT CONCAT_WS(' ', p.last_name, p.first_name, NULLIF(p.middle_name, '')) AS pname, "
                    "IFNULL(o.short_name, '') AS org, dc.title, dc.state "
                    "FROM diagnostic_sessions s JOIN people p ON p.id = s.person_id "
                    "LEFT JOIN organizations o ON o.id = p.organization_id "
                    "JOIN diagnostic_campaigns dc ON dc.id = s.campaign_id WHERE s.id = ?")
                .Int(session_id)
                .Query();
  Context out;
  if (!rs->next()) return out;
  out.person_name = GetStr(*rs, "pname");
  out.organization_title = GetStr(*rs, "org");
  out.campaign_title = GetStr(*rs, "title");
  out.campaign_state = rs->getInt("state");
  return out;
}

}  // namespace nms::db
