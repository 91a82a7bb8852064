import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteLocationRaw,
  type RouteRecordRaw,
  type Router,
  type RouterHistory,
} from 'vue-router';
import { roleAtLeast, type Role } from '@floorboard/shared';
import { useAuthStore } from './stores/auth';
import LoginView from './views/auth/LoginView.vue';
import ForbiddenView from './views/errors/ForbiddenView.vue';
import NotFoundView from './views/errors/NotFoundView.vue';
import LineLiveView from './views/line/LineLiveView.vue';
import PlantOverviewView from './views/plant/PlantOverviewView.vue';
import WallView from './views/wall/WallView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in; rendered without the app chrome. */
    public?: boolean;
    /** The lowest role that may open the route; lower roles get the "not allowed" page without an API call. */
    minRole?: Role;
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/', name: 'overview', component: PlantOverviewView },
  { path: '/lines/:lineKey', name: 'line', component: LineLiveView, props: true },
  // `?token=<display token>` signs a wall screen in; `?kiosk` hides the chrome.
  { path: '/wall', name: 'wall', component: WallView, meta: { minRole: 'viewer' } },
  {
    path: '/audit',
    name: 'audit',
    component: () => import('./views/admin/AuditLogView.vue'),
    meta: { minRole: 'manager' },
  },
  {
    path: '/andon-rules',
    name: 'andon-rules',
    component: () => import('./views/admin/AndonRulesView.vue'),
    meta: { minRole: 'manager' },
  },
  {
    path: '/reasons',
    name: 'reasons',
    component: () => import('./views/admin/ReasonsView.vue'),
    meta: { minRole: 'manager' },
  },
  { path: '/users', name: 'users', component: () => import('./views/admin/UsersView.vue'), meta: { minRole: 'admin' } },
  {
    path: '/display-tokens',
    name: 'display-tokens',
    component: () => import('./views/admin/DisplayTokensView.vue'),
    meta: { minRole: 'admin' },
  },
  {
    path: '/ingest-tokens',
    name: 'ingest-tokens',
    component: () => import('./views/admin/IngestTokensView.vue'),
    meta: { minRole: 'admin' },
  },
  {
    path: '/gateways',
    name: 'gateways',
    component: () => import('./views/admin/GatewaysView.vue'),
    meta: { minRole: 'admin' },
  },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView },
  // Only reached by name from the guard, so the address bar keeps the page that was refused.
  { path: '/:pathMatch(.*)*', name: 'forbidden', component: ForbiddenView },
];

/** True when `role` may open a route that needs `minRole` (no role: signed out). */
export function mayOpen(role: Role | undefined, minRole: Role | undefined): boolean {
  return role !== undefined && roleAtLeast(role, minRole ?? 'viewer');
}

/** True when the signed-in role may open the named route (navigation links use this). */
export function mayOpenRoute(router: Router, name: string, role: Role | undefined): boolean {
  return router.hasRoute(name) && mayOpen(role, router.resolve({ name }).meta.minRole);
}

/**
 * The wall takes a display token from its link: the tab becomes that wall screen, and the token leaves the
 * address bar (the redirect replaces the history entry) but stays in localStorage for reloads. Without a
 * token the wall uses the display token stored earlier, shows its revoked state, or falls back to the
 * person's session. Answers undefined to continue with the normal checks.
 */
function enterWall(to: RouteLocationNormalized): RouteLocationRaw | true | undefined {
  const auth = useAuthStore();
  const token = to.query.token;
  if (typeof token === 'string' && token !== '') {
    auth.enterDisplay(token);
    const query = { ...to.query };
    delete query.token;
    return { path: to.path, query, hash: to.hash, replace: true };
  }
  if (auth.resumeDisplay()) return true;
  if (auth.displayRevoked && !auth.isAuthenticated) return true;
  return undefined;
}

/** Only same-app paths are followed after login (no `//evil.example`). */
export function safeRedirect(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null;
}

export function createAppRouter(history: RouterHistory = createWebHistory(import.meta.env.BASE_URL)) {
  const router = createRouter({ history, routes });

  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    if (to.name === 'wall') {
      const wall = enterWall(to);
      if (wall !== undefined) return wall;
    }
    const signedIn = await auth.ensureFresh();
    if (to.meta.public) return signedIn && to.name === 'login' ? { name: 'overview' } : true;
    if (!signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (!mayOpen(auth.user?.role, to.meta.minRole)) {
      return { name: 'forbidden', params: { pathMatch: to.path.slice(1).split('/') }, query: to.query, hash: to.hash };
    }
    return true;
  });

  return router;
}
