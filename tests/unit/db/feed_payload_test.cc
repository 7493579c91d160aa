// The payload the change feed stores for a record kind: only federal::PayloadFields, for new
// writes (FeedJson) and for rows stored in full before the contract (MinimiseStoredFeedJson).
#include <gtest/gtest.h>

#include "nms/v1/directory.pb.h"
#include "nms/v1/route.pb.h"
#include "server/db/audit.h"

namespace nms::db {
namespace {

v1::Person FullPerson() {
  v1::Person p;
  p.set_name("people/12");
  p.set_external_id("T-12");
  p.set_last_name("Секретова");
  p.set_first_name("Анна");
  p.set_middle_name("Петровна");
  p.mutable_birth_date()->set_year(1977);
  p.mutable_birth_date()->set_month(7);
  p.mutable_birth_date()->set_day(17);
  p.set_email("anna.secret@example.org");
  p.set_phone("+79123456789");
  p.set_position("учитель");
  p.add_subjects("математика");
  p.set_organization("organizations/3");
  p.set_account("accounts/5");
  p.set_version(4);
  return p;
}

void ExpectNoContactData(const std::string& json) {
  for (const char* secret : {"1977", "birth_date", "anna.secret@example.org", "email", "79123456789", "phone",
                             "accounts/5", "version"}) {
    EXPECT_EQ(json.find(secret), std::string::npos) << secret << " in " << json;
  }
}

TEST(FeedPayloadTest, TeacherCarriesIdentityButNoContactDataOrBirthDate) {
  std::string json = FeedJson("teacher", FullPerson());
  ExpectNoContactData(json);
  for (const char* kept : {"people/12", "T-12", "Секретова", "Анна", "Петровна", "учитель", "математика",
                           "organizations/3"}) {
    EXPECT_NE(json.find(kept), std::string::npos) << kept << " missing from " << json;
  }
}

TEST(FeedPayloadTest, StoredFullPayloadsAreReducedOnRead) {
  std::string full = AuditJson(FullPerson());
  ASSERT_NE(full.find("anna.secret@example.org"), std::string::npos);
  std::string reduced = MinimiseStoredFeedJson("teacher", full);
  ExpectNoContactData(reduced);
  EXPECT_EQ(reduced, FeedJson("teacher", FullPerson()));
  EXPECT_EQ(MinimiseStoredFeedJson("teacher", "not json"), "{}");
  EXPECT_EQ(MinimiseStoredFeedJson("unknown", full), "{}");
}

TEST(FeedPayloadTest, RouteKeepsTheRegisterNotTheTextsOfItsItems) {
  v1::Route r;
  r.set_name("routes/7");
  r.set_person("people/12");
  r.set_status(v1::ROUTE_STATUS_IN_PROGRESS);
  r.set_goal("личная цель");
  r.set_notes("заметки о педагоге");
  r.mutable_header()->set_full_name("Секретова Анна Петровна");
  auto* item = r.add_items();
  item->set_name("routes/7/items/41");
  item->set_title("Курс ДПП");
  item->set_reflective_report("рефлексия педагога");
  item->set_reason("почему выбран");
  item->add_evidence()->set_certificate_number("УД-000123");
  std::string json = FeedJson("route", r);
  for (const char* secret : {"личная цель", "заметки", "Секретова", "рефлексия", "почему выбран", "УД-000123"}) {
    EXPECT_EQ(json.find(secret), std::string::npos) << secret << " in " << json;
  }
  for (const char* kept : {"routes/7", "people/12", "ROUTE_STATUS_IN_PROGRESS", "routes/7/items/41", "Курс ДПП"}) {
    EXPECT_NE(json.find(kept), std::string::npos) << kept << " missing from " << json;
  }
  std::string item_json = FeedJson("route_item", *item);
  EXPECT_EQ(item_json.find("рефлексия"), std::string::npos) << item_json;
  EXPECT_NE(item_json.find("Курс ДПП"), std::string::npos) << item_json;
}

}  // namespace
}  // namespace nms::db
