// Last known copies of server messages, for screens opened without a network. Stored as the
// proto3 JSON of the message, read back through its generated schema.
import { fromJson, toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { JsonValue } from "@bufbuild/protobuf";
import { CACHE, get, put } from "./db";

interface Entry {
  json: JsonValue;
  savedAt: number;
}

export async function remember<D extends DescMessage>(schema: D, key: string, msg: MessageShape<D>): Promise<void> {
  try {
    await put(CACHE, key, { json: toJson(schema, msg), savedAt: Date.now() } satisfies Entry);
  } catch {
    // A full or unavailable store only costs the offline copy.
  }
}

export async function recall<D extends DescMessage>(schema: D, key: string): Promise<{ msg: MessageShape<D>; savedAt: number } | null> {
  try {
    const e = await get<Entry>(CACHE, key);
    return e ? { msg: fromJson(schema, e.json), savedAt: e.savedAt } : null;
  } catch {
    return null;
  }
}

/**
 * Loads fresh data and remembers it; without a network, falls back to the remembered copy
 * (stale = true). Other errors are thrown.
 */
export async function fresh<D extends DescMessage>(
  schema: D,
  key: string,
  load: () => Promise<MessageShape<D>>,
  isNetworkError: (e: unknown) => boolean,
): Promise<{ msg: MessageShape<D>; stale: boolean; savedAt: number }> {
  try {
    const msg = await load();
    await remember(schema, key, msg);
    return { msg, stale: false, savedAt: Date.now() };
  } catch (e) {
    if (!isNetworkError(e)) throw e;
    const hit = await recall(schema, key);
    if (!hit) throw e;
    return { ...hit, stale: true };
  }
}
