// Whether the browser is online, and when that changes.

export function isOnline(): boolean {
  return navigator.onLine;
}

/** Hears the browser going offline (false) and back online (true). */
export function onConnectivityChange(listener: (online: boolean) => void): () => void {
  const online = () => listener(true);
  const offline = () => listener(false);
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
}
