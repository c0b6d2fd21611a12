import { sessionFromToken } from './upstream-session.js';

const token = (claims: object) =>
  `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('sessionFromToken', () => {
  it('reads cluster_identifier and account', () => {
    expect(sessionFromToken(token({ cluster_identifier: '2', account: 'acc' }))).toMatchObject({
      cluster: '2',
      account: 'acc',
    });
  });

  it('defaults the cluster to "1" and the account to ""', () => {
    expect(sessionFromToken(token({}))).toMatchObject({ cluster: '1', account: '' });
  });

  it('rejects a token without three segments', () => {
    expect(() => sessionFromToken('abc')).toThrow('invalid token');
  });
});
