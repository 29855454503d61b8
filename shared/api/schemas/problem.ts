import { z } from 'zod';
import { responseComponents } from './registry.ts';

export const problemView = z
  .object({
    type: z.string().meta({ description: 'URI naming the problem type; clients branch on it' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().meta({ description: 'What was wrong with this request and what to do' }),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'path', 'query', 'header']),
          pointer: z
            .string()
            .optional()
            .meta({ description: 'JSON Pointer fragment into the body, e.g. #/address' }),
          name: z.string().optional().meta({ description: 'The path or query parameter or header' }),
          detail: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'The failing inputs (400 only)' }),
  })
  .register(responseComponents, { id: 'Problem' });
