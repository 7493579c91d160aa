// Discoverability without proto files, as grpcurl does it: server reflection v1 (and gRPC's own
// v1alpha) lists every service and resolves each one's descriptors — nms.v1, reflection and
// grpc.health.v1 — and a call built only from the reflected descriptors (Health/Check) works.
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#include <grpcpp/impl/codegen/client_unary_call.h>
#include <gtest/gtest.h>

#include <set>

#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "tests/integration/harness.h"
#include "tests/support/api_surface.h"

namespace nms::testing {
namespace {

namespace rv1 = grpc::reflection::v1;
constexpr char kDb[] = "it_reflection";

// One reflection conversation over `path` (v1 or v1alpha: the messages are wire-identical).
class Reflector {
 public:
  Reflector(const std::shared_ptr<grpc::Channel>& channel, const char* path)
      : method_(path, grpc::internal::RpcMethod::BIDI_STREAMING, channel) {
    ctx_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    stream_.reset(grpc::internal::ClientReaderWriterFactory<rv1::ServerReflectionRequest,
                                                            rv1::ServerReflectionResponse>::Create(channel.get(), method_,
                                                                                                   &ctx_));
  }
  ~Reflector() {
    stream_->WritesDone();
    EXPECT_TRUE(stream_->Finish().ok());
  }
  rv1::ServerReflectionResponse Ask(const rv1::ServerReflectionRequest& req) {
    rv1::ServerReflectionResponse resp;
    EXPECT_TRUE(stream_->Write(req));
    EXPECT_TRUE(stream_->Read(&resp));
    return resp;
  }
  std::vector<std::string> Services() {
    rv1::ServerReflectionRequest req;
    req.set_list_services("");
    std::vector<std::string> out;
    rv1::ServerReflectionResponse resp = Ask(req);
    for (const auto& s : resp.list_services_response().service()) out.push_back(s.name());
    return out;
  }
  // Adds the files that declare `symbol` (with their imports) to `db`; false on an error answer.
  bool Resolve(const std::string& symbol, google::protobuf::SimpleDescriptorDatabase* db, std::string* error) {
    rv1::ServerReflectionRequest req;
    req.set_file_containing_symbol(symbol);
    rv1::ServerReflectionResponse resp = Ask(req);
    if (resp.has_error_response()) {
      *error = resp.error_response().error_message();
      return false;
    }
    for (const auto& bytes : resp.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      google::protobuf::FileDescriptorProto known;
      if (!db->FindFileByName(file.name(), &known)) db->Add(file);
    }
    return resp.file_descriptor_response().file_descriptor_proto_size() > 0;
  }

 private:
  grpc::internal::RpcMethod method_;
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReaderWriter<rv1::ServerReflectionRequest, rv1::ServerReflectionResponse>> stream_;
};

class ReflectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    server_ = new ServerProcess(kDb);
  }
  static void TearDownTestSuite() { delete server_; }
  static ServerProcess* server_;
};
ServerProcess* ReflectionTest::server_ = nullptr;

TEST_F(ReflectionTest, BothVersionsListAndDescribeEveryService) {
  for (const char* path : {"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                           "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
    SCOPED_TRACE(path);
    Reflector r(server_->Channel(), path);
    std::vector<std::string> services = r.Services();
    std::set<std::string> names(services.begin(), services.end());
    for (const char* want : {"nms.v1.AuthService", "nms.v1.DirectoryService", "nms.v1.DiagnosticsService",
                             "nms.v1.RouteService", "nms.v1.MentoringService", "nms.v1.YoungTeacherService",
                             "nms.v1.MonitoringService", "nms.v1.FederalExchangeService", "grpc.health.v1.Health",
                             "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}) {
      EXPECT_TRUE(names.contains(want)) << want;
    }
    // Every listed service resolves to descriptors that build, with its methods.
    google::protobuf::SimpleDescriptorDatabase db;
    for (const auto& s : services) {
      std::string error;
      EXPECT_TRUE(r.Resolve(s, &db, &error)) << s << ": " << error;
    }
    google::protobuf::DescriptorPool pool(&db);
    for (const auto& s : services) {
      const auto* service = pool.FindServiceByName(s);
      ASSERT_NE(service, nullptr) << s;
      EXPECT_GT(service->method_count(), 0) << s;
    }
    // A method and a message resolve too; an unknown symbol is NOT_FOUND.
    std::string error;
    EXPECT_TRUE(r.Resolve("nms.v1.DirectoryService.GetPerson", &db, &error)) << error;
    EXPECT_TRUE(r.Resolve("nms.v1.Person", &db, &error)) << error;
    rv1::ServerReflectionRequest unknown;
    unknown.set_file_containing_symbol("nms.v1.NoSuchThing");
    rv1::ServerReflectionResponse resp = r.Ask(unknown);
    ASSERT_TRUE(resp.has_error_response());
    EXPECT_EQ(resp.error_response().error_code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
    rv1::ServerReflectionRequest by_file;
    by_file.set_file_by_filename("nms/v1/directory.proto");
    EXPECT_EQ(r.Ask(by_file).file_descriptor_response().file_descriptor_proto_size() > 0, true);
  }
}

// What grpcurl does with no proto files: reflect Health, build the request from the reflected
// descriptor, call, and decode the answer with the reflected descriptor.
TEST_F(ReflectionTest, HealthCheckFromReflectedDescriptorsOnly) {
  google::protobuf::SimpleDescriptorDatabase db;
  {
    Reflector r(server_->Channel(), "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo");
    std::string error;
    ASSERT_TRUE(r.Resolve("grpc.health.v1.Health", &db, &error)) << error;
  }
  google::protobuf::DescriptorPool pool(&db);
  const auto* check = pool.FindMethodByName("grpc.health.v1.Health.Check");
  ASSERT_NE(check, nullptr);
  google::protobuf::DynamicMessageFactory factory(&pool);
  std::unique_ptr<google::protobuf::Message> req(factory.GetPrototype(check->input_type())->New());
  std::unique_ptr<google::protobuf::Message> resp(factory.GetPrototype(check->output_type())->New());
  RpcMethod m;
  m.path = "/grpc.health.v1.Health/Check";
  m.key = "Health/Check";
  CallResult r = CallRaw(*server_->Channel(), m, req->SerializeAsString(), CallOptions{});
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_EQ(r.responses.size(), 1u);
  ASSERT_TRUE(resp->ParseFromString(r.responses[0]));
  const auto* status = check->output_type()->FindFieldByName("status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(resp->GetReflection()->GetEnum(*resp, status)->name(), "SERVING");
}

}  // namespace
}  // namespace nms::testing
