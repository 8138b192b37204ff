// Opens N SSE chats on one API node, one user each (node streams.mjs <port> <tokens file> <n>), and
// holds them open. Prints "open <k> failed <f>" once every chat has its first token (or failed),
// then keeps the streams open until it is killed. Every other chat asks for "tools", so the router
// sends half to each of the two fake providers (each provider's connection pool holds 512 streams).
import fs from 'node:fs';
import http from 'node:http';

const [port, tokensFile, nArg] = process.argv.slice(2);
const n = Number(nArg);
const tokens = fs.readFileSync(tokensFile, 'utf8').trim().split('\n');
if (tokens.length < n) throw new Error(`need ${n} tokens, have ${tokens.length}`);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const PENDING_MAX = Number(process.env.OPEN_CONCURRENCY || 100); // chats being set up at once
let started = 0, open = 0, failed = 0, ended = 0, pending = 0;
const errors = new Map();
const t0 = Date.now();

function settle() {
  pending--;
  if (open + failed === n) {
    console.log(`open ${open} failed ${failed} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const [e, c] of errors) console.log(`  error ×${c}: ${e}`);
  }
  next();
}

function one(i) {
  const body = JSON.stringify({ message: i % 2 ? 'Use tools and analyze deeply: where is BTC going?' : "What's the signal for BTC?" });
  let seen = false, done = false;
  const fail = (why) => {
    if (done) return;
    done = true; failed++;
    errors.set(why, (errors.get(why) || 0) + 1);
    settle();
  };
  const req = http.request({ host: '127.0.0.1', port, path: '/chat', method: 'POST', agent,
    headers: { authorization: 'Bearer ' + tokens[i], 'content-type': 'application/json', accept: 'text/event-stream', 'content-length': Buffer.byteLength(body) } },
  (res) => {
    res.setEncoding('utf8');
    let text = '';
    res.on('data', (d) => {
      if (!seen) text += d;
      if (!seen && text.includes('event: token')) {
        seen = true; done = true; open++;
        settle();
      }
    });
    res.on('end', () => { if (seen) ended++; else fail(`HTTP ${res.statusCode} ${text.slice(0, 160).replace(/\n/g, ' ')}`); });
  });
  req.on('error', (e) => fail(e.code || e.message));
  req.end(body);
}

function next() {
  while (pending < PENDING_MAX && started < n) {
    pending++;
    one(started++);
  }
}
next();
setInterval(() => process.stderr.write(`  streams: open ${open}, failed ${failed}, ended early ${ended}, setting up ${pending}\n`), 10000).unref();
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1 << 30);
