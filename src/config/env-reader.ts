/**
 * Reads settings from the environment once at start-up: trimmed values, the documented defaults, and
 * every problem collected (not thrown one by one), so one message names them all.
 */
import { SETTINGS } from './settings';

export type Env = Record<string, string | undefined>;

export function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

const DEFAULTS = new Map(SETTINGS.map((s) => [s.name, s.default]));

export class EnvReader {
  readonly problems: string[] = [];
  constructor(readonly env: Env) {}

  problem(message: string): void {
    this.problems.push(message);
  }
  private raw(name: string): string | undefined {
    const value = this.env[name];
    return present(value) ? value.trim() : DEFAULTS.get(name);
  }
  optional(name: string): string | undefined {
    const value = this.raw(name);
    return present(value) ? value : undefined;
  }
  string(name: string): string {
    return this.raw(name) ?? '';
  }
  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined && !this.problems.some((p) => p.startsWith(`${name}:`))) this.problem(`${name}: is required`);
    return value ?? '';
  }
  int(name: string, min: number, max: number): number {
    const value = this.string(name);
    const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(`${name}: expected a whole number from ${min} to ${max}, got "${value}"`);
      return min;
    }
    return n;
  }
  bool(name: string): boolean {
    const value = this.string(name).toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0' || value === '') return false;
    this.problem(`${name}: expected true or false, got "${value}"`);
    return false;
  }
  oneOf<T extends string>(name: string, allowed: readonly T[]): T {
    const value = this.string(name);
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(`${name}: expected one of ${allowed.join(', ')}, got "${value}"`);
      return allowed[0] as T;
    }
    return value as T;
  }
  url(name: string, httpsOnly: boolean): string {
    const value = this.required(name);
    if (value === '') return '';
    try {
      const url = new URL(value);
      if (httpsOnly && url.protocol !== 'https:') this.problem(`${name}: must be an https:// URL`);
    } catch {
      this.problem(`${name}: not a valid URL`);
    }
    return value;
  }
  /** An optional object id; Microsoft Graph answers 400 to anything else, so it is checked here once. */
  guid(name: string): string | undefined {
    const value = this.optional(name);
    if (value !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
      this.problem(`${name}: must be an Entra object id (a GUID), got "${value}"`);
    }
    return value;
  }
  csv(name: string): string[] {
    return this.string(name).split(',').map((s) => s.trim()).filter(Boolean);
  }
  aesKey(name: string): string {
    const value = this.required(name);
    if (value !== '' && Buffer.from(value, 'base64').length !== 32) this.problem(`${name}: must be base64 of exactly 32 bytes`);
    return value;
  }
}
