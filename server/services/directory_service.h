#pragma once

#include "nms/v1/directory.grpc.pb.h"
#include "server/auth/authenticator.h"
#include "server/db/pool.h"

namespace nms::services {

class DirectoryServiceImpl final : public nms::v1::DirectoryService::Service {
 public:
  DirectoryServiceImpl(db::ConnectionPool& pool, auth::Authenticator& authn)
      : pool_(pool), authn_(authn) {}

#define NMS_RPC(Method, Req, Resp) \
  grpc::Status Method(grpc::ServerContext* ctx, const nms::v1::Req* req, nms::v1::Resp* resp) override;
  NMS_RPC(GetRegion, GetRegionRequest, Region)
  NMS_RPC(ListRegions, ListRegionsRequest, ListRegionsResponse)
  NMS_RPC(UpdateRegion, UpdateRegionRequest, Region)
  NMS_RPC(CreateRegion, CreateRegionRequest, CreateRegionResponse)
  NMS_RPC(GetDistrict, GetDistrictRequest, District)
  NMS_RPC(ListDistricts, ListDistrictsRequest, ListDistrictsResponse)
  NMS_RPC(CreateDistrict, CreateDistrictRequest, District)
  NMS_RPC(GetMunicipality, GetMunicipalityRequest, Municipality)
  NMS_RPC(ListMunicipalities, ListMunicipalitiesRequest, ListMunicipalitiesResponse)
  NMS_RPC(CreateMunicipality, CreateMunicipalityRequest, Municipality)
  NMS_RPC(UpdateMunicipality, UpdateMunicipalityRequest, Municipality)
  NMS_RPC(GetOrganization, GetOrganizationRequest, Organization)
  NMS_RPC(ListOrganizations, ListOrganizationsRequest, ListOrganizationsResponse)
  NMS_RPC(CreateOrganization, CreateOrganizationRequest, Organization)
  NMS_RPC(UpdateOrganization, UpdateOrganizationRequest, Organization)
  NMS_RPC(GetPerson, GetPersonRequest, Person)
  NMS_RPC(ListPeople, ListPeopleRequest, ListPeopleResponse)
  NMS_RPC(CreatePerson, CreatePersonRequest, Person)
  NMS_RPC(UpdatePerson, UpdatePersonRequest, Person)
  NMS_RPC(ListEmployments, ListEmploymentsRequest, ListEmploymentsResponse)
  NMS_RPC(CreateEmployment, CreateEmploymentRequest, Employment)
  NMS_RPC(EndEmployment, EndEmploymentRequest, Employment)
  NMS_RPC(CreateAccount, CreateAccountRequest, CreateAccountResponse)
  NMS_RPC(ResetPassword, ResetPasswordRequest, ResetPasswordResponse)
  NMS_RPC(ListRoleGrants, ListRoleGrantsRequest, ListRoleGrantsResponse)
  NMS_RPC(CreateRoleGrant, CreateRoleGrantRequest, RoleGrant)
  NMS_RPC(DeleteRoleGrant, DeleteRoleGrantRequest, DeleteRoleGrantResponse)
  NMS_RPC(ImportTeachers, ImportTeachersRequest, ImportTeachersResponse)
#undef NMS_RPC

 private:
  db::ConnectionPool& pool_;
  auth::Authenticator& authn_;
};

}  // namespace nms::services
