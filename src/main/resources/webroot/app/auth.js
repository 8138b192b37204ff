// Signing in: a pasted token, the demo's link (#token=… in the URL fragment, which browsers never
// send to a server), or Supabase Auth's email magic link when config.js names a Supabase project
// (its anon key only). The token is moved to this tab's sessionStorage and the fragment cleared;
// a Supabase session is renewed with its refresh token before it expires.
(function () {
  'use strict';
  var KEY = 'zmarty.token';
  var cfg = window.ZmartyApi.config;

  var REFRESH = 'zmarty.refresh';
  var refreshTimer = null;
  var onToken = function () {};

  // #token=<jwt> (the demo's link) or #access_token=<jwt>&refresh_token=…&expires_in=… (Supabase's magic-link redirect).
  function fromFragment() {
    var hash = window.location.hash.replace(/^#/, '');
    if (!hash) { return { token: null, error: null }; }
    var params = new URLSearchParams(hash);
    var token = params.get('token') || params.get('access_token');
    var error = params.get('error_description') || params.get('error');
    if (token || error) { history.replaceState(null, '', window.location.pathname + window.location.search); }
    if (params.get('access_token') && params.get('refresh_token')) { sessionStorage.setItem(REFRESH, params.get('refresh_token')); }
    return { token: token, error: error };
  }

  // A Supabase session is renewed a minute before its access token expires (POST /auth/v1/token?grant_type=refresh_token).
  function scheduleRefresh(token) {
    clearTimeout(refreshTimer);
    var c = claims(token);
    if (!cfg.supabaseUrl || !sessionStorage.getItem(REFRESH) || !c || !c.exp) { return; }
    refreshTimer = setTimeout(function () {
      fetch(cfg.supabaseUrl + '/auth/v1/token?grant_type=refresh_token', {
        method: 'POST',
        headers: { apikey: cfg.supabaseAnonKey, Authorization: 'Bearer ' + cfg.supabaseAnonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: sessionStorage.getItem(REFRESH) })
      }).then(function (res) { return res.ok ? res.json() : null; }).then(function (s) {
        if (!s || !s.access_token) { return; } // the next call gets 401 and the page asks to sign in again
        sessionStorage.setItem(KEY, s.access_token);
        if (s.refresh_token) { sessionStorage.setItem(REFRESH, s.refresh_token); }
        onToken(s.access_token);
        scheduleRefresh(s.access_token);
      }).catch(function () { /* offline: the next call says so */ });
    }, Math.max(c.exp * 1000 - Date.now() - 60000, 1000));
  }

  function claims(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(decodeURIComponent(escape(atob(part + '==='.slice((part.length + 3) % 4)))));
    } catch (e) { return null; }
  }

  // Why a token cannot be used, or null (the server checks it for real; this only catches typos and expiry).
  function problem(token) {
    var c = claims(token);
    if (!c) { return 'That is not a JWT (three dot-separated parts).'; }
    if (c.exp && c.exp * 1000 < Date.now()) { return 'That token expired at ' + new Date(c.exp * 1000).toISOString() + '.'; }
    return null;
  }

  // Supabase Auth (GoTrue) POST /auth/v1/otp: an email with a link back to this page.
  function magicLink(email) {
    var redirect = window.location.origin + window.location.pathname;
    return fetch(cfg.supabaseUrl + '/auth/v1/otp?redirect_to=' + encodeURIComponent(redirect), {
      method: 'POST',
      headers: { apikey: cfg.supabaseAnonKey, Authorization: 'Bearer ' + cfg.supabaseAnonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: email, create_user: true })
    }).catch(function () { throw new Error('Supabase cannot be reached.'); }).then(function (res) {
      if (res.ok) { return; }
      return res.json().catch(function () { return {}; }).then(function (b) {
        throw new Error(b.msg || b.error_description || b.message || ('Supabase answered ' + res.status));
      });
    });
  }

  window.ZmartyAuth = {
    supabase: !!(cfg.supabaseUrl && cfg.supabaseAnonKey),
    start: function (tokenChanged) {
      onToken = tokenChanged;
      var f = fromFragment();
      if (f.token) { sessionStorage.setItem(KEY, f.token); }
      var token = sessionStorage.getItem(KEY);
      if (token) { scheduleRefresh(token); }
      return { token: token, error: f.error };
    },
    save: function (token) { sessionStorage.setItem(KEY, token); sessionStorage.removeItem(REFRESH); },
    forget: function () { clearTimeout(refreshTimer); sessionStorage.removeItem(KEY); sessionStorage.removeItem(REFRESH); },
    problem: problem,
    claims: claims,
    magicLink: magicLink
  };
}());
