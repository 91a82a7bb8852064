// The benchmark page imports the dashboard's component and stylesheet; Vite compiles them, tsc only needs to
// know they exist.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<Record<string, unknown>>;
  export default component;
}
declare module '*.css';
