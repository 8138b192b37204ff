// Prints an HS256 JWT: node mint.mjs <secret> <sub> <role>  (aud=authenticated, 1 h)
import crypto from 'node:crypto';
const [secret, sub, role] = process.argv.slice(2);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const now = Math.floor(Date.now() / 1000);
const head = b64({ alg: 'HS256', typ: 'JWT' });
const body = b64({ sub, aud: 'authenticated', role, tier: 'pro', app_metadata: { tier: 'pro' }, iat: now, exp: now + 3600 });
const sig = crypto.createHmac('sha256', secret).update(head + '.' + body).digest('base64url');
console.log(head + '.' + body + '.' + sig);
