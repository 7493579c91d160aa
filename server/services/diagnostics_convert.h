#pragma once
// nms.v1 diagnostics messages <-> the pure diagnostics domain (scoring, instruments, answers).

#include <map>
#include <string>
#include <vector>

#include "nms/v1/diagnostics.pb.h"
#include "server/domain/diagnostics/instrument.h"
#include "server/domain/diagnostics/item_scoring.h"
#include "server/domain/diagnostics/scoring.h"

namespace nms::services {

diagnostics::Framework FrameworkFromProto(const nms::v1::CompetencyFramework& f);
diagnostics::ItemDef ItemFromProto(const nms::v1::InstrumentItem& item);
diagnostics::InstrumentDef InstrumentFromProto(const nms::v1::Instrument& i);
diagnostics::Answer AnswerFromProto(const nms::v1::ItemAnswer& a);
std::map<std::string, diagnostics::Answer> AnswersFromProto(const std::map<std::string, nms::v1::ItemAnswer>& answers);

// Writes the profile (overall, areas, indicators, deficits) into `out`, replacing its lists.
void FillProfile(const diagnostics::Profile& p, nms::v1::DiagnosticResult* out);
// The profile stored in a result (levels and deficits as recorded).
diagnostics::Profile ProfileFromResult(const nms::v1::DiagnosticResult& r);

// What a teacher taking the instrument sees: no correct flags, no accepted answers.
void StripAnswerKey(nms::v1::Instrument* i);

// Framework areas in presentation order.
std::vector<int> AreaOrder(const nms::v1::CompetencyFramework& f);

}  // namespace nms::services
