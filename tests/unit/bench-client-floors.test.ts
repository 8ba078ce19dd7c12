import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventHandlers, handlers } from '../../infra/function-specs';
import { buildClientFloor, clientsOf, specsByBundleName } from '../../scripts/bench/client-floors';

describe('the bench’s cold floor: a bundle of exactly a function’s own SDK clients', () => {
  it('takes the clients from the function’s spec: its table commands, SES when it mails, Secrets Manager for the signing keys', () => {
    expect(clientsOf(handlers.review)).toEqual(['dynamodb:GetCommand', 'dynamodb:QueryCommand', 'secrets:GetSecretValueCommand']);
    expect(clientsOf(handlers.signup)).toEqual([
      'dynamodb:GetCommand',
      'dynamodb:PutCommand',
      'dynamodb:UpdateCommand',
      'ses:SendEmailCommand',
    ]);
    expect(clientsOf(handlers.pages)).toEqual([]);
    expect(clientsOf(eventHandlers.breaker)).toEqual(['dynamodb:PutCommand', 'dynamodb:UpdateCommand']);
  });

  it('names every function by its bundle’s name', () => {
    expect(specsByBundleName.get('SignIn')).toBe(handlers.signIn);
    expect(specsByBundleName.get('WebhookSecret')).toBe(eventHandlers.webhookSecret);
  });

  it('builds only those clients: no SES in a bundle that sends no mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
    try {
      const signup = readFileSync(await buildClientFloor(clientsOf(handlers.signup), dir), 'utf8');
      expect(signup).toContain('SendEmail');
      expect(signup).not.toContain('GetSecretValue');
      const review = readFileSync(await buildClientFloor(clientsOf(handlers.review), dir), 'utf8');
      expect(review).not.toContain('SendEmail');
      expect(review).toContain('GetSecretValue');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
