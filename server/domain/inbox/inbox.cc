#include "server/domain/inbox/inbox.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace nms::inbox {
namespace {

using access::Action;
using access::Role;
constexpr Role kS = Role::kSchoolAdmin, kM = Role::kMunicipalMethodist, kRM = Role::kRegionalMethodist,
               kRA = Role::kRegionalAdmin;
constexpr int kMaxQueryChars = 200;

absl::Status BadToken() {
  return absl::InvalidArgumentError("Поле page_token: токен повреждён или выдан для другого запроса");
}

// What a token is valid for: the same kind, search and order.
std::string Fingerprint(Kind kind, absl::string_view text, Sort sort) {
  return absl::StrCat(static_cast<int>(kind), "\x1f", static_cast<int>(sort), "\x1f", text);
}

int Rank(const access::Grant& g) {
  switch (g.scope_kind) {
    case access::ScopeKind::kRegion: return 3;
    case access::ScopeKind::kMunicipality: return 2;
    case access::ScopeKind::kOrganization: return 1;
  }
  return 0;
}

size_t Utf8Length(absl::string_view s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

}  // namespace

const std::vector<Kind>& AllKinds() {
  static const auto* kinds = new std::vector<Kind>{
      Kind::kRouteToAgree,     Kind::kRouteToApprove,  Kind::kEnrolment,
      Kind::kMatchingProposal, Kind::kYoungUnsupported, Kind::kCampaignNotDone,
      Kind::kOverdueItem,      Kind::kPairWithoutMeeting, Kind::kItemRemark, Kind::kExpertWork};
  return *kinds;
}

bool IsKind(int value) { return value >= 1 && value <= 10; }

const KindRule& RuleFor(Kind kind) {
  static const auto* rules = new std::vector<KindRule>{
      {Action::kAgreeRouteAsSchool, {kS}},
      {Action::kApproveRoute, {kRM, kRA}},
      // Enrolment is decided by the school head and confirmed by methodists (route::EnrolmentRoleMay).
      {Action::kReadRoute, {kS, kM, kRM, kRA}},
      {Action::kRunMatching, {kM, kRM, kRA}},
      {Action::kManageSupport, {kS, kM, kRM, kRA}},
      {Action::kRemindTeachers, {kS, kM, kRM, kRA}},
      // Overdue items: whoever accompanies or supervises the routes (not the teacher, whose
      // phone shows them).
      {Action::kReadRoute, {kS, kM, kRM, kRA}},
      {Action::kManageMentoring, {kS, kM, kRM, kRA}},
      {Action::kManageFramework, {kRM, kRA}},
      // Expert works are scored by those who run campaigns (RecordExternalScores).
      {Action::kManageCampaign, {kM, kRM, kRA}},
  };
  return (*rules)[static_cast<int>(kind) - 1];
}

const access::Grant* GrantFor(const access::Principal& principal, Kind kind) {
  const KindRule& rule = RuleFor(kind);
  const auto& allowed = access::RolesFor(rule.action);
  const access::Grant* best = nullptr;
  for (const auto& g : principal.grants) {
    bool acts = false, may = false;
    for (Role r : rule.roles) acts |= r == g.role;
    for (Role r : allowed) may |= r == g.role;
    if (!acts || !may) continue;
    if (best == nullptr || Rank(g) > Rank(*best)) best = &g;
  }
  return best;
}

std::vector<int> EnrolmentStatesFor(Role role) {
  if (role == kS) return {1, 2};
  return {2};
}

absl::StatusOr<Query> ParseQuery(int kind, absl::string_view text, int sort, int page_size,
                                 absl::string_view page_token) {
  Query q;
  if (kind == 0) return absl::InvalidArgumentError("Поле kind: укажите вид задач");
  if (!IsKind(kind)) return absl::InvalidArgumentError("Поле kind: неизвестный вид задач");
  q.kind = static_cast<Kind>(kind);
  if (sort < 0 || sort > 3) return absl::InvalidArgumentError("Поле sort: неизвестный порядок сортировки");
  q.sort = static_cast<Sort>(sort);
  q.text = std::string(absl::StripAsciiWhitespace(text));
  if (Utf8Length(q.text) > kMaxQueryChars) {
    return absl::InvalidArgumentError(absl::StrCat("Поле query: не длиннее ", kMaxQueryChars, " символов"));
  }
  if (page_size < 0) return absl::InvalidArgumentError("Поле page_size: не может быть отрицательным");
  q.page_size = page_size == 0 ? 50 : std::min(page_size, 200);
  if (!page_token.empty()) {
    std::string raw;
    if (page_token.size() > 1024 || !absl::WebSafeBase64Unescape(page_token, &raw)) return BadToken();
    std::vector<std::string> parts = absl::StrSplit(raw, absl::MaxSplits('\x1e', 1));
    if (parts.size() != 2 || parts[1] != Fingerprint(q.kind, q.text, q.sort)) return BadToken();
    if (!absl::SimpleAtoi(parts[0], &q.offset) || q.offset < 0) return BadToken();
  }
  return q;
}

std::string NextPageToken(const Query& q, int64_t offset_after, int64_t total) {
  if (offset_after >= total) return "";
  return absl::WebSafeBase64Escape(absl::StrCat(offset_after, "\x1e", Fingerprint(q.kind, q.text, q.sort)));
}

int64_t WeeksSince(absl::CivilDay since, absl::CivilDay today) {
  int64_t days = today - since;
  return days <= 0 ? 0 : days / 7;
}

absl::CivilDay MeetingCutoff(absl::CivilDay today, int gap_weeks) { return today - 7 * gap_weeks; }

absl::Status CheckMeetingGapWeeks(int weeks, absl::string_view field) {
  if (weeks < kMinMeetingGapWeeks || weeks > kMaxMeetingGapWeeks) {
    return absl::InvalidArgumentError(absl::StrCat("Поле ", field, ": от ", kMinMeetingGapWeeks, " до ",
                                                   kMaxMeetingGapWeeks, " недель"));
  }
  return absl::OkStatus();
}

std::string CampaignStateText(int participant_status) {
  return participant_status == 2 ? "начал(а), но не закончил(а)" : "не начал(а)";
}

absl::Status CheckRecipients(int count) {
  if (count == 0) return absl::InvalidArgumentError("Поле people: укажите, кому напомнить");
  if (count > 200) return absl::InvalidArgumentError("Поле people: не больше 200 педагогов за раз");
  return absl::OkStatus();
}

}  // namespace nms::inbox

namespace nms::inbox {
namespace {

// Lower-cases ASCII and Cyrillic А–Я, Ё in UTF-8; other bytes stay.
std::string Fold(absl::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char b = s[i];
    if (b < 0x80) {
      out += static_cast<char>(absl::ascii_tolower(b));
      continue;
    }
    if ((b == 0xD0) && i + 1 < s.size()) {
      unsigned char n = s[i + 1];
      if (n >= 0x90 && n <= 0x9F) {  // А..П -> а..п
        out += static_cast<char>(0xD0);
        out += static_cast<char>(n + 0x20);
        ++i;
        continue;
      }
      if (n >= 0xA0 && n <= 0xAF) {  // Р..Я -> р..я (D1 80..8F)
        out += static_cast<char>(0xD1);
        out += static_cast<char>(n - 0x20);
        ++i;
        continue;
      }
      if (n == 0x81) {  // Ё -> ё; ё and е are told apart, as people type both
        out += static_cast<char>(0xD1);
        out += static_cast<char>(0x91);
        ++i;
        continue;
      }
    }
    out += static_cast<char>(b);
  }
  return out;
}

}  // namespace

bool ContainsFolded(absl::string_view haystack, absl::string_view needle) {
  if (needle.empty()) return true;
  return absl::StrContains(Fold(haystack), Fold(needle));
}

std::string ReminderKey(int64_t campaign_id, absl::CivilDay day) {
  return absl::StrCat("remind:campaigns/", campaign_id, ":", absl::FormatCivilTime(day));
}

}  // namespace nms::inbox
