// The video wall: live pictures of the cameras in the user's scope, 1, 4, 9 or 16 tiles. All tiles come
// over one WebSocket (/api/v1/live/wall): the page says which cameras it shows, the node sends each
// camera's picture (zones and detections drawn, encoded once per camera for all viewers) as a binary
// message tagged with the camera id, and the tile's <img> shows it through a blob URL. One connection,
// because a browser holds at most 6 HTTP/1.1 connections per host and one MJPEG per tile would starve
// the page at 9 tiles (docs/console.md).
// A camera with an active finding turns red and moves first; pinned cameras come next; layouts (tile
// count and pins) are kept in localStorage under a name.
import { tr, say } from './i18n.js';

export const SIZES = [1, 4, 9, 16];
const KEY = 'safegrid.wall';
const saved = () => { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } };
const wall = { cams: [], size: 4, pinned: [], alarm: {}, shown: '', el: null, open: null, ws: null, watching: '', full: false, retry: null };

export function initWall(el, open) {
  wall.el = el; wall.open = open;
  const s = saved(); wall.size = SIZES.includes(s.size) ? s.size : 4; wall.pinned = s.pinned || [];
}
function persist() { const s = saved(); s.size = wall.size; s.pinned = wall.pinned; localStorage.setItem(KEY, JSON.stringify(s)); }
export function saveLayout(name) { const s = saved(); s.layouts = s.layouts || {}; s.layouts[name] = { size: wall.size, pinned: wall.pinned.slice() }; localStorage.setItem(KEY, JSON.stringify(s)); }
export function layouts() { return Object.keys(saved().layouts || {}); }
export function useLayout(name) { const l = (saved().layouts || {})[name]; if (l) { wall.size = l.size; wall.pinned = l.pinned.slice(); persist(); render(); } }
export function setSize(n) { wall.size = n; persist(); render(); }
export function setCameras(cams) { wall.cams = cams; render(); }

/** A finding on the bus: an active one on a camera turns its tile red and first; its end clears it. */
export function finding(f) {
  if (!wall.cams.some(c => c.id === f.sourceId)) return;
  if (f.condition === 'ACTIVE') wall.alarm[f.sourceId] = f; else delete wall.alarm[f.sourceId];
  render();
}

function order() {
  const rank = c => (wall.alarm[c.id] ? 0 : wall.pinned.includes(c.id) ? 1 : 2);
  return wall.cams.slice().sort((a, b) => rank(a) - rank(b) || wall.pinned.indexOf(a.id) - wall.pinned.indexOf(b.id));
}

export function render() {
  if (!wall.el || wall.el.closest('[hidden]')) return;
  const cams = order().slice(0, wall.size);
  wall.el.className = `wall n${wall.size}`;
  // tiles are moved, not rebuilt, so a playing stream is not dropped when the order changes
  const have = new Map([...wall.el.children].map(t => [t.dataset.cam, t]));
  for (const [id, t] of have) if (!cams.some(c => c.id === id)) { release(t.querySelector('img')); t.remove(); }
  cams.forEach((c, i) => {
    let t = have.get(c.id);
    if (!t) {
      t = document.createElement('figure'); t.dataset.cam = c.id; t.tabIndex = 0;
      const img = document.createElement('img'); img.className = 'live'; img.alt = c.name; img.dataset.cam = c.id;
      const cap = document.createElement('figcaption');
      const name = document.createElement('button'); name.className = 'ghost name';
      name.addEventListener('click', () => wall.open(c));
      const pin = document.createElement('button'); pin.className = 'ghost pin';
      pin.addEventListener('click', () => { wall.pinned = wall.pinned.includes(c.id) ? wall.pinned.filter(x => x !== c.id) : [...wall.pinned, c.id]; persist(); render(); });
      const st = document.createElement('span'); st.className = 'state';
      cap.append(name, st, pin); t.append(img, cap);
    }
    const f = wall.alarm[c.id];
    t.classList.toggle('alarm', !!f);
    t.querySelector('.name').textContent = c.name;
    t.querySelector('.state').textContent = f ? (say(f.messageKey, f.messageArgs) ?? '') : tr('dev_' + c.status);
    t.querySelector('.pin').textContent = wall.pinned.includes(c.id) ? tr('unpin') : tr('pin');
    if (wall.el.children[i] !== t) wall.el.insertBefore(t, wall.el.children[i] || null);
  });
  watch(cams.map(c => c.id));
}

function release(img) { if (img.dataset.url) URL.revokeObjectURL(img.dataset.url); delete img.dataset.url; img.removeAttribute('src'); }

/** Tells the node which cameras the tiles show; opens the wall's socket first when needed. */
function watch(ids) {
  const msg = JSON.stringify({ watch: ids });
  if (msg === wall.watching && wall.ws) return;
  wall.watching = msg;
  if (wall.full) return;
  if (!wall.ws) { connect(); return; }
  if (wall.ws.readyState === WebSocket.OPEN) wall.ws.send(wall.watching);
}

function connect() {
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/api/v1/live/wall');
  ws.binaryType = 'arraybuffer'; wall.ws = ws;
  ws.onopen = () => ws.send(wall.watching);
  ws.onmessage = m => {
    if (typeof m.data === 'string') { const msg = JSON.parse(m.data); if (msg.type === 'full') showFull(msg.max); return; }
    picture(m.data);
  };
  // a dropped socket (node restart, network) comes back while the wall is shown; "full" waits for the user
  ws.onclose = () => { if (wall.ws !== ws) return; wall.ws = null; if (!wall.full && wall.el?.children.length) wall.retry = setTimeout(() => { wall.retry = null; if (!wall.ws && wall.el?.children.length) connect(); }, 2000); };
}

function picture(buf) {
  const n = new Uint8Array(buf, 0, 1)[0];
  const id = new TextDecoder().decode(new Uint8Array(buf, 1, n));
  const img = wall.el.querySelector(`img[data-cam="${CSS.escape(id)}"]`);
  if (!img) return;
  const old = img.dataset.url;
  img.dataset.url = URL.createObjectURL(new Blob([new Uint8Array(buf, 1 + n)], { type: 'image/jpeg' }));
  img.src = img.dataset.url;
  img.dataset.frames = (+(img.dataset.frames || 0) + 1);
  if (old) URL.revokeObjectURL(old);
}

function showFull(max) {
  wall.full = true;
  const note = document.getElementById('wall-note');
  if (note) { note.hidden = false; note.textContent = tr('wallFull').replace('{n}', max); }
}

/** Leaving the page drops the wall's stream at once. */
export function stopWall() {
  if (!wall.el) return;
  if (wall.retry) { clearTimeout(wall.retry); wall.retry = null; }
  if (wall.ws) { const ws = wall.ws; wall.ws = null; ws.onclose = null; ws.close(); }
  wall.full = false; const note = document.getElementById('wall-note'); if (note) note.hidden = true;
  wall.el.querySelectorAll('img').forEach(release);
  wall.el.innerHTML = '';
}
