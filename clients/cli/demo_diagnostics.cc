// Demo stage: diagnostics (see demo.h). A published five-area framework, two published
// instruments with realistic Russian items (a general one and «Учитель математики»), a closed
// regional campaign whose participants answered item by item (a simple ability model) and were
// scored by the domain's scoring, and two open campaigns with no sessions yet — one of them for
// the first municipality, so teacher@demo.nms can start at once and compare with the spring.
// One transaction of bulk statements; skipped when the region already has a framework.

#include <cmath>
#include <iostream>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "clients/cli/demo.h"
#include "nms/v1/diagnostics.pb.h"
#include "server/db/audit.h"
#include "server/db/diagnostics_repository.h"
#include "server/db/expert_work_repository.h"
#include "server/common/status_macros.h"
#include "server/db/sql.h"
#include "server/domain/common/dates.h"
#include "server/domain/common/names.h"
#include "server/domain/diagnostics/instrument.h"
#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/diagnostics/scoring.h"
#include "server/services/diagnostics_common.h"
#include "server/services/diagnostics_convert.h"
#include "server/domain/diagnostics/session_rules.h"

namespace nms::cli {
namespace {

namespace v1 = nms::v1;
namespace dx = nms::diagnostics;
using Repo = db::DiagnosticsRepository;

// ---------------------------------------------------------------- framework

struct IndicatorSpec {
  const char* code;
  const char* title;
};
struct AreaSpec {
  v1::CompetencyArea area;
  const char* title;
  const char* description;
  double basic, advanced, high;
  IndicatorSpec indicators[4];
};

const AreaSpec kAreas[] = {
    {v1::COMPETENCY_AREA_SUBJECT, "Предметные компетенции", "Знание преподаваемого предмета и требований ФГОС к результатам",
     50, 70, 85,
     {{"П-1", "Знание содержания преподаваемого предмета"},
      {"П-2", "Решение предметных задач повышенной сложности"},
      {"П-3", "Понимание требований ФГОС к предметным результатам"},
      {"П-4", "Межпредметные связи и функциональная грамотность"}}},
    {v1::COMPETENCY_AREA_METHODOLOGICAL, "Методические компетенции", "Проектирование и проведение уроков, оценивание", 50,
     70, 85,
     {{"М-1", "Проектирование урока в соответствии с ФГОС"},
      {"М-2", "Формирующее оценивание образовательных результатов"},
      {"М-3", "Организация проектной и исследовательской деятельности"},
      {"М-4", "Дифференциация и индивидуализация обучения"}}},
    {v1::COMPETENCY_AREA_PSYCHOLOGICAL_PEDAGOGICAL, "Психолого-педагогические компетенции",
     "Учёт особенностей обучающихся, инклюзия, психологический климат", 50, 70, 85,
     {{"ПП-1", "Учёт возрастных и индивидуальных особенностей обучающихся"},
      {"ПП-2", "Работа с обучающимися с ОВЗ (инклюзивное образование)"},
      {"ПП-3", "Профилактика трудностей в обучении и поведении"},
      {"ПП-4", "Создание благоприятного психологического климата"}}},
    {v1::COMPETENCY_AREA_COMMUNICATIVE, "Коммуникативные компетенции",
     "Взаимодействие с родителями, коллегами и профессиональным сообществом", 50, 70, 85,
     {{"К-1", "Взаимодействие с родителями (законными представителями)"},
      {"К-2", "Педагогическое общение и разрешение конфликтов"},
      {"К-3", "Работа в профессиональном сообществе"},
      {"К-4", "Публичное представление собственного опыта"}}},
    {v1::COMPETENCY_AREA_DIGITAL, "Цифровые компетенции", "Цифровая образовательная среда, дистанционное обучение, данные",
     45, 65, 85,
     {{"Ц-1", "Использование цифровых образовательных ресурсов (ФГИС «Моя школа», ЦОК)"},
      {"Ц-2", "Организация дистанционного и смешанного обучения"},
      {"Ц-3", "Цифровая безопасность и защита персональных данных"},
      {"Ц-4", "Анализ образовательных данных"}}},
};

v1::CompetencyFramework DemoFramework(int64_t region) {
  v1::CompetencyFramework f;
  f.set_region(ResourceName("regions", region));
  f.set_title("Рамка профессиональных компетенций педагогических работников Московской области");
  for (const auto& a : kAreas) {
    auto* area = f.add_areas();
    area->set_area(a.area);
    area->set_title(a.title);
    area->set_description(a.description);
    area->mutable_thresholds()->set_basic_min_percent(a.basic);
    area->mutable_thresholds()->set_advanced_min_percent(a.advanced);
    area->mutable_thresholds()->set_high_min_percent(a.high);
    for (const auto& i : a.indicators) {
      auto* ind = f.add_indicators();
      ind->set_code(i.code);
      ind->set_area(a.area);
      ind->set_title(i.title);
    }
  }
  f.mutable_overall_thresholds()->set_basic_min_percent(50);
  f.mutable_overall_thresholds()->set_advanced_min_percent(70);
  f.mutable_overall_thresholds()->set_high_min_percent(85);
  return f;
}

// ---------------------------------------------------------------- instruments

// One item: options as "текст" with a leading '+' marking the correct ones; accepted answers
// for short answers; Likert items have neither. `difficulty` drives the demo's simulated answers.
struct ItemSpec {
  const char* id;
  v1::InstrumentItemKind kind;
  const char* text;
  std::vector<const char*> options;
  std::vector<const char*> accepted;
  std::vector<std::pair<const char*, double>> weights;
  double difficulty;
  double max_score = 1;
};
struct BlockSpec {
  const char* id;
  const char* title;
  int minutes;
  std::vector<ItemSpec> items;
};

constexpr auto kSingle = v1::INSTRUMENT_ITEM_KIND_SINGLE_CHOICE;
constexpr auto kMultiple = v1::INSTRUMENT_ITEM_KIND_MULTIPLE_CHOICE;
constexpr auto kShort = v1::INSTRUMENT_ITEM_KIND_SHORT_ANSWER;
constexpr auto kLikert = v1::INSTRUMENT_ITEM_KIND_LIKERT;

const std::vector<BlockSpec>& GeneralBlocks() {
  static const auto* blocks = new std::vector<BlockSpec>{
      {"B1", "Предметные и нормативные основы", 10,
       {{"B1-01", kSingle, "Какой документ устанавливает требования к результатам освоения основной образовательной программы?",
         {"+Федеральный государственный образовательный стандарт", "Устав образовательной организации",
          "Санитарные правила и нормы", "Должностная инструкция педагога"}, {}, {{"П-1", 1}}, -0.9},
        {"B1-02", kShort, "Найдите 15 % от 240. Введите число.", {}, {"36"}, {{"П-2", 1}}, 0.1},
        {"B1-03", kMultiple, "Какие группы образовательных результатов выделяет ФГОС? Выберите все верные ответы.",
         {"+Личностные", "+Метапредметные", "+Предметные", "Поведенческие"}, {}, {{"П-3", 1}}, -0.2, 2},
        {"B1-04", kSingle, "Какое задание в наибольшей степени формирует функциональную (читательскую) грамотность?",
         {"+Найти в расписании электричек подходящий поезд и объяснить выбор", "Выучить определение наизусть",
          "Переписать текст без ошибок", "Решить десять однотипных примеров"}, {}, {{"П-4", 1}}, 0.0},
        {"B1-05", kLikert, "Я уверенно решаю задачи олимпиадного уровня по своему предмету.", {}, {},
         {{"П-1", 0.5}, {"П-2", 0.5}}, 0.3}}},
      {"B2", "Методический блок", 12,
       {{"B2-01", kSingle, "Какой этап урока «открытия» нового знания следует за актуализацией знаний?",
         {"+Выявление места и причины затруднения", "Домашнее задание", "Рефлексия учебной деятельности",
          "Контрольная работа"}, {}, {{"М-1", 1}}, 0.2},
        {"B2-02", kMultiple, "Какие приёмы относятся к формирующему оцениванию? Выберите все верные ответы.",
         {"+Лист самооценки с критериями", "+«Светофор»", "Итоговая контрольная работа за год",
          "+Обратная связь по критериям до выставления отметки"}, {}, {{"М-2", 1}}, 0.4, 2},
        {"B2-03", kLikert, "Я регулярно организую проектную или исследовательскую деятельность обучающихся.", {}, {},
         {{"М-3", 1}}, 0.1},
        {"B2-04", kSingle, "Дифференцированное обучение — это…",
         {"+Организация работы с учётом индивидуальных особенностей и уровня подготовки обучающихся",
          "Постоянное деление класса на «сильных» и «слабых»", "Разные учебники для каждого ученика",
          "Обучение без отметок"}, {}, {{"М-4", 1}}, -0.5},
        {"B2-05", kShort, "Как называется форма оценивания, цель которой — помочь ученику продвинуться, а не выставить "
                          "итоговую отметку? (два слова)", {}, {"формирующее оценивание", "формирующее"},
         {{"М-2", 0.5}, {"М-1", 0.5}}, 0.6}}},
      {"B3", "Психолого-педагогический блок", 10,
       {{"B3-01", kSingle, "Ведущая деятельность младшего школьника (по Д. Б. Эльконину):",
         {"+Учебная", "Игровая", "Интимно-личностное общение", "Учебно-профессиональная"}, {}, {{"ПП-1", 1}}, -0.3},
        {"B3-02", kShort, "Как сокращённо называется программа, по которой обучается ребёнок с ОВЗ? (аббревиатура)", {},
         {"АООП", "АОП", "адаптированная основная общеобразовательная программа"}, {{"ПП-2", 1}}, 0.5},
        {"B3-03", kMultiple, "Какие признаки требуют обращения к педагогу-психологу? Выберите все верные ответы.",
         {"+Резкое снижение успеваемости и замкнутость", "+Систематические конфликты с одноклассниками",
          "Интерес к дополнительным занятиям", "+Признаки самоповреждения"}, {}, {{"ПП-3", 1}}, 0.0, 2},
        {"B3-04", kLikert, "На моих уроках ученики не боятся ошибаться и задавать вопросы.", {}, {}, {{"ПП-4", 1}}, -0.4},
        {"B3-05", kLikert, "Я испытываю трудности в работе с обучающимися с особыми образовательными потребностями.", {}, {},
         {{"ПП-2", 0.5}, {"ПП-1", 0.5}}, 0.4}}},
      {"B4", "Коммуникация и профессиональное сообщество", 8,
       {{"B4-01", kSingle, "Родитель эмоционально жалуется на отметку ребёнка. Первый шаг педагога:",
         {"+Выслушать, уточнить суть и договориться о встрече с опорой на критерии оценивания",
          "Сослаться на занятость", "Сразу исправить отметку", "Переадресовать обращение директору"}, {}, {{"К-1", 1}},
         -0.8},
        {"B4-02", kSingle, "Какая стратегия поведения в конфликте нацелена на решение, устраивающее обе стороны?",
         {"+Сотрудничество", "Избегание", "Приспособление", "Соперничество"}, {}, {{"К-2", 1}}, -0.6},
        {"B4-03", kLikert, "Я активно участвую в работе методического объединения или профессионального сообщества.", {}, {},
         {{"К-3", 1}}, 0.2},
        {"B4-04", kLikert, "За последний год я представлял(а) свой опыт на семинаре, мастер-классе или конференции.", {}, {},
         {{"К-4", 1}}, 0.7}}},
      {"B5", "Цифровая образовательная среда", 10,
       {{"B5-01", kSingle, "Какая государственная платформа даёт школам верифицированный цифровой образовательный контент?",
         {"+ФГИС «Моя школа»", "Любой видеохостинг", "Социальная сеть", "Поисковая система"}, {}, {{"Ц-1", 1}}, -0.2},
        {"B5-02", kMultiple, "Что нужно предусмотреть при организации дистанционного урока? Выберите все верные ответы.",
         {"+Чёткие инструкции и сроки", "+Способ обратной связи", "Только видеолекцию на 90 минут",
          "+Чередование видов деятельности"}, {}, {{"Ц-2", 1}}, 0.5, 2},
        {"B5-03", kSingle, "Можно ли размещать фотографии обучающихся в открытом доступе без согласия родителей?",
         {"+Нет, требуется согласие законных представителей", "Да, если фото сделаны на уроке",
          "Да, если это школьный сайт", "Да, если лица видны плохо"}, {}, {{"Ц-3", 1}}, -0.1},
        {"B5-04", kShort, "Отметки пяти учеников: 3, 4, 5, 4, 4. Введите среднее значение.", {}, {"4"}, {{"Ц-4", 1}}, 0.3},
        {"B5-05", kLikert, "Я использую данные электронного журнала для планирования работы с классом.", {}, {},
         {{"Ц-4", 0.5}, {"Ц-2", 0.5}}, 0.6}}},
  };
  return *blocks;
}

const std::vector<BlockSpec>& MathBlocks() {
  static const auto* blocks = new std::vector<BlockSpec>{
      {"S", "Предметный блок: математика", 25,
       {{"S-01", kShort, "Решите уравнение 2x + 3 = 11. Введите x.", {}, {"4"}, {{"П-1", 1}}, -1.0},
        {"S-02", kSingle, "Производная функции f(x) = x³ равна…", {"+3x²", "x²", "3x", "x⁴/4"}, {}, {{"П-1", 1}}, -0.4},
        {"S-03", kShort, "В урне 3 белых и 2 чёрных шара. Найдите вероятность вынуть белый шар (десятичной дробью).", {},
         {"0,6", "3/5"}, {{"П-2", 1}}, 0.2},
        {"S-04", kShort, "Найдите площадь прямоугольного треугольника с катетами 6 и 8.", {}, {"24"}, {{"П-2", 1}}, -0.3},
        {"S-05", kMultiple, "Какие умения относятся к предметным результатам по математике в ФГОС ООО? Выберите все верные.",
         {"+Оперировать понятиями «число», «уравнение», «функция»", "+Решать практико-ориентированные задачи",
          "Декламировать стихотворения", "+Использовать графики для описания зависимостей"}, {}, {{"П-3", 1}}, 0.0, 2},
        {"S-06", kSingle, "Какая задача в наибольшей степени формирует математическую грамотность?",
         {"+Выбрать выгодный тариф мобильной связи по таблице расходов семьи", "Вычислить 17 · 23 столбиком",
          "Доказать теорему Пифагора по учебнику", "Выучить таблицу квадратов"}, {}, {{"П-4", 1}}, 0.1}}},
      {"MM", "Методика преподавания математики", 15,
       {{"MM-01", kSingle,
         "Ученик решил задачу верно, но не записал обоснование. Какая обратная связь является формирующей?",
         {"+Указать, какой критерий не выполнен, и предложить дописать обоснование", "Поставить «3» без комментариев",
          "Зачесть решение, не обращая внимания", "Попросить переписать работу целиком"}, {}, {{"М-2", 1}}, -0.1},
        {"MM-02", kLikert, "Я подбираю задания разного уровня сложности для разных групп учеников.", {}, {}, {{"М-4", 1}},
         0.0},
        {"MM-03", kSingle, "С чего целесообразно начать урок введения понятия функции?",
         {"+С жизненной ситуации, где одна величина зависит от другой", "С формального определения из учебника",
          "С контрольной работы", "С решения уравнений"}, {}, {{"М-1", 1}}, 0.2}}},
  };
  return *blocks;
}

v1::Instrument BuildInstrument(int64_t region, int64_t framework, const char* title, const char* purpose,
                               const std::vector<BlockSpec>& blocks, std::vector<const char*> subjects) {
  v1::Instrument in;
  in.set_region(ResourceName("regions", region));
  in.set_framework(ResourceName("frameworks", framework));
  in.set_title(title);
  in.set_purpose(purpose);
  in.add_positions("учитель");
  for (const char* s : subjects) in.add_subjects(s);
  for (const auto& b : blocks) {
    auto* block = in.add_blocks();
    block->set_block_id(b.id);
    block->set_title(b.title);
    block->set_kind(v1::INSTRUMENT_BLOCK_KIND_ONLINE);
    block->set_suggested_minutes(b.minutes);
    for (const auto& i : b.items) {
      auto* item = block->add_items();
      item->set_item_id(i.id);
      item->set_kind(i.kind);
      item->set_text(i.text);
      item->set_max_score(i.max_score);
      item->set_required(i.kind != kLikert);
      char letter = 'a';
      for (const char* o : i.options) {
        auto* opt = item->add_options();
        bool correct = o[0] == '+';
        opt->set_option_id(std::string(1, letter++));
        opt->set_text(correct ? o + 1 : o);
        opt->set_correct(correct);
      }
      if (i.kind == kMultiple) item->set_multiple_choice_scoring(v1::MULTIPLE_CHOICE_SCORING_PARTIAL);
      for (const char* a : i.accepted) item->add_accepted_answers(a);
      if (i.kind == kLikert) {
        item->mutable_likert()->set_min_value(1);
        item->mutable_likert()->set_max_value(5);
        for (const char* l : {"совсем не согласен", "скорее не согласен", "затрудняюсь ответить", "скорее согласен",
                              "полностью согласен"}) {
          item->mutable_likert()->add_labels(l);
        }
        // "I struggle with…" statements score inversely.
        item->mutable_likert()->set_reversed(std::string(i.text).find("трудност") != std::string::npos);
      }
      for (const auto& [code, w] : i.weights) {
        auto* weight = item->add_indicator_weights();
        weight->set_indicator_code(code);
        weight->set_weight(w);
      }
    }
  }
  return in;
}

absl::StatusOr<int64_t> PublishInstrument(sql::Connection& c, int64_t region, int64_t framework_id,
                                          const v1::CompetencyFramework& framework, v1::Instrument in) {
  dx::InstrumentDef def = services::InstrumentFromProto(in);
  auto errors = dx::ValidateInstrument(def, services::FrameworkFromProto(framework));
  for (auto& e : dx::ValidateForPublish(def)) errors.push_back(std::move(e));
  if (!errors.empty()) return absl::InternalError(absl::StrCat("demo instrument invalid: ", errors[0]));
  in.set_max_score(dx::MaxScore(def));
  in.set_item_count(dx::ItemCount(def));
  int64_t id = Repo::InsertInstrument(c, region, framework_id, in);
  Repo::SetInstrumentState(c, id, v1::INSTRUMENT_STATE_PUBLISHED);
  return id;
}

// ---------------------------------------------------------------- simulated answers

// A teacher's ability per area (logit scale); areas differ so the region shows typical
// strengths (communication) and deficits (digital, projects).
struct Teacher {
  std::map<int, double> ability;
};

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

int AreaOfItem(const ItemSpec& i) {
  std::string code = i.weights.front().first;
  if (code.rfind("ПП", 0) == 0) return v1::COMPETENCY_AREA_PSYCHOLOGICAL_PEDAGOGICAL;
  if (code.rfind("П", 0) == 0) return v1::COMPETENCY_AREA_SUBJECT;
  if (code.rfind("М", 0) == 0) return v1::COMPETENCY_AREA_METHODOLOGICAL;
  if (code.rfind("К", 0) == 0) return v1::COMPETENCY_AREA_COMMUNICATIVE;
  return v1::COMPETENCY_AREA_DIGITAL;
}

v1::ItemAnswer Simulate(const ItemSpec& spec, const Teacher& t, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  double a = t.ability.at(AreaOfItem(spec));
  double p = Sigmoid(1.7 * (a - spec.difficulty));
  v1::ItemAnswer ans;
  ans.set_item_id(spec.id);
  switch (spec.kind) {
    case kSingle: {
      size_t correct = 0;
      for (size_t k = 0; k < spec.options.size(); ++k) {
        if (spec.options[k][0] == '+') correct = k;
      }
      size_t pick = correct;
      if (u(rng) > p) pick = (correct + 1 + static_cast<size_t>(u(rng) * (spec.options.size() - 1))) % spec.options.size();
      ans.add_selected_option_ids(std::string(1, static_cast<char>('a' + pick)));
      break;
    }
    case kMultiple:
      for (size_t k = 0; k < spec.options.size(); ++k) {
        bool right = spec.options[k][0] == '+';
        if (u(rng) < (right ? p + 0.15 : (1 - p) * 0.45)) ans.add_selected_option_ids(std::string(1, static_cast<char>('a' + k)));
      }
      break;
    case kShort:
      ans.set_text(u(rng) < p ? spec.accepted.front() : (u(rng) < 0.5 ? "не знаю" : "12"));
      break;
    default: {
      std::normal_distribution<double> noise(0, 0.7);
      bool reversed = std::string(spec.text).find("трудност") != std::string::npos;
      double v = 3 + 1.1 * (a - spec.difficulty) + noise(rng);
      int value = std::clamp(static_cast<int>(std::lround(v)), 1, 5);
      ans.set_likert_value(reversed ? 6 - value : value);
    }
  }
  return ans;
}

// ---------------------------------------------------------------- campaigns

int64_t InsertCampaign(sql::Connection& c, int64_t region, int64_t owner_mun, int64_t instrument, int64_t framework,
                       const char* title, v1::CampaignWaveKind wave, const v1::CampaignPopulation& population,
                       absl::Time open, absl::Time close, int limit_seconds) {
  db::CampaignRecord r;
  r.region_id = region;
  r.owner_municipality_id = owner_mun;
  r.instrument_id = instrument;
  r.framework_id = framework;
  auto& k = r.campaign;
  k.set_title(title);
  k.set_wave_kind(wave);
  k.set_purpose("Диагностика носит формирующий характер и не связана с аттестацией: по её итогам вы сразу увидите "
                "свой профиль компетенций, а методист поможет построить индивидуальный образовательный маршрут.");
  k.set_voluntary(true);
  *k.mutable_population() = population;
  *k.mutable_open_time() = db::diag::ToTimestamp(open);
  *k.mutable_close_time() = db::diag::ToTimestamp(close);
  k.set_time_limit_seconds(limit_seconds);
  return Repo::InsertCampaign(c, r);
}

v1::CampaignPopulation Listed(std::vector<std::string> scopes, std::vector<std::string> positions,
                              std::vector<std::string> subjects) {
  v1::CampaignPopulation p;
  for (auto& s : scopes) p.mutable_listed()->add_scopes(s);
  for (auto& s : positions) p.mutable_listed()->add_positions(s);
  for (auto& s : subjects) p.mutable_listed()->add_subjects(s);
  return p;
}

const std::vector<std::string> kTeachingPositions = {"учитель", "воспитатель", "преподаватель",
                                                     "педагог дополнительного образования"};

}  // namespace

// The lesson-and-cases campaign of the demo teacher's school (issue 13 §6): a short online part
// and two parts an expert scores — a pedagogical case answered in writing and a lesson plan or a
// video of a lesson. Four colleagues have handed in their work (text, a file, a link) and their
// results stay preliminary, waiting in the methodists' inbox; teacher@demo.nms has not started.
absl::Status SeedExpertCampaign(sql::Connection& c, const DemoWorld& world, int64_t framework,
                                const v1::CompetencyFramework& framework_stored, absl::Time now) {
  v1::Instrument in;
  in.set_region(ResourceName("regions", world.region_id));
  in.set_framework(ResourceName("frameworks", framework));
  in.set_title("Методическое мастерство: урок и педагогический кейс");
  in.set_purpose("Короткий тест и две работы, которые оценивает эксперт: решение педагогического кейса и план урока "
                 "(или видеозапись урока).");
  in.add_positions("учитель");
  auto* online = in.add_blocks();
  online->set_block_id("B1");
  online->set_title("Проектирование урока");
  online->set_kind(v1::INSTRUMENT_BLOCK_KIND_ONLINE);
  online->set_suggested_minutes(10);
  auto choice = [&](const char* id, const char* text, std::vector<std::pair<const char*, bool>> options,
                    const char* code) {
    auto* item = online->add_items();
    item->set_item_id(id);
    item->set_kind(kSingle);
    item->set_text(text);
    item->set_max_score(1);
    item->set_required(true);
    char letter = 'a';
    for (const auto& [t, correct] : options) {
      auto* o = item->add_options();
      o->set_option_id(std::string(1, letter++));
      o->set_text(t);
      o->set_correct(correct);
    }
    auto* w = item->add_indicator_weights();
    w->set_indicator_code(code);
    w->set_weight(1);
  };
  choice("B1-01", "С чего начинается проектирование урока по ФГОС?",
         {{"С планируемых образовательных результатов", true}, {"С подбора упражнений из учебника", false},
          {"С выбора формы контроля", false}},
         "М-1");
  choice("B1-02", "Что отличает формирующее оценивание от итогового?",
         {{"Оно даёт ученику обратную связь для дальнейшего продвижения", true},
          {"Оно выставляется только в конце четверти", false}, {"Оно не связано с критериями", false}},
         "М-2");
  auto* expert = in.add_blocks();
  expert->set_block_id("B2");
  expert->set_title("Работы для экспертной оценки");
  expert->set_kind(v1::INSTRUMENT_BLOCK_KIND_EXTERNALLY_SCORED);
  expert->set_instructions("Эти задания оценивает эксперт по критериям, указанным в задании. Сдайте работу в "
                           "приложении: текстом, файлом (PDF, DOCX, ODT, JPG, PNG — до 5 МБ) или ссылкой на видео.");
  auto external = [&](const char* id, const char* text, const char* code) {
    auto* item = expert->add_items();
    item->set_item_id(id);
    item->set_kind(v1::INSTRUMENT_ITEM_KIND_EXTERNAL_SCORE);
    item->set_text(text);
    item->set_max_score(10);
    auto* w = item->add_indicator_weights();
    w->set_indicator_code(code);
    w->set_weight(1);
  };
  external("B2-01",
           "Кейс. В 7-м классе треть учеников не выполняет домашние задания, на уроках они отвлекаются. Опишите, "
           "как вы выясните причины и что измените в уроках в ближайший месяц. Критерии (по 2 балла): причины "
           "выявлены по данным; учтены индивидуальные особенности; предложены конкретные приёмы; есть работа с "
           "родителями; описано, как будет проверен результат.",
           "М-4");
  external("B2-02",
           "План урока (технологическая карта) или ссылка на видеозапись вашего урока. Критерии (по 2 балла): цель "
           "сформулирована через планируемые результаты; этапы соответствуют цели; есть формирующее оценивание; "
           "учтена дифференциация; предусмотрена рефлексия.",
           "М-1");
  ASSIGN_OR_RETURN(int64_t instrument, PublishInstrument(c, world.region_id, framework, framework_stored, in));

  const std::string school = ResourceName("organizations", world.first_school_id);
  int64_t campaign = InsertCampaign(c, world.region_id, world.first_municipality_id, instrument, framework,
                                    "Методическое мастерство: урок и кейс (школьный этап)", v1::CAMPAIGN_WAVE_KIND_MUNICIPAL,
                                    Listed({school}, {"учитель"}, {}), now - absl::Hours(24 * 5),
                                    now + absl::Hours(24 * 25), 0);
  db::PopulationQuery q;
  q.region_id = world.region_id;
  q.scopes = {{db::ScopeFilter::Kind::kOrganization, world.first_school_id}};
  q.positions = {"учитель"};
  auto rows = Repo::LoadPopulation(c, q);
  Repo::InsertParticipants(c, campaign, rows);
  Repo::SetCampaignState(c, campaign, v1::CAMPAIGN_STATE_LAUNCHED, "");

  const char* cases[] = {
      "Сначала проведу короткую анонимную анкету и посмотрю электронный журнал: когда начались пропуски заданий. "
      "Поговорю с классным руководителем и с каждым из ребят отдельно. На уроках введу задания трёх уровней и "
      "лист самооценки, домашнее задание — с выбором. Через месяц сравню долю выполненных заданий.",
      "Причины вижу в перегрузке и неинтересных заданиях. Сделаю домашние задания короче и практичнее, буду чаще "
      "использовать групповую работу и игровые формы. Проведу родительское собрание.",
      "Проанализирую результаты контрольных и наблюдения на уроках, выделю группы учеников по трудностям. Для "
      "каждой группы подготовлю маршрутные листы, на уроках — работа в парах сменного состава. Родителям "
      "отправлю короткие рекомендации. Эффект проверю по выполнению заданий и по опросу учеников.",
      "Попрошу психолога провести диагностику мотивации, затем вместе с классным руководителем составим план. "
      "В уроки добавлю проектные задания, связанные с интересами ребят.",
  };
  int handed = 0;
  for (const auto& row : rows) {
    if (handed == 4) break;
    if (row.person_id == world.teacher_person_id || row.person_id == world.school_admin_person_id) continue;
    db::SessionRecord s;
    s.campaign_id = campaign;
    s.person_id = row.person_id;
    s.instrument_id = instrument;
    s.attempt = 1;
    s.started = now - absl::Hours(72 - 12 * handed);
    int64_t sid = Repo::InsertSession(c, s);
    ASSIGN_OR_RETURN(db::ParticipantRecord participant, Repo::GetParticipant(c, campaign, row.person_id, true));
    participant.attempts = 1;
    participant.status = static_cast<int>(dx::ParticipantStatus::kInProgress);
    participant.last_session_id = sid;
    Repo::UpdateParticipant(c, participant);
    for (const char* item : {"B1-01", "B1-02"}) {
      v1::ItemAnswer a;
      a.set_item_id(item);
      a.add_selected_option_ids(handed % 2 == 0 || std::string(item) == "B1-01" ? "a" : "b");
      Repo::UpsertAnswer(c, sid, a);
    }
    v1::ExpertWork work;
    work.set_item_id("B2-01");
    work.set_kind(v1::EXPERT_WORK_KIND_TEXT);
    work.set_text(cases[handed]);
    db::ExpertWorkRepository::Upsert(c, sid, work);
    v1::ExpertWork lesson;
    lesson.set_item_id("B2-02");
    if (handed == 0 || handed == 2) {
      lesson.set_kind(v1::EXPERT_WORK_KIND_FILE);
      lesson.set_file_name(handed == 0 ? "План урока — дроби, 6 класс.txt" : "Технологическая карта урока.txt");
      lesson.set_content_type("text/plain");
      lesson.set_file_content(
          "Технологическая карта урока\n\nТема: Сложение дробей с разными знаменателями (6 класс)\n"
          "Планируемые результаты: ученики складывают дроби, приводя их к общему знаменателю; объясняют способ.\n\n"
          "1. Мотивация (3 мин): задача о рецепте пирога.\n2. Актуализация (5 мин): повторение основного свойства "
          "дроби.\n3. Открытие нового (12 мин): работа в парах, выведение правила.\n4. Закрепление (15 мин): "
          "задания трёх уровней на выбор.\n5. Формирующее оценивание (5 мин): лист самопроверки с критериями.\n"
          "6. Рефлексия (5 мин): «Что было трудным? Что помогло?»\n");
    } else {
      lesson.set_kind(v1::EXPERT_WORK_KIND_LINK);
      lesson.set_link_url(handed == 1 ? "https://disk.example.ru/d/urok-literatura-7klass"
                                      : "https://video.example.ru/watch/otkrytyj-urok-biologiya");
    }
    db::ExpertWorkRepository::Upsert(c, sid, lesson);
    ASSIGN_OR_RETURN(db::SessionRecord rec, Repo::GetSession(c, sid));
    services::diag::ScoringCache cache(c);
    RETURN_IF_ERROR(services::diag::EndSession(c, cache, world.regional_admin_account_id, rec,
                                               dx::SessionState::kSubmitted, s.started + absl::Minutes(40))
                        .status());
    ++handed;
  }
  return absl::OkStatus();
}

absl::Status SeedDemoDiagnostics(db::ConnectionPool& pool, const DemoWorld& world) {
  absl::Time started = absl::Now();
  int results = 0, participants = 0;
  absl::Status st = db::InTransaction(pool, [&](sql::Connection& c) -> absl::Status {
    auto present = db::Stmt(c, "SELECT 1 FROM diagnostic_frameworks WHERE region_id = ? LIMIT 1").Int(world.region_id).Query();
    if (present->next()) return absl::AlreadyExistsError("present");
    results = participants = 0;
    std::mt19937_64 rng(world.seed * 1000003ULL + 11);
    const int64_t region = world.region_id;
    absl::TimeZone moscow = absl::FixedTimeZone(3 * 3600);
    absl::Time today_noon = absl::FromCivil(absl::CivilSecond(world.today.year(), world.today.month(), world.today.day(), 12), moscow);

    // Framework and instruments.
    v1::CompetencyFramework fw_proto = DemoFramework(region);
    int64_t framework = Repo::InsertFramework(c, region, 0, fw_proto);
    Repo::PublishFramework(c, framework, region);
    ASSIGN_OR_RETURN(v1::CompetencyFramework framework_stored, Repo::GetFramework(c, framework));
    auto general_in = BuildInstrument(region, framework, "Диагностика профессиональных компетенций педагога",
                                      "Пять коротких блоков по областям компетенций (около 50 минут). Сохраняйте "
                                      "ответы и продолжайте с любого устройства.",
                                      GeneralBlocks(), {});
    ASSIGN_OR_RETURN(int64_t general, PublishInstrument(c, region, framework, framework_stored, general_in));
    ASSIGN_OR_RETURN(int64_t math,
                     PublishInstrument(c, region, framework, framework_stored,
                                       BuildInstrument(region, framework, "Учитель математики: предметные и методические компетенции",
                                                       "Задачи школьного курса математики и вопросы методики (около 40 минут).",
                                                       MathBlocks(), {"математика"})));

    // The closed spring campaign: every teaching position in the region.
    absl::Time open = today_noon - absl::Hours(24 * 200), close = today_noon - absl::Hours(24 * 170);
    int64_t closed = InsertCampaign(c, region, 0, general, framework, "Региональная диагностика профессиональных дефицитов, весна",
                                    v1::CAMPAIGN_WAVE_KIND_REGIONAL, Listed({ResourceName("regions", region)}, kTeachingPositions, {}),
                                    open, close, 90 * 60);
    db::PopulationQuery q;
    q.region_id = region;
    q.scopes = {{db::ScopeFilter::Kind::kRegion, region}};
    q.positions = kTeachingPositions;
    std::vector<db::FrameRow> frame = Repo::LoadPopulation(c, q);
    Repo::InsertParticipants(c, closed, frame);
    participants += static_cast<int>(frame.size());

    // Who took it and how: 80 % submitted, 3 % ran out of time, the rest did not start
    // (participation is voluntary). teacher@demo.nms took it, to compare with the autumn.
    dx::Framework fw = services::FrameworkFromProto(framework_stored);
    std::vector<dx::ItemDef> items = dx::AllItems(services::InstrumentFromProto(general_in));
    std::vector<const ItemSpec*> specs;
    for (const auto& b : GeneralBlocks()) {
      for (const auto& i : b.items) specs.push_back(&i);
    }
    struct Taken {
      const db::FrameRow* who;
      int state;  // 2 submitted, 3 timed out
      absl::Time start, end;
      std::vector<v1::ItemAnswer> answers;
      v1::DiagnosticResult result;
    };
    std::vector<Taken> taken;
    std::normal_distribution<double> normal(0, 1);
    std::uniform_real_distribution<double> u(0, 1);
    const std::map<int, double> area_shift = {{1, 0.95}, {2, 0.65}, {3, 0.7}, {4, 1.15}, {5, 0.25}};
    for (const auto& row : frame) {
      double roll = u(rng);
      Teacher t;
      double general_ability = normal(rng);
      for (const auto& [area, shift] : area_shift) t.ability[area] = 0.7 * general_ability + 0.7 * normal(rng) + shift;
      bool forced = row.person_id == world.teacher_person_id;
      if (!forced && roll >= 0.83) continue;
      Taken tk;
      tk.who = &row;
      tk.state = !forced && roll >= 0.80 ? 3 : 2;
      tk.start = open + absl::Seconds(static_cast<int64_t>(u(rng) * 29 * 24 * 3600));
      tk.end = tk.start + absl::Minutes(tk.state == 3 ? 90 : 25 + static_cast<int>(u(rng) * 55));
      size_t answered = tk.state == 3 ? specs.size() * 2 / 3 : specs.size();
      for (size_t k = 0; k < answered; ++k) tk.answers.push_back(Simulate(*specs[k], t, rng));
      std::map<std::string, dx::Answer> as;
      for (const auto& a : tk.answers) as[a.item_id()] = services::AnswerFromProto(a);
      dx::SessionScore score = dx::ScoreSession(items, as, {});
      services::FillProfile(dx::ScoreItems(fw, score.items), &tk.result);
      taken.push_back(std::move(tk));
    }

    // Sessions, answers, results and profile rows in bulk.
    {
      std::string one = absl::StrCat("(?, ?, ?, 1, ?, ?, ?, ", db::diag::kTs, ", ", db::diag::kTs, ", ", db::diag::kTs,
                                     ", 2, ", db::diag::kTs, ")");
      for (size_t start = 0; start < taken.size(); start += 400) {
        size_t n = std::min<size_t>(400, taken.size() - start);
        std::string sql = "INSERT INTO diagnostic_sessions (campaign_id, person_id, instrument_id, attempt, state, "
                          "current_item_id, answered_count, started_at, deadline_at, submitted_at, version, updated_at) VALUES ";
        for (size_t i = 0; i < n; ++i) absl::StrAppend(&sql, i ? ", " : "", one);
        db::Stmt st(c, sql);
        for (size_t i = start; i < start + n; ++i) {
          const auto& tk = taken[i];
          st.Int(closed).Int(tk.who->person_id).Int(general).Int(tk.state).Str(tk.answers.back().item_id())
              .Int(static_cast<int64_t>(tk.answers.size()));
          db::diag::BindTime(st, tk.start);
          db::diag::BindTime(st, tk.start + absl::Minutes(90));
          db::diag::BindTime(st, tk.end);
          db::diag::BindTime(st, tk.end);
        }
        st.Execute();
      }
    }
    std::map<int64_t, int64_t> session_of;  // person -> session
    {
      auto rs = db::Stmt(c, "SELECT person_id, id FROM diagnostic_sessions WHERE campaign_id = ?").Int(closed).Query();
      while (rs->next()) session_of[rs->getInt64(1)] = rs->getInt64(2);
    }
    struct AnswerRow {
      int64_t session;
      const v1::ItemAnswer* a;
      absl::Time at;
    };
    std::vector<AnswerRow> answer_rows;
    for (const auto& tk : taken) {
      for (size_t k = 0; k < tk.answers.size(); ++k) {
        answer_rows.push_back({session_of[tk.who->person_id], &tk.answers[k],
                               tk.start + (tk.end - tk.start) * (static_cast<double>(k + 1) / (tk.answers.size() + 1))});
      }
    }
    {
      std::string one = absl::StrCat("(?, ?, ?, ?, ?, ", db::diag::kTs, ")");
      for (size_t start = 0; start < answer_rows.size(); start += 2000) {
        size_t n = std::min<size_t>(2000, answer_rows.size() - start);
        std::string sql = "INSERT INTO diagnostic_answers (session_id, item_id, selected_options, answer_text, "
                          "likert_value, saved_at) VALUES ";
        for (size_t i = 0; i < n; ++i) absl::StrAppend(&sql, i ? ", " : "", one);
        db::Stmt st(c, sql);
        for (size_t i = start; i < start + n; ++i) {
          const auto& r = answer_rows[i];
          st.Int(r.session).Str(r.a->item_id()).Str(absl::StrJoin(r.a->selected_option_ids(), "|")).OptStr(r.a->text());
          if (r.a->has_likert_value()) st.Int(r.a->likert_value()); else st.Null();
          db::diag::BindTime(st, r.at);
        }
        st.Execute();
      }
    }
    // The general instrument's items get calibrated from these answers by the server's
    // background worker (the owners' item analytics then show IRT parameters, not only counts).
    db::Stmt(c, "INSERT INTO diagnostic_calibration_operations (region_id, instrument_id, state, phase) "
                "VALUES (?, ?, 1, 'В очереди')")
        .Int(region)
        .Int(general)
        .Execute();
    {
      std::string one = absl::StrCat("(?, ?, ?, ?, ?, ?, ?, ?, 1, 2, ?, ?, ?, '', ", db::diag::kTs, ", ", db::diag::kTs,
                                     ")");
      for (size_t start = 0; start < taken.size(); start += 400) {
        size_t n = std::min<size_t>(400, taken.size() - start);
        std::string sql = "INSERT INTO diagnostic_results (person_id, region_id, municipality_id, organization_id, "
                          "campaign_id, session_id, instrument_id, framework_version, source, status, overall_score, "
                          "overall_level, diagnosis_date, content_hash, submitted_at, created_at) VALUES ";
        for (size_t i = 0; i < n; ++i) absl::StrAppend(&sql, i ? ", " : "", one);
        db::Stmt st(c, sql);
        for (size_t i = start; i < start + n; ++i) {
          const auto& tk = taken[i];
          st.Int(tk.who->person_id).Int(region).OptInt(tk.who->municipality_id).OptInt(tk.who->organization_id)
              .Int(closed).Int(session_of[tk.who->person_id]).Int(general).Int(framework)
              .Double(tk.result.overall_score_percent()).Int(tk.result.overall_level())
              .Str(FormatDay(absl::ToCivilDay(tk.end, moscow)));
          db::diag::BindTime(st, tk.end);
          db::diag::BindTime(st, tk.end);
        }
        st.Execute();
      }
    }
    std::map<int64_t, int64_t> result_of;  // session -> result
    {
      auto rs = db::Stmt(c, "SELECT session_id, id FROM diagnostic_results WHERE campaign_id = ?").Int(closed).Query();
      while (rs->next()) result_of[rs->getInt64(1)] = rs->getInt64(2);
    }
    struct Child {
      int64_t result;
      const v1::DiagnosticResult* r;
      int index;
    };
    std::vector<Child> areas, indicators, deficits;
    for (auto& tk : taken) {
      int64_t id = result_of[session_of[tk.who->person_id]];
      for (int k = 0; k < tk.result.area_scores_size(); ++k) areas.push_back({id, &tk.result, k});
      for (int k = 0; k < tk.result.indicator_scores_size(); ++k) indicators.push_back({id, &tk.result, k});
      for (int k = 0; k < tk.result.deficits_size(); ++k) deficits.push_back({id, &tk.result, k});
    }
    db::diag::InsertRows(c, "diagnostic_result_areas (result_id, area, score, level)", 4, areas.size(),
                         [&](db::Stmt& st, size_t i) {
                           const auto& a = areas[i].r->area_scores(areas[i].index);
                           st.Int(areas[i].result).Int(a.area()).Double(a.score_percent()).Int(a.level());
                         });
    db::diag::InsertRows(c, "diagnostic_result_indicators (result_id, indicator_code, area, score, level, deficit)", 6,
                         indicators.size(), [&](db::Stmt& st, size_t i) {
                           const auto& s = indicators[i].r->indicator_scores(indicators[i].index);
                           st.Int(indicators[i].result).Str(s.indicator_code()).Int(s.area()).Double(s.score_percent())
                               .Int(s.level()).Bool(s.deficit());
                         });
    db::diag::InsertRows(c, "diagnostic_deficits (result_id, indicator_code, area, score, threshold, gap, severity_rank)",
                         7, deficits.size(), [&](db::Stmt& st, size_t i) {
                           const auto& d = deficits[i].r->deficits(deficits[i].index);
                           st.Int(deficits[i].result).Str(d.indicator_code()).Int(d.area()).Double(d.score_percent())
                               .Double(d.threshold_percent()).Double(d.gap_percent()).Int(d.rank());
                         });
    db::Stmt(c, "UPDATE diagnostic_sessions s JOIN diagnostic_results r ON r.session_id = s.id SET s.result_id = r.id "
                "WHERE s.campaign_id = ?")
        .Int(closed)
        .Execute();
    db::Stmt(c, "UPDATE diagnostic_campaign_participants cp JOIN diagnostic_sessions s ON s.campaign_id = cp.campaign_id "
                "AND s.person_id = cp.person_id SET cp.status = IF(s.state = 3, 4, 3), cp.attempts = 1, "
                "cp.last_session_id = s.id, cp.last_result_id = s.result_id WHERE cp.campaign_id = ?")
        .Int(closed)
        .Execute();
    db::Stmt(c, absl::StrCat("UPDATE diagnostic_campaigns SET state = 3, version = 3, launched_at = ", db::diag::kTs,
                             ", closed_at = ", db::diag::kTs, " WHERE id = ?"))
        .Int(absl::ToUnixSeconds(open)).Int(0).Int(absl::ToUnixSeconds(close)).Int(0).Int(closed)
        .Execute();
    // Every FINAL result goes to the federal change feed, as the service does.
    db::diag::InsertRows(c,
                         "outbox (region_id, entity_type, resource, external_id, operation, payload_json, "
                         "payload_schema_version)",
                         7,
                         taken.size(), [&](db::Stmt& st, size_t i) {
                           auto& tk = taken[i];
                           int64_t session = session_of[tk.who->person_id];
                           v1::DiagnosticResult r = tk.result;
                           r.set_name(ResourceName("results", result_of[session]));
                           r.set_person(ResourceName("people", tk.who->person_id));
                           r.set_campaign(ResourceName("campaigns", closed));
                           r.set_session(ResourceName("sessions", session));
                           r.set_source(v1::DIAGNOSTIC_RESULT_SOURCE_SESSION);
                           r.set_framework(ResourceName("frameworks", framework));
                           r.set_instrument(ResourceName("instruments", general));
                           r.set_status(v1::DIAGNOSTIC_RESULT_STATUS_FINAL);
                           absl::CivilDay day = absl::ToCivilDay(tk.end, moscow);
                           r.mutable_diagnosis_date()->set_year(static_cast<int>(day.year()));
                           r.mutable_diagnosis_date()->set_month(day.month());
                           r.mutable_diagnosis_date()->set_day(day.day());
                           st.Int(region)
                               .Str("diagnostic_result")
                               .Str(r.name())
                               .Str(federal::ExternalId(region, "diagnostic_result", r.name()))
                               .Str(federal::kCreate)
                               .Str(db::FeedJson("diagnostic_result", r))
                               .Int(federal::kPayloadSchemaVersion);
                         });
    results = static_cast<int>(taken.size());

    // Two open campaigns, no sessions yet: the first municipality's autumn re-diagnosis (includes
    // teacher@demo.nms) and the region's mathematics teachers.
    absl::Time now = absl::Now();
    auto launch_open = [&](const char* title, int64_t owner, int64_t instrument, v1::CampaignWaveKind wave,
                           const v1::CampaignPopulation& pop, db::PopulationQuery pq) {
      int64_t id = InsertCampaign(c, region, owner, instrument, framework, title, wave, pop, now - absl::Hours(24),
                                  now + absl::Hours(24 * 30), 90 * 60);
      auto rows = Repo::LoadPopulation(c, pq);
      Repo::InsertParticipants(c, id, rows);
      participants += static_cast<int>(rows.size());
      Repo::SetCampaignState(c, id, v1::CAMPAIGN_STATE_LAUNCHED, "");
    };
    db::PopulationQuery mun_q;
    mun_q.region_id = region;
    mun_q.scopes = {{db::ScopeFilter::Kind::kMunicipality, world.first_municipality_id}};
    mun_q.positions = kTeachingPositions;
    launch_open("Повторная диагностика педагогов муниципалитета, осень", world.first_municipality_id, general,
                v1::CAMPAIGN_WAVE_KIND_MUNICIPAL,
                Listed({ResourceName("municipalities", world.first_municipality_id)}, kTeachingPositions, {}), mun_q);
    db::PopulationQuery math_q;
    math_q.region_id = region;
    math_q.scopes = {{db::ScopeFilter::Kind::kRegion, region}};
    math_q.positions = {"учитель"};
    math_q.subjects = {"математика"};
    launch_open("Диагностика предметных компетенций учителей математики", 0, math, v1::CAMPAIGN_WAVE_KIND_REGIONAL,
                Listed({ResourceName("regions", region)}, {"учитель"}, {"математика"}), math_q);

    // Teachers' feedback on items (docs/domain.md §9): two open reports for the authors.
    int reported = 0;
    for (const auto& tk : taken) {
      if (reported == 2) break;
      v1::ItemProblemReport r;
      r.set_item_id(reported == 0 ? "B1-04" : "B3-02");
      r.set_category(reported == 0 ? v1::ITEM_PROBLEM_CATEGORY_AMBIGUOUS : v1::ITEM_PROBLEM_CATEGORY_WRONG_ANSWER_KEY);
      r.set_text(reported == 0 ? "Несколько вариантов кажутся верными: уточните формулировку."
                               : "В нашей школе используется сокращение «АОП» — засчитывается ли оно?");
      Repo::InsertProblemReport(c, region, r, general, session_of[tk.who->person_id], tk.who->person_id);
      ++reported;
    }
    RETURN_IF_ERROR(SeedExpertCampaign(c, world, framework, framework_stored, now));
    return absl::OkStatus();
  });
  if (st.code() == absl::StatusCode::kAlreadyExists) {
    std::cout << "demo diagnostics already present\n";
    return absl::OkStatus();
  }
  if (!st.ok()) return st;
  std::cout << "demo diagnostics: 4 campaigns, " << participants << " participants, " << results
            << " scored results (" << absl::ToInt64Milliseconds(absl::Now() - started) << " ms)\n";
  return absl::OkStatus();
}

}  // namespace nms::cli
