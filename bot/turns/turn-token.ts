/**
 * One Databricks token per turn instead of one per HTTP call: a turn's Genie POST, polls and result
 * fetch each asked the identity service, which reads and decrypts the user's cache partition every
 * time. The promise lives in the per-turn closure only (dropped with the turn), is reused for at most
 * `reuseMs` (MSAL hands out tokens with more than five minutes left), and is forgotten on failure.
 */
export function reuseTokenWithinTurn(fetchToken: () => Promise<string>, reuseMs: number, now: () => number = Date.now): () => Promise<string> {
  let cached: { token: Promise<string>; at: number } | undefined;
  return () => {
    if (cached && now() - cached.at < reuseMs) return cached.token;
    const token = fetchToken();
    const entry = { token, at: now() };
    cached = entry;
    token.catch(() => {
      if (cached === entry) cached = undefined;
    });
    return token;
  };
}
