import { readFileSync } from 'node:fs';

/** The facts of the .gov registry snapshot kept in the repository (registry/SNAPSHOT.json). */
export function registrySnapshot(): { publishedAt: string; domains: number; commit: string } {
  return JSON.parse(readFileSync(new URL('../registry/SNAPSHOT.json', import.meta.url), 'utf8')) as {
    publishedAt: string;
    domains: number;
    commit: string;
  };
}
