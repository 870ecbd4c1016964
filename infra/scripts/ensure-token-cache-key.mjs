// Toolkit provision hook. When SECRET_TOKEN_CACHE_KEY is empty, prints a fresh AES-256 key as a
// `::set-teamsfx-env` line, which the toolkit stores in env/.env.<env>.user. An existing key is
// never replaced: a new key makes every cached sign-in unreadable (users sign in again).
import { randomBytes } from 'node:crypto';

const current = (process.env.SECRET_TOKEN_CACHE_KEY ?? '').trim();
if (current === '' || current.startsWith('${{')) {
  console.log(`::set-teamsfx-env SECRET_TOKEN_CACHE_KEY=${randomBytes(32).toString('base64')}`);
}
