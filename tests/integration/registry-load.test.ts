import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { itemKeys } from '../../functions/service/table';
import { LocalService } from '../support/local-service';

const SNAPSHOT = readFileSync(new URL('../../registry/current-full.csv', import.meta.url), 'utf8');
const ABOUT = JSON.parse(readFileSync(new URL('../../registry/SNAPSHOT.json', import.meta.url), 'utf8')) as {
  publishedAt: string;
  domains: number;
};
const files = mkdtempSync(join(tmpdir(), 'gatekeeper-registry-'));
afterAll(() => rmSync(files, { recursive: true, force: true }));

/** A registry file published at `publishedAt` (its SNAPSHOT.json beside it), for REGISTRY_FILE. */
function registryFile(name: string, csv: string, publishedAt: string): string {
  const dir = join(files, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'current-full.csv'), csv);
  writeFileSync(join(dir, 'SNAPSHOT.json'), JSON.stringify({ publishedAt }));
  return join(dir, 'current-full.csv');
}

const registryLine = (service: LocalService) => service.output.find((line) => line.trimStart().startsWith('Registry:')) ?? '';

describe('npm start and the .gov registry snapshot', () => {
  it('loads the snapshot on a first start, nothing on the next, only changes from a newer one, and refuses a broken one keeping the last good data', async () => {
    const real = { REGISTRY_FILE: fileURLToPath(new URL('../../registry/current-full.csv', import.meta.url)) };
    const first = await LocalService.start(real);
    const dataDir = first.dataDir;
    const lookUp = async (service: LocalService, domain: string) =>
      (await service.documentClient().send(new GetCommand({ TableName: 'sandbox-gatekeeper', Key: itemKeys.registeredDomain(domain) })))
        .Item;
    try {
      const loaded = /loaded: (\d+) domains, (\d+) items written in (\d+) ms/.exec(registryLine(first));
      expect(loaded?.slice(1, 3)).toEqual([String(ABOUT.domains), String(ABOUT.domains)]);
      console.info(`full snapshot of ${ABOUT.publishedAt.slice(0, 10)}: ${loaded?.[1]} domains loaded in ${loaded?.[3]} ms`);
      expect(await lookUp(first, 'gsa.gov')).toMatchObject({
        type: 'Federal - Executive',
        organization: 'General Services Administration',
      });
      await first.stop();

      const again = new LocalService(dataDir, real);
      await again.boot();
      expect(registryLine(again)).toContain('already in the table');
      await again.stop();

      // A newer file: one domain changes hands, one leaves the registry.
      const [header, ...rows] = SNAPSHOT.trim().split('\n');
      const changed = [
        header,
        ...rows
          .filter((row) => !row.startsWith('29palms.gov,'))
          .map((row) => (row.startsWith('gsa.gov,') ? row.replace('Office of GSA IT', 'Office of the CIO') : row)),
      ].join('\n');
      const newer = new LocalService(dataDir, { REGISTRY_FILE: registryFile('newer', changed, '2030-01-01T00:00:00Z') });
      await newer.boot();
      expect(registryLine(newer)).toMatch(new RegExp(`loaded: ${ABOUT.domains - 1} domains, 2 items written`));
      expect(await lookUp(newer, '29palms.gov')).toMatchObject({ domain: '29palms.gov', removedAt: expect.any(String) });
      expect(await lookUp(newer, 'gsa.gov')).toMatchObject({ suborganization: 'Office of the CIO' });
      await newer.stop();

      // Broken files: a missing column, then a file of 80 %: refused, and the last good data stays.
      for (const [name, csv] of [
        ['no-type', [header!.replace('Domain type', 'Kind'), ...rows].join('\n')],
        ['shrunk', [header, ...rows.slice(0, Math.floor(rows.length * 0.8))].join('\n')],
      ] as const) {
        const broken = new LocalService(dataDir, { REGISTRY_FILE: registryFile(name, csv, '2031-01-01T00:00:00Z') });
        await broken.boot();
        expect(registryLine(broken)).toContain('REFUSED');
        expect(await lookUp(broken, 'gsa.gov')).toMatchObject({ suborganization: 'Office of the CIO' });
        await broken.stop();
      }
    } finally {
      await first.dispose();
    }
  }, 120_000);
});
