import fc from 'fast-check';

/**
 * A small JSON-Schema → fast-check converter for the subset TypeBox emits and @fastify/swagger publishes: objects
 * (properties / required / additionalProperties: false), strings (minLength / maxLength / format uuid, date-time,
 * email / pattern), unions (anyOf / oneOf of enum or const literals), integers and numbers (minimum / maximum),
 * booleans, arrays (items / minItems / maxItems) and null. Anything else is a test bug and throws, so that a new kind of
 * schema is noticed instead of silently fuzzed with nothing.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minProperties?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  $ref?: string;
}

/**
 * Overrides by property (or parameter) name: ids of things that exist, a working password, real emails. Each gets the
 * schema's own arbitrary (`fallback`) to mix in, so that odd-but-valid values are still sent now and then.
 */
export type Hints = Record<string, ((fallback: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>) | undefined>;

/** Mostly one of `values`, sometimes whatever the schema allows. */
export const mostly =
  (...values: unknown[]) =>
  (fallback: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fallback });

/** Mostly from `preferred`, sometimes whatever the schema allows. */
export const mostlyFrom = (preferred: fc.Arbitrary<unknown>) => (fallback: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: preferred }, { weight: 1, arbitrary: fallback });

/** Printable text without the characters the server refuses on purpose (NUL, bidi controls): valid input. */
const safeCharacter = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ß', 'Ж', 'а', 'Ａ', 'ｚ', '中', '文', '😀', '\u200d', 'ﬁ', 'İ', 'ǅ', '\t', ' ') },
);

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 40, 40));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.format === 'email') return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  // Code points, not UTF-16 units, are what maxLength counts; `safeCharacter` yields one code point each (but 😀: 2
  // units, 1 code point), so the filter below only guards the bounds.
  return fc
    .array(safeCharacter, { minLength: min, maxLength: max })
    .map((parts) => parts.join(''))
    .filter((s) => [...s].length >= min && [...s].length <= (schema.maxLength ?? Number.POSITIVE_INFINITY));
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

/** An arbitrary of values VALID for `schema`; `hints` replace (mix into) the values of properties with those names. */
export function arbitraryFor(schema: JsonSchema, hints: Hints = {}, name?: string): fc.Arbitrary<unknown> {
  const hint = name ? hints[name] : undefined;
  if (hint) return hint(arbitraryFor(schema, hints));
  if (schema.$ref) throw new Error(`unresolved $ref ${schema.$ref}`);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((member) => arbitraryFor(member, hints)));
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => arbitraryFor({ ...schema, type }, hints, name)));
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArbitrary(schema);
    case 'array':
      return fc.array(arbitraryFor(schema.items ?? {}, hints), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, arbitraryFor(value, hints, key)])),
        { requiredKeys: required.filter((key) => key in properties) },
      );
      const minProperties = schema.minProperties ?? 0;
      return minProperties > 0 ? record.filter((value) => Object.keys(value).length >= minProperties) : record;
    }
    default:
      throw new Error(`schema not supported by the fuzzer: ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

// ---- Mutations: what a hostile or broken client sends instead ----

export type Mutation =
  | { kind: 'drop-required'; key: string }
  | { kind: 'extra-field'; key: string; value: unknown }
  | { kind: 'wrong-type'; key: string | null; value: unknown }
  | { kind: 'over-long'; key: string; value: string }
  | { kind: 'hostile-text'; key: string; value: string }
  | { kind: 'huge-number'; key: string; value: number };

/** Text a validator or a database chokes on: NUL, bidi overrides, confusables, zero-width joiners, lone surrogates. */
export const hostileTexts = [
  'nul\u0000byte',
  'bidi\u202egnp.exe',
  '\u2066isolate\u2069',
  'аdmin', // Cyrillic а
  'ａｄｍｉｎ', // fullwidth
  'ad\u200dmin',
  'admin\u00ad',
  '\ud800lone',
  'İstanbul',
  "'; DROP TABLE users;--",
  '%00%2e%2e%2f',
  '../../etc/passwd',
  '\r\nSet-Cookie: x=1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style payload, meant literally.
  '${jndi:ldap://x/a}',
];

/**
 * In a query string or a path: without NUL, which every string field of every operation would turn into a 500 on
 * PostgreSQL (a known finding with its own `it.fails` test in openapi-fuzz.test.ts), and without lone surrogates, which
 * no URL can carry; bidi controls stay in.
 */
export const hostileTextsForUrls = hostileTexts.filter((text) => !text.includes('\u0000') && !/[\ud800-\udfff]/.test(text));

export const wrongTypedValues: unknown[] = [12345, -1, 1.5, true, false, null, [], ['x'], {}, { $gt: '' }, '', 'x'.repeat(3)];
export const hugeNumbers = [1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 9_999_999_999_999, 0.000001, -0];

function stringKeys(schema: JsonSchema | undefined): string[] {
  return Object.entries(schema?.properties ?? {})
    .filter(([, value]) => typesOf(value).includes('string') || (value.anyOf ?? []).some((m) => typesOf(m).includes('string')))
    .map(([key]) => key);
}
function numberKeys(schema: JsonSchema | undefined): string[] {
  return Object.entries(schema?.properties ?? {})
    .filter(([, value]) => typesOf(value).some((type) => type === 'integer' || type === 'number'))
    .map(([key]) => key);
}

/** Mutations that apply to an object schema (a body, or the query as an object). */
export function mutationFor(schema: JsonSchema | undefined, texts: readonly string[] = hostileTexts): fc.Arbitrary<Mutation> {
  const keys = Object.keys(schema?.properties ?? {});
  const required = schema?.required ?? [];
  const strings = stringKeys(schema);
  const numbers = numberKeys(schema);
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc
      .record({
        key: fc.constantFrom('zzExtra', 'isAdmin', 'role', 'ownerId', 'id', 'Role', 'passwordHash'),
        value: fc.constantFrom(...wrongTypedValues, 'owner', true),
      })
      .filter(({ key }) => !keys.includes(key))
      .map(({ key, value }): Mutation => ({ kind: 'extra-field', key, value })),
    fc.constantFrom(...wrongTypedValues, 'a string', 42).map((value): Mutation => ({ kind: 'wrong-type', key: null, value })),
  ];
  if (required.length > 0) options.push(fc.constantFrom(...required).map((key): Mutation => ({ kind: 'drop-required', key })));
  if (keys.length > 0) {
    options.push(
      fc
        .record({ key: fc.constantFrom(...keys), value: fc.constantFrom(...wrongTypedValues) })
        .map(({ key, value }): Mutation => ({ kind: 'wrong-type', key, value })),
    );
  }
  if (strings.length > 0) {
    options.push(
      fc
        .record({ key: fc.constantFrom(...strings), factor: fc.constantFrom(1, 2, 40), unit: fc.constantFrom('a', 'é', '😀', '\u0301') })
        .map(({ key, factor, unit }): Mutation => {
          const max = schema?.properties?.[key]?.maxLength ?? 256;
          return { kind: 'over-long', key, value: unit.repeat(Math.min((max + 1) * factor, 60_000)) };
        }),
      fc
        .record({ key: fc.constantFrom(...strings), value: fc.constantFrom(...texts) })
        .map(({ key, value }): Mutation => ({ kind: 'hostile-text', key, value })),
    );
  }
  if (numbers.length > 0) {
    options.push(
      fc
        .record({ key: fc.constantFrom(...numbers), value: fc.constantFrom(...hugeNumbers) })
        .map(({ key, value }): Mutation => ({ kind: 'huge-number', key, value })),
    );
  }
  return fc.oneof(...options);
}

/** Applies a mutation to a valid object value (a body or a query); `wrong-type` with no key replaces the whole value. */
export function applyMutation(value: unknown, mutation: Mutation): unknown {
  if (mutation.kind === 'wrong-type' && mutation.key === null) return mutation.value;
  const copy: Record<string, unknown> = value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as object) } : {};
  switch (mutation.kind) {
    case 'drop-required':
      delete copy[mutation.key];
      return copy;
    case 'extra-field':
    case 'wrong-type':
    case 'over-long':
    case 'hostile-text':
    case 'huge-number':
      copy[mutation.key as string] = mutation.value;
      return copy;
  }
}
