import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

/**
 * The local development CA: generated once into `.local/dev-ca/` (ignored by git) and reused, so
 * every emulator serves HTTPS with a certificate that Node trusts through NODE_EXTRA_CA_CERTS.
 */
export interface DevCa {
  dir: string;
  caCertPath: string;
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export const DEFAULT_CA_DIR = resolve(__dirname, '../../.local/dev-ca');

export function ensureDevCa(dir: string = DEFAULT_CA_DIR): DevCa {
  const paths = {
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server-key.pem'),
  };
  if (!Object.values(paths).every(existsSync) || expiresSoon(readFileSync(paths.serverCert, 'utf8'))) {
    mkdirSync(dir, { recursive: true });
    const generated = generate();
    writeFileSync(paths.caKey, generated.caKeyPem, { mode: 0o600 });
    writeFileSync(paths.serverKey, generated.serverKeyPem, { mode: 0o600 });
    writeFileSync(paths.serverCert, generated.serverCertPem);
    writeFileSync(paths.caCert, generated.caCertPem);
  }
  return {
    dir,
    caCertPath: paths.caCert,
    caCertPem: readFileSync(paths.caCert, 'utf8'),
    serverCertPem: readFileSync(paths.serverCert, 'utf8'),
    serverKeyPem: readFileSync(paths.serverKey, 'utf8'),
  };
}

function expiresSoon(certPem: string): boolean {
  const cert = forge.pki.certificateFromPem(certPem);
  return cert.validity.notAfter.getTime() - Date.now() < 7 * 24 * 3600 * 1000;
}

function generate(): { caCertPem: string; caKeyPem: string; serverCertPem: string; serverKeyPem: string } {
  const caKeys = forge.pki.rsa.generateKeyPair(2048);
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = randomSerial();
  ca.validity.notBefore = new Date(Date.now() - 3600_000);
  ca.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600_000);
  const caName = [{ name: 'commonName', value: 'Teams Data Agent Local Dev CA' }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = forge.pki.rsa.generateKeyPair(2048);
  const server = forge.pki.createCertificate();
  server.publicKey = serverKeys.publicKey;
  server.serialNumber = randomSerial();
  server.validity.notBefore = new Date(Date.now() - 3600_000);
  server.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600_000);
  server.setSubject([{ name: 'commonName', value: 'localhost' }]);
  server.setIssuer(caName);
  server.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
  ]);
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caCertPem: forge.pki.certificateToPem(ca),
    caKeyPem: forge.pki.privateKeyToPem(caKeys.privateKey),
    serverCertPem: forge.pki.certificateToPem(server),
    serverKeyPem: forge.pki.privateKeyToPem(serverKeys.privateKey),
  };
}

function randomSerial(): string {
  return '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}
