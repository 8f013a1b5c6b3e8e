// Saved's "Kept automatically": the offline policy in words, what it holds on this device now (count and size) and
// the next article it lets go, with why. Hidden by the server (the policy lives in this browser); shown once read,
// and read again whenever an article comes or goes or the settings change.
import { byId } from '../dom.ts';
import { capabilities } from '../offline/capabilities.ts';
import { getSettings, offlinePolicyStatus, onOfflineChange, onOfflineRemoved, onSettingsChange } from '../sw-bridge.ts';
import { heldWords, nextToGoWords, policyWords } from './offline-policy-words.ts';

let pending: ReturnType<typeof setTimeout> | null = null;

async function render(): Promise<void> {
  const [settings, status] = await Promise.all([getSettings(), offlinePolicyStatus()]);
  const text = (id: string, words: string) => {
    const target = byId(id);
    if (target) target.textContent = words;
  };
  text('policy-rules', policyWords(settings));
  text('policy-held', heldWords(status));
  text('policy-next', status.held > 0 ? nextToGoWords(status) : '');
  const section = byId('offline-policy');
  if (section) section.hidden = false;
}

/** Many changes come at once (a refresh adds ten articles): one reading after they settle. */
function renderSoon(): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = null;
    render().catch((error: unknown) => console.error('Offline Reader: the offline policy could not be read', error));
  }, 200);
}

export async function showOfflinePolicy(): Promise<void> {
  if (!capabilities().serviceWorker) return;
  await render();
  onOfflineChange(renderSoon);
  onOfflineRemoved(renderSoon);
  onSettingsChange(renderSoon);
}
