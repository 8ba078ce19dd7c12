import manifest from '../static/manifest.json' with { type: 'json' };

/**
 * URLs of the static files, versioned by their content hash so that they can be cached for a
 * year: a new build changes the version, hence the URL.
 */
export const ASSET_VERSION: string = manifest.version;

export function asset(path: string): string {
  return `/assets/${ASSET_VERSION}/${path}`;
}
