// Streams chats at 1, 100 and 500 concurrent streams against each target and prints p50/p99 of
// time-to-first-token (TTFT) and total time. Targets come from the environment:
//   DIRECT_URL   fake provider base (…/v1)           — OpenAI SSE
//   ZMARTY_URL   our gateway base — POST /chat, event: token / done; ZMARTY_TOKENS_FILE holds one
//                user JWT per line, used in turn (one user per concurrent stream, as in production)
//   PORTKEY_URL  Portkey base (…/v1), upstream = DIRECT_URL via x-portkey-custom-host
// LEVELS (default "1,100,500"), ROUNDS_<N> override rounds per level; WARMUP_STREAMS × WARMUP_ROUNDS
// (default 100 × 200) unmeasured streams go to each target first: a JVM's JIT compiler is still busy
// after a few thousand chats (bench/gateway/README.md), and a gateway in service has long paid that.
// The CPU per stream of the warm-up's second half is printed beside the measured one, to show the
// figures are from a steady state. IDLE_SECONDS (default 10): each server's CPU while idle, before
// its warm-up (our demo node's background pipeline), printed as its share of the measured figure.
import { agent, cpuOf, measure, openAiRequest, pct, pidsOf, readTokens, threadCpu, zmartyRequests } from './lib.mjs';

const levels = (process.env.LEVELS || '1,100,500').split(',').map(Number);
const defaultRounds = { 1: 20, 100: 5, 500: 3 };
const rounds = (n) => Number(process.env['ROUNDS_' + n] || defaultRounds[n] || 3);

const targets = [];
if (process.env.DIRECT_URL) targets.push(['direct', () => openAiRequest(process.env.DIRECT_URL)]);
if (process.env.ZMARTY_URL) targets.push(['zmarty', zmartyRequests(process.env.ZMARTY_URL, readTokens(process.env.ZMARTY_TOKENS_FILE))]);
if (process.env.PORTKEY_URL)
  targets.push(['portkey', () => openAiRequest(process.env.PORTKEY_URL, {
    'x-portkey-provider': 'openai',
    'x-portkey-custom-host': process.env.DIRECT_URL,
  })]);

const serverPatterns = { zmarty: process.env.ZMARTY_PGREP, portkey: process.env.PORTKEY_PGREP };
// a JVM's JIT compiler threads' CPU so far (ZMARTY_JVM: our node's pid), seconds
const jitOf = (name) => (name === 'zmarty' && process.env.ZMARTY_JVM ? threadCpu(process.env.ZMARTY_JVM)['JIT compiler threads'] ?? 0 : null);
const cpu = {}; // cpu[target] = {seconds, streams}

const results = {}; // results[target][n] = {ttft50, ttft99, tot50, tot99, count, errors}
for (const [name, make] of targets) {
  results[name] = {};
  const pids = pidsOf(serverPatterns[name]);
  const idleSeconds = Number(process.env.IDLE_SECONDS ?? 10);
  let idleRate = null; // CPU seconds per second while no chat runs
  if (pids.length && idleSeconds > 0) {
    const c0 = cpuOf(pids), t0 = Date.now();
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    idleRate = (cpuOf(pids) - c0) / ((Date.now() - t0) / 1000);
  }
  // the same warm-up for every target (JIT, connection pools): steady state is what is compared
  const warmStreams = Number(process.env.WARMUP_STREAMS || 100), warmRounds = Number(process.env.WARMUP_ROUNDS || 200);
  await measure(make, warmStreams, Math.ceil(warmRounds / 2));
  const warmStart = pids.length ? cpuOf(pids) : null;
  const warm = await measure(make, warmStreams, Math.floor(warmRounds / 2));
  const warmCpu = warmStart === null ? null : (cpuOf(pids) - warmStart) / Math.max(1, warm.ok.length + warm.errors.length);
  const cpuStart = pids.length ? cpuOf(pids) : null;
  const jitStart = jitOf(name);
  const wallStart = Date.now();
  let streams = 0;
  for (const n of levels) {
    const { ok, errors } = await measure(make, n, rounds(n));
    streams += ok.length + errors.length;
    const t = ok.map((x) => x.ttft), tot = ok.map((x) => x.total);
    results[name][n] = { ttft50: pct(t, 50), ttft99: pct(t, 99), tot50: pct(tot, 50), tot99: pct(tot, 99), count: ok.length, errors: errors.length };
    if (errors.length) console.error(`${name} n=${n}: ${errors.length} errors, first: ${errors[0].err}`);
    console.error(`${name} n=${n}: ${ok.length} streams ok`);
  }
  const cpuEnd = cpuStart === null ? null : cpuOf(pids);
  const jit = jitStart === null ? null : jitOf(name) - jitStart;
  if (cpuEnd !== null) cpu[name] = { seconds: cpuEnd - cpuStart, streams, warmCpu, jit, idle: idleRate === null ? null : idleRate * (Date.now() - wallStart) / 1000 };
}

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—').padStart(7);
console.log('\nTimes in ms (p50 / p99), per stream. TTFT = request sent → first token; total = → end of stream.\n');
console.log('| target  | streams | TTFT p50 | TTFT p99 | total p50 | total p99 | ok / errors |');
console.log('|---------|--------:|---------:|---------:|----------:|----------:|------------:|');
for (const [name] of targets)
  for (const n of levels) {
    const r = results[name][n];
    console.log(`| ${name.padEnd(7)} | ${String(n).padStart(7)} | ${f(r.ttft50)}  | ${f(r.ttft99)}  | ${f(r.tot50)}   | ${f(r.tot99)}   | ${r.count} / ${r.errors} |`);
  }
const d = results.direct;
if (d) {
  console.log('\nAdded overhead = gateway − direct (ms). Ratio = ours / Portkey (lower is better for us).\n');
  console.log('| streams | metric | ours (zmarty) | Portkey | ratio ours/Portkey |');
  console.log('|--------:|--------|--------------:|--------:|-------------------:|');
  for (const n of levels)
    for (const [label, key] of [['TTFT p50', 'ttft50'], ['TTFT p99', 'ttft99'], ['total p50', 'tot50'], ['total p99', 'tot99']]) {
      const ours = results.zmarty ? results.zmarty[n][key] - d[n][key] : NaN;
      const pk = results.portkey ? results.portkey[n][key] - d[n][key] : NaN;
      const ratio = ours > 0.5 && pk > 0.5 ? (ours / pk).toFixed(2) + '×' : '—';
      console.log(`| ${String(n).padStart(7)} | ${label.padEnd(9)} | ${f(ours)} | ${f(pk)} | ${ratio.padStart(8)} |`);
    }
}
if (Object.keys(cpu).length) {
  console.log('\nServer CPU per measured stream (user + system, from /proc; all levels together, warm-up excluded).');
  console.log('zmarty counts its JVM (with the demo\'s background pipeline) plus its PostgreSQL processes; Portkey its Node process.\n');
  console.log('"idle share": the CPU the server used while idle before its warm-up, at that rate over the measured time, per stream.');
  console.log('"warm-up 2nd half": CPU ms per stream over the second half of the warm-up (close to the measured figure: steady state).');
  console.log('"of it JIT compiler": our JVM\'s compiler threads (/proc), still compiling after the warm-up: a cost a node in service');
  console.log('has long paid; a longer warm-up (WARMUP_ROUNDS) shrinks it. Portkey\'s V8 compiles on threads it shares with its GC: not split.\n');
  console.log('| target  | CPU s | streams | CPU ms per stream | of it idle share | of it JIT compiler | warm-up 2nd half |');
  console.log('|---------|------:|--------:|------------------:|-----------------:|-------------------:|-----------------:|');
  const ms = (x) => (x === null || x === undefined ? '—' : x.toFixed(2));
  for (const [name, c] of Object.entries(cpu))
    console.log(`| ${name.padEnd(7)} | ${c.seconds.toFixed(1).padStart(5)} | ${String(c.streams).padStart(7)} | ${(1000 * c.seconds / c.streams).toFixed(2).padStart(17)} | ${ms(c.idle === null ? null : 1000 * c.idle / c.streams).padStart(16)} | ${ms(c.jit === null ? null : 1000 * c.jit / c.streams).padStart(18)} | ${ms(c.warmCpu === null ? null : 1000 * c.warmCpu).padStart(16)} |`);
}
agent.destroy();
