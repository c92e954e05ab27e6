// The load generator of bench/consent.ts, run as its own process so it never shares the server's
// event loop: keep-alive connections on loopback, each sending GET /v1/consent/check for a
// random ISRC back to back for a fixed time. Prints one JSON line: requests, errors, seconds and
// every latency's percentiles.
// Arguments: URL KEY ISRC_FILE CONNECTIONS SECONDS

import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const [url, key, isrcFile, conns, secs] = process.argv.slice(2) as [string, string, string, string, string];
const isrcs = readFileSync(isrcFile, 'utf8').trim().split('\n');
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conns) });
const target = new URL(url);
const latencies: number[] = [];
let errors = 0;
let seed = 12345;
const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) % isrcs.length;

function one(): Promise<void> {
  const isrc = isrcs[next()]!;
  const path = `/v1/consent/check?isrc=${isrc}&use=ai_training&licensee=acme-ai&territory=GB&purpose=commercial`;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.request({ host: target.hostname, port: target.port, path, agent, headers: { authorization: `Bearer ${key}` } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) errors++;
        latencies.push(performance.now() - t0);
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end();
  });
}

const until = performance.now() + Number(secs) * 1000;
const start = performance.now();
await Promise.all(
  Array.from({ length: Number(conns) }, async () => {
    while (performance.now() < until) await one();
  }),
);
const seconds = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
agent.destroy();
console.log(JSON.stringify({ requests: latencies.length, errors, seconds, p50: pct(50), p90: pct(90), p99: pct(99), max: latencies.at(-1) ?? null }));
