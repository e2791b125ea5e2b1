// The offline copy's search box (offline/offline_links.h): a ZIM holds no server of ours, so the
// box goes to the reader's own full-text search where the reader has one. kiwix-serve serves
// a ZIM's pages under /BOOK/ (or /content/BOOK/) and searches it at /search?content=BOOK; the box
// stays hidden until the reader's title suggestions (/suggest, a few bytes) answer beside it, so
// that a reader without them (a phone's app, a folder opened from a stick) shows none.
(function () {
  'use strict';
  var form = document.querySelector('form[data-offline-search]');
  var css = document.querySelector('link[rel="stylesheet"]');
  if (!form || !css || !window.fetch || !/^https?:$/.test(location.protocol)) return;
  var root = new URL(css.getAttribute('href'), location.href).pathname;  // .../BOOK/static/site.css
  var tail = 'static/site.css';
  if (root.slice(-tail.length) !== tail) return;
  var parts = root.slice(0, -tail.length).split('/').filter(Boolean);
  var book = parts.pop();
  if (!book) return;
  if (parts[parts.length - 1] === 'content') parts.pop();
  var server = '/' + parts.map(function (p) { return p + '/'; }).join('');
  fetch(server + 'suggest?content=' + book + '&term=a', { credentials: 'same-origin' }).then(function (r) {
    if (!r.ok || (r.headers.get('Content-Type') || '').indexOf('json') < 0) return;
    var hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = 'content';
    hidden.value = decodeURIComponent(book);
    form.insertBefore(hidden, form.firstChild);
    form.setAttribute('action', server + 'search');
    form.hidden = false;
  }).catch(function () {});
})();
