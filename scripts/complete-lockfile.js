#!/usr/bin/env node
// The npm registry this project is built against serves only the Linux builds of packages that
// ship per-platform binaries as optional dependencies (@swc/core-*, @unrs/resolver-binding-*), so
// `npm install` leaves the other platforms out of package-lock.json and `npm ci` then refuses the
// lock. This adds those entries back, marked optional with their os/cpu, so npm skips them on
// every other platform without fetching them. Run it after changing dependencies:
//   npm install <pkg> && node scripts/complete-lockfile.js
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const path = join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(path, 'utf8'));
const oses = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const cpus = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

const platformOf = (name) => {
  const parts = name.split('/').pop().split('-');
  const os = oses.find((candidate) => parts.includes(candidate));
  const cpu = cpus.find((candidate) => parts.includes(candidate) || parts.includes(candidate.replace(/^arm$/, 'armv7')));
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : null;
  return { os, cpu: cpu ?? (parts.includes('gnueabihf') || parts.includes('musleabihf') || parts.includes('eabi') ? 'arm' : undefined), libc };
};

let added = 0;
for (const [location, meta] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = location === '' ? 'node_modules' : `${location}/node_modules`;
    const candidates = [`${base}/${dep}`, `node_modules/${dep}`];
    if (candidates.some((candidate) => lock.packages[candidate])) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os) continue; // not a platform build: leave it to npm
    lock.packages[`node_modules/${dep}`] = {
      version,
      optional: true,
      os: [os],
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
