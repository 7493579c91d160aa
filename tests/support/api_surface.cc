#include "tests/support/api_surface.h"

#include <grpcpp/generic/generic_stub.h>

#include <fstream>
#include <sstream>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/text_format.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace nms::testing {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

ApiSurface::ApiSurface() : factory_(&pool_) {
  std::ifstream in(NMS_DESCRIPTOR_SET, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  google::protobuf::FileDescriptorSet set;
  if (!set.ParseFromString(ss.str())) {
    std::fprintf(stderr, "cannot read the descriptor set %s\n", NMS_DESCRIPTOR_SET);
    std::abort();
  }
  // protoc writes dependencies before their users, so files build in order.
  for (const auto& file : set.file()) {
    const auto* fd = pool_.BuildFile(file);
    if (fd == nullptr) {
      std::fprintf(stderr, "cannot build %s from the descriptor set\n", file.name().c_str());
      std::abort();
    }
    if (fd->package() != "nms.v1") continue;
    for (int s = 0; s < fd->service_count(); ++s) {
      const auto* service = fd->service(s);
      for (int i = 0; i < service->method_count(); ++i) {
        const auto* md = service->method(i);
        RpcMethod m;
        m.service = service->name();
        m.method = md->name();
        m.key = absl::StrCat(m.service, "/", m.method);
        m.path = absl::StrCat("/", service->full_name(), "/", m.method);
        m.descriptor = md;
        m.server_streaming = md->server_streaming();
        m.client_streaming = md->client_streaming();
        methods_.push_back(std::move(m));
      }
    }
  }
}

const ApiSurface& ApiSurface::Get() {
  static const ApiSurface* surface = new ApiSurface();
  return *surface;
}

const RpcMethod* ApiSurface::Find(absl::string_view key) const {
  for (const auto& m : methods_) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

std::unique_ptr<Message> ApiSurface::NewMessage(const google::protobuf::Descriptor* type) const {
  return std::unique_ptr<Message>(factory_.GetPrototype(type)->New());
}

absl::StatusOr<std::unique_ptr<Message>> ApiSurface::ParseRequest(const RpcMethod& m, const std::string& text) const {
  auto msg = NewRequest(m);
  if (!google::protobuf::TextFormat::ParseFromString(text, msg.get())) {
    return absl::InvalidArgumentError(absl::StrCat(m.key, ": cannot parse request text: ", text));
  }
  return msg;
}

namespace {

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// Waits for the one outstanding operation of a call; false when it failed.
bool Await(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  if (!cq.Next(&tag, &ok)) return false;
  return ok;
}

}  // namespace

CallResult CallRaw(grpc::Channel& channel, const RpcMethod& m, const std::string& request_bytes,
                   const CallOptions& options) {
  auto shared = std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {});
  grpc::GenericStub stub(shared);
  grpc::ClientContext ctx;
  if (!options.bearer_token.empty()) ctx.AddMetadata("authorization", "Bearer " + options.bearer_token);
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + options.deadline));
  grpc::CompletionQueue cq;
  CallResult result;
  grpc::ByteBuffer request = ToBuffer(request_bytes);
  if (!m.server_streaming && !m.client_streaming) {
    grpc::ByteBuffer response;
    auto call = stub.PrepareUnaryCall(&ctx, m.path, request, &cq);
    call->StartCall();
    call->Finish(&response, &result.status, reinterpret_cast<void*>(1));
    Await(cq);
    if (result.status.ok()) result.responses.push_back(FromBuffer(response));
  } else {
    auto call = stub.PrepareCall(&ctx, m.path, &cq);
    call->StartCall(reinterpret_cast<void*>(1));
    bool alive = Await(cq);
    if (alive) {
      call->Write(request, reinterpret_cast<void*>(2));
      alive = Await(cq);
    }
    if (alive) {
      call->WritesDone(reinterpret_cast<void*>(3));
      alive = Await(cq);
    }
    while (alive) {
      grpc::ByteBuffer response;
      call->Read(&response, reinterpret_cast<void*>(4));
      if (!Await(cq)) break;
      result.responses.push_back(FromBuffer(response));
      if (result.responses.size() >= options.max_stream_messages) {
        ctx.TryCancel();
        break;
      }
    }
    call->Finish(&result.status, reinterpret_cast<void*>(5));
    // After a cancel the read may still be pending; drain until Finish arrives.
    void* tag = nullptr;
    bool ok = false;
    while (cq.Next(&tag, &ok)) {
      if (tag == reinterpret_cast<void*>(5)) break;
    }
  }
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
  return result;
}

CallResult Call(grpc::Channel& channel, const RpcMethod& m, const Message& request, const CallOptions& options) {
  return CallRaw(channel, m, request.SerializeAsString(), options);
}

bool HealthServing(grpc::Channel& channel, absl::Duration deadline) {
  RpcMethod health;
  health.key = "Health/Check";
  health.path = "/grpc.health.v1.Health/Check";
  CallOptions options;
  options.deadline = deadline;
  CallResult r = CallRaw(channel, health, "", options);
  // HealthCheckResponse{status: SERVING} is the two bytes 08 01.
  return r.status.ok() && r.responses.size() == 1 && r.responses[0] == std::string("\x08\x01", 2);
}

std::string FieldPathValue(const Message& m, absl::string_view path) {
  const Message* cur = &m;
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::string_view part = parts[i];
    int index = -1;
    if (auto open = part.find('['); open != absl::string_view::npos) {
      if (!absl::SimpleAtoi(absl::StripSuffix(part.substr(open + 1), "]"), &index)) return "";
      part = part.substr(0, open);
    }
    const FieldDescriptor* f = cur->GetDescriptor()->FindFieldByName(std::string(part));
    if (f == nullptr) return "";
    const auto* r = cur->GetReflection();
    bool last = i + 1 == parts.size();
    if (f->is_repeated()) {
      if (index < 0 || index >= r->FieldSize(*cur, f)) return "";
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        cur = &r->GetRepeatedMessage(*cur, f, index);
        continue;
      }
      return last && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING ? r->GetRepeatedString(*cur, f, index) : "";
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      cur = &r->GetMessage(*cur, f);
      continue;
    }
    if (!last) return "";
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING: return r->GetString(*cur, f);
      case FieldDescriptor::CPPTYPE_INT64: return absl::StrCat(r->GetInt64(*cur, f));
      case FieldDescriptor::CPPTYPE_INT32: return absl::StrCat(r->GetInt32(*cur, f));
      case FieldDescriptor::CPPTYPE_ENUM: return r->GetEnum(*cur, f)->name();
      default: return "";
    }
  }
  return "";
}

}  // namespace nms::testing
