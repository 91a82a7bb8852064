import { computed, onBeforeUnmount, onMounted, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { init, type ChartOption, type EChartsType } from '../components/charts/echarts-setup';
import { chartTheme, readChartPalette, type ChartPalette } from '../lib/chart-theme';

export interface UseEChartOptions {
  /** Defaults to canvas; jsdom tests pass 'svg' (after registering the SVG renderer). */
  renderer?: 'canvas' | 'svg';
  /** Fixed size, for environments without layout (jsdom). */
  width?: number;
  height?: number;
  /** Called once a setOption has been drawn completely (ECharts' `finished`). */
  onRendered?: (chart: EChartsType) => void;
}

/** What an option is drawn from besides the component's own data. */
export interface ChartContext {
  palette: ChartPalette;
  /** The element's width in CSS pixels (0 before it is mounted). */
  width: number;
}

export interface UseEChart {
  chart: ShallowRef<EChartsType | null>;
  /** The palette the chart is drawn with; changes when the page's theme does. */
  palette: ShallowRef<ChartPalette>;
  /** The element's width in CSS pixels (0 before mounting), updated on every resize. */
  width: ShallowRef<number>;
}

/**
 * One ECharts instance on `target` for the life of the component: drawn from `option` (a getter of the palette
 * and the width, re-run when its reactive inputs change; null draws nothing), resized whenever the element's box
 * changes (ResizeObserver, at most once per animation frame), re-themed when the page's colours change (the root
 * element's class/style/data-theme, or the OS colour scheme), and disposed on unmount.
 */
export function useEChart(
  target: Ref<HTMLElement | null>,
  option: (context: ChartContext) => ChartOption | null,
  options: UseEChartOptions = {},
): UseEChart {
  const chart = shallowRef<EChartsType | null>(null);
  const palette = shallowRef<ChartPalette>(readChartPalette());
  const width = shallowRef(0);
  let resizeObserver: ResizeObserver | null = null;
  let themeObserver: MutationObserver | null = null;
  let colorScheme: MediaQueryList | null = null;
  let frame: number | null = null;

  // Computed once per change of its inputs (the timeline's downsampling is not free), drawn by `draw`.
  const current = computed(() => option({ palette: palette.value, width: width.value }));

  const draw = () => {
    const next = current.value;
    if (!chart.value) return;
    if (next) chart.value.setOption(next, { notMerge: true });
    else chart.value.clear();
  };

  const retheme = () => {
    palette.value = readChartPalette();
    chart.value?.setTheme(chartTheme(palette.value));
    draw();
  };

  // The observer also reports the first layout and size-neutral changes: only a real change redraws.
  let size = { width: 0, height: 0 };
  const scheduleResize = () => {
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      const element = target.value;
      if (!element || !chart.value) return;
      const next = { width: element.clientWidth, height: element.clientHeight };
      if (next.width === size.width && next.height === size.height) return;
      size = next;
      width.value = next.width || options.width || 0;
      chart.value.resize();
    });
  };

  onMounted(() => {
    const element = target.value;
    if (!element) return;
    const instance = init(element, chartTheme(palette.value), {
      renderer: options.renderer ?? 'canvas',
      width: options.width,
      height: options.height,
    });
    if (options.onRendered) instance.on('finished', () => options.onRendered!(instance));
    chart.value = instance;
    size = { width: element.clientWidth, height: element.clientHeight };
    width.value = size.width || options.width || 0;
    draw();
    // Only now: the option is first computed with the real width, once.
    watch(current, draw);
    resizeObserver = new ResizeObserver(scheduleResize);
    resizeObserver.observe(element);
    themeObserver = new MutationObserver(retheme);
    themeObserver.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['class', 'style', 'data-theme'],
    });
    colorScheme = window.matchMedia?.('(prefers-color-scheme: light)') ?? null;
    colorScheme?.addEventListener('change', retheme);
  });

  onBeforeUnmount(() => {
    resizeObserver?.disconnect();
    themeObserver?.disconnect();
    colorScheme?.removeEventListener('change', retheme);
    if (frame !== null) cancelAnimationFrame(frame);
    chart.value?.dispose();
    chart.value = null;
  });

  return { chart, palette, width };
}
