#include "upstream_call.h"

#include <mutex>
#include <unordered_set>

#include "absl/strings/match.h"

namespace nms::proxy {
namespace {

std::mutex g_registry_mu;
std::unordered_set<UpstreamCall*> g_registry;  // calls between Start and OnDone

// Moves the string into the slice instead of copying it (request bodies can be megabytes).
grpc::ByteBuffer ToByteBuffer(std::string bytes) {
  auto* owned = new std::string(std::move(bytes));
  grpc::Slice slice(owned->data(), owned->size(),
                    [](void* p) { delete static_cast<std::string*>(p); }, owned);
  return grpc::ByteBuffer(&slice, 1);
}

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

}  // namespace

Metadata ToHttpHeaders(const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  Metadata out;
  for (const auto& [k, v] : metadata) {
    std::string key(k.data(), k.size());
    if (!IsForwardableMetadataKey(key)) continue;
    std::string value(v.data(), v.size());
    if (absl::EndsWith(key, "-bin")) {
      value = Base64Encode(value);
    } else if (!IsValidAsciiMetadataValue(value)) {
      continue;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

UpstreamCall::UpstreamCall(std::vector<std::string> messages,
                           std::shared_ptr<UpstreamObserver> observer)
    : observer_(std::move(observer)) {
  requests_.reserve(messages.size());
  for (auto& m : messages) requests_.push_back(ToByteBuffer(std::move(m)));
}

UpstreamCall::~UpstreamCall() = default;

std::shared_ptr<UpstreamCall> UpstreamCall::Start(grpc::GenericStub& stub,
                                                  UpstreamRequest request,
                                                  std::shared_ptr<UpstreamObserver> observer) {
  std::shared_ptr<UpstreamCall> call(
      new UpstreamCall(std::move(request.messages), std::move(observer)));
  call->self_ = call;
  for (const auto& [k, v] : request.metadata) call->context_.AddMetadata(k, v);
  if (request.timeout) {
    call->context_.set_deadline(std::chrono::system_clock::now() + *request.timeout);
  }
  {
    std::lock_guard<std::mutex> lock(g_registry_mu);
    g_registry.insert(call.get());
  }
  stub.PrepareBidiStreamingCall(&call->context_, request.method, grpc::StubOptions(), call.get());
  // One hold for the read flow: after each message the next StartRead comes from the
  // observer's thread (ResumeReading), outside any reaction.
  call->AddHold();
  call->StartCall();
  call->WriteNext();
  return call;
}

void UpstreamCall::WriteNext() {
  if (next_request_ == requests_.size()) {
    StartWritesDone();
    return;
  }
  const grpc::ByteBuffer* msg = &requests_[next_request_++];
  if (next_request_ == requests_.size()) {
    StartWriteLast(msg, grpc::WriteOptions());
  } else {
    StartWrite(msg);
  }
}

void UpstreamCall::OnWriteDone(bool ok) {
  // A failed write means the call is over; OnDone reports why. Otherwise continue, the last
  // write already carried the half-close.
  if (ok && next_request_ < requests_.size()) WriteNext();
}

void UpstreamCall::OnReadInitialMetadataDone(bool ok) {
  if (ok) observer_->OnUpstreamHeaders(ToHttpHeaders(context_.GetServerInitialMetadata()));
  // Reading only after the headers keeps the observer's event order simple.
  StartRead(&response_);
}

void UpstreamCall::OnReadDone(bool ok) {
  if (!ok) {
    RemoveHold();  // no more reads: OnDone may now run
    return;
  }
  observer_->OnUpstreamMessage(ToString(response_));
}

void UpstreamCall::ResumeReading() { StartRead(&response_); }

void UpstreamCall::Cancel() { context_.TryCancel(); }

void UpstreamCall::OnDone(const grpc::Status& status) {
  Metadata trailers = ToHttpHeaders(context_.GetServerTrailingMetadata());
  if (!status.error_details().empty()) {
    trailers.emplace_back("grpc-status-details-bin", Base64Encode(status.error_details()));
  }
  std::shared_ptr<UpstreamObserver> observer = std::move(observer_);
  observer->OnUpstreamDone(status, std::move(trailers));
  {
    std::lock_guard<std::mutex> lock(g_registry_mu);
    g_registry.erase(this);
  }
  self_.reset();  // may delete this
}

void UpstreamCall::CancelAll() {
  std::lock_guard<std::mutex> lock(g_registry_mu);
  for (auto* call : g_registry) call->context_.TryCancel();
}

size_t UpstreamCall::ActiveCount() {
  std::lock_guard<std::mutex> lock(g_registry_mu);
  return g_registry.size();
}

}  // namespace nms::proxy
