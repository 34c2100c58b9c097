// Map tiles under the county's outline, only when the deployment names a tile server (console.map.tiles).
// The node fetches them (/api/v1/map/tiles/{z}/{x}/{y}), so the page keeps its own-origin policy and works
// offline without them. Tiles are Web Mercator and ECharts' geo is plain longitude/latitude, so each tile is
// placed by its own corners through the geo component: outline and tiles agree at any zoom or pan.
const MAX_TILES = 64;

const lonOf = (x, n) => x / n * 360 - 180;
const latOf = (y, n) => Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
const xOf = (lon, n) => Math.floor((lon + 180) / 360 * n);
const yOf = (lat, n) => { const r = lat * Math.PI / 180; return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n); };

/** Keeps a layer of tiles under the chart's geo component, redrawn after every pan, zoom or resize. */
export function drawTiles(chart, el, url) {
  const box = el.parentElement;
  let layer = box.querySelector('.map-tiles');
  if (!url) { if (layer) layer.remove(); box.classList.remove('has-tiles'); return; }
  if (!layer) { layer = document.createElement('div'); layer.className = 'map-tiles'; box.insertBefore(layer, el); box.classList.add('has-tiles'); }
  let queued = false;
  const update = () => {
    queued = false;
    const w = el.clientWidth, h = el.clientHeight;
    const nw = chart.convertFromPixel({ geoIndex: 0 }, [0, 0]), se = chart.convertFromPixel({ geoIndex: 0 }, [w, h]);
    if (!nw || !se || !w) return;
    layer.style.left = el.offsetLeft + 'px'; layer.style.top = el.offsetTop + 'px'; layer.style.width = w + 'px'; layer.style.height = h + 'px';
    // the zoom level whose tiles are about 256 px on screen
    const z = Math.max(0, Math.min(18, Math.round(Math.log2(360 * w / 256 / Math.abs(se[0] - nw[0])))));
    const n = 2 ** z, want = new Set();
    const x0 = Math.max(0, xOf(nw[0], n)), x1 = Math.min(n - 1, xOf(se[0], n)), y0 = Math.max(0, yOf(nw[1], n)), y1 = Math.min(n - 1, yOf(se[1], n));
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1 && want.size < MAX_TILES; y++) {
      const key = `${z}/${x}/${y}`; want.add(key);
      let img = layer.querySelector(`img[data-tile="${key}"]`);
      if (!img) { img = document.createElement('img'); img.dataset.tile = key; img.alt = ''; img.src = url.replace('{z}', z).replace('{x}', x).replace('{y}', y); layer.append(img); }
      const a = chart.convertToPixel({ geoIndex: 0 }, [lonOf(x, n), latOf(y, n)]), b = chart.convertToPixel({ geoIndex: 0 }, [lonOf(x + 1, n), latOf(y + 1, n)]);
      img.style.left = a[0] + 'px'; img.style.top = a[1] + 'px'; img.style.width = (b[0] - a[0]) + 'px'; img.style.height = (b[1] - a[1]) + 'px';
    }
    layer.querySelectorAll('img').forEach(i => { if (!want.has(i.dataset.tile)) i.remove(); });
  };
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(update); } };
  if (!chart.safegridTiles) { chart.safegridTiles = true; chart.on('georoam', later); window.addEventListener('resize', later); }
  later();
}
