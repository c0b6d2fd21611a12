import { stdSerializers } from 'pino';
import { errorFields } from './error-fields.js';

describe(errorFields.name, () => {
  it('writes nothing for no error, never null', () => {
    expect(errorFields(null)).toBeUndefined();
    expect(errorFields(undefined)).toBeUndefined();
  });

  it('gives a bare message a type', () => {
    expect(errorFields('terminated')).toEqual({ type: 'Error', message: 'terminated' });
  });

  it('keeps the class, the code and the cause of an Error, raw or as pino copied it', () => {
    const err = Object.assign(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }), {
      code: 'E_X',
    });
    for (const given of [err, stdSerializers.err(err)]) {
      expect(errorFields(given)).toMatchObject({
        type: 'TypeError',
        message: 'fetch failed',
        code: 'E_X',
        cause: 'ECONNREFUSED',
      });
    }
  });

  it('names a plain error-like object by its name', () => {
    const plain: Error = { name: 'Error', message: 'connect ECONNREFUSED' };
    const copy = stdSerializers.err(plain);
    expect(errorFields(copy)).toEqual({ type: 'Error', message: 'connect ECONNREFUSED' });
  });
});
