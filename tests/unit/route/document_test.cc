// The printable ИОМ: the template's layout (approval block, general information, goal,
// roadmap sections 1.1–3, signature block) and HTML escaping of everything users typed.
#include <gtest/gtest.h>

#include "server/domain/route/document.h"

namespace nms::route {
namespace {

Document Sample() {
  Document d;
  d.full_name = "Иванова Анна Петровна";
  d.municipality = "г.о. Химки";
  d.organization = "МБОУ СОШ № 5";
  d.position = "учитель";
  d.subject = "математика";
  d.diagnosis_date = absl::CivilDay(2026, 3, 14);
  d.overall_level = 1;
  d.deficit_count = 3;
  d.goal = "непрерывное профессиональное развитие педагога";
  d.start = absl::CivilDay(2026, 4, 1);
  d.end = absl::CivilDay(2027, 3, 31);
  d.approver_title = "Директор ЦНППМ";
  d.items = {{Section::kFurtherTraining, "Формирующее оценивание", "дистанционно, 36 ч", 36, absl::CivilDay(2026, 9, 30),
              "", ItemStatus::kDone, "Освоила приёмы\nи применяю"},
             {Section::kCommunities, "РМО учителей математики", "", 0, std::nullopt, "руководитель МО",
              ItemStatus::kPlanned, ""},
             {Section::kMentoring, "Работа с наставником", "индивидуально", 0, std::nullopt, "",
              ItemStatus::kPlanned, ""}};
  return d;
}

TEST(RouteDocument, FollowsTheTemplateLayout) {
  std::string html = RenderDocument(Sample());
  const char* in_order[] = {"Утверждаю", "Директор ЦНППМ", "Индивидуальный образовательный маршрут",
                            "1. Общие сведения о педагоге", "Иванова Анна Петровна", "г.о. Химки", "14.03.2026",
                            "недостаточный (дефицитов: 3)", "2. Цель реализации ИОМ", "3. Дорожная карта реализации ИОМ",
                            "01.04.2026", "31.03.2027", "Рефлексивный отчёт", "1.1. Обучение по дополнительным",
                            "Формирующее оценивание", "30.09.2026", "Освоила приёмы<br>и применяю", "1.2. Стажировка",
                            "1.3. Мероприятия", "1.4. Работа в профессиональных сообществах", "Статус педагога: руководитель МО",
                            "2. Мероприятия, направленные на трансляцию", "2.1. Представление личного опыта",
                            "2.2. Разработка собственных", "3. Наставничество", "Работа с наставником", "Педагог:",
                            "Уполномоченный ОО:"};
  size_t pos = 0;
  for (const char* s : in_order) {
    size_t at = html.find(s, pos);
    ASSERT_NE(at, std::string::npos) << "missing or out of order: " << s;
    pos = at;
  }
  EXPECT_EQ(html.find("3. 3."), std::string::npos);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("@page{size:A4"), std::string::npos);
}

TEST(RouteDocument, SignaturesAndApprovalBlockFollowTheRoute) {
  Document d = Sample();
  d.approval_required = false;
  d.teacher = {"Иванова А. П.", "учитель", absl::CivilDay(2026, 3, 20)};
  std::string html = RenderDocument(d);
  EXPECT_EQ(html.find("Утверждаю"), std::string::npos);
  EXPECT_NE(html.find("подписано 20.03.2026"), std::string::npos);
  EXPECT_NE(html.find("Уполномоченный ОО: _______________"), std::string::npos);
}

TEST(RouteDocument, EscapesEverythingUsersTyped) {
  Document d = Sample();
  const std::string evil = "<script>alert('x')</script>&\"";
  d.full_name = evil;
  d.goal = evil;
  d.organization = evil;
  d.approver_title = evil;
  d.methodist = evil;
  d.items[0].title = evil;
  d.items[0].form = evil;
  d.items[0].reflective_report = evil;
  d.items[1].community_status = evil;
  d.teacher.full_name = evil;
  d.teacher.position_title = evil;
  std::string html = RenderDocument(d);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("alert('x')"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
}

// Seed 001: 2.1 «Тема» / «Мероприятие, на котором представлен опыт», 2.2 «Наименование продукта» /
// «Где представлены…», section 3 in its sub-rows «Работа с наставником» and «Работа в качестве
// наставника» with the mentee's position.
TEST(RouteDocument, PrintsTheTemplateDetailsOfSections2And3) {
  Document d = Sample();
  DocumentItem talk{Section::kExperiencePresentation, "Выступление с опытом", "", 0, std::nullopt, "",
                    ItemStatus::kPlanned, ""};
  talk.details.experience_topic = "Формирующее оценивание на уроках алгебры";
  talk.details.experience_event = "региональная конференция «Учитель года»";
  DocumentItem product{Section::kMethodologicalMaterials, "Методические материалы", "", 0, std::nullopt, "",
                       ItemStatus::kPlanned, ""};
  product.details.product_title = "Сборник задач <по алгебре>";
  product.details.product_placement = "сайт школы";
  DocumentItem mentor{Section::kMentoring, "Наставник молодого учителя", "", 0, std::nullopt, "",
                      ItemStatus::kPlanned, ""};
  mentor.details.mentoring_role = MentoringRole::kAsMentor;
  mentor.details.mentee_position = "учитель математики (молодой специалист)";
  d.items.insert(d.items.begin(), mentor);  // order of input does not matter
  d.items.push_back(talk);
  d.items.push_back(product);
  d.items[3].details.mentoring_role = MentoringRole::kWithMentor;  // "Работа с наставником" of Sample()
  std::string html = RenderDocument(d);
  const char* in_order[] = {"2.1. Представление личного опыта", "Выступление с опытом",
                            "Тема: Формирующее оценивание на уроках алгебры",
                            "Мероприятие, на котором представлен опыт: региональная конференция «Учитель года»",
                            "2.2. Разработка собственных", "Продукт: Сборник задач &lt;по алгебре&gt;",
                            "Где представлены, размещены, используются: сайт школы", "3. Наставничество",
                            "<td colspan=\"4\">Работа с наставником</td>", "индивидуально",
                            "<td colspan=\"4\">Работа в качестве наставника</td>", "Наставник молодого учителя",
                            "Должность подопечного: учитель математики (молодой специалист)", "Педагог:"};
  size_t pos = 0;
  for (const char* s : in_order) {
    size_t at = html.find(s, pos);
    ASSERT_NE(at, std::string::npos) << "missing or out of order: " << s;
    pos = at;
  }
}

}  // namespace
}  // namespace nms::route
