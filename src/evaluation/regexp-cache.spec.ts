import { RE2JS } from 're2js';
import { RegExpCache } from './regexp-cache.js';

function countingCache(maxEntries?: number): { cache: RegExpCache<RE2JS>; compiled: string[] } {
  const compiled: string[] = [];
  const compile = (source: string): RE2JS | null => {
    compiled.push(source);
    return source === '(' ? null : RE2JS.compile(source);
  };
  return { cache: new RegExpCache(compile, maxEntries), compiled };
}

describe('RegExpCache', () => {
  it('compiles each source once', () => {
    const { cache, compiled } = countingCache();

    const first = cache.get('a+');

    expect(cache.get('a+')).toBe(first);
    expect(compiled).toEqual(['a+']);
  });

  it('remembers sources that do not compile', () => {
    const { cache, compiled } = countingCache();

    expect(cache.get('(')).toBeNull();
    expect(cache.get('(')).toBeNull();
    expect(compiled).toEqual(['(']);
  });

  it('starts over when full', () => {
    const { cache, compiled } = countingCache(2);

    cache.get('a');
    cache.get('b');
    cache.get('c');
    cache.get('a');

    expect(compiled).toEqual(['a', 'b', 'c', 'a']);
  });
});
