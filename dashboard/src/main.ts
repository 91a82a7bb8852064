import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import App from './App.vue';
import { configureApiClient } from './api/client';
import { t } from './locales/i18n';
import { LiveConnection } from './realtime/live-connection';
import { LIVE_CONNECTION_KEY } from './realtime/use-live-lines';
import { createAppRouter } from './router';
import { useAuthStore } from './stores/auth';
import { useLiveStore } from './stores/live';
import './styles/main.css';

document.title = t('app.name');

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const router = createAppRouter();
const auth = useAuthStore(pinia);

/** The server no longer accepts the token: sign out and come back here after the next login. */
function endSession(): void {
  auth.logout();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.replace({ name: 'login', query: { redirect: current.fullPath } });
}

configureApiClient({ getToken: () => auth.token, onUnauthorized: endSession });

const connection = new LiveConnection({
  live: useLiveStore(pinia),
  getToken: () => auth.token,
  onUnauthorized: endSession,
});
app.provide(LIVE_CONNECTION_KEY, connection);
watch(
  () => auth.token,
  (token) => {
    connection.stop();
    if (token) connection.start();
  },
  { immediate: true },
);

app.use(router);
void router.isReady().then(() => app.mount('#app'));
