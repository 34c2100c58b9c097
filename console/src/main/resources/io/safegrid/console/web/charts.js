// Charts drawn by ECharts (/ui/lib/echarts.min.js, a classic script that sets window.echarts; served
// by the node, no CDN). Tooltips render inside the canvas (renderMode richText): the page's CSP
// forbids the inline styles ECharts' HTML tooltips would write.
import { tr, say, lang } from './i18n.js';

export const LEVEL_COLOUR = { RED: '#e5484d', ORANGE: '#f59e0b', YELLOW: '#facc15', BLUE: '#3b82f6' };
const LEVELS = ['RED', 'ORANGE', 'YELLOW', 'BLUE'];
const PALETTE = ['#36a3ff', '#f59e0b', '#22c55e', '#e5484d', '#a78bfa', '#14b8a6', '#f472b6', '#eab308'];
const TEXT = { color: '#8499ad' };
const AXIS = { axisLine: { lineStyle: { color: '#233244' } }, splitLine: { lineStyle: { color: '#1b2837' } }, axisLabel: TEXT };
const TOOLTIP = { renderMode: 'richText', backgroundColor: '#0d1621', borderColor: '#233244', textStyle: { color: '#dbe4ee' } };

/** The chart on {@code el}, made once and reused (ECharts keeps one instance per element). */
export function chart(el) {
  // the locale (month names, the zoom's labels) is fixed at init: a language switch makes the chart anew
  const locale = lang === 'zh' ? 'ZH' : 'EN';
  let c = window.echarts.getInstanceByDom(el);
  if (c && el.dataset.locale !== locale) { c.dispose(); c = null; }
  if (!c) { c = window.echarts.init(el, null, { renderer: 'canvas', locale }); el.dataset.locale = locale; }
  if (!el.dataset.resize) { el.dataset.resize = '1'; window.addEventListener('resize', () => c.resize()); }
  return c;
}

const fmtNum = v => (v === null || v === undefined || Number.isNaN(+v)) ? '' : String(+(+v).toPrecision(4));

/**
 * A sensor's history on a time axis with zoom and tooltips: the average (and the min–max band when
 * downsampled), each threshold as a line in its level's colour, each alarm pinned where it was raised.
 */
export function historyChart(el, h, alarms, name) {
  const pts = h.points || [];
  const banded = pts.some(p => p.count > 1 && p.max !== p.min);
  const series = [{
    name: name || tr('value'), type: 'line', showSymbol: pts.length < 60, symbolSize: 4, sampling: 'lttb',
    lineStyle: { width: 1.6, color: '#36a3ff' }, itemStyle: { color: '#36a3ff' },
    data: pts.map(p => [p.time, p.avg]),
    markLine: {
      symbol: 'none', silent: false,
      data: (h.thresholds || []).map(t => ({
        yAxis: t.value, name: say('level.badge.' + t.level) ?? t.level,
        lineStyle: { color: LEVEL_COLOUR[t.level], type: t.direction === 'below' ? 'dotted' : 'dashed', width: 1.5 },
        label: { color: LEVEL_COLOUR[t.level], formatter: `${say('level.badge.' + t.level) ?? t.level} ${fmtNum(t.value)}`, position: 'insideEndTop' }
      }))
    },
    markPoint: {
      symbol: 'pin', symbolSize: 34,
      data: (alarms || []).map(a => ({
        coord: [a.raisedAt, Number.isFinite(+a.value) ? +a.value : null], value: fmtNum(a.value),
        itemStyle: { color: LEVEL_COLOUR[a.level] }, name: a.id
      })).filter(p => p.coord[1] !== null)
    }
  }];
  if (banded) {
    // the min–max band: a transparent base at min and the band's height stacked on it
    series.push({ name: 'min', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: pts.map(p => [p.time, p.min]), tooltip: { show: false } });
    series.push({ name: 'max', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(54,163,255,0.18)' },
      data: pts.map(p => [p.time, p.max - p.min]), tooltip: { show: false } });
  }
  const values = pts.flatMap(p => [p.min, p.max]).concat((h.thresholds || []).map(t => t.value)).filter(Number.isFinite);
  // the axis spans the data and every threshold (a limit far above a calm series is still drawn)
  const lo = Math.min(...values), hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.08, Math.abs(hi) * 0.05, 1e-6);
  const c = chart(el);
  c.setOption({
    animation: false, backgroundColor: 'transparent', grid: { left: 56, right: 24, top: 24, bottom: 64 },
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: v => `${fmtNum(v)} ${h.unit || ''}` },
    xAxis: { type: 'time', min: h.from, max: h.to, ...AXIS },
    // scale: a flat series gets a readable axis around its value instead of two equal labels
    yAxis: { type: 'value', scale: true, name: h.unit || '', nameTextStyle: TEXT, ...AXIS,
      min: values.length ? lo - pad : null, max: values.length ? hi + pad : null,
      axisLabel: { ...TEXT, formatter: v => fmtNum(v) } },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 18, bottom: 12, textStyle: TEXT, borderColor: '#233244' }],
    series
  }, { notMerge: true });
  return c;
}

/** Every day from the first to the last key (YYYY-MM-DD), so quiet days show as gaps, not as nothing. */
function days(byGroup) {
  const all = Object.values(byGroup || {}).flatMap(m => Object.keys(m)).sort();
  if (!all.length) return [];
  const out = []; const end = Date.parse(all[all.length - 1] + 'T00:00:00Z');
  for (let t = Date.parse(all[0] + 'T00:00:00Z'); t <= end; t += 86400000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Alarms per day, one stacked series per group (township, level or kind). */
export function perDayChart(el, byGroup, label, colour) {
  const groups = Object.keys(byGroup || {}), ds = days(byGroup);
  const c = chart(el);
  c.setOption({
    animation: false, backgroundColor: 'transparent', grid: { left: 40, right: 16, top: 34, bottom: 28 },
    legend: { top: 0, textStyle: TEXT, type: 'scroll' },
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    xAxis: { type: 'category', data: ds.map(d => d.slice(5)), ...AXIS },
    yAxis: { type: 'value', minInterval: 1, ...AXIS },
    series: groups.map((g, i) => ({
      name: label(g), type: 'bar', stack: 'all', barMaxWidth: 28,
      itemStyle: { color: (colour && colour(g)) || PALETTE[i % PALETTE.length] },
      data: ds.map(d => byGroup[g][d] || 0)
    }))
  }, { notMerge: true });
  return c;
}

/** How long acknowledgements took: a bar per bucket. */
export function ackChart(el, histogram) {
  const c = chart(el);
  const label = b => b.upToSeconds === null ? tr('ackOver') : `≤ ${b.upToSeconds >= 3600 ? b.upToSeconds / 3600 + ' ' + tr('hours') : b.upToSeconds / 60 + ' ' + tr('minutes')}`;
  c.setOption({
    animation: false, backgroundColor: 'transparent', grid: { left: 40, right: 16, top: 16, bottom: 28 },
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    xAxis: { type: 'category', data: (histogram || []).map(label), ...AXIS },
    yAxis: { type: 'value', minInterval: 1, ...AXIS },
    series: [{ name: tr('ackTime'), type: 'bar', barMaxWidth: 36, itemStyle: { color: '#36a3ff' }, data: (histogram || []).map(b => b.count) }]
  }, { notMerge: true });
  return c;
}

/** Overdue (unacknowledged past their level's timeout) per grid node, one bar each. */
export function overdueChart(el, perNode, label) {
  const rows = Object.entries(perNode || {}).sort((a, b) => a[1] - b[1]);
  const c = chart(el);
  c.setOption({
    animation: false, backgroundColor: 'transparent', grid: { left: 8, right: 24, top: 8, bottom: 20, containLabel: true },
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    xAxis: { type: 'value', minInterval: 1, ...AXIS },
    yAxis: { type: 'category', data: rows.map(r => label(r[0])), ...AXIS },
    series: [{ name: tr('overdue'), type: 'bar', barMaxWidth: 18, itemStyle: { color: LEVEL_COLOUR.RED }, data: rows.map(r => r[1]) }]
  }, { notMerge: true });
  return c;
}

export { LEVELS, lang };

/**
 * The county map: township regions and the county outline from the GeoJSON, enterprises coloured by
 * their worst active alarm (a ripple while one is unacknowledged), cameras as small squares in their
 * state. Drag and wheel move and zoom; names show on hover so labels never pile up.
 */
export function mapChart(el, boundaries, enterprises, cameras, names, tiles = false) {
  const features = (boundaries && boundaries.features) || [];
  const towns = features.filter(f => f.properties && f.properties.kind !== 'county');
  const county = features.filter(f => f.properties && f.properties.kind === 'county');
  if (!window.echarts.getMap('safegrid-county') || el.dataset.mapKey !== String(features.length)) {
    window.echarts.registerMap('safegrid-county', { type: 'FeatureCollection', features: towns.map(f => ({ ...f, properties: { ...f.properties, name: f.properties.path } })) });
    el.dataset.mapKey = String(features.length);
  }
  const worst = e => LEVELS.find(l => e.active && e.active[l.toLowerCase()]);
  const unacked = e => LEVELS.some(l => e.unacknowledged && e.unacknowledged[l.toLowerCase()]);
  const pt = e => ({ name: e.name, path: e.path, value: [e.lon, e.lat], level: worst(e) || null,
    itemStyle: { color: worst(e) ? LEVEL_COLOUR[worst(e)] : '#22c55e', borderColor: '#fff', borderWidth: worst(e) ? 1.5 : 0 } });
  const located = enterprises.filter(e => Number.isFinite(e.lat) && Number.isFinite(e.lon));
  const CAM = { online: '#36a3ff', offline: '#e5484d', unknown: '#8499ad' };
  const c = chart(el);
  c.setOption({
    animation: false, backgroundColor: 'transparent',
    tooltip: { ...TOOLTIP, trigger: 'item', formatter: p => p.seriesType === 'lines' ? '' : p.data.label || p.name },
    geo: towns.length ? { map: 'safegrid-county', roam: true, zoom: 1.1, nameMap: Object.fromEntries(towns.map(f => [f.properties.path, names(f.properties.path) || f.properties.name])),
      label: { show: true, color: '#5d7890', fontSize: 12 }, itemStyle: { areaColor: tiles ? 'rgba(15, 28, 42, 0.25)' : '#0f1c2a', borderColor: '#2c5a85', borderWidth: 1 },
      emphasis: { label: { color: '#dbe4ee' }, itemStyle: { areaColor: '#17304a' } }, select: { disabled: true } }
      : { map: 'safegrid-county', show: false },
    series: [
      { id: 'county', type: 'lines', coordinateSystem: 'geo', polyline: true, silent: true, lineStyle: { color: '#4f8fc9', width: 2.5 },
        data: county.flatMap(f => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).map(p => ({ coords: p[0] }))) },
      { id: 'enterprises', name: tr('enterprise'), type: 'scatter', coordinateSystem: 'geo', symbolSize: d => 10, z: 3,
        label: { show: false, formatter: p => p.name, position: 'right', color: '#dbe4ee' }, emphasis: { label: { show: true } },
        labelLayout: { hideOverlap: true }, data: located.filter(e => !unacked(e)).map(pt) },
      { id: 'alarming', name: tr('enterprise'), type: 'effectScatter', coordinateSystem: 'geo', symbolSize: 14, z: 4,
        rippleEffect: { scale: 3, brushType: 'stroke' }, label: { show: true, formatter: p => p.name, position: 'right', color: '#fff' },
        labelLayout: { hideOverlap: true }, data: located.filter(unacked).map(pt) },
      { id: 'cameras', name: tr('cameras'), type: 'scatter', coordinateSystem: 'geo', symbol: 'rect', symbolSize: 7, z: 2,
        data: cameras.map(k => ({ name: k.name, id: k.id, path: k.site, value: [k.lon, k.lat],
          itemStyle: { color: CAM[k.status] || CAM.unknown } })) }
    ]
  }, { notMerge: true });
  return c;
}
