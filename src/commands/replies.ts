/** The reply to a forget, whether the bot (by number or all) or the memory agent (by phrase) did it. */
export function forgotText(count: number): string {
  if (count === 0) return 'I had nothing to forget.';
  return `Forgot ${count} memor${count === 1 ? 'y' : 'ies'}.`;
}
