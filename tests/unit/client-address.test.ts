import { describe, expect, it } from 'vitest';
import { clientGroup } from '../../functions/core/client-address';

describe('clientGroup: whom a per-client limit counts', () => {
  it.each([
    ['198.51.100.23', '198.51.100.23'],
    ['::ffff:198.51.100.23', '198.51.100.23'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:0:0:ffff::9', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s → %s', (ip, group) => {
    expect(clientGroup(ip)).toBe(group);
  });

  it('counts every address of one /64 as one client, and another /64 apart', () => {
    const network = ['2001:db8:aa:bb::1', '2001:db8:aa:bb:ffff:ffff:ffff:ffff', '2001:db8:aa:bb:1234::'].map(clientGroup);
    expect(new Set(network).size).toBe(1);
    expect(clientGroup('2001:db8:aa:bc::1')).not.toBe(network[0]);
  });
});
