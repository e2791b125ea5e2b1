// Search-box completions: fills the datalist of every box marked data-suggest from
// /api/suggest as the person types. The pages work without it.
(function () {
  'use strict';
  var boxes = document.querySelectorAll('input[data-suggest]');
  Array.prototype.forEach.call(boxes, function (box) {
    var list = document.getElementById(box.getAttribute('list'));
    var timer = null, last = '';
    box.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = box.value;
        if (q.length < 2 || q === last) return;
        last = q;
        fetch(box.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
          .then(function (j) {
            while (list.firstChild) list.removeChild(list.firstChild);
            (j.suggestions || []).forEach(function (s) {
              var o = document.createElement('option');
              o.value = s;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 150);
    });
  });
}());
