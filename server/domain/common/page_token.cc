#include "server/domain/common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace nms {
namespace {

constexpr char kVersion[] = "p1";
constexpr size_t kMaxTokenBytes = 4096;

uint64_t Fnv1a(absl::string_view bytes, uint64_t h = 1469598103934665603ull) {
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

absl::Status BadToken() {
  return absl::InvalidArgumentError(
      "Поле page_token: токен страницы повреждён или выдан для другого запроса; начните с первой страницы");
}

// Length-prefixed parts ("3:abc"), so any byte may appear in a key.
void AppendPart(std::string* out, absl::string_view part) { absl::StrAppend(out, part.size(), ":", part); }

bool ReadPart(absl::string_view* in, std::string* part) {
  size_t colon = in->find(':');
  size_t n = 0;
  if (colon == absl::string_view::npos || colon == 0 || colon > 5 || !absl::SimpleAtoi(in->substr(0, colon), &n) ||
      in->size() - colon - 1 < n) {
    return false;
  }
  *part = std::string(in->substr(colon + 1, n));
  in->remove_prefix(colon + 1 + n);
  return true;
}

bool IsNumber(absl::string_view s) {
  int64_t v = 0;
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == absl::string_view::npos &&
         absl::SimpleAtoi(s, &v) && v >= 0;
}

}  // namespace

std::string RequestFingerprint(std::initializer_list<absl::string_view> parts) {
  uint64_t h = 1469598103934665603ull;
  for (auto part : parts) {
    h = Fnv1a(part, h);
    h = Fnv1a("\xff", h);  // separator: ("ab","c") differs from ("a","bc")
  }
  return absl::StrFormat("%016x", h);
}

int64_t PageRequest::AfterNumber(size_t i) const {
  int64_t v = 0;
  if (i < after_.size()) (void)absl::SimpleAtoi(after_[i], &v);
  return v;
}

std::string PageRequest::Next(const std::vector<std::string>& last) const {
  return EncodePageToken(fingerprint_, last);
}

std::string PageRequest::NextNumber(int64_t last) const { return Next({absl::StrCat(last)}); }

absl::StatusOr<int> ValidPageSize(int requested, int def, int max) {
  if (requested < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Поле page_size: не может быть отрицательным (0 — по умолчанию ", def, ", не больше ", max, ")"));
  }
  if (requested == 0) return def;
  return requested > max ? max : requested;
}

std::string EncodePageToken(absl::string_view fingerprint, const std::vector<std::string>& key) {
  std::string body;
  AppendPart(&body, kVersion);
  AppendPart(&body, fingerprint);
  for (const auto& part : key) AppendPart(&body, part);
  absl::StrAppend(&body, absl::StrFormat("%016x", Fnv1a(body)));
  return absl::WebSafeBase64Escape(body);
}

absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view token, absl::string_view fingerprint,
                                                         std::initializer_list<KeyPart> shape) {
  std::vector<std::string> key;
  if (token.empty()) return key;
  std::string raw;
  if (token.size() > kMaxTokenBytes || !absl::WebSafeBase64Unescape(token, &raw) || raw.size() < 16) {
    return BadToken();
  }
  absl::string_view body(raw.data(), raw.size() - 16);
  if (absl::string_view(raw).substr(raw.size() - 16) != absl::StrFormat("%016x", Fnv1a(body))) return BadToken();
  std::string version, print;
  if (!ReadPart(&body, &version) || version != kVersion || !ReadPart(&body, &print) || print != fingerprint) {
    return BadToken();
  }
  for (KeyPart kind : shape) {
    std::string part;
    if (!ReadPart(&body, &part) || (kind == KeyPart::kNumber && !IsNumber(part))) return BadToken();
    key.push_back(std::move(part));
  }
  if (!body.empty()) return BadToken();
  return key;
}

absl::StatusOr<PageRequest> ParsePageRequest(int page_size, absl::string_view token, absl::string_view fingerprint,
                                             std::initializer_list<KeyPart> shape, int def, int max) {
  absl::StatusOr<int> size = ValidPageSize(page_size, def, max);
  if (!size.ok()) return size.status();
  absl::StatusOr<std::vector<std::string>> after = DecodePageToken(token, fingerprint, shape);
  if (!after.ok()) return after.status();
  return PageRequest(*size, std::move(*after), std::string(fingerprint));
}

}  // namespace nms
