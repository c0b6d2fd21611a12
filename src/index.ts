// The public API for teams that compose ff-relay into their own Nest application
// (docs/extending.md). Importing it starts nothing.
export { AppModule } from './app.module.js';
export { createApp, listen, type CreateAppOptions } from './create-app.js';
export { loadConfig } from './config/load-config.js';
export { AppConfig } from './config/app-config.js';
export type { EnvInput } from './config/env-vars.js';
export type { SdkPrincipal } from './auth/sdk-token.js';
export { ROUTES, ADMIN_ROUTES, SAAS_PREFIX } from './common/routes.js';
export { exitOnSignals } from './shutdown.js';
export { MetricsModule } from './metrics/metrics.module.js';
export { counterProvider, gaugeProvider, histogramProvider } from './metrics/metric-providers.js';
export { main } from './main.js';
