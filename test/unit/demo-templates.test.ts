import { describe, expect, it } from 'vitest';
import { demoTemplates } from '#infra/local/seed/demo-templates.ts';

describe('demo templates', () => {
  it('say who approved each approved one and when (the console and CLI show "approved by … at <time>")', () => {
    const now = '2026-11-23T06:00:00.000Z';
    const approved = demoTemplates(now).filter((template) => template.status === 'approved');
    expect(approved.length).toBeGreaterThan(0);
    for (const template of approved)
      expect(template).toMatchObject({ approvedBy: expect.any(String), approvedAt: now });
  });
});
