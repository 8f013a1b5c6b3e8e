// Installing the app: where the browser offers `beforeinstallprompt` (Chromium), an Install button in the header and
// in Settings; elsewhere Settings keeps its written instructions (on iOS: Share → Add to Home Screen).
import { byId } from '../dom.ts';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const BUTTON_IDS = ['install-app', 'install-app-settings'];

export function offerInstall(): void {
  const buttons = BUTTON_IDS.map((id) => byId<HTMLButtonElement>(id)).filter((b): b is HTMLButtonElement => b !== null);
  let deferred: InstallPromptEvent | null = null;
  const show = (visible: boolean) => {
    for (const button of buttons) button.hidden = !visible;
  };
  window.addEventListener('beforeinstallprompt', (event) => {
    // Keep the browser's own mini-infobar quiet: the reader asks from our button when they want to.
    event.preventDefault();
    deferred = event as InstallPromptEvent;
    show(true);
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    show(false);
  });
  for (const button of buttons) {
    button.addEventListener('click', async () => {
      if (!deferred) return;
      // A prompt can be shown once; the browser fires beforeinstallprompt again if the reader may still install.
      const prompt = deferred;
      deferred = null;
      show(false);
      await prompt.prompt();
    });
  }
}
