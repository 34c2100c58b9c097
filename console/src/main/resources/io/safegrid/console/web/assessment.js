// Assessment (考核) and report (汇总汇报) pages: a scorecard ranked by kind with an ECharts bar chart, each
// unit's indicators with the records behind them, accidents (recorded by the county) and reports made in
// the background with a progress bar, their figures, a chart of the roll-up and PDF/xlsx downloads.
import { tr, lang, setLang } from './i18n.js';
import { chart } from './charts.js';
import { api, esc } from './hazards.js';
import './assessment-i18n.js';

const $ = s => document.querySelector(s);
const as = { me: null, meLoading: null, names: {}, card: null, job: null, timer: null, asked: 0 };

// one load for every caller at once (the tab's own assessment and the button's): a second would fill the
// forms again under the user's hands
function ensureMe() {
  if (!as.meLoading) as.meLoading = loadMe().catch(e => { as.meLoading = null; throw e; });
  return as.meLoading;
}

async function loadMe() {
  as.me = await api('GET', '/api/v1/me');
  const g = await api('GET', '/api/v1/grid'); const nodes = []; const sites = [];
  const walk = n => { as.names[n.path] = n.name; if (n.kind === 'enterprise' || n.kind === 'site') sites.push(n); else nodes.push(n); (n.children || []).forEach(walk); };
  g.forEach(walk);
  const opts = nodes.map(n => `<option value="${esc(n.path)}">${esc(n.name)}</option>`).join('');
  $('#as-node').innerHTML = opts; $('#rp-node').innerHTML = opts;
  $('#ac-site').innerHTML = sites.map(s => `<option value="${esc(s.path)}">${esc(s.name)}</option>`).join('');
  $('#ac-form').hidden = !(['admin', 'county-operator'].includes(as.me.role) && !String(as.me.scope).includes('/'));
}

const pct = v => `${(v * 100).toFixed(1)}%`;
function shown(i) {
  if (!i.measured) return tr('asNotMeasured');
  if (i.id === 'ack-median') return i.value < 0 ? '∞' : String(i.value);
  if (['ack-within-timeout', 'hazard-closure', 'listed-on-time', 'inspection-completion'].includes(i.id)) return pct(i.value);
  return String(i.value);
}
const evidenceLink = e => {
  const href = { alarm: `/api/v1/alarms/${e.id}`, hazard: `/api/v1/hazards/${e.id}`, archive: `/api/v1/dossier/${e.id}`, accident: `/api/v1/accidents/${e.id}/history` }[e.kind];
  return href ? `<a class="as-ev" data-kind="${esc(e.kind)}" href="${esc(href)}" target="_blank">${esc(tr('ev_' + e.kind))} ${esc(e.id)}</a>` : `<span class="as-ev" data-kind="${esc(e.kind)}">${esc(tr('ev_' + e.kind))} ${esc(e.id)}</span>`;
};

// ---------- assessment ----------
async function loadAssessment() {
  // the latest request wins: an earlier one that answers late (the tab's own, before a quarter was chosen) is dropped
  const mine = ++as.asked;
  await ensureMe(); $('#as-error').textContent = '';
  const q = new URLSearchParams();
  if ($('#as-node').value) q.set('node', $('#as-node').value);
  if ($('#as-quarter').value) q.set('quarter', $('#as-quarter').value);
  const c = await api('GET', '/api/v1/assessment?' + q);
  if (mine !== as.asked) return;
  as.card = c;
  $('#as-total').innerHTML = `${esc(tr('asTotal'))}: <b id="as-total-score">${esc(c.total.score)}</b>${c.total.vetoedBy.length ? ` <span class="hz-flag">${esc(tr('asVetoed'))}</span>` : ''}`;
  $('#as-units tbody').innerHTML = c.units.map(u => `<tr class="as-row${u.vetoedBy.length ? ' hz-overdue' : ''}" data-unit="${esc(u.unit)}">
    <td>${esc(u.rank)}</td><td>${esc(u.name)}</td><td>${esc(tr('uk_' + u.kind.toLowerCase()))}</td><td class="as-score">${esc(u.score)}</td>
    <td>${u.vetoedBy.length ? esc(tr('asVetoed')) : ''}</td></tr>`).join('') || `<tr><td class="muted">${esc(tr('asNone'))}</td></tr>`;
  document.querySelectorAll('#as-units tr.as-row').forEach(r => r.addEventListener('click', () => showUnit(r.dataset.unit)));
  const ranked = c.units.filter(u => u.kind !== 'VILLAGE' || !c.units.some(x => x.kind === 'TOWNSHIP'));
  chart($('#as-chart')).setOption({
    tooltip: { renderMode: 'richText' }, grid: { left: 40, right: 10, top: 20, bottom: 60 },
    xAxis: { type: 'category', data: ranked.map(u => u.name), axisLabel: { rotate: 30, color: '#8499ad' } },
    yAxis: { type: 'value', max: 100, axisLabel: { color: '#8499ad' } },
    series: [{ type: 'bar', name: tr('asScore'), data: ranked.map(u => ({ value: u.score, itemStyle: { color: u.vetoedBy.length ? '#e5484d' : '#36a3ff' } })) }]
  }, true);
  showUnit(as.selected && c.units.some(u => u.unit === as.selected) ? as.selected : c.total.unit);
  await loadAccidents(mine);
}

function showUnit(path) {
  as.selected = path;
  const c = as.card; const u = c.total.unit === path ? c.total : c.units.find(x => x.unit === path);
  if (!u) return;
  $('#as-unit-name').textContent = `${u.name} — ${u.score}`;
  $('#as-indicators tbody').innerHTML = u.indicators.map(i => `<tr data-id="${esc(i.id)}"><td>${esc(tr('ind_' + i.id))}</td><td class="as-value">${esc(shown(i))}</td>
    <td>${esc(i.weight)}</td><td class="as-points">${esc(i.points)}</td><td>${i.measured ? `${esc(i.numerator)} / ${esc(i.denominator)}` : ''}</td>
    <td>${i.evidence.map(evidenceLink).join(' ')}${i.evidenceTotal > i.evidence.length ? ` … (${esc(i.evidenceTotal)})` : ''}</td></tr>`).join('')
    + (u.vetoedBy.length ? `<tr><td>${esc(tr('asVetoed'))}</td><td colspan="5">${u.vetoedBy.map(id => evidenceLink({ kind: 'accident', id })).join(' ')}</td></tr>` : '');
}

async function loadAccidents(mine) {
  const q = new URLSearchParams(); if ($('#as-node').value) q.set('node', $('#as-node').value); if ($('#as-quarter').value) q.set('quarter', $('#as-quarter').value);
  const a = await api('GET', '/api/v1/accidents?' + q);
  if (mine !== as.asked) return;
  $('#ac-list tbody').innerHTML = a.items.map(x => `<tr><td>${esc(new Date(x.occurredAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }))}</td>
    <td>${esc(as.names[x.site] || x.site)}</td><td>${esc(tr('sev_' + x.severity.toLowerCase()))}</td><td>${esc(x.deaths)}</td><td>${esc(x.description)}</td></tr>`).join('')
    || `<tr><td class="muted">${esc(tr('asNone'))}</td></tr>`;
}

async function recordAccident(ev) {
  ev.preventDefault(); $('#as-error').textContent = '';
  try {
    const at = $('#ac-at').value ? new Date($('#ac-at').value).toISOString() : null;
    await api('POST', '/api/v1/accidents', { site: $('#ac-site').value, severity: $('#ac-severity').value, deaths: +$('#ac-deaths').value || 0,
      occurredAt: at, description: $('#ac-description').value });
    $('#ac-form').reset(); await loadAssessment();
  } catch (e) { $('#as-error').textContent = e.message; }
}

// ---------- reports ----------
async function makeReport(ev) {
  ev.preventDefault(); await ensureMe(); $('#rp-error').textContent = ''; $('#rp-result').hidden = true;
  try {
    const j = await api('POST', '/api/v1/reports', { node: $('#rp-node').value, span: $('#rp-span').value, day: $('#rp-day').value || null });
    as.job = j.id; $('#rp-progress').hidden = false; poll();
  } catch (e) { $('#rp-error').textContent = e.message; }
}

async function poll() {
  clearTimeout(as.timer);
  const r = await api('GET', `/api/v1/reports/${encodeURIComponent(as.job)}`);
  const j = r.job;
  $('#rp-bar').value = j.progress; $('#rp-phase').textContent = `${Math.round(j.progress * 100)}% ${tr('ph_' + j.phase)}`;
  if (j.state === 'running') { as.timer = setTimeout(poll, 300); return; }
  if (j.state === 'failed') { $('#rp-error').textContent = `${tr('rpFailed')}: ${j.error}`; return; }
  showReport(r.report);
}

function figuresRow(f) {
  const ack = f.ackMedianMinutes === null ? (f.alarms ? '∞' : '-') : f.ackMedianMinutes;
  const insp = v => v < 0 ? tr('asNotMeasured') : v;
  return [f.alarms, ack, pct(f.ackWithinTimeout), f.countyEscalations, f.hazardsOpened, f.hazardsClosed, f.hazardsOverdue, insp(f.inspectionsDue), insp(f.inspectionsDone)];
}
const COLS = ['rpAlarms', 'rpAckMedian', 'rpAckWithin', 'rpCounty', 'rpOpened', 'rpClosed', 'rpOverdue', 'rpInspDue', 'rpInspDone'];

function showReport(r) {
  $('#rp-result').hidden = false;
  $('#rp-title').textContent = `${r.name} ${r.first} – ${r.last}`;
  const v = figuresRow(r.total);
  $('#rp-summary').innerHTML = COLS.map((k, i) => `<div><b>${esc(tr(k))}</b><span id="rp-${k}">${esc(v[i])}</span></div>`).join('');
  $('#rp-rollup thead').innerHTML = `<tr><th>${esc(tr('rpNode'))}</th>${COLS.map(k => `<th>${esc(tr(k))}</th>`).join('')}</tr>`;
  $('#rp-rollup tbody').innerHTML = r.children.map(f => `<tr data-node="${esc(f.node)}"><td>${esc(f.name)}</td>${figuresRow(f).map(x => `<td>${esc(x)}</td>`).join('')}</tr>`).join('');
  $('#rp-ranking tbody').innerHTML = r.ranking.map(u => `<tr><td>${esc(u.rank)}</td><td>${esc(u.name)}</td><td>${esc(tr('uk_' + u.kind.toLowerCase()))}</td><td>${esc(u.score)}</td></tr>`).join('');
  chart($('#rp-chart')).setOption({
    tooltip: { renderMode: 'richText' }, grid: { left: 40, right: 10, top: 20, bottom: 60 }, legend: { textStyle: { color: '#8499ad' } },
    xAxis: { type: 'category', data: r.children.map(f => f.name), axisLabel: { rotate: 30, color: '#8499ad' } },
    yAxis: { type: 'value', axisLabel: { color: '#8499ad' } },
    series: ['red', 'orange', 'yellow', 'blue'].map(l => ({ type: 'bar', stack: 'a', name: l, itemStyle: { color: { red: '#e5484d', orange: '#f59e0b', yellow: '#facc15', blue: '#3b82f6' }[l] },
      data: r.children.map(f => f.byLevel[l] || 0) }))
  }, true);
  $('#rp-pdf').href = `/api/v1/reports/${encodeURIComponent(as.job)}/report.pdf?lang=${lang}`;
  $('#rp-xlsx').href = `/api/v1/reports/${encodeURIComponent(as.job)}/report.xlsx?lang=${lang}`;
}

// ---------- wiring ----------
function wire() {
  setLang(lang);
  document.querySelector('#tabs button[data-tab="assessment"]').addEventListener('click', () => loadAssessment().catch(e => { $('#as-error').textContent = e.message; }));
  document.querySelector('#tabs button[data-tab="reports"]').addEventListener('click', () => ensureMe().catch(e => { $('#rp-error').textContent = e.message; }));
  $('#as-form').addEventListener('submit', ev => { ev.preventDefault(); loadAssessment().catch(e => { $('#as-error').textContent = e.message; }); });
  $('#ac-form').addEventListener('submit', recordAccident);
  $('#rp-form').addEventListener('submit', makeReport);
  $('#lang').addEventListener('click', () => { if (!$('#view-assessment').hidden && as.card) loadAssessment().catch(() => {}); });
  const forget = () => { as.me = null; as.meLoading = null; as.card = null; as.selected = null; as.asked++; clearTimeout(as.timer); };
  $('#logout').addEventListener('click', forget);
  $('#login-form').addEventListener('submit', forget);
}
wire();
