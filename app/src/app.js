// The Slipway dashboard page. Two views:
//  Builds — GET /api/builds (the builder worker's API, proxied by server.js): status, tenant/service, version,
//           commit, duration, attempts; a failed build's row opens its failing step and log tail.
//  Images — GET /images.json (PushImages' report) and, when present, GET /tags.json (ListImages --json) for the
//           registry's tags marked [main] / [branch] / [unknown].
// Filters live in the URL hash so a view can be shared; auto-refresh every 5 s keeps open log tails open.
(() => {
  const $ = (id) => document.getElementById(id);
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  const REFRESH_MS = 5000;
  const state = { tab: 'builds', open: new Set(), timer: null };

  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    Object.assign(e, props);
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(text(c)));
    return e;
  };
  const badge = (value, prefix) => el('span', { className: `badge ${prefix}-${text(value).toLowerCase()}` }, value);
  const duration = (ms) => (ms == null ? '' : ms < 1000 ? `${ms} ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`);
  const when = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '');

  const getJson = async (url) => {
    const res = await fetch(url, { cache: 'no-store' });
    let body;
    try { body = await res.json(); } catch { body = {}; }
    if (!res.ok) { const e = new Error(body.error || `${res.status} ${res.statusText}`); e.status = res.status; throw e; }
    return body;
  };

  const showState = (id, message, isError) => {
    const s = $(id);
    s.textContent = message;
    s.className = isError ? 'state error' : 'state';
    s.hidden = !message;
  };

  // ---- Builds -------------------------------------------------------------------------------------------------
  const buildFilters = () => ({ status: $('filter-status').value, tenant: $('filter-tenant').value.trim(), service: $('filter-service').value.trim() });

  async function loadBuilds() {
    const f = buildFilters();
    const q = new URLSearchParams({ limit: '200' });
    if (f.status) q.set('status', f.status);
    if (f.tenant) q.set('tenant', f.tenant);
    if (f.service) q.set('service', f.service);
    let builds;
    try {
      builds = await getJson(`/api/builds?${q}`);
    } catch (err) {
      $('builds').hidden = true;
      $('build-count').textContent = '';
      showState('builds-state', `Cannot load builds: ${err.message}`, true);
      return;
    }
    renderBuilds(builds, f);
  }

  function renderBuilds(builds, f) {
    const tbody = $('builds').querySelector('tbody');
    tbody.replaceChildren();
    for (const b of builds) {
      const failed = text(b.status) === 'FAILED';
      const row = el('tr', { className: `build ${text(b.status).toLowerCase()}` });
      row.dataset.id = b.id;
      const attempts = b.maxAttempts ? `${b.attempt}/${b.maxAttempts}${b.final ? ' (final)' : ''}` : text(b.attempt);
      row.append(
        el('td', {}, badge(b.status, 'status')),
        el('td', {}, `${text(b.tenant)} / ${text(b.service)}`),
        el('td', {}, b.version != null ? `v${b.version}` : ''),
        el('td', { className: 'mono', title: text(b.commit) }, text(b.commit).slice(0, 7)),
        el('td', {}, duration(b.durationMs)),
        el('td', {}, attempts),
        el('td', {}, when(b.startedAt || b.createdAt)),
        el('td', { className: 'mono' }, b.id),
      );
      tbody.append(row);
      if (failed) {
        row.title = 'Show the failing step and log tail';
        row.addEventListener('click', () => {
          if (state.open.has(b.id)) state.open.delete(b.id); else state.open.add(b.id);
          renderBuilds(builds, f);
        });
        if (state.open.has(b.id)) tbody.append(logRow(b));
      }
    }
    $('builds').hidden = builds.length === 0;
    const filtered = f.status || f.tenant || f.service;
    $('build-count').textContent = `${builds.length} build(s)`;
    showState('builds-state', builds.length ? '' : filtered
      ? 'No build matches these filters.'
      : 'No builds yet. Submit one with: slipway builder submit --amqp amqp://… request.json', false);
  }

  function logRow(b) {
    const lines = Array.isArray(b.logTail) ? b.logTail : [];
    const cell = el('td', { colSpan: 8 },
      el('div', { className: 'log-head' }, `${b.failedStep ? `step ${b.failedStep} failed` : 'failed'}${b.error ? `: ${b.error}` : ''}`),
      el('pre', { className: 'log-tail' }, lines.length ? lines.join('\n') : '(no log lines were kept)'));
    const row = el('tr', { className: 'log' }, cell);
    row.dataset.logFor = b.id;
    return row;
  }

  // ---- Images -------------------------------------------------------------------------------------------------
  // tags.json is `./build.sh ListImages --json`: { schemaVersion: 1, tags: [{ image, repository, tag, digest,
  // version, revision, created, mark }] }, newest first; a missing file just means no marks are shown.
  async function loadImages() {
    let report;
    try {
      report = await getJson('/images.json');
    } catch (err) {
      $('images').hidden = true;
      showState('images-state', err.status === 404 ? `No images yet: ${err.message}` : `Cannot load images: ${err.message}`, err.status !== 404);
      return;
    }
    let listing = [];
    try { listing = await getJson('/tags.json'); } catch { listing = []; }
    const byImage = new Map();
    for (const t of (listing && Array.isArray(listing.tags)) ? listing.tags : []) {
      if (!byImage.has(t.image)) byImage.set(t.image, []);
      byImage.get(t.image).push(t);
    }
    const images = Array.isArray(report) ? report : report.images || [];
    const nameFilter = $('filter-image').value.trim().toLowerCase();
    const mark = $('filter-mark').value;
    const tbody = $('images').querySelector('tbody');
    tbody.replaceChildren();
    let shown = 0;
    for (const image of images) {
      if (nameFilter && !text(image.name).toLowerCase().includes(nameFilter)) continue;
      const listed = byImage.get(image.name) || [];
      const tags = listed.length ? listed : (image.tags || []).map((t) => ({ tag: t, digest: image.digest }));
      const visible = mark ? tags.filter((t) => t.mark === mark) : tags;
      if (mark && visible.length === 0) continue;
      const tagCell = el('td', {});
      for (const t of visible) {
        const span = el('span', { className: 'tag', title: [t.digest, t.revision && `commit ${t.revision}`, t.created].filter(Boolean).join('\n') }, t.tag);
        if (t.mark) { const m = badge(t.mark, 'mark'); m.textContent = `[${t.mark}]`; span.append(' ', m); }
        tagCell.append(span);
      }
      tbody.append(el('tr', {},
        el('td', {}, image.name), el('td', {}, image.method), el('td', {}, badge(image.status || 'unknown', 'status')),
        el('td', { className: 'mono' }, image.destination), tagCell, el('td', { className: 'digest' }, text(image.digest).slice(0, 19))));
      shown++;
    }
    $('images').hidden = shown === 0;
    $('image-count').textContent = `${shown} of ${images.length} image(s)`;
    showState('images-state', shown ? '' : images.length ? 'No image matches these filters.' : 'No images in the report yet: run ./build.sh PushImages.', false);
  }

  // ---- Wiring -------------------------------------------------------------------------------------------------
  const views = { builds: loadBuilds, images: loadImages };
  async function refresh() {
    await views[state.tab]();
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  }
  function schedule() {
    clearInterval(state.timer);
    if ($('auto-refresh').checked) state.timer = setInterval(refresh, REFRESH_MS);
  }
  function select(tab) {
    state.tab = tab;
    for (const b of document.querySelectorAll('.tab')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
    $('builds-view').hidden = tab !== 'builds';
    $('images-view').hidden = tab !== 'images';
    saveHash();
    refresh();
  }
  function saveHash() {
    const f = buildFilters();
    const q = new URLSearchParams({ tab: state.tab });
    for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
    if ($('filter-image').value) q.set('image', $('filter-image').value);
    if ($('filter-mark').value) q.set('mark', $('filter-mark').value);
    history.replaceState(null, '', `#${q}`);
  }
  const fromHash = new URLSearchParams(location.hash.slice(1));
  $('filter-status').value = fromHash.get('status') || '';
  $('filter-tenant').value = fromHash.get('tenant') || '';
  $('filter-service').value = fromHash.get('service') || '';
  $('filter-image').value = fromHash.get('image') || '';
  $('filter-mark').value = fromHash.get('mark') || '';
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => select(b.dataset.tab));
  for (const id of ['filter-status', 'filter-tenant', 'filter-service', 'filter-image', 'filter-mark'])
    $(id).addEventListener('input', () => { saveHash(); refresh(); });
  $('auto-refresh').addEventListener('change', schedule);
  select(fromHash.get('tab') === 'images' ? 'images' : 'builds');
  schedule();
})();
