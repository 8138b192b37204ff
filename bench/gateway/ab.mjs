// Metrics on against metrics off, interleaved: two Zmarty nodes run side by side (the same jar, one
// with METRICS_ENABLED=false); each "slot" streams AB_ROUNDS rounds of AB_STREAMS concurrent chats
// through one node and reads the CPU its JVM and its PostgreSQL used meanwhile. Slots alternate
// on/off/off/on/on/off… (AB_PAIRS pairs, the order flipped every pair), so load from anything else
// on the machine falls on both alike. Prints each pair, the medians, and the metrics' cost: the
// median over pairs of (on − off) ÷ off, for the JVM alone and for the JVM + PostgreSQL.
// Env (set by run.sh with METRICS_AB=1): AB_<ON|OFF>_URL, _TOKENS (file of JWTs), _JVM (pid),
// _PGDATA (the embedded PostgreSQL's data dir); AB_STREAMS (100), AB_ROUNDS (5), AB_PAIRS (10),
// AB_GOAL_PCT (2).
import { agent, cpuOf, measure, pct, postgresPids, readTokens, zmartyRequests } from './lib.mjs';

const streams = Number(process.env.AB_STREAMS || 100);
const roundsPerSlot = Number(process.env.AB_ROUNDS || 5);
const pairs = Number(process.env.AB_PAIRS || 10);
const goalPct = Number(process.env.AB_GOAL_PCT || 2);

const node = (side) => ({
  side,
  make: zmartyRequests(process.env[`AB_${side}_URL`], readTokens(process.env[`AB_${side}_TOKENS`])),
  jvm: [process.env[`AB_${side}_JVM`]],
  pgdata: process.env[`AB_${side}_PGDATA`],
});
const on = node('ON'), off = node('OFF');

async function slot(n) {
  const pg = postgresPids(n.pgdata);
  const jvm0 = cpuOf(n.jvm), pg0 = cpuOf(pg);
  const { ok, errors } = await measure(n.make, streams, roundsPerSlot);
  const jvm = cpuOf(n.jvm) - jvm0, db = cpuOf(pg) - pg0;
  const count = ok.length + errors.length;
  if (errors.length) console.error(`${n.side}: ${errors.length} errors, first: ${errors[0].err}`);
  return { jvm: (1000 * jvm) / count, all: (1000 * (jvm + db)) / count, ttft: pct(ok.map((x) => x.ttft), 50), errors: errors.length };
}

const warm = Number(process.env.WARMUP_ROUNDS || 4);
// JIT, pools: steady state is compared. Each node gets the same warm-up, in halves taken in turn
// (until 2026-12-01 the first node got a second full one: with a long warm-up its JIT compiler was
// further along, worth 0.6-0.7 ms of JVM CPU per chat at 100 streams in an A/A-like comparison).
for (const n of [on, off, on, off]) await measure(n.make, streams, Math.ceil(warm / 2));

const rows = [];
for (let i = 0; i < pairs; i++) {
  const order = i % 2 === 0 ? [on, off] : [off, on];
  const r = {};
  for (const n of order) r[n.side] = await slot(n);
  rows.push(r);
  console.error(`pair ${i + 1}/${pairs}: JVM ms/chat on ${r.ON.jvm.toFixed(2)} off ${r.OFF.jvm.toFixed(2)}`);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const f = (x, w = 7, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—').padStart(w);
console.log(`\nMetrics on vs off, interleaved: ${pairs} pairs × ${roundsPerSlot} rounds × ${streams} concurrent streams per slot.`);
console.log('CPU ms per streamed chat (user + system from /proc); JVM = the node\'s JVM, all = JVM + its PostgreSQL.\n');
console.log('| pair | order | JVM on | JVM off | all on | all off | on/off JVM | on/off all |');
console.log('|-----:|-------|-------:|--------:|-------:|--------:|-----------:|-----------:|');
rows.forEach((r, i) => console.log(`| ${String(i + 1).padStart(4)} | ${i % 2 === 0 ? 'on,off' : 'off,on'} | ${f(r.ON.jvm)} | ${f(r.OFF.jvm)} | ${f(r.ON.all)} | ${f(r.OFF.all)} | ${f(r.ON.jvm / r.OFF.jvm, 10, 3)} | ${f(r.ON.all / r.OFF.all, 10, 3)} |`));
const m = (k, s) => median(rows.map((r) => r[s][k]));
const costJvm = 100 * (median(rows.map((r) => r.ON.jvm / r.OFF.jvm)) - 1);
const costAll = 100 * (median(rows.map((r) => r.ON.all / r.OFF.all)) - 1);
console.log(`\n| | metrics on | metrics off | cost of metrics (median of pair ratios − 1) |`);
console.log('|---|---:|---:|---:|');
console.log(`| JVM CPU ms/chat (median) | ${f(m('jvm', 'ON'))} | ${f(m('jvm', 'OFF'))} | ${f(costJvm, 6, 1)} % |`);
console.log(`| JVM + PostgreSQL CPU ms/chat (median) | ${f(m('all', 'ON'))} | ${f(m('all', 'OFF'))} | ${f(costAll, 6, 1)} % |`);
console.log(`| TTFT p50 ms (median of slots) | ${f(m('ttft', 'ON'))} | ${f(m('ttft', 'OFF'))} | |`);
const errors = rows.reduce((a, r) => a + r.ON.errors + r.OFF.errors, 0);
const verdict = errors ? `NOT MEASURED (${errors} failed streams)` : costAll < goalPct ? 'MET' : 'MISSED';
console.log(`\nGoal: metrics under ${goalPct} % of the gateway's CPU per chat (JVM + PostgreSQL): ${verdict} (${costAll.toFixed(1)} %; JVM alone ${costJvm.toFixed(1)} %).`);
agent.destroy();
process.exitCode = costAll < goalPct && !errors ? 0 : 1;
