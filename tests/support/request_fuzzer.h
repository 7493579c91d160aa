#pragma once
// Seeded, reproducible generation of hostile requests for any message type, by protobuf
// reflection: random and boundary values in every field kind (huge, empty and invalid-UTF-8
// strings, SQL metacharacters, resource names that are almost right, extreme numbers, unknown
// enum values, impossible dates, oversized repeated fields), mutations of a valid request, and
// garbage bytes as the whole message. Case `i` of seed `s` is always the same bytes, so a finding
// is replayed by its seed and index alone.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "tests/support/api_surface.h"

namespace nms::testing {

struct FuzzCase {
  std::string bytes;        // what goes on the wire
  std::string strategy;     // how it was made, for reports
  bool parses = true;       // whether the bytes parse as the request type (else gRPC refuses them)
};

class RequestFuzzer {
 public:
  // `names` are valid resource names of the fixture; mixing them in gets past name validation
  // into the handlers' deeper paths.
  RequestFuzzer(uint64_t seed, std::vector<std::string> names);

  // The `index`-th case for `m`. `base` (may be null) is a valid request to mutate.
  FuzzCase Make(const RpcMethod& m, const google::protobuf::Message* base, uint64_t index) const;

  // Hostile strings of every kind above, for tests that push each through every string field.
  static const std::vector<std::string>& HostileStrings();
  // Byte strings that are not UTF-8 (proto3 `string` fields refuse them; `bytes` fields do not).
  static const std::vector<std::string>& InvalidUtf8Strings();
  // Strings that would change data if they were ever spliced into SQL.
  static const std::vector<std::string>& SqlInjectionStrings();

  // Fills every string field (recursively, including repeated ones with one element) with
  // `value`, returning how many fields were set.
  static int FillStrings(google::protobuf::Message* m, const std::string& value, int depth = 0);

 private:
  void FillRandom(google::protobuf::Message* m, std::mt19937_64& rng, int depth) const;
  void SetField(google::protobuf::Message* m, const google::protobuf::FieldDescriptor* f,
                std::mt19937_64& rng, int depth) const;
  void MutateOne(google::protobuf::Message* m, std::mt19937_64& rng, int depth) const;
  std::string RandomString(std::mt19937_64& rng) const;
  static std::string Garbage(std::mt19937_64& rng);

  uint64_t seed_;
  std::vector<std::string> names_;
};

}  // namespace nms::testing
