/** A started emulator: what clients need to reach it, and how to stop it. */
export interface RunningEmulator<Info> {
  info: Info;
  stop(): Promise<void>;
}

export interface TlsMaterial {
  cert: string;
  key: string;
  caCertPath: string;
}
