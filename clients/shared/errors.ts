// Readable Russian texts of failed calls, one vocabulary for both browser clients.
//
// @connectrpc/connect resolves from the importing client's node_modules (vite `resolve.dedupe`,
// tsconfig `paths`).
import { Code, ConnectError } from "@connectrpc/connect";

const codeText: Partial<Record<Code, string>> = {
  [Code.InvalidArgument]: "Неверные данные",
  [Code.NotFound]: "Не найдено",
  [Code.AlreadyExists]: "Уже существует",
  [Code.PermissionDenied]: "Нет доступа",
  [Code.Unauthenticated]: "Требуется вход",
  [Code.FailedPrecondition]: "Действие сейчас невозможно",
  [Code.Aborted]: "Данные изменились, обновите экран",
  [Code.ResourceExhausted]: "Слишком большой запрос",
  [Code.Unavailable]: "Сервер недоступен, попробуйте позже",
  [Code.DeadlineExceeded]: "Сервер не ответил вовремя",
  [Code.Internal]: "Внутренняя ошибка сервера",
};

/** True when the request never reached the server: the browser is offline or the fetch failed. */
function unreachable(err: ConnectError): boolean {
  if (typeof navigator !== "undefined" && !navigator.onLine) return true;
  return err.code === Code.Unknown && /fetch|network|load failed|terminated/i.test(err.rawMessage);
}

/** True when the failure says nothing about the request itself: no network, proxy or server down. */
export function isNetworkError(e: unknown): boolean {
  const err = ConnectError.from(e);
  return unreachable(err) || err.code === Code.Unavailable || err.code === Code.DeadlineExceeded;
}

export function isUnimplemented(e: unknown): boolean {
  return ConnectError.from(e).code === Code.Unimplemented;
}

/** A message a person understands: the server's Russian message, prefixed by the kind of failure. */
export function errorText(e: unknown): string {
  const err = ConnectError.from(e);
  if (unreachable(err)) return "Нет связи с сервером. Проверьте подключение к интернету и повторите.";
  if (err.code === Code.Unimplemented) return "Этот раздел ещё не подключён на сервере: служба пока не отвечает.";
  const prefix = codeText[err.code] ?? "Ошибка";
  const msg = err.rawMessage?.trim();
  if (err.code === Code.Unknown && !msg) return "Не удалось связаться с сервером.";
  return msg ? `${prefix}: ${msg}` : prefix;
}
