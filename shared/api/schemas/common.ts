/**
 * Building blocks of the request and response schemas. zod is the single source: the same schemas
 * validate requests and, through `z.toJSONSchema`, become the OpenAPI document.
 */
import { getAddress } from 'ethers';
import { z } from 'zod';

/**
 * C0/C1 control characters and the Unicode bidirectional overrides: the latter can make a case name
 * or a note display differently from what is stored ("Trojan Source", CVE-2021-42574), which is not
 * something an evidence record should allow.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A name or note a person typed: bounded, no control characters, not blank. */
export function plainText(maxLength: number, description: string) {
  return z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .refine((text) => !FORBIDDEN_TEXT.test(text), {
      error: 'must not contain control characters or bidirectional overrides',
    })
    .refine((text) => text.trim().length > 0, { error: 'must not be blank' })
    .meta({ description });
}

const ADDRESS_SHAPE = /^0x[0-9a-fA-F]{40}$/;

/**
 * A 20-byte address. A mixed-case address carries an EIP-55 checksum, which is enforced: a typo in a
 * seed wallet would silently trace a stranger. All-lowercase (or all-uppercase) input has no checksum
 * to check. Normalized to lowercase, the canonical form inside (shared/domain/address.ts).
 */
export const addressInput = z
  .string()
  .superRefine((text, ctx) => {
    if (!ADDRESS_SHAPE.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'must be 0x followed by 40 hexadecimal digits' });
      return;
    }
    const hex = text.slice(2);
    const mixedCase = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
    if (mixedCase) {
      try {
        getAddress(text);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: 'fails its EIP-55 checksum (mixed case): check for a typo, or send it all lowercase',
        });
      }
    }
  })
  .transform((text) => text.toLowerCase())
  .meta({
    description: '0x and 40 hex digits; a mixed-case address must have a valid EIP-55 checksum',
    examples: ['0x098b716b8aaf21512996dc57eb0615e2383e2f96'],
    jsonSchema: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' },
  });

/** Addresses in responses are EIP-55 checksummed. */
export const addressOutput = z
  .string()
  .regex(ADDRESS_SHAPE)
  .meta({ description: 'EIP-55 checksummed address' });

const CHAIN_SHAPE = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * A chain name; the check that it is one of the agency's configured chains needs the configuration,
 * so the schema is built per handler (JSON Schema cannot express a runtime list; the document says
 * where to find it).
 */
export function chainInput(configured: readonly string[]) {
  const known = new Set(configured);
  return z
    .string()
    .regex(CHAIN_SHAPE, { error: 'must be a lowercase chain name such as "ethereum"' })
    .refine((chain) => known.has(chain), {
      error: `must be one of the configured chains: ${[...configured].join(', ') || '(none configured)'}`,
    })
    .meta({
      description: 'A chain this deployment watches (listed by GET /health)',
      examples: ['ethereum'],
    });
}

export const chainOutput = z.string().regex(CHAIN_SHAPE);

/**
 * Block numbers: integers, not negative, and below 10^12 (the store pads them to 12 digits; at one
 * block per 250 ms that is 7,900 years of Arbitrum).
 */
export const MAX_BLOCK = 999_999_999_999;
export const blockNumberInput = z
  .int({ error: 'must be a whole block number' })
  .min(0, { error: 'must not be negative' })
  .max(MAX_BLOCK, { error: `must be at most ${MAX_BLOCK}` });

export const blockNumberOutput = z.int().min(0);

const MAX_UINT256 = (1n << 256n) - 1n;

/** An amount in base units (wei, or 10^-decimals of a token) as a decimal string: no float, no bigint in JSON. */
export const baseUnitsInput = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, { error: 'must be a whole number of base units, as a decimal string' })
  // zod runs every check even after the pattern failed: BigInt must only see digits.
  .refine((text) => !/^[0-9]{1,78}$/.test(text) || BigInt(text) <= MAX_UINT256, {
    error: 'must fit in 256 bits',
  })
  .meta({
    description: 'Amount in base units (wei for ETH), decimal digits',
    examples: ['100000000000000000'],
  });

export const baseUnitsOutput = z.string().regex(/^(0|[1-9][0-9]*)$/);

/** Token units, as the alerts show them: "1.5" ETH. */
export const tokenUnitsOutput = z.string().regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/);

/** `native` for the chain's coin, or the token contract. */
export const assetInput = z.union([z.literal('native'), addressInput]).meta({
  description: '"native" for the chain\'s own coin (ETH, BNB...), or a token contract address',
});

export const assetOutput = z.union([z.literal('native'), addressOutput]);

export const CASE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const caseIdInput = z
  .string()
  .regex(CASE_ID_PATTERN, { error: 'must be 1-64 letters, digits, "-" or "_"' })
  .meta({ description: 'Case id, as returned by POST /cases' });

export const isoTimeOutput = z.iso.datetime({ offset: true });

export const isoTimeInput = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 date-time, e.g. 2024-05-01T00:00:00Z' })
  .meta({ description: 'ISO-8601 date-time' });

/** Query parameters arrive as text; this parses a bounded integer and shows as an integer in the document. */
export function queryInteger(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, { error: `must be a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(
      z
        .int()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    )
    .meta({ description, jsonSchema: { type: 'integer', minimum: min, maximum: max } });
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export const pageQuery = {
  limit: queryInteger(
    1,
    MAX_PAGE_SIZE,
    `Page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`,
  ).optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,2048}$/, { error: 'must be a cursor returned by a previous page' })
    .meta({ description: "Opaque cursor from the previous page's nextCursor" })
    .optional(),
};

/** Every list answers this shape. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as ?cursor= for the next page; null on the last page' }),
  });
}
