/**
 * Just enough of a browser for tests that cross origins (the service and an OpenID provider):
 * cookies kept by name and path, redirects followed by hand, forms posted.
 */
interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** Just enough of a browser: cookies (by name and path), redirects followed by hand, forms posted. */
export class Browser {
  private readonly cookies = new Map<string, Cookie>();

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const { pathname } = new URL(url);
    const cookie = [...this.cookies.values()]
      .filter((c) => pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const header of response.headers.getSetCookie()) this.keep(header);
    return response;
  }

  /**
   * Follows redirects until a page answers, or until a redirect goes to `stopAt` (the service's
   * callback, when a test takes over from there).
   */
  async go(url: string, form?: Record<string, string>, stopAt?: string): Promise<{ page: Response; url: string } | { callback: string }> {
    let response = await this.request(url, form);
    let at = url;
    while (response.status >= 300 && response.status < 400) {
      at = new URL(response.headers.get('location')!, at).href;
      await response.body?.cancel();
      if (stopAt && at.startsWith(`${stopAt}?`)) return { callback: at };
      response = await this.request(at);
    }
    return { page: response, url: at };
  }

  /** The cookie `name` as this browser would send it to `url`, if it holds one. */
  cookie(name: string): string | undefined {
    return [...this.cookies.values()].find((cookie) => cookie.name === name)?.value;
  }

  private keep(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    let path = '/';
    let gone = value === '';
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const argument = rest.join('=');
      if (key.toLowerCase() === 'path') path = argument;
      if (key.toLowerCase() === 'expires' && Date.parse(argument) <= Date.now()) gone = true;
      if (key.toLowerCase() === 'max-age' && Number(argument) <= 0) gone = true;
    }
    if (gone) this.cookies.delete(`${path} ${name}`);
    else this.cookies.set(`${path} ${name}`, { name, value, path });
  }
}
