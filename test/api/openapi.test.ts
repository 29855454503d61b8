import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApiFile, repositoryOpenApiDocument } from '../../shared/api/openapi-file.ts';
import { OpenApiConformance } from './api-harness.ts';

describe('the OpenAPI document', () => {
  const document = repositoryOpenApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(
      structuredClone(document) as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is current in the repository (regenerate: npx tsx shared/api/openapi-file.ts)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApiFile(document));
  });

  it('has request and response schemas that compile as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({
      $id: 'urn:laundering-alerts:check',
      components: (document as { components: unknown }).components,
    });
    const schemas = (document as { components: { schemas: Record<string, unknown> } }).components.schemas;
    for (const name of Object.keys(schemas)) {
      expect(ajv.getSchema(`urn:laundering-alerts:check#/components/schemas/${name}`), name).toBeTypeOf(
        'function',
      );
    }
    for (const item of Object.values<Record<string, any>>(
      (document as { paths: Record<string, Record<string, any>> }).paths,
    )) {
      for (const operation of Object.values<any>(item)) {
        const body = operation.requestBody?.content?.['application/json']?.schema;
        if (body) expect(() => ajv.compile(body), operation.operationId).not.toThrow();
      }
    }
  });

  it('makes the conformance check refuse an answer that does not match it', () => {
    const conformance = new OpenApiConformance(document);
    const answer = (status: number, json: unknown, mediaType = 'application/json') => ({
      status,
      headers: new Headers({ 'content-type': mediaType }),
      text: JSON.stringify(json),
      json,
    });
    expect(() =>
      conformance.check('GET', '/health', answer(200, { status: 'ok', chains: ['local'], version: '1' })),
    ).not.toThrow();
    expect(() =>
      conformance.check('GET', '/health', answer(200, { status: 'ok', chains: ['local'] })),
    ).toThrow(/does not match/);
    expect(() =>
      conformance.check(
        'GET',
        '/health',
        answer(200, { status: 'ok', chains: [], version: '1', extra: true }),
      ),
    ).toThrow(/does not match/);
    expect(() => conformance.check('GET', '/cases', answer(201, {}))).toThrow(/not documented/);
    expect(() =>
      conformance.check('GET', '/cases/x', answer(404, { type: 't', title: 't', status: 404, detail: 'd' })),
    ).toThrow(/answered application\/json/);
  });
});
