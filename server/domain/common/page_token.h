#pragma once
// The one page-token format of every list (AIP-158). A token carries the sort key of the last
// row of the page (or an offset), a fingerprint of the request that produced it and a checksum,
// web-safe base64 encoded. A token that does not decode, fails its checksum, has the wrong shape
// or came from another request (another method, parent, filter or order) is INVALID_ARGUMENT,
// never a silent restart from the first page. Not a secret: the checksum catches truncation and
// tampering by accident, the fingerprint catches reuse; access is checked on every page anyway.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace nms {

// What a key part must be when decoded.
enum class KeyPart {
  kText,    // any bytes
  kNumber,  // a non-negative decimal int64 (ids, offsets)
};

// A stable (process-, replica- and build-independent) fingerprint of the parts.
std::string RequestFingerprint(std::initializer_list<absl::string_view> parts);

// A list request's paging, validated: its page size, where the previous page ended and the
// fingerprint that the next token carries.
class PageRequest {
 public:
  PageRequest() = default;
  PageRequest(int size, std::vector<std::string> after, std::string fingerprint)
      : size_(size), after_(std::move(after)), fingerprint_(std::move(fingerprint)) {}

  int size() const { return size_; }
  // True on the first page (no token).
  bool first() const { return after_.empty(); }
  // The key parts of the token (empty on the first page).
  const std::vector<std::string>& after() const { return after_; }
  // Part `i` as a number (0 on the first page); parts declared kNumber always parse.
  int64_t AfterNumber(size_t i = 0) const;
  // The token of the page that follows a page ending at `last`.
  std::string Next(const std::vector<std::string>& last) const;
  std::string NextNumber(int64_t last) const;
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  int size_ = 50;
  std::vector<std::string> after_;
  std::string fingerprint_;
};

// The page size of a request: 0 means `def`, above `max` is cut to `max`, negative is
// INVALID_ARGUMENT ("Поле page_size: …").
absl::StatusOr<int> ValidPageSize(int requested, int def = 50, int max = 500);

std::string EncodePageToken(absl::string_view fingerprint, const std::vector<std::string>& key);

// Empty token → empty key (first page). INVALID_ARGUMENT ("Поле page_token: …") otherwise when
// the token is not one this server issued for `fingerprint` with a key of shape `shape`.
absl::StatusOr<std::vector<std::string>> DecodePageToken(absl::string_view token, absl::string_view fingerprint,
                                                         std::initializer_list<KeyPart> shape);

// ValidPageSize + DecodePageToken.
absl::StatusOr<PageRequest> ParsePageRequest(int page_size, absl::string_view token, absl::string_view fingerprint,
                                             std::initializer_list<KeyPart> shape, int def = 50, int max = 500);

// The page `page` asks for out of rows listed in full (short lists, or rows computed rather than
// queried); the token carries the offset (shape {KeyPart::kNumber}).
template <typename T>
std::vector<T> TakePage(std::vector<T> rows, const PageRequest& page, std::string* next_token) {
  const size_t from = std::min(rows.size(), static_cast<size_t>(page.AfterNumber()));
  const size_t to = std::min(rows.size(), from + static_cast<size_t>(page.size()));
  if (to < rows.size()) *next_token = page.NextNumber(static_cast<int64_t>(to));
  rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(to), rows.end());
  rows.erase(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(from));
  return rows;
}

}  // namespace nms
