// The video wall: live pictures of the cameras in the user's scope, 1 or 4 tiles. Each tile is the
// camera's MJPEG live view (zones and detections drawn by the node, encoded once per camera for all
// viewers). A browser holds at most 6 HTTP/1.1 connections per host and every playing MJPEG keeps one,
// so the wall stops at 4 tiles and leaves room for the API and the live push (docs/console.md).
// A camera with an active finding turns red and moves first; pinned cameras come next; layouts (tile
// count and pins) are kept in localStorage under a name.
import { tr, say } from './i18n.js';

export const SIZES = [1, 4];
const KEY = 'safegrid.wall';
const saved = () => { try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; } };
const wall = { cams: [], size: 4, pinned: [], alarm: {}, shown: '', el: null, open: null };

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
  for (const [id, t] of have) if (!cams.some(c => c.id === id)) { t.querySelector('img').src = 'data:,'; t.remove(); }
  cams.forEach((c, i) => {
    let t = have.get(c.id);
    if (!t) {
      t = document.createElement('figure'); t.dataset.cam = c.id; t.tabIndex = 0;
      const img = document.createElement('img'); img.className = 'live'; img.alt = c.name; img.dataset.cam = c.id;
      img.src = `/api/v1/cameras/${encodeURIComponent(c.id)}/live.mjpeg`;
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
}

/** Leaving the page drops every stream at once. */
export function stopWall() {
  if (!wall.el) return;
  wall.el.querySelectorAll('img').forEach(i => { i.src = 'data:,'; });
  wall.el.innerHTML = '';
}
