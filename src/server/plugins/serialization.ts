import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type JsonSchema = Record<string, unknown>;

const isObject = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNull = (schema: JsonSchema) => schema.type === 'null' && Object.keys(schema).length === 1;
const isStringLiteral = (schema: JsonSchema) => typeof schema.const === 'string';

/**
 * The response schema as the serializer needs it. fast-json-stringify picks an `anyOf` branch by running a validator
 * on the value (formats included) for every field of every row: a union of string literals (`role`, `status`) or
 * "X or null" (`lastSeenAt`, `token`) cost more than the rest of a `/me` answer
 * (docs/product/speed-targets.md#targets). Written out, the same JSON needs no validation: literals become a plain
 * string, "X or null" becomes `type: [X, "null"]`. Only the serializer sees this form; validation and the OpenAPI
 * document keep the declared schemas.
 */
export function serializationSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(serializationSchema);
  if (!isObject(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, serializationSchema(property)]));
    } else if (key === 'items' || key === 'anyOf' || key === 'additionalProperties') {
      out[key] = serializationSchema(value);
    } else {
      out[key] = value;
    }
  }
  const branches = Array.isArray(out.anyOf) ? (out.anyOf as unknown[]).filter(isObject) : null;
  if (!branches || branches.length !== (out.anyOf as unknown[]).length) return out;
  const { anyOf: _anyOf, ...rest } = out;
  const nullable = branches.some(isNull);
  const values = branches.filter((branch) => !isNull(branch));
  if (values.length > 0 && values.every(isStringLiteral)) {
    return { ...rest, type: nullable ? ['string', 'null'] : 'string' };
  }
  const [only] = values;
  if (nullable && values.length === 1 && only && typeof only.type === 'string' && only.type !== 'null') {
    return { ...rest, ...only, type: [only.type, 'null'] };
  }
  return out;
}

/**
 * Fastify's own serializer compiler (fast-json-stringify), handed the serialization form of each response schema.
 * Shared schemas (`$ref`ed by id) are left as they are.
 */
export function responseSerializerFactory(): NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>['buildSerializer'] {
  const build = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => compile({ ...route, schema: serializationSchema(route.schema) as typeof route.schema });
  };
}
