import { effectScope, watch, type Directive, type EffectScope } from 'vue';
import { useNow } from '../composables/use-now';
import { formatDuration } from '../lib/format';
import { currentLocale } from '../locales/i18n';

/**
 * `v-elapsed="since"`: the element's text is the time since `since` (epoch ms), kept current on the shared
 * one-second clock. The clock writes the texts straight into the DOM instead of re-rendering a component per
 * text: on a wall of 144 stations that per-second re-render was most of the script work while nothing happened.
 * The language is followed too (its duration units).
 *
 * A tick's writes are spread over TICK_FRAMES animation frames: the layout and paint they cause grow with the
 * number of changed texts, and 144 of them in one frame made that frame a long task every second. A few frames
 * (some 50 ms) between the first and the last tile's tick are not seen on a wall.
 */
export const TICK_FRAMES = 4;

const shown = new Map<HTMLElement, number>();
let scope: EffectScope | null = null;
let pendingFrame: number | null = null;

function write(element: HTMLElement, since: number, now: number): void {
  const text = formatDuration(now - since);
  // Unchanged text (a long duration shown in minutes): no DOM write, no relayout.
  if (element.textContent !== text) element.textContent = text;
}

function writeAll(now: number): void {
  if (pendingFrame !== null) cancelAnimationFrame(pendingFrame);
  pendingFrame = null;
  const elements = [...shown.keys()];
  const perFrame = Math.ceil(elements.length / TICK_FRAMES);
  const writeFrom = (start: number) => {
    pendingFrame = null;
    for (const element of elements.slice(start, start + perFrame)) {
      // Unmounted meanwhile: skipped.
      const since = shown.get(element);
      if (since !== undefined) write(element, since, now);
    }
    if (start + perFrame < elements.length) pendingFrame = requestAnimationFrame(() => writeFrom(start + perFrame));
  };
  // Without animation frames (a test environment) every text at once.
  if (typeof requestAnimationFrame === 'undefined')
    elements.forEach((element) => write(element, shown.get(element)!, now));
  else writeFrom(0);
}

function start(): void {
  scope = effectScope(true);
  scope.run(() => {
    const now = useNow();
    watch([now, currentLocale], ([at]) => writeAll(at));
  });
}

export const vElapsed: Directive<HTMLElement, number> = {
  mounted(element, { value }) {
    shown.set(element, value);
    if (!scope) start();
    write(element, value, Date.now());
  },
  updated(element, { value, oldValue }) {
    if (value === oldValue) return;
    shown.set(element, value);
    write(element, value, Date.now());
  },
  unmounted(element) {
    shown.delete(element);
    if (shown.size === 0) {
      scope?.stop();
      scope = null;
      if (pendingFrame !== null) cancelAnimationFrame(pendingFrame);
      pendingFrame = null;
    }
  },
};
