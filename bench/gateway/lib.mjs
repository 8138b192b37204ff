// What client.mjs and ab.mjs share: one streamed chat over keep-alive HTTP, percentiles, the
// request shape of each target, and the CPU a set of processes has used (from /proc).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

export function openAiRequest(base, extraHeaders = {}) {
  const u = new URL(base + '/chat/completions');
  return {
    url: u,
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench', accept: 'text/event-stream', ...extraHeaders },
    body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    // first SSE data line carrying delta content; end = [DONE]
    isFirst: (ev) => ev.data && ev.data !== '[DONE]' && /"content":"[^"]/.test(ev.data),
    isEnd: (ev) => ev.data === '[DONE]',
  };
}

/** A maker of Zmarty chat requests at {@code base}, taking the user tokens in turn. */
export function zmartyRequests(base, tokens) {
  let next = 0;
  return () => ({
    url: new URL(base + '/chat'),
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer ' + tokens[next++ % tokens.length] },
    body: JSON.stringify({ message: 'hi' }),
    isFirst: (ev) => ev.event === 'token',
    isEnd: (ev) => ev.event === 'done',
  });
}

export const readTokens = (file) => (file ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

export function stream(spec) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let ttft = null, ended = false, buf = '', ev = {};
    const done = (err) => {
      if (ended) return;
      ended = true;
      resolve({ ttft, total: performance.now() - t0, err });
    };
    const req = http.request(spec.url, { method: 'POST', headers: spec.headers, agent }, (res) => {
      if (res.statusCode !== 200) {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => done(`HTTP ${res.statusCode} ${b.slice(0, 200)}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).replace(/\r$/, '');
          buf = buf.slice(i + 1);
          if (line === '') {
            if (ttft === null && spec.isFirst(ev)) ttft = performance.now() - t0;
            if (spec.isEnd(ev)) { done(ttft === null ? 'no token before end' : null); }
            ev = {};
          } else if (line.startsWith('event:')) ev.event = line.slice(6).trim();
          else if (line.startsWith('data:')) ev.data = (ev.data ? ev.data + '\n' : '') + line.slice(5).trim();
        }
      });
      res.on('end', () => done(ended ? null : 'stream ended without end marker'));
      res.on('error', (e) => done(String(e)));
    });
    req.on('error', (e) => done(String(e)));
    req.setTimeout(60000, () => { req.destroy(new Error('timeout')); });
    req.end(spec.body);
  });
}

export const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** {@code r} rounds of {@code n} concurrent streams. */
export async function measure(make, n, r) {
  const ok = [], errors = [];
  for (let k = 0; k < r; k++) {
    const res = await Promise.all(Array.from({ length: n }, () => stream(make())));
    for (const x of res) (x.err ? errors : ok).push(x);
  }
  return { ok, errors };
}

// CPU seconds (user + system) processes have used so far, from /proc (Linux); a process gone
// meanwhile (a closed database connection) counts 0.
export const cpuOf = (pids) => {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch { /* gone */ }
  }
  return ticks / 100; // USER_HZ
};

// CPU seconds of a process's threads by kind, from the name /proc gives each thread (at most 15
// characters: "vert.x-eventloo…", "C2 CompilerThre…")
export const EVENT_LOOPS = 'event-loop threads';
const threadKind = (name) => {
  if (/eventloo/.test(name)) return EVENT_LOOPS;
  if (/^C[12] Compiler/.test(name)) return 'JIT compiler threads';
  if (/GC|G1|^Gang|ParGC|Conc/.test(name)) return 'GC threads';
  return 'other threads (workers, VM, timers, JFR)';
};
export const threadCpu = (pid) => {
  const byKind = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const kind = threadKind(name);
      byKind[kind] = (byKind[kind] ?? 0) + (Number(f[11]) + Number(f[12])) / 100;
    } catch { /* thread gone */ }
  }
  return byKind;
};

// Processes found by pgrep -f patterns separated by '|'.
export const pidsOf = (patterns) => [...new Set((patterns || '').split('|').filter(Boolean).flatMap((p) => {
  try { return execFileSync('pgrep', ['-f', p], { encoding: 'utf8' }).split('\n').filter(Boolean); } catch { return []; }
}))];

// A PostgreSQL server's processes: the postmaster (whose command line names its data directory)
// and its children (the connections of the pools, the background workers), found now.
export const postgresPids = (dataDir) => pidsOf(dataDir).flatMap((pm) => {
  try { return [pm, ...execFileSync('pgrep', ['-P', pm], { encoding: 'utf8' }).split('\n').filter(Boolean)]; } catch { return [pm]; }
});
