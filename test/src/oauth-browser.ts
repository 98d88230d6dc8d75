/**
 * Plays the admin's browser through an OAuth provider's pages (oidc-provider's development login and
 * consent forms): follows redirects with cookies until the provider sends the browser to `callbackPrefix`.
 */
export async function authorizeInBrowser(
  authorizationUrl: string,
  callbackPrefix: string,
  login = 'alice',
): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      cookies.set(name.trim(), value);
    }
    return response;
  };
  let url = new URL(authorizationUrl);
  for (let step = 0; step < 20; step += 1) {
    if (url.toString().startsWith(callbackPrefix)) return url;
    const response = await send(url);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const page = await response.text();
    if (response.status !== 200 || !url.pathname.startsWith('/interaction/')) {
      throw new Error(`Unexpected page at ${url}: HTTP ${response.status} ${page.slice(0, 300)}`);
    }
    const form: Record<string, string> = page.includes('value="consent"')
      ? { prompt: 'consent' }
      : { prompt: 'login', login, password: 'any' };
    const submitted = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    url = new URL(submitted.headers.get('location') ?? url.toString(), url);
  }
  throw new Error('The authorization did not come back to the callback');
}
