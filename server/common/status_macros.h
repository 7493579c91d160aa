#pragma once
// Early-return helpers for absl::Status / absl::StatusOr, the error currency of every layer.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define NMS_CONCAT_INNER_(a, b) a##b
#define NMS_CONCAT_(a, b) NMS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status _nms_status = (expr);             \
    if (!_nms_status.ok()) return _nms_status;       \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(NMS_CONCAT_(_nms_statusor_, __LINE__), lhs, expr)
