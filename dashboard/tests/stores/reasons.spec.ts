import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { configureApiClient } from '../../src/api/client';
import { useReasonsStore } from '../../src/stores/reasons';
import { stubApi } from '../support/http';

const JAM = { key: 'jam', name: 'Jam', parent: null, category: 'unplanned', oeeBucket: 'availability' };
const BREAK = { key: 'break', name: 'Break', parent: null, category: 'planned', oeeBucket: 'excluded' };

describe('reasons store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    configureApiClient({ getToken: () => 'token' });
  });

  it('shares one fetch between callers that ask at the same time, and fetches again when asked later', async () => {
    let catalogue = [JAM];
    const api = stubApi({ 'GET /reasons': () => new Response(JSON.stringify(catalogue), { status: 200 }) });
    const store = useReasonsStore();
    await Promise.all([store.load(), store.load()]);
    expect(store.reasons).toEqual([JAM]);
    expect(api.calls.filter((c) => c.path === '/reasons')).toHaveLength(1);

    catalogue = [JAM, BREAK];
    await store.load();
    expect(store.reasons).toEqual([JAM, BREAK]);
    expect(api.calls.filter((c) => c.path === '/reasons')).toHaveLength(2);
  });
});
