// FederalExchangeService against a real MariaDB and nms-server: the change feed under
// concurrent writers with a reader killed and resumed mid-stream (union = committed, no
// duplicates), the commit-order gap (a later seq committed before an earlier one is held back),
// idempotent imports, and mTLS (no certificate / foreign CA refused, the right one streams).
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "nms/v1/diagnostics.grpc.pb.h"
#include "nms/v1/directory.grpc.pb.h"
#include "nms/v1/federal_exchange.grpc.pb.h"
#include "nms/v1/mentoring.grpc.pb.h"
#include "nms/v1/monitoring.grpc.pb.h"
#include "nms/v1/route.pb.h"
#include "server/db/pool.h"
#include "server/db/sql.h"
#include "tests/integration/harness.h"

// The sync job's code is compiled into this test so it can be driven in-process (nmsctl links
// the same file).
#include "clients/cli/sync.cc"  // NOLINT(build/include)

namespace nms::testing {
namespace {

using nms::v1::FederalExchangeService;
using nms::v1::MonitoringService;
constexpr char kDb[] = "it_federal";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

v1::Date D(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class FederalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kDb);
    f_ = SeedFixture(kDb);
    server_ = new ServerProcess(kDb, "--feed_gap_timeout=3s");
  }
  static void TearDownTestSuite() { delete server_; }

  static db::ConnectionPool& Pool() {
    static auto* pool = new db::ConnectionPool(*db::ParseDsn(TestDsn(kDb)));
    return *pool;
  }
  std::string Token(const char* login) { return SignIn(*server_->Channel(), login); }
  static std::string R() { return "regions/" + std::to_string(f_.region); }

  // Creates one training completion (one outbox row) as the regional admin.
  static bool WriteOne(MonitoringService::Stub& stub, const std::string& token, int64_t person, const std::string& tag) {
    v1::CreateTrainingCompletionRequest req;
    req.mutable_completion()->set_person("people/" + std::to_string(person));
    req.mutable_completion()->set_programme_title("Курс " + tag);
    req.mutable_completion()->set_external_id(tag);
    v1::CreateTrainingCompletionResponse resp;
    return stub.CreateTrainingCompletion(Ctx(token).get(), req, &resp).ok();
  }

  // Seqs of the region's committed outbox rows of exported types.
  static std::vector<int64_t> Committed() {
    std::vector<int64_t> out;
    auto st = db::WithConnection(Pool(), [&](sql::Connection& c) -> absl::Status {
      auto rs = db::Stmt(c, "SELECT seq FROM outbox WHERE region_id = ? ORDER BY seq").Int(f_.region).Query();
      while (rs->next()) out.push_back(rs->getInt64(1));
      return absl::OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st;
    return out;
  }

  // Reads a non-following stream to its end; returns the seqs received and updates `cursor`
  // from every message (what a client persists).
  static std::vector<int64_t> Drain(FederalExchangeService::Stub& stub, const std::string& token, std::string* cursor,
                                    bool* caught_up = nullptr) {
    v1::StreamChangesRequest req;
    req.set_after_cursor(*cursor);
    req.set_region(R());
    req.set_batch_size(5);
    auto ctx = Ctx(token);
    auto reader = stub.StreamChanges(ctx.get(), req);
    v1::StreamChangesResponse resp;
    std::vector<int64_t> got;
    bool last_caught_up = false;
    while (reader->Read(&resp)) {
      for (const auto& ch : resp.changes()) got.push_back(ch.sequence());
      *cursor = resp.cursor();
      last_caught_up = resp.caught_up();
    }
    auto st = reader->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    if (caught_up) *caught_up = last_caught_up;
    return got;
  }

  static Fixture f_;
  static ServerProcess* server_;
};
Fixture FederalTest::f_;
ServerProcess* FederalTest::server_ = nullptr;

TEST_F(FederalTest, ConcurrentWritersAndAKilledReaderLoseAndDuplicateNothing) {
  std::string admin = Token("regional.admin");
  std::string sync = Token("federal.sync");
  auto feed = FederalExchangeService::NewStub(server_->Channel());
  constexpr int kWriters = 4, kPerWriter = 50;
  std::atomic<int> written{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = MonitoringService::NewStub(server_->Channel());
      int64_t people[] = {f_.teacher_a1, f_.teacher_a2, f_.teacher_b1};
      for (int i = 0; i < kPerWriter; ++i) {
        if (WriteOne(*stub, admin, people[(w + i) % 3], absl::StrCat("w", w, "-", i))) ++written;
      }
    });
  }
  // The reader follows the feed and is killed (cancelled) after a few messages, again and
  // again, each time resuming after the last cursor it received.
  std::vector<int64_t> received;
  std::string cursor;
  int kills = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((written.load() < kWriters * kPerWriter || kills < 8) && std::chrono::steady_clock::now() < deadline) {
    v1::StreamChangesRequest req;
    req.set_after_cursor(cursor);
    req.set_region(R());
    req.set_batch_size(3);
    req.set_follow(true);
    auto ctx = Ctx(sync);
    auto reader = feed->StreamChanges(ctx.get(), req);
    v1::StreamChangesResponse resp;
    int messages = 0;
    while (messages < 2 + kills % 3 && reader->Read(&resp)) {
      for (const auto& ch : resp.changes()) {
        received.push_back(ch.sequence());
        EXPECT_EQ(ch.entity_type(), v1::CHANGE_ENTITY_TYPE_TRAINING_COMPLETION);
        EXPECT_FALSE(ch.payload_json().empty());
      }
      cursor = resp.cursor();
      ++messages;
    }
    ctx->TryCancel();  // killed mid-stream
    reader->Finish();
    ++kills;
  }
  for (auto& t : writers) t.join();
  ASSERT_EQ(written.load(), kWriters * kPerWriter);
  bool caught_up = false;
  auto rest = Drain(*feed, sync, &cursor, &caught_up);
  received.insert(received.end(), rest.begin(), rest.end());
  EXPECT_TRUE(caught_up);
  EXPECT_GE(kills, 8);
  std::set<int64_t> unique(received.begin(), received.end());
  EXPECT_EQ(unique.size(), received.size()) << "duplicates after applying cursors";
  std::vector<int64_t> committed = Committed();
  EXPECT_EQ(std::vector<int64_t>(unique.begin(), unique.end()), committed);
  EXPECT_TRUE(std::is_sorted(received.begin(), received.end()));
  EXPECT_GE(committed.size(), static_cast<size_t>(kWriters * kPerWriter));
}

TEST_F(FederalTest, ALaterSeqCommittedFirstIsHeldBackUntilTheEarlierCommits) {
  std::string admin = Token("regional.admin");
  std::string sync = Token("federal.sync");
  auto feed = FederalExchangeService::NewStub(server_->Channel());
  auto mon = MonitoringService::NewStub(server_->Channel());
  std::string cursor;
  Drain(*feed, sync, &cursor);  // catch up
  // Transaction A allocates a seq and stays open.
  auto lease = Pool().Acquire();
  ASSERT_TRUE(lease.ok());
  sql::Connection& a = **lease;
  a.setAutoCommit(false);
  db::Stmt(a, "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json) "
              "VALUES (?, 'teacher', 'people/1', 'gap-test', 'upsert', '{}')")
      .Int(f_.region)
      .Execute();
  int64_t seq_a = db::LastInsertId(a);
  // Transaction B gets a later seq and commits first.
  ASSERT_TRUE(WriteOne(*mon, admin, f_.teacher_a1, "after-gap"));
  bool caught_up = true;
  auto got = Drain(*feed, sync, &cursor, &caught_up);
  EXPECT_TRUE(got.empty()) << "delivered past an uncommitted seq " << seq_a;
  EXPECT_FALSE(caught_up);
  a.commit();
  a.setAutoCommit(true);
  got = Drain(*feed, sync, &cursor, &caught_up);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], seq_a);
  EXPECT_GT(got[1], seq_a);
  EXPECT_TRUE(caught_up);
}

TEST_F(FederalTest, ARolledBackSeqStopsHoldingTheFeedAfterTheGapTimeout) {
  std::string admin = Token("regional.admin");
  std::string sync = Token("federal.sync");
  auto feed = FederalExchangeService::NewStub(server_->Channel());
  auto mon = MonitoringService::NewStub(server_->Channel());
  std::string cursor;
  Drain(*feed, sync, &cursor);
  {  // A transaction allocates a seq and rolls back: the gap is permanent.
    auto lease = Pool().Acquire();
    ASSERT_TRUE(lease.ok());
    sql::Connection& a = **lease;
    a.setAutoCommit(false);
    db::Stmt(a, "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json) "
                "VALUES (?, 'teacher', 'people/1', 'rolled-back', 'upsert', '{}')")
        .Int(f_.region)
        .Execute();
    a.rollback();
    a.setAutoCommit(true);
  }
  ASSERT_TRUE(WriteOne(*mon, admin, f_.teacher_a2, "after-rollback"));
  // Until the row after the gap is older than the gap timeout (3 s here) it is held back...
  auto got = Drain(*feed, sync, &cursor);
  EXPECT_TRUE(got.empty());
  // ...then delivered exactly once. Time is moved by ageing the row (its commit time is what
  // the feed compares with the timeout), not by sleeping.
  int64_t after_gap = Committed().back();
  ASSERT_TRUE(db::WithConnection(Pool(), [&](sql::Connection& c) -> absl::Status {
                db::Stmt(c, "UPDATE outbox SET created_at = created_at - INTERVAL 4 SECOND WHERE seq = ?")
                    .Int(after_gap)
                    .Execute();
                return absl::OkStatus();
              }).ok());
  got = Drain(*feed, sync, &cursor);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], Committed().back());
  EXPECT_TRUE(Drain(*feed, sync, &cursor).empty());
}

// The sync account exchanges and reads nothing else: no person cards, territory, diagnostics or
// mentoring through the people-facing services (it used to read every teacher's card).
TEST_F(FederalTest, TheSyncAccountGetsTheExchangeAndNothingElse) {
  std::string sync = Token("federal.sync");
  auto dir = v1::DirectoryService::NewStub(server_->Channel());
  v1::GetPersonRequest get;
  get.set_name("people/" + std::to_string(f_.teacher_a1));
  v1::Person person;
  EXPECT_EQ(dir->GetPerson(Ctx(sync).get(), get, &person).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListPeopleRequest list;
  v1::ListPeopleResponse people;
  EXPECT_EQ(dir->ListPeople(Ctx(sync).get(), list, &people).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  list.set_parent(R());
  EXPECT_EQ(dir->ListPeople(Ctx(sync).get(), list, &people).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::GetDistrictRequest district;
  district.set_name("districts/" + std::to_string(f_.district));
  v1::District d;
  EXPECT_EQ(dir->GetDistrict(Ctx(sync).get(), district, &d).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListRegionsResponse regions;
  ASSERT_TRUE(dir->ListRegions(Ctx(sync).get(), {}, &regions).ok());
  EXPECT_EQ(regions.regions_size(), 0);
  auto diag = v1::DiagnosticsService::NewStub(server_->Channel());
  v1::ListCompetencyFrameworksResponse frameworks;
  EXPECT_EQ(diag->ListCompetencyFrameworks(Ctx(sync).get(), {}, &frameworks).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto mentoring = v1::MentoringService::NewStub(server_->Channel());
  v1::GetMentoringSettingsRequest settings;
  settings.set_name(R() + "/mentoringSettings");
  v1::GetMentoringSettingsResponse got;
  EXPECT_EQ(mentoring->GetMentoringSettings(Ctx(sync).get(), settings, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The exchange itself is open to it.
  auto feed = FederalExchangeService::NewStub(server_->Channel());
  v1::GetExchangeStatusRequest status;
  status.set_region(R());
  v1::GetExchangeStatusResponse st;
  EXPECT_TRUE(feed->GetExchangeStatus(Ctx(sync).get(), status, &st).ok());
}

// Reads every change after `cursor` (batch 500), in order.
std::vector<v1::ChangeRecord> ReadAll(FederalExchangeService::Stub& stub, const std::string& token,
                                      const std::string& region, std::string* cursor) {
  v1::StreamChangesRequest req;
  req.set_after_cursor(*cursor);
  req.set_region(region);
  auto ctx = Ctx(token);
  auto reader = stub.StreamChanges(ctx.get(), req);
  v1::StreamChangesResponse resp;
  std::vector<v1::ChangeRecord> out;
  while (reader->Read(&resp)) {
    for (const auto& ch : resp.changes()) out.push_back(ch);
    *cursor = resp.cursor();
  }
  grpc::Status st = reader->Finish();
  EXPECT_TRUE(st.ok()) << st.error_message();
  return out;
}

// The documented contract: operations as they happened (a new person is CREATE, its edit UPDATE,
// a deleted completion DELETE without payload), external ids "nms:{region}:{type}:{id}", and
// payloads without birth date, e-mail or phone — also for rows stored in full before.
TEST_F(FederalTest, TheFeedKeepsItsDocumentedContract) {
  std::string admin = Token("regional.admin");
  std::string sync = Token("federal.sync");
  auto feed = FederalExchangeService::NewStub(server_->Channel());
  std::string cursor;
  ReadAll(*feed, sync, R(), &cursor);  // catch up

  auto dir = v1::DirectoryService::NewStub(server_->Channel());
  v1::CreatePersonRequest create;
  auto* p = create.mutable_person();
  p->set_organization("organizations/" + std::to_string(f_.school_a1));
  p->set_external_id("FEED-CONTRACT-1");
  p->set_last_name("Контрактова");
  p->set_first_name("Вера");
  *p->mutable_birth_date() = D(1983, 11, 29);
  p->set_email("vera.contract@example.org");
  p->set_phone("+79001112233");
  p->set_position("учитель");
  create.set_request_id("feed-contract-create");
  v1::Person person;
  ASSERT_TRUE(dir->CreatePerson(Ctx(admin).get(), create, &person).ok());
  v1::UpdatePersonRequest update;
  update.mutable_person()->set_name(person.name());
  update.mutable_person()->set_version(person.version());
  update.mutable_person()->set_position("методист");
  update.mutable_update_mask()->add_paths("position");
  update.set_request_id("feed-contract-update");
  v1::Person updated;
  ASSERT_TRUE(dir->UpdatePerson(Ctx(admin).get(), update, &updated).ok());

  auto mon = MonitoringService::NewStub(server_->Channel());
  v1::CreateTrainingCompletionRequest completion;
  completion.mutable_completion()->set_person(person.name());
  completion.mutable_completion()->set_programme_title("Курс для контракта");
  completion.mutable_completion()->set_certificate_number("УД-СЕКРЕТ-77");
  completion.set_request_id("feed-contract-completion");
  v1::CreateTrainingCompletionResponse created;
  ASSERT_TRUE(mon->CreateTrainingCompletion(Ctx(admin).get(), completion, &created).ok());
  v1::DeleteTrainingCompletionRequest del;
  del.set_name(created.completion().name());
  del.set_version(created.completion().version());
  del.set_request_id("feed-contract-delete");
  v1::DeleteTrainingCompletionResponse deleted;
  ASSERT_TRUE(mon->DeleteTrainingCompletion(Ctx(admin).get(), del, &deleted).ok());

  // A row stored before the contract: the whole card, operation "upsert".
  v1::Person legacy = updated;
  legacy.set_email("legacy.contract@example.org");
  std::string legacy_json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(legacy, &legacy_json, opts).ok());
  ASSERT_TRUE(db::WithConnection(Pool(), [&](sql::Connection& c) -> absl::Status {
                db::Stmt(c, "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, "
                            "payload_json) VALUES (?, 'teacher', ?, 'FEED-CONTRACT-1', 'upsert', ?)")
                    .Int(f_.region)
                    .Str(person.name())
                    .Str(legacy_json)
                    .Execute();
                return absl::OkStatus();
              }).ok());

  std::vector<v1::ChangeRecord> changes = ReadAll(*feed, sync, R(), &cursor);
  std::string person_id = person.name().substr(person.name().find('/') + 1);
  std::string completion_id = created.completion().name().substr(created.completion().name().find('/') + 1);
  std::vector<v1::ChangeOperation> person_ops, completion_ops;
  for (const auto& ch : changes) {
    SCOPED_TRACE(ch.ShortDebugString());
    for (const char* secret : {"1983", "birth_date", "vera.contract@example.org", "legacy.contract@example.org",
                               "79001112233", "email", "phone", "УД-СЕКРЕТ-77"}) {
      EXPECT_EQ(ch.payload_json().find(secret), std::string::npos) << secret;
    }
    EXPECT_EQ(ch.payload_schema_version(), 2);
    if (ch.resource() == person.name()) {
      person_ops.push_back(ch.operation());
      EXPECT_EQ(ch.external_id(), absl::StrCat("nms:", f_.region, ":teacher:", person_id));
      EXPECT_NE(ch.payload_json().find("Контрактова"), std::string::npos);
      EXPECT_NE(ch.payload_json().find("FEED-CONTRACT-1"), std::string::npos);
    } else if (ch.resource() == created.completion().name()) {
      completion_ops.push_back(ch.operation());
      EXPECT_EQ(ch.external_id(), absl::StrCat("nms:", f_.region, ":training_completion:", completion_id));
      if (ch.operation() == v1::CHANGE_OPERATION_DELETE) EXPECT_TRUE(ch.payload_json().empty());
    }
  }
  EXPECT_EQ(person_ops, (std::vector<v1::ChangeOperation>{v1::CHANGE_OPERATION_CREATE, v1::CHANGE_OPERATION_UPDATE,
                                                          v1::CHANGE_OPERATION_UPDATE}));
  EXPECT_EQ(completion_ops,
            (std::vector<v1::ChangeOperation>{v1::CHANGE_OPERATION_CREATE, v1::CHANGE_OPERATION_DELETE}));
}

TEST_F(FederalTest, ImportsAreIdempotentWithPerRecordResults) {
  std::string sync = Token("federal.sync");
  auto feed = FederalExchangeService::NewStub(server_->Channel());
  v1::ImportProgrammesRequest preq;
  preq.set_region(R());
  auto* p1 = preq.add_records();
  p1->set_external_id("FR-1");
  p1->set_title("Функциональная грамотность");
  p1->set_hours(36);
  p1->set_active(true);
  auto* p2 = preq.add_records();
  p2->set_external_id("");  // rejected
  p2->set_title("Без номера");
  v1::ImportProgrammesResponse presp;
  ASSERT_TRUE(feed->ImportProgrammes(Ctx(sync).get(), preq, &presp).ok());
  ASSERT_EQ(presp.results_size(), 2);
  EXPECT_EQ(presp.results(0).outcome(), v1::FEDERAL_IMPORT_OUTCOME_CREATED);
  EXPECT_EQ(presp.results(1).outcome(), v1::FEDERAL_IMPORT_OUTCOME_REJECTED);
  EXPECT_FALSE(presp.results(1).message().empty());
  ASSERT_TRUE(feed->ImportProgrammes(Ctx(sync).get(), preq, &presp).ok());
  EXPECT_EQ(presp.results(0).outcome(), v1::FEDERAL_IMPORT_OUTCOME_UNCHANGED);
  preq.mutable_records(0)->set_hours(72);
  ASSERT_TRUE(feed->ImportProgrammes(Ctx(sync).get(), preq, &presp).ok());
  EXPECT_EQ(presp.results(0).outcome(), v1::FEDERAL_IMPORT_OUTCOME_UPDATED);

  v1::ImportCompletionsRequest creq;
  creq.set_region(R());
  auto* c1 = creq.add_records();
  c1->set_external_id("DPO-1");
  c1->set_person_external_id("EXT-A1");
  c1->set_programme_external_id("FR-1");
  *c1->mutable_end_date() = D(2026, 3, 1);
  c1->set_attestation_passed(true);
  auto* c2 = creq.add_records();
  c2->set_external_id("DPO-2");
  c2->set_person_external_id("NO-SUCH");
  *c2->mutable_end_date() = D(2026, 3, 1);
  v1::ImportCompletionsResponse cresp;
  auto st = feed->ImportCompletions(Ctx(sync).get(), creq, &cresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(cresp.results_size(), 2);
  EXPECT_EQ(cresp.results(0).outcome(), v1::FEDERAL_IMPORT_OUTCOME_CREATED);
  EXPECT_EQ(cresp.results(1).outcome(), v1::FEDERAL_IMPORT_OUTCOME_REJECTED);
  std::string completion = cresp.results(0).resource();
  ASSERT_TRUE(feed->ImportCompletions(Ctx(sync).get(), creq, &cresp).ok());
  EXPECT_EQ(cresp.results(0).outcome(), v1::FEDERAL_IMPORT_OUTCOME_UNCHANGED);
  EXPECT_EQ(cresp.results(0).resource(), completion);
  creq.mutable_records(0)->set_certificate_number("123");
  ASSERT_TRUE(feed->ImportCompletions(Ctx(sync).get(), creq, &cresp).ok());
  EXPECT_EQ(cresp.results(0).outcome(), v1::FEDERAL_IMPORT_OUTCOME_UPDATED);

  // The imported completion is a ФР ДПП completion with the registry's title and hours.
  auto mon = MonitoringService::NewStub(server_->Channel());
  v1::GetTrainingCompletionRequest greq;
  greq.set_name(completion);
  v1::GetTrainingCompletionResponse gresp;
  ASSERT_TRUE(mon->GetTrainingCompletion(Ctx(Token("regional.admin")).get(), greq, &gresp).ok());
  EXPECT_TRUE(gresp.completion().federal_registry());
  EXPECT_EQ(gresp.completion().programme_title(), "Функциональная грамотность");
  EXPECT_EQ(gresp.completion().hours(), 72);
  EXPECT_EQ(gresp.completion().source(), v1::FACT_SOURCE_FEDERAL_IMPORT);

  v1::GetExchangeStatusRequest sreq;
  sreq.set_region(R());
  v1::GetExchangeStatusResponse sresp;
  ASSERT_TRUE(feed->GetExchangeStatus(Ctx(sync).get(), sreq, &sresp).ok());
  EXPECT_EQ(sresp.programmes().total_records(), 1);
  EXPECT_EQ(sresp.completions().total_records(), 1);
  EXPECT_EQ(sresp.completions().last_rejected_count(), 1);
  EXPECT_FALSE(sresp.head_cursor().empty());

  // Teachers have no access to the exchange; garbage cursors are refused.
  v1::StreamChangesRequest req;
  auto ctx = Ctx(Token("teacher.a1"));
  auto reader = feed->StreamChanges(ctx.get(), req);
  v1::StreamChangesResponse resp;
  while (reader->Read(&resp)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  req.set_after_cursor("garbage");
  auto ctx2 = Ctx(sync);
  auto reader2 = feed->StreamChanges(ctx2.get(), req);
  while (reader2->Read(&resp)) {
  }
  EXPECT_EQ(reader2->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// ---------------------------------------------------------------- the sync job

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> out = absl::StrSplit(ReadAll(path), '\n', absl::SkipEmpty());
  return out;
}

TEST_F(FederalTest, SyncJobPullsResumesAfterAKillAndPushesFiles) {
  std::string dir = TestStateDir() + "/sync-job";
  std::system(("rm -rf " + dir).c_str());
  cli::Options o;
  o.server = server_->address();
  o.login = "federal.sync";
  o.password = "Passw0rd!";
  o.args = {"pull", dir, "region=" + R(), "batch=7"};
  // Changes of its own, so the test does not depend on what other tests in this process wrote.
  auto mon = MonitoringService::NewStub(server_->Channel());
  std::string admin = Token("regional.admin");
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(WriteOne(*mon, admin, f_.teacher_a1, absl::StrCat("before-pull-", i)));
  ASSERT_EQ(cli::Sync(o), 0);
  auto lines = Lines(dir + "/changes.jsonl");
  ASSERT_FALSE(lines.empty());
  // Simulate a kill in the middle of a batch: the last line is torn and the cursor file is
  // older than the data file; then more changes commit.
  std::string data = ReadAll(dir + "/changes.jsonl");
  std::ofstream(dir + "/changes.jsonl", std::ios::trunc) << data.substr(0, data.size() - 10);
  std::ofstream(dir + "/cursor", std::ios::trunc) << cli::CursorOfLine(lines[lines.size() / 2]) << "\n";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(WriteOne(*mon, admin, f_.teacher_b1, absl::StrCat("after-kill-", i)));
  ASSERT_EQ(cli::Sync(o), 0);
  std::vector<int64_t> seqs;
  for (const auto& line : Lines(dir + "/changes.jsonl")) {
    auto pos = line.find("\"sequence\":");
    ASSERT_NE(pos, std::string::npos) << line;
    seqs.push_back(std::stoll(line.substr(pos + 11)));
    // Every change carries its entity, except a DELETE (null).
    EXPECT_TRUE(line.find("\"payload\":{") != std::string::npos ||
                line.find("\"operation\":\"CHANGE_OPERATION_DELETE\",") != std::string::npos)
        << line;
  }
  std::set<int64_t> unique(seqs.begin(), seqs.end());
  EXPECT_EQ(unique.size(), seqs.size()) << "duplicated lines after resume";
  EXPECT_EQ(std::vector<int64_t>(unique.begin(), unique.end()), Committed());

  // Push a completions CSV; a second push changes nothing.
  std::string csv = dir + "/completions.csv";
  std::ofstream(csv) << "external_id;person_external_id;programme_title;hours;end_date;attestation_passed\n"
                        "SYNC-1;EXT-B1;Цифровая дидактика;24;15.03.2026;да\n"
                        "SYNC-2;NOBODY;Цифровая дидактика;24;15.03.2026;да\n";
  cli::Options push = o;
  push.args = {"push-completions", csv, "region=" + R()};
  EXPECT_EQ(cli::Sync(push), 3);  // one rejected
  EXPECT_EQ(cli::Sync(push), 3);  // same request id: the stored response
  std::string jsonl = dir + "/programmes.jsonl";
  std::ofstream(jsonl) << "{\"externalId\":\"FR-77\",\"title\":\"Наставничество\",\"hours\":16,\"active\":true}\n";
  push.args = {"push-programmes", jsonl, "region=" + R()};
  EXPECT_EQ(cli::Sync(push), 0);
  o.args = {"pull", dir, "region=" + R(), "types=training_completion"};
  ASSERT_EQ(cli::Sync(o), 0);
  EXPECT_NE(ReadAll(dir + "/changes.jsonl").find("\"external_id\":\"SYNC-1\""), std::string::npos);
}

// ---------------------------------------------------------------- message limit

// A batch never exceeds the message limit (--max_message_bytes, 8 MiB by default) whatever
// batch_size asks for: at the largest documented batch (5000) with the largest records, the
// stream cuts its messages by bytes and still delivers every record once, in order.
class FederalFeedLimitTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ResetDatabase(kLimitDb);
    f_ = SeedFixture(kLimitDb);
    server_ = new ServerProcess(kLimitDb);
  }
  static void TearDownTestSuite() { delete server_; }
  static constexpr char kLimitDb[] = "it_federal_limit";
  static Fixture f_;
  static ServerProcess* server_;
};
Fixture FederalFeedLimitTest::f_;
ServerProcess* FederalFeedLimitTest::server_ = nullptr;

TEST_F(FederalFeedLimitTest, TheLargestBatchOfTheLargestRecordsStaysUnderTheLimit) {
  constexpr int kRecords = 5000;
  constexpr size_t kLimit = 8 * 1024 * 1024;
  // The largest records: routes whose items all have the longest title allowed (1000 bytes),
  // stored as the feed stores them (schema 2), ~9 KB each and ~45 MB in all.
  v1::Route route;
  route.set_person("people/" + std::to_string(f_.teacher_a1));
  route.set_status(v1::ROUTE_STATUS_IN_PROGRESS);
  for (int i = 0; i < 8; ++i) {
    auto* item = route.add_items();
    item->set_name(absl::StrCat("routes/1/items/", i + 1));
    std::string title;
    for (int k = 0; k < 500; ++k) title += "ж";  // 1000 bytes of UTF-8
    item->set_title(title);
    item->set_hours(72);
  }
  {
    db::ConnectionPool pool(*db::ParseDsn(TestDsn(kLimitDb)));
    ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
                  for (int from = 0; from < kRecords; from += 100) {
                    std::string sql =
                        "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, payload_json, "
                        "payload_schema_version) VALUES ";
                    for (int i = from; i < from + 100; ++i) {
                      route.set_name(absl::StrCat("routes/", 100000 + i));
                      std::string json;
                      google::protobuf::util::JsonPrintOptions opts;
                      opts.preserve_proto_field_names = true;
                      (void)google::protobuf::util::MessageToJsonString(route, &json, opts);
                      absl::StrAppend(&sql, i == from ? "" : ",", "(", f_.region, ",'route','", route.name(), "','nms:",
                                      f_.region, ":route:", 100000 + i, "','create','", json, "',2)");
                    }
                    std::unique_ptr<sql::Statement> st(c.createStatement());
                    st->execute(sql);
                  }
                  return absl::OkStatus();
                }).ok());
  }
  // A client that accepts exactly the limit: a bigger message would fail the stream.
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(kLimit));
  auto channel = grpc::CreateCustomChannel(server_->address(), grpc::InsecureChannelCredentials(), args);
  auto feed = FederalExchangeService::NewStub(channel);
  v1::StreamChangesRequest req;
  req.set_region("regions/" + std::to_string(f_.region));
  req.set_batch_size(kRecords);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + SignIn(*server_->Channel(), "federal.sync"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  auto reader = feed->StreamChanges(&ctx, req);
  v1::StreamChangesResponse resp;
  int messages = 0, received = 0;
  size_t largest = 0;
  int64_t last_seq = 0;
  std::string cursor;
  while (reader->Read(&resp)) {
    ++messages;
    largest = std::max(largest, resp.ByteSizeLong());
    for (const auto& ch : resp.changes()) {
      EXPECT_GT(ch.sequence(), last_seq);
      last_seq = ch.sequence();
      ++received;
    }
    if (resp.changes_size() > 0) EXPECT_EQ(resp.cursor(), resp.changes(resp.changes_size() - 1).cursor());
    cursor = resp.cursor();
  }
  grpc::Status st = reader->Finish();
  ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  EXPECT_EQ(received, kRecords);
  EXPECT_LE(largest, kLimit);
  EXPECT_GE(messages, 5) << "45 MB of changes cannot come in fewer 8 MiB messages";
  std::printf("feed limit: %d records in %d messages, largest %zu bytes\n", received, messages, largest);
}

// ---------------------------------------------------------------- mTLS

class MtlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = TestStateDir() + "/certs-federal";
    ASSERT_EQ(std::system(absl::StrCat(NMS_SOURCE_DIR, "/deploy/certs.sh ", certs_, " >/dev/null").c_str()), 0);
    ResetDatabase("it_federal_mtls");
    f_ = SeedFixture("it_federal_mtls");
    db::ConnectionPool pool(*db::ParseDsn(TestDsn("it_federal_mtls")));
    ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
                  db::Stmt(c, "UPDATE accounts SET cert_subject = 'CN=nms-federal-sync' WHERE login = 'federal.sync'")
                      .Execute();
                  return absl::OkStatus();
                }).ok());
    mtls_address_ = absl::StrCat("127.0.0.1:", FreePort());
    std::string listen = absl::StrCat("127.0.0.1:", FreePort());
    std::string secret = certs_ + "/token-secret";
    std::ofstream(secret) << "mtls-test-secret-mtls-test-secret-mtls-test-secret";
    std::string cmd = absl::StrCat("exec ", BinaryDir(), "/nms-server --listen=", listen,
                                   " --db=", TestDsn("it_federal_mtls"), " --token_secret_file=", secret,
                                   " --tls_cert=", certs_, "/server.crt --tls_key=", certs_, "/server.key",
                                   " --tls_client_ca=", certs_, "/ca.crt --mtls_listen=", mtls_address_,
                                   " >>", certs_, "/server.log 2>&1");
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
      _exit(127);
    }
    auto ch = Channel("client");
    ASSERT_TRUE(ch->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(30)))
        << "mTLS listener did not come up; log: " << certs_ << "/server.log";
  }
  static void TearDownTestSuite() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }

  // A channel to the mTLS port presenting `client` ("client", "foreign-client" or "" for none).
  static std::shared_ptr<grpc::Channel> Channel(const std::string& client) {
    grpc::SslCredentialsOptions opts;
    opts.pem_root_certs = ReadAll(certs_ + "/ca.crt");
    if (!client.empty()) {
      opts.pem_private_key = ReadAll(certs_ + "/" + client + ".key");
      opts.pem_cert_chain = ReadAll(certs_ + "/" + client + ".crt");
    }
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
    return grpc::CreateCustomChannel(mtls_address_, grpc::SslCredentials(opts), args);
  }

  static grpc::Status Stream(const std::string& client, int* changes) {
    auto stub = FederalExchangeService::NewStub(Channel(client));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::StreamChangesRequest req;
    auto reader = stub->StreamChanges(&ctx, req);
    v1::StreamChangesResponse resp;
    *changes = 0;
    while (reader->Read(&resp)) *changes += resp.changes_size();
    return reader->Finish();
  }

  static std::string certs_, mtls_address_;
  static Fixture f_;
  static pid_t pid_;
};
std::string MtlsTest::certs_, MtlsTest::mtls_address_;
Fixture MtlsTest::f_;
pid_t MtlsTest::pid_ = -1;

TEST_F(MtlsTest, OnlyTheRightClientCertificateStreamsChanges) {
  // One change to stream: a person row written through the outbox by a directory write.
  db::ConnectionPool pool(*db::ParseDsn(TestDsn("it_federal_mtls")));
  ASSERT_TRUE(db::WithConnection(pool, [&](sql::Connection& c) -> absl::Status {
                db::Stmt(c, "INSERT INTO outbox (region_id, entity_type, resource, external_id, operation, "
                            "payload_json) VALUES (?, 'teacher', 'people/1', 'EXT-A1', 'upsert', '{}')")
                    .Int(f_.region)
                    .Execute();
                return absl::OkStatus();
              }).ok());
  int changes = 0;
  grpc::Status ok = Stream("client", &changes);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(changes, 1);
  grpc::Status none = Stream("", &changes);
  EXPECT_FALSE(none.ok());
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAVAILABLE) << none.error_message();
  grpc::Status foreign = Stream("foreign-client", &changes);
  EXPECT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::UNAVAILABLE) << foreign.error_message();
}

}  // namespace
}  // namespace nms::testing
