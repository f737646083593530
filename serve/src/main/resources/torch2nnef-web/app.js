// torch2nnef serve's page: posts the form to /v1/exports, polls the job, shows the report.
'use strict';
const $ = (id) => document.getElementById(id);
const lines = (id) => $(id).value.split(/\n/).map((s) => s.trim()).filter((s) => s);

function headers() {
  const t = $('token').value.trim();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

async function api(path, init) {
  const r = await fetch(path, Object.assign({ headers: headers() }, init || {}));
  const body = await r.text();
  let json;
  // the CLI's report writes NaN for values not compared, which JSON.parse refuses
  try { json = JSON.parse(body.replace(/:\s*(-?)(NaN|Infinity)/g, ': null')); } catch (e) { json = { error: body }; }
  if (!r.ok && r.status !== 202) {
    throw new Error(r.status + ': ' + (json.error || body));
  }
  return json;
}

function show(id, text) {
  $(id).hidden = !text;
  $(id).textContent = text || '';
}

$('export-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const options = {
    inputs: lines('inputs'),
    dynamicAxes: lines('dynamic-axes'),
    outputNames: $('output-names').value.split(',').map((s) => s.trim()).filter((s) => s),
    strict: $('strict').checked,
    check: $('check').value,
  };
  if ($('tract-version').value.trim()) options.tractVersion = $('tract-version').value.trim();
  const form = new FormData();
  form.append('model', $('model').files[0]);
  form.append('options', JSON.stringify(options));
  $('report').hidden = true;
  $('job').hidden = false;
  show('error', '');
  show('summary', '');
  $('downloads').textContent = '';
  $('state').textContent = 'uploading';
  try {
    const job = await api('/v1/exports', { method: 'POST', body: form });
    poll(job);
  } catch (e) {
    $('state').textContent = 'refused';
    show('error', e.message);
  }
});

async function poll(job) {
  $('job-id').textContent = job.id;
  $('state').textContent = job.state;
  const p = job.progress;
  $('stage').textContent = job.state === 'queued'
    ? '(position ' + (job.queuePosition || '?') + ' in the queue)'
    : p ? '(' + p.stage + ', step ' + p.step + ' of ' + p.steps
      + (p.bytesWritten ? ', ' + p.bytesWritten + ' bytes written' : '') + ')' : '';
  if (p) { $('progress').max = p.steps; $('progress').value = p.step - 1; }
  if (job.state === 'queued' || job.state === 'running') {
    setTimeout(async () => {
      try { poll(await api(job.links.self)); } catch (e) { show('error', e.message); }
    }, 300);
    return;
  }
  $('progress').value = $('progress').max;
  show('error', job.error);
  show('summary', job.summary);
  const links = $('downloads');
  if (job.links.artifact) links.appendChild(download(job.links.artifact, 'Download the NNEF archive', 'download-artifact'));
  if (job.links.debugBundle) links.appendChild(download(job.links.debugBundle, 'Download the debug bundle', 'download-debug'));
  if (job.links.report) showReport(await api(job.links.report));
}

// a link that fetches with the token and saves the file (a plain href cannot send the header)
function download(path, text, id) {
  const a = document.createElement('a');
  a.href = path;
  a.id = id;
  a.textContent = text;
  a.addEventListener('click', async (ev) => {
    ev.preventDefault();
    const r = await fetch(path, { headers: headers() });
    const cd = r.headers.get('Content-Disposition') || '';
    const m = /filename="([^"]+)"/.exec(cd);
    const url = URL.createObjectURL(await r.blob());
    const save = document.createElement('a');
    save.href = url;
    save.download = m ? m[1] : 'download';
    document.body.appendChild(save);
    save.click();
    save.remove();
    URL.revokeObjectURL(url);
  });
  const span = document.createElement('span');
  span.appendChild(a);
  span.appendChild(document.createTextNode(' '));
  return span;
}

function num(v) {
  if (typeof v !== 'number') return v === null || v === undefined ? '-' : String(v);
  return v === 0 ? '0' : v.toExponential(2);
}

function showReport(r) {
  $('report').hidden = false;
  $('verdict').textContent = r.verdict;
  $('report-meta').textContent = 'checker: ' + r.checker + ' ' + (r.checkerVersion || '')
    + ', tolerance: ' + r.approximation + (r.message ? ' — ' + r.message : '');
  const body = $('outputs').tBodies[0];
  body.textContent = '';
  for (const o of r.outputs) {
    const tr = body.insertRow();
    const cells = [o.name, JSON.stringify(o.actualShape || o.expectedShape), num(o.maxAbsError),
      num(o.maxRelError), String(o.outliers), o.passed ? 'pass' : 'FAIL', o.reason || ''];
    cells.forEach((c, i) => {
      const td = tr.insertCell();
      td.textContent = c;
      if (i === 5) td.className = o.passed ? 'pass' : 'fail';
    });
  }
  if (r.divergence) {
    const d = r.divergence;
    show('divergence', 'First diverging tensor: ' + d.tensor + ' (' + d.operation + '), max abs error '
      + num(d.comparison.maxAbsError) + ', ' + d.comparison.outliers + ' outliers');
  } else {
    show('divergence', '');
  }
}
