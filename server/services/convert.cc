#include "server/services/convert.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <memory>

#include "absl/strings/str_cat.h"

namespace nms::services {

absl::CivilDay TodayInRegion(absl::string_view time_zone) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(time_zone), &tz)) tz = absl::FixedTimeZone(3 * 3600);
  return absl::ToCivilDay(absl::Now(), tz);
}

absl::StatusOr<PageRequest> Paging(const google::protobuf::Message& request, std::initializer_list<KeyPart> shape,
                                   int def, int max) {
  const google::protobuf::Descriptor* d = request.GetDescriptor();
  const google::protobuf::Reflection* r = request.GetReflection();
  const google::protobuf::FieldDescriptor* size_field = d->FindFieldByName("page_size");
  const google::protobuf::FieldDescriptor* token_field = d->FindFieldByName("page_token");
  // The fingerprint covers every field but the paging itself: the page size may change between
  // pages (AIP-158), nothing else may.
  std::unique_ptr<google::protobuf::Message> rest(request.New());
  rest->CopyFrom(request);
  if (size_field != nullptr) rest->GetReflection()->ClearField(rest.get(), size_field);
  if (token_field != nullptr) rest->GetReflection()->ClearField(rest.get(), token_field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    rest->SerializeToCodedStream(&out);
  }
  std::string fingerprint = RequestFingerprint({d->full_name(), bytes});
  return ParsePageRequest(size_field != nullptr ? r->GetInt32(request, size_field) : 0,
                          token_field != nullptr ? r->GetString(request, token_field) : std::string(), fingerprint,
                          shape, def, max);
}

}  // namespace nms::services
