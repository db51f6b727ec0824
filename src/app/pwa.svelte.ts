/** Service worker state: "ready to work offline" once, "new version: reload" when one waits; never reloads alone. */
import { registerSW } from 'virtual:pwa-register';

/** How long "Ready to work offline" stays: a passing status, not something to dismiss. */
const OFFLINE_NOTICE_MS = 5000;

class PwaState {
  offlineReady = $state(false);
  needRefresh = $state(false);
  private updateSW: ((reloadPage?: boolean) => Promise<void>) | null = null;

  /** Registers the service worker (production builds only; the dev server has none). */
  start(): void {
    if (this.updateSW || !('serviceWorker' in navigator)) return;
    this.updateSW = registerSW({
      onOfflineReady: () => {
        this.offlineReady = true;
        setTimeout(() => (this.offlineReady = false), OFFLINE_NOTICE_MS);
      },
      onNeedRefresh: () => (this.needRefresh = true),
    });
  }

  /** Activates the waiting version and reloads, at the user's request only. */
  reload(): void {
    void this.updateSW?.(true);
  }

  /** Hides the messages. */
  dismiss(): void {
    this.offlineReady = false;
    this.needRefresh = false;
  }
}

/** The app's one service-worker state. */
export const pwa = new PwaState();
