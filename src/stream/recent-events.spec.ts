import { RecentEvents } from './recent-events.js';

describe(RecentEvents.name, () => {
  it('gives a late stream the frames of its environment in the window, oldest first', () => {
    const recent = new RecentEvents(120_000, 1_000);
    recent.add('a', 'one\n\n', 0);
    recent.add('b', 'other\n\n', 1_000);
    recent.add('a', 'two\n\n', 60_000);
    expect(recent.of('a', 100_000)).toBe('one\n\ntwo\n\n');
    expect(recent.of('a', 150_000)).toBe('two\n\n');
    expect(recent.of('b', 150_000)).toBe('');
    expect(recent.of('c', 0)).toBe('');
  });

  it('keeps at most the newest frames of an environment', () => {
    const recent = new RecentEvents(120_000, 2);
    ['1', '2', '3'].forEach((frame) => recent.add('a', frame, 0));
    expect(recent.of('a', 0)).toBe('23');
  });
});
