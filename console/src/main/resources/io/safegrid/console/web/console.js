// SafeGrid console: polls the node's API. Live push (WebSocket) and scoped login come with the console issue.
const LV = { RED: ['red', '一级 红'], ORANGE: ['orange', '二级 橙'], YELLOW: ['yellow', '三级 黄'], BLUE: ['blue', '四级 蓝'] };
const lv = l => `<span class="lv lv-${LV[l][0]}">${LV[l][1]}</span>`;
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const t = s => s ? new Date(s).toLocaleString('zh-CN', { hour12: false }) : '';
const num = v => (v === null || v === undefined || Number.isNaN(v) || v === 'NaN') ? '' : (+v).toFixed(2);
let names = {};

function renderTree(nodes) {
  return nodes.map(n => {
    names[n.path] = n.name;
    return `<li data-path="${esc(n.path)}">${esc(n.name)}<span class="kind">${esc(n.kind)}</span><span class="roll"></span>` +
      (n.children ? `<ul>${renderTree(n.children)}</ul>` : '') + '</li>';
  }).join('');
}
const place = p => { if (!p) return ''; const parts = p.split('/'); return parts.map((_, i) => names[parts.slice(0, i + 1).join('/')] || parts[i]).slice(1).join(' / '); };

async function get(url) { const r = await fetch(url); if (!r.ok) throw new Error(url + ' ' + r.status); return r.json(); }

async function refresh() {
  try {
    const h = await fetch('/health').then(r => r.json());
    const el = document.getElementById('health'); el.textContent = h.status + ' · ' + h.node; el.className = 'pill ' + (h.status === 'UP' ? 'up' : 'down');
  } catch (e) { document.getElementById('health').textContent = 'offline'; }
  try {
    const fs = await get('/api/v1/findings?limit=60');
    document.querySelector('#findings tbody').innerHTML = fs.map(f => `<tr class="${f.condition === 'CLEARED' ? 'cleared' : ''}">
      <td>${lv(f.level)}</td><td>${esc(place(f.site))}</td><td>${esc(f.message)}</td>
      <td>${num(f.value)} / ${num(f.threshold)}</td><td>${t(f.time)}</td>
      <td>${f.details && f.details.snapshot === 'yes' ? `<a href="/api/v1/findings/${f.id}/snapshot.jpg" target="_blank">截图</a>` : ''}</td></tr>`).join('');
  } catch (e) { /* findings are optional on nodes without analytics */ }
  try {
    const page = await get('/api/v1/alarms?state=open&limit=100');
    const alarms = page.items || page;
    document.querySelector('#alarms tbody').innerHTML = alarms.map(a => `<tr>
      <td>${lv(a.level)}</td><td>${esc(a.state)}</td><td>${esc(place(a.site))}</td><td>${esc(a.message)}</td>
      <td>${num(a.value)}</td><td>${t(a.lastSeen || a.raisedAt)}</td></tr>`).join('');
    const roll = {};
    alarms.forEach(a => { const parts = a.site.split('/'); for (let i = 1; i <= parts.length; i++) { const p = parts.slice(0, i).join('/'); (roll[p] = roll[p] || {})[a.level] = ((roll[p] || {})[a.level] || 0) + 1; } });
    document.querySelectorAll('#grid li').forEach(li => {
      const r = roll[li.dataset.path] || {};
      li.querySelector('.roll').innerHTML = Object.keys(LV).filter(k => r[k]).map(k => `<span class="badge lv-${LV[k][0]}">${r[k]}</span>`).join('');
    });
  } catch (e) { /* no alarm API on this node */ }
}

get('/api/v1/grid').then(g => { document.getElementById('grid').innerHTML = renderTree(g); refresh(); setInterval(refresh, 2000); });
