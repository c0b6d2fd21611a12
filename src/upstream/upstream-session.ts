/** What `/proxy/auth` gave us: the token and the two claims later calls need. */
export interface UpstreamSession {
  token: string;
  /** `cluster_identifier` claim, sent as `cluster=` on every call; `"1"` when absent. */
  cluster: string;
  /** `account` claim, sent as `Harness-AccountID`; `""` when absent. */
  account: string;
}

/**
 * Reads the claims without verifying the signature, as the Go proxy does: the token is only
 * ever sent back to the service that issued it (docs/upstream.md).
 */
export function sessionFromToken(token: string): UpstreamSession {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new Error('received invalid token from SaaS');
  }
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    throw new Error('received invalid token from SaaS');
  }
  const cluster = claims.cluster_identifier;
  const account = claims.account;
  return {
    token,
    cluster: typeof cluster === 'string' && cluster !== '' ? cluster : '1',
    account: typeof account === 'string' ? account : '',
  };
}
