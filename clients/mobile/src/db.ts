// The app's durable storage on the phone (IndexedDB, database "nms-mobile"):
//   queue — answers and other writes waiting to be sent, in the order given (auto-increment key);
//   cache — last known copies of server data (JSON of the messages) for offline starts.
// Everything is dropped on sign-out: a shared phone must not keep another teacher's data.

const DB_NAME = "nms-mobile";
const DB_VERSION = 1;
export const QUEUE = "queue";
export const CACHE = "cache";

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "seq", autoIncrement: true });
      if (!db.objectStoreNames.contains(CACHE)) db.createObjectStore(CACHE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await open()).transaction(name, mode).objectStore(name);
}

export async function add<T extends object>(name: string, value: T): Promise<number> {
  return Number(await done((await store(name, "readwrite")).add(value)));
}

export async function all<T>(name: string): Promise<T[]> {
  return (await done((await store(name, "readonly")).getAll())) as T[];
}

export async function remove(name: string, key: IDBValidKey): Promise<void> {
  await done((await store(name, "readwrite")).delete(key));
}

export async function put(name: string, key: IDBValidKey, value: unknown): Promise<void> {
  await done((await store(name, "readwrite")).put(value, key));
}

/** Replaces a record of a store with in-line keys (the queue: keyed by its `seq`). */
export async function update<T extends object>(name: string, value: T): Promise<void> {
  await done((await store(name, "readwrite")).put(value));
}

export async function get<T>(name: string, key: IDBValidKey): Promise<T | undefined> {
  return (await done((await store(name, "readonly")).get(key))) as T | undefined;
}

export async function clearAll(): Promise<void> {
  const db = await open();
  const tx = db.transaction([QUEUE, CACHE], "readwrite");
  tx.objectStore(QUEUE).clear();
  tx.objectStore(CACHE).clear();
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
