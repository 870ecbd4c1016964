import { ensureDevCa } from '../emulators/shared/dev-ca';

const ca = ensureDevCa();
console.log(`dev CA: ${ca.caCertPath}`);
