// CPU per streamed chat by stage, on the gateway node run.sh started: STAGE_STREAMS concurrent
// streams × STAGE_ROUNDS rounds (10 × 100: few enough that the two cores are not saturated, so a
// function's wall time is its CPU time), measured after client.mjs so its figures carry none of this
// instrumentation. The JVM's share is split by JDK 25's CPU-time sampler (a JFR recording started
// and stopped with jcmd; Stages.java classifies each sample's stack); PostgreSQL's by its own
// per-function timing (track_functions = 'pl', switched on for this phase only), the rest of its
// processes' CPU (protocol, parse, commit and WAL, background workers) as one line.
// Env: ZMARTY_URL, ZMARTY_TOKENS_FILE, ZMARTY_JVM (pid), ZMARTY_PGDATA, ZMARTY_PG_URL (database A),
//      JAVA_HOME (a JDK 25: jcmd, java), STAGE_STREAMS (10), STAGE_ROUNDS (100), WORK (a directory).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { agent, cpuOf, EVENT_LOOPS, measure, postgresPids, readTokens, threadCpu, zmartyRequests } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const jdk = (tool) => path.join(env.JAVA_HOME, 'bin', tool);
const psql = (sql) => execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', env.ZMARTY_PG_URL, '-c', sql], { encoding: 'utf8' });
const jvm = env.ZMARTY_JVM;
const recording = path.join(env.WORK, 'stages.jfr');
const streams = Number(env.STAGE_STREAMS || 10), rounds = Number(env.STAGE_ROUNDS || 100);
const make = zmartyRequests(env.ZMARTY_URL, readTokens(env.ZMARTY_TOKENS_FILE));

// PL/pgSQL functions' calls and self times (ms), as PostgreSQL's statistics show them now
const functionTimes = () => Object.fromEntries(psql(
  "select funcname, calls, self_time from pg_stat_user_functions where schemaname = 'public'",
).split('\n').filter(Boolean).map((l) => {
  const [name, calls, self] = l.split('|');
  return [name, { calls: Number(calls), self: Number(self) }];
}));

// Function statistics reach the shared counters when a connection reports them (at a transaction's
// end at most once a second, else after up to 10 s idle): count from a reset and wait until every
// settled chat shows, at most 15 s each time.
const settles = (t) => t.chat_settle_turn?.calls ?? 0;
const countedUpTo = async (chats) => {
  let t = functionTimes();
  for (const t0 = Date.now(); settles(t) < chats && Date.now() - t0 < 15000; t = functionTimes())
    await new Promise((r) => setTimeout(r, 200));
  return t;
};
psql("alter system set track_functions = 'pl'");
psql('select pg_reload_conf()');
psql('select pg_stat_reset()');
const warm = await measure(make, streams, 2);
const before = await countedUpTo(warm.ok.length);

// window 1, no JFR (starting a recording sets the JIT compiler recompiling for a while): the
// process's and each kind of thread's CPU, and PostgreSQL's functions
const pgPids = postgresPids(env.ZMARTY_PGDATA);
const jvm0 = cpuOf([jvm]), pg0 = cpuOf(pgPids), threads0 = threadCpu(jvm);
const { ok, errors } = await measure(make, streams, rounds);
const jvm1 = cpuOf([jvm]), pg1 = cpuOf(pgPids), threads1 = threadCpu(jvm);
const chats = ok.length + errors.length;
const after = await countedUpTo(settles(before) + ok.length);
psql('alter system reset track_functions');
psql('select pg_reload_conf()');

// window 2, the same chats again under the CPU-time sampler: how the event loops' CPU divides
execFileSync(jdk('jcmd'), [jvm, 'JFR.start', 'name=stages', `filename=${recording}`,
  'jdk.CPUTimeSample#enabled=true', 'jdk.CPUTimeSample#throttle=1ms'], { stdio: 'ignore' });
const sampled = await measure(make, streams, rounds);
execFileSync(jdk('jcmd'), [jvm, 'JFR.stop', 'name=stages'], { stdio: 'ignore' });
const jfr = JSON.parse(execFileSync(jdk('java'), [path.join(here, 'Stages.java'), recording], { encoding: 'utf8' }));

const jvmMs = (jvm1 - jvm0) * 1000, pgMs = (pg1 - pg0) * 1000, total = jvmMs + pgMs;
const threadMs = Object.fromEntries(Object.entries(threads1).map(([k, v]) => [k, (v - (threads0[k] ?? 0)) * 1000]));
const loopMs = threadMs[EVENT_LOOPS] ?? 0;
const per = (x) => (x / chats).toFixed(3).padStart(6);
const line = (proc, name, ms) => console.log(`| ${proc} | ${name} | ${per(ms)} | ${(100 * ms / total).toFixed(1).padStart(4)} % |`);
console.log(`\nCPU per chat by stage: ${chats} chats (${errors.length} errors) at ${streams} concurrent streams, after the measured runs.`);
console.log('JVM: each kind of thread\'s /proc CPU; the event loops\' split among the stages by the stacks of JDK 25\'s CPU-time sampler');
console.log(`(jdk.CPUTimeSample every 1 ms of a thread's CPU, over ${sampled.ok.length} more chats; a sample goes to the frame of ours nearest`);
console.log('the leaf, Stages.java). PostgreSQL: its processes\' /proc CPU; a function\'s line is its own execution time');
console.log('(track_functions; wall time, ≈ CPU while the cores are not saturated), the rest is the remainder.\n');
console.log('| process | stage | ms per chat | share |');
console.log('|---|---|--:|--:|');
for (const [name, ms] of Object.entries(jfr.stages).sort((a, b) => b[1] - a[1])) line('JVM', name, loopMs * ms / jfr.sampledMs);
for (const [kind, ms] of Object.entries(threadMs).filter(([k]) => k !== EVENT_LOOPS).sort((a, b) => b[1] - a[1])) line('JVM', kind, ms);
let fnSelf = 0;
const fns = Object.entries(after).map(([name, t]) => [name, t.self - (before[name]?.self ?? 0), t.calls - (before[name]?.calls ?? 0)])
  .filter(([, , calls]) => calls > 0).sort((a, b) => b[1] - a[1]);
for (const [name, ms, calls] of fns) {
  line('PostgreSQL', `${name}() self time (${(calls / chats).toFixed(2)} calls per chat)`, ms);
  fnSelf += ms;
}
line('PostgreSQL', 'the rest: protocol, parse and plan, commit and WAL, background workers', Math.max(0, pgMs - fnSelf));
console.log(`| **all** | JVM ${per(jvmMs).trim()} (event loops ${per(loopMs).trim()}) + PostgreSQL ${per(pgMs).trim()} | **${per(total).trim()}** | 100 % |`);
agent.destroy();
