import { z } from 'zod';
import { isoTimeOutput, pageOf, pageQuery } from './common.ts';
import { responseComponents } from './registry.ts';

export const auditListQuery = z.strictObject({ ...pageQuery });

export const auditEntryView = z
  .object({
    at: isoTimeOutput,
    by: z.string().meta({ description: 'The caller: IAM ARN in AWS, the local identity locally' }),
    action: z.string().meta({ examples: ['case.created', 'seed.added'] }),
    details: z
      .record(z.string(), z.unknown())
      .meta({ description: 'What changed (before and after where it applies)' }),
  })
  .register(responseComponents, { id: 'AuditEntry' });

export const auditPage = pageOf(auditEntryView).register(responseComponents, { id: 'AuditPage' });

export type AuditEntryView = z.output<typeof auditEntryView>;
