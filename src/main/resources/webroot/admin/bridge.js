// A small client for the Vert.x event-bus bridge, speaking its JSON frames over SockJS
// ({type: register|send|ping, address, body, headers, replyAddress} out; {type: rec|err, …} in).
// Reconnects by itself (1 s, 2 s, 4 s … 10 s) unless the server refused the token.
(function (global) {
  'use strict';

  function Bridge(url, options) {
    this.url = url;
    this.token = options.token;               // () => the operator's token
    this.onstate = options.onstate || function () {};
    this.handlers = {};                        // address -> [fn(body)]
    this.replies = {};                         // replyAddress -> fn(err, body)
    this.delay = 1000;
    this.stopped = true;
  }

  Bridge.prototype.headers = function () {
    return { Authorization: 'Bearer ' + this.token() };
  };

  Bridge.prototype.start = function () {
    this.stopped = false;
    this.refused = false;
    this.delay = 1000;
    this.open();
  };

  Bridge.prototype.stop = function () {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.sock) { this.sock.close(); }
  };

  Bridge.prototype.open = function () {
    var self = this;
    clearTimeout(this.retry);
    this.onstate('connecting');
    var sock = new global.SockJS(this.url);
    this.sock = sock;
    sock.onopen = function () {
      self.delay = 1000;
      Object.keys(self.handlers).forEach(function (address) {
        sock.send(JSON.stringify({ type: 'register', address: address, headers: self.headers() }));
      });
      self.ping = setInterval(function () { sock.send(JSON.stringify({ type: 'ping' })); }, 5000);
      self.onstate('open');
    };
    sock.onmessage = function (e) {
      var frame = JSON.parse(e.data);
      if (frame.type === 'err' && frame.body === 'rejected' && !frame.address) {
        // the server refused the token and hangs up: do not come back with it
        self.refused = frame.message || 'refused';
        return;
      }
      var reply = frame.address && self.replies[frame.address];
      if (reply) {
        delete self.replies[frame.address];
        if (frame.type === 'err') {
          reply({ code: frame.failureCode, message: frame.message || frame.body });
        } else {
          reply(null, frame.body);
        }
        return;
      }
      (self.handlers[frame.address] || []).forEach(function (fn) { fn(frame.body); });
    };
    sock.onclose = function () {
      clearInterval(self.ping);
      Object.keys(self.replies).forEach(function (k) {
        self.replies[k]({ code: 0, message: 'connection lost before the answer came' });
      });
      self.replies = {};
      if (self.sock !== sock) { return; }
      if (self.refused) {
        self.stopped = true;
        self.onstate('refused', 0, self.refused);
        return;
      }
      if (self.stopped) {
        self.onstate('closed');
        return;
      }
      self.onstate('retrying', self.delay);
      self.retry = setTimeout(function () { self.open(); }, self.delay);
      self.delay = Math.min(self.delay * 2, 10000);
    };
  };

  Bridge.prototype.on = function (address, fn) {
    (this.handlers[address] = this.handlers[address] || []).push(fn);
  };

  Bridge.prototype.send = function (address, body, callback) {
    var replyAddress = 'reply.' + Date.now().toString(36) + '.' + Math.random().toString(36).slice(2);
    var self = this;
    if (!this.sock || this.sock.readyState !== 1) {
      callback({ code: 0, message: 'not connected' });
      return;
    }
    this.replies[replyAddress] = callback;
    setTimeout(function () {
      if (self.replies[replyAddress]) {
        delete self.replies[replyAddress];
        callback({ code: 504, message: 'no answer within 30 s' });
      }
    }, 30000);
    this.sock.send(JSON.stringify({ type: 'send', address: address, body: body, headers: this.headers(), replyAddress: replyAddress }));
  };

  global.ZmartyBridge = Bridge;
})(window);
