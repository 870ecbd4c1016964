import { randomBytes } from 'node:crypto';
import { isAppError } from '../../../src/errors';
import { createCacheCipher } from '../../../src/identity/cache-crypto';

const key = randomBytes(32).toString('base64');
const cipher = createCacheCipher(key);
const PARTITION = 'tenant:alice';

describe('token cache encryption (AES-256-GCM)', () => {
  test('when a blob is encrypted, then it decrypts under the same partition and carries version and key id', () => {
    const blob = cipher.encrypt('{"Account":{}}', PARTITION);
    expect(blob.startsWith(`tc1.${cipher.keyId}.`)).toBe(true);
    expect(cipher.decrypt(blob, PARTITION)).toBe('{"Account":{}}');
  });

  test('when the same text is encrypted twice, then the IVs and ciphertexts differ', () => {
    const a = cipher.encrypt('same', PARTITION).split('.');
    const b = cipher.encrypt('same', PARTITION).split('.');
    expect(a[2]).not.toBe(b[2]);
    expect(a[4]).not.toBe(b[4]);
  });

  test('when a blob is read under another partition key, then it does not decrypt', () => {
    expect(cipher.decrypt(cipher.encrypt('secret', PARTITION), 'tenant:bob')).toBeUndefined();
  });

  test('when one ciphertext byte is flipped, then the tag check fails', () => {
    const parts = cipher.encrypt('secret refresh token', PARTITION).split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[4] = body.toString('base64url');
    expect(cipher.decrypt(parts.join('.'), PARTITION)).toBeUndefined();
  });

  test('when the tag is truncated, then the blob is refused', () => {
    const parts = cipher.encrypt('secret', PARTITION).split('.');
    parts[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, 4).toString('base64url');
    expect(cipher.decrypt(parts.join('.'), PARTITION)).toBeUndefined();
  });

  test('when a blob was made with another key, then the key id does not match and it is refused', () => {
    const other = createCacheCipher(randomBytes(32).toString('base64'));
    expect(other.keyId).not.toBe(cipher.keyId);
    expect(cipher.decrypt(other.encrypt('x', PARTITION), PARTITION)).toBeUndefined();
  });

  test('when the blob is plaintext or garbage, then it is refused', () => {
    expect(cipher.decrypt('{"Account":{}}', PARTITION)).toBeUndefined();
    expect(cipher.decrypt(`tc1.${cipher.keyId}.a.b.c`, PARTITION)).toBeUndefined();
  });

  test('when the key is not 32 bytes, then CONFIG.INVALID', () => {
    let error: unknown;
    try {
      createCacheCipher(randomBytes(16).toString('base64'));
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code).toBe('CONFIG.INVALID');
  });
});
