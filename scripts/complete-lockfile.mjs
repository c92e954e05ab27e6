// The npm registry this project is built against lacks some platforms' optional native
// packages (for example @rollup/rollup-darwin-arm64), so `npm install` leaves them out of
// package-lock.json and `npm ci` then refuses the lock. This adds each missing optional
// package as an os/cpu-restricted optional entry, which npm ci skips on other platforms.
// Run it after every `npm install` that changes the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'openharmony', 'sunos', 'aix', 'netbsd'];
const CPUS = ['arm64', 'x64', 'ia32', 'arm', 'loong64', 'ppc64', 'riscv64', 's390x'];

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pk = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries({ ...pk })) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (pk[nested] || pk[top]) continue;
    const leaf = name.split('/').pop();
    const os = OSES.find((o) => leaf.includes(o));
    const cpu = CPUS.find((c) => new RegExp(`(^|-)${c}($|-)`).test(leaf));
    pk[top] = { version, optional: true, ...(cpu ? { cpu: [cpu] } : {}), ...(os ? { os: [os] } : {}) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(pk).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);
