// The fleet page's table: sort, filter and paginate rows embedded in the page. Plain browser
// JavaScript, no library: the report opens from a CI artifact or a laptop, offline.
(function () {
  'use strict';
  var rows = JSON.parse(document.getElementById('fleet-data').textContent);
  var PAGE = 50;
  var money = function (v) {
    return v === null ? '—' : '$' + v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  };
  var text = function (v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  };
  var badge = function (kind, v) {
    return '<span class="badge ' + kind + '">' + text(v) + '</span>';
  };
  var columns = [
    {
      key: 'tenant',
      label: 'tenant',
      html: function (r) {
        return (
          '<a class="tenant" href="tenants/' +
          encodeURIComponent(r.tenant) +
          '.html">' +
          text(r.tenant) +
          '</a><div class="muted">' +
          text(r.name) +
          '</div>'
        );
      },
    },
    { key: 'region', label: 'region' },
    { key: 'profile', label: 'profile' },
    { key: 'band', label: 'band', sort: 'bandOrder' },
    {
      key: 'users',
      label: 'expected load',
      num: true,
      html: function (r) {
        return r.users.toLocaleString('en-US') + '<div class="muted">of ' + r.population.toLocaleString('en-US') + '</div>';
      },
    },
    { key: 'release', label: 'release' },
    { key: 'ring', label: 'ring' },
    { key: 'resources', label: 'resources', num: true },
    {
      key: 'guardrails',
      label: 'guardrails',
      sort: 'guardrailErrors',
      html: function (r) {
        return badge(r.guardrailErrors >= 1000 ? 'bad' : r.guardrailErrors > 0 ? 'warn' : 'ok', r.guardrails);
      },
    },
    {
      key: 'plan',
      label: 'last plan',
      sort: 'dataLoss',
      html: function (r) {
        return r.dataLoss > 0
          ? badge('bad', r.plan + ' · ' + r.dataLoss + ' stateful lost')
          : r.plan === 'not planned'
            ? badge('none', r.plan)
            : text(r.plan);
      },
    },
    {
      key: 'drift',
      label: 'drift',
      html: function (r) {
        return badge(r.drift.indexOf('drifted') === 0 ? 'bad' : r.drift === 'in sync' ? 'ok' : 'none', r.drift);
      },
    },
    {
      key: 'rollout',
      label: 'last rollout',
      html: function (r) {
        return r.rollout === '—'
          ? '—'
          : badge(r.rollout.indexOf('healthy') === 0 ? 'ok' : r.rollout.indexOf('failed') === 0 ? 'bad' : 'warn', r.rollout) +
              '<div class="muted nowrap"><a href="rollouts/' +
              encodeURIComponent(r.rolloutId) +
              '.html">' +
              text(r.rolloutId) +
              '</a></div>';
      },
    },
    {
      key: 'cost',
      label: 'monthly cost',
      num: true,
      html: function (r) {
        return (
          money(r.cost) +
          (r.costNote
            ? '<div class="muted" title="' +
              text(r.costNote) +
              '">' +
              text(r.costNote.length > 40 ? r.costNote.slice(0, 40) + '…' : r.costNote) +
              '</div>'
            : '')
        );
      },
    },
  ];
  var state = { sort: 'tenant', dir: 1, page: 0, filter: '', region: '', band: '' };
  var head = document.getElementById('fleet-head');
  head.innerHTML = columns
    .map(function (c) {
      return (
        '<th scope="col" data-key="' +
        c.key +
        '"' +
        (c.num ? ' class="num"' : '') +
        '><button type="button">' +
        text(c.label) +
        '</button></th>'
      );
    })
    .join('');
  head.addEventListener('click', function (e) {
    var th = e.target.closest('th');
    if (!th) return;
    var key = th.getAttribute('data-key');
    state.dir = state.sort === key ? -state.dir : 1;
    state.sort = key;
    state.page = 0;
    render();
  });
  ['filter', 'region', 'band'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', function (e) {
      state[id] = e.target.value;
      state.page = 0;
      render();
    });
  });
  document.getElementById('prev').addEventListener('click', function () {
    state.page = Math.max(0, state.page - 1);
    render();
  });
  document.getElementById('next').addEventListener('click', function () {
    state.page++;
    render();
  });

  function visible() {
    var needle = state.filter.trim().toLowerCase();
    var column = columns.filter(function (c) {
      return c.key === state.sort;
    })[0];
    var sortKey = column.sort || column.key;
    return rows
      .filter(function (r) {
        if (state.region && r.region !== state.region) return false;
        if (state.band && r.band !== state.band) return false;
        if (!needle) return true;
        return (
          [r.tenant, r.name, r.region, r.profile, r.band, r.release, r.ring, r.env, r.guardrails, r.drift, r.rollout, r.rolloutId]
            .join(' ')
            .toLowerCase()
            .indexOf(needle) >= 0
        );
      })
      .sort(function (a, b) {
        var x = a[sortKey],
          y = b[sortKey];
        if (x === null) return 1;
        if (y === null) return -1;
        var order = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
        return (order || a.tenant.localeCompare(b.tenant)) * (order ? state.dir : 1);
      });
  }

  function totals(id, list, key) {
    var by = {};
    list.forEach(function (r) {
      var t = by[r[key]] || (by[r[key]] = { n: 0, cost: 0 });
      t.n++;
      t.cost += r.cost || 0;
    });
    var keys = Object.keys(by).sort();
    var sum = list.reduce(function (s, r) {
      return s + (r.cost || 0);
    }, 0);
    document.getElementById(id).innerHTML =
      '<thead><tr><th>' +
      key +
      '</th><th class="num">tenants</th><th class="num">monthly</th></tr></thead><tbody>' +
      keys
        .map(function (k) {
          return (
            '<tr><td>' +
            text(k) +
            '</td><td class="num">' +
            by[k].n +
            '</td><td class="num">' +
            money(Math.round(by[k].cost * 100) / 100) +
            '</td></tr>'
          );
        })
        .join('') +
      '<tr><th>total</th><th class="num">' +
      list.length +
      '</th><th class="num">' +
      money(Math.round(sum * 100) / 100) +
      '</th></tr></tbody>';
  }

  function render() {
    var list = visible();
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var shown = list.slice(state.page * PAGE, state.page * PAGE + PAGE);
    document.getElementById('fleet-body').innerHTML = shown
      .map(function (r) {
        return (
          '<tr data-tenant="' +
          text(r.tenant) +
          '">' +
          columns
            .map(function (c) {
              return '<td' + (c.num ? ' class="num"' : '') + '>' + (c.html ? c.html(r) : text(r[c.key])) + '</td>';
            })
            .join('') +
          '</tr>'
        );
      })
      .join('');
    Array.prototype.forEach.call(head.children, function (th) {
      var key = th.getAttribute('data-key');
      if (key === state.sort) th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
    document.getElementById('shown').textContent =
      list.length === 0
        ? 'no tenant matches'
        : state.page * PAGE +
          1 +
          '–' +
          (state.page * PAGE + shown.length) +
          ' of ' +
          list.length +
          ' tenants (page ' +
          (state.page + 1) +
          ' of ' +
          pages +
          ')';
    document.getElementById('prev').disabled = state.page === 0;
    document.getElementById('next').disabled = state.page >= pages - 1;
    totals('totals-region', list, 'region');
    totals('totals-band', list, 'band');
  }
  render();
})();
