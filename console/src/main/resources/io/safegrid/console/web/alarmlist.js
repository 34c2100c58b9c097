// The alarm list, virtualised: however many alarms match (10,000 open ones on a bad night), only the rows in
// view and a margin around them are in the page. The list asks the API for pages of 200 as they scroll into
// view and keeps them until the next refresh; rows have one fixed height, so the scroll bar spans them all.
// Keyboard: the list is one tab stop; arrows, Page Up/Down, Home and End move, Enter or Space opens.
export const ROW = 34;
const PAGE = 200;
const MARGIN = 12;

export function virtualList({ scroller, tbody, fetchPage, row, open, onTotal }) {
  const v = { total: 0, pages: new Map(), loading: new Set(), generation: 0, first: -1, last: -1, focus: 0, selected: null };

  const at = i => v.pages.get(Math.floor(i / PAGE))?.[i % PAGE];

  function draw(force) {
    const top = scroller.scrollTop, height = scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW) - MARGIN), last = Math.min(v.total, Math.ceil((top + height) / ROW) + MARGIN);
    if (!force && first === v.first && last === v.last) return;
    v.first = first; v.last = last;
    const hadFocus = tbody.contains(document.activeElement);
    const rows = [];
    for (let i = first; i < last; i++) {
      const a = at(i);
      rows.push(a ? row(a, i, i === v.focus) : `<tr class="alarm-row loading" data-index="${i}"><td colspan="7">…</td></tr>`);
    }
    tbody.innerHTML = `<tr class="spacer" aria-hidden="true"><td colspan="7" style-h="${first * ROW}"></td></tr>${rows.join('')}`
      + `<tr class="spacer" aria-hidden="true"><td colspan="7" style-h="${(v.total - last) * ROW}"></td></tr>`;
    // heights through the DOM: the page's policy allows no inline style attributes
    tbody.querySelectorAll('td[style-h]').forEach(td => { td.style.height = td.getAttribute('style-h') + 'px'; td.removeAttribute('style-h'); });
    if (!tbody.querySelector('tr[tabindex="0"]')) tbody.querySelector('tr.alarm-row')?.setAttribute('tabindex', '0');
    if (hadFocus) tbody.querySelector('tr[tabindex="0"]')?.focus({ preventScroll: true });
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) load(p);
  }

  async function load(p) {
    if (v.pages.has(p) || v.loading.has(p)) return;
    const gen = v.generation; v.loading.add(p);
    try {
      const page = await fetchPage(p, PAGE);
      if (gen !== v.generation) return;
      v.pages.set(p, page.items);
      if (page.total !== v.total) { v.total = page.total; onTotal(page.total); }
      draw(true);
    } finally { v.loading.delete(p); }
  }

  let queued = false;
  scroller.addEventListener('scroll', () => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; draw(false); }); } }, { passive: true });

  function moveTo(i) {
    if (!v.total) return;
    v.focus = Math.max(0, Math.min(v.total - 1, i));
    if (v.focus * ROW < scroller.scrollTop) scroller.scrollTop = v.focus * ROW;
    else if ((v.focus + 1) * ROW > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = (v.focus + 1) * ROW - scroller.clientHeight;
    draw(true);
    tbody.querySelector(`tr[data-index="${v.focus}"]`)?.focus({ preventScroll: true });
  }
  tbody.addEventListener('keydown', e => {
    const tr = e.target.closest('tr.alarm-row'); if (!tr) return;
    const i = +tr.dataset.index, page = Math.max(1, Math.floor(scroller.clientHeight / ROW) - 1);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: v.total - 1 }[e.key];
    if (to !== undefined) { e.preventDefault(); moveTo(to); return; }
    if ((e.key === 'Enter' || e.key === ' ') && tr.dataset.id) { e.preventDefault(); open(tr.dataset.id); }
  });
  tbody.addEventListener('click', e => { const tr = e.target.closest('tr.alarm-row'); if (tr && tr.dataset.id) { v.focus = +tr.dataset.index; open(tr.dataset.id); } });

  return {
    /** Everything anew (filters changed): back to the top. */
    reset() { v.generation++; v.pages.clear(); v.total = 0; v.focus = 0; scroller.scrollTop = 0; v.first = -1; load(0); },
    /** New events: the pages in view again, the rest when they scroll into view; nothing shown goes blank meanwhile. */
    async refresh() {
      const gen = ++v.generation, from = Math.floor(Math.max(0, v.first) / PAGE), to = Math.floor(Math.max(v.first, v.last - 1, 0) / PAGE);
      const fresh = new Map();
      for (let p = from; p <= to; p++) {
        const page = await fetchPage(p, PAGE);
        if (gen !== v.generation) return;
        fresh.set(p, page.items);
        if (page.total !== v.total) { v.total = page.total; onTotal(page.total); }
      }
      v.pages = fresh; draw(true);
    },
    total: () => v.total,
  };
}
