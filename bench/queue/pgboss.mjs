// bench/queue: pg-boss@10 doing the same no-op jobs as our pgmq poller, on the same database.
// node pgboss.mjs URL JOBS BATCHES WORKERS SAMPLES   (BATCHES: batch sizes to try, e.g. 10,100)
// Prints progress lines, then one JSON line {prefilled, steady, p50, p99} (jobs/s: the best batch
// size's; ms). Workers: WORKERS work() loops, each fetching a batch of jobs at a time (pg-boss
// completes a batch in one statement after the handler resolves) and polling every 0.5 s, pg-boss's
// minimum. pg-boss's worker loop waits out the rest of the polling interval after every fetch, full
// or not, so its throughput is at most WORKERS × batch / 0.5 s: a larger batch is its way to go faster.
import PgBoss from 'pg-boss'
import pg from 'pg'

const [url, jobsArg, batchArg, workersArg, samplesArg] = process.argv.slice(2)
const jobs = Number(jobsArg)
const batches = batchArg.split(',').map(Number)
let batchSize = batches[0]
const workers = Number(workersArg)
const samples = Number(samplesArg)
const PRODUCER_BATCH = 100
const POLL_S = 0.5

const boss = new PgBoss({ connectionString: url })
boss.on('error', err => console.error('pg-boss error:', err.message))
await boss.start()
const db = new pg.Client({ connectionString: url })
await db.connect()

async function produce (name) {
  for (let from = 0; from < jobs; from += PRODUCER_BATCH) {
    const batch = []
    for (let i = from; i < Math.min(jobs, from + PRODUCER_BATCH); i++) batch.push({ name, data: { i } })
    await boss.insert(batch)
  }
}

// Done when no job of the queue is left before 'completed' (looked up every 10 ms, as for ours).
async function awaitDone (name) {
  for (;;) {
    const r = await db.query("select 1 from pgboss.job where name = $1 and state < 'completed' limit 1", [name])
    if (r.rowCount === 0) return
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

async function throughput (name, steady) {
  await boss.createQueue(name)
  if (!steady) await produce(name)
  const t0 = performance.now()
  const ids = []
  for (let w = 0; w < workers; w++) {
    ids.push(await boss.work(name, { batchSize, pollingIntervalSeconds: POLL_S }, async () => {}))
  }
  if (steady) await produce(name)
  await awaitDone(name)
  const seconds = (performance.now() - t0) / 1000
  await boss.offWork(name)
  const done = await db.query("select count(*)::int as n from pgboss.job where name = $1 and state = 'completed'", [name])
  if (done.rows[0].n !== jobs) throw new Error(`${name}: ${done.rows[0].n} completed, expected ${jobs}`)
  console.log(`pg-boss ${steady ? 'steady   ' : 'prefilled'} ${jobs} jobs in ${seconds.toFixed(2)} s: ${Math.round(jobs / seconds)} jobs/s (${workers} workers × batch ${batchSize})`)
  return jobs / seconds
}

async function latency (name) {
  await boss.createQueue(name)
  const waiting = new Map()
  await boss.work(name, { batchSize, pollingIntervalSeconds: POLL_S }, async js => {
    const now = performance.now()
    for (const j of js) waiting.get(j.data.i)?.(now)
  })
  const ms = []
  for (let i = -3; i < samples; i++) {
    await new Promise(resolve => setTimeout(resolve, 20 + Math.floor(Math.random() * 21)))
    const started = new Promise(resolve => waiting.set(i, resolve))
    const t0 = performance.now()
    await boss.send(name, { i })
    const t1 = await started
    if (i >= 0) ms.push(t1 - t0)
  }
  await boss.offWork(name)
  ms.sort((a, b) => a - b)
  const pct = p => ms[Math.max(0, Math.min(ms.length - 1, Math.ceil(p / 100 * ms.length) - 1))]
  console.log(`pg-boss idle      send → handler start over ${samples} jobs: p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms (polling every ${POLL_S} s)`)
  return [pct(50), pct(99)]
}

let prefilled = 0
let steady = 0
for (const b of batches) {
  batchSize = b
  prefilled = Math.max(prefilled, await throughput(`bench_boss_pre_${b}`, false))
  steady = Math.max(steady, await throughput(`bench_boss_steady_${b}`, true))
}
batchSize = batches[0]
const [p50, p99] = await latency('bench_boss_idle')
await db.end()
await boss.stop({ graceful: false, wait: true })
console.log(JSON.stringify({ prefilled, steady, p50, p99 }))
