#include "server/domain/directory/teacher_csv.h"

#include <gtest/gtest.h>

namespace nms::directory {
namespace {

const absl::CivilDay kToday(2026, 11, 23);

TEST(Csv, QuotedFieldsAndNewlines) {
  auto recs = ParseCsv("a;\"b;c\";\"say \"\"hi\"\"\"\n\"multi\nline\";x;y\n", ';');
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].fields, (std::vector<std::string>{"a", "b;c", "say \"hi\""}));
  EXPECT_EQ((*recs)[1].fields[0], "multi\nline");
  EXPECT_EQ((*recs)[1].line, 2);
}

TEST(Csv, UnclosedQuoteIsAFileError) {
  EXPECT_FALSE(ParseCsv("a;\"b\n", ';').ok());
}

TEST(TeacherCsv, RussianHeaderSemicolonBomAndCrlf) {
  std::string csv =
      "\xEF\xBB\xBF" "Внешний_ID;Фамилия;Имя;Отчество;Дата_рождения;Должность;Предметы;Категория\r\n"
      "T-1;Иванова;Анна;Сергеевна;01.05.1990;учитель;Математика|Информатика;высшая\r\n";
  auto rows = ParseTeacherCsv(csv, kToday);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  const auto& r = (*rows)[0];
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.person.external_id, "T-1");
  EXPECT_EQ(r.person.birth_date, absl::CivilDay(1990, 5, 1));
  EXPECT_EQ(r.person.subjects, (std::vector<std::string>{"математика", "информатика"}));
  EXPECT_EQ(r.person.qualification_category, 4);
}

TEST(TeacherCsv, CommaSeparatedEnglishHeader) {
  std::string csv =
      "external_id,last_name,first_name,birth_date,position,email\n"
      "T-1,Petrova,Olga,1985-02-03,teacher,o@x.ru\n";
  auto rows = ParseTeacherCsv(csv, kToday);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE((*rows)[0].errors.empty());
  EXPECT_EQ((*rows)[0].person.email, "o@x.ru");
}

TEST(TeacherCsv, BadRowsReportedEachWithLineAndField) {
  std::string csv =
      "external_id;last_name;first_name;birth_date;position\n"
      "T-1;Иванова;Анна;01.05.1990;учитель\n"
      "T-2;Петрова;Ольга;31.02.1990;учитель\n"
      "T-3;;Ольга;01.01.1980;учитель\n"
      "T-1;Сидорова;Ирина;01.01.1980;учитель\n"
      ";Кузнецова;Мария;01.01.1980;учитель\n"
      "T-6;Смирнова;Ольга;01.01.1980\n";
  auto rows = ParseTeacherCsv(csv, kToday);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 6u);
  EXPECT_TRUE((*rows)[0].errors.empty());
  ASSERT_EQ((*rows)[1].errors.size(), 1u);
  EXPECT_NE((*rows)[1].errors[0].find("несуществующая дата"), std::string::npos);
  EXPECT_NE((*rows)[2].errors[0].find("last_name"), std::string::npos);
  EXPECT_NE((*rows)[3].errors.back().find("строке 2"), std::string::npos);
  EXPECT_NE((*rows)[4].errors[0].find("external_id"), std::string::npos);
  EXPECT_EQ((*rows)[5].line, 7);
  EXPECT_FALSE((*rows)[5].errors.empty());
}

TEST(TeacherCsv, FileLevelErrors) {
  EXPECT_FALSE(ParseTeacherCsv("", kToday).ok());
  EXPECT_FALSE(ParseTeacherCsv("last_name;first_name\nА;Б\n", kToday).ok());  // no external_id
  EXPECT_FALSE(ParseTeacherCsv(std::string("external_id\n\xff\xfe\n"), kToday).ok());
  std::string many = "external_id;last_name;first_name;birth_date;position\n";
  for (int i = 0; i < 11; ++i) many += "x;Ф;И;01.01.1980;учитель\n";
  EXPECT_FALSE(ParseTeacherCsv(many, kToday, 10).ok());
}

}  // namespace
}  // namespace nms::directory
