/** ff-relay's version, sent upstream as `Harness-SDK-Info: Proxy <version>`. */
export const PROXY_VERSION = '0.1.0';
