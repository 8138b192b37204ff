// Signing in: a pasted token, the demo's link (#token=… in the URL fragment, which browsers never
// send to a server), or Supabase Auth's email magic link when config.js names a Supabase project
// (its anon key only). The token is moved to this tab's sessionStorage and the fragment cleared.
(function () {
  'use strict';
  var KEY = 'zmarty.token';
  var cfg = window.ZmartyApi.config;

  // #token=<jwt> (the demo's link) or #access_token=<jwt>&… (Supabase's magic-link redirect).
  function fromFragment() {
    var hash = window.location.hash.replace(/^#/, '');
    if (!hash) { return { token: null, error: null }; }
    var params = new URLSearchParams(hash);
    var token = params.get('token') || params.get('access_token');
    var error = params.get('error_description') || params.get('error');
    if (token || error) { history.replaceState(null, '', window.location.pathname + window.location.search); }
    return { token: token, error: error };
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
    start: function () {
      var f = fromFragment();
      if (f.token) { sessionStorage.setItem(KEY, f.token); }
      return { token: sessionStorage.getItem(KEY), error: f.error };
    },
    save: function (token) { sessionStorage.setItem(KEY, token); },
    forget: function () { sessionStorage.removeItem(KEY); },
    problem: problem,
    claims: claims,
    magicLink: magicLink
  };
}());
