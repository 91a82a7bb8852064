import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, withDirectives } from 'vue';
import { TICK_FRAMES, vElapsed } from '../../src/directives/elapsed';
import { setLocale } from '../../src/locales/i18n';
import { T0 } from '../support/fixtures';

/** `count` texts, each showing the time since `since`. */
const Texts = defineComponent({
  props: { since: { type: Number, required: true }, count: { type: Number, default: 1 } },
  setup: (props) => () =>
    h(
      'div',
      Array.from({ length: props.count }, (_, index) =>
        withDirectives(h('span', { 'data-index': index }), [[vElapsed, props.since]]),
      ),
    ),
});

describe('v-elapsed', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['Date', 'setInterval', 'clearInterval', 'requestAnimationFrame', 'cancelAnimationFrame'],
    });
    vi.setSystemTime(T0 + 4 * 60_000 + 12_000);
  });
  afterEach(() => {
    vi.useRealTimers();
    setLocale('en');
  });

  const texts = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('span').map((span) => span.text());

  it('shows the time since the value at once and restarts it when the value changes', async () => {
    const wrapper = mount(Texts, { props: { since: T0 } });
    expect(texts(wrapper)).toEqual(['4m 12s']);

    await wrapper.setProps({ since: Date.now() - 3000 });
    expect(texts(wrapper)).toEqual(['3s']);
    wrapper.unmount();
  });

  it('ticks every text once a second, spread over a few animation frames', async () => {
    const count = 2 * TICK_FRAMES;
    const wrapper = mount(Texts, { props: { since: T0, count } });
    expect(texts(wrapper)).toEqual(Array(count).fill('4m 12s'));

    vi.advanceTimersByTime(1000);
    await nextTick();
    // The first share at once, the rest in the frames that follow.
    expect(texts(wrapper).filter((text) => text === '4m 13s')).toHaveLength(2);
    for (let frame = 1; frame < TICK_FRAMES; frame++) vi.advanceTimersToNextFrame();
    expect(texts(wrapper)).toEqual(Array(count).fill('4m 13s'));
    wrapper.unmount();
  });

  it('follows a language switch', async () => {
    const wrapper = mount(Texts, { props: { since: T0 } });
    setLocale('de');
    await nextTick();
    expect(texts(wrapper)).toEqual(['4 min 12 s']);
    wrapper.unmount();
  });
});
