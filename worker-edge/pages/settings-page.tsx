// GET /settings: notifications, background refresh, how much to keep offline, installing the app, this device's log
// of background activity, and clearing offline data. These are the browser's own settings for this site, so the
// server sends the form disabled and the client module enables it once it has read the current values.
import { JsNote } from '../../markup/js-note.tsx';
import { ReaderDocument } from '../../markup/reader-document.tsx';

const INTERVAL_HOURS = [12, 24, 48];
const KEEP_COUNTS = [0, 10, 20, 50];

export function SettingsPage() {
  return (
    <ReaderDocument title="Settings" current="settings" page="settings">
      <div class="page-head">
        <h1>Settings</h1>
        <p class="page-intro">For this browser on this device.</p>
      </div>
      <JsNote>These settings need JavaScript, which is off or has not loaded; the reader works without them.</JsNote>
      <form id="settings-form" class="panel settings" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Notifications and background refresh</h2>
        <fieldset id="settings-fields" disabled>
          <legend class="visually-hidden">Notifications and background refresh</legend>
          <div class="setting">
            <input
              type="checkbox"
              id="setting-notifications"
              name="notifications"
              aria-describedby="notifications-help"
            />
            <label for="setting-notifications">Notify me when saved articles are ready</label>
            <p id="notifications-help" class="help">
              The browser asks for permission when you turn this on.
            </p>
          </div>
          <div class="setting">
            <input
              type="checkbox"
              id="setting-notify-new"
              name="notifyNewArticles"
              aria-describedby="notify-new-help"
            />
            <label for="setting-notify-new">Notify me about new articles after a background refresh</label>
            <p id="notify-new-help" class="help">
              At most one notification per refresh.
            </p>
          </div>
          <div class="setting">
            <input
              type="checkbox"
              id="setting-background"
              name="backgroundRefresh"
              aria-describedby="background-help"
            />
            <label for="setting-background">Refresh the newest articles in the background</label>
            <p id="background-help" class="help">
              The browser chooses the moment (usually on Wi-Fi and power), no more often than the interval below.
            </p>
          </div>
          <div class="setting setting-select">
            <label for="setting-interval">Background refresh at most every</label>
            <select id="setting-interval" name="refreshIntervalHours">
              {INTERVAL_HOURS.map((hours) => (
                <option value={String(hours)}>{`${hours} hours`}</option>
              ))}
            </select>
          </div>
          <div class="setting setting-select">
            <label for="setting-keep">Newest articles to keep offline</label>
            <select id="setting-keep" name="keepNewest">
              {KEEP_COUNTS.map((count) => (
                <option value={String(count)}>{count === 0 ? 'None' : String(count)}</option>
              ))}
            </select>
          </div>
        </fieldset>
        <p id="settings-status" class="form-status" role="status"></p>
        <ul id="capability-notes" class="capability-notes"></ul>
      </form>
      <section class="panel" aria-labelledby="install-heading">
        <h2 id="install-heading">Install the app</h2>
        <p id="install-help">
          Installed, the reader opens in its own window, works offline from the home screen, and can refresh in the
          background. In Chrome or Edge, use “Install” in the address bar or menu; on iPhone and iPad, open the Share
          menu in Safari and choose “Add to Home Screen”.
        </p>
        <button type="button" id="install-app-settings" hidden>
          Install Offline Reader
        </button>
      </section>
      <section class="panel" aria-labelledby="activity-heading">
        <h2 id="activity-heading">Background activity on this device</h2>
        <p id="activity-empty" class="empty-state">
          No background activity recorded yet.
        </p>
        <table id="activity-log" class="activity" hidden>
          <caption class="visually-hidden">Background syncs and refreshes, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Fetched</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </section>
      <section class="panel" aria-labelledby="clear-heading">
        <h2 id="clear-heading">Offline data</h2>
        <p>Removes every saved article, picture and waiting request from this device. Your sources are not affected.</p>
        <button type="button" id="clear-offline-data" class="danger-button" disabled>
          Clear offline data
        </button>
        <p id="clear-status" class="form-status" role="status"></p>
      </section>
    </ReaderDocument>
  );
}
