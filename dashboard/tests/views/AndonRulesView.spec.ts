import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AndonRule } from '@floorboard/shared';
import AndonRulesView from '../../src/views/admin/AndonRulesView.vue';
import { errorResponse, jsonResponse, stubApi, type ApiCall } from '../support/http';
import { storeSession } from '../support/session';

const defaults = (): AndonRule[] => [
  { kind: 'station-down', enabled: true, thresholdSeconds: 300 },
  { kind: 'station-offline', enabled: true, thresholdSeconds: 600 },
  { kind: 'gateway-offline', enabled: true, thresholdSeconds: 60 },
  { kind: 'line-below-target', enabled: true, thresholdSeconds: 0, thresholdPercent: 80 },
  { kind: 'bottleneck-moved', enabled: false, thresholdSeconds: 300 },
];

describe('AndonRulesView', () => {
  let pinia: Pinia;
  let rules: AndonRule[];

  beforeEach(() => {
    localStorage.clear();
    storeSession('manager');
    pinia = createPinia();
    setActivePinia(pinia);
    rules = defaults();
  });

  /** PUT applies the patches as the server does and answers every rule; `refusal` instead when given. */
  function api(refusal?: Response) {
    return stubApi({
      'GET /andon/rules': () => jsonResponse(200, rules),
      'PUT /andon/rules': (call: ApiCall) => {
        if (refusal) return refusal;
        const { rules: patches } = call.body as { rules: (Partial<AndonRule> & { kind: string })[] };
        rules = rules.map((rule) => ({ ...rule, ...patches.find((p) => p.kind === rule.kind) }));
        return jsonResponse(200, rules);
      },
    });
  }

  async function mountView() {
    const wrapper = mount(AndonRulesView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }
  type Wrapper = Awaited<ReturnType<typeof mountView>>;

  const rule = (wrapper: Wrapper, kind: string) => wrapper.get(`[data-testid="andon-rule"][data-kind="${kind}"]`);
  const save = (wrapper: Wrapper) => wrapper.get('[data-testid="andon-rules-save"]');

  it('shows every rule with its threshold and when it fires and clears', async () => {
    api();
    const wrapper = await mountView();
    expect(wrapper.findAll('[data-testid="andon-rule"]').map((r) => r.attributes('data-kind'))).toEqual([
      'station-down',
      'station-offline',
      'gateway-offline',
      'line-below-target',
      'bottleneck-moved',
    ]);
    const down = rule(wrapper, 'station-down');
    expect((down.get('[data-testid="andon-rule-minutes"]').element as HTMLInputElement).value).toBe('5');
    expect((down.get('[data-testid="andon-rule-seconds"]').element as HTMLInputElement).value).toBe('0');
    expect(down.get('[data-testid="andon-rule-explain"]').text()).toBe(
      'A station that is down raises an alert after 5m 00s; it clears as soon as the station is no longer down.',
    );
    const below = rule(wrapper, 'line-below-target');
    expect((below.get('[data-testid="andon-rule-percent"]').element as HTMLInputElement).value).toBe('80');
    expect(below.get('[data-testid="andon-rule-explain"]').text()).toContain(
      'below 80 % of target raises an alert at once; it clears at 85 %.',
    );
    // Only line-below-target has a percentage.
    expect(wrapper.findAll('[data-testid="andon-rule-percent"]')).toHaveLength(1);
    expect(rule(wrapper, 'bottleneck-moved').attributes('data-enabled')).toBe('false');
    expect(rule(wrapper, 'bottleneck-moved').text()).toContain('Off — raises nothing.');
    expect(save(wrapper).attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('saves only the changed rules and fields, then says so', async () => {
    const server = api();
    const wrapper = await mountView();
    await rule(wrapper, 'station-down').get('[data-testid="andon-rule-minutes"]').setValue('2');
    await rule(wrapper, 'station-down').get('[data-testid="andon-rule-seconds"]').setValue('30');
    await rule(wrapper, 'line-below-target').get('[data-testid="andon-rule-percent"]').setValue('70');
    await rule(wrapper, 'bottleneck-moved').get('[data-testid="andon-rule-enabled"]').setValue(true);
    // The explanation follows the values being typed.
    expect(rule(wrapper, 'line-below-target').get('[data-testid="andon-rule-explain"]').text()).toContain(
      'below 70 % of target raises an alert at once; it clears at 75 %.',
    );
    await save(wrapper).trigger('submit');
    await flushPromises();

    expect(server.to('PUT /andon/rules').map((c) => c.body)).toEqual([
      {
        rules: [
          { kind: 'station-down', thresholdSeconds: 150 },
          { kind: 'line-below-target', thresholdPercent: 70 },
          { kind: 'bottleneck-moved', enabled: true },
        ],
      },
    ]);
    expect(wrapper.get('[data-testid="andon-rules-notice"]').text()).toBe('Andon rules saved (3 changed).');
    expect(rule(wrapper, 'station-down').get('[data-testid="andon-rule-explain"]').text()).toContain('after 2m 30s');
    expect(save(wrapper).attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it.each([
    ['line-below-target', 'andon-rule-percent', '0', 'Enter a whole percentage from 1 to 100.'],
    ['line-below-target', 'andon-rule-percent', '101', 'Enter a whole percentage from 1 to 100.'],
    ['station-down', 'andon-rule-seconds', '75', 'Seconds go from 0 to 59; enter longer times in minutes.'],
    ['station-down', 'andon-rule-minutes', 'five', 'Enter whole minutes and seconds (0 or more).'],
    ['gateway-offline', 'andon-rule-minutes', '10081', 'At most 7 days (10080 min).'],
  ])('refuses %s %s = %s before sending: %s', async (kind, field, value, message) => {
    const server = api();
    const wrapper = await mountView();
    const input = rule(wrapper, kind).get(`[data-testid="${field}"]`);
    await input.setValue(value);
    expect(rule(wrapper, kind).get('[data-testid="andon-rule-problem"]').text()).toBe(message);
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(save(wrapper).attributes('disabled')).toBeDefined();
    // Enter in a field submits the form even with the button disabled: the view must refuse it too.
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(server.to('PUT /andon/rules')).toHaveLength(0);
    wrapper.unmount();
  });

  it('shows the server’s refusal through the error texts and keeps the edits', async () => {
    api(errorResponse(400, 'VALIDATION_FAILED', 'rules.0.thresholdSeconds must not be greater than 604800'));
    const wrapper = await mountView();
    await rule(wrapper, 'station-offline').get('[data-testid="andon-rule-minutes"]').setValue('3');
    await save(wrapper).trigger('submit');
    await flushPromises();
    expect(wrapper.get('[data-testid="andon-rules-save-error"]').text()).toBe(
      'The server did not accept this: rules.0.thresholdSeconds must not be greater than 604800',
    );
    expect(wrapper.find('[data-testid="andon-rules-notice"]').exists()).toBe(false);
    expect(
      (rule(wrapper, 'station-offline').get('[data-testid="andon-rule-minutes"]').element as HTMLInputElement).value,
    ).toBe('3');
    wrapper.unmount();
  });

  it('puts the saved values back on undo', async () => {
    const server = api();
    const wrapper = await mountView();
    await rule(wrapper, 'station-down').get('[data-testid="andon-rule-enabled"]').setValue(false);
    expect(rule(wrapper, 'station-down').attributes('data-enabled')).toBe('false');
    await wrapper.get('[data-testid="andon-rules-reset"]').trigger('click');
    expect(rule(wrapper, 'station-down').attributes('data-enabled')).toBe('true');
    expect(server.to('PUT /andon/rules')).toHaveLength(0);
    wrapper.unmount();
  });

  it('explains a refused load (a role below manager)', async () => {
    stubApi({ 'GET /andon/rules': errorResponse(403, 'AUTH_ROLE_TOO_LOW') });
    const wrapper = await mountView();
    expect(wrapper.get('[data-testid="andon-rules-error"]').text()).toBe(
      'Your role does not allow this. Ask an admin if you need access.',
    );
    expect(wrapper.find('[data-testid="andon-rule"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
