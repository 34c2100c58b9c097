// The supervision pages' calls: JSON in and out, a refusal shown by its message key in the reader's language.
import { tr, say } from './i18n.js';

export async function api(method, url, body) {
  const changes = method !== 'GET';
  const r = await fetch(url, { method, headers: changes ? { 'Content-Type': 'application/json' } : {}, body: changes ? JSON.stringify(body ?? {}) : undefined, credentials: 'same-origin' });
  const data = r.headers.get('content-type')?.includes('json') ? await r.json() : null;
  if (!r.ok) { const k = data && data.key && 'err_' + data.key; throw new Error(k && tr(k) !== k ? tr(k) : (data && data.error) || r.status); }
  return data;
}

/** What a check item says in the reader's language: its own text, else its template wording. */
export const itemText = i => i.text || say(i.key) || i.key;

