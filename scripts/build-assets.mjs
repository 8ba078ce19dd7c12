// Builds functions/static/: the USWDS files the pages use (its CSS and every font and image that
// CSS names, the banner's JavaScript and images), our own stylesheet and the progressive-
// enhancement script, and manifest.json with a content hash that versions their URLs. Run by
// prestart, pretest and cdk synth; the service serves these files itself (no third-party CDN).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const uswds = join(root, 'node_modules/@uswds/uswds/dist');
const out = join(root, 'functions/static');

rmSync(out, { recursive: true, force: true });
const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};

const css = readFileSync(join(uswds, 'css/uswds.min.css'), 'utf8');
copy(join(uswds, 'css/uswds.min.css'), join(out, 'uswds/css/uswds.min.css'));
const referenced = new Set(
  [...css.matchAll(/url\(["']?\.\.\/([^"')?#]+)/g)].map((match) => match[1]).filter((path) => !path.endsWith('hero.jpg')),
);
for (const path of [
  'img/us_flag_small.png',
  'img/icon-dot-gov.svg',
  'img/icon-https.svg',
  'img/usa-icons/lock.svg',
  'img/favicons/favicon-40.png',
  'js/uswds.min.js',
  ...referenced,
]) {
  copy(join(uswds, path), join(out, 'uswds', path));
}
copy(join(root, 'functions/browser/app.css'), join(out, 'app/app.css'));
buildSync({
  entryPoints: [join(root, 'functions/browser/enhance.ts')],
  outfile: join(out, 'app/enhance.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  logLevel: 'warning',
});

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(out);
const hash = createHash('sha256');
for (const file of files) hash.update(relative(out, file)).update(readFileSync(file));
const version = hash.digest('base64url').slice(0, 12);
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify({ version, files: files.map((file) => relative(out, file)) }, null, 2)}\n`);
// stderr: `cdk synth > template.yaml` runs this first, and stdout is the template.
console.error(`Built ${files.length} static files (version ${version}).`);
