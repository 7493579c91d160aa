#include "server/domain/directory/person.h"

#include <gtest/gtest.h>

namespace nms::directory {
namespace {

const absl::CivilDay kToday(2026, 11, 23);

PersonRecord Valid() {
  PersonRecord p;
  p.last_name = "Иванова";
  p.first_name = "Анна";
  p.middle_name = "Сергеевна";
  p.birth_date = absl::CivilDay(1990, 5, 1);
  p.position = "учитель";
  p.work_start_date = absl::CivilDay(2014, 9, 1);
  return p;
}

TEST(Person, ValidCardHasNoErrors) { EXPECT_TRUE(ValidatePerson(Valid(), kToday).empty()); }

TEST(Person, NamesAcceptRussianLatinHyphen) {
  EXPECT_TRUE(IsValidPersonName("Римский-Корсакова"));
  EXPECT_TRUE(IsValidPersonName("Ёлкина"));
  EXPECT_TRUE(IsValidPersonName("O'Neil"));
  EXPECT_FALSE(IsValidPersonName("Иванова1"));
  EXPECT_FALSE(IsValidPersonName("<script>"));
  EXPECT_FALSE(IsValidPersonName("'; DROP TABLE people; --"));
  EXPECT_FALSE(IsValidPersonName("---"));
  EXPECT_FALSE(IsValidPersonName(std::string("\xff\xfe", 2)));
}

TEST(Person, EachBadFieldIsNamed) {
  PersonRecord p = Valid();
  p.last_name = "";
  p.email = "not-an-email";
  p.phone = "123";
  p.birth_date = absl::CivilDay(2020, 1, 1);
  p.work_start_date.reset();  // else "work started before age 14" is a fifth, correct, error
  auto errors = ValidatePerson(p, kToday);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_NE(errors[0].find("last_name"), std::string::npos);
  EXPECT_NE(errors[1].find("birth_date"), std::string::npos);
  EXPECT_NE(errors[2].find("email"), std::string::npos);
  EXPECT_NE(errors[3].find("phone"), std::string::npos);
}

TEST(Person, DatesMustBePlausible) {
  PersonRecord p = Valid();
  p.birth_date = absl::CivilDay(2027, 1, 1);
  EXPECT_FALSE(ValidatePerson(p, kToday).empty());
  p = Valid();
  p.work_start_date = absl::CivilDay(2000, 1, 1);  // at age 9
  EXPECT_FALSE(ValidatePerson(p, kToday).empty());
  p = Valid();
  p.work_start_date = absl::CivilDay(2026, 11, 24);
  EXPECT_FALSE(ValidatePerson(p, kToday).empty());
}

TEST(Person, NormalizeCleansInput) {
  PersonRecord p = Valid();
  p.last_name = "  Иванова   ";
  p.email = " Anna.Ivanova@School.RU ";
  p.phone = "8 (916) 123-45-67";
  p.subjects = {"Математика", "математика", " Информатика "};
  NormalizePerson(p);
  EXPECT_EQ(p.last_name, "Иванова");
  EXPECT_EQ(p.email, "anna.ivanova@school.ru");
  EXPECT_EQ(p.phone, "+79161234567");
  EXPECT_EQ(p.subjects, (std::vector<std::string>{"математика", "информатика"}));
  EXPECT_TRUE(ValidatePerson(p, kToday).empty());
}

TEST(Person, EmailRules) {
  EXPECT_TRUE(IsValidEmail("a@b.ru"));
  EXPECT_FALSE(IsValidEmail("a@b"));
  EXPECT_FALSE(IsValidEmail("a b@c.ru"));
  EXPECT_FALSE(IsValidEmail("@c.ru"));
  EXPECT_FALSE(IsValidEmail("a@@c.ru"));
}

// A person keeps their own contacts; every other field of the card is the school's, refused
// naming the first such field.
TEST(Person, SelfEditIsContactsOnly) {
  EXPECT_TRUE(CheckSelfEdit({"phone"}).ok());
  EXPECT_TRUE(CheckSelfEdit({"email", "phone"}).ok());
  EXPECT_TRUE(CheckSelfEdit({}).ok());
  for (const char* f : {"last_name", "first_name", "middle_name", "birth_date", "position", "subjects", "work_start_date",
                        "qualification_category", "education", "management_role", "external_id"}) {
    auto st = CheckSelfEdit({"phone", f});
    EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << f;
    EXPECT_NE(st.message().find(f), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace nms::directory
