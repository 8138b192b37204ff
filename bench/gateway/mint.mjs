// Prints HS256 JWTs, one line per subject: node mint.mjs <secret> <role> <sub> [<sub> …]
// (aud=authenticated, tier pro, valid 1 h) — the same claims a Supabase access token carries.
import crypto from 'node:crypto';
const [secret, role, ...subs] = process.argv.slice(2);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const head = b64({ alg: 'HS256', typ: 'JWT' });
for (const sub of subs) {
  const body = b64({ sub, aud: 'authenticated', role, tier: 'pro', app_metadata: { tier: 'pro' }, iat: now, exp: now + 3600 });
  const sig = crypto.createHmac('sha256', secret).update(head + '.' + body).digest('base64url');
  console.log(head + '.' + body + '.' + sig);
}
