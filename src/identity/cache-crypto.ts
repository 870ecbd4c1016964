import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors';

/**
 * AES-256-GCM for token-cache blobs: random 96-bit IV, 128-bit tag, and the partition key as
 * additional authenticated data, so a blob copied under another user's key fails to decrypt.
 * Format: `tc1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
const VERSION = 'tc1';

export interface CacheCipher {
  readonly keyId: string;
  encrypt(plaintext: string, partitionKey: string): string;
  /** Undefined when the blob is not ours, was made with another key, or was tampered with. */
  decrypt(blob: string, partitionKey: string): string | undefined;
}

export function createCacheCipher(encryptionKeyBase64: string): CacheCipher {
  const key = Buffer.from(encryptionKeyBase64, 'base64');
  if (key.length !== 32) throw new AppError('CONFIG.INVALID', 'The token cache key must be base64 of exactly 32 bytes');
  const keyId = createHash('sha256').update('token-cache-key').update(key).digest('hex').slice(0, 12);
  const aad = (partitionKey: string): Buffer => Buffer.from(`token-cache:${partitionKey}`, 'utf8');

  return {
    keyId,
    encrypt(plaintext, partitionKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(aad(partitionKey));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, keyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    decrypt(blob, partitionKey) {
      const parts = blob.split('.');
      if (parts.length !== 5 || parts[0] !== VERSION || parts[1] !== keyId) return undefined;
      const [, , iv, tag, ciphertext] = parts as [string, string, string, string, string];
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
        decipher.setAAD(aad(partitionKey));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
