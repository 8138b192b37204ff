// Fake OpenAI-compatible streaming provider: POST /v1/chat/completions streams CHUNKS content
// chunks INTERVAL_MS apart, then a usage chunk and [DONE]. GET /v1/models answers 200.
import http from 'node:http';

const port = Number(process.env.PORT || 0);
const chunks = Number(process.env.CHUNKS || 20);
const interval = Number(process.env.INTERVAL_MS || 5);

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  if (req.method === 'GET' && path.endsWith('/models')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-model', object: 'model' }] }));
    return;
  }
  if (req.method === 'POST' && path.endsWith('/chat/completions')) {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      let model = 'fake-model';
      try { model = JSON.parse(body).model || model; } catch {}
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const id = 'chatcmpl-' + Math.random().toString(36).slice(2);
      const frame = (o) => res.write('data: ' + JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, ...o }) + '\n\n');
      let i = 0;
      const tick = () => {
        if (res.destroyed) return;
        if (i < chunks) {
          frame({ choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: 'word ' } : { content: 'word ' }, finish_reason: null }] });
          i++;
          setTimeout(tick, interval);
        } else {
          frame({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
          frame({ choices: [], usage: { prompt_tokens: 10, completion_tokens: chunks, total_tokens: 10 + chunks } });
          res.end('data: [DONE]\n\n');
        }
      };
      tick(); // first chunk immediately, then every INTERVAL_MS
    });
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not found"}');
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log('fake provider on ' + server.address().port));
