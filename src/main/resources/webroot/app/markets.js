// The symbols and compare views: add and remove watched pairs (the server's messages shown as
// they are), per pair the latest signal, its win rate with the sample size and a small price chart
// (uPlot) with the recent signals marked; and two or more pairs side by side.
(function () {
  'use strict';
  var api = window.ZmartyApi, ui = window.ZmartyUi, h = ui.h;
  var $ = function (id) { return document.getElementById(id); };
  var BARS = 200;
  var charts = [];

  function key(p) { return p.symbol + ' ' + p.timeframe; }
  function of(rows, p) { return rows.filter(function (r) { return r.symbol === p.symbol && r.timeframe === p.timeframe; }); }
  function window_(rows, p, name) { return of(rows, p).filter(function (w) { return w.window === name; })[0] || null; }
  function candles(p) { return api.get('/candles?symbol=' + encodeURIComponent(p.symbol) + '&timeframe=' + encodeURIComponent(p.timeframe) + '&limit=' + BARS); }

  // Everything the two views show about the watched pairs, in three calls.
  function overview() {
    return Promise.all([api.get('/symbols'), api.get('/signals?limit=20'), api.get('/win-rates')]).then(function (r) {
      return { pairs: r[0].symbols, signals: r[1].signals, winRates: r[2].win_rates };
    });
  }

  function winRateText(w) {
    if (!w || w.sample_size === 0 || w.win_rate === null) { return 'no resolved signals yet'; }
    return ui.pct(w.win_rate) + ' of ' + w.sample_size + ' (95 %: ' + ui.pct(w.ci_low) + '–' + ui.pct(w.ci_high) + ')';
  }

  function signalBlock(s) {
    if (!s) { return h('p', { class: 'state empty', text: 'No signal yet: the first one comes after the pair is ingested.' }); }
    var reasons = (s.reasons || []).slice().sort(function (a, b) { return Math.abs(b.contribution || 0) - Math.abs(a.contribution || 0); }).slice(0, 3);
    return h('dl', { class: 'signal' }, [
      h('dt', { text: 'Signal' }), h('dd', {}, [h('span', { class: 'dir ' + s.direction, text: s.direction }), ' score ' + ui.fmt(s.score, 2) + ' · ' + new Date(s.bar_time).toISOString().slice(0, 16).replace('T', ' ') + ' UTC']),
      h('dt', { text: 'Entry' }), h('dd', { text: ui.fmt(s.entry) }),
      h('dt', { text: 'Stop' }), h('dd', { text: ui.fmt(s.stop) }),
      h('dt', { text: 'Targets' }), h('dd', { text: (s.targets || []).map(function (t) { return ui.fmt(t); }).join(' · ') || '–' }),
      h('dt', { text: 'Reasons' }), h('dd', {}, [h('ul', { class: 'reasons' }, reasons.map(function (r) { return h('li', { text: r.detail || r.input }); }))])
    ]);
  }

  // A close line with the recent signals marked at their entry (▲ long, ▼ short).
  function chart(box, bars, signals) {
    if (!bars.length) { ui.state(box, 'empty', 'No prices yet.'); return; }
    var xs = bars.map(function (b) { return Date.parse(b.bar_time) / 1000; });
    var index = {};
    xs.forEach(function (x, i) { index[x] = i; });
    var longs = xs.map(function () { return null; }), shorts = xs.map(function () { return null; });
    signals.forEach(function (s) {
      var i = index[Date.parse(s.bar_time) / 1000];
      if (i === undefined) { return; }
      if (s.direction === 'long') { longs[i] = s.entry; } else if (s.direction === 'short') { shorts[i] = s.entry; }
    });
    box.replaceChildren();
    var marks = function (color) { return { stroke: color, fill: color, paths: function () { return null; }, points: { show: true, size: 9, fill: color } }; };
    var plot = new window.uPlot({
      width: Math.max(box.clientWidth, 200), height: 150, legend: { show: false }, cursor: { show: false },
      axes: [{ stroke: '#8a96a3', grid: { stroke: '#2a333d' } }, { stroke: '#8a96a3', grid: { stroke: '#2a333d' }, size: 60 }],
      series: [{}, { label: 'close', stroke: '#58a6ff', width: 1.5 }, Object.assign({ label: 'long' }, marks('#3fb950')), Object.assign({ label: 'short' }, marks('#f85149'))]
    }, [xs, bars.map(function (b) { return b.close; }), longs, shorts], box);
    charts.push({ plot: plot, box: box });
  }

  function remove(p) {
    ui.clear($('symbols-problem'));
    api.del('/symbols/' + encodeURIComponent(p.symbol) + '/' + encodeURIComponent(p.timeframe)).then(loadSymbols, function (e) { ui.problem($('symbols-problem'), e, function () { remove(p); }); });
  }

  function loadSymbols() {
    var box = $('pairs');
    charts = [];
    ui.state(box, 'loading', 'Loading your pairs…');
    overview().then(function (o) {
      if (!o.pairs.length) { ui.state(box, 'empty', 'You watch no pairs yet: add one above, e.g. BTC/USDT on 1h.'); return; }
      box.replaceChildren.apply(box, o.pairs.map(function (p) {
        var plot = h('div', { class: 'chart', role: 'img', 'aria-label': 'Price of ' + p.symbol + ' on ' + p.timeframe + ' with recent signals marked' });
        var card = h('article', { class: 'pair', 'data-pair': key(p) }, [
          h('div', { class: 'row' }, [h('h3', { text: p.symbol + ' · ' + p.timeframe }),
            h('button', { type: 'button', class: 'remove', 'aria-label': 'Remove ' + key(p), text: 'Remove', onclick: function () { remove(p); } })]),
          signalBlock(of(o.signals, p)[0]),
          h('p', { class: 'winrate' }, [h('strong', { text: 'Win rate ' }), winRateText(window_(o.winRates, p, 'all'))]),
          plot]);
        ui.state(plot, 'loading', 'Loading prices…');
        return card;
      }));
      o.pairs.forEach(function (p) {
        var plot = box.querySelector('[data-pair="' + key(p) + '"] .chart');
        candles(p).then(function (c) { chart(plot, c.bars, of(o.signals, p)); }, function (e) { ui.state(plot, 'error', 'Prices could not be loaded: ' + e.message); });
      });
    }, function (e) { box.replaceChildren(); ui.problem($('symbols-problem'), e, loadSymbols); });
  }

  function add(event) {
    event.preventDefault();
    ui.clear($('symbols-problem'));
    var body = { symbol: $('symbol').value.trim(), timeframe: $('timeframe').value };
    $('add-symbol').disabled = true;
    api.post('/symbols', body).then(function () { $('symbol').value = ''; loadSymbols(); }, function (e) {
      ui.problem($('symbols-problem'), e, function () { add(event); });
      $('symbol').focus();
    }).then(function () { $('add-symbol').disabled = false; });
  }

  // Compare: the chosen pairs side by side (latest signal, win rates, the price's return over the
  // charted bars and the strategy's summed returns).
  var picked = null;
  function loadCompare() {
    var box = $('compare');
    ui.state(box, 'loading', 'Loading…');
    overview().then(function (o) {
      if (o.pairs.length < 2) { $('compare-options').replaceChildren(); ui.state(box, 'empty', 'Watch at least two pairs to compare them (Symbols).'); return; }
      if (!picked) { picked = o.pairs.map(key); }
      $('compare-options').replaceChildren.apply($('compare-options'), o.pairs.map(function (p) {
        var id = 'cmp-' + key(p).replace(/[^A-Za-z0-9]/g, '-');
        return h('label', { class: 'check', for: id }, [h('input', { type: 'checkbox', id: id, checked: picked.indexOf(key(p)) >= 0 ? 'checked' : null,
          onchange: function (e) { picked = e.target.checked ? picked.concat([key(p)]) : picked.filter(function (k) { return k !== key(p); }); loadCompare(); } }), ' ' + key(p)]);
      }));
      var chosen = o.pairs.filter(function (p) { return picked.indexOf(key(p)) >= 0; });
      if (chosen.length < 2) { ui.state(box, 'empty', 'Pick two or more pairs.'); return; }
      return Promise.all(chosen.map(function (p) {
        return Promise.all([candles(p), api.get('/analytics/performance?symbol=' + encodeURIComponent(p.symbol) + '&timeframe=' + encodeURIComponent(p.timeframe))]);
      })).then(function (extra) { box.replaceChildren(table(chosen, o, extra)); });
    }).catch(function (e) { box.replaceChildren(); ui.problem($('compare-problem'), e, loadCompare); });
  }

  function table(pairs, o, extra) {
    function ret(bars) { return bars.length > 1 ? bars[bars.length - 1].close / bars[0].close - 1 : null; }
    function perf(x) { var s = x[1].sources[0]; return s ? s.windows.all : null; }
    var rows = [
      ['Latest signal', function (p) { var s = of(o.signals, p)[0]; return s ? s.direction + ' · score ' + ui.fmt(s.score, 2) : '–'; }],
      ['Entry / stop', function (p) { var s = of(o.signals, p)[0]; return s ? ui.fmt(s.entry) + ' / ' + ui.fmt(s.stop) : '–'; }],
      ['Win rate (all)', function (p) { return winRateText(window_(o.winRates, p, 'all')); }],
      ['Win rate (30 d)', function (p) { return winRateText(window_(o.winRates, p, '30d')); }],
      ['Price return, last ' + BARS + ' bars', function (p, i) { return ui.pct(ret(extra[i][0].bars)); }],
      ['Strategy: summed returns', function (p, i) { var w = perf(extra[i]); return w ? ui.pct(w.pnl) + ' over ' + w.trades + ' trades' : '–'; }]
    ];
    return h('div', { class: 'scroll' }, [h('table', { class: 'compare' }, [
      h('thead', {}, [h('tr', {}, [h('th', { scope: 'col', text: '' })].concat(pairs.map(function (p) { return h('th', { scope: 'col', 'data-pair': key(p), text: key(p) }); })))]),
      h('tbody', {}, rows.map(function (r) { return h('tr', {}, [h('th', { scope: 'row', text: r[0] })].concat(pairs.map(function (p, i) { return h('td', { text: r[1](p, i) }); }))); }))])]);
  }

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.plot.setSize({ width: Math.max(c.box.clientWidth, 200), height: 150 }); }); });

  window.ZmartyMarkets = {
    init: function () { $('add-form').addEventListener('submit', add); },
    showSymbols: loadSymbols,
    showCompare: loadCompare
  };
}());
