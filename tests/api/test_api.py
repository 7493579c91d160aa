"""Black-box test of the НМС API through an independent client (python3-grpcio).

Runs against a real nms-server with a small demo region (see run.sh). Covers health and
reflection, sign-in for every role, Directory reads/writes, scoping denials and bad input.
"""
import os
import time
import unittest
import uuid

import grpc

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from grpc_min import health_pb2, health_pb2_grpc, reflection_pb2, reflection_pb2_grpc
from grpc_min import reflection_v1_pb2, reflection_v1_pb2_grpc
from nms.v1 import auth_pb2, auth_pb2_grpc, common_pb2, directory_pb2, directory_pb2_grpc

ADDRESS = os.environ["NMS_API_ADDRESS"]
PASSWORD = os.environ["NMS_API_PASSWORD"]
LOGINS = {
    "regional_admin": "admin@demo.nms",
    "regional_methodist": "metodist@demo.nms",
    "municipal_methodist": "mun@demo.nms",
    "school_admin": "school@demo.nms",
    "teacher": "teacher@demo.nms",
    "federal_sync": "sync@demo.nms",
}


def wait_ready(channel):
    grpc.channel_ready_future(channel).result(timeout=30)


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.channel = grpc.insecure_channel(ADDRESS)
        wait_ready(cls.channel)
        cls.auth = auth_pb2_grpc.AuthServiceStub(cls.channel)
        cls.dir = directory_pb2_grpc.DirectoryServiceStub(cls.channel)
        cls.tokens, cls.principals = {}, {}
        for role, login in LOGINS.items():
            resp = cls.auth.SignIn(auth_pb2.SignInRequest(login=login, password=PASSWORD), timeout=10)
            cls.tokens[role] = resp.tokens.access_token
            cls.principals[role] = resp.principal

    def md(self, role):
        return (("authorization", "Bearer " + self.tokens[role]),)

    def code_of(self, fn, *args, **kwargs):
        try:
            fn(*args, timeout=10, **kwargs)
            return grpc.StatusCode.OK
        except grpc.RpcError as e:
            return e.code()

    def test_health_is_serving(self):
        stub = health_pb2_grpc.HealthStub(self.channel)
        resp = stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        self.assertEqual(resp.status, health_pb2.HealthCheckResponse.SERVING)

    def test_reflection_lists_all_eight_services(self):
        stub = reflection_pb2_grpc.ServerReflectionStub(self.channel)
        responses = stub.ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
        names = {s.name for r in responses for s in r.list_services_response.service}
        for svc in ["AuthService", "DirectoryService", "DiagnosticsService", "RouteService",
                    "MentoringService", "YoungTeacherService", "MonitoringService",
                    "FederalExchangeService"]:
            self.assertIn("nms.v1." + svc, names)

    def test_reflection_v1_alone_is_enough_to_call_health(self):
        """What grpcurl does without proto files: reflection v1, then a call built from it."""
        stub = reflection_v1_pb2_grpc.ServerReflectionStub(self.channel)
        listed = list(stub.ServerReflectionInfo(
            iter([reflection_v1_pb2.ServerReflectionRequest(list_services="")]), timeout=5))
        names = [s.name for s in listed[0].list_services_response.service]
        for name in ["nms.v1.DirectoryService", "nms.v1.FederalExchangeService", "grpc.health.v1.Health",
                     "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]:
            self.assertIn(name, names)
        answers = list(stub.ServerReflectionInfo(
            iter([reflection_v1_pb2.ServerReflectionRequest(file_containing_symbol=n) for n in names]), timeout=10))
        self.assertEqual(len(answers), len(names))
        pool = descriptor_pool.DescriptorPool()
        added = set()
        for name, answer in zip(names, answers):
            self.assertFalse(answer.HasField("error_response"), (name, answer.error_response.error_message))
            for raw in answer.file_descriptor_response.file_descriptor_proto:
                file = descriptor_pb2.FileDescriptorProto.FromString(raw)
                if file.name not in added:
                    pool.Add(file)
                    added.add(file.name)
        for name in names:
            self.assertTrue(pool.FindServiceByName(name).methods, name)
        check = pool.FindServiceByName("grpc.health.v1.Health").methods_by_name["Check"]
        factory = message_factory.MessageFactory(pool)
        request_class = factory.GetPrototype(check.input_type)
        response_class = factory.GetPrototype(check.output_type)
        call = self.channel.unary_unary("/grpc.health.v1.Health/Check",
                                        request_serializer=request_class.SerializeToString,
                                        response_deserializer=response_class.FromString)
        resp = call(request_class(), timeout=5)
        status = check.output_type.fields_by_name["status"].enum_type.values_by_number[resp.status].name
        self.assertEqual(status, "SERVING")

    def test_federal_sync_reads_nothing_but_the_exchange(self):
        region = self.principals["federal_sync"].grants[0].scope
        self.assertEqual(self.code_of(self.dir.ListPeople, directory_pb2.ListPeopleRequest(parent=region),
                                      metadata=self.md("federal_sync")), grpc.StatusCode.PERMISSION_DENIED)
        someone = self.dir.ListPeople(directory_pb2.ListPeopleRequest(page_size=1),
                                      metadata=self.md("regional_admin"), timeout=10).people[0]
        self.assertEqual(self.code_of(self.dir.GetPerson, directory_pb2.GetPersonRequest(name=someone.name),
                                      metadata=self.md("federal_sync")), grpc.StatusCode.PERMISSION_DENIED)
        self.assertEqual(len(self.dir.ListRegions(directory_pb2.ListRegionsRequest(), metadata=self.md("federal_sync"),
                                                  timeout=10).regions), 0)

    def test_every_role_signs_in_with_its_grant(self):
        expected = {
            "regional_admin": common_pb2.ROLE_REGIONAL_ADMIN,
            "regional_methodist": common_pb2.ROLE_REGIONAL_METHODIST,
            "municipal_methodist": common_pb2.ROLE_MUNICIPAL_METHODIST,
            "school_admin": common_pb2.ROLE_SCHOOL_ADMIN,
            "teacher": common_pb2.ROLE_TEACHER,
            "federal_sync": common_pb2.ROLE_FEDERAL_SYNC,
        }
        for role, want in expected.items():
            self.assertEqual([g.role for g in self.principals[role].grants], [want], role)

    def test_unauthenticated_without_token(self):
        self.assertEqual(self.code_of(self.dir.ListOrganizations, directory_pb2.ListOrganizationsRequest()),
                         grpc.StatusCode.UNAUTHENTICATED)

    def test_school_admin_sees_only_own_school(self):
        school = self.principals["school_admin"].grants[0].scope
        people = self.dir.ListPeople(directory_pb2.ListPeopleRequest(page_size=500), metadata=self.md("school_admin"),
                                     timeout=10)
        self.assertGreater(len(people.people), 0)
        self.assertTrue(all(p.organization == school for p in people.people))
        # Someone from another school, found by the regional methodist.
        region_people = self.dir.ListPeople(directory_pb2.ListPeopleRequest(page_size=500),
                                            metadata=self.md("regional_methodist"), timeout=10)
        outsider = next(p for p in region_people.people if p.organization != school)
        self.assertEqual(self.code_of(self.dir.GetPerson, directory_pb2.GetPersonRequest(name=outsider.name),
                                      metadata=self.md("school_admin")), grpc.StatusCode.PERMISSION_DENIED)
        self.assertEqual(self.code_of(self.dir.ListPeople, directory_pb2.ListPeopleRequest(parent=outsider.organization),
                                      metadata=self.md("school_admin")), grpc.StatusCode.PERMISSION_DENIED)

    def test_teacher_sees_only_self(self):
        people = self.dir.ListPeople(directory_pb2.ListPeopleRequest(), metadata=self.md("teacher"), timeout=10)
        self.assertEqual([p.name for p in people.people], [self.principals["teacher"].person])

    def test_municipal_methodist_scope(self):
        mun = self.principals["municipal_methodist"].grants[0].scope
        orgs = self.dir.ListOrganizations(directory_pb2.ListOrganizationsRequest(page_size=500),
                                          metadata=self.md("municipal_methodist"), timeout=10)
        self.assertGreater(orgs.total_size, 0)
        self.assertTrue(all(o.municipality == mun for o in orgs.organizations))
        region = self.principals["regional_admin"].grants[0].scope
        self.assertEqual(self.code_of(self.dir.ListOrganizations, directory_pb2.ListOrganizationsRequest(parent=region),
                                      metadata=self.md("municipal_methodist")), grpc.StatusCode.PERMISSION_DENIED)

    def test_create_update_and_conflicts(self):
        school = self.principals["school_admin"].grants[0].scope
        ext = "API-" + uuid.uuid4().hex[:8]
        req = directory_pb2.CreatePersonRequest(
            request_id=str(uuid.uuid4()),
            person=directory_pb2.Person(organization=school, external_id=ext, last_name="Тестова",
                                        first_name="Алла", position="учитель",
                                        birth_date=common_pb2.Date(year=1992, month=7, day=14)))
        first = self.dir.CreatePerson(req, metadata=self.md("school_admin"), timeout=10)
        again = self.dir.CreatePerson(req, metadata=self.md("school_admin"), timeout=10)
        self.assertEqual(first.name, again.name)  # idempotent retry
        req.request_id = str(uuid.uuid4())
        self.assertEqual(self.code_of(self.dir.CreatePerson, req, metadata=self.md("school_admin")),
                         grpc.StatusCode.ALREADY_EXISTS)
        upd = directory_pb2.UpdatePersonRequest(person=directory_pb2.Person(name=first.name, version=first.version,
                                                                            email="alla@test.ru"))
        upd.update_mask.paths.append("email")
        updated = self.dir.UpdatePerson(upd, metadata=self.md("school_admin"), timeout=10)
        self.assertEqual(updated.email, "alla@test.ru")
        self.assertEqual(self.code_of(self.dir.UpdatePerson, upd, metadata=self.md("school_admin")),
                         grpc.StatusCode.FAILED_PRECONDITION)  # stale version
        self.assertEqual(self.code_of(self.dir.UpdatePerson, upd, metadata=self.md("teacher")),
                         grpc.StatusCode.PERMISSION_DENIED)

    def test_bad_input_is_invalid_argument_naming_the_field(self):
        try:
            self.dir.GetPerson(directory_pb2.GetPersonRequest(name="people/x"), metadata=self.md("regional_admin"),
                               timeout=10)
            self.fail("expected INVALID_ARGUMENT")
        except grpc.RpcError as e:
            self.assertEqual(e.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn("name", e.details())
        self.assertEqual(self.code_of(self.dir.GetPerson, directory_pb2.GetPersonRequest(name="people/999999999"),
                                      metadata=self.md("regional_admin")), grpc.StatusCode.NOT_FOUND)

    def test_csv_import_with_errors(self):
        school = self.principals["school_admin"].grants[0].scope
        tag = uuid.uuid4().hex[:6]
        csv = ("external_id,last_name,first_name,birth_date,position,subjects\n"
               f"CSV-{tag}-1,Морозова,Елена,1989-10-10,учитель,биология\n"
               f"CSV-{tag}-2,Волков,Пётр,1989-13-10,учитель,\n").encode("utf-8")
        resp = self.dir.ImportTeachers(directory_pb2.ImportTeachersRequest(organization=school, csv=csv,
                                                                           request_id=str(uuid.uuid4())),
                                       metadata=self.md("school_admin"), timeout=20)
        self.assertEqual((resp.created_count, resp.rejected_count), (1, 1))
        self.assertEqual(resp.rows[1].line, 3)
        self.assertIn("birth_date", resp.rows[1].errors[0])

    def test_other_services_answer_without_crashing(self):
        from nms.v1 import monitoring_pb2, monitoring_pb2_grpc
        stub = monitoring_pb2_grpc.MonitoringServiceStub(self.channel)
        code = self.code_of(stub.ListIndicatorPresets, monitoring_pb2.ListIndicatorPresetsRequest(),
                            metadata=self.md("regional_admin"))
        # Implemented services answer OK or a precise error; none may crash the server.
        self.assertNotEqual(code, grpc.StatusCode.UNAVAILABLE)


if __name__ == "__main__":
    unittest.main()
