// SafeGrid operators' console: vanilla JS module, no build. Data comes from the scoped API;
// alarm events and findings arrive on the /api/v1/live WebSocket and refresh what they touch.
import { tr, lang, setLang, loadTexts, say, pickLanguage } from './i18n.js';
import { drawTiles } from './tiles.js';
import { virtualList } from './alarmlist.js';
import { initWall, setCameras, setSize, saveLayout, layouts, useLayout, finding as wallFinding, render as renderWall, stopWall } from './wall.js';
import { ptzPads, stopPtz } from './ptz.js';
import { chart, historyChart, perDayChart, ackChart, overdueChart, mapChart, LEVEL_COLOUR } from './charts.js';

const $ = s => document.querySelector(s);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const COLOURS = ['red', 'orange', 'yellow', 'blue'];
const LV = { RED: 'red', ORANGE: 'orange', YELLOW: 'yellow', BLUE: 'blue' };
// the badge's words come from the bundle (一级·红 / L1 red): one language per page
const lv = l => LV[l] ? `<span class="lv lv-${LV[l]}">${esc(say('level.badge.' + l) ?? l)}</span>` : esc(l);
// findings and alarms say what they are as a key + parameters; the stored message (both languages) is the fallback
const said = x => esc(say(x.messageKey, x.messageArgs) ?? x.message);
const dev = s => tr('dev_' + s);
const actor = a => a === 'system' ? tr('actor_system') : a;
const when = s => s ? new Date(s).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '';
const num = v => (v === null || v === undefined || v === 'NaN' || Number.isNaN(+v)) ? '' : (+v).toFixed(2);

const state = { me: null, names: {}, nodes: [], enterprises: [], tab: 'overview', page: 0, size: 50, alarms: [],
  selected: null, ws: null, refreshTimer: null, enterprise: null, histSensor: null };

async function api(method, url, body) {
  // the console refuses a changing request that is not JSON (forged-click defence): always send JSON, {} when empty
  const changes = method !== 'GET' && method !== 'HEAD';
  const r = await fetch(url, { method, headers: changes ? { 'Content-Type': 'application/json' } : {}, body: changes ? JSON.stringify(body ?? {}) : undefined, credentials: 'same-origin' });
  if (r.status === 401 && url !== '/api/v1/login') { showLogin(); throw new Error('401'); }
  const data = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
  if (!r.ok) { const e = new Error(errorText(data) || r.status); e.status = r.status; e.key = data && data.key; throw e; }
  return data;
}
// refusals carry a message key (err_<key> in i18n.js); the API's English words are the fallback
const errorText = data => { if (!data) return null; const k = data.key && 'err_' + data.key; return k && tr(k) !== k ? tr(k) : data.error; };
const get = url => api('GET', url);
const post = (url, body) => api('POST', url, body || {});

const place = p => { if (!p) return ''; const parts = p.split('/'); return parts.map((_, i) => state.names[parts.slice(0, i + 1).join('/')] || parts[i]).slice(1).join(' / ') || state.names[p] || p; };

// ---------- login ----------
function showLogin() {
  state.me = null; stopLiveViews(); stopWall(); if (state.ws) { state.ws.onclose = null; state.ws.close(); state.ws = null; }
  state.selected = null;   // nothing of the last session stays on screen, nor is taken for the next one's
  document.querySelectorAll('.detail').forEach(d => { d.hidden = true; delete d.dataset.id; delete d.dataset.state; });
  $('#app').hidden = true; $('#tabs').hidden = true; $('#logout').hidden = true; $('#who').textContent = '';
  $('#login-view').hidden = false; setLive(false);
}
$('#login-form').addEventListener('submit', async ev => {
  ev.preventDefault(); $('#login-error').textContent = '';
  try {
    await api('POST', '/api/v1/login', { user: $('#login-user').value.trim(), password: $('#login-password').value });
    $('#login-password').value = ''; await boot();
  } catch (e) { $('#login-error').textContent = e.status === 401 ? tr('badLogin') : e.message; }
});
$('#logout').addEventListener('click', async () => { try { await post('/api/v1/logout'); } finally { showLogin(); } });
$('#lang').addEventListener('click', async () => { await loadTexts(lang === 'zh' ? 'en' : 'zh'); setLang(lang === 'zh' ? 'en' : 'zh'); $('#lang').textContent = lang === 'zh' ? 'EN' : '中文'; if (state.me) { renderWho(); refreshAll(); } });

function renderWho() { const m = state.me; $('#who').textContent = $('#who').title = `${m.displayName} · ${tr(m.role)} · ${place(m.scope) || m.scope}`; }

async function boot() {
  state.me = await get('/api/v1/me');
  $('#login-view').hidden = true; $('#app').hidden = false; $('#tabs').hidden = false; $('#logout').hidden = false;
  await loadGrid(); renderWho(); fillNodeFilter(); fillEnterprises(); connectLive(); show(state.tab); refreshAll();
}

// ---------- keyboard ----------
// what acts on a click but is not a button (tree nodes, sensor rows) acts on Enter and Space too
document.addEventListener('keydown', e => {
  const t = e.target;
  if ((e.key === 'Enter' || e.key === ' ') && t.getAttribute && t.getAttribute('role') === 'button' && t.tagName !== 'BUTTON') { e.preventDefault(); t.click(); }
});

// ---------- tabs ----------
document.querySelectorAll('#tabs button[data-tab]').forEach(b => b.addEventListener('click', () => show(b.dataset.tab)));
// the less used pages sit in menus so that the header stays one line at 1440 px; a menu works as
// WAI-ARIA's menu button: Enter/Space/↓ open it, ↑/↓ move, Esc closes, leaving it by Tab closes it
document.querySelectorAll('#tabs .tab-menu').forEach(m => {
  const btn = m.querySelector('.menu-btn'), list = m.querySelector('.menu'), items = () => [...list.querySelectorAll('button[data-tab]')];
  const open = at => { closeMenus(m); list.hidden = false; btn.setAttribute('aria-expanded', 'true'); if (at !== undefined) items().at(at).focus(); };
  const close = refocus => { list.hidden = true; btn.setAttribute('aria-expanded', 'false'); if (refocus) btn.focus(); };
  btn.addEventListener('click', () => list.hidden ? open() : close(false));
  btn.addEventListener('keydown', e => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); open(e.key === 'ArrowDown' ? 0 : -1); }
    if (e.key === 'Escape') close(true);
  });
  list.addEventListener('keydown', e => {
    const its = items(), i = its.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); its[(i + 1) % its.length].focus(); }
    if (e.key === 'ArrowUp') { e.preventDefault(); its[(i - 1 + its.length) % its.length].focus(); }
    if (e.key === 'Escape') { e.preventDefault(); close(true); }
  });
  list.addEventListener('click', e => { if (e.target.closest('button[data-tab]')) close(true); });
  m.addEventListener('focusout', e => { if (!m.contains(e.relatedTarget)) close(false); });
});
function closeMenus(except) {
  document.querySelectorAll('#tabs .tab-menu').forEach(m => { if (m !== except) { m.querySelector('.menu').hidden = true; m.querySelector('.menu-btn').setAttribute('aria-expanded', 'false'); } });
}
document.addEventListener('click', e => { if (!e.target.closest('#tabs .tab-menu')) closeMenus(null); });
function show(tab) {
  state.tab = tab;
  document.querySelectorAll('#tabs button[data-tab]').forEach(b => b.classList.toggle('on', b.dataset.tab === tab));
  document.querySelectorAll('#tabs .tab-menu').forEach(m => m.querySelector('.menu-btn').classList.toggle('on', !!m.querySelector(`button[data-tab="${tab}"]`)));
  document.querySelectorAll('.view').forEach(v => { v.hidden = v.id !== 'view-' + tab; });
  if (tab !== 'enterprise') stopLiveViews();
  if (tab !== 'wall') stopWall();
  refreshTab();
}
function refreshAll() { loadGrid().then(renderGrid); refreshTab(); }
function refreshTab() {
  if (!state.me) return;
  if (state.tab === 'overview') { loadFindings(); renderMap(); }
  if (state.tab === 'alarms') loadAlarms();
  if (state.tab === 'enterprise') loadEnterprise();
  if (state.tab === 'stats') loadStats();
  if (state.tab === 'wall') loadWall();
}

// ---------- grid tree + roll-up + map ----------
async function loadGrid() {
  const g = await get('/api/v1/grid'); state.nodes = g; state.enterprises = [];
  const walk = n => { state.names[n.path] = n.name; if (n.kind === 'enterprise') state.enterprises.push(n); (n.children || []).forEach(walk); };
  g.forEach(walk); return g;
}
// solid badge: nobody has acknowledged yet; outlined: all acknowledged, still active
const badges = (a, u) => COLOURS.filter(c => a && a[c]).map(c => `<span class="badge b-${c} ${u && u[c] ? 'unacked' : 'acked'}" data-colour="${c}" data-active="${a[c]}" data-unacked="${(u && u[c]) || 0}">${a[c]}</span>`).join('');
function renderGrid() {
  // the overview is on screen at the frame after its first roll-up is drawn (ScreenBench reads this mark)
  if (!state.overviewMarked) { state.overviewMarked = true; requestAnimationFrame(() => performance.mark('safegrid-overview')); }
  const tree = ns => ns.map(n => `<li data-path="${esc(n.path)}"><span class="n" role="button" tabindex="0">${esc(n.name)}</span><span class="kind">${esc(tr('k_' + n.kind))}</span><span class="roll" data-roll="${esc(n.path)}">${badges(n.active, n.unacknowledged)}</span>${n.children ? `<ul>${tree(n.children)}</ul>` : ''}</li>`).join('');
  $('#grid').innerHTML = tree(state.nodes);
  $('#grid').querySelectorAll('.n').forEach(el => el.addEventListener('click', () => {
    const path = el.parentElement.dataset.path; const ent = state.enterprises.find(e => e.path === path);
    if (ent) { state.enterprise = path; $('#enterprise-select').value = path; show('enterprise'); }
    else { $('#filter-node').value = path; alarmRows.reset(); show('alarms'); }
  }));
  renderMap();
}
// the county map: boundaries once per page (GeoJSON, no tiles), cameras with their state, enterprises from the roll-up
async function renderMap() {
  if (state.tab !== 'overview') return;
  if (state.map === undefined) state.map = await get('/api/v1/map').catch(() => ({ boundaries: null }));
  const d = await get('/api/v1/devices').catch(() => ({ cameras: [] }));
  const at = Object.fromEntries(state.enterprises.map(e => [e.path, e]));
  const cams = d.cameras.map(c => { const e = Object.keys(at).filter(p => c.site === p || c.site.startsWith(p + '/')).map(p => at[p])[0];
    return e && Number.isFinite(e.lat) ? { ...c, lat: e.lat - 0.0025, lon: e.lon + 0.0035 } : null; }).filter(Boolean);
  const c = mapChart($('#map'), state.map.boundaries, state.enterprises, cams, p => state.names[p], !!state.map.tileUrl);
  c.resize();
  drawTiles(c, $('#map'), state.map.tileUrl);
  if (!c.safegridClick) {
    c.safegridClick = true;
    c.on('click', p => { const path = p.data && p.data.path; const ent = path && state.enterprises.find(e => path === e.path || path.startsWith(e.path + '/'));
      if (ent) { state.enterprise = ent.path; $('#enterprise-select').value = ent.path; show('enterprise'); } });
  }
}
function fillNodeFilter() {
  const opts = []; const walk = (n, d) => { if (n.kind !== 'enterprise' || d < 6) opts.push(`<option value="${esc(n.path)}">${'　'.repeat(d)}${esc(n.name)}</option>`); (n.children || []).forEach(c => walk(c, d + 1)); };
  state.nodes.forEach(n => walk(n, 0)); $('#filter-node').innerHTML = opts.join('');
}
function fillEnterprises() {
  $('#enterprise-select').innerHTML = state.enterprises.map(e => `<option value="${esc(e.path)}">${esc(e.name)}</option>`).join('');
  if (!state.enterprise && state.enterprises.length) state.enterprise = state.enterprises[0].path;
  if (state.enterprise) $('#enterprise-select').value = state.enterprise;
}

// ---------- findings ----------
async function loadFindings() {
  const fs = await get('/api/v1/findings?size=40');
  $('#findings tbody').innerHTML = fs.map(f => `<tr class="${f.condition === 'CLEARED' ? 'cleared' : ''}"><td>${lv(f.level)}</td><td>${esc(place(f.site))}</td><td>${said(f)}</td><td>${when(f.time)}</td><td>${f.snapshot ? `<a href="${esc(f.snapshot)}" target="_blank">${tr('snapshot')}</a>` : ''}</td></tr>`).join('');
}

// ---------- alarms ----------
function query() {
  const f = new FormData($('#filters')); const q = new URLSearchParams();
  for (const k of ['level', 'state', 'node']) if (f.get(k)) q.set(k, f.get(k));
  for (const k of ['from', 'to']) if (f.get(k)) q.set(k, new Date(f.get(k)).toISOString());
  return q;
}
// one list for however many alarms match: only the rows in view are in the page (alarmlist.js)
const alarmRows = virtualList({ scroller: $('#alarm-scroll'), tbody: $('#alarms tbody'),
  fetchPage: (page, size) => { const q = query(); q.set('page', page); q.set('size', size); return get('/api/v1/alarms?' + q); },
  row: (a, i, focus) => `<tr class="alarm-row st-${a.state} ${a.id === state.selected ? 'sel' : ''}" data-id="${esc(a.id)}" data-index="${i}" tabindex="${focus ? 0 : -1}"><td>${lv(a.level)}</td><td class="state">${tr(a.state)}</td><td>${esc(place(a.site))}</td><td>${said(a)}</td><td>${num(a.value)}</td><td>${when(a.raisedAt)}</td><td>${esc(a.assignee || '')}</td></tr>`,
  open: id => select(id), onTotal: n => { $('#alarm-total').textContent = `${tr('total')} ${n}`; } });
let alarmsShown = false;
async function loadAlarms() {
  if (!alarmsShown) { alarmsShown = true; alarmRows.reset(); } else await alarmRows.refresh();
  $('#alarm-total').textContent = `${tr('total')} ${alarmRows.total()}`;
  if (state.selected) loadDetail();
}
$('#filters').addEventListener('change', () => { alarmRows.reset(); });

function select(id) { state.selected = id; document.querySelectorAll('#alarms tr').forEach(r => r.classList.toggle('sel', r.dataset.id === id)); loadDetail(); }
// Escape closes the alarm's detail and gives the focus back to its row
document.addEventListener('keydown', e => {
  if (e.key !== 'Escape' || $('#alarm-detail').hidden || state.tab !== 'alarms') return;
  $('#alarm-detail').hidden = true; const id = state.selected; state.selected = null;
  document.querySelectorAll('#alarms tr.sel').forEach(r => r.classList.remove('sel'));
  const row = id && document.querySelector(`#alarms tr[data-id="${CSS.escape(id)}"]`); if (row) { row.tabIndex = 0; row.focus(); }
});
async function loadDetail() {
  const id = state.selected; if (!id) return;
  const [a, events] = await Promise.all([get('/api/v1/alarms/' + encodeURIComponent(id)), get(`/api/v1/alarms/${encodeURIComponent(id)}/timeline`)]);
  $('#alarm-detail').hidden = false; $('#alarm-detail').dataset.id = a.id;
  $('#detail-title').innerHTML = `${lv(a.level)} ${said(a)}`;
  const facts = [[tr('state'), tr(a.state)], [tr('place'), place(a.site)], [tr('value'), `${num(a.value)} / ${num(a.threshold)}`], [tr('raised'), when(a.raisedAt)],
    [tr('count_'), a.count], [tr('assignee'), a.assignee || '—'], [tr('alarmId'), a.id], [tr('lastSeen'), when(a.lastSeen)]];
  $('#detail-facts').innerHTML = facts.map(([k, v]) => `<div><b>${esc(k)}</b>${esc(v)}</div>`).join('');
  $('#btn-ack').disabled = a.acknowledged || a.state === 'CLOSED'; $('#btn-close').disabled = !a.acknowledged || a.state === 'CLOSED';
  $('#timeline').innerHTML = events.map(e => `<li class="t-${e.type}"><span class="muted">${when(e.time)}</span> <b>${tr('ev_' + e.type)}</b> ${esc(actor(e.actor))}${e.note ? ' — ' + esc(e.actor === 'system' ? pickLanguage(e.note) : e.note) : ''}</li>`).join('');
  if ($('#assignee').dataset.alarm !== a.id) {
    const people = await get(`/api/v1/alarms/${encodeURIComponent(a.id)}/assignees`);
    $('#assignee').innerHTML = people.map(p => `<option value="${esc(p.user)}">${esc(p.displayName)} · ${esc(tr(p.role))}</option>`).join('');
    $('#assignee').value = a.assignee || state.me.user; $('#assignee').dataset.alarm = a.id;
  }
}
async function act(path, body) {
  $('#action-error').textContent = '';
  try { await post(`/api/v1/alarms/${encodeURIComponent(state.selected)}/${path}`, body); $('#action-text').value = ''; await loadAlarms(); loadGrid().then(renderGrid); }
  catch (e) { $('#action-error').textContent = e.message; }
}
$('#btn-ack').addEventListener('click', () => act('ack', { note: $('#action-text').value || null }));
$('#btn-comment').addEventListener('click', () => act('comment', { text: $('#action-text').value }));
$('#btn-assign').addEventListener('click', () => act('assign', { assignee: $('#assignee').value }));
$('#btn-close').addEventListener('click', () => { const note = $('#action-text').value.trim(); if (!note) { $('#action-error').textContent = tr('needNote'); return; } act('close', { note }); });

// ---------- enterprise ----------
$('#enterprise-select').addEventListener('change', e => { state.enterprise = e.target.value; state.histSensor = null; loadEnterprise(); });
async function loadEnterprise() {
  if (!state.enterprise) return;
  const site = encodeURIComponent(state.enterprise);
  const [d, fs] = await Promise.all([get('/api/v1/devices?site=' + site), get('/api/v1/findings?size=24&site=' + site)]);
  $('#ent-title').textContent = state.names[state.enterprise] || state.enterprise;
  state.sensorNames = Object.fromEntries(d.sensors.map(s => [s.id, s.name]));
  $('#sensors tbody').innerHTML = d.sensors.map(s => `<tr class="sensor" data-id="${esc(s.id)}" role="button" tabindex="0"><td>${esc(s.name)}</td><td>${s.value === null ? '—' : num(s.value) + ' ' + esc(s.unit || '')}</td><td class="on-${s.status}">${dev(s.status)}</td><td>${when(s.lastSeen)}</td></tr>`).join('');
  $('#sensors tbody').querySelectorAll('tr').forEach(r => r.addEventListener('click', () => { state.histSensor = r.dataset.id; loadHistory(); }));
  $('#cameras tbody').innerHTML = d.cameras.map(c => `<tr><td>${esc(c.name)}</td><td class="on-${c.status}">${dev(c.status)}</td><td>${when(c.lastSeen)}</td></tr>`).join('');
  setLiveViews(d.cameras);
  gbSteps(d.cameras);
  $('#ent-findings').innerHTML = fs.map(f => `<figure>${f.snapshot ? `<a href="${esc(f.snapshot)}" target="_blank"><img src="${esc(f.snapshot)}" alt=""></a>` : ''}<figcaption>${lv(f.level)} ${said(f)}<br><span class="muted">${when(f.time)}</span></figcaption></figure>`).join('') || `<span class="muted">${tr('none')}</span>`;
  if (!state.histSensor && d.sensors.length) state.histSensor = d.sensors[0].id;
  state.hasHistory = d.history !== false;
  loadHistory();
}
// live MJPEG per camera: opened once per enterprise (not on every 5 s refresh), closed when the page changes
function setLiveViews(cams) {
  const key = state.tab === 'enterprise' ? state.enterprise + '|' + cams.map(c => c.id).join(',') : '';
  if (key === state.liveKey) return;
  stopLiveViews(); state.liveKey = key;
  if (!key) return;
  $('#live-views').innerHTML = cams.map(c => `<figure><img class="live" data-cam="${esc(c.id)}" alt="${esc(c.name)}" src="/api/v1/cameras/${encodeURIComponent(c.id)}/live.mjpeg"><figcaption>${esc(c.name)}</figcaption></figure>`).join('') || `<span class="muted">${tr('none')}</span>`;
}
function stopLiveViews() {
  stopPtz();   // a camera still moving when its pad goes away would turn until its limit
  // pointing the img elsewhere makes the browser drop the stream's connection at once
  document.querySelectorAll('#live-views img').forEach(i => { i.src = 'data:,'; });
  $('#live-views').innerHTML = ''; state.liveKey = '';
}
async function loadHistory() {
  $('#hist-note').textContent = ''; if (!state.histSensor) return;
  const id = state.histSensor, name = (state.sensorNames || {})[id] || id;
  $('#hist-name').textContent = name;
  if (state.hasHistory === false) { chart($('#history')).clear(); $('#hist-note').textContent = tr('noHistory'); return; }
  let h; try { h = await get(`/api/v1/devices/${encodeURIComponent(id)}/history?step=60`); }
  catch (e) { chart($('#history')).clear(); $('#hist-note').textContent = e.status === 503 ? tr('noHistory') : e.message; return; }
  // alarms of this sensor in the window, pinned on the series where they were raised
  const q = new URLSearchParams({ node: state.enterprise, from: h.from, to: h.to, size: 500 });
  const alarms = (await get('/api/v1/alarms?' + q).catch(() => ({ items: [] }))).items.filter(a => a.sourceId === id);
  historyChart($('#history'), h, alarms, name);
  $('#hist-note').textContent = h.points.length ? `${name} ${h.unit || ''}` : tr('chartNoData');
}

// ---------- statistics ----------
async function loadStats() {
  const s = await get('/api/v1/stats');
  perDayChart($('#per-day'), s.alarmsPerTownshipPerDay, t => place(t) || t);
  perDayChart($('#per-level'), s.alarmsPerLevelPerDay, l => say('level.badge.' + l) ?? l, l => LEVEL_COLOUR[l]);
  perDayChart($('#per-kind'), s.alarmsPerKindPerDay, k => say('kind.' + k) ?? k);
  ackChart($('#ack-dist'), s.timeToAcknowledge.histogram);
  overdueChart($('#overdue-chart'), s.overduePerNode, p => place(p) || p);
  const m = v => v === null || v === undefined ? '—' : (v / 60).toFixed(1) + ' ' + tr('minutes');
  $('#ack-kpi').innerHTML = `<div class="kpi"><b>${m(s.timeToAcknowledge.medianSeconds)}</b>${tr('median')}</div><div class="kpi"><b>${m(s.timeToAcknowledge.p90Seconds)}</b>${tr('p90')}</div><div class="kpi"><b>${s.timeToAcknowledge.samples}</b>${tr('samples')}</div><div class="kpi"><b>${s.overdueTotal}</b>${tr('overdue')}</div>`;
  $('#overdue tbody').innerHTML = Object.entries(s.overduePerNode).map(([p, n]) => `<tr><td>${esc(place(p) || p)}</td><td>${n}</td></tr>`).join('') || `<tr><td class="muted">${tr('none')}</td></tr>`;
  $('#offline tbody').innerHTML = s.devices.list.map(d => `<tr><td>${esc(d.name)}</td><td>${esc(place(d.site))}</td><td class="on-${d.status}">${dev(d.status)}</td><td>${when(d.lastSeen)}</td></tr>`).join('') || `<tr><td class="muted">${tr('none')}</td></tr>`;
}

// ---------- live push ----------
function setLive(on) { const el = $('#live'); el.className = 'pill ' + (on ? 'up' : 'down'); el.dataset.i18n = on ? 'liveOn' : 'liveOff'; el.textContent = tr(el.dataset.i18n); }
function connectLive() {
  if (state.ws) return;
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/live'); state.ws = ws;
  ws.onopen = () => { setLive(true); scheduleRefresh(null); }; // after a reconnect, catch up on what was missed
  ws.onmessage = m => {
    const msg = JSON.parse(m.data);
    if (msg.type === 'alarm') scheduleRefresh(msg.event.alarmId);
    if (msg.type === 'finding') wallFinding(msg.finding);
    if (msg.type === 'finding' && state.tab !== 'alarms' && state.tab !== 'wall') scheduleRefresh(null);
  };
  // after a node restart the session is still there unless it ended meanwhile: ask without failing (/session is 200 either way), then reconnect or log in again
  ws.onclose = () => { state.ws = null; setLive(false); if (state.me) setTimeout(reconnect, 2000); };
}
function reconnect() {
  if (!state.me || state.ws) return;
  get('/api/v1/session').then(s => { if (!state.me) return; if (s.user) connectLive(); else showLogin(); }).catch(() => setTimeout(reconnect, 2000));
}
// events come in bursts: one refresh per 250 ms at most keeps the screen within a second of the bus
function scheduleRefresh(alarmId) {
  if (state.refreshTimer) return;
  state.refreshTimer = setTimeout(async () => {
    state.refreshTimer = null;
    try { await loadGrid(); renderGrid(); refreshTab(); } catch (e) { /* shown on next call */ }
    if (alarmId) document.querySelector(`#alarms tr[data-id="${CSS.escape(alarmId)}"]`)?.classList.add('flash');
  }, 250);
}

setLang(lang); $('#lang').textContent = lang === 'zh' ? 'EN' : '中文';
loadTexts(lang).catch(() => {}).then(() => get('/api/v1/session')).then(s => s.user ? boot() : showLogin()).catch(() => showLogin());
setInterval(() => { if (state.me && state.tab === 'enterprise') loadEnterprise(); }, 5000);

// ---------- video wall ----------
initWall($('#wall'), c => { const ent = state.enterprises.find(e => c.site === e.path || c.site.startsWith(e.path + '/'));
  if (ent) { state.enterprise = ent.path; $('#enterprise-select').value = ent.path; show('enterprise'); } });
function fillLayouts() { $('#wall-layouts').innerHTML = `<option value="">${esc(tr('layouts'))}</option>` + layouts().map(n => `<option value="${esc(n)}">${esc(n)}</option>`).join(''); }
async function loadWall() {
  const d = await get('/api/v1/devices'); fillLayouts();
  // the findings still active on the cameras (last 2000 on this node) mark their tiles at once
  const fs = await get('/api/v1/findings?size=200').catch(() => []);
  setCameras(d.cameras);
  fs.slice().reverse().forEach(wallFinding);
  document.querySelectorAll('.wall-size').forEach(b => b.classList.toggle('on', +b.dataset.size === +($('#wall').className.match(/n(\d+)/) || [0, 4])[1]));
}
document.querySelectorAll('.wall-size').forEach(b => b.addEventListener('click', () => { setSize(+b.dataset.size); loadWall(); }));
$('#wall-save').addEventListener('click', () => { const n = $('#wall-name').value.trim(); if (n) { saveLayout(n); fillLayouts(); } });
$('#wall-layouts').addEventListener('change', e => { if (e.target.value) useLayout(e.target.value); });
// GB/T 28181 cameras: the step at which the live stream failed, on the camera's row (steps as in docs/protocols.md)
async function gbSteps(cams) {
  if (!cams.some(c => c.gb28181)) return;   // no SIP side to ask (a 404 would be a console error)
  const g = await get('/api/gb28181/devices').catch(() => null);
  if (!g) return;
  const byCam = {}, pads = {};
  g.devices.forEach(d => d.channels.forEach(c => {
    if (c.camera && c.stream) byCam[c.camera] = c.stream;
    if (c.camera) pads[c.camera] = { id: c.id, online: d.online, ptz: c.ptz };
  }));
  ptzPads($('#live-views'), pads, post);
  $('#cameras tbody').querySelectorAll('tr').forEach((r, i) => {
    const s = cams[i] && byCam[cams[i].id];
    if (s && s.state === 'failed' && r.children[1]) r.children[1].insertAdjacentHTML('beforeend', ` <span class="gb-step" title="${esc(s.detail || '')}">${esc(tr('gbStep_' + s.step).replace('{port}', s.rtpPort))}</span>`);
  });
}
