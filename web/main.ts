// The page's one script (bundled to /app.js): progressive enhancement of the server-rendered pages.
import { startOfflineFeatures } from './offline/start-offline-features.ts';
import { startPageFeatures } from './pages/start-page-features.ts';

startOfflineFeatures();
startPageFeatures();
