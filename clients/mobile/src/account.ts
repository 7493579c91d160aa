// Signing out on a phone that may be shared: the server session ends and everything this
// teacher left on the device (queue, cached data, seen notifications) is forgotten.
import { signOut } from "./api";
import { clearAll } from "./db";

let after: () => void = () => {};
export function setAfterSignOut(f: () => void): void {
  after = f;
}

export async function signOutEverywhere(): Promise<void> {
  await signOut();
  await clearAll().catch(() => {});
  for (const k of Object.keys(localStorage)) if (k.startsWith("nms.m.")) localStorage.removeItem(k);
  after();
}
