import type { DirectoryUser } from '../emulators/shared/directory';

/** `bench0001`…: distinct directory people for B6, the same in the bench and in its emulator process. */
export function generatedUsers(count: number): DirectoryUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const hex = (i + 1).toString(16).padStart(12, '0');
    return {
      shortName: `bench${n}`,
      objectId: `be7c0000-0000-4000-8000-${hex}`,
      upn: `bench${n}@contoso.example`,
      displayName: `Bench User ${n}`,
      groups: [],
      consented: true,
      summary: 'generated benchmark user (memory benchmark only)',
    };
  });
}
