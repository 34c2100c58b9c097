// Supervision pages: inspection plans in PDCA cycles (plan, completion per township with a chart, the
// items that keep failing) and the red-line register (violations, candidates, listings and their steps).
// The on-site task itself is the phone page /ui/inspect.html.
import { tr, lang, setLang, loadTexts } from './i18n.js';
import { chart } from './charts.js';
import './supervision-i18n.js';
import { api, itemText } from './sv-api.js';

const $ = s => document.querySelector(s);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const when = s => s ? new Date(s).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '';
const localInput = d => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
const isoOf = v => v ? new Date(v).toISOString() : null;
const sv = { me: null, names: {}, nodes: [], enterprises: [], templates: [], items: [], plan: null, entry: null };

async function ensure() {
  await loadTexts(lang);
  if (sv.me) return;
  sv.me = await api('GET', '/api/v1/me');
  const g = await api('GET', '/api/v1/grid'); sv.nodes = []; sv.enterprises = [];
  const walk = n => { sv.names[n.path] = n.name; if (n.kind === 'enterprise') sv.enterprises.push(n); else if (n.kind !== 'site') sv.nodes.push(n); (n.children || []).forEach(walk); };
  g.forEach(walk);
  const supervisor = sv.me.role !== 'enterprise-operator';
  $('#sv-plan-card').hidden = !supervisor;
  $('#rl-form').hidden = !supervisor;
  if (!supervisor) return;
  sv.templates = (await api('GET', '/api/v1/inspections/templates')).items;
  templateOptions();
  $('#sv-rule-subtree').innerHTML = `<option value="">—</option>` + sv.nodes.filter(n => n.kind !== 'department').map(n => `<option value="${esc(n.path)}">${esc(n.name)}</option>`).join('');
  $('#sv-targets').innerHTML = sv.enterprises.map(n => `<option value="${esc(n.path)}">${esc(n.name)}</option>`).join('');
  $('#rl-site').innerHTML = sv.enterprises.map(n => `<option value="${esc(n.path)}">${esc(n.name)}</option>`).join('');
  $('#sv-inspectors').value = sv.me.user || sv.me.name || '';
  const q = $('#sv-quarter'); const now = new Date();
  for (let i = 0; i < 4; i++) {
    const y = now.getFullYear() + Math.floor((Math.floor(now.getMonth() / 3) + i) / 4), k = (Math.floor(now.getMonth() / 3) + i) % 4;
    q.insertAdjacentHTML('beforeend', `<option value="${y}-${k}">${y} Q${k + 1}</option>`);
  }
  useTemplate();
}

// ---------- Plan ----------
function templateOptions() {
  const chosen = $('#sv-template').value;
  $('#sv-template').innerHTML = sv.templates.map(t => `<option value="${esc(t.id)}">${esc(tr('svTemplate_' + t.id))}</option>`).join('');
  if (chosen) $('#sv-template').value = chosen;
}
function useTemplate() {
  const t = sv.templates.find(x => x.id === $('#sv-template').value);
  sv.items = t ? t.items.map(i => ({ key: i.key })) : [];
  renderItems();
}
function renderItems() {
  $('#sv-items').innerHTML = sv.items.map((i, n) => `<li>${esc(itemText(i))} <button type="button" class="ghost sv-del" data-n="${n}">${esc(tr('svRemove'))}</button></li>`).join('');
  document.querySelectorAll('.sv-del').forEach(b => b.addEventListener('click', () => { sv.items.splice(+b.dataset.n, 1); renderItems(); }));
}
function useQuarter() {
  const v = $('#sv-quarter').value; if (!v) return;
  const [y, k] = v.split('-').map(Number);
  $('#sv-starts').value = localInput(new Date(y, k * 3, 1));
  $('#sv-due').value = localInput(new Date(new Date(y, k * 3 + 3, 1).getTime() - 60000));
}
async function createPlan() {
  $('#sv-plan-error').textContent = '';
  try {
    const subtree = $('#sv-rule-subtree').value;
    const p = await api('POST', '/api/v1/inspections/plans', {
      title: $('#sv-title').value, template: $('#sv-template').value, startsAt: isoOf($('#sv-starts').value), dueAt: isoOf($('#sv-due').value),
      rule: subtree ? { subtree, minRisk: $('#sv-min-risk').value } : null,
      targets: [...$('#sv-targets').selectedOptions].map(o => o.value),
      inspectors: $('#sv-inspectors').value.split(/[,，\s]+/).filter(Boolean), items: sv.items, unannounced: $('#sv-unannounced').checked });
    sv.plan = p.id; await loadInspections();
  } catch (e) { $('#sv-plan-error').textContent = e.message; }
}

async function loadInspections() {
  await ensure();
  if (sv.me.role === 'enterprise-operator') { $('#sv-plans tbody').innerHTML = ''; return; }
  const plans = (await api('GET', '/api/v1/inspections/plans')).items;
  $('#sv-plans tbody').innerHTML = plans.map(p => `<tr class="sv-plan-row" data-id="${esc(p.id)}"><td>${esc(p.title)}${p.unannounced ? ` <span class="hz-flag">${esc(tr('svUnannouncedShort'))}</span>` : ''}</td><td>${esc(p.ownerName)}</td><td>${esc(when(p.dueAt))}</td></tr>`).join('');
  document.querySelectorAll('.sv-plan-row').forEach(r => r.addEventListener('click', () => openPlan(r.dataset.id)));
  const imp = (await api('GET', '/api/v1/inspections/improvements?min=2')).items;
  $('#sv-improvements tbody').innerHTML = imp.map((i, n) => `<tr class="sv-imp"><td>${esc(itemText(i.item))}</td><td>${i.enterprises}</td><td>${i.failures}</td><td><button type="button" class="sv-use" data-n="${n}">${esc(tr('svUseInPlan'))}</button></td></tr>`).join('');
  document.querySelectorAll('.sv-use').forEach(b => b.addEventListener('click', () => { const it = imp[+b.dataset.n].item; if (!sv.items.some(x => x.key === it.key && x.text === it.text)) sv.items.push(it); renderItems(); }));
  if (sv.plan) await openPlan(sv.plan);
}

// ---------- Check: a plan's completion per township ----------
async function openPlan(id) {
  sv.plan = id;
  const p = await api('GET', '/api/v1/inspections/plans/' + encodeURIComponent(id));
  const d = $('#sv-plan-detail'); d.hidden = false; d.dataset.id = id;
  $('#sv-plan-title').textContent = p.title;
  $('#sv-plan-facts').innerHTML = [[tr('svOwner'), p.ownerName], [tr('svStarts'), when(p.startsAt)], [tr('svDue'), when(p.dueAt)],
    [tr('svInspectors'), p.inspectors.join(', ')], [tr('svItems'), p.items.length]].map(([k, v]) => `<span><b>${esc(k)}</b>${esc(v)}</span>`).join('');
  $('#sv-progress tbody').innerHTML = p.progress.map(x => `<tr data-township="${esc(x.township)}"><td>${esc(x.townshipName)}</td><td class="sv-due">${x.due}</td><td class="sv-done">${x.done}</td><td class="sv-late">${x.late}</td><td class="sv-raised">${x.hazardsRaised}</td><td class="sv-accepted">${x.hazardsAccepted}</td></tr>`).join('');
  chart($('#sv-progress-chart')).setOption({
    tooltip: { trigger: 'axis', renderMode: 'richText' }, legend: { textStyle: { color: '#8499ad' } }, grid: { left: 40, right: 10, top: 30, bottom: 24 },
    xAxis: { type: 'category', data: p.progress.map(x => x.townshipName), axisLabel: { color: '#8499ad' } }, yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#8499ad' } },
    series: [['svDone', 'done', '#22c55e'], ['svLate', 'late', '#f59e0b'], ['svOpen', null, '#3b82f6']].map(([label, k, colour]) => ({
      name: tr(label), type: 'bar', stack: 'tasks', itemStyle: { color: colour }, data: p.progress.map(x => k ? x[k] : x.due - x.done - x.late) }))
  }, true);
  $('#sv-tasks tbody').innerHTML = p.tasks.map(t => `<tr data-id="${esc(t.id)}" class="${t.done ? 'sv-task-done' : ''}"><td>${esc(t.targetName)}</td>
    <td>${esc(t.done ? (t.late ? tr('svLate') : tr('svDone')) : tr('svOpen'))}</td><td>${t.checked}/${t.total}</td><td>${t.failed}</td>
    <td><a class="sv-open" href="/ui/inspect.html?task=${encodeURIComponent(t.id)}">${esc(tr('svOpenTask'))}</a></td></tr>`).join('');
}

// ---------- the red-line register ----------
async function loadRedline() {
  await ensure();
  const supervisor = sv.me.role !== 'enterprise-operator';
  const [vio, entries, rules] = await Promise.all([api('GET', '/api/v1/redline/violations'),
    api('GET', '/api/v1/redline/entries' + ($('#rl-all').checked ? '?all=true' : '')), api('GET', '/api/v1/redline/rules')]);
  sv.rules = rules.items;
  $('#rl-violations tbody').innerHTML = vio.items.map(v => `<tr class="rl-vio" data-id="${esc(v.id)}"><td>${esc(when(v.at))}</td><td>${esc(v.siteName)}</td>
    <td><span class="hz-grade ${v.severity === 'serious' ? 'g-major' : 'g-general'}">${esc(tr('sev_' + v.severity))}</span></td><td>${esc(tr('vs_' + v.source))}</td>
    <td class="hz-desc">${esc(v.description)}</td><td>${esc(v.worker || '')}</td></tr>`).join('');
  const sources = ['inspection', 'hazard', 'alarm', 'manual'];
  chart($('#rl-chart')).setOption({
    tooltip: { trigger: 'axis', renderMode: 'richText' }, legend: { textStyle: { color: '#8499ad' } }, grid: { left: 40, right: 10, top: 30, bottom: 24 },
    xAxis: { type: 'category', data: sources.map(s => tr('vs_' + s)), axisLabel: { color: '#8499ad' } }, yAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#8499ad' } },
    series: [['serious', '#e5484d'], ['general', '#3b82f6']].map(([sev, colour]) => ({ name: tr('sev_' + sev), type: 'bar', stack: 'v', itemStyle: { color: colour },
      data: sources.map(s => vio.items.filter(v => v.source === s && v.severity === sev).length) }))
  }, true);
  $('#rl-rules tbody').innerHTML = rules.items.map(r => `<tr><td>${esc(tr(r.name) !== r.name ? tr(r.name) : r.name)}</td><td>${esc(tr('sev_' + r.severity.toLowerCase()))}</td>
    <td>${r.source ? esc(tr('vs_' + r.source.toLowerCase())) : '—'}</td><td>${r.count}</td><td>${r.windowDays}</td><td>${r.active ? '✓' : ''}</td></tr>`).join('');
  $('#rl-entries tbody').innerHTML = entries.items.map(e => `<tr class="rl-row" data-id="${esc(e.id)}" data-state="${esc(e.state)}"><td>${esc(e.siteName)}</td>
    <td>${esc(tr('es_' + e.state))}</td><td>${esc(e.levelName)}</td><td>${esc(e.reason)}</td><td>${esc(when(e.listedAt))}</td></tr>`).join('');
  document.querySelectorAll('.rl-row').forEach(r => r.addEventListener('click', () => openEntry(r.dataset.id)));
  if (supervisor) {
    const cands = (await api('GET', '/api/v1/redline/candidates')).items;
    const ruleName = id => { const r = sv.rules.find(x => x.id === id); return r ? (tr(r.name) !== r.name ? tr(r.name) : r.name) : id; };
    $('#rl-candidates tbody').innerHTML = cands.map((c, n) => `<tr class="rl-cand" data-site="${esc(c.site)}"><td>${esc(c.siteName)}</td><td>${esc(ruleName(c.ruleId))}</td><td>${c.violationIds.length}</td>
      <td><input class="rl-reason" maxlength="4000" placeholder="${esc(tr('rlReason'))}"><button type="button" class="rl-list" data-n="${n}">${esc(tr('rlList'))}</button></td></tr>`).join('');
    document.querySelectorAll('.rl-list').forEach(b => b.addEventListener('click', async () => {
      const c = cands[+b.dataset.n]; $('#rl-error').textContent = '';
      try { const e = await api('POST', '/api/v1/redline/entries', { site: c.site, ruleId: c.ruleId, violationIds: c.violationIds, reason: b.previousElementSibling.value });
        sv.entry = e.id; await loadRedline(); } catch (err) { $('#rl-error').textContent = err.message; }
    }));
  } else $('#rl-candidates tbody').innerHTML = '';
  if (sv.entry) await openEntry(sv.entry);
}

async function openEntry(id) {
  sv.entry = id;
  const e = await api('GET', '/api/v1/redline/entries/' + encodeURIComponent(id));
  const d = $('#rl-entry'); d.hidden = false; d.dataset.id = id; d.dataset.state = e.state;
  $('#rl-entry-title').textContent = `${e.siteName} · ${tr('es_' + e.state)}${e.handOffTo ? ' → ' + e.handOffTo + ' ' + (e.handOffRef || '') : ''}`;
  const enterprise = sv.me.role === 'enterprise-operator', county = !enterprise && !String(sv.me.scope || '').includes('/');
  $('#rl-btn-appeal').hidden = !(enterprise && e.state === 'listed');
  $('#rl-btn-uphold').hidden = $('#rl-btn-reject').hidden = !(!enterprise && e.state === 'appealed');
  $('#rl-btn-remove').hidden = !(!enterprise && e.state === 'listed');
  $('#rl-handoff').hidden = !(county && e.state === 'listed');
  $('#rl-history').innerHTML = e.history.map(h => `<li><span class="muted">${esc(when(h.at))}</span> <b>${esc(tr('ee_' + h.type))}</b> ${esc(h.user)}${h.note ? ' — ' + esc(h.note) : ''}</li>`).join('');
}
async function step(what, body) {
  $('#rl-entry-error').textContent = '';
  try { await api('POST', `/api/v1/redline/entries/${encodeURIComponent(sv.entry)}/${what}`, { note: $('#rl-note').value, ...body }); $('#rl-note').value = ''; await loadRedline(); }
  catch (e) { $('#rl-entry-error').textContent = e.message; }
}

function wire() {
  setLang(lang); // this module's labels arrived after the console's first translation
  document.querySelector('#tabs button[data-tab="inspections"]').addEventListener('click', () => loadInspections().catch(e => { $('#sv-plan-error').textContent = e.message; }));
  document.querySelector('#tabs button[data-tab="redline"]').addEventListener('click', () => loadRedline().catch(e => { $('#rl-error').textContent = e.message; }));
  $('#sv-template').addEventListener('change', useTemplate);
  $('#sv-quarter').addEventListener('change', useQuarter);
  $('#sv-add-item').addEventListener('click', () => { const t = $('#sv-new-item').value.trim(); if (t) { sv.items.push({ text: t }); $('#sv-new-item').value = ''; renderItems(); } });
  $('#sv-create').addEventListener('click', createPlan);
  $('#rl-all').addEventListener('change', () => loadRedline());
  $('#rl-form').addEventListener('submit', async ev => {
    ev.preventDefault(); $('#rl-error').textContent = '';
    try { await api('POST', '/api/v1/redline/violations', { site: $('#rl-site').value, severity: $('#rl-severity').value, worker: $('#rl-worker').value, description: $('#rl-description').value });
      $('#rl-description').value = ''; $('#rl-worker').value = ''; await loadRedline(); } catch (e) { $('#rl-error').textContent = e.message; }
  });
  $('#rl-btn-appeal').addEventListener('click', () => step('appeal'));
  $('#rl-btn-uphold').addEventListener('click', () => step('decide', { upheld: true }));
  $('#rl-btn-reject').addEventListener('click', () => step('decide', { upheld: false }));
  $('#rl-btn-remove').addEventListener('click', () => step('remove'));
  $('#rl-btn-handoff').addEventListener('click', () => step('hand-off', { authority: $('#rl-authority').value, reference: $('#rl-reference').value }));
  $('#lang').addEventListener('click', async () => {
    // the console switches the language once the other bundle is in; redraw after it did
    const next = lang === 'zh' ? 'en' : 'zh';
    await loadTexts(next);
    for (let i = 0; i < 100 && lang !== next; i++) await new Promise(done => setTimeout(done, 20));
    if (!$('#view-inspections').hidden) { templateOptions(); renderItems(); loadInspections(); } if (!$('#view-redline').hidden) loadRedline(); });
  $('#logout').addEventListener('click', () => { sv.me = null; sv.plan = null; sv.entry = null; });
}
wire();
