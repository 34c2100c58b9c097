// PTZ pad under a GB/T 28181 camera's live picture. Press and hold a button to move, release to stop,
// as on an operator's keyboard joystick: the pad sends the move on press and "stop" on release,
// wherever the release happens (pointer capture), on key release, and when focus or the page goes away.
import { tr } from './i18n.js';

const MOVES = [['up-left', '↖'], ['up', '↑'], ['up-right', '↗'], ['left', '←'], ['stop', '■'], ['right', '→'],
  ['down-left', '↙'], ['down', '↓'], ['down-right', '↘'], ['zoom-in', '+'], ['zoom-out', '−']];
const SPEED = 128;   // middle of GB/T 28181's 0-255: fast enough to find a spot, slow enough to stop on it

let held = null;     // the pad that is moving now: only one camera moves at a time from one screen
let send = null;

/**
 * Puts or updates a pad on each live-view figure whose camera is a GB channel the user may steer.
 * @param channels camera id → { id, online, ptz }, from /api/gb28181/devices
 * @param post     the console's JSON POST (throws with .status on refusal)
 */
export function ptzPads(views, channels, post) {
  send = post;
  views.querySelectorAll('figure').forEach(fig => {
    const cam = fig.querySelector('img.live')?.dataset.cam, ch = cam && channels[cam];
    let pad = fig.querySelector('.ptz');
    if (!ch || !ch.ptz) { pad?.remove(); return; }
    if (!pad) pad = build(fig, ch.id);
    if (!ch.online && held && held.pad === pad) release();
    pad.setAttribute('aria-label', tr('ptzTitle'));   // again each time: the language may have changed
    pad.querySelectorAll('button').forEach(b => { b.disabled = !ch.online; b.title = tr('ptz_' + b.dataset.move); b.setAttribute('aria-label', b.title); });
    pad.dataset.online = ch.online;
    const why = pad.querySelector('.ptz-why');
    if (!ch.online) { why.dataset.i18n = 'ptzOffline'; why.textContent = tr('ptzOffline'); }
    else if (why.dataset.i18n === 'ptzOffline') { delete why.dataset.i18n; why.textContent = ''; }
  });
}

function build(fig, channel) {
  const pad = document.createElement('div');
  pad.className = 'ptz'; pad.dataset.channel = channel; pad.setAttribute('role', 'group');
  pad.setAttribute('aria-label', tr('ptzTitle'));
  const keys = list => list.map(([m, sign]) =>
    `<button type="button" data-move="${m}" title="${tr('ptz_' + m)}" aria-label="${tr('ptz_' + m)}">${sign}</button>`).join('');
  pad.innerHTML = `<div class="ptz-dir">${keys(MOVES.slice(0, 9))}</div><div class="ptz-zoom">${keys(MOVES.slice(9))}</div>`
    + '<span class="ptz-why" role="status"></span>';
  pad.querySelectorAll('button').forEach(b => {
    const m = b.dataset.move;
    if (m === 'stop') { b.addEventListener('click', () => { if (held) release(); else move(pad, 'stop'); }); return; }
    b.addEventListener('pointerdown', e => { if (e.button !== 0 || b.disabled) return; b.setPointerCapture(e.pointerId); press(pad, b, m); });
    ['pointerup', 'pointercancel', 'lostpointercapture'].forEach(t => b.addEventListener(t, release));
    b.addEventListener('keydown', e => { if ((e.key === 'Enter' || e.key === ' ') && !e.repeat) { e.preventDefault(); press(pad, b, m); } });
    b.addEventListener('keyup', e => { if (e.key === 'Enter' || e.key === ' ') release(); });
    b.addEventListener('blur', () => { if (held && held.button === b) release(); });
  });
  fig.appendChild(pad);
  return pad;
}

function press(pad, button, m) {
  if (held) release();
  held = { pad, button }; button.classList.add('held');
  move(pad, m);
}

function release() {
  if (!held) return;
  const { pad, button } = held; held = null; button.classList.remove('held');
  move(pad, 'stop');
}

// one request at a time per pad, in order: a quick tap's "stop" must not overtake its move
function move(pad, m) {
  pad.queue = (pad.queue || Promise.resolve()).then(() => sendMove(pad, m));
  return pad.queue;
}

async function sendMove(pad, m) {
  const why = pad.querySelector('.ptz-why');
  try {
    await send(`/api/gb28181/channels/${encodeURIComponent(pad.dataset.channel)}/ptz`, { move: m, speed: SPEED });
    if (why.dataset.i18n !== 'ptzOffline') { delete why.dataset.i18n; why.textContent = ''; }
  } catch (e) {
    const k = e.status === 409 ? 'ptzOffline' : e.status === 403 ? 'ptzScope' : null;
    if (k) why.dataset.i18n = k; else delete why.dataset.i18n;
    why.textContent = k ? tr(k) : tr('ptzFailed') + ' ' + e.message;
  }
}

// a move must not outlive the operator's attention: stop on a release anywhere on the page (should the
// button lose its capture), when the window loses the focus, and when the page is hidden or left
['pointerup', 'pointercancel'].forEach(t => document.addEventListener(t, release, true));
window.addEventListener('blur', release);
document.addEventListener('visibilitychange', () => { if (document.hidden) release(); });
window.addEventListener('pagehide', release);
export const stopPtz = release;
