// The server's one CSV writer: what Russian Excel opens right by double-click.
#include "server/domain/common/csv.h"

#include <gtest/gtest.h>

namespace nms::csv {
namespace {

TEST(CsvWriterTest, BomSemicolonsCrlfQuotedTextDecimalComma) {
  Writer w({"ФИО", "Балл, %", "Число"});
  w.Text("Иванова \"Анна\"; Петровна").Decimal(61.26, 1).Integer(7);
  w.EndRow();
  w.Text("Петров").Empty().Integer(-3);
  EXPECT_EQ(w.Finish(),
            "\xEF\xBB\xBF\"ФИО\";\"Балл, %\";\"Число\"\r\n"
            "\"Иванова \"\"Анна\"\"; Петровна\";61,3;7\r\n"
            "\"Петров\";;-3\r\n");
}

TEST(CsvWriterTest, FormulasAreNeutralised) {
  EXPECT_EQ(Text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(Text("+7 900"), "\"'+7 900\"");
  EXPECT_EQ(Text("-1"), "\"'-1\"");
  EXPECT_EQ(Text("@A1"), "\"'@A1\"");
  EXPECT_EQ(Text("обычный"), "\"обычный\"");
}

TEST(CsvWriterTest, DecimalsDropTrailingZerosAndUseAComma) {
  EXPECT_EQ(Decimal(40.0), "40");
  EXPECT_EQ(Decimal(60.0, 2), "60");
  EXPECT_EQ(Decimal(12.5), "12,5");
  EXPECT_EQ(Decimal(0.126, 2), "0,13");
  EXPECT_EQ(Decimal(-0.001), "0");
  EXPECT_EQ(Decimal(1234567.891, 1), "1234567,9");
}

}  // namespace
}  // namespace nms::csv
