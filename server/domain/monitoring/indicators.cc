#include "server/domain/monitoring/indicators.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace nms::monitoring {

bool IsValidFact(int v) { return v >= 1 && v < kFactCount; }

std::vector<std::string> ValidateDefinition(const Definition& d) {
  std::vector<std::string> errors;
  if (d.code.empty() || d.code.size() > 64) errors.push_back("Поле code: обязательно, не длиннее 64 байт");
  if (d.title.empty() || d.title.size() > 1000) errors.push_back("Поле title: обязательно, не длиннее 1000 байт");
  if (!IsValidFact(static_cast<int>(d.numerator.fact))) errors.push_back("Поле numerator.fact: не задан факт");
  if (!IsValidFact(static_cast<int>(d.denominator.fact))) errors.push_back("Поле denominator.fact: не задан факт");
  for (const auto* f : {&d.numerator, &d.denominator}) {
    for (int t : f->organization_types) {
      if (t < 1 || t > kMaxOrgType) {
        errors.push_back("Поле organization_types: неизвестный тип организации");
        break;
      }
    }
  }
  int vk = static_cast<int>(d.value_kind);
  if (vk < 1 || vk > 4) errors.push_back("Поле value_kind: не задан способ выражения значения");
  int sl = static_cast<int>(d.scope_level);
  if (sl < 1 || sl > 4) errors.push_back("Поле scope_level: не задан уровень");
  int pe = static_cast<int>(d.period);
  if (pe < 1 || pe > 4) errors.push_back("Поле period: не задан период");
  int cm = static_cast<int>(d.comparison);
  if (cm < 1 || cm > 3) errors.push_back("Поле comparison: не задано сравнение с целевым значением");
  if (!std::isfinite(d.target_value) || d.target_value < 0) {
    errors.push_back("Поле target_value: неотрицательное число");
  }
  if (d.value_kind == ValueKind::kPercent && d.target_value > 100) {
    errors.push_back("Поле target_value: для процентов не больше 100");
  }
  if (d.value_kind == ValueKind::kBoolean && d.numerator.fact != Fact::kAttestation) {
    errors.push_back("Поле numerator.fact: показатель «да/нет» считается по отметке (MONITORING_FACT_ATTESTATION)");
  }
  if (d.numerator.fact == Fact::kAttestation && d.value_kind != ValueKind::kBoolean) {
    errors.push_back("Поле value_kind: отметка «да/нет» выражается как BOOLEAN");
  }
  if (d.source_clause.size() > 1000) errors.push_back("Поле source_clause: не длиннее 1000 байт");
  return errors;
}

DateRange PeriodRange(Period period, absl::CivilDay ref) {
  int64_t y = ref.year();
  int m = ref.month();
  switch (period) {
    case Period::kYear:
      return {absl::CivilDay(y, 1, 1), ref};
    case Period::kHalfYear:
      return {absl::CivilDay(y, m <= 6 ? 1 : 7, 1), ref};
    case Period::kQuarter:
      return {absl::CivilDay(y, ((m - 1) / 3) * 3 + 1, 1), ref};
    case Period::kCumulative:
    case Period::kUnspecified:
      break;
  }
  return {absl::CivilDay(1900, 1, 1), ref};
}

std::vector<Quarter> QuartersEnding(absl::CivilDay from, absl::CivilDay to) {
  std::vector<Quarter> out;
  if (to < from) return out;
  absl::CivilMonth m(from.year(), ((from.month() - 1) / 3) * 3 + 1);
  for (int guard = 0; guard < 400; ++guard, m += 3) {
    absl::CivilDay last = absl::CivilDay(m + 3) - 1;
    if (last > to) break;
    if (last >= from) out.push_back({static_cast<int>(m.year()), (m.month() - 1) / 3 + 1, last});
  }
  return out;
}

bool TargetReached(double value, double target, Comparison cmp) {
  constexpr double kEps = 1e-9;
  switch (cmp) {
    case Comparison::kGreaterOrEqual: return value + kEps >= target;
    case Comparison::kLessOrEqual: return value - kEps <= target;
    case Comparison::kEqual: return std::fabs(value - target) <= kEps;
    case Comparison::kUnspecified: break;
  }
  return false;
}

Evaluation Evaluate(const Definition& d, int64_t numerator, int64_t denominator,
                    std::optional<bool> attestation) {
  Evaluation e;
  if (d.value_kind == ValueKind::kBoolean) {
    e.denominator = 1;
    if (!attestation.has_value()) {
      e.status = Status::kNotApplicable;
      e.note = "нет отметки за период";
      return e;
    }
    e.numerator = *attestation ? 1 : 0;
    e.value = e.numerator;
    e.status = TargetReached(e.value, d.target_value, d.comparison) ? Status::kReached : Status::kNotReached;
    return e;
  }
  e.numerator = numerator;
  e.denominator = denominator;
  if (d.value_kind == ValueKind::kCount) {
    e.value = static_cast<double>(numerator);
  } else {
    if (denominator <= 0) {
      e.status = Status::kNotApplicable;
      e.note = "знаменатель равен 0";
      return e;
    }
    e.value = static_cast<double>(numerator) / static_cast<double>(denominator);
    if (d.value_kind == ValueKind::kPercent) e.value *= 100.0;
  }
  e.status = TargetReached(e.value, d.target_value, d.comparison) ? Status::kReached : Status::kNotReached;
  return e;
}

const char* ComparisonSign(Comparison c) {
  switch (c) {
    case Comparison::kGreaterOrEqual: return "≥";
    case Comparison::kLessOrEqual: return "≤";
    case Comparison::kEqual: return "=";
    default: return "?";
  }
}

const char* StatusTitle(Status s) {
  switch (s) {
    case Status::kReached: return "достигнуто";
    case Status::kNotReached: return "не достигнуто";
    default: return "не применимо";
  }
}

std::string FormatValue(double v, ValueKind kind) {
  char buf[64];
  switch (kind) {
    case ValueKind::kPercent: std::snprintf(buf, sizeof buf, "%.1f %%", v); break;
    case ValueKind::kRatio: std::snprintf(buf, sizeof buf, "%.1f", v); break;
    case ValueKind::kBoolean: return v >= 0.5 ? "да" : "нет";
    default: std::snprintf(buf, sizeof buf, "%.0f", v); break;
  }
  return buf;
}

// ---------------------------------------------------------------- presets

namespace {

Definition Def(absl::string_view code, int ordinal, absl::string_view title, Fact num, std::vector<int> num_types,
               Fact den, std::vector<int> den_types, ValueKind kind, Period period, double target, Comparison cmp,
               absl::string_view source, ScopeLevel level = ScopeLevel::kOrganization) {
  Definition d;
  d.code = std::string(code);
  d.ordinal = ordinal;
  d.title = std::string(title);
  d.numerator = {num, std::move(num_types)};
  d.denominator = {den, std::move(den_types)};
  d.value_kind = kind;
  d.period = period;
  d.target_value = target;
  d.comparison = cmp;
  d.source_clause = std::string(source);
  d.scope_level = level;
  return d;
}

constexpr auto kGe = Comparison::kGreaterOrEqual;
constexpr auto kLe = Comparison::kLessOrEqual;
constexpr auto kEq = Comparison::kEqual;
constexpr auto kPct = ValueKind::kPercent;

// Each preset follows its regulation's own list: order, wording, and the population each item
// names ("педагогические работники" = pedagogical workers only; "... и управленческие кадры" =
// with heads and deputies). Where an item states two targets, each is its own computed value.

std::vector<Definition> Moscow() {
  const char* src = "Положение о РС НМС Московской области, 2023, разд. VI, п. ";
  const std::vector<int> doo_oo = {kOrgKindergarten, kOrgSchool};
  std::vector<Definition> v;
  // §VI 1: a set of measures developed and implemented; documents yearly (yes/no).
  v.push_back(Def("МО-01", 1, "Разработан и реализуется комплекс мер по созданию и функционированию РС НМС",
                  Fact::kAttestation, {}, Fact::kConstantOne, {}, ValueKind::kBoolean, Period::kYear, 1, kEq,
                  absl::StrCat(src, "1"), ScopeLevel::kRegion));
  // §VI 2: a variable monitoring system developed and run yearly (yes/no).
  v.push_back(Def("МО-02", 2, "Разработана и реализуется вариативная система мониторинга эффективности РС НМС",
                  Fact::kAttestation, {}, Fact::kConstantOne, {}, ValueKind::kBoolean, Period::kYear, 1, kEq,
                  absl::StrCat(src, "2"), ScopeLevel::kRegion));
  // §VI 3: "не менее 60 % участников оценки показали высокий, повышенный, базовый уровень".
  v.push_back(Def("МО-03", 3,
                  "Доля педагогических работников и управленческих кадров, прошедших диагностику профессиональных "
                  "дефицитов (показавших высокий, повышенный, базовый уровень)",
                  Fact::kTeachersDiagnosedBasicOrAbove, {}, Fact::kTeachersDiagnosed, {}, kPct, Period::kYear, 60, kGe,
                  absl::StrCat(src, "3")));
  // §VI 4, first target: "не менее 30 % педагогов имеют разработанные ИОМ"; the item covers
  // ДОО and ОО only.
  v.push_back(Def("МО-04", 4,
                  "Доля педагогических работников и управленческих кадров ДОО и ОО, для которых разработаны ИОМ на "
                  "основе результатов диагностики профессиональных дефицитов",
                  Fact::kTeachersWithRoute, doo_oo, Fact::kTeachers, doo_oo, kPct, Period::kCumulative, 30, kGe,
                  absl::StrCat(src, "4")));
  // §VI 4, second target: "80 % педагогов успешно реализовали ИОМ" — of those with an ИОМ.
  v.push_back(Def("МО-04.2", 4, "Доля педагогов ДОО и ОО, успешно реализовавших ИОМ, от имеющих ИОМ",
                  Fact::kTeachersRouteCompleted, doo_oo, Fact::kTeachersWithRoute, doo_oo, kPct, Period::kCumulative, 80,
                  kGe, absl::StrCat(src, "4 (второе целевое значение)")));
  // §VI 5: "не менее 30 % от общего числа педагогов успешно сдали итоговую аттестацию".
  v.push_back(Def("МО-05", 5,
                  "Доля педагогических работников, освоивших программы ДПО, вошедшие в Федеральный реестр и подобранные "
                  "с учетом диагностики профессиональных компетенций",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kPedagogicalWorkers, {}, kPct,
                  Period::kCumulative, 30, kGe, absl::StrCat(src, "5")));
  // §VI 6: teams that took part; "не менее 40 % от общего количества управленческих команд".
  v.push_back(Def("МО-06", 6, "Количество управленческих команд, принявших участие в программах повышения квалификации",
                  Fact::kManagementTeamsTookPart, {}, Fact::kManagementTeams, {}, kPct, Period::kYear, 40, kGe,
                  absl::StrCat(src, "6"), ScopeLevel::kMunicipality));
  // §VI 7: pedagogical workers assigned to one regional methodist, "не более 250 человек".
  v.push_back(Def("МО-07", 7,
                  "Количество педагогических работников, закрепленных за 1 региональным методистом для осуществления "
                  "методического сопровождения",
                  Fact::kTeachersAssignedToRegionalMethodist, {}, Fact::kRegionalMethodists, {}, ValueKind::kRatio,
                  Period::kCumulative, 250, kLe, absl::StrCat(src, "7"), ScopeLevel::kMunicipality));
  // §VI 8: "не менее 70 % от числа педагогических работников в возрасте до 35 лет".
  v.push_back(Def("МО-08", 8,
                  "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки и "
                  "сопровождения в первые три года работы",
                  Fact::kYoungTeachersSupported, {}, Fact::kYoungTeachers, {}, kPct, Period::kCumulative, 70, kGe,
                  absl::StrCat(src, "8")));
  // §VI 9: "100 % от общего числа школ".
  v.push_back(Def("МО-09", 9, "Доля школ, реализующих целевую модель наставничества педагогических работников",
                  Fact::kOrganizationsWithMentoringProgramme, {kOrgSchool}, Fact::kOrganizations, {kOrgSchool}, kPct,
                  Period::kCumulative, 100, kGe, absl::StrCat(src, "9"), ScopeLevel::kMunicipality));
  // §VI 10: "ежегодно не менее 10 % от общего числа школ" — counted per year.
  v.push_back(Def("МО-10", 10,
                  "Доля школ, управленческие команды которых вовлечены в систему менторства (стажировочных и др. площадок)",
                  Fact::kOrganizationsInManagementMentoring, {kOrgSchool}, Fact::kOrganizations, {kOrgSchool}, kPct,
                  Period::kYear, 10, kGe, absl::StrCat(src, "10"), ScopeLevel::kMunicipality));
  v[2].description =
      "Числитель — участники оценки за год, чей последний итоговый результат не ниже базового; знаменатель — все "
      "участники оценки за год. Выборка 30 % (разд. VI) задаётся кампанией диагностики.";
  v[3].description = "Педагоги и руководители (заместители) ДОО и ОО с ИОМ по результатам диагностики (не черновик, не отменён).";
  v[4].description = "Из имеющих ИОМ по результатам диагностики (ДОО, ОО) — те, чей ИОМ завершён к отчётной дате.";
  v[5].description = "Числитель — педагоги, сдавшие итоговую аттестацию; знаменатель — все педагогические работники (без руководителей).";
  v[6].description =
      "Управленческая команда (руководитель и заместители) приняла участие, если хотя бы один её член проходил "
      "курс повышения квалификации в году (аттестация не требуется).";
  v[7].description = "Педагоги с действующим закреплением за региональным методистом на одного такого методиста.";
  v[8].description =
      "Когорта: моложе 35 лет и меньше трёх полных лет педагогического стажа на отчётную дату (настраивается "
      "регионом); поддержка — действующая мера поддержки, наставничество или ИОМ.";
  v[10].description = "Площадки и пары менторства, действовавшие в году.";
  for (auto& d : v) d.preset = Preset::kMoscowOblast;
  return v;
}

std::vector<Definition> Mordovia() {
  const char* src = "Положение о РС НМС Республики Мордовия, разд. 7, показатель ";
  // The Mordovia regulation (§7) sets no target values; the federal model's (Moscow Oblast regulation §VI) are the defaults and
  // the region sets its own. Monitoring "не реже одного раза в полугодие" (§7): flows count
  // over the half-year.
  const Period half = Period::kHalfYear;
  std::vector<Definition> v;
  v.push_back(Def("МОР-01", 1,
                  "Наличие и реализация комплекса мер (дорожной карты) по созданию и функционированию РС НМС",
                  Fact::kAttestation, {}, Fact::kConstantOne, {}, ValueKind::kBoolean, half, 1, kEq,
                  absl::StrCat(src, "1"), ScopeLevel::kRegion));
  v.push_back(Def("МОР-02", 2, "Наличие и реализация вариативной системы мониторинга эффективности РС НМС",
                  Fact::kAttestation, {}, Fact::kConstantOne, {}, ValueKind::kBoolean, half, 1, kEq,
                  absl::StrCat(src, "2"), ScopeLevel::kRegion));
  v.push_back(Def("МОР-03", 3,
                  "Доля педагогических работников и управленческих кадров, прошедших диагностику профессиональных "
                  "дефицитов в ГБУ РМ «ЦОКО – «Перспектива»",
                  Fact::kTeachersDiagnosed, {}, Fact::kTeachers, {}, kPct, half, 30, kGe, absl::StrCat(src, "3")));
  v.push_back(Def("МОР-04", 4,
                  "Доля педагогических работников и управленческих кадров, для которых разработаны ИОМ на основе "
                  "результатов диагностики профессиональных дефицитов в ГБУ РМ «ЦОКО – «Перспектива»",
                  Fact::kTeachersWithRoute, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30, kGe,
                  absl::StrCat(src, "4")));
  v.push_back(Def("МОР-05", 5,
                  "Доля педагогических работников, освоивших программы ДПО, вошедшие в Федеральный реестр и подобранные "
                  "с учетом диагностики профессиональных компетенций в ГБУ РМ «ЦОКО – «Перспектива»",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kPedagogicalWorkers, {}, kPct,
                  Period::kCumulative, 30, kGe, absl::StrCat(src, "5")));
  v.push_back(Def("МОР-06", 6,
                  "Доля управленческих команд образовательных организаций, специалистов ММС, принявших участие в "
                  "программах повышения квалификации",
                  Fact::kTeamsAndMmsSpecialistsTookPart, {}, Fact::kTeamsAndMmsSpecialists, {}, kPct, half, 40, kGe,
                  absl::StrCat(src, "6"), ScopeLevel::kMunicipality));
  v.push_back(Def("МОР-07", 7,
                  "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки и "
                  "сопровождения в первые 3 года работы",
                  Fact::kYoungTeachersSupported, {}, Fact::kYoungTeachers, {}, kPct, Period::kCumulative, 70, kGe,
                  absl::StrCat(src, "7")));
  v.push_back(Def("МОР-08", 8, "Доля школ, реализующих целевую модель наставничества педагогических работников",
                  Fact::kOrganizationsWithMentoringProgramme, {kOrgSchool}, Fact::kOrganizations, {kOrgSchool}, kPct,
                  Period::kCumulative, 100, kGe, absl::StrCat(src, "8"), ScopeLevel::kMunicipality));
  v.push_back(Def("МОР-09", 9,
                  "Количество педагогических работников, закрепленных за 1 региональным методистом для осуществления "
                  "методического сопровождения",
                  Fact::kTeachersAssignedToRegionalMethodist, {}, Fact::kRegionalMethodists, {}, ValueKind::kRatio,
                  Period::kCumulative, 250, kLe, absl::StrCat(src, "9"), ScopeLevel::kMunicipality));
  v[2].description = "Прошедшие диагностику за полугодие (итоговый результат, в т.ч. загруженный из ЦОКО) от всех педагогов и управленцев.";
  v[5].description =
      "Единица счёта — управленческая команда ОО, ДОО, СПО, ДО (одна на организацию) и каждый специалист ММС; "
      "участие — курс ПК, проходивший в полугодии.";
  v[5].denominator_note = "Знаменатель — управленческие команды образовательных организаций и специалисты ММС вместе.";
  for (auto& d : v) {
    d.preset = Preset::kMordovia;
    if (d.description.empty()) d.description = "Целевое значение положением не установлено; по умолчанию — значение федеральной модели.";
  }
  return v;
}

std::vector<Definition> Sakhalin() {
  const char* src = "Приказ министерства образования Сахалинской области, 2022, п. 6.3, показатель ";
  const std::vector<int> mentoring_types = {kOrgSchool, kOrgChildrenAdditional, kOrgCollege};
  std::vector<Definition> v;
  // 6.3 item 1: "не менее 50 % от общего числа педагогических работников, освоивших программы ДПО ФР".
  v.push_back(Def("САХ-1", 1,
                  "Доля педагогических работников, освоивших программы ДПО, вошедшие в Федеральный реестр и подобранные "
                  "с учетом диагностики профессиональных дефицитов в ЦНППМ",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kTeachersCompletedFrDpp, {}, kPct,
                  Period::kYear, 50, kGe, absl::StrCat(src, "1")));
  // 6.3 item 2: organisations that took part (heads and deputies) — "10 % от общего числа ОО".
  v.push_back(Def("САХ-2", 2,
                  "Доля образовательных организаций, принявших участие в программах повышения квалификации "
                  "управленческих команд (руководители и заместители руководителей)",
                  Fact::kManagementTeamsTookPart, {}, Fact::kOrganizations, {}, kPct, Period::kYear, 10, kGe,
                  absl::StrCat(src, "2"), ScopeLevel::kMunicipality));
  // 6.3 item 3: "не менее 5 % от общего числа образовательных организаций".
  v.push_back(Def("САХ-3", 3,
                  "Доля образовательных организаций, управленческие команды которых вовлечены в работу стажировочных "
                  "площадок",
                  Fact::kOrganizationsInInternshipPlatforms, {}, Fact::kOrganizations, {}, kPct, Period::kYear, 5, kGe,
                  absl::StrCat(src, "3"), ScopeLevel::kMunicipality));
  // 6.3 item 4: regional and municipal associations only; "не менее 30 % от общего числа".
  v.push_back(Def("САХ-4", 4,
                  "Доля педагогических работников и управленческих кадров, включенных в деятельность региональных и "
                  "муниципальных методических объединений, профессиональных сообществ и клубов, в том числе сетевых",
                  Fact::kTeachersInCommunities, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30, kGe,
                  absl::StrCat(src, "4")));
  // 6.3 item 5: "не менее 2 % от общего числа педагогических работников и управленческих кадров".
  v.push_back(Def("САХ-5", 5,
                  "Доля педагогических работников и управленческих кадров образовательных организаций, вовлеченных в "
                  "экспертную деятельность",
                  Fact::kTeachersInExpertActivity, {}, Fact::kTeachers, {}, kPct, Period::kYear, 2, kGe,
                  absl::StrCat(src, "5")));
  // 6.3 item 6: schools, children's additional education and vocational organisations — 100 %.
  Definition d6 = Def("САХ-6", 6,
                      "Доля общеобразовательных организаций, образовательных организаций дополнительного образования "
                      "детей и профессиональных образовательных организаций, реализующих целевую модель наставничества",
                      Fact::kOrganizationsWithMentoringProgramme, mentoring_types, Fact::kOrganizations, mentoring_types,
                      kPct, Period::kCumulative, 100, kGe, absl::StrCat(src, "6"), ScopeLevel::kMunicipality);
  d6.denominator_note =
      "Источник пишет «от общего количества образовательных организаций»; знаменатель — организации тех же трёх "
      "типов (ОО, ДО детей, СПО), иначе 100 % недостижимы при наличии ДОО";
  v.push_back(d6);
  // 6.3 item 7: "100 % от общего количества сотрудников".
  v.push_back(Def("САХ-7", 7, "Доля сотрудников ЦНППМ, прошедших обучение на базе Федерального оператора",
                  Fact::kCnppmStaffFederallyTrained, {}, Fact::kCnppmStaff, {}, kPct, Period::kCumulative, 100, kGe,
                  absl::StrCat(src, "7"), ScopeLevel::kRegion));
  // 6.3 item 8: regional-level events, "не менее 4-х ежегодно".
  v.push_back(Def("САХ-8", 8, "Количество проведенных мероприятий регионального уровня в рамках функционирования РСНМС СО",
                  Fact::kRegionalEvents, {}, Fact::kConstantOne, {}, ValueKind::kCount, Period::kYear, 4, kGe,
                  absl::StrCat(src, "8"), ScopeLevel::kRegion));
  for (auto& d : v) d.preset = Preset::kSakhalin;
  return v;
}

std::vector<Definition> Municipal() {
  const char* src = "Приказ о муниципальной системе НМС Сургутского района, 2021, п. ";
  // The Surgut district order (§6.1) sets no target values; the federal model's are the defaults.
  std::vector<Definition> v;
  v.push_back(Def("МУН-6.1.1", 1,
                  "Доля педагогических работников и управленческих кадров, прошедших диагностику профессиональных "
                  "дефицитов в ЦНППМПР",
                  Fact::kTeachersDiagnosed, {}, Fact::kTeachers, {}, kPct, Period::kYear, 30, kGe,
                  absl::StrCat(src, "6.1.1"), ScopeLevel::kOrganization));
  v.push_back(Def("МУН-6.1.2", 2,
                  "Доля педагогических работников и управленческих кадров, для которых разработаны ИОМ на основе "
                  "результатов диагностики профессиональных дефицитов в ЦНППМПР",
                  Fact::kTeachersWithRoute, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30, kGe,
                  absl::StrCat(src, "6.1.2"), ScopeLevel::kOrganization));
  v.push_back(Def("МУН-6.1.3", 3,
                  "Доля педагогических работников, освоивших программы ДПО, вошедшие в ФР ДПП и подобранные с учетом "
                  "диагностики профессиональных дефицитов в ЦНППМПР",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kPedagogicalWorkers, {}, kPct,
                  Period::kCumulative, 30, kGe, absl::StrCat(src, "6.1.3"), ScopeLevel::kOrganization));
  v.push_back(Def("МУН-6.1.4", 4,
                  "Доля управленческих команд образовательных организаций, повысивших свою квалификацию по вопросам "
                  "эффективности управления качеством образования",
                  Fact::kManagementTeamsTrainedQualityManagement, {}, Fact::kManagementTeams, {}, kPct, Period::kYear, 40,
                  kGe, absl::StrCat(src, "6.1.4"), ScopeLevel::kMunicipality));
  v.push_back(Def("МУН-6.1.5", 5,
                  "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки и "
                  "сопровождения в первые 3 года работы",
                  Fact::kYoungTeachersSupported, {}, Fact::kYoungTeachers, {}, kPct, Period::kCumulative, 70, kGe,
                  absl::StrCat(src, "6.1.5"), ScopeLevel::kOrganization));
  for (auto& d : v) d.preset = Preset::kMunicipal;
  return v;
}

}  // namespace

const std::vector<PresetInfo>& Presets() {
  static const auto* presets = new std::vector<PresetInfo>{
      {Preset::kMoscowOblast, "Московская область (10 показателей)",
       "Положение о региональной системе научно-методического сопровождения педагогических работников и "
       "управленческих кадров Московской области, 2023, разд. VI",
       Moscow(), Period::kYear},
      {Preset::kMordovia, "Республика Мордовия (9 показателей)",
       "Положение о региональной системе научно-методического сопровождения, Республика Мордовия", Mordovia(),
       Period::kHalfYear},
      {Preset::kSakhalin, "Сахалинская область (8 дополнительных показателей)",
       "Приказ министерства образования Сахалинской области, 2022", Sakhalin(), Period::kYear},
      {Preset::kMunicipal, "Муниципальный уровень (показатели 6.1.1–6.1.5)",
       "Приказ о муниципальной системе научно-методического сопровождения, Сургутский район, 2021", Municipal(), Period::kYear},
  };
  return *presets;
}

const PresetInfo* FindPreset(Preset preset) {
  for (const auto& p : Presets()) {
    if (p.preset == preset) return &p;
  }
  return nullptr;
}

}  // namespace nms::monitoring
