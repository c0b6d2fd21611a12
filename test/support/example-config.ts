/**
 * The example offline configuration in `config/` (served by `npm start` by default) and what an
 * unmodified Node server SDK evaluates for it. Human-readable version: `docs/example-config.md`.
 *
 * Every expected value was checked against `@harnessio/ff-nodejs-server-sdk` (polling a server
 * that served these files) and against an independent implementation of docs/evaluation.md. The
 * config stays inside the domain where the Go and Node evaluators agree (docs/evaluation.md).
 */
import { fileURLToPath } from 'node:url';
import type { FlagKind } from '../../src/model/feature-config.js';
import type { AttributeValue } from '../../src/model/target.js';

/** Absolute path of the example `CONFIG_DIR`. */
export const EXAMPLE_CONFIG_DIR = fileURLToPath(new URL('../../config', import.meta.url));

export const EXAMPLE_PROJECT_IDENTIFIER = 'demo';

export const PRODUCTION_ENV_UUID = 'de6864df-2f42-4e2c-8dff-586bf63e4d2e';
export const PRODUCTION_ENV_IDENTIFIER = 'production';
export const PRODUCTION_SERVER_SDK_KEY = 'prod-server-0000-example-key';
export const PRODUCTION_CLIENT_SDK_KEY = 'prod-client-0000-example-key';

export const STAGING_ENV_UUID = 'b3aa45cc-371b-4306-80f0-1727d6dd665a';
export const STAGING_ENV_IDENTIFIER = 'staging';
export const STAGING_SERVER_SDK_KEY = 'staging-server-0000-example-key';
export const STAGING_CLIENT_SDK_KEY = 'staging-client-0000-example-key';

export type ExampleEnvironmentName =
  typeof PRODUCTION_ENV_IDENTIFIER | typeof STAGING_ENV_IDENTIFIER;

export interface ExampleEnvironment {
  readonly uuid: string;
  /** The `environment` field of every flag and segment. */
  readonly identifier: ExampleEnvironmentName;
  readonly project: string;
  /** Absolute path of the `env-<uuid>` directory. */
  readonly directory: string;
  /** Raw SDK keys; `auth_config.json` holds their lower-case hex SHA-256. */
  readonly serverSdkKey: string;
  readonly clientSdkKey: string;
  /** Every flag of the environment and its kind (which SDK `…Variation` method reads it). */
  readonly flags: Readonly<Record<string, FlagKind>>;
  readonly segments: readonly string[];
}

export const EXAMPLE_ENVIRONMENTS: Readonly<Record<ExampleEnvironmentName, ExampleEnvironment>> = {
  production: {
    uuid: PRODUCTION_ENV_UUID,
    identifier: PRODUCTION_ENV_IDENTIFIER,
    project: EXAMPLE_PROJECT_IDENTIFIER,
    directory: fileURLToPath(new URL(`../../config/env-${PRODUCTION_ENV_UUID}`, import.meta.url)),
    serverSdkKey: PRODUCTION_SERVER_SDK_KEY,
    clientSdkKey: PRODUCTION_CLIENT_SDK_KEY,
    flags: {
      'dark-mode': 'boolean',
      'checkout-v2': 'boolean',
      'new-search': 'boolean',
      recommendations: 'boolean',
      'ai-assistant': 'boolean',
      'legacy-reports': 'boolean',
      'banner-text': 'string',
      'onboarding-flow': 'string',
      'maintenance-banner': 'string',
      'max-items': 'int',
      'discount-rate': 'int',
      'api-rate-limit': 'int',
      'theme-config': 'json',
      'feature-announcements': 'json',
    },
    segments: ['beta-testers', 'checkout-pilot', 'enterprise-customers'],
  },
  staging: {
    uuid: STAGING_ENV_UUID,
    identifier: STAGING_ENV_IDENTIFIER,
    project: EXAMPLE_PROJECT_IDENTIFIER,
    directory: fileURLToPath(new URL(`../../config/env-${STAGING_ENV_UUID}`, import.meta.url)),
    serverSdkKey: STAGING_SERVER_SDK_KEY,
    clientSdkKey: STAGING_CLIENT_SDK_KEY,
    flags: {
      'dark-mode': 'boolean',
      'checkout-v2': 'boolean',
      'banner-text': 'string',
      'max-items': 'int',
      'discount-rate': 'int',
      'theme-config': 'json',
    },
    segments: ['qa-team'],
  },
};

export interface ExampleTarget {
  readonly identifier: string;
  readonly name: string;
  readonly anonymous?: boolean;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /**
   * Whether the target is in the environment's `targets.json` with exactly these attributes,
   * i.e. whether the proxy finds it when a client SDK sends no `Harness-Target` header. The
   * anonymous targets are not; they have no attributes and no rule reads `name`, so their
   * values are the same either way.
   */
  readonly inTargetsFile: boolean;
}

/**
 * A value as the Node server SDK returns it: `boolVariation`, `stringVariation`,
 * `numberVariation` (`parseFloat`) or `jsonVariation` (`JSON.parse`). `String(value)`, or
 * `JSON.stringify(value)` for objects, gives back the variation's wire `value` exactly.
 */
export type ExampleFlagValue = boolean | number | string | { [key: string]: AttributeValue };

export interface ExpectedTargetEvaluations {
  readonly target: ExampleTarget;
  /** Every flag of the environment → its evaluated value for `target`. */
  readonly values: Readonly<Record<string, ExampleFlagValue>>;
}

const THEME_LIGHT = { mode: 'light', accent: '#0066ff', fontScale: 1 };
const THEME_DARK = { mode: 'dark', accent: '#ff8800', fontScale: 1 };
const THEME_HIGH_CONTRAST = { mode: 'high-contrast', accent: '#000000', fontScale: 1.25 };
const NO_ANNOUNCEMENTS = { items: [] };

const STAGING_NOTICE = 'You are on STAGING - data resets nightly';
const STAGING_DEBUG = 'Debug build: verbose logging enabled';

export const EXPECTED_EVALUATIONS: Readonly<
  Record<ExampleEnvironmentName, readonly ExpectedTargetEvaluations[]>
> = {
  production: [
    {
      // In beta-testers via `included`; country DE hits the priority-10 banner rule.
      target: {
        identifier: 'alice',
        name: 'Alice Anderson',
        attributes: {
          email: 'alice@example.com',
          plan: 'enterprise',
          country: 'DE',
          company: 'acme',
          signupDate: '2023-03-14',
        },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': false,
        'new-search': false,
        recommendations: false,
        'ai-assistant': false,
        'legacy-reports': false,
        'banner-text': 'Willkommen!',
        'onboarding-flow': 'video',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 100,
        'discount-rate': 0,
        'api-rate-limit': 5000,
        'theme-config': THEME_LIGHT,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
    {
      // Excluded from beta-testers; explicit targets in checkout-v2 and api-rate-limit.
      target: {
        identifier: 'bob',
        name: 'Bob Brown',
        attributes: {
          email: 'bob@partner.io',
          plan: 'free',
          country: 'US',
          company: 'globex',
          signupDate: '2025-06-01',
        },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': false,
        'checkout-v2': false,
        'new-search': true,
        recommendations: true,
        'ai-assistant': true,
        'legacy-reports': false,
        'banner-text': 'Welcome back, partner!',
        'onboarding-flow': 'guided',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 10,
        'discount-rate': 0.1,
        'api-rate-limit': 100,
        'theme-config': THEME_LIGHT,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
    {
      // In beta-testers via a legacy rule; NOT in checkout-pilot (AND rule: FR is not US/GB).
      target: {
        identifier: 'carol',
        name: 'Carol Chen',
        attributes: {
          email: 'carol@harness.io',
          plan: 'pro',
          country: 'FR',
          company: 'initech',
          signupDate: '2024-11-20',
        },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': false,
        'checkout-v2': true,
        'new-search': false,
        recommendations: false,
        'ai-assistant': false,
        'legacy-reports': false,
        'banner-text': 'Thanks for testing our beta!',
        'onboarding-flow': 'classic',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 50,
        'discount-rate': 0,
        'api-rate-limit': 1000,
        'theme-config': THEME_LIGHT,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
    {
      // In checkout-pilot via serving rule 1 (harness.io AND GB); explicit target in recommendations.
      target: {
        identifier: 'dave',
        name: 'Dave Davis',
        attributes: {
          email: 'dave@harness.io',
          plan: 'pro',
          country: 'GB',
          company: 'hooli',
          signupDate: '2025-02-10',
        },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': true,
        'new-search': true,
        recommendations: false,
        'ai-assistant': false,
        'legacy-reports': false,
        'banner-text': 'Thanks for testing our beta!',
        'onboarding-flow': 'guided',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 50,
        'discount-rate': 0.1,
        'api-rate-limit': 100,
        'theme-config': THEME_DARK,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
    {
      // In checkout-pilot via serving rule 2; excluded from enterprise-customers; `vip-` prefix.
      target: {
        identifier: 'vip-vera',
        name: 'Vera Vance',
        attributes: {
          email: 'vera@example.com',
          plan: 'enterprise',
          country: 'US',
          company: 'stark',
          signupDate: '2025-09-01',
          age: 41,
          beta: true,
        },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': true,
        'new-search': true,
        recommendations: true,
        'ai-assistant': true,
        'legacy-reports': false,
        'banner-text': 'Thanks for testing our beta!',
        'onboarding-flow': 'classic',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 100,
        'discount-rate': 0.5,
        'api-rate-limit': 100,
        'theme-config': THEME_DARK,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
    {
      // Plan `PRO` misses the case-sensitive `pro` rule; explicit high-contrast theme.
      target: {
        identifier: 'erin',
        name: 'Erin Evans',
        attributes: {
          email: 'erin@example.com',
          plan: 'PRO',
          country: 'CA',
          company: 'umbrella',
          signupDate: '2025-03-03',
        },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': false,
        'checkout-v2': true,
        'new-search': true,
        recommendations: true,
        'ai-assistant': true,
        'legacy-reports': false,
        'banner-text': 'Welcome!',
        'onboarding-flow': 'classic',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 10,
        'discount-rate': 0.25,
        'api-rate-limit': 100,
        'theme-config': THEME_HIGH_CONTRAST,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
    {
      // No attributes: only defaults and identifier-bucketed rollouts apply.
      target: {
        identifier: 'anonymous-visitor',
        name: 'Anonymous visitor',
        anonymous: true,
        attributes: {},
        inTargetsFile: false,
      },
      values: {
        'dark-mode': false,
        'checkout-v2': false,
        'new-search': false,
        recommendations: false,
        'ai-assistant': false,
        'legacy-reports': false,
        'banner-text': 'Welcome!',
        'onboarding-flow': 'guided',
        'maintenance-banner': 'No maintenance scheduled',
        'max-items': 10,
        'discount-rate': 0,
        'api-rate-limit': 100,
        'theme-config': THEME_LIGHT,
        'feature-announcements': NO_ANNOUNCEMENTS,
      },
    },
  ],
  staging: [
    {
      // In qa-team via serving rule 2 (`qa-` prefix); explicit `false` in dark-mode.
      target: {
        identifier: 'qa-bot',
        name: 'QA Bot',
        attributes: { email: 'qa-bot@ci.example.com', role: 'bot', team: 'platform' },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': false,
        'checkout-v2': true,
        'banner-text': STAGING_NOTICE,
        'max-items': 25,
        'discount-rate': 0.5,
        'theme-config': THEME_LIGHT,
      },
    },
    {
      // In qa-team via serving rule 1 (tester AND @example.com).
      target: {
        identifier: 'tester-tina',
        name: 'Tina Tester',
        attributes: { email: 'tina@example.com', role: 'tester', team: 'checkout' },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': true,
        'banner-text': STAGING_DEBUG,
        'max-items': 25,
        'discount-rate': 0,
        'theme-config': THEME_DARK,
      },
    },
    {
      // Excluded from qa-team; the 70 % rollout still gives checkout-v2.
      target: {
        identifier: 'dev-dan',
        name: 'Dan Developer',
        attributes: { email: 'dan@dev.example.net', role: 'developer', team: 'search' },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': true,
        'banner-text': STAGING_DEBUG,
        'max-items': 25,
        'discount-rate': 0.5,
        'theme-config': THEME_DARK,
      },
    },
    {
      // In qa-team via `included`.
      target: {
        identifier: 'pm-paula',
        name: 'Paula Product',
        attributes: { email: 'paula@example.com', role: 'product', team: 'payments' },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': true,
        'banner-text': STAGING_NOTICE,
        'max-items': 25,
        'discount-rate': 0.05,
        'theme-config': THEME_DARK,
      },
    },
    {
      // A tester outside @example.com: NOT in qa-team (AND rule), and outside the rollout.
      target: {
        identifier: 'ops-omar',
        name: 'Omar Ops',
        attributes: { email: 'omar@ops.example.net', role: 'tester', team: 'growth' },
        inTargetsFile: true,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': false,
        'banner-text': STAGING_DEBUG,
        'max-items': 25,
        'discount-rate': 0.05,
        'theme-config': THEME_DARK,
      },
    },
    {
      // No attributes: discount-rate's `team` bucketing falls back to the identifier.
      target: {
        identifier: 'guest-42',
        name: 'Guest 42',
        anonymous: true,
        attributes: {},
        inTargetsFile: false,
      },
      values: {
        'dark-mode': true,
        'checkout-v2': true,
        'banner-text': STAGING_NOTICE,
        'max-items': 25,
        'discount-rate': 0.05,
        'theme-config': THEME_DARK,
      },
    },
  ],
};
