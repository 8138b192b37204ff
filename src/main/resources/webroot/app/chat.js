// The chat view: the answer streams in token by token, the most it may cost is shown before
// sending (POST /chat/estimate), the charge and the new balance after; sessions are listed and
// can be resumed; with "Speak the answer" the answer's audio plays.
(function () {
  'use strict';
  var api = window.ZmartyApi, ui = window.ZmartyUi, h = ui.h;
  var $ = function (id) { return document.getElementById(id); };
  var sessionId = null;
  var estimate = null;
  var estimateTimer = null;
  var busy = false;

  function message(role, text) {
    var body = h('div', { class: 'text', text: text });
    var item = h('li', { class: 'msg ' + role }, [h('span', { class: 'who', text: role === 'user' ? 'You' : 'Zmarty' }), body]);
    $('messages').append(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  function available() { return window.ZmartyApp.credits ? window.ZmartyApp.credits.available : null; }

  function showEstimate() {
    if (!estimate) { $('estimate').textContent = ''; return; }
    var a = available();
    var text = 'Up to ' + ui.fmt(estimate.max_credits, 0) + ' credits (' + estimate.provider + ', answer ≤ ' + ui.fmt(estimate.max_tokens, 0) + ' tokens)';
    if (a !== null && a < estimate.max_credits) { text += ' · you have ' + ui.fmt(a, 0) + ' available'; }
    $('estimate').textContent = text;
  }

  function askEstimate() {
    var text = $('message').value.trim();
    if (!text) { estimate = null; showEstimate(); return; }
    $('estimate').textContent = 'Estimating…';
    api.post('/chat/estimate', { message: text }).then(function (e) {
      if ($('message').value.trim() === text) { estimate = e; showEstimate(); }
    }, function (p) { estimate = null; $('estimate').textContent = 'No estimate: ' + p.message; });
  }

  function send(event) {
    if (event) { event.preventDefault(); }
    var text = $('message').value.trim();
    if (!text || busy) { return; }
    busy = true;
    $('send').disabled = true;
    ui.clear($('chat-problem'));
    $('receipt').textContent = '';
    var asked = message('user', text);
    var answer = message('assistant', '');
    answer.classList.add('streaming');
    var out = answer.querySelector('.text');
    var voice = $('voice').checked;
    var body = { message: text };
    if (sessionId) { body.session_id = sessionId; }
    if (voice) { body.mode = 'voice'; }
    api.stream('/chat', body, function (name, data) {
      if (name === 'token') { out.textContent += data.text; } else if (name === 'done') { finished(data, out, voice); } else if (name === 'error') { failedMidway(data); }
    }).then(function () {
      answer.classList.remove('streaming');
    }, function (p) {
      asked.remove();
      answer.remove();
      var shortfall = estimate && available() !== null ? estimate.max_credits - available() : null;
      ui.problem($('chat-problem'), p, send, { shortfall: shortfall });
    }).then(function () {
      busy = false;
      $('send').disabled = false;
    });
  }

  function finished(done, out, voice) {
    if (done.answer && !out.textContent) { out.textContent = done.answer; }
    sessionId = done.session_id;
    $('message').value = '';
    estimate = null;
    showEstimate();
    // done's balance is the one after the answer's charge; the spoken answer is charged after it
    var voiceCredits = done.voice_credits_charged || 0;
    $('receipt').textContent = 'Charged ' + ui.fmt(done.credits_charged, 0) + ' credits' + (voiceCredits ? ' · voice ' + ui.fmt(voiceCredits, 0) + ' credits' : '')
      + ' · balance ' + ui.fmt(done.balance - voiceCredits, 0);
    if (voice && done.audio_url) {
      var player = $('player');
      player.hidden = false;
      player.src = api.url(done.audio_url);
      player.play().catch(function () { /* autoplay refused: the controls are shown */ });
    } else if (voice) {
      $('receipt').textContent += ' · not spoken: ' + (done.audio_error || 'no audio');
    }
    window.ZmartyApp.refreshCredits();
    loadSessions();
  }

  function failedMidway(e) {
    ui.problem($('chat-problem'), new api.Problem(e.error === 'shutting_down' ? 503 : 502, e, null), send);
    $('receipt').textContent = 'Charged ' + ui.fmt(e.credits_charged, 0) + ' credits for what was delivered' + (e.balance !== undefined ? ' · balance ' + ui.fmt(e.balance, 0) : '');
    window.ZmartyApp.refreshCredits();
  }

  function loadSessions() {
    var list = $('sessions');
    if (!list.children.length) { list.replaceChildren(h('li', { class: 'state loading', text: 'Loading sessions…' })); }
    api.get('/chat/sessions').then(function (r) {
      if (!r.sessions.length) { list.replaceChildren(h('li', { class: 'state empty', text: 'No sessions yet.' })); return; }
      list.replaceChildren.apply(list, r.sessions.map(function (s) {
        return h('li', {}, [h('button', { type: 'button', class: 'session' + (s.session_id === sessionId ? ' current' : ''), 'data-session': s.session_id,
          'aria-current': s.session_id === sessionId ? 'true' : null, onclick: function () { resume(s.session_id); } },
          [h('span', { class: 'title', text: s.title || '(untitled)' }), h('span', { class: 'muted', text: s.turns + '/' + s.max_turns + ' turns' })])]);
      }));
    }, function (p) { list.replaceChildren(h('li', { class: 'state error', text: 'Sessions could not be loaded: ' + p.message })); });
  }

  function resume(id) {
    ui.clear($('chat-problem'));
    $('messages').replaceChildren(h('li', { class: 'state loading', text: 'Loading the session…' }));
    api.get('/chat/sessions/' + encodeURIComponent(id)).then(function (s) {
      sessionId = s.session_id;
      $('messages').replaceChildren();
      s.messages.forEach(function (m) { message(m.role, m.content); });
      $('receipt').textContent = s.turns + ' of ' + s.max_turns + ' turns used in this session.';
      loadSessions();
      $('message').focus();
    }, function (p) { $('messages').replaceChildren(); ui.problem($('chat-problem'), p, function () { resume(id); }); });
  }

  function newChat() {
    sessionId = null;
    $('messages').replaceChildren();
    $('receipt').textContent = '';
    ui.clear($('chat-problem'));
    loadSessions();
    $('message').focus();
  }

  window.ZmartyChat = {
    init: function () {
      $('chat-form').addEventListener('submit', send);
      $('new-chat').addEventListener('click', newChat);
      $('message').addEventListener('input', function () { clearTimeout(estimateTimer); estimateTimer = setTimeout(askEstimate, 500); });
      $('message').addEventListener('keydown', function (e) { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { send(e); } });
    },
    show: function () { loadSessions(); showEstimate(); },
    creditsChanged: showEstimate
  };
}());
