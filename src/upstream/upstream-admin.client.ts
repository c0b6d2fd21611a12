import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EnvHttpProxyAgent } from 'undici';
import { AppConfig } from '../config/app-config.js';
import { readAnswer, send } from './upstream-http.js';
import { UpstreamError } from './upstream-error.js';

const ADMIN_TIMEOUT_MS = 30_000;

/** The settings a proxy-key rotation needs; the names of those missing, for a 409. */
export function missingAdminSettings(config: AppConfig): string[] {
  const { admin } = config;
  return [
    ['ADMIN_SERVICE_TOKEN', admin.serviceToken],
    ['PROXY_KEY_IDENTIFIER', admin.proxyKeyIdentifier],
    ['ACCOUNT_IDENTIFIER', admin.accountIdentifier],
  ]
    .filter(([, value]) => !value)
    .map(([name]) => name as string);
}

/**
 * The owner of calls to the Harness admin API (`ADMIN_SERVICE`): only the proxy-key rotation,
 * `PATCH /admin/proxy/keys/{id}` with `{"instructions":{"rotateKey":"<grace>"}}`, which answers
 * the new key. Authenticated with `x-api-key: ADMIN_SERVICE_TOKEN` (a Harness platform token).
 */
@Injectable()
export class UpstreamAdminClient implements OnApplicationShutdown {
  private readonly dispatcher = new EnvHttpProxyAgent();

  constructor(private readonly config: AppConfig) {}

  async rotateProxyKey(gracePeriod: string): Promise<string> {
    const { admin } = this.config;
    const path = `/admin/proxy/keys/${encodeURIComponent(admin.proxyKeyIdentifier ?? '')}`;
    const query = new URLSearchParams({
      accountIdentifier: admin.accountIdentifier ?? '',
      ...(admin.orgIdentifier ? { orgIdentifier: admin.orgIdentifier } : {}),
    });
    const response = await send(path, `${admin.service}${path}?${query.toString()}`, {
      method: 'PATCH',
      dispatcher: this.dispatcher,
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
      headers: { 'Content-Type': 'application/json', 'x-api-key': admin.serviceToken ?? '' },
      body: JSON.stringify({ instructions: { rotateKey: gracePeriod } }),
    });
    const key = ((await readAnswer(path, response, true)) as { key?: unknown } | null)?.key;
    if (typeof key !== 'string' || key === '') {
      throw new UpstreamError(path, 200, 'no key in the answer');
    }
    return key;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
