import { onScopeDispose, readonly, ref, type Ref } from 'vue';

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/**
 * The current time (epoch ms), updated once a second. All callers share one timer, so every tile on a
 * wall screen ticks at the same moment; the timer stops when the last caller's scope is disposed.
 */
export function useNow(): Readonly<Ref<number>> {
  now.value = Date.now();
  users += 1;
  if (timer === null) timer = setInterval(() => (now.value = Date.now()), 1000);
  onScopeDispose(() => {
    users -= 1;
    if (users === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  });
  return readonly(now);
}
