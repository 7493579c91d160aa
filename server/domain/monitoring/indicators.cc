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
      if (t < 1 || t > 8) {
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

std::vector<Definition> Moscow() {
  const char* src = "Положение о РС НМС Московской области, 2023, разд. VI, п. ";
  std::vector<Definition> v;
  // Seed 000 §VI item 1: set of measures developed and implemented (yes/no, yearly documents).
  v.push_back(Def("МО-01", 1, "Комплекс мер по созданию и развитию РС НМС разработан и реализуется", Fact::kAttestation, {},
                  Fact::kConstantOne, {}, ValueKind::kBoolean, Period::kYear, 1, kEq, absl::StrCat(src, "1"),
                  ScopeLevel::kRegion));
  // Seed 000 §VI item 2: monitoring system developed and run yearly (yes/no).
  v.push_back(Def("МО-02", 2, "Система мониторинга РС НМС разработана и проводится ежегодно", Fact::kAttestation, {},
                  Fact::kConstantOne, {}, ValueKind::kBoolean, Period::kYear, 1, kEq, absl::StrCat(src, "2"),
                  ScopeLevel::kRegion));
  // Seed 000 §VI item 3: of the diagnosed, ≥ 60 % at высокий/повышенный/базовый level.
  v.push_back(Def("МО-03", 3,
                  "Доля педагогов и управленцев, прошедших диагностику профессиональных дефицитов, с уровнем не ниже базового",
                  Fact::kTeachersDiagnosedBasicOrAbove, {}, Fact::kTeachersDiagnosed, {}, kPct, Period::kYear, 60, kGe,
                  absl::StrCat(src, "3")));
  // Seed 000 §VI item 4: ≥ 30 % have an ИОМ built from diagnostics results.
  v.push_back(Def("МО-04", 4, "Доля педагогов и управленцев с ИОМ, построенным по результатам диагностики",
                  Fact::kTeachersWithRoute, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30, kGe,
                  absl::StrCat(src, "4")));
  // Seed 000 §VI item 5: ≥ 30 % of all teachers passed the final attestation of ФР ДПП programmes
  // chosen according to diagnostics.
  v.push_back(Def("МО-05", 5,
                  "Доля педагогов, прошедших обучение по программам ФР ДПП, выбранным по результатам диагностики",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30,
                  kGe, absl::StrCat(src, "5")));
  // Seed 000 §VI item 6: ≥ 40 % of management teams took part in further training.
  v.push_back(Def("МО-06", 6, "Доля управленческих команд, прошедших обучение по программам повышения квалификации",
                  Fact::kManagementTeamsTrained, {}, Fact::kManagementTeams, {}, kPct, Period::kYear, 40, kGe,
                  absl::StrCat(src, "6"), ScopeLevel::kMunicipality));
  // Seed 000 §VI item 7: teachers per regional methodist ≤ 250.
  v.push_back(Def("МО-07", 7, "Количество педагогов на одного регионального методиста", Fact::kTeachers, {},
                  Fact::kRegionalMethodists, {}, ValueKind::kRatio, Period::kCumulative, 250, kLe,
                  absl::StrCat(src, "7"), ScopeLevel::kMunicipality));
  // Seed 000 §VI item 8: ≥ 70 % of teachers under 35 in their first three years are supported.
  v.push_back(Def("МО-08", 8,
                  "Доля педагогов в возрасте до 35 лет, вовлечённых в различные формы поддержки в первые три года работы",
                  Fact::kYoungTeachersSupported, {}, Fact::kYoungTeachers, {}, kPct, Period::kCumulative, 70, kGe,
                  absl::StrCat(src, "8")));
  // Seed 000 §VI item 9: 100 % of schools implement the target mentoring model.
  v.push_back(Def("МО-09", 9, "Доля общеобразовательных организаций, реализующих целевую модель наставничества",
                  Fact::kOrganizationsWithMentoringProgramme, {kOrgSchool}, Fact::kOrganizations, {kOrgSchool}, kPct,
                  Period::kCumulative, 100, kGe, absl::StrCat(src, "9"), ScopeLevel::kMunicipality));
  // Seed 000 §VI item 10: ≥ 10 % of schools whose management teams are in the mentoring system.
  v.push_back(Def("МО-10", 10,
                  "Доля школ, управленческие команды которых вовлечены в систему наставничества (менторства, стажировочные площадки)",
                  Fact::kOrganizationsInManagementMentoring, {kOrgSchool}, Fact::kOrganizations, {kOrgSchool}, kPct,
                  Period::kCumulative, 10, kGe, absl::StrCat(src, "10"), ScopeLevel::kMunicipality));
  v[2].description =
      "Числитель — педагоги, у которых последний итоговый результат диагностики за период не ниже базового; "
      "знаменатель — прошедшие диагностику. Выборка 30 % (разд. VI) задаётся кампанией диагностики.";
  v[3].description =
      "Вторая часть цели (80 % из них успешно завершили ИОМ) считается фактом TEACHERS_ROUTE_COMPLETED и может "
      "быть добавлена региональным показателем.";
  v[6].description = "Педагоги и управленцы на одного регионального методиста с действующими закреплениями.";
  v[7].description =
      "Когорта: моложе 35 лет и меньше трёх полных лет педагогического стажа на отчётную дату (настраивается "
      "регионом); поддержка — действующая мера поддержки или наставничество.";
  for (auto& d : v) d.preset = Preset::kMoscowOblast;
  return v;
}

std::vector<Definition> Mordovia() {
  // Seed 003: the Moscow list without #10; #6 also counts municipal methodological services.
  std::vector<Definition> v = Moscow();
  v.pop_back();
  for (auto& d : v) {
    d.preset = Preset::kMordovia;
    d.code = absl::StrCat("МОР-", d.code.substr(d.code.size() - 2));
    d.source_clause = absl::StrCat("Положение о РС НМС Республики Мордовия, разд. 7, показатель ", d.ordinal);
  }
  // Seed 003 indicator 6: management teams of schools, kindergartens, colleges, additional
  // education AND the specialists of municipal methodological services.
  std::vector<int> with_mms = {kOrgSchool, kOrgKindergarten, kOrgCollege, kOrgAdditional, kOrgMunicipalService};
  v[5].title = "Доля управленческих команд и специалистов муниципальных методических служб, прошедших обучение";
  v[5].numerator.organization_types = with_mms;
  v[5].denominator.organization_types = with_mms;
  return v;
}

std::vector<Definition> Sakhalin() {
  const char* src = "Приказ Министерства образования Сахалинской области, 2022, разд. 6.3, доп. показатель ";
  std::vector<Definition> v;
  // Seed 004 additional 1: of all ФР ДПП completers, ≥ 50 % chose the programme from diagnostics.
  v.push_back(Def("САХ-1", 1, "Доля педагогов, освоивших программы ФР ДПП по результатам диагностики в ЦНППМ, от всех освоивших программы ФР ДПП",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kTeachersCompletedFrDpp, {}, kPct,
                  Period::kYear, 50, kGe, absl::StrCat(src, "1")));
  // Seed 004 additional 2: ≥ 10 % of organisations whose management teams took further training.
  v.push_back(Def("САХ-2", 2, "Доля организаций, управленческие команды которых прошли повышение квалификации",
                  Fact::kManagementTeamsTrained, {}, Fact::kOrganizations, {}, kPct, Period::kYear, 10, kGe,
                  absl::StrCat(src, "2"), ScopeLevel::kMunicipality));
  // Seed 004 additional 3: ≥ 5 % of organisations whose management teams work in internship platforms.
  v.push_back(Def("САХ-3", 3, "Доля организаций, управленческие команды которых работают в стажировочных площадках",
                  Fact::kOrganizationsInInternshipPlatforms, {}, Fact::kOrganizations, {}, kPct, Period::kCumulative, 5,
                  kGe, absl::StrCat(src, "3"), ScopeLevel::kMunicipality));
  // Seed 004 additional 4: ≥ 30 % in methodological associations, communities, clubs (incl. networked).
  v.push_back(Def("САХ-4", 4, "Доля педагогов и управленцев — участников методических объединений, профессиональных сообществ и клубов",
                  Fact::kTeachersInCommunities, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30, kGe,
                  absl::StrCat(src, "4")));
  // Seed 004 additional 5: ≥ 2 % involved in expert activity.
  v.push_back(Def("САХ-5", 5, "Доля педагогов и управленцев, вовлечённых в экспертную деятельность",
                  Fact::kTeachersInExpertActivity, {}, Fact::kTeachers, {}, kPct, Period::kYear, 2, kGe,
                  absl::StrCat(src, "5")));
  // Seed 004 additional 6: schools, further-education and vocational organisations with the target
  // mentoring model — 100 %; the source divides by ALL organisations (kept, stated in the note).
  Definition d6 = Def("САХ-6", 6, "Доля школ, организаций доп. образования и СПО, реализующих целевую модель наставничества",
                      Fact::kOrganizationsWithMentoringProgramme, {kOrgSchool, kOrgAdditional, kOrgCollege},
                      Fact::kOrganizations, {}, kPct, Period::kCumulative, 100, kGe, absl::StrCat(src, "6"),
                      ScopeLevel::kMunicipality);
  d6.denominator_note =
      "Знаменатель — все образовательные организации (включая ДОО), как в источнике; числитель — только ОО, ДО и СПО";
  v.push_back(d6);
  // Seed 004 additional 7: 100 % of ЦНППМ staff trained by the federal operator.
  v.push_back(Def("САХ-7", 7, "Доля сотрудников ЦНППМ, прошедших обучение у федерального оператора",
                  Fact::kCnppmStaffFederallyTrained, {}, Fact::kCnppmStaff, {}, kPct, Period::kCumulative, 100, kGe,
                  absl::StrCat(src, "7"), ScopeLevel::kRegion));
  // Seed 004 additional 8: ≥ 4 regional-level events a year.
  v.push_back(Def("САХ-8", 8, "Количество мероприятий региональной системы научно-методического сопровождения",
                  Fact::kRegionalEvents, {}, Fact::kConstantOne, {}, ValueKind::kCount, Period::kYear, 4, kGe,
                  absl::StrCat(src, "8"), ScopeLevel::kRegion));
  for (auto& d : v) d.preset = Preset::kSakhalin;
  return v;
}

std::vector<Definition> Municipal() {
  const char* src = "Приказ о муниципальной системе НМС Сургутского района, 2021, п. ";
  std::vector<Definition> v;
  // Seed 002 6.1.1: share of teachers diagnosed in ЦНППМПР (target set by the municipality; 30 % as the sample).
  v.push_back(Def("МУН-6.1.1", 1, "Доля педагогов, прошедших диагностику профессиональных дефицитов в ЦНППМПР",
                  Fact::kTeachersDiagnosed, {}, Fact::kTeachers, {}, kPct, Period::kYear, 30, kGe,
                  absl::StrCat(src, "6.1.1"), ScopeLevel::kOrganization));
  // Seed 002 6.1.2: share with an ИОМ built from diagnostics.
  v.push_back(Def("МУН-6.1.2", 2, "Доля педагогов с ИОМ, построенным по результатам диагностики", Fact::kTeachersWithRoute,
                  {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30, kGe, absl::StrCat(src, "6.1.2"),
                  ScopeLevel::kOrganization));
  // Seed 002 6.1.3: share who completed ФР ДПП programmes chosen from diagnostics.
  v.push_back(Def("МУН-6.1.3", 3, "Доля педагогов, освоивших программы ФР ДПП, выбранные по результатам диагностики",
                  Fact::kTeachersCompletedFrDppFromDiagnostics, {}, Fact::kTeachers, {}, kPct, Period::kCumulative, 30,
                  kGe, absl::StrCat(src, "6.1.3"), ScopeLevel::kOrganization));
  // Seed 002 6.1.4: share of management teams trained in quality management of education.
  v.push_back(Def("МУН-6.1.4", 4, "Доля управленческих команд, прошедших обучение по управлению качеством образования",
                  Fact::kManagementTeamsTrainedQualityManagement, {}, Fact::kManagementTeams, {}, kPct, Period::kYear, 40,
                  kGe, absl::StrCat(src, "6.1.4"), ScopeLevel::kMunicipality));
  // Seed 002 6.1.5: share of under-35 teachers in support in their first three years.
  v.push_back(Def("МУН-6.1.5", 5, "Доля педагогов в возрасте до 35 лет, вовлечённых в формы поддержки в первые три года работы",
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
       Moscow()},
      {Preset::kMordovia, "Республика Мордовия (9 показателей)",
       "Положение о региональной системе научно-методического сопровождения, Республика Мордовия", Mordovia()},
      {Preset::kSakhalin, "Сахалинская область (8 дополнительных показателей)",
       "Приказ министерства образования Сахалинской области, 2022", Sakhalin()},
      {Preset::kMunicipal, "Муниципальный уровень (показатели 6.1.1–6.1.5)",
       "Приказ о муниципальной системе научно-методического сопровождения, Сургутский район, 2021", Municipal()},
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
