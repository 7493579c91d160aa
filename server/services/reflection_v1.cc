#include "server/services/reflection_v1.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/impl/server_initializer.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.pb.h"

namespace nms::services {
namespace {

namespace rv1 = grpc::reflection::v1;
using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

// The file and, before it, everything it imports, each once (clients resolve imports from the
// same answer).
void AddFile(const FileDescriptor* file, std::set<std::string>* seen, rv1::FileDescriptorResponse* out) {
  if (!seen->insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) AddFile(file->dependency(i), seen, out);
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  proto.SerializeToString(out->add_file_descriptor_proto());
}

grpc::Status FileResponse(const FileDescriptor* file, rv1::ServerReflectionResponse* resp) {
  std::set<std::string> seen;
  AddFile(file, &seen, resp->mutable_file_descriptor_response());
  return grpc::Status::OK;
}

class ReflectionV1Plugin : public grpc::ServerBuilderPlugin {
 public:
  std::string name() override { return "nms_reflection_v1"; }
  void InitServer(grpc::ServerInitializer* si) override { si->RegisterService(service_); }
  void Finish(grpc::ServerInitializer* si) override { service_->SetServiceList(si->GetServiceList()); }
  void ChangeArguments(const std::string&, void*) override {}
  bool has_sync_methods() const override { return true; }
  bool has_async_methods() const override { return false; }

 private:
  std::shared_ptr<ReflectionV1Service> service_ = std::make_shared<ReflectionV1Service>();
};

class ReflectionV1Option : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->push_back(std::make_unique<ReflectionV1Plugin>());
  }
};

}  // namespace

ReflectionV1Service::ReflectionV1Service() {
  // Links the health descriptors into the generated pool (nothing else refers to them).
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
}

rv1::ServerReflectionResponse ReflectionV1Service::Answer(const rv1::ServerReflectionRequest& req) const {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  rv1::ServerReflectionResponse resp;
  resp.set_valid_host(req.host());
  *resp.mutable_original_request() = req;
  grpc::Status st;
  switch (req.message_request_case()) {
    case rv1::ServerReflectionRequest::kListServices: {
      auto* list = resp.mutable_list_services_response();
      if (services_ != nullptr) {
        for (const auto& s : *services_) list->add_service()->set_name(s);
      }
      break;
    }
    case rv1::ServerReflectionRequest::kFileByFilename: {
      const FileDescriptor* file = pool->FindFileByName(req.file_by_filename());
      st = file != nullptr ? FileResponse(file, &resp)
                           : grpc::Status(grpc::StatusCode::NOT_FOUND,
                                          absl::StrCat("Файл ", req.file_by_filename(), " не найден"));
      break;
    }
    case rv1::ServerReflectionRequest::kFileContainingSymbol: {
      const FileDescriptor* file = pool->FindFileContainingSymbol(req.file_containing_symbol());
      st = file != nullptr ? FileResponse(file, &resp)
                           : grpc::Status(grpc::StatusCode::NOT_FOUND,
                                          absl::StrCat("Символ ", req.file_containing_symbol(), " не найден"));
      break;
    }
    case rv1::ServerReflectionRequest::kFileContainingExtension: {
      const auto& ext = req.file_containing_extension();
      const Descriptor* type = pool->FindMessageTypeByName(ext.containing_type());
      const FieldDescriptor* field = type != nullptr ? pool->FindExtensionByNumber(type, ext.extension_number()) : nullptr;
      st = field != nullptr ? FileResponse(field->file(), &resp)
                            : grpc::Status(grpc::StatusCode::NOT_FOUND,
                                           absl::StrCat("Расширение ", ext.containing_type(), " (",
                                                        ext.extension_number(), ") не найдено"));
      break;
    }
    case rv1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const Descriptor* type = pool->FindMessageTypeByName(req.all_extension_numbers_of_type());
      if (type == nullptr) {
        st = grpc::Status(grpc::StatusCode::NOT_FOUND,
                          absl::StrCat("Тип ", req.all_extension_numbers_of_type(), " не найден"));
        break;
      }
      std::vector<const FieldDescriptor*> extensions;
      pool->FindAllExtensions(type, &extensions);
      auto* out = resp.mutable_all_extension_numbers_response();
      out->set_base_type_name(type->full_name());
      for (const auto* e : extensions) out->add_extension_number(e->number());
      break;
    }
    default:
      st = grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "Неизвестный запрос отражения");
  }
  if (!st.ok()) {
    resp.clear_message_response();
    resp.mutable_error_response()->set_error_code(st.error_code());
    resp.mutable_error_response()->set_error_message(st.error_message());
  }
  return resp;
}

grpc::Status ReflectionV1Service::ServerReflectionInfo(
    grpc::ServerContext* ctx,
    grpc::ServerReaderWriter<rv1::ServerReflectionResponse, rv1::ServerReflectionRequest>* stream) {
  rv1::ServerReflectionRequest req;
  while (!ctx->IsCancelled() && stream->Read(&req)) {
    if (!stream->Write(Answer(req))) break;
  }
  return grpc::Status::OK;
}

void EnableReflectionV1(grpc::ServerBuilder& builder) { builder.SetOption(std::make_unique<ReflectionV1Option>()); }

}  // namespace nms::services
