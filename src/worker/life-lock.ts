/**
 * A worker's life lock: a Web Lock named after the worker (the page names each worker uniquely), held from the
 * worker's start until it is gone. The page queues for the lock and so learns at once of any death, even one that
 * fires no event (closed, out of memory), and whatever keeps the worker's thread busy (a fit takes tens of
 * seconds, so pings could not tell busy from dead). Resolves true once the lock is held; false where Web Locks
 * are missing or the worker has no name.
 */
export function holdLifeLock(): Promise<boolean> {
  if (!('locks' in navigator) || !self.name) return Promise.resolve(false);
  return new Promise((resolve) => {
    void navigator.locks.request(self.name, () => {
      resolve(true);
      return new Promise<never>(() => {});
    });
  });
}
