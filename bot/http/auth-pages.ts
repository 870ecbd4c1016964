/**
 * The consent fallback pages Teams opens when the SSO exchange answers 412. `auth-start` sends the
 * user to the authority's authorize endpoint with consent; `auth-end` tells Teams it finished and
 * hands back the pending exchange id (it becomes `signin/verifyState`'s `state`).
 */
export function authStartPage(authority: string): string {
  return page(`
const q = new URLSearchParams(location.search);
const state = q.get('pending') || '';
sessionStorage.setItem('pending', state);
const url = new URL(${JSON.stringify(authority.replace(/\/$/, ''))} + '/oauth2/v2.0/authorize');
url.searchParams.set('client_id', q.get('clientId') || '');
url.searchParams.set('response_type', 'code');
url.searchParams.set('response_mode', 'fragment');
url.searchParams.set('scope', q.get('scope') || '');
url.searchParams.set('redirect_uri', location.origin + '/auth-end.html');
url.searchParams.set('prompt', 'consent');
url.searchParams.set('state', state);
location.assign(url.toString());`);
}

export function authEndPage(): string {
  return page(`
microsoftTeams.app.initialize().then(() => {
  const hash = new URLSearchParams(location.hash.slice(1));
  const pending = sessionStorage.getItem('pending') || hash.get('state') || '';
  if (hash.get('error')) microsoftTeams.authentication.notifyFailure(hash.get('error'));
  else microsoftTeams.authentication.notifySuccess(pending);
});`, 'https://res.cdn.office.net/teams-js/2.34.0/js/MicrosoftTeams.min.js');
}

function page(script: string, library?: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><title>Sign in</title>',
    library ? `<script src="${library}" crossorigin="anonymous"></script>` : '',
    '</head><body><p>Signing you in…</p>',
    `<script>${script}</script>`,
    '</body></html>',
  ].join('');
}
