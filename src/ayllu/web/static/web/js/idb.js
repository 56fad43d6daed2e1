// One object store of this browser's IndexedDB, opened for one transaction at a time.
//
// The device keys (device-key.js, "ayllu-device-keys") and the draw secrets (draw.js,
// "ayllu-draw-secrets") each live in a store of their own; both open it, run one request in one
// transaction, wait for the transaction to complete (a written key or secret is on disk before the
// act that needs it is sent) and close it again.

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// A store named `store` in the database `dbName`, keyed by `keyPath`. When the browser has no
// IndexedDB, or refuses to open it, `unavailable()` is thrown: each caller says it in its own words.
export function objectStore({ dbName, store, keyPath, unavailable }) {
  function open() {
    if (!("indexedDB" in globalThis)) return Promise.reject(unavailable());
    const opening = indexedDB.open(dbName, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(store, { keyPath });
    return request(opening).catch(() => {
      throw unavailable();
    });
  }

  // Run `action(objectStore)` (which returns one IDBRequest) in a `mode` transaction; its result.
  return async function withStore(mode, action) {
    const db = await open();
    try {
      const tx = db.transaction(store, mode);
      const done = new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
      const [result] = await Promise.all([request(action(tx.objectStore(store))), done]);
      return result;
    } finally {
      db.close();
    }
  };
}
