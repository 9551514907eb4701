/**
 * Fastify's own schema compilers (the ones it uses by default), memoised for the whole test
 * process. A fresh app per test used to compile every route's validators and serializers again:
 * 1.2–2.5 s of each test's start on a loaded machine, 0.2–0.4 s with these (8 API files with an
 * app per test ran about 23% faster; the whole `npm test` is dominated by per-file start-up and
 * a few long tests, and did not measurably change). A compiled
 * validator or serializer depends only on the schema (and the HTTP part or status it serves), so
 * one compiled for an earlier app serves every later one.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Compile = (route: { schema: unknown; httpPart?: string; httpStatus?: string; contentType?: string }) => unknown;
type Factory = (externalSchemas: unknown, options: unknown) => Compile;

function memoised(factory: Factory): Factory {
  const compiled = new Map<string, unknown>();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    const setup = JSON.stringify([externalSchemas ?? null, options ?? null]);
    return (route) => {
      const key = JSON.stringify([setup, route.httpPart ?? null, route.httpStatus ?? null, route.contentType ?? null, route.schema]);
      let fn = compiled.get(key);
      if (fn === undefined) {
        fn = compile(route);
        compiled.set(key, fn);
      }
      return fn;
    };
  };
}

export const sharedCompilers = {
  buildValidator: memoised(AjvCompiler() as unknown as Factory),
  buildSerializer: memoised(SerializerSelector() as unknown as Factory),
};
