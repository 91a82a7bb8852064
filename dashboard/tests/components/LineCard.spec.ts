import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import LineCard from '../../src/components/line/LineCard.vue';
import { ASSEMBLY_SUMMARY, lineLive, station } from '../support/fixtures';

const router = createRouter({
  history: createMemoryHistory(),
  routes: [{ path: '/lines/:lineKey', name: 'line', component: { template: '<div />' } }],
});

describe('LineCard on the plant overview', () => {
  const stations = [station('press'), station('weld', { state: 'starved' }), station('paint', { state: 'down' })];
  const live = lineLive({
    stations,
    throughput: { unitsPerHour: 42, targetPerHour: 90, periodUnitsPerHour: 40, good: 100, scrap: 2 },
    oee: { availability: 0.9, performance: 0.8, quality: 0.99, oee: 0.7128 },
    bottleneck: {
      station: 'weld',
      kind: 'momentary',
      tied: ['weld', 'paint'],
      activeSince: null,
      period: { station: null, shares: [] },
    },
  });

  it('shows the worst state, output against target, OEE, the bottleneck and the open alerts, and links the line', () => {
    const wrapper = mount(LineCard, {
      props: { line: ASSEMBLY_SUMMARY, stations, live, alertCount: 2 },
      global: { plugins: [router] },
    });
    expect(wrapper.get('[data-testid="line-worst-assembly-1"]').attributes('data-state')).toBe('down');
    expect(wrapper.get('[data-testid="line-worst-assembly-1"]').text()).toContain('Down');
    expect(wrapper.get('[data-testid="line-output-assembly-1"]').text()).toContain('42/h of 90/h');
    expect(wrapper.get('[data-testid="line-output-assembly-1"]').classes()).toContain('target-below');
    expect(wrapper.get('[data-testid="line-oee-assembly-1"]').text()).toContain('71%');
    expect(wrapper.get('[data-testid="line-bottleneck-assembly-1"]').text()).toContain('Weld = Paint');
    expect(wrapper.get('[data-testid="line-alerts-assembly-1"]').attributes('data-count')).toBe('2');
    expect(wrapper.get('[data-testid="line-link-assembly-1"]').attributes('href')).toBe('/lines/assembly-1');
  });

  it('shows no status before the first snapshot', () => {
    const wrapper = mount(LineCard, {
      props: { line: ASSEMBLY_SUMMARY, stations: null, live: null },
      global: { plugins: [router] },
    });
    expect(wrapper.find('[data-testid="line-oee-assembly-1"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Waiting for live data');
  });
});
