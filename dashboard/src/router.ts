import { createRouter, createWebHistory, type RouteRecordRaw, type RouterHistory } from 'vue-router';
import { useAuthStore } from './stores/auth';
import LoginView from './views/auth/LoginView.vue';
import NotFoundView from './views/errors/NotFoundView.vue';
import LineLiveView from './views/line/LineLiveView.vue';
import PlantOverviewView from './views/plant/PlantOverviewView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in; rendered without the app chrome. */
    public?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/', name: 'overview', component: PlantOverviewView },
  { path: '/lines/:lineKey', name: 'line', component: LineLiveView, props: true },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView },
];

/** Only same-app paths are followed after login (no `//evil.example`). */
export function safeRedirect(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null;
}

export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  const router = createRouter({ history, routes });

  router.beforeEach((to) => {
    const signedIn = useAuthStore().checkExpiry();
    if (to.meta.public) return signedIn && to.name === 'login' ? { name: 'overview' } : true;
    if (!signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    return true;
  });

  return router;
}
