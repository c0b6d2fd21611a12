import { OfrepError } from '../common/errors/ofrep-error.js';
import { targetOf } from './ofrep-context.js';

function codeOf(body: unknown): string | undefined {
  try {
    targetOf(body);
    return undefined;
  } catch (error) {
    return error instanceof OfrepError ? error.code : 'not an OfrepError';
  }
}

describe(targetOf.name, () => {
  it('maps targetingKey to the identifier, a string name to the name, the rest to attributes', () => {
    const body = {
      context: { targetingKey: 'u1', name: 'Ann', plan: 'pro', n: 2, tags: ['a', 1] },
    };
    expect(targetOf(body).target).toEqual({
      identifier: 'u1',
      name: 'Ann',
      attributes: { plan: 'pro', n: 2, tags: ['a', 1] },
    });
  });

  it('keeps a name that is not a string as an attribute', () => {
    expect(targetOf({ context: { targetingKey: 'u1', name: 3 } }).target).toEqual({
      identifier: 'u1',
      attributes: { name: 3 },
    });
  });

  it.each([
    undefined,
    null,
    {},
    { context: null },
    { context: {} },
    { context: { targetingKey: '' } },
  ])('has no target without a targeting key (%j)', (body) => {
    expect(targetOf(body).target).toBeNull();
  });

  it.each([
    ['[1]', [1], 'PARSE_ERROR'],
    ['a string body', 'x', 'PARSE_ERROR'],
    ['a context array', { context: [] }, 'INVALID_CONTEXT'],
    ['a context string', { context: 'u1' }, 'INVALID_CONTEXT'],
    ['a number targetingKey', { context: { targetingKey: 1 } }, 'INVALID_CONTEXT'],
    ['an object attribute', { context: { targetingKey: 'u', org: {} } }, 'INVALID_CONTEXT'],
    ['a null attribute', { context: { targetingKey: 'u', org: null } }, 'INVALID_CONTEXT'],
    ['an array of objects', { context: { targetingKey: 'u', l: [{}] } }, 'INVALID_CONTEXT'],
  ])('refuses %s', (_, body, code) => {
    expect(codeOf(body)).toBe(code);
  });
});
