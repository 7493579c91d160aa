#include "server/domain/diagnostics/expert_work.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/common/text.h"

namespace nms::diagnostics {
namespace {

struct FileType {
  const char* content_type;
  std::vector<const char*> extensions;
  const char* title;
};

const std::vector<FileType>& FileTypes() {
  static const auto* types = new std::vector<FileType>{
      {"application/pdf", {".pdf"}, "PDF"},
      {"application/msword", {".doc"}, "DOC"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", {".docx"}, "DOCX"},
      {"application/vnd.oasis.opendocument.text", {".odt"}, "ODT"},
      {"application/rtf", {".rtf"}, "RTF"},
      {"text/plain", {".txt"}, "TXT"},
      {"image/jpeg", {".jpg", ".jpeg"}, "JPG"},
      {"image/png", {".png"}, "PNG"},
  };
  return *types;
}

size_t Chars(absl::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

absl::Status Invalid(absl::string_view prefix, absl::string_view field, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("Поле ", prefix, field, ": ", what));
}

bool ValidLink(absl::string_view url) {
  absl::string_view rest;
  std::string lower = absl::AsciiStrToLower(url.substr(0, 8));
  if (absl::StartsWith(lower, "https://")) {
    rest = url.substr(8);
  } else if (absl::StartsWith(lower, "http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  size_t host_end = rest.find_first_of("/?#");
  absl::string_view host = rest.substr(0, host_end);
  if (host.empty() || absl::StrContains(host, "@")) return false;
  for (unsigned char ch : url) {
    if (ch <= 0x20 || ch == 0x7F) return false;  // spaces and control characters
  }
  return true;
}

}  // namespace

bool AllowedFile(absl::string_view content_type, absl::string_view file_name) {
  std::string name = absl::AsciiStrToLower(file_name);
  for (const auto& t : FileTypes()) {
    if (content_type != t.content_type) continue;
    for (const char* ext : t.extensions) {
      if (absl::EndsWith(name, ext)) return true;
    }
  }
  return false;
}

std::string AllowedFileTypesText() {
  std::vector<std::string> titles;
  for (const auto& t : FileTypes()) titles.push_back(t.title);
  return absl::StrJoin(titles, ", ");
}

absl::Status ValidateWork(const WorkInput& w, absl::string_view prefix) {
  const bool text = !w.text.empty(), file = !w.file_name.empty() || !w.content_type.empty() || w.file_size > 0,
             link = !w.link_url.empty();
  switch (w.kind) {
    case WorkKind::kText: {
      if (file || link) return Invalid(prefix, "text", "для письменного ответа не задаются файл и ссылка");
      absl::Status st = RequireText(w.text, absl::StrCat(prefix, "text"), 4 * kMaxWorkTextChars);
      if (!st.ok()) return st;
      if (Chars(w.text) > kMaxWorkTextChars) return Invalid(prefix, "text", "не длиннее 20 000 символов");
      return absl::OkStatus();
    }
    case WorkKind::kFile: {
      if (text || link) return Invalid(prefix, "file_content", "для файла не задаются текст и ссылка");
      if (w.file_size <= 0) return Invalid(prefix, "file_content", "файл пустой — выберите файл ещё раз");
      if (w.file_size > kMaxWorkFileBytes) {
        return Invalid(prefix, "file_content", "файл больше 5 МБ — уменьшите его или пришлите ссылку");
      }
      absl::Status st = RequireText(w.file_name, absl::StrCat(prefix, "file_name"), 4 * kMaxWorkFileNameChars);
      if (!st.ok()) return st;
      if (Chars(w.file_name) > kMaxWorkFileNameChars) return Invalid(prefix, "file_name", "не длиннее 255 символов");
      if (absl::StrContains(w.file_name, "/") || absl::StrContains(w.file_name, "\\")) {
        return Invalid(prefix, "file_name", "имя файла без пути к папке");
      }
      if (!AllowedFile(w.content_type, w.file_name)) {
        return Invalid(prefix, "content_type",
                       absl::StrCat("такой тип файла не принимается; подойдут ", AllowedFileTypesText()));
      }
      return absl::OkStatus();
    }
    case WorkKind::kLink: {
      if (text || file) return Invalid(prefix, "link_url", "для ссылки не задаются текст и файл");
      if (w.link_url.size() > kMaxWorkLinkChars) return Invalid(prefix, "link_url", "не длиннее 2 000 символов");
      if (!IsValidUtf8(w.link_url) || !ValidLink(w.link_url)) {
        return Invalid(prefix, "link_url", "нужна ссылка, начинающаяся с http:// или https://");
      }
      return absl::OkStatus();
    }
    case WorkKind::kUnspecified: break;
  }
  return Invalid(prefix, "kind", "укажите, что сдаётся: текст, файл или ссылка");
}

absl::Status CheckCanHandIn(SessionState session, const std::optional<absl::Time>& deadline, CampaignState campaign,
                            const std::optional<absl::Time>& campaign_close, bool item_scored, absl::Time now) {
  if (item_scored) {
    return absl::FailedPreconditionError("Эксперт уже оценил эту работу; сдать её заново нельзя");
  }
  if (session == SessionState::kInProgress) {
    if (IsExpired(deadline, now)) return absl::FailedPreconditionError("Время сессии истекло: работа не принята");
    return absl::OkStatus();
  }
  if (campaign != CampaignState::kLaunched || (campaign_close && now >= *campaign_close)) {
    return absl::FailedPreconditionError("Кампания диагностики закрыта: работы больше не принимаются");
  }
  return absl::OkStatus();
}

}  // namespace nms::diagnostics
