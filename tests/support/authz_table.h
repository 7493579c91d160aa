#pragma once
// The authorisation matrix table (tests/integration/authz_matrix.txt): parsing, placeholder
// expansion against a target place, object creation through the API, and the expected outcome of
// a row for a caller, computed from the access policy itself. Shared by the matrix test, the
// fuzzer (whose mutations start from the table's valid requests) and the SQL-injection test.

#include <grpcpp/grpcpp.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/domain/access/policy.h"
#include "tests/support/api_surface.h"
#include "tests/support/security_world.h"

namespace nms::testing {

enum class Level { kPerson, kOrganization, kMunicipality, kRegion, kAny, kNone };

struct MatrixRow {
  int line = 0;
  std::string method;             // "Service/Method"
  std::string action_name;        // policy action name, "public" or "self"
  std::optional<access::Action> action;
  Level level = Level::kNone;
  std::string request;            // text format with placeholders
  std::vector<std::string> rules;
  bool HasRule(const std::string& r) const;
  // An `outside=<field path>` rule: the field may name something outside the caller's scope.
  bool MayNameOutside(const std::string& field_path) const;
  // A `per-record=<field path>` rule: a batch call decides the field record by record.
  bool DecidedPerRecord(const std::string& field_path) const { return HasRule("per-record=" + field_path); }
  // An `ignored=<field path>` rule: the call does not read the field (outside its update_mask).
  bool Ignores(const std::string& field_path) const { return HasRule("ignored=" + field_path); }
  // `selector=<field>` rules: fields that choose what is asked for as a name would (an inbox
  // kind); an invalid request leaves them alone.
  std::set<std::string> Selectors() const;
};

struct ObjectSpec {
  int line = 0;
  std::string name, method, request, path;
  // Who creates it: "admin" (the region's regional admin), "methodist" (its regional
  // methodist), "person" (the target person), "peer" (the target's colleague).
  std::string as = "admin";
};

struct MatrixTable {
  std::vector<MatrixRow> rows;
  std::map<std::string, ObjectSpec> objects;
  const MatrixRow* Find(const std::string& method) const;
};

absl::StatusOr<MatrixTable> LoadMatrixTable(const std::string& path);
std::string DefaultMatrixPath();

// One string field of a message: the (field, index) steps from the root, index -1 for a
// singular field.
struct FieldAt {
  std::vector<std::pair<const google::protobuf::FieldDescriptor*, int>> steps;
  std::string Path() const;   // "records.person": the field, as the table's rules name it
  std::string Label() const;  // "records[0].person": this occurrence, for messages
};

// Every string field of `m` (repeated and nested included) whose value names a resource
// ("people/5", "routes/3/items/4", a filter that refers to "regions/1"), found by walking the
// message's descriptor, so a field added to a request later is probed without a test change.
std::vector<FieldAt> ResourceNameFields(const google::protobuf::Message& m);
// The field paths of a request type that name resources by what the API documents of them: string
// fields (nested and repeated ones included) whose comment shows a name ("people/{id}"), except
// those documented output only, a created resource's own name (the server assigns it) and
// filters (probed by the filter test). The matrix's template of the method must fill each.
std::vector<std::string> DocumentedNameFields(const google::protobuf::Descriptor* request);
std::string ValueAt(const google::protobuf::Message& m, const FieldAt& at);
// `value` with every id swapped for one that does not exist ("people/5" -> "people/999999901").
std::string GhostOf(const std::string& value);
void SetValueAt(google::protobuf::Message* m, const FieldAt& at, const std::string& value);

// Makes a request wrong in everything but the resources it names, so that only who asks can
// refuse it before its content: a negative page_size, enum values outside their enums, an unknown
// update_mask path, impossible dates and over-long texts (resource names, filters, page tokens and
// request ids are left alone). Returns how many fields were spoiled.
// `keep` names top-level fields left alone (a row's selector= fields).
int SpoilAllButNames(google::protobuf::Message* m, const std::set<std::string>& keep = {});

// Placeholders used by a template, e.g. {"person", "training_completion"}.
std::vector<std::string> Placeholders(const std::string& text);

// What the access policy says about a row for a caller and a target place.
bool PolicyAllows(const MatrixRow& row, const RoleCase& caller, const Place& target);

// Whether some grant of the caller reaches the whole region and may do the row's action: such
// callers may learn that a target does not exist (NOT_FOUND); nobody else may.
bool RegionWideFor(const MatrixRow& row, const access::Principal& p);

// Expands rows and objects against places over a live server. Objects are created through the
// API by the target region's admin (or the target person) and remembered per place.
class MatrixDriver {
 public:
  MatrixDriver(const MatrixTable& table, const SecurityWorld& world, std::shared_ptr<grpc::Channel> channel);

  // Bearer token of a login (signed in once; password Passw0rd!).
  std::string Token(const std::string& login);
  void ForgetToken(const std::string& login) { tokens_.erase(login); }

  enum class Outcome { kOk, kUnimplemented, kFailed };
  struct Expansion {
    Outcome outcome = Outcome::kOk;
    std::string text;     // the request text when kOk
    std::string problem;  // what failed (object creation, parse) otherwise
  };
  // Expands `text` for `place`. `fresh` creates the directly referenced objects anew.
  Expansion Expand(const std::string& text, const Place& place, bool fresh = false);
  // The same, with every name pointing at something that does not exist.
  Expansion ExpandGhost(const std::string& text, const Place& like);

  // Creates every object of the table for every place of the world, so rows that consume
  // objects cannot disturb the others. Returns the problems (empty when all went well).
  std::vector<std::string> PrepareObjects();

  // Builds the request of `row` for `place` (nullptr + problem when it cannot).
  std::unique_ptr<google::protobuf::Message> Request(const MatrixRow& row, const Place& place, bool ghost,
                                                     Expansion* how);

  grpc::Channel& channel() { return *channel_; }

 private:
  std::string Value(const std::string& key, const Place& place);
  std::string KeyOf(const std::string& text, const Place& place);
  Expansion Resolve(const std::string& object, const Place& place, bool fresh);

  const MatrixTable& table_;
  const SecurityWorld& world_;
  std::shared_ptr<grpc::Channel> channel_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, Expansion> objects_;  // by the creator request as expanded (KeyOf)
  int64_t uniq_ = 0;
};

}  // namespace nms::testing
