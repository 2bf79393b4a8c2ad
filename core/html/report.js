// The HTML run report's script: builds the summary, the timeline, the job
// table and the job panel from the report embedded in #dojobber-data (see
// core/html_report.h). Text from the report is only ever set as textContent,
// never parsed as HTML. The table builds one page of rows at a time and the
// timeline draws on a canvas, so a report of 100,000 jobs stays usable.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('dojobber-data').textContent);
  const report = data.report;
  const pageSize = data.page_size || 100;
  const dryRun = report.no_act === true;
  // Run order: `order` keeps it where the JSON object's keys may not.
  const jobs = (data.order || Object.keys(report.jobs)).map(function (name, index) {
    return { name: name, order: index + 1, e: report.jobs[name], detailText: null };
  });
  const byName = new Map(jobs.map(function (job) { return [job.name, job]; }));
  const critical = new Set(data.critical_path || []);
  const statusKeys = dryRun ? ['ok', 'would_run', 'unknown', 'failed'] : ['ok', 'changed', 'failed', 'blocked'];

  // ---- Helpers -------------------------------------------------------------

  // An element with attributes and children (strings become text nodes).
  function el(tag, attributes) {
    const node = document.createElement(tag);
    for (const key in attributes || {}) {
      if (key === 'class') node.className = attributes[key];
      else if (key === 'text') node.textContent = attributes[key];
      else node.setAttribute(key, attributes[key]);
    }
    for (let i = 2; i < arguments.length; ++i) {
      const child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function seconds(value) {
    if (value === null || value === undefined) return '-';
    if (value === 0) return '0';
    if (value < 0.001) return value.toExponential(2);
    return value.toFixed(3);
  }

  // The word a job's status is shown by: a dry run's plan step, else its status.
  function statusKey(job) {
    if (dryRun && typeof job.e.plan === 'string') return job.e.plan;
    return job.e.status;
  }
  function statusWord(key) { return key === 'would_run' ? 'would run' : key; }
  function badge(key) {
    return el('span', { class: 'status status-' + key, text: statusWord(key) });
  }

  // What the status table's DETAIL column says (core/status_report.cc), in short.
  function detail(job) {
    if (job.detailText !== null) return job.detailText;
    const e = job.e;
    let text = '';
    if (e.interrupted && e.tries === 0) {
      text = 'not tried: interrupted';
    } else if (e.status === 'blocked') {
      const causes = e.root_causes && e.root_causes.length ? e.root_causes : e.blocked_by || [];
      text = (e.root_causes && e.root_causes.length ? 'blocked: ' : 'blocked by ') +
          causes.join(', ') + (e.more_root_causes ? ' and more' : '');
    } else if (typeof e.error === 'string') {
      text = (e.fatal ? 'fatal: ' : '') + e.error;
      if (typeof e.run_error === 'string' && e.run_error !== e.error) {
        text += ' (Run failed: ' + e.run_error + ')';
      }
    }
    job.detailText = text;
    return text;
  }

  function jobLink(name) {
    const link = el('a', { class: 'job-link', text: name });
    link.addEventListener('click', function () { select(name, true); });
    return link;
  }

  function linkList(names) {
    const span = el('span');
    (names || []).forEach(function (name, i) {
      if (i > 0) span.appendChild(document.createTextNode(', '));
      span.appendChild(byName.has(name) ? jobLink(name) : document.createTextNode(name));
    });
    if (!names || names.length === 0) span.textContent = '-';
    return span;
  }

  // ---- Summary -------------------------------------------------------------

  function verdict() {
    const cleanupFailed = report.cleanup && report.cleanup.failed_job;
    let text;
    if (dryRun && report.plan) {
      const p = report.plan;
      text = 'Plan: ' + p.would_run + ' to run, ' + p.unknown + ' unknown, ' + p.ok + ' ok' +
          (p.failed ? ', ' + p.failed + ' failed' : '');
    } else {
      text = report.success ? 'SUCCESS'
          : report.partial_success ? 'FAILED (partial success)' : 'FAILED';
    }
    if (cleanupFailed) text += ', CLEANUP FAILED';
    if (report.interrupted) text = 'INTERRUPTED, ' + text;
    const node = document.getElementById('verdict');
    node.textContent = text;
    node.classList.add(report.exit_code === 0 || report.exit_code === 6 ? 'success' : 'failure');
  }

  function summary() {
    const list = document.getElementById('summary');
    function row(term, value) {
      if (value === undefined || value === null || value === '') return;
      list.appendChild(el('dt', { text: term }));
      list.appendChild(el('dd', {}, typeof value === 'string' ? value : value));
    }
    row('Roots', linkList(report.roots || [report.root]));
    row('Jobs', String(jobs.length));
    row('Exit status', report.exit_code === undefined ? undefined : String(report.exit_code));
    row('Duration', report.duration_s === undefined ? undefined : seconds(report.duration_s) + ' s');
    row('Started', report.started_at);
    row('Ended', report.ended_at);
    row('Dry run', dryRun ? 'yes (only Checks were called)' : undefined);
    row('Interrupted', report.interrupted ? 'yes' : undefined);
    row('Host', report.host);
    row('Executor', report.executor);
    row('Parallelism', report.parallelism === undefined ? undefined : String(report.parallelism));
    if (Array.isArray(report.command_line)) row('Command line', report.command_line.join(' '));
    if (Array.isArray(report.positional) && report.positional.length) {
      row('Positional', report.positional.join(' '));
    }
    if (Array.isArray(report.plugins)) {
      row('Plugins', report.plugins.map(function (p) {
        return p.path + (p.abi !== undefined ? ' (ABI ' + p.abi + ')' : '');
      }).join(', '));
    }
    row('Seed', report.seed === undefined ? undefined : String(report.seed));
    row('dojobber', report.dojobber_version);
    row('Report version', String(report.version));
    if (report.cleanup === null) {
      row('Cleanup', 'off (--no-cleanup)');
    } else if (report.cleanup) {
      const c = report.cleanup;
      let text = c.ran + ' ran, ' + c.pending + ' pending, ' + c.skipped + ' skipped';
      if (c.failed_job) text += '; ' + c.failed_job + ' failed: ' + c.error;
      row('Cleanup', text);
    }
    const counts = document.getElementById('counts');
    const source = dryRun && report.plan ? report.plan : report.counts || {};
    statusKeys.forEach(function (key) {
      if (source[key] === undefined) return;
      counts.appendChild(el('span', { class: 'status status-' + key, text: statusWord(key) + ': ' + source[key] }));
    });
    const args = report.arguments || {};
    const names = Object.keys(args);
    const box = document.getElementById('arguments');
    if (names.length === 0) {
      box.appendChild(el('p', { class: 'hint', text: 'None.' }));
      return;
    }
    const body = el('tbody');
    names.forEach(function (name) {
      const a = args[name];
      body.appendChild(el('tr', {}, el('td', { text: name }), el('td', { text: String(a.value) }),
          el('td', { text: a.given ? 'given' : 'default' })));
    });
    box.appendChild(el('table', { id: 'argument-table' },
        el('thead', {}, el('tr', {}, el('th', { text: 'Name' }), el('th', { text: 'Value' }),
            el('th', { text: 'From' }))), body));
  }

  // ---- Graph ---------------------------------------------------------------

  const graphNodes = new Map();
  function graph() {
    document.querySelectorAll('#graph svg g.node').forEach(function (node) {
      const title = node.querySelector('title');
      const name = title ? title.textContent : '';
      if (!byName.has(name)) return;  // The legend.
      graphNodes.set(name, node);
      node.setAttribute('data-job', name);
      if (critical.has(name)) node.classList.add('critical');
      node.addEventListener('click', function () { select(name, true); });
    });
  }

  // ---- Timeline ------------------------------------------------------------

  // Every try with its lane: by worker when the report names workers,
  // else packed (a try takes the first lane free when it starts).
  function tries() {
    const all = [];
    jobs.forEach(function (job) {
      const e = job.e;
      if (Array.isArray(e.history) && e.history.length) {
        e.history.forEach(function (t, i) {
          all.push({ job: job, n: t.try || i + 1, start: t.start, end: t.end,
            failed: typeof t.error === 'string', worker: t.worker });
        });
      } else if (typeof e.start_s === 'number' && typeof e.end_s === 'number') {
        all.push({ job: job, n: e.tries, start: e.start_s, end: e.end_s,
          failed: typeof e.error === 'string', worker: null });
      }
    });
    all.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
    // Workers are lanes when they are reused (threads); a worker per try
    // (a process under --isolate, a Slurm step) would be a lane per try.
    const named = new Set();
    all.forEach(function (t) { if (typeof t.worker === 'string') named.add(t.worker); });
    const limit = typeof report.parallelism === 'number' ? Math.max(1, report.parallelism) : 64;
    const byWorker = named.size > 0 && named.size <= limit;
    const perTry = named.size > limit;
    const lanes = [];
    if (byWorker) {
      const index = new Map();
      all.forEach(function (t) {
        const key = typeof t.worker === 'string' ? t.worker : '(unknown worker)';
        if (!index.has(key)) { index.set(key, lanes.length); lanes.push({ label: key, tries: [] }); }
        t.lane = index.get(key);
        lanes[t.lane].tries.push(t);
      });
    } else {
      // A binary heap of lanes by the end of their last try.
      const heap = [];
      function less(a, b) { return heap[a].end < heap[b].end || (heap[a].end === heap[b].end && heap[a].lane < heap[b].lane); }
      function swap(a, b) { const x = heap[a]; heap[a] = heap[b]; heap[b] = x; }
      function down(i) {
        for (;;) {
          let m = i; const l = 2 * i + 1; const r = l + 1;
          if (l < heap.length && less(l, m)) m = l;
          if (r < heap.length && less(r, m)) m = r;
          if (m === i) return;
          swap(i, m); i = m;
        }
      }
      function up(i) {
        while (i > 0) { const p = (i - 1) >> 1; if (!less(i, p)) return; swap(i, p); i = p; }
      }
      all.forEach(function (t) {
        if (heap.length && heap[0].end <= t.start) {
          t.lane = heap[0].lane; heap[0].end = t.end; down(0);
        } else {
          t.lane = lanes.length;
          lanes.push({ label: 'lane ' + (lanes.length + 1), tries: [] });
          heap.push({ lane: t.lane, end: t.end }); up(heap.length - 1);
        }
        lanes[t.lane].tries.push(t);
      });
    }
    return { all: all, lanes: lanes, byWorker: byWorker, perTry: perTry };
  }

  let timeline = null;
  function drawTimeline() {
    const canvas = document.getElementById('timeline');
    const box = document.getElementById('timeline-box');
    const t = timeline;
    const styles = getComputedStyle(document.documentElement);
    const color = function (name) { return styles.getPropertyValue('--' + name).trim() || '#888'; };
    const width = Math.max(600, box.clientWidth - 4);
    const laneHeight = Math.max(1, Math.min(22, Math.floor(2400 / Math.max(1, t.lanes.length))));
    const labelWidth = laneHeight >= 10 ? (t.byWorker ? 160 : 70) : 0;
    const axis = 24;
    const height = axis + t.lanes.length * laneHeight + 4;
    canvas.width = width;
    canvas.height = height;
    const end = t.all.reduce(function (m, x) { return Math.max(m, x.end); }, 0) || 1;
    const scale = (width - labelWidth - 12) / end;
    t.geometry = { laneHeight: laneHeight, labelWidth: labelWidth, axis: axis, scale: scale };
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, width, height);
    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#666';
    g.strokeStyle = '#e5e5e5';
    const step = niceStep(end / 10);
    for (let x = 0; x <= end + 1e-9; x += step) {
      const px = labelWidth + x * scale;
      if (px + 48 < width) g.fillText(seconds(x) + ' s', px + 2, 12);  // Only whole labels.
      g.beginPath(); g.moveTo(px, 16); g.lineTo(px, height); g.stroke();
    }
    if (labelWidth) {
      t.lanes.forEach(function (lane, i) {
        g.fillStyle = '#333';
        g.fillText(lane.label.slice(0, 26), 2, axis + i * laneHeight + laneHeight - 6);
      });
    }
    const gap = laneHeight >= 6 ? 2 : 0;
    function box1(x, outline) {
      const px = labelWidth + x.start * scale;
      const w = Math.max(3, (x.end - x.start) * scale);  // Visible however short.
      const py = axis + x.lane * laneHeight + gap / 2;
      const h = Math.max(1, laneHeight - gap);
      g.fillStyle = x.failed ? color('failed') : color(x.job.e.status === 'changed' ? 'changed' : 'ok');
      g.fillRect(px, py, w, h);
      if (outline) {
        g.strokeStyle = '#000';
        g.lineWidth = 2;
        g.strokeRect(px, py, w, h);
        g.lineWidth = 1;
      }
    }
    t.all.forEach(function (x) { if (!critical.has(x.job.name)) box1(x, false); });
    t.all.forEach(function (x) { if (critical.has(x.job.name)) box1(x, true); });
  }

  function niceStep(raw) {
    if (!(raw > 0)) return 1;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / power;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
  }

  // The try under a click, by its lane and time.
  function tryAt(x, y) {
    const geo = timeline.geometry;
    const lane = timeline.lanes[Math.floor((y - geo.axis) / geo.laneHeight)];
    if (!lane) return null;
    const time = (x - geo.labelWidth) / geo.scale;
    const slack = 3 / geo.scale;  // Thin tries are drawn 1 px wide.
    let found = null;
    for (const t of lane.tries) {
      if (t.start - slack <= time && time <= t.end + slack) found = t;
      if (t.start > time + slack) break;
    }
    return found;
  }

  function setupTimeline() {
    timeline = tries();
    const hint = document.getElementById('timeline-hint');
    const n = timeline.lanes.length;
    hint.textContent = timeline.all.length + (timeline.all.length === 1 ? ' try on ' : ' tries on ') + n +
        (timeline.byWorker ? (n === 1 ? ' worker' : ' workers') + ' (lanes by worker)' :
          (n === 1 ? ' lane' : ' lanes') +
          (timeline.perTry ? ' (each try had a worker of its own: ' : ' (the report names no workers: ') +
          'tries that overlapped in time are on separate lanes)') +
        '. Red: a failed try. Outlined: the critical path. Click a try to see its job.';
    const path = data.critical_path || [];
    const box = document.getElementById('critical-path');
    if (path.length) {
      box.appendChild(el('strong', { text: 'Critical path (' + path.length + (path.length === 1 ? ' job' : ' jobs') + '): ' }));
      const shown = path.length > 40 ? path.slice(0, 20).concat([null]).concat(path.slice(-20)) : path;
      shown.forEach(function (name, i) {
        if (i > 0) box.appendChild(document.createTextNode(' \u2192 '));
        box.appendChild(name === null ? el('span', { text: '\u2026 ' + (path.length - 40) + ' more \u2026' }) : jobLink(name));
      });
    } else {
      box.textContent = 'No job was tried.';
    }
    drawTimeline();
    const canvas = document.getElementById('timeline');
    canvas.addEventListener('click', function (event) {
      const rect = canvas.getBoundingClientRect();
      const hit = tryAt(event.clientX - rect.left, event.clientY - rect.top);
      if (hit) select(hit.job.name, true);
    });
    let resizing = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizing);
      resizing = setTimeout(drawTimeline, 150);
    });
  }

  // ---- Job table -----------------------------------------------------------

  const state = { key: 'order', direction: 1, statuses: new Set(), text: '', page: 0, rows: jobs };

  const sortValue = {
    order: function (j) { return j.order; },
    name: function (j) { return j.name; },
    status: function (j) { return statusKeys.indexOf(statusKey(j)); },
    tries: function (j) { return j.e.tries; },
    duration: function (j) { return j.e.duration_s || 0; },
    start: function (j) { return typeof j.e.start_s === 'number' ? j.e.start_s : Infinity; },
    end: function (j) { return typeof j.e.end_s === 'number' ? j.e.end_s : Infinity; },
    detail: function (j) { return detail(j); },
  };

  function setupFilters() {
    const box = document.getElementById('status-filters');
    const counts = {};
    jobs.forEach(function (j) { counts[statusKey(j)] = (counts[statusKey(j)] || 0) + 1; });
    statusKeys.forEach(function (key) {
      state.statuses.add(key);
      const input = el('input', { type: 'checkbox', 'data-status': key });
      input.checked = true;
      input.addEventListener('change', function () {
        if (input.checked) state.statuses.add(key); else state.statuses.delete(key);
        filter();
      });
      box.appendChild(el('label', {}, input, ' ', badge(key), ' ' + (counts[key] || 0)));
    });
    const text = document.getElementById('name-filter');
    let typing = null;
    text.addEventListener('input', function () {
      clearTimeout(typing);
      typing = setTimeout(function () { state.text = text.value.toLowerCase(); filter(); }, 200);
    });
    document.querySelectorAll('#jobs th').forEach(function (th) {
      th.addEventListener('click', function () {
        const key = th.getAttribute('data-key');
        state.direction = state.key === key ? -state.direction : 1;
        state.key = key;
        sort();
      });
    });
    const pages = function () { return Math.max(1, Math.ceil(state.rows.length / pageSize)); };
    const go = function (page) { state.page = Math.max(0, Math.min(pages() - 1, page)); renderPage(); };
    document.getElementById('first-page').addEventListener('click', function () { go(0); });
    document.getElementById('prev-page').addEventListener('click', function () { go(state.page - 1); });
    document.getElementById('next-page').addEventListener('click', function () { go(state.page + 1); });
    document.getElementById('last-page').addEventListener('click', function () { go(pages() - 1); });
  }

  function filter() {
    const text = state.text;
    state.rows = jobs.filter(function (j) {
      if (!state.statuses.has(statusKey(j))) return false;
      return !text || j.name.toLowerCase().includes(text) || detail(j).toLowerCase().includes(text);
    });
    sort();
  }

  function sort() {
    const value = sortValue[state.key];
    const d = state.direction;
    state.rows.sort(function (a, b) {
      const x = value(a); const y = value(b);
      return (x < y ? -d : x > y ? d : 0) || a.order - b.order;
    });
    document.querySelectorAll('#jobs th').forEach(function (th) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.getAttribute('data-key') === state.key) {
        th.classList.add(state.direction > 0 ? 'sorted-asc' : 'sorted-desc');
      }
    });
    state.page = 0;
    renderPage();
  }

  let selected = null;
  function renderPage() {
    const body = document.getElementById('job-rows');
    const rows = state.rows.slice(state.page * pageSize, (state.page + 1) * pageSize);
    const fragment = document.createDocumentFragment();
    rows.forEach(function (j) {
      const e = j.e;
      const tr = el('tr', { 'data-job': j.name, 'data-status': statusKey(j) },
          el('td', { class: 'num', text: String(j.order) }),
          el('td', { class: 'name', text: j.name }),
          el('td', {}, badge(statusKey(j))),
          el('td', { class: 'num', text: String(e.tries) }),
          el('td', { class: 'num', text: e.tries > 0 ? seconds(e.duration_s) : '-' }),
          el('td', { class: 'num', text: seconds(e.start_s) }),
          el('td', { class: 'num', text: seconds(e.end_s) }),
          el('td', { class: 'detail' + (e.status === 'failed' ? ' error' : ''),
                     text: shorten(detail(j), 300) }));
      if (j.name === selected) tr.classList.add('selected');
      tr.addEventListener('click', function () { select(j.name, false); });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
    const pages = Math.max(1, Math.ceil(state.rows.length / pageSize));
    document.getElementById('page-info').textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
    document.getElementById('match-count').textContent =
        state.rows.length + ' of ' + jobs.length + ' jobs shown';
    document.getElementById('prev-page').disabled = state.page === 0;
    document.getElementById('first-page').disabled = state.page === 0;
    document.getElementById('next-page').disabled = state.page + 1 >= pages;
    document.getElementById('last-page').disabled = state.page + 1 >= pages;
  }

  // ---- One job -------------------------------------------------------------

  // A message of megabytes would make the table a mile long: cells show its
  // start, the job's own panel all of it (in a box of bounded height).
  function shorten(text, limit) {
    if (text.length <= limit) return text;
    return text.slice(0, limit) + '\u2026 (' + (text.length - limit) + ' more characters: select the job)';
  }

  function select(name, scroll) {
    const job = byName.get(name);
    if (!job) return;
    selected = name;
    graphNodes.forEach(function (node, key) { node.classList.toggle('selected', key === name); });
    document.querySelectorAll('#job-rows tr').forEach(function (tr) {
      tr.classList.toggle('selected', tr.getAttribute('data-job') === name);
    });
    const e = job.e;
    const panel = document.getElementById('job-detail');
    const facts = el('dl', { id: 'job-facts' });
    function fact(term, value) {
      if (value === undefined || value === null) return;
      facts.appendChild(el('dt', { text: term }));
      facts.appendChild(el('dd', {}, value));
    }
    fact('Status', badge(statusKey(job)));
    if (dryRun) fact('Dry-run status', e.status);
    fact('Kind', e.kind);
    fact('Tries', String(e.tries));
    fact('Time in tries', e.tries > 0 ? seconds(e.duration_s) + ' s' : undefined);
    fact('First start', typeof e.start_s === 'number' ? seconds(e.start_s) + ' s' : undefined);
    fact('Last end', typeof e.end_s === 'number' ? seconds(e.end_s) + ' s' : undefined);
    fact('Depends on', linkList(e.deps));
    if (e.blocked_by && e.blocked_by.length) fact('Blocked by', linkList(e.blocked_by));
    if (e.root_causes && e.root_causes.length) fact('Root causes', linkList(e.root_causes));
    if (e.fatal) fact('Fatal', 'yes: not tried again');
    if (e.interrupted) fact('Interrupted', 'yes');
    if (critical.has(name)) fact('Critical path', 'yes');
    if (e.cleanup) fact('Cleanup', e.cleanup.outcome + (e.cleanup.error ? ': ' + e.cleanup.error : ''));
    const parts = [el('h3', { id: 'job-name', text: name }), facts];
    if (typeof e.error === 'string') {
      parts.push(el('h4', { text: 'Error' }), el('pre', { class: 'error', id: 'job-error', text: e.error }));
    }
    if (typeof e.run_error === 'string') {
      parts.push(el('h4', { text: 'Run error' }), el('pre', { class: 'error', text: e.run_error }));
    }
    if (e.result !== null && e.result !== undefined) {
      parts.push(el('h4', { text: 'Result' }), el('pre', { text: JSON.stringify(e.result, null, 2) }));
    }
    if (Array.isArray(e.history) && e.history.length) {
      const head = ['Try', 'Start (s)', 'End (s)', 'Check', 'Run', 'Recheck', 'Worker', 'Error', 'Run error'];
      const body = el('tbody');
      e.history.forEach(function (t) {
        const phase = function (v) { return v === undefined || v === null ? '-' : String(v); };
        body.appendChild(el('tr', {},
            el('td', { class: 'num', text: String(t.try) }),
            el('td', { class: 'num', text: seconds(t.start) }),
            el('td', { class: 'num', text: seconds(t.end) }),
            el('td', { text: phase(t.check) }), el('td', { text: phase(t.run) }),
            el('td', { text: phase(t.recheck) }),
            el('td', { text: typeof t.worker === 'string' ? t.worker : '-' }),
            el('td', { class: 'error', text: shorten((t.fatal ? 'fatal: ' : '') + (t.timed_out ? '(timed out) ' : '') + (t.error || ''), 500) }),
            el('td', { class: 'error', text: shorten(t.run_error || '', 500) })));
      });
      parts.push(el('h4', { text: 'Tries' }), el('table', { id: 'job-history' },
          el('thead', {}, el('tr', {}, ...head.map(function (h) { return el('th', { text: h }); }))), body));
    }
    if (Array.isArray(e.log) && e.log.length) {
      const lines = e.log.map(function (l) { return '[try ' + l.try + '] ' + l.line; }).join('\n');
      parts.push(el('h4', { text: 'Log' }));
      if (e.log_dropped) parts.push(el('p', { class: 'hint', text: e.log_dropped + ' earlier lines dropped.' }));
      parts.push(el('pre', { id: 'job-log', text: lines }));
    }
    panel.replaceChildren(...parts);
    if (scroll) document.getElementById('job-section').scrollIntoView({ behavior: 'smooth' });
  }

  // ---- Start ---------------------------------------------------------------

  verdict();
  summary();
  graph();
  setupFilters();
  filter();
  setupTimeline();
  // Open on the first failed job, else the root: the page says something at once.
  const first = jobs.find(function (j) { return j.e.status === 'failed'; }) || jobs[jobs.length - 1];
  if (first) select(first.name, false);
  document.body.setAttribute('data-ready', 'true');
})();
