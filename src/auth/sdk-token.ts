/**
 * The claims of the JWT ff-relay issues to SDKs (docs/sdk-api.md): the Go proxy's set
 * (`apiKey`, `environment`, `clusterIdentifier`, `iat`, `nbf`, no `exp`) plus the SaaS claims
 * SDKs put in headers when they are known.
 */
export interface SdkTokenClaims {
  /** `auth-key-<sha256>`: the lookup key, never the raw SDK key. */
  apiKey: string;
  environment: string;
  clusterIdentifier: string;
  environmentIdentifier?: string;
  projectIdentifier?: string;
  accountID?: string;
}

/** The authenticated caller of an SDK route, as guards hand it to handlers. */
export interface SdkPrincipal {
  environment: string;
  keyHash: string;
}
