#include "server/db/stored_proto.h"

#include <google/protobuf/util/json_util.h>

#include "server/common/log.h"

namespace nms::db {
namespace {

bool Damaged(google::protobuf::Message* out, absl::string_view where, absl::string_view error) {
  out->Clear();
  log::Error("stored value does not parse",
             {{"code", "DATA_LOSS"}, {"column", std::string(where)}, {"error", std::string(error.substr(0, 200))}});
  return false;
}

}  // namespace

bool ParseStoredJson(const std::string& json, google::protobuf::Message* out, absl::string_view where) {
  if (json.empty()) {
    out->Clear();
    return true;
  }
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;  // written by a newer replica during a rolling upgrade
  auto st = google::protobuf::util::JsonStringToMessage(json, out, opts);
  return st.ok() ? true : Damaged(out, where, std::string(st.message()));
}

bool ParseStoredBinary(const std::string& blob, google::protobuf::Message* out, absl::string_view where) {
  return out->ParseFromString(blob) ? true : Damaged(out, where, "binary protobuf does not parse");
}

}  // namespace nms::db
