// The chat app's one way to the API: the base URL from config.js, the user's token on every call,
// JSON answers, SSE read from fetch's stream, and every failure turned into one shape the views
// show: {status, error, message, retryAfter, offline}.
(function () {
  'use strict';
  var config = window.ZMARTY_CONFIG || { apiBase: '', supabaseUrl: null, supabaseAnonKey: null };
  var base = (config.apiBase || '').replace(/\/$/, '');
  var token = null;

  function Problem(status, body, retryAfter) {
    this.status = status;
    this.error = (body && body.error) || (status === 0 ? 'offline' : 'http_' + status);
    this.message = (body && body.message) || (status === 0 ? 'The server cannot be reached (offline?).' : 'The server answered ' + status + '.');
    this.body = body || {};
    this.retryAfter = retryAfter;
    this.offline = status === 0;
  }

  function headers(extra) {
    var h = { Accept: 'application/json' };
    if (token) { h.Authorization = 'Bearer ' + token; }
    Object.keys(extra || {}).forEach(function (k) { h[k] = extra[k]; });
    return h;
  }

  function failure(res) {
    var after = parseInt(res.headers.get('Retry-After') || '', 10);
    return res.text().then(function (text) {
      var body = null;
      try { body = JSON.parse(text); } catch (e) { body = null; }
      throw new Problem(res.status, body, isNaN(after) ? null : after);
    });
  }

  function send(method, path, body, extraHeaders) {
    var init = { method: method, headers: headers(extraHeaders) };
    if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
    return fetch(base + path, init).catch(function () { throw new Problem(0, null, null); })
      .then(function (res) { return res.ok ? res.json() : failure(res); });
  }

  // POST /chat as Server-Sent Events: onEvent(name, data) for each event; resolves at the stream's end.
  function stream(path, body, onEvent) {
    var init = { method: 'POST', headers: headers({ Accept: 'text/event-stream', 'Content-Type': 'application/json' }), body: JSON.stringify(body) };
    return fetch(base + path, init).catch(function () { throw new Problem(0, null, null); }).then(function (res) {
      if (!res.ok) { return failure(res); }
      var type = res.headers.get('content-type') || '';
      if (type.indexOf('text/event-stream') < 0) { return res.json().then(function (j) { onEvent('done', j); }); }
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function dispatch(block) {
        var name = 'message';
        var data = [];
        block.split('\n').forEach(function (line) {
          if (line.indexOf('event:') === 0) { name = line.slice(6).trim(); } else if (line.indexOf('data:') === 0) { data.push(line.slice(5).replace(/^ /, '')); }
        });
        if (data.length) { onEvent(name, JSON.parse(data.join('\n'))); }
      }
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) { if (buffer.trim()) { dispatch(buffer); } return; }
          buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, '\n');
          var at;
          while ((at = buffer.indexOf('\n\n')) >= 0) { dispatch(buffer.slice(0, at)); buffer = buffer.slice(at + 2); }
          return pump();
        });
      }
      return pump().catch(function (e) { if (e instanceof Problem) { throw e; } throw new Problem(0, null, null); });
    });
  }

  window.ZmartyApi = {
    config: config,
    Problem: Problem,
    setToken: function (t) { token = t; },
    hasToken: function () { return !!token; },
    url: function (path) { return base + path; },
    get: function (path) { return send('GET', path); },
    post: function (path, body) { return send('POST', path, body); },
    del: function (path) { return send('DELETE', path); },
    stream: stream
  };
}());
