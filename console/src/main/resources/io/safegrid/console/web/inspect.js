// The inspector's phone page (现场检查): the open tasks, then one task item by item: pass, fail or corrected
// on the spot, with a note and a photo; a failed item becomes a hazard in one tap; the hazards it raised are
// re-inspected here; the task is finished with its location. An unannounced task is never shown to the
// enterprise before it is done (the API decides that).
import { tr, lang, setLang, loadTexts } from './i18n.js';
import './supervision-i18n.js';
import './hazards-i18n.js';
import { api, itemText } from './sv-api.js';
import { shrunkPhoto } from './photos.js';

const $ = s => document.querySelector(s);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const when = s => s ? new Date(s).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '';
const taskId = new URLSearchParams(location.search).get('task');
let task = null;

function fail(e) { $('#p-error').hidden = false; $('#p-error').textContent = e.message; $('#p-login').hidden = false; }

async function list() {
  const tasks = (await api('GET', '/api/v1/inspections/tasks?mine=true&open=true')).items;
  $('#in-list').hidden = false;
  $('#in-tasks').innerHTML = tasks.length ? tasks.map(t => `<li><a href="/ui/inspect.html?task=${encodeURIComponent(t.id)}" data-id="${esc(t.id)}">
    <b>${esc(t.targetName)}</b><br><span class="muted">${esc(t.planTitle)} · ${esc(tr('svDue'))} ${esc(when(t.dueAt))} · ${t.checked}/${t.total}</span></a></li>`).join('')
    : `<li class="muted">${esc(tr('svNoTasks'))}</li>`;
}

function render() {
  const t = task; $('#in-task').hidden = false;
  $('#in-task').dataset.done = t.done;
  $('#in-target').textContent = t.targetName;
  $('#in-plan').textContent = `${t.planTitle} · ${tr('svDue')} ${when(t.dueAt)}${t.unannounced ? ' · ' + tr('svUnannouncedShort') : ''}`;
  $('#in-finish').hidden = t.done;
  $('#in-done').hidden = !t.done;
  $('#in-done').textContent = t.done ? `${tr('svFinished')}: ${t.doneBy} ${when(t.doneAt)}${t.location ? ' · ' + t.location : ''}` : '';
  $('#in-items').innerHTML = t.items.map(i => `<li class="in-item o-${esc(i.outcome)}" data-no="${i.no}" data-outcome="${esc(i.outcome)}">
    <p><b>${i.no}.</b> ${esc(itemText(i))}</p>
    <div class="in-outcomes">${['pass', 'fail', 'corrected'].map(o => `<button type="button" class="in-o${i.outcome === o ? ' on' : ''}" data-o="${o}" ${t.done ? 'disabled' : ''}>${esc(tr('o_' + o))}</button>`).join('')}</div>
    <textarea class="in-note" rows="2" maxlength="4000" placeholder="${esc(tr('svNote'))}" ${t.done ? 'disabled' : ''}>${esc(i.note || '')}</textarea>
    ${t.done ? '' : `<input class="in-photo" type="file" accept="image/jpeg,image/png,image/webp" capture="environment">`}
    <div class="in-photos">${i.photos.map(p => `<img alt="" src="/api/v1/inspections/tasks/${encodeURIComponent(t.id)}/photos/${encodeURIComponent(p.id)}">`).join('')}</div>
    ${i.outcome === 'fail' && !i.hazardId ? `<div class="in-row"><select class="in-grade"><option value="general">${esc(tr('hz_general'))}</option><option value="larger">${esc(tr('hz_larger'))}</option><option value="major">${esc(tr('hz_major'))}</option></select><button type="button" class="in-hazard">${esc(tr('svToHazard'))}</button></div>` : ''}
    ${i.hazardId ? `<p class="in-hz" data-hazard="${esc(i.hazardId)}" data-state="${esc(i.hazardState || '')}">${esc(tr('svHazard'))} ${esc(i.hazardId)} · ${esc(tr('hs_' + i.hazardState))}</p>` : ''}
    ${i.hazardId && i.hazardState === 'submitted' ? `<textarea class="in-re-note" rows="2" maxlength="4000" placeholder="${esc(tr('svReinspect'))}"></textarea>
      <div class="in-row"><button type="button" class="in-accept">${esc(tr('svAcceptHz'))}</button><button type="button" class="in-reject ghost">${esc(tr('svRejectHz'))}</button></div>` : ''}
  </li>`).join('');
  document.querySelectorAll('.in-item').forEach(li => {
    const no = li.dataset.no;
    li.querySelectorAll('.in-o').forEach(b => b.addEventListener('click', async () => {
      const photo = li.querySelector('.in-photo') && await shrunkPhoto(li.querySelector('.in-photo'));
      act(`items/${no}`, { outcome: b.dataset.o, note: li.querySelector('.in-note').value, photos: photo ? [photo] : [] });
    }));
    li.querySelector('.in-hazard')?.addEventListener('click', () => act(`items/${no}/hazard`, { grade: li.querySelector('.in-grade').value }));
    li.querySelector('.in-accept')?.addEventListener('click', () => act(`items/${no}/reinspect`, { accepted: true, note: li.querySelector('.in-re-note').value }));
    li.querySelector('.in-reject')?.addEventListener('click', () => act(`items/${no}/reinspect`, { accepted: false, note: li.querySelector('.in-re-note').value }));
  });
}

async function act(what, body) {
  $('#in-action-error').textContent = '';
  try { task = await api('POST', `/api/v1/inspections/tasks/${encodeURIComponent(taskId)}/${what}`, body); render(); }
  catch (e) { $('#in-action-error').textContent = e.message; }
}

async function load() {
  try {
    const me = await api('GET', '/api/v1/me'); $('#p-who').textContent = me.displayName;
    await loadTexts(lang);
    if (taskId) { task = await api('GET', '/api/v1/inspections/tasks/' + encodeURIComponent(taskId)); render(); } else await list();
  } catch (e) { fail(e); }
}

$('#in-complete').addEventListener('click', () => act('complete', { location: $('#in-location').value }));
$('#in-locate').addEventListener('click', () => navigator.geolocation?.getCurrentPosition(p => {
  $('#in-location').value = `${p.coords.latitude.toFixed(5)},${p.coords.longitude.toFixed(5)} ±${Math.round(p.coords.accuracy)} m`;
}, e => { $('#in-action-error').textContent = e.message; }, { timeout: 10000 }));
$('#lang').addEventListener('click', async () => { const l = lang === 'zh' ? 'en' : 'zh'; await loadTexts(l); setLang(l); $('#lang').textContent = l === 'zh' ? 'EN' : '中文'; if (task) render(); else if (!taskId) list(); });
setLang(lang); $('#lang').textContent = lang === 'zh' ? 'EN' : '中文';
load();
