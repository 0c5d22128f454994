// Renders artifacts/images.json (served at /images.json): { revision, branch, created, images: [{ name, method,
// status, destination, tags, digest, durationSeconds, reason }] } (a bare array of images is accepted too).
(async () => {
  const summary = document.getElementById('summary');
  const table = document.getElementById('images');
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  try {
    const res = await fetch('/images.json', { cache: 'no-store' });
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || res.statusText);
    const images = Array.isArray(data) ? data : data.images || [];
    const tbody = table.querySelector('tbody');
    for (const image of images) {
      const row = tbody.insertRow();
      const cells = [
        image.name, image.method, image.status, image.destination,
        (image.tags || []).join(', '), image.digest,
        image.durationSeconds !== undefined ? `${image.durationSeconds.toFixed(1)} s` : '', image.reason,
      ];
      cells.forEach((value, i) => {
        const cell = row.insertCell();
        cell.textContent = text(value);
        if (i === 2) cell.className = `status-${text(value).toLowerCase()}`;
        if (i === 5) cell.className = 'digest';
      });
    }
    const failed = images.filter((i) => text(i.status).toLowerCase() === 'failed').length;
    const rev = data.revision ? ` · ${data.branch || ''}@${data.revision.slice(0, 7)}` : '';
    summary.textContent = `${images.length} image(s), ${failed} failed${rev}${data.created ? ` · ${data.created}` : ''}`;
    table.hidden = images.length === 0;
  } catch (err) {
    summary.textContent = `No report yet: ${err.message}`;
  }
})();
