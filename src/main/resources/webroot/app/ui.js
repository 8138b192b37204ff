// Small DOM helpers and the one way every view shows a failure with a way forward:
// 402 the shortfall, 429 a countdown from Retry-After, 503 and offline a retry button.
(function () {
  'use strict';

  function h(tag, props, kids) {
    var node = document.createElement(tag);
    for (var k in props || {}) {
      if (k === 'text') { node.textContent = props[k]; } else if (k.indexOf('on') === 0) { node.addEventListener(k.slice(2), props[k]); } else if (props[k] !== null && props[k] !== undefined && props[k] !== false) { node.setAttribute(k, props[k]); }
    }
    [].concat(kids || []).forEach(function (kid) { if (kid !== null && kid !== undefined) { node.append(kid); } });
    return node;
  }

  function fmt(n, digits) {
    if (n === null || n === undefined || isNaN(n)) { return '–'; }
    return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }

  function pct(x) { return x === null || x === undefined ? '–' : fmt(x * 100, 1) + ' %'; }

  var timers = new WeakMap();

  // Shows problem p in box; retry() is offered when trying again can help. ctx.shortfall: credits missing (402).
  function problem(box, p, retry, ctx) {
    clearInterval(timers.get(box));
    box.hidden = false;
    box.className = 'problem';
    box.setAttribute('data-status', String(p.status));
    var lines = [];
    var action = null;
    if (p.status === 402) {
      lines.push(h('strong', { text: 'Not enough credits.' }), ' ' + p.message);
      if (ctx && ctx.shortfall > 0) { lines.push(h('p', { class: 'shortfall', text: 'You are short by ' + fmt(ctx.shortfall, 0) + ' credits for this message.' })); }
      lines.push(h('p', { text: 'Top up your credits, or shorten the message.' }));
    } else if (p.status === 429) {
      var left = p.retryAfter || 1;
      var count = h('span', { class: 'countdown', text: String(left) });
      // the server's message names the wait at the time it answered; the countdown replaces it
      lines.push(h('strong', { text: 'Too many requests.' }), ' ', h('span', {}, ['Try again in ', count, ' s.']));
      action = h('button', { type: 'button', class: 'retry', disabled: 'disabled', text: 'Retry', onclick: function () { box.hidden = true; retry(); } });
      timers.set(box, setInterval(function () {
        left -= 1;
        count.textContent = String(Math.max(left, 0));
        if (left <= 0) { clearInterval(timers.get(box)); action.disabled = false; action.focus(); }
      }, 1000));
    } else if (p.offline) {
      lines.push(h('strong', { text: 'Offline.' }), ' The server cannot be reached; check your connection.');
    } else if (p.status === 401) {
      lines.push(h('strong', { text: 'Signed out.' }), ' ' + p.message + ' Sign in again.');
    } else if (p.status === 503) {
      lines.push(h('strong', { text: 'Unavailable for now.' }), ' ' + p.message);
    } else {
      lines.push(h('strong', { text: p.status >= 500 ? 'Something failed on the server.' : 'Refused.' }), ' ' + p.message);
    }
    if (!action && retry && (p.offline || p.status === 503 || p.status >= 500)) {
      action = h('button', { type: 'button', class: 'retry', text: 'Retry', onclick: function () { box.hidden = true; retry(); } });
    }
    box.replaceChildren(h('div', { class: 'problem-text' }, lines));
    if (action) { box.append(action); }
    if (p.status === 401 && window.ZmartyApp) { window.ZmartyApp.signedOut(p.message); }
  }

  function clear(box) { clearInterval(timers.get(box)); box.hidden = true; box.replaceChildren(); }

  function state(box, kind, text) { box.replaceChildren(h('p', { class: 'state ' + kind, text: text })); }

  window.ZmartyUi = { h: h, fmt: fmt, pct: pct, problem: problem, clear: clear, state: state };
}());
