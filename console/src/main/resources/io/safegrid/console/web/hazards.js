// Hazard pages (隐患排查治理): list with filters, report with a photo, a hazard's actions and audit trail with
// before/after photos, the supervision list (挂牌督办), and "turn this alarm into a hazard" on the alarm page.
import { TEXT, tr, lang, setLang } from './i18n.js';
import './hazards-i18n.js';

const $ = s => document.querySelector(s);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const when = s => s ? new Date(s).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '';
const hz = { me: null, names: {}, sites: [], selected: null };

async function api(method, url, body) {
  const changes = method !== 'GET';
  const r = await fetch(url, { method, headers: changes ? { 'Content-Type': 'application/json' } : {}, body: changes ? JSON.stringify(body ?? {}) : undefined, credentials: 'same-origin' });
  const data = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
  if (!r.ok) { const k = data && data.key && 'err_' + data.key; throw new Error(k && tr(k) !== k ? tr(k) : (data && data.error) || r.status); }
  return data;
}

async function ensureMe() {
  if (!hz.me) {
    hz.me = await api('GET', '/api/v1/me');
    const g = await api('GET', '/api/v1/grid'); hz.sites = [];
    const walk = n => { hz.names[n.path] = n.name; if (n.kind === 'enterprise' || n.kind === 'site') hz.sites.push(n); (n.children || []).forEach(walk); };
    g.forEach(walk);
    const opts = hz.sites.map(s => `<option value="${esc(s.path)}">${esc(s.name)}</option>`).join('');
    $('#hz-site').innerHTML = opts;
    $('#hz-filter-node').innerHTML = `<option value="">${esc(tr('any'))}</option>` + Object.keys(hz.names).map(p => `<option value="${esc(p)}">${esc(hz.names[p])}</option>`).join('');
    const enterprise = hz.me.role === 'enterprise-operator';
    $('#hz-source').innerHTML = (enterprise ? ['self-check'] : ['township-inspection', 'department-inspection', 'tip-off', 'self-check'])
      .map(s => `<option value="${s}">${esc(tr('src_' + s))}</option>`).join('');
  }
}

// ---------- list ----------
async function loadHazards() {
  await ensureMe();
  const f = new FormData($('#hz-filters')); const q = new URLSearchParams();
  for (const [k, v] of f.entries()) if (v) q.set(k, v);
  const p = await api('GET', '/api/v1/hazards?' + q);
  $('#hz-total').textContent = `${tr('total')} ${p.total}`;
  $('#hz-list tbody').innerHTML = p.items.map(h => `<tr class="hz-row${h.overdue ? ' hz-overdue' : ''}" data-id="${esc(h.id)}">
    <td>${esc(h.id)}</td><td><span class="hz-grade g-${esc(h.grade)}">${esc(tr('hz_' + h.grade))}</span></td>
    <td class="hz-state">${esc(tr('hs_' + h.state))}${h.overdue ? ` <span class="hz-flag">${esc(tr('hzOverdue'))}</span>` : ''}</td>
    <td>${esc(h.siteName)}</td><td>${esc(h.description.split('\n')[0])}</td><td>${esc(when(h.deadline))}</td>
    <td>${h.supervision ? esc(h.supervision.orderNo) : ''}</td></tr>`).join('');
  document.querySelectorAll('#hz-list tr.hz-row').forEach(r => r.addEventListener('click', () => openHazard(r.dataset.id)));
  if (hz.selected) openHazard(hz.selected);
}

// ---------- report ----------
async function photoData(input) {
  const file = input.files && input.files[0];
  if (!file) return [];
  // sent as taken: the upload routes take a photo up to hazards.photo-max-kb; the register checks size and type
  return [{ data: await base64(new Uint8Array(await file.arrayBuffer())) }];
}
async function base64(bytes) { let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); return btoa(s); }

async function report(ev) {
  ev.preventDefault(); $('#hz-report-error').textContent = '';
  try {
    const h = await api('POST', '/api/v1/hazards', { site: $('#hz-site').value, grade: $('#hz-grade').value, source: $('#hz-source').value,
      category: $('#hz-category').value, place: $('#hz-place').value, description: $('#hz-description').value, photos: await photoData($('#hz-photo')) });
    $('#hz-report-form').reset(); hz.selected = h.id; await loadHazards();
  } catch (e) { $('#hz-report-error').textContent = e.message; }
}

// ---------- one hazard ----------
const localInput = iso => { if (!iso) return ''; const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };
const isoOf = v => v ? new Date(v).toISOString() : null;

async function openHazard(id) {
  if (hz.selected !== id) $('#hz-note').value = '';
  hz.selected = id;
  document.querySelectorAll('#hz-list tr.hz-row').forEach(r => r.classList.toggle('sel', r.dataset.id === id));
  const [h, t] = await Promise.all([api('GET', '/api/v1/hazards/' + encodeURIComponent(id)), api('GET', `/api/v1/hazards/${encodeURIComponent(id)}/timeline`)]);
  $('#hz-detail').hidden = false; $('#hz-detail').dataset.state = h.state; $('#hz-detail').dataset.id = h.id;
  $('#hz-title').innerHTML = `<span class="hz-grade g-${esc(h.grade)}">${esc(tr('hz_' + h.grade))}</span> ${esc(h.id)} · ${esc(h.siteName)} · <span id="hz-state">${esc(tr('hs_' + h.state))}</span>${h.overdue ? ` <span class="hz-flag">${esc(tr('hzOverdue'))}</span>` : ''}`;
  const fact = (k, v) => v === null || v === undefined || v === '' ? '' : `<div><b>${esc(tr(k))}</b>${esc(v)}</div>`;
  $('#hz-facts').innerHTML = fact('hzSource', tr('src_' + h.source)) + fact('hzCategory', h.category) + fact('hzPlace', h.place)
    + fact('hzReportedBy', h.reportedBy) + fact('hzResponsible', h.responsible) + fact('hzMeasures', h.measures) + fact('hzFunds', h.fundsYuan)
    + fact('hzDeadline', when(h.deadline)) + fact('hzPlan', h.emergencyPlan)
    + (h.supervision ? fact('hzOrderNo', h.supervision.orderNo) + fact('hzListedBy', hz.names[h.supervision.level] || h.supervision.level) + fact('hzListDeadline', when(h.supervision.deadline)) : '')
    + `<div class="hz-desc">${esc(h.description)}</div>`;
  const pics = stage => h.photos.filter(p => p.stage === stage).map(p => `<img class="hz-photo" data-stage="${esc(stage)}" alt="${esc(stage)}" src="/api/v1/hazards/${encodeURIComponent(h.id)}/photos/${encodeURIComponent(p.id)}">`).join('') || `<span class="muted">${esc(tr('hzNone'))}</span>`;
  $('#hz-photos').innerHTML = `<figure><figcaption>${esc(tr('hzBefore'))}</figcaption>${pics('before')}${h.photos.some(p => p.stage === 'evidence') ? pics('evidence') : ''}</figure><figure><figcaption>${esc(tr('hzAfter'))}</figcaption>${pics('after')}</figure>`;
  const sup = hz.me.role !== 'enterprise-operator';
  const show = (sel, on) => { $(sel).hidden = !on; };
  show('#hz-act-assign', h.state === 'reported' && (sup || h.grade === 'general'));
  show('#hz-act-rectify', h.state === 'assigned');
  show('#hz-act-submit', h.state === 'rectifying');
  show('#hz-act-review', h.state === 'submitted' && sup);
  show('#hz-act-list', sup && h.grade === 'major' && !h.supervision && h.state !== 'accepted');
  $('#hz-timeline').innerHTML = t.map(e => `<li class="he-${esc(e.type)}"><span class="muted">${esc(when(e.at))}</span> <b>${esc(tr('he_' + e.type))}</b> ${esc(e.user || '')}
    ${Object.entries(e.changes || {}).filter(([k]) => k !== 'notice').map(([k, v]) => `<span class="hz-change">${esc(tr('f_' + k))}: ${esc(shown(k, v[0]))} → ${esc(shown(k, v[1]))}</span>`).join(' ')}
    ${e.note ? `<div class="hz-note">${esc(e.type === 'NOTICE' ? noticeTo(e.note) : e.note)}</div>` : ''}</li>`).join('');
}

// a changed field as the screen says it: states, grades and sources by their label, times in local time
const PREFIX = { state: 'hs_', grade: 'hz_', source: 'src_' };
function shown(k, v) {
  if (v === null || v === undefined) return '—';
  if (PREFIX[k]) return tr(PREFIX[k] + v);
  if (k === 'deadline' || k === 'supervisionDeadline') return when(v);
  if (k === 'listedBy') return hz.names[v] || v;
  return v;
}
// "puxian/kecheng + zhang-hui": the grid node by its name
const noticeTo = note => note.split(' + ').map((p, i) => i === 0 ? (hz.names[p] || p) : p).join(' + ');

async function act(path, body) {
  $('#hz-action-error').textContent = '';
  try { await api('POST', `/api/v1/hazards/${encodeURIComponent(hz.selected)}/${path}`, body); $('#hz-note').value = ''; await loadHazards(); }
  catch (e) { $('#hz-action-error').textContent = e.message; }
}

// ---------- supervision ----------
async function loadSupervision() {
  await ensureMe();
  const s = await api('GET', '/api/v1/supervision');
  $('#sup-overdue').textContent = s.overdue ? `${tr('hzOverdue')} ${s.overdue}` : '';
  $('#sup-list tbody').innerHTML = s.items.map(h => `<tr class="${h.overdue ? 'hz-overdue' : ''}" data-id="${esc(h.id)}"><td>${esc(h.supervision.orderNo)}</td>
    <td>${esc(h.siteName)}</td><td>${esc(h.description.split('\n')[0])}</td><td>${esc(hz.names[h.supervision.level] || h.supervision.level)}</td>
    <td>${esc(when(h.supervision.deadline))}${h.overdue ? ` <span class="hz-flag">${esc(tr('hzOverdue'))}</span>` : ''}</td><td>${esc(tr('hs_' + h.state))}</td></tr>`).join('');
}

// ---------- 一企一档 ----------
const KINDS = ['licence', 'organisation', 'certificate', 'equipment', 'emergency-plan', 'insurance', 'standardisation'];
async function loadDossier() {
  await ensureMe();
  if (!$('#ds-site').options.length) {
    $('#ds-site').innerHTML = Object.keys(hz.names).map(p => `<option value="${esc(p)}">${esc(hz.names[p])}</option>`).join('');
    const first = hz.sites[0]; if (first) $('#ds-site').value = first.path;
  }
  $('#ds-kind').innerHTML = KINDS.map(k => `<option value="${k}">${esc(tr('ak_' + k))}</option>`).join('');
  const d = await api('GET', '/api/v1/dossier?site=' + encodeURIComponent($('#ds-site').value));
  $('#ds-title').textContent = d.name;
  const fact = (k, v) => v === null || v === undefined || v === '' ? '' : `<div><b>${esc(tr(k))}</b>${esc(v)}</div>`;
  const p = d.profile || {};
  $('#ds-profile').innerHTML = fact('dsIndustry', p.industry) + fact('dsRisk', p.risk) + fact('dsDepartments', (p.departmentNames || []).join('、')) + fact('dsContact', p.contact);
  $('#ds-items tbody').innerHTML = d.items.map(a => `<tr class="${a.expired ? 'hz-overdue' : ''}" data-id="${esc(a.id)}"><td>${esc(tr('ak_' + a.kind))}</td><td>${esc(a.name)}</td>
    <td>${esc(a.number)}</td><td>${esc(a.holder)}</td><td>${esc(a.issued)}</td><td>${esc(a.expires)}${a.expired ? ` <span class="hz-flag">${esc(tr('dsExpired'))}</span>` : a.expiresSoon ? ` <span class="hz-grade g-larger">${esc(tr('dsSoon'))}</span>` : ''}</td>
    <td>${esc(a.level)}</td><td class="ds-docs">${(a.documents || []).map(x => `<a class="ds-doc" target="_blank" rel="noopener" href="/api/v1/dossier/${encodeURIComponent(a.id)}/documents/${encodeURIComponent(x.id)}">${esc(x.name)}</a>`).join(' ')}
    <label class="ghost">${esc(tr('dsAttach'))}<input type="file" class="ds-attach" data-id="${esc(a.id)}" accept="application/pdf,image/jpeg,image/png" hidden></label></td>
    <td><button type="button" class="ghost ds-remove" data-id="${esc(a.id)}">${esc(tr('dsRemove'))}</button></td></tr>`).join('');
  // a scanned document goes up as sent; the server reads its type from its bytes
  document.querySelectorAll('.ds-attach').forEach(f => f.addEventListener('change', async () => {
    const file = f.files && f.files[0]; if (!file) return;
    try {
      await api('POST', `/api/v1/dossier/${encodeURIComponent(f.dataset.id)}/documents`,
        { name: file.name, data: await base64(new Uint8Array(await file.arrayBuffer())) });
      await loadDossier();
    } catch (e) { $('#ds-error').textContent = e.message; }
  }));
  const h = d.history || {};
  $('#ds-history').innerHTML = fact('dsHazardsOpen', h.hazardsOpen) + fact('dsHazardsOverdue', h.hazardsOverdue) + fact('dsHazardsAccepted', h.hazardsAccepted) + fact('dsAlarms', h.alarms)
    + (h.recentHazards || []).map(x => `<div>${esc(x.id)} <span class="hz-grade g-${esc(x.grade)}">${esc(tr('hz_' + x.grade))}</span> ${esc(tr('hs_' + x.state))} ${esc(x.description)}</div>`).join('');
  const soon = await api('GET', '/api/v1/dossier/expiring?days=30');
  $('#ds-expiring tbody').innerHTML = soon.map(a => `<tr><td>${esc(hz.names[a.site] || a.site)}</td><td>${esc(tr('ak_' + a.kind))}</td><td>${esc(a.name)}</td><td>${esc(a.holder)}</td><td>${esc(a.expires)}</td></tr>`).join('')
    || `<tr><td class="muted">${esc(tr('hzNone'))}</td></tr>`;
}
async function addEntry(ev) {
  ev.preventDefault(); $('#ds-error').textContent = '';
  try {
    await api('POST', '/api/v1/dossier', { site: $('#ds-site').value, kind: $('#ds-kind').value, name: $('#ds-name').value, number: $('#ds-number').value,
      holder: $('#ds-holder').value, issued: $('#ds-issued').value, expires: $('#ds-expires').value, level: $('#ds-level').value });
    $('#ds-form').reset(); await loadDossier();
  } catch (e) { $('#ds-error').textContent = e.message; }
}

// ---------- wiring ----------
function wire() {
  setLang(lang); // this module's labels arrived after the console's first translation
  document.querySelector('#tabs button[data-tab="hazards"]').addEventListener('click', () => loadHazards().catch(() => {}));
  document.querySelector('#tabs button[data-tab="supervision"]').addEventListener('click', () => loadSupervision().catch(() => {}));
  document.querySelector('#tabs button[data-tab="dossier"]').addEventListener('click', () => loadDossier().catch(e => { $('#ds-error').textContent = e.message; }));
  $('#ds-site').addEventListener('change', () => loadDossier().catch(e => { $('#ds-error').textContent = e.message; }));
  $('#ds-form').addEventListener('submit', addEntry);
  $('#hz-filters').addEventListener('change', () => loadHazards());
  $('#hz-report-form').addEventListener('submit', report);
  $('#hz-btn-assign').addEventListener('click', () => act('assign', { responsible: $('#hz-responsible').value, measures: $('#hz-measures').value,
    fundsYuan: $('#hz-funds').value, deadline: isoOf($('#hz-deadline').value), emergencyPlan: $('#hz-plan').value, note: $('#hz-note').value }));
  $('#hz-btn-rectify').addEventListener('click', () => act('rectify', { note: $('#hz-note').value }));
  $('#hz-btn-submit').addEventListener('click', async () => act('submit', { note: $('#hz-note').value, photos: await photoData($('#hz-after-photo')) }));
  $('#hz-btn-accept').addEventListener('click', () => act('accept', { note: $('#hz-note').value }));
  $('#hz-btn-reject').addEventListener('click', () => act('reject', { note: $('#hz-note').value }));
  $('#hz-btn-list').addEventListener('click', () => act('list', { orderNo: $('#hz-order-no').value, deadline: isoOf($('#hz-list-deadline').value) }));
  $('#btn-hazard').addEventListener('click', async () => {
    const row = document.querySelector('#alarms tr.sel'); if (!row) return;
    $('#action-error').textContent = '';
    try {
      const h = await api('POST', `/api/v1/alarms/${encodeURIComponent(row.dataset.id)}/hazard`, { grade: $('#hazard-grade').value, description: $('#action-text').value });
      $('#action-error').textContent = `${tr('hzCreated')}: ${h.id}`; hz.selected = h.id;
    } catch (e) { $('#action-error').textContent = e.message; }
  });
  $('#lang').addEventListener('click', () => { if (!$('#view-hazards').hidden) loadHazards(); if (!$('#view-supervision').hidden) loadSupervision(); if (!$('#view-dossier').hidden) loadDossier(); });
  const forget = () => { hz.me = null; hz.selected = null; $('#ds-site').innerHTML = ''; };
  $('#logout').addEventListener('click', forget);
  $('#login-form').addEventListener('submit', forget);
}
wire();
export { localInput, api, esc };
