import { mount } from '@vue/test-utils';
import { use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import DowntimeParetoChart from '../../src/components/charts/DowntimeParetoChart.vue';

use([SVGRenderer]);

describe('DowntimeParetoChart', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });

  it('lists every reason with its down time, stops and cumulative share for screen readers and tests', () => {
    const wrapper = mount(DowntimeParetoChart, {
      props: {
        downtime: [
          { reason: 'jam', seconds: 1800, count: 3 },
          { reason: null, seconds: 900, count: 2 },
          { reason: 'no-material', seconds: 300, count: 1 },
        ],
        renderer: 'svg',
        width: 500,
        height: 240,
      },
      attachTo: document.body,
    });
    const rows = wrapper.findAll('[data-testid="pareto-row"]');
    const attributes = rows.map((r) => ['data-reason', 'data-seconds', 'data-count'].map((a) => r.attributes(a)));
    expect(attributes).toEqual([
      ['jam', '1800', '3'],
      ['', '900', '2'],
      ['no-material', '300', '1'],
    ]);
    // 1800 / 3000 = 60 %, 2700 / 3000 = 90 %, then 100 %.
    expect(rows.map((r) => r.findAll('td').at(-1)!.text())).toEqual(['60%', '90%', '100%']);
    expect(rows[0]!.find('td').text()).toBe('30m 00s');
    expect(rows[1]!.find('th').text()).toBe('Unclassified');
    expect(wrapper.find('svg').exists()).toBe(true);
    wrapper.unmount();
  });

  it('names the bars from the reason catalogue and keeps a key the catalogue does not know', () => {
    const wrapper = mount(DowntimeParetoChart, {
      props: {
        downtime: [
          { reason: 'jam', seconds: 600, count: 1 },
          { reason: 'retired-reason', seconds: 60, count: 1 },
        ],
        reasons: [{ key: 'jam', name: 'Material jam', parent: null, category: 'unplanned', oeeBucket: 'availability' }],
        renderer: 'svg',
        width: 500,
        height: 240,
      },
      attachTo: document.body,
    });
    const labels = wrapper.findAll('[data-testid="pareto-row"] th').map((th) => th.text());
    expect(labels).toEqual(['Material jam', 'retired-reason']);
    wrapper.unmount();
  });

  it('says so when the range had no down time', () => {
    const wrapper = mount(DowntimeParetoChart, { props: { downtime: [], renderer: 'svg', width: 500 } });
    expect(wrapper.get('[data-testid="downtime-pareto-empty"]').text()).toBe('No down time in this range.');
    expect(wrapper.findAll('[data-testid="pareto-row"]')).toHaveLength(0);
    wrapper.unmount();
  });
});
