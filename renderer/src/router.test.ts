import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, type Route } from './router.js';

describe('parseRoute and routeHash', () => {
  it.each<[string, Route]>([
    ['#/activity', { screen: 'activity' }],
    ['#/quarantine', { screen: 'quarantine' }],
    ['#/secrets', { screen: 'secrets' }],
    ['#/clients', { screen: 'clients' }],
    ['#/extensions', { screen: 'extensions' }],
    ['#/servers/a%20b/tools', { screen: 'server', server: 'a b', tab: 'tools' }],
    ['#/servers/a/edit', { screen: 'edit', server: 'a' }],
    ['#/settings', { screen: 'settings' }],
  ])('reads %s and writes it back', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(routeHash(route)).toBe(hash);
  });

  it('falls back to the servers list for anything it does not know', () => {
    expect(parseRoute('#/nowhere')).toEqual({ screen: 'servers' });
    expect(parseRoute('')).toEqual({ screen: 'servers' });
  });
});
