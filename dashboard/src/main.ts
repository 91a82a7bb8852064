import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { configureApiClient } from './api/client';
import { i18n, t } from './locales/i18n';
import { applyInitialLocale } from './locales/locale-choice';
import { LiveConnection } from './realtime/live-connection';
import { LIVE_CONNECTION_KEY } from './realtime/use-live-lines';
import { createAppRouter } from './router';
import { useAlertsStore } from './stores/alerts';
import { SESSION_STORAGE_KEY, useAuthStore } from './stores/auth';
import { useLiveStore } from './stores/live';
import { usePlantCalendarStore } from './stores/plant-calendar';
import './styles/main.css';

applyInitialLocale();
document.title = t('app.name');

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
const router = createAppRouter();
const auth = useAuthStore(pinia);

configureApiClient({
  getToken: () => auth.token,
  refresh: () => auth.refresh(),
  onUnauthorized: () => auth.endSession(),
});

const connection = new LiveConnection({
  live: useLiveStore(pinia),
  alerts: useAlertsStore(pinia),
  getToken: () => auth.token,
  renewToken: () => auth.refresh(),
  onUnauthorized: () => auth.endSession(),
});
app.provide(LIVE_CONNECTION_KEY, connection);

// A new person or screen gets a fresh connection; a renewed token re-authenticates the running one.
watch(
  () => [auth.sessionKey, auth.token] as const,
  ([key, token], previous) => {
    if (previous && key === previous[0]) {
      if (token) connection.reauthenticate();
      return;
    }
    connection.stop();
    if (token) connection.start();
  },
  { immediate: true },
);

// The session ended (signed out here or in another tab, expired, revoked): leave the pages that need it. A
// wall screen stays on the wall, which then says its access was revoked.
watch(
  () => auth.isAuthenticated,
  (signedIn) => {
    const current = router.currentRoute.value;
    if (signedIn || current.meta.public || (current.name === 'wall' && auth.isDisplay)) return;
    const query = auth.lastEnd === 'logout' || current.fullPath === '/' ? {} : { redirect: current.fullPath };
    void router.replace({ name: 'login', query });
  },
);

// Another tab signed out, renewed the session or signed in as someone else.
window.addEventListener('storage', (event) => {
  if (event.storageArea !== localStorage || (event.key !== SESSION_STORAGE_KEY && event.key !== null)) return;
  // Someone else now: the current page may not be theirs to see, so the guards run again.
  if (auth.syncFromStorage() !== 'switched') return;
  const { path, query, hash } = router.currentRoute.value;
  void router.replace({ path, query, hash, force: true });
});

// A wall screen shows its token's name in the header (when not in kiosk mode).
watch(
  () => auth.sessionKey,
  () => {
    if (auth.isDisplay) void auth.loadDisplayName().catch(() => undefined);
  },
  { immediate: true },
);

// Times are shown in the plant's timezone once its calendar is known (until then in the browser's); a failed
// load is tried again with the next session.
const plantCalendar = usePlantCalendarStore(pinia);
watch(
  () => auth.sessionKey,
  () => {
    if (auth.token) void plantCalendar.load().catch(() => undefined);
  },
  { immediate: true },
);

app.use(router);
void router.isReady().then(() => app.mount('#app'));
