import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The license text of every package whose code an esbuild metafile says went into a bundle. The
 * bundle carries code of packages a user never installs (yargs, cli-progress, …: dev dependencies of
 * ours), and their licenses ask for their notices to travel with their code.
 */
export function thirdPartyLicenses(metafile) {
  const roots = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) roots.add(match[1]);
  }
  // Two dozen SDK packages carry the same Apache-2.0 text: each distinct text is printed once, after
  // the packages it covers.
  const packagesByText = new Map();
  for (const root of [...roots].sort()) {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const licenseFile = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text = licenseFile ? readFileSync(join(root, licenseFile), 'utf8').trim() : `(no license file; package.json says ${pkg.license ?? 'nothing'})`;
    const names = packagesByText.get(text) ?? new Set();
    names.add(`${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})`);
    packagesByText.set(text, names);
  }
  const sections = [...packagesByText].map(([text, names]) => `${[...names].join('\n')}\n\n${text}\n`);
  return `Third-party code bundled into this folder's files, with each package's license.\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`;
}

