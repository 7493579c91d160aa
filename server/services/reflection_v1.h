#pragma once
// gRPC server reflection v1 (grpc.reflection.v1.ServerReflection) next to gRPC's own v1alpha:
// current clients (grpcurl, Postman, grpcui) ask v1 first. Debian's gRPC 1.51 ships only v1alpha,
// so this is the same protocol over the same descriptor pool (the generated one: every nms.v1
// file, gRPC's reflection protos and grpc.health.v1, see proto_grpc/).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace nms::services {

class ReflectionV1Service final : public grpc::reflection::v1::ServerReflection::Service {
 public:
  ReflectionV1Service();

  // The server's service names; set once the server is built (see EnableReflectionV1).
  void SetServiceList(const std::vector<std::string>* services) { services_ = services; }

  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* ctx,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>* stream) override;

  // One request's answer (public for unit tests).
  grpc::reflection::v1::ServerReflectionResponse Answer(const grpc::reflection::v1::ServerReflectionRequest& req) const;

 private:
  const std::vector<std::string>* services_ = nullptr;
};

// Adds the v1 reflection service to a server being built (a builder option, so the service sees
// the final list of services as gRPC's own reflection plugin does).
void EnableReflectionV1(grpc::ServerBuilder& builder);

}  // namespace nms::services
