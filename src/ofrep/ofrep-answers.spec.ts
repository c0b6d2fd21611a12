import type { FeatureConfig } from '../model/feature-config.js';
import { answerOf, statusOf } from './ofrep-answers.js';

const flag = (kind: string, version?: number): FeatureConfig => ({
  feature: 'f',
  kind,
  state: 'on',
  offVariation: 'v',
  defaultServe: { variation: 'v' },
  variations: [],
  ...(version === undefined ? {} : { version }),
});

describe(answerOf.name, () => {
  it.each([
    ['boolean', 'true', true],
    ['boolean', 'TRUE', true],
    ['boolean', 'false', false],
    ['int', '42', 42],
    ['int', '2.5', 2.5],
    ['string', '', ''],
    ['json', '{"a":[1]}', { a: [1] }],
  ])('types a %s value %j as the Harness SDKs do', (kind, raw, value) => {
    const answer = answerOf(flag(kind, 3), { identifier: 'v', value: raw }, 'STATIC');
    expect(answer).toEqual({
      key: 'f',
      value,
      variant: 'v',
      reason: 'STATIC',
      metadata: { version: 3 },
    });
  });

  it.each([
    ['int', 'abc'],
    ['json', '{'],
  ])('answers a %s flag serving %j with PARSE_ERROR (500)', (kind, raw) => {
    const answer = answerOf(flag(kind), { identifier: 'v', value: raw }, 'STATIC');
    expect(answer).toMatchObject({ key: 'f', errorCode: 'PARSE_ERROR' });
    expect(statusOf(answer as never)).toBe(500);
  });

  it('answers a flag that served nothing with GENERAL', () => {
    expect(answerOf(flag('boolean'), undefined, 'DEFAULT')).toMatchObject({ errorCode: 'GENERAL' });
  });
});
