// The settings page's "Clear offline data": the first press says how many articles it removes, the second removes
// every kept article, queued request and cached page and image from this device (settings stay).
import { byId, errorText, say } from '../dom.ts';
import { clearOfflineData, listOffline } from '../sw-bridge.ts';

export function offerClearOfflineData(): void {
  const button = byId<HTMLButtonElement>('clear-offline-data');
  const clearStatus = byId('clear-status');
  if (!button) return;
  let armed = false;
  button.disabled = false;
  button.addEventListener('click', async () => {
    if (!armed) {
      const count = (await listOffline()).length;
      armed = true;
      button.textContent = 'Yes, clear offline data';
      say(
        clearStatus,
        `This removes ${count} ${count === 1 ? 'article' : 'articles'} from this device. Press again to confirm.`,
      );
      return;
    }
    armed = false;
    button.disabled = true;
    try {
      await clearOfflineData();
      say(clearStatus, 'Offline data cleared. Articles stay readable online.', 'ok');
    } catch (error) {
      say(clearStatus, `Could not clear offline data: ${errorText(error)}`, 'error');
    } finally {
      button.disabled = false;
      button.textContent = 'Clear offline data';
    }
  });
}
