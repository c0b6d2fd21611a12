import { SdkMetricsCustody } from './sdk-metrics-custody.js';

const entry = (id: string, json = 'x'.repeat(10)) => ({ id, json, producerId: `p-${id}` });

describe(SdkMetricsCustody.name, () => {
  it('lets go of what the stored position has passed, and only that', () => {
    const custody = new SdkMetricsCustody(1_000);
    ['5-0', '6-0', '10-0'].forEach((id) => custody.keep(entry(id)));
    custody.forwardedUpTo('6-0');
    expect(custody.oldest?.id).toBe('10-0');
    expect(custody.size).toBe(1);
    custody.forwardedUpTo('9-99');
    expect(custody.size).toBe(1);
    custody.forwardedUpTo('10-0');
    expect(custody.size).toBe(0);
  });

  it('keeps at most its byte bound, the oldest let go first', () => {
    const custody = new SdkMetricsCustody(25);
    ['1-0', '2-0', '3-0'].forEach((id) => custody.keep(entry(id)));
    expect(custody.oldest?.id).toBe('2-0');
    expect(custody.takeAll().map((e) => e.id)).toEqual(['2-0', '3-0']);
    expect(custody.size).toBe(0);
  });
});
