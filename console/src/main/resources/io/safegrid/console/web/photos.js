// A picture chosen on a phone, shrunk in the browser to fit the console's request limit, as base64.
export async function shrunkPhoto(input, maxBytes = 44000) {
  const file = input.files && input.files[0];
  if (!file) return null;
  const b64 = bytes => { let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000)); return btoa(s); };
  let img;
  try { img = await createImageBitmap(file); } catch (e) { return b64(new Uint8Array(await file.arrayBuffer())); } // not a picture: the server says so
  const k = Math.min(1, 800 / Math.max(img.width, img.height));
  const canvas = Object.assign(document.createElement('canvas'), { width: Math.round(img.width * k), height: Math.round(img.height * k) });
  canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
  let out = null;
  for (const q of [0.8, 0.6, 0.4, 0.25]) {
    out = new Uint8Array(await (await new Promise(done => canvas.toBlob(done, 'image/jpeg', q))).arrayBuffer());
    if (out.length < maxBytes) break;
  }
  return b64(out);
}
