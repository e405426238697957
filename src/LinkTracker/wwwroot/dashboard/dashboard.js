// LinkTracker dashboard: draws the stats charts (Chart.js), refreshes them and the freshness line every few seconds,
// copies short URLs, and asks before destructive forms. Loaded from this host only (the CSP allows no inline script).
(function () {
  'use strict';
  var refreshMs = 3000;

  function number(n) { return Number(n).toLocaleString('en-US'); }

  function freshness(f) {
    if (!f.pendingClicks) { return 'Up to date: every click so far is counted.'; }
    return number(Math.ceil(f.lagSeconds)) + ' s behind, ' + number(f.pendingClicks) + (f.pendingClicks === 1 ? ' click' : ' clicks') + ' waiting';
  }

  function label(start, granularity) {
    var iso = new Date(start).toISOString();
    return granularity === 'hour' ? iso.slice(5, 10) + ' ' + iso.slice(11, 13) + ':00' : iso.slice(0, 10);
  }

  function setText(selector, text) {
    var el = document.querySelector(selector);
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function show(canvas, chart, stats) {
    var labels = stats.series.map(function (b) { return label(b.start, stats.granularity); });
    var human = stats.series.map(function (b) { return b.humanClicks; });
    var other = stats.series.map(function (b) { return b.clicks - b.humanClicks; });
    var unique = stats.series.map(function (b) { return b.uniqueRecipients; });
    setText('[data-freshness]', freshness(stats.freshness));
    setText('[data-total="clicks"]', number(stats.totals.clicks));
    setText('[data-total="human"]', number(stats.totals.humanClicks));
    setText('[data-total="nonhuman"]', number(stats.totals.clicks - stats.totals.humanClicks));
    setText('[data-total="unique"]', number(stats.totals.uniqueRecipients));
    if (!window.Chart) { return chart; }
    if (!chart) {
      chart = new window.Chart(canvas, {
        type: 'bar',
        data: {
          labels: labels,
          datasets: [
            { label: 'Human clicks', data: human, backgroundColor: '#0b57d0', stack: 'clicks' },
            { label: 'Non-human clicks', data: other, backgroundColor: '#9aa4b1', stack: 'clicks' },
            { label: 'New unique recipients', data: unique, type: 'line', borderColor: '#1a7f37', backgroundColor: '#1a7f37', pointRadius: 2 }
          ]
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    } else {
      chart.data.labels = labels;
      chart.data.datasets[0].data = human;
      chart.data.datasets[1].data = other;
      chart.data.datasets[2].data = unique;
      chart.update();
    }
    canvas.setAttribute('data-clicks', String(stats.totals.clicks));
    return chart;
  }

  function watch(canvas) {
    var url = canvas.getAttribute('data-stats-url');
    var chart = null;
    function load() {
      if (document.hidden) { window.setTimeout(load, refreshMs); return; }
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { if (!r.ok) { throw new Error('stats ' + r.status); } return r.json(); })
        .then(function (stats) { chart = show(canvas, chart, stats); canvas.setAttribute('data-ready', 'true'); })
        .catch(function () { setText('[data-freshness]', 'Could not refresh the numbers; retrying.'); })
        .then(function () { window.setTimeout(load, refreshMs); });
    }
    load();
  }

  function copy(button) {
    var text = button.getAttribute('data-copy');
    var done = function () { button.textContent = 'Copied'; window.setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt('Copy the short URL', text); });
    } else {
      window.prompt('Copy the short URL', text);
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('canvas[data-stats-url]').forEach(watch);
    document.querySelectorAll('button[data-copy]').forEach(function (b) { b.addEventListener('click', function () { copy(b); }); });
    document.querySelectorAll('form[data-confirm]').forEach(function (f) {
      f.addEventListener('submit', function (e) { if (!window.confirm(f.getAttribute('data-confirm'))) { e.preventDefault(); } });
    });
  });
})();
