// The chat app's shell: signing in and out, the tabs (arrow keys move between them), the
// balance in the header, the online/offline state and the credits view.
(function () {
  'use strict';
  var api = window.ZmartyApi, ui = window.ZmartyUi, auth = window.ZmartyAuth, h = ui.h;
  var $ = function (id) { return document.getElementById(id); };
  var TABS = ['chat', 'symbols', 'compare', 'credits'];
  var shown = {
    chat: function () { window.ZmartyChat.show(); },
    symbols: function () { window.ZmartyMarkets.showSymbols(); },
    compare: function () { window.ZmartyMarkets.showCompare(); },
    credits: loadCredits
  };
  var app = window.ZmartyApp = { credits: null, refreshCredits: refreshCredits, signedOut: signedOut };

  function show(name, focus) {
    TABS.forEach(function (t) {
      var on = t === name;
      $('tab-' + t).setAttribute('aria-selected', String(on));
      $('tab-' + t).tabIndex = on ? 0 : -1;
      $('view-' + t).hidden = !on;
    });
    document.body.setAttribute('data-view', name);
    if (focus) { $('tab-' + name).focus(); }
    shown[name]();
  }

  function refreshCredits() {
    return api.get('/credits?limit=20').then(function (c) {
      app.credits = c;
      $('balance-pill').hidden = false;
      $('balance-pill').textContent = ui.fmt(c.available, 0) + ' credits';
      window.ZmartyChat.creditsChanged();
      return c;
    });
  }

  function loadCredits() {
    var box = $('credits');
    ui.clear($('credits-problem'));
    ui.state(box, 'loading', 'Loading your credits…');
    refreshCredits().then(function (c) {
      var rows = c.recent || [];
      box.replaceChildren(
        h('dl', { class: 'balance' }, [h('dt', { text: 'Balance' }), h('dd', { id: 'credits-balance', text: ui.fmt(c.balance, 0) }),
          h('dt', { text: 'Held for answers in progress' }), h('dd', { text: ui.fmt(c.held, 0) }),
          h('dt', { text: 'Available' }), h('dd', { text: ui.fmt(c.available, 0) })]),
        h('h2', { text: 'Recent ledger rows' }),
        rows.length ? h('div', { class: 'scroll' }, [h('table', { class: 'ledger' }, [
          h('thead', {}, [h('tr', {}, ['When', 'Amount', 'Reason', 'Provider'].map(function (t) { return h('th', { scope: 'col', text: t }); }))]),
          h('tbody', {}, rows.map(function (r) {
            return h('tr', {}, [h('td', { text: (r.created_at || '').slice(0, 19).replace('T', ' ') }), h('td', { class: 'num ' + (r.delta < 0 ? 'bad' : 'ok'), text: (r.delta > 0 ? '+' : '') + ui.fmt(r.delta, 0) }),
              h('td', { text: r.reason || '' }), h('td', { text: r.provider || '' })]);
          }))])]) : h('p', { class: 'state empty', text: 'No ledger rows yet.' }));
    }, function (e) { box.replaceChildren(); ui.problem($('credits-problem'), e, loadCredits); });
  }

  function signedIn(token) {
    api.setToken(token);
    $('signin').hidden = true;
    $('main').hidden = false;
    $('sign-out').hidden = false;
    refreshCredits().catch(function () { /* the views show their own problems */ });
    show('chat');
  }

  function signedOut(why) {
    auth.forget();
    api.setToken(null);
    $('main').hidden = true;
    $('sign-out').hidden = true;
    $('balance-pill').hidden = true;
    $('signin').hidden = false;
    document.body.setAttribute('data-view', 'signin');
    $('signin-note').textContent = why || '';
    $('token').focus();
  }

  function online() {
    var on = navigator.onLine;
    $('net').textContent = on ? 'online' : 'offline';
    $('net').className = 'pill ' + (on ? 'ok' : 'bad');
  }

  function init() {
    window.ZmartyChat.init();
    window.ZmartyMarkets.init();
    TABS.forEach(function (t, i) {
      $('tab-' + t).addEventListener('click', function () { show(t); });
      $('tab-' + t).addEventListener('keydown', function (e) {
        var step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (step) { e.preventDefault(); show(TABS[(i + step + TABS.length) % TABS.length], true); }
      });
    });
    $('token-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var token = $('token').value.trim();
      var wrong = auth.problem(token);
      if (wrong) { $('signin-note').textContent = wrong; return; }
      $('token').value = '';
      $('signin-note').textContent = '';
      auth.save(token);
      signedIn(token);
    });
    $('sign-out').addEventListener('click', function () { signedOut('Signed out.'); });
    if (auth.supabase) {
      $('magic-form').hidden = false;
      $('magic-form').addEventListener('submit', function (e) {
        e.preventDefault();
        $('signin-note').textContent = 'Sending…';
        auth.magicLink($('email').value.trim()).then(function () { $('signin-note').textContent = 'Check your inbox: the link signs you in here.'; },
          function (err) { $('signin-note').textContent = 'No link sent: ' + err.message; });
      });
    }
    window.addEventListener('online', online);
    window.addEventListener('offline', online);
    online();
    begin();
    // a sign-in link opened in a tab that already shows the page changes only the fragment
    window.addEventListener('hashchange', function () { if (/(^#|&)(access_)?token=|error/.test(window.location.hash)) { begin(); } });
  }

  function begin() {
    var start = auth.start(function (token) { api.setToken(token); });
    if (start.token) { signedIn(start.token); } else { signedOut(start.error ? 'Sign-in failed: ' + start.error : ''); }
  }

  init();
}());
