// The operators' dashboard: renders the admin.* snapshots the ops role publishes every second and
// sends actions (behind a confirmation) to admin.actions.*. The token is the operator's own,
// pasted here or handed over once in the URL's fragment (/admin/#token=…, as the local demo prints
// it; a fragment never reaches a server), and kept in this tab's sessionStorage only.
(function () {
  'use strict';
  var KEY = 'zmarty.admin.token';
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'onclick') { e.addEventListener('click', attrs[k]); } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); } });
    return e;
  }
  function fill(id, node) { var box = $(id); box.classList.remove('muted'); box.replaceChildren(node); }
  function table(headers, rows, numeric) {
    return el('table', {}, [el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { text: h }); }))]),
      el('tbody', {}, rows.map(function (r) {
        return el('tr', r.attrs || {}, (r.cells || r).map(function (c, i) {
          return c instanceof Node ? el('td', {}, [c]) : el('td', { text: c === null || c === undefined ? '–' : String(c), class: numeric && numeric.indexOf(i) >= 0 ? 'num' : '' });
        }));
      }))]);
  }
  function ago(iso) {
    if (!iso) { return '–'; }
    var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    return s < 90 ? s + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  }
  function failed(id, body) {
    if (body && body.error) { fill(id, el('span', { class: 'bad', text: body.error })); return true; }
    return false;
  }
  function notice(text, kind) {
    var n = $('notice');
    n.textContent = text;
    n.className = 'notice ' + (kind || '');
    n.hidden = !text;
  }

  // Actions: a confirmation, then the bridge, then the answer in the notice line.
  function act(address, body, question) {
    var dialog = $('confirm');
    $('confirm-text').textContent = question;
    dialog.returnValue = '';
    dialog.onclose = function () {
      if (dialog.returnValue !== 'ok') { return; }
      notice('working: ' + question, 'warn');
      bridge.send(address, body, function (err, reply) {
        if (err) { notice('refused: ' + err.message + (err.code ? ' (' + err.code + ')' : ''), 'bad'); return; }
        notice('done: ' + JSON.stringify(reply), 'ok');
      });
    };
    dialog.showModal();
  }
  function button(label, address, body, question, danger) {
    return el('button', { type: 'button', class: danger ? 'danger' : '', text: label, onclick: function () { act(address, body, question); } });
  }

  var chart = null;
  var render = {
    'admin.health': function (b) {
      if (failed('health', b)) { return; }
      fill('health', el('div', {}, [el('p', {}, ['Overall: ', el('strong', { class: cls(b.status), text: b.status }), ' · checked ' + ago(b.checked_at)]),
        table(['check', 'status', 'message'], (b.checks || []).map(function (c) { return [c.name, el('span', { class: cls(c.status), text: c.status }), c.message]; }))]));
    },
    'admin.cluster': function (b) {
      fill('cluster', el('div', {}, [el('p', { text: b.members + ' member(s) in the cluster; nodes reporting:' }),
        table(['node', 'roles', 'last report'], (b.nodes || []).map(function (n) { return [n.node, (n.roles || []).join(', '), ago(n.at)]; }))]));
    },
    'admin.queues': function (b) {
      if (failed('queues', b)) { return; }
      var qs = b.queues || [];
      fill('queues', table(['queue', 'depth', 'ready', 'in flight', 'delayed', 'oldest', 'done / min', 'state', ''], qs.map(function (q) {
        var control = q.paused ? button('Resume', 'admin.actions.queue.resume', { queue: q.queue }, 'Resume queue ' + q.queue + '? Every worker starts reading it again.')
          : button('Pause', 'admin.actions.queue.pause', { queue: q.queue }, 'Pause queue ' + q.queue + '? No worker in the cluster reads it until resumed.', true);
        return { attrs: { 'data-queue': q.queue }, cells: [q.queue, q.depth, q.waiting, q.in_flight, q.delayed, q.oldest_age_sec + ' s', q.done_last_minute,
          el('span', { class: q.paused ? 'warn' : 'ok', text: q.paused ? 'paused' : 'running' }), control] };
      }), [1, 2, 3, 4, 5, 6]));
      drawChart(qs);
    },
    'admin.dlq': function (b) {
      if (failed('dlq', b)) { return; }
      var groups = b.groups || [];
      if (!groups.length) { fill('dlq', el('p', { class: 'ok', text: 'No dead letters in ' + b.queue + '.' })); return; }
      fill('dlq', el('div', {}, groups.map(function (g) {
        var what = g.count + ' from ' + g.queue;
        return el('div', { class: 'group', 'data-group': g.queue }, [
          el('div', { class: 'actions' }, [
            button('Retry group', 'admin.actions.dlq.retry_group', { queue: g.queue, error: g.error }, 'Move ' + what + ' back into ' + g.queue + '?'),
            button('Discard group', 'admin.actions.dlq.discard_group', { queue: g.queue, error: g.error }, 'Discard ' + what + ' (kept in the dead-letter archive)?', true)]),
          el('strong', { text: g.count + ' × ' + g.queue }), ' ', el('span', { class: 'bad', text: g.error }),
          el('div', { class: 'muted', text: 'first ' + ago(g.first_seen) + ' · last ' + ago(g.last_seen) }),
          el('pre', { text: 'example: ' + JSON.stringify(g.example) }),
          el('details', {}, [el('summary', { text: 'jobs (' + (g.letters || []).length + (g.count > (g.letters || []).length ? ' newest of ' + g.count : '') + ')' }),
            table(['id', 'record', 'reads', ''], (g.letters || []).map(function (l) {
              var rec = l.record ? (l.record.href ? el('a', { href: l.record.href, text: l.record.label }) : el('span', { text: l.record.label })) : JSON.stringify(l.message);
              return [l.id, rec, l.read_ct, button('Retry', 'admin.actions.dlq.retry', { id: l.id }, 'Move dead letter ' + l.id + ' back into ' + g.queue + '?')];
            }))])]);
      })));
    },
    'admin.cron': function (b) {
      if (failed('cron', b)) { return; }
      var rows = (b.jobs || []).map(function (j) {
        var last = (j.runs || [])[0];
        var state = j.missed ? el('span', { class: 'bad', text: 'missed: no run at ' + j.previous }) : last && last.late ? el('span', { class: 'warn', text: 'late' }) : el('span', { class: 'ok', text: 'on time' });
        return [j.job, j.expression + ' ' + j.zone + ' (' + j.runner + ')', j.next && j.next[0] ? j.next[0].utc : '–',
          last ? last.status + ' ' + ago(last.started_at) + (last.duration_ms !== null && last.duration_ms !== undefined ? ' · ' + last.duration_ms + ' ms' : '') : 'never', state,
          button('Run now', 'admin.actions.cron.run', { job: j.job }, 'Run ' + j.job + ' now?')];
      });
      var n = b.last_nightly;
      fill('cron', el('div', {}, [table(['job', 'schedule', 'next', 'last run', '', ''], rows),
        el('p', { class: 'muted', text: n ? 'Last nightly: ' + n.status + ', finished ' + ago(n.finished_at) : 'No nightly run stored yet.' })]));
    },
    'admin.credits': function (b) {
      if (failed('credits', b)) { return; }
      var o = b.outcomes_since_start || {};
      fill('credits', el('div', {}, [
        el('p', { text: 'Chats this minute: ' + (b.chats_this_minute || 0) + ' · since the nodes started: ' + (o.answered || 0) + ' answered, ' + (o.refused_402 || 0) + ' × 402, ' + (o.rate_limited || 0) + ' × 429' }),
        el('h3', { text: 'Top users, last 24 h' }), table(['user', 'credits', 'chats'], (b.top_users || []).map(function (u) { return [u.user_id, u.credits, u.chats]; }), [1, 2]),
        el('h3', { text: 'By provider, last 24 h' }), table(['provider', 'credits', 'chats', 'tokens in', 'tokens out'], (b.providers || []).map(function (p) { return [p.provider, p.credits, p.chats, p.tokens_in, p.tokens_out]; }), [1, 2, 3, 4])]));
    },
    'admin.providers': function (b) {
      var ps = b.providers || [];
      fill('providers', ps.length ? table(['provider', 'breaker', 'answers', 'errors', 'error rate', 'mean', 'max'], ps.map(function (p) {
        return [p.provider, el('span', { class: p.breaker === 'open' ? 'bad' : 'ok', text: p.breaker }), p.requests, p.errors, (100 * p.error_rate).toFixed(1) + ' %', Math.round(p.mean_ms) + ' ms', Math.round(p.max_ms) + ' ms'];
      }), [2, 3, 4, 5, 6]) : el('p', { class: 'muted', text: 'No provider calls yet.' }));
    },
    'admin.lens': function (b) {
      if (failed('lens', b)) { return; }
      var ev = b.events_by_status || {}; var dlq = b.open_dlq_by_stage || {};
      fill('lens', el('div', {}, [table(['event status', 'count'], Object.keys(ev).map(function (k) { return [k, ev[k]]; }), [1]),
        el('p', { text: 'Open dead letters: ' + (Object.keys(dlq).map(function (k) { return k + ' ' + dlq[k]; }).join(', ') || 'none') })]));
    },
    'admin.errors': function (b) {
      var es = b.errors || [];
      fill('errors', es.length ? table(['when', 'level', 'node', 'logger', 'message'], es.map(function (e) {
        return [ago(e.at), el('span', { class: e.level === 'ERROR' ? 'bad' : 'warn', text: e.level }), e.node, e.logger.replace(/^.*\./, ''), e.message];
      })) : el('p', { class: 'ok', text: 'No warnings or errors.' }));
    }
  };
  function cls(status) { return status === 'healthy' || status === 'UP' ? 'ok' : status === 'warning' ? 'warn' : 'bad'; }

  function drawChart(qs) {
    var box = $('queue-chart');
    var xs = {};
    qs.forEach(function (q) { q.series.minutes.forEach(function (m) { xs[m] = true; }); });
    var x = Object.keys(xs).map(Number).sort(function (a, b) { return a - b; });
    var data = [x].concat(qs.map(function (q) {
      var at = {}; q.series.minutes.forEach(function (m, i) { at[m] = q.series.depth[i]; });
      return x.map(function (m) { return at[m] === undefined ? null : at[m]; });
    }));
    var names = qs.map(function (q) { return q.queue; }).join(',');
    if (!chart || chart.names !== names) {
      if (chart) { chart.destroy(); }
      var colours = ['#58a6ff', '#3fb950', '#d29922', '#f85149', '#bc8cff', '#39c5cf', '#ff7b72'];
      chart = new uPlot({ title: 'Queue depth, last hour (largest each minute)', width: Math.max(300, (box.parentNode.clientWidth || 800) - 40), height: 220,
        series: [{}].concat(qs.map(function (q, i) { return { label: q.queue, stroke: colours[i % colours.length], width: 2 }; })),
        // the x scale is always the last hour: a single minute's point would otherwise stretch it over years
        scales: { x: { time: true, range: function () { var now = Date.now() / 1000; return [now - 3600, now + 60]; } } },
        axes: [{ stroke: '#8a96a3' }, { stroke: '#8a96a3' }] }, data, box);
      chart.names = names;
    } else {
      chart.setData(data);
    }
  }

  // Without a token the server accepts, nothing of what an earlier one showed may stay on the page.
  var SECTIONS = ['health', 'cluster', 'queues', 'dlq', 'cron', 'credits', 'providers', 'lens', 'errors'];
  function clearData(why) {
    SECTIONS.forEach(function (id) { var box = $(id); box.classList.add('muted'); box.replaceChildren(document.createTextNode(why)); });
    if (chart) { chart.destroy(); chart = null; }
    $('queue-chart').replaceChildren();
    last = {};
  }

  var bridge = new window.ZmartyBridge('/eventbus', {
    token: function () { return sessionStorage.getItem(KEY) || ''; },
    onstate: function (state, delay, why) {
      if (state === 'refused') {
        sessionStorage.removeItem(KEY);
        clearData('no data: the token was refused');
        notice('The server refused this token: ' + why + '. Paste an operator token.', 'bad');
      }
      var c = $('conn');
      var text = { connecting: 'connecting…', open: 'live', retrying: 'disconnected, retrying in ' + Math.round((delay || 0) / 1000) + ' s', refused: 'refused: not an operator token', closed: 'not connected' }[state];
      c.textContent = text;
      c.className = 'conn ' + (state === 'open' ? 'conn-on' : state === 'connecting' || state === 'retrying' ? 'conn-wait' : 'conn-off');
      document.body.setAttribute('data-conn', state);
      if (state === 'open') { last = {}; }
    }
  });
  // a snapshot equal to the last one (but for its time stamp) leaves the page as it is, so open
  // details, focus and a half-made click survive the second-by-second feed
  var last = {};
  Object.keys(render).forEach(function (address) {
    bridge.on(address, function (body) {
      var copy = Object.assign({}, body);
      delete copy.at;
      delete copy.by;
      var key = JSON.stringify(copy);
      if (last[address] === key) { return; }
      last[address] = key;
      render[address](body);
    });
  });

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    var t = $('token').value.trim();
    if (t) { sessionStorage.setItem(KEY, t); }
    $('token').value = '';
    bridge.stop();
    if (sessionStorage.getItem(KEY)) { notice(''); bridge.start(); }
  });
  $('forget').addEventListener('click', function () {
    sessionStorage.removeItem(KEY);
    bridge.stop();
    clearData('no data: not connected');
    notice('Token forgotten.');
  });
  // #token=… is read once, kept like a pasted one and taken out of the address bar and history
  var fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (fragment.get('token')) {
    sessionStorage.setItem(KEY, fragment.get('token').trim());
    history.replaceState(null, '', location.pathname + location.search);
  }
  if (sessionStorage.getItem(KEY)) { bridge.start(); } else { notice('Paste an operator token (service role, or a JWT with app_metadata.role admin) and connect.'); }
})();
