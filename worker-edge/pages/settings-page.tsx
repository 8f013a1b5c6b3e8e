// GET /settings: notifications, background refresh, the offline policy (what to keep offline automatically),
// installing the app, this device's log of background activity, and clearing offline data. These are the browser's
// own settings for this site, which the server cannot know: it sends the parts that need them hidden (and the form
// disabled), and the client module shows them once it has read the current values. Without JavaScript the page says
// so and shows no control with a value it does not have.
import { JsNote } from './js-note.tsx';
import { ReaderDocument } from './reader-document.tsx';

const INTERVAL_HOURS = [12, 24, 48];
const KEEP_COUNTS = [0, 10, 20, 50];
const KEEP_DAYS = [0, 1, 3, 7, 14, 30];
const BUDGETS_MB = [25, 50, 100, 250];

const dayWords = (days: number) => (days === 0 ? 'Any age' : days === 1 ? 'The last day' : `The last ${days} days`);

export function SettingsPage() {
  return (
    <ReaderDocument title="Settings" current="settings" page="settings">
      <div class="page-head">
        <h1>Settings</h1>
        <p class="page-intro">For this browser on this device.</p>
      </div>
      <JsNote>
        These settings need JavaScript, which is off or has not loaded: they are kept by this browser, so the server
        cannot show or change them. The reader works without them; nothing is downloaded for offline reading.
      </JsNote>
      <form id="settings-form" class="panel settings" aria-labelledby="settings-heading" hidden>
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
            <label for="setting-background">Refresh in the background, with the reader closed</label>
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
          <fieldset class="policy" aria-describedby="policy-help">
            <legend>Keep offline automatically</legend>
            <p id="policy-help" class="help">
              Refreshes download the newest articles you have not read, within these limits, and let go of the rest.
              Articles you save yourself are never counted or removed.
            </p>
            <div class="setting setting-select">
              <label for="setting-keep">Newest articles to keep offline</label>
              <select id="setting-keep" name="keepNewest">
                {KEEP_COUNTS.map((count) => (
                  <option value={String(count)}>{count === 0 ? 'None' : `${count} unread`}</option>
                ))}
              </select>
            </div>
            <div class="setting setting-select">
              <label for="setting-days">Published</label>
              <select id="setting-days" name="keepDays">
                {KEEP_DAYS.map((days) => (
                  <option value={String(days)}>{dayWords(days)}</option>
                ))}
              </select>
            </div>
            <div class="setting setting-select">
              <label for="setting-budget">Space they may take</label>
              <select id="setting-budget" name="budgetMb">
                {BUDGETS_MB.map((mb) => (
                  <option value={String(mb)}>{`${mb} MB`}</option>
                ))}
              </select>
            </div>
            <div class="setting">
              <input type="checkbox" id="setting-unmetered" name="unmeteredOnly" aria-describedby="unmetered-help" />
              <label for="setting-unmetered">Download only on Wi-Fi or other unmetered connections</label>
              <p id="unmetered-help" class="help"></p>
            </div>
          </fieldset>
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
      <section id="activity-section" class="panel" aria-labelledby="activity-heading" hidden>
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
      <section id="clear-section" class="panel" aria-labelledby="clear-heading" hidden>
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
