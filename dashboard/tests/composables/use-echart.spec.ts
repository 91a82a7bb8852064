import { mount } from '@vue/test-utils';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import type { EChartsType } from '../../src/components/charts/echarts-setup';
import { useEChart, type UseEChart } from '../../src/composables/use-echart';

// jsdom has no canvas: the composable is exercised with the SVG renderer and a fixed size.
use([SVGRenderer]);

/** A ResizeObserver jsdom lacks, which the test can trigger. */
class FakeResizeObserver {
  static instances: FakeResizeObserver[] = [];
  observed: Element[] = [];
  disconnected = false;
  constructor(readonly callback: ResizeObserverCallback) {
    FakeResizeObserver.instances.push(this);
  }
  observe(element: Element) {
    this.observed.push(element);
  }
  unobserve() {}
  disconnect() {
    this.disconnected = true;
  }
  fire() {
    this.callback([], this as unknown as ResizeObserver);
  }
}

function mountChart(values = ref([3, 1, 2])) {
  let api: UseEChart | null = null;
  const Chart = defineComponent({
    setup() {
      const element = ref<HTMLElement | null>(null);
      api = useEChart(
        element,
        ({ palette }) => ({
          xAxis: { type: 'category', data: values.value.map((_, i) => `s${i}`) },
          yAxis: { type: 'value' },
          series: [{ type: 'bar', data: values.value, itemStyle: { color: palette.accent } }],
        }),
        { renderer: 'svg', width: 400, height: 200 },
      );
      return () => h('div', { ref: element, 'data-testid': 'chart' });
    },
  });
  const wrapper = mount(Chart, { attachTo: document.body });
  return { wrapper, api: api! as UseEChart, values };
}

describe('useEChart', () => {
  beforeEach(() => {
    FakeResizeObserver.instances = [];
    vi.stubGlobal('ResizeObserver', FakeResizeObserver);
    vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => setTimeout(() => callback(0), 0));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => clearTimeout(id));
    // ECharts measures text on a canvas; jsdom has none and would log each attempt.
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });
  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('draws the option on the element once mounted', () => {
    const { wrapper, api } = mountChart();
    const chart = api.chart.value!;
    expect(chart).not.toBeNull();
    expect(wrapper.find('svg').exists()).toBe(true);
    const option = chart.getOption() as { series: { data: number[] }[] };
    expect(option.series[0]!.data).toEqual([3, 1, 2]);
    wrapper.unmount();
  });

  it('redraws when the reactive data behind the option changes', async () => {
    const { wrapper, api, values } = mountChart();
    values.value = [9, 9];
    await nextTick();
    const option = api.chart.value!.getOption() as { series: { data: number[] }[] };
    expect(option.series[0]!.data).toEqual([9, 9]);
    wrapper.unmount();
  });

  it('resizes once per frame when the observed element really changes size, and redraws at the new width', async () => {
    const { wrapper, api } = mountChart();
    const chart = api.chart.value as EChartsType;
    const resize = vi.spyOn(chart, 'resize');
    const observer = FakeResizeObserver.instances[0]!;
    expect(observer.observed).toEqual([wrapper.element]);
    const frame = () => new Promise((resolve) => setTimeout(resolve, 5));
    // The observer's first report (and any without a size change) costs nothing.
    observer.fire();
    await frame();
    expect(resize).not.toHaveBeenCalled();
    let width = 640;
    Object.defineProperty(wrapper.element, 'clientWidth', { configurable: true, get: () => width });
    observer.fire();
    observer.fire();
    observer.fire();
    expect(resize).not.toHaveBeenCalled();
    await frame();
    expect(resize).toHaveBeenCalledTimes(1);
    expect(api.width.value).toBe(640);
    width = 320;
    observer.fire();
    await frame();
    expect(resize).toHaveBeenCalledTimes(2);
    expect(api.width.value).toBe(320);
    wrapper.unmount();
  });

  it('re-themes when the page theme changes', async () => {
    const { wrapper, api } = mountChart();
    const setTheme = vi.spyOn(api.chart.value!, 'setTheme');
    document.documentElement.classList.add('light');
    await new Promise((resolve) => setTimeout(resolve, 0)); // MutationObserver callbacks are microtasks
    expect(setTheme).toHaveBeenCalledTimes(1);
    document.documentElement.classList.remove('light');
    wrapper.unmount();
  });

  it('disposes the chart and stops observing on unmount; a pending resize does nothing', async () => {
    const { wrapper, api } = mountChart();
    const chart = api.chart.value!;
    const resize = vi.spyOn(chart, 'resize');
    const observer = FakeResizeObserver.instances[0]!;
    Object.defineProperty(wrapper.element, 'clientWidth', { configurable: true, get: () => 640 });
    observer.fire();
    wrapper.unmount();
    expect(chart.isDisposed()).toBe(true);
    expect(api.chart.value).toBeNull();
    expect(observer.disconnected).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(resize).not.toHaveBeenCalled();
    // The page's theme changing after unmount must not touch the disposed chart.
    document.documentElement.classList.add('light');
    await new Promise((resolve) => setTimeout(resolve, 0));
    document.documentElement.classList.remove('light');
  });
});
