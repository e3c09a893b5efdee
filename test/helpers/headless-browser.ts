/**
 * Stands in for the person's browser in OAuth tests: opens the authorization page and follows its
 * redirects (the test authorization servers approve at once) until the loopback redirect has the answer.
 */
export async function followAuthorization(url: string, maxRedirects = 5): Promise<void> {
  let next = url;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const res = await fetch(next, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    await res.body?.cancel();
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      if (hop === 0) throw new Error(`the authorization page answered ${res.status} without a redirect`);
      return; // the loopback listener answered: the sign-in has its code
    }
    next = new URL(location, next).href;
  }
  throw new Error(`more than ${maxRedirects} redirects from the authorization page`);
}
