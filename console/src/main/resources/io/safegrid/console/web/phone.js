// The duty officer's phone page: /m/<alarm>?t=<token> from a notification. One alarm, its timeline,
// and one tap to acknowledge, comment or hand over. The token is the notification's signature
// (alerting's AlarmLinks); a normal login works too. Texts come from the same bundles as the console.
import { tr, lang, setLang, loadTexts, say, pickLanguage } from './i18n.js';

const $ = s => document.querySelector(s);
const id = decodeURIComponent(location.pathname.split('/').pop());
const token = new URLSearchParams(location.search).get('t') || '';
const api = (what = '') => `/api/v1/link/${encodeURIComponent(id)}${what}?t=${encodeURIComponent(token)}`;
const when = s => s ? new Date(s).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '';
const num = v => (v === null || v === undefined || Number.isNaN(+v)) ? '' : String(+(+v).toPrecision(4));
let view = null;

async function call(method, what, body) {
  const r = await fetch(api(what), { method, credentials: 'same-origin',
    headers: method === 'POST' ? { 'Content-Type': 'application/json' } : {}, body: method === 'POST' ? JSON.stringify(body || {}) : undefined });
  const data = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
  if (!r.ok) { const e = new Error((data && data.key && tr('err_' + data.key) !== 'err_' + data.key) ? tr('err_' + data.key) : (data && data.error) || r.status); e.status = r.status; throw e; }
  return data;
}

function render() {
  if (!view) return;
  const a = view.alarm;
  $('#p-alarm').hidden = false;
  $('#p-who').textContent = view.displayName;
  $('#p-what').innerHTML = '';
  const badge = document.createElement('span'); badge.className = `lv lv-${a.level.toLowerCase()}`; badge.textContent = say('level.badge.' + a.level) ?? a.level;
  $('#p-what').append(badge, ' ', say(a.messageKey, a.messageArgs) ?? a.message);
  $('#p-place').textContent = view.place.slice(1).join(' / ');
  $('#p-value').textContent = Number.isFinite(+a.value) && a.value !== null ? `${num(a.value)}${view.unit || ''} / ${tr('threshold')} ${num(a.threshold)}${view.unit || ''}` : '—';
  $('#p-state').textContent = tr(a.state);
  $('#p-raised').textContent = when(a.raisedAt);
  $('#p-assignee').textContent = a.assignee || '—';
  if (view.snapshot && $('#p-snapshot').hidden) { $('#p-snapshot').src = api('/snapshot.jpg'); $('#p-snapshot').hidden = false; }
  $('#p-ack').disabled = a.acknowledged || a.state === 'CLOSED';
  $('#p-to').innerHTML = view.assignees.map(p => `<option value="${p.user.replace(/"/g, '&quot;')}"></option>`).join('');
  [...$('#p-to').options].forEach((o, i) => { o.textContent = view.assignees[i].displayName; });
  const ol = $('#p-timeline'); ol.innerHTML = '';
  for (const e of view.timeline.slice().reverse()) {
    const li = document.createElement('li'); li.className = 't-' + e.type;
    const t = document.createElement('span'); t.className = 'muted'; t.textContent = when(e.time) + ' ';
    const b = document.createElement('b'); b.textContent = tr('ev_' + e.type) + ' ';
    li.append(t, b, e.actor === 'system' ? tr('actor_system') : e.actor, e.note ? ' — ' + (e.actor === 'system' ? pickLanguage(e.note) : e.note) : '');
    ol.append(li);
  }
}

async function load() {
  try { view = await call('GET'); $('#p-error').hidden = true; render(); }
  catch (e) { $('#p-alarm').hidden = true; $('#p-error').hidden = false; $('#p-error').textContent = e.message; $('#p-login').hidden = false; }
}
async function act(what, body) {
  $('#p-action-error').textContent = '';
  try { view = await call('POST', '/' + what, body); $('#p-text').value = ''; render(); }
  catch (e) { $('#p-action-error').textContent = e.message; }
}
$('#p-ack').addEventListener('click', () => act('ack', { note: $('#p-text').value || null }));
$('#p-comment').addEventListener('click', () => { const text = $('#p-text').value.trim(); if (!text) { $('#p-action-error').textContent = tr('needText'); return; } act('comment', { text }); });
$('#p-handover').addEventListener('click', () => act('handover', { assignee: $('#p-to').value }));
$('#lang').addEventListener('click', async () => { const l = lang === 'zh' ? 'en' : 'zh'; await loadTexts(l); setLang(l); $('#lang').textContent = l === 'zh' ? 'EN' : '中文'; render(); });

setLang(lang); $('#lang').textContent = lang === 'zh' ? 'EN' : '中文';
loadTexts(lang).catch(() => {}).then(load);
// the alarm moves on while the page is open (escalation, a colleague's acknowledgement)
setInterval(() => { if (view) load(); }, 15000);
